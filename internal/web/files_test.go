package web_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/config"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
	"github.com/tandemcrm/tandem/internal/web"
)

func upload(t *testing.T, b *browser, path, name string, content []byte) *httptest.ResponseRecorder {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(content)
	mw.Close()
	req := httptest.NewRequest("POST", path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	for _, c := range b.cookies {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	b.h.ServeHTTP(rec, req)
	for _, c := range rec.Result().Cookies() {
		b.cookies[c.Name] = c
	}
	return rec
}

func TestAttachments(t *testing.T) {
	db := testdb.New(t)
	cfg := config.Defaults()
	cfg.DataDir = t.TempDir()
	srv := web.NewServer(web.Deps{DB: db, Jobs: fakeJobs{}, Config: cfg})
	b := &browser{t: t, h: srv, cookies: map[string]*http.Cookie{}}
	var token string
	db.Write(context.Background(), func(tx *store.Tx) (err error) { token, err = account.NewSetupToken(tx); return err })
	b.do("POST", "/setup", url.Values{"token": {token}, "workspace": {"F Co"}, "name": {"Fay"}, "email": {"fay@f.test"}, "password": {"a long enough phrase"}})
	b.do("POST", "/companies", url.Values{"name": {"Filed Inc"}})
	co := regexp.MustCompile(`/companies/(\d+)"`).FindStringSubmatch(b.do("GET", "/companies", nil).Body.String())[1]

	if rec := upload(t, b, "/companies/"+co+"/files", `..\..\evil<"name>.html`, []byte("<html><script>alert(1)</script></html>")); rec.Code != 303 {
		t.Fatalf("upload: %d", rec.Code)
	}
	page := b.do("GET", "/companies/"+co, nil).Body.String()
	m := regexp.MustCompile(`href="/files/(\d+)">([^<]+)</a>`).FindStringSubmatch(page)
	if m == nil || strings.Contains(m[2], "..") || strings.Contains(m[2], "\\") {
		t.Fatalf("file link %v", m)
	}
	rec := b.do("GET", "/files/"+m[1], nil)
	h := rec.Header()
	if rec.Code != 200 || h.Get("Content-Type") != "application/octet-stream" || !strings.HasPrefix(h.Get("Content-Disposition"), "attachment") ||
		h.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(h.Get("Content-Security-Policy"), "sandbox") {
		t.Fatalf("download headers: %d %v", rec.Code, h)
	}
	if rec.Body.String() != "<html><script>alert(1)</script></html>" {
		t.Fatal("bytes changed")
	}
	upload(t, b, "/companies/"+co+"/files", "empty.txt", nil)
	if !strings.Contains(b.do("GET", "/companies/"+co, nil).Body.String(), "The file is empty") {
		t.Fatal("empty upload: no message")
	}
	// Signed out: no file.
	other := &browser{t: t, h: srv, cookies: map[string]*http.Cookie{}}
	if rec := other.do("GET", "/files/"+m[1], nil); rec.Code != 303 {
		t.Fatalf("anonymous download: %d", rec.Code)
	}
}

package assets

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

func TestServeHashedAssets(t *testing.T) {
	s := newSet(fstest.MapFS{
		"app.js":   {Data: []byte("console.log(1)")},
		"app.css":  {Data: []byte("body{}")},
		".gitkeep": {Data: nil},
	})
	url := s.URL("app.js")
	if !strings.HasPrefix(url, "/assets/app.js?v=") || s.Has(".gitkeep") {
		t.Fatalf("URL = %q, .gitkeep listed = %v", url, s.Has(".gitkeep"))
	}
	get := func(target string, hdr ...string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("GET", target, nil)
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		return rec
	}
	rec := get(url)
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/javascript") ||
		!strings.Contains(rec.Header().Get("Cache-Control"), "immutable") || rec.Body.String() != "console.log(1)" {
		t.Fatalf("hashed: %d %v", rec.Code, rec.Header())
	}
	if rec := get("/assets/app.css"); !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/css") ||
		strings.Contains(rec.Header().Get("Cache-Control"), "immutable") {
		t.Fatalf("unhashed URL must not be cached for a year: %v", rec.Header())
	}
	if rec := get(url, "If-None-Match", rec.Header().Get("ETag")); rec.Code != http.StatusNotModified {
		t.Fatalf("conditional GET: %d", rec.Code)
	}
	for _, p := range []string{"/assets/nope.js", "/assets/.gitkeep", "/assets/../assets.go"} {
		if rec := get(p); rec.Code != 404 {
			t.Errorf("%s: %d", p, rec.Code)
		}
	}
}

func TestEmptyDistStillWorks(t *testing.T) {
	s := newSet(fstest.MapFS{})
	if s.URL("app.css") != "/assets/app.css" || s.Has("app.css") {
		t.Fatal("missing asset should give a plain URL")
	}
}

package web_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

// TestImportUI: upload → mapping step (automatic, edited) → dry run →
// import with live progress (server-sent events) → report → undo; and the
// contacts list's Export link downloads the view as CSV.
func TestImportUI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		b := signedIn(t, db)
		upload := func(file string) *httptest.ResponseRecorder { return uploadImport(b, "people.csv", file) }
		rec := b.do("GET", "/import", nil)
		must(t, rec, 200, rec.Body.String(), `enctype="multipart/form-data"`, `name="file"`)

		rec = upload("Vorname;Nachname;E-Mail;Stufe;Notiz\nAda;Lovelace;ada@example.com;Kunde;x\nGrace;Hopper;grace@example.com;Interessent;y\nBad;Row;nope;;\n")
		must(t, rec, 303, rec.Body.String())
		mapURL := rec.Header().Get("Location")
		if !strings.HasPrefix(mapURL, "/import/map/") {
			t.Fatalf("redirect to %q", mapURL)
		}
		rec = b.do("GET", mapURL, nil)
		must(t, rec, 200, rec.Body.String(), "semicolon-separated", `<option value="first_name" selected>`, `<option value="email" selected>`, "ada@example.com")
		u, _ := url.Parse(mapURL)
		form := url.Values{"kind": {"contacts"}, "name": {"people.csv"}, "col.0": {"first_name"}, "col.1": {"last_name"}, "col.2": {"email"},
			"col.3": {"lifecycle"}, "col.4": {""}, "match": {"email"}, "policy": {"upsert"}, "values": {"Kunde = customer\nInteressent = prospect"}}
		// A mistake first: matching by a field no column fills.
		bad := url.Values{}
		for k, v := range form {
			bad[k] = v
		}
		bad.Set("col.2", "")
		rec = b.do("POST", u.Path, bad)
		must(t, rec, 422, rec.Body.String(), "No column is mapped to email")

		dry := url.Values{"dry_run": {"1"}}
		for k, v := range form {
			dry[k] = v
		}
		rec = b.do("POST", u.Path, dry)
		must(t, rec, 303, rec.Body.String())
		dryPage := waitDone(t, b, rec.Header().Get("Location"))
		must(t, httptest.NewRecorder(), 200, dryPage, "dry run: nothing was changed", "created=2 updated=0 skipped=0 errors=1", "not a valid email address")

		rec = b.do("POST", u.Path, form)
		must(t, rec, 303, rec.Body.String())
		importPath := rec.Header().Get("Location")
		page := waitDone(t, b, importPath)
		must(t, httptest.NewRecorder(), 200, page, "created=2 updated=0 skipped=0 errors=1", "Undo this import")
		must(t, httptest.NewRecorder(), 200, page, `href="`+importPath+`/report"`)
		rep := b.do("GET", importPath+"/report", nil)
		must(t, rep, 200, rep.Body.String(), "line,action,column,value,message\n", "\n4,error,E-Mail,nope,not a valid email address\n")
		if rep.Header().Get("Content-Type") != "text/csv; charset=utf-8" {
			t.Fatalf("report type %q", rep.Header().Get("Content-Type"))
		}
		must(t, b.do("GET", "/imports/123/report", nil), 404, "")
		ev := b.do("GET", importPath+"/events", nil)
		must(t, ev, 200, ev.Body.String(), "event: progress\ndata: {", `"final":true`, `"percent":100`)

		// The list's Export link carries its filter, sort and columns.
		list := b.do("GET", "/contacts?filter="+url.QueryEscape(`lifecycle = "customer"`), nil).Body.String()
		m := regexp.MustCompile(`href="(/contacts/export\?[^"]+)"`).FindStringSubmatch(list)
		if m == nil {
			t.Fatalf("no export link:\n%.1500s", list)
		}
		href := strings.ReplaceAll(m[1], "&amp;", "&")
		csv := b.do("GET", href, nil)
		must(t, csv, 200, csv.Body.String(), "First Name,Last Name,Email", "Ada,Lovelace,ada@example.com")
		if strings.Contains(csv.Body.String(), "Grace") || csv.Header().Get("Content-Type") != "text/csv; charset=utf-8" {
			t.Fatalf("export of the filtered view:\n%s", csv.Body.String())
		}

		// The companies list has one too.
		must(t, b.do("POST", "/companies", url.Values{"name": {"Analytical Engines"}, "domain": {"engines.test"}, "industry": {"Computing"}}), 303, "")
		must(t, b.do("POST", "/companies", url.Values{"name": {"Navy Yard"}, "domain": {"navy.test"}}), 303, "")
		list = b.do("GET", "/companies?filter="+url.QueryEscape(`name ~ "engines"`), nil).Body.String()
		m = regexp.MustCompile(`href="(/companies/export\?[^"]+)"`).FindStringSubmatch(list)
		if m == nil {
			t.Fatalf("no export link on the companies list:\n%.1500s", list)
		}
		csv = b.do("GET", strings.ReplaceAll(m[1], "&amp;", "&"), nil)
		must(t, csv, 200, csv.Body.String(), "Analytical Engines,engines.test,Computing")
		if strings.Contains(csv.Body.String(), "Navy") || csv.Header().Get("Content-Disposition") != `attachment; filename="companies.csv"` {
			t.Fatalf("export of the filtered companies: %q\n%s", csv.Header().Get("Content-Disposition"), csv.Body.String())
		}

		rec = b.do("POST", importPath+"/undo", url.Values{})
		must(t, rec, 303, rec.Body.String())
		rec = b.do("GET", importPath, nil)
		must(t, rec, 200, rec.Body.String(), "Undone: 2 records removed", "undone")
		if strings.Contains(b.do("GET", "/contacts", nil).Body.String(), "Lovelace") {
			t.Fatal("undo left the contacts")
		}
		rec = b.do("GET", "/import", nil)
		must(t, rec, 200, rec.Body.String(), "Recent imports", "people.csv")
	})
}

// uploadImport posts a contacts file to the import page.
func uploadImport(b *browser, name, file string) *httptest.ResponseRecorder {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("kind", "contacts")
	fw, _ := mw.CreateFormFile("file", name)
	_, _ = fw.Write([]byte(file))
	_ = mw.Close()
	req := httptest.NewRequest("POST", "/import", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	for _, c := range b.cookies {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	b.h.ServeHTTP(rec, req)
	return rec
}

// TestImportTemplatesUI: the mapping page saves a mapping as a template
// (with the custom field a column became) and applies a saved one to
// another file, whose columns come in another order, by header: fields,
// dedupe and value translations, with the template's columns the file
// lacks named. Another workspace's template is not offered or applied.
func TestImportTemplatesUI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		b := signedIn(t, db)
		rec := uploadImport(b, "export.csv", "Vorname;Nachname;E-Mail;Stufe;Notiz\nAda;Lovelace;ada@example.com;Kunde;met at a fair\n")
		must(t, rec, 303, rec.Body.String())
		u, _ := url.Parse(rec.Header().Get("Location"))
		page := b.do("GET", u.String(), nil).Body.String()
		if strings.Contains(page, `name="template"`) {
			t.Fatal("a template picker with no templates saved")
		}
		form := url.Values{"kind": {"contacts"}, "name": {"export.csv"}, "col.0": {"first_name"}, "col.1": {"last_name"}, "col.2": {"email"},
			"col.3": {"lifecycle"}, "col.4": {"+new"}, "match": {"email"}, "policy": {"update"}, "values": {"Kunde = customer"}}
		form.Set("save_as", strings.Repeat("x", 101))
		rec = b.do("POST", u.Path, form)
		must(t, rec, 422, rec.Body.String(), "Name the template (up to 100 characters).", `value="+new" selected`)
		form.Set("save_as", "German CRM")
		rec = b.do("POST", u.Path, form)
		must(t, rec, 303, rec.Body.String())
		waitDone(t, b, rec.Header().Get("Location"))

		rec = uploadImport(b, "later.csv", "E-Mail;Extra;Vorname;Stufe\ngrace@example.com;z;Grace;Kunde\n")
		must(t, rec, 303, rec.Body.String())
		u, _ = url.Parse(rec.Header().Get("Location"))
		page = b.do("GET", u.String(), nil).Body.String()
		m := regexp.MustCompile(`<option value="(\d+)">template: German CRM</option>`).FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("no saved template offered:\n%.3000s", page)
		}
		page = b.do("GET", u.String()+"&template="+m[1], nil).Body.String()
		must(t, httptest.NewRecorder(), 200, page, `value="`+m[1]+`" selected`, `value="German CRM"`,
			"Not in this file, so left out: Nachname, Notiz.", "Kunde = customer", `<option value="update" selected>`)
		for col, field := range map[string]string{"0": "email", "1": "", "2": "first_name", "3": "lifecycle"} {
			sel := regexp.MustCompile(`(?s)name="col\.` + col + `">.*?</select>`).FindString(page)
			if !strings.Contains(sel, `<option value="`+field+`" selected>`) {
				t.Errorf("column %s: want %q selected in\n%s", col, field, sel)
			}
		}
		if !strings.Contains(page, `<option value="custom.notiz"`) {
			t.Error("the field the first import made is not offered")
		}

		// Another workspace's template, by id: not listed, not applied.
		if err := db.Write(context.Background(), func(tx *store.Tx) error {
			_, err := tx.Unscoped().Exec(`INSERT INTO import_templates (id, workspace_id, kind, name, body, created_by, created_at, updated_at)
				VALUES (4242, 999999, 'contacts', 'Theirs', '{"kind":"contacts","columns":[{"header":"Extra","field":"title"}],"dedupe":{"policy":""}}', 0, 0, 0)`)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		page = b.do("GET", u.String()+"&template=4242", nil).Body.String()
		must(t, httptest.NewRecorder(), 200, page, "That template is gone")
		if strings.Contains(page, "Theirs") || regexp.MustCompile(`(?s)name="col\.1">.*?<option value="title" selected>`).MatchString(page) {
			t.Fatal("another workspace's template was offered or applied")
		}
	})
}

// waitDone polls an import page until the import has stopped running.
func waitDone(t *testing.T, b *browser, path string) string {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		body := b.do("GET", path, nil).Body.String()
		if !strings.Contains(body, "data-import-events") {
			return body
		}
	}
	t.Fatalf("import at %s did not finish", path)
	return ""
}

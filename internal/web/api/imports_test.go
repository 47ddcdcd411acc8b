package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/riverqueue/river"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/importer"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
	"github.com/tandemcrm/tandem/internal/web/api"
)

// queue records enqueued import jobs; the test runs them.
type queue struct{ jobs []importer.JobArgs }

func (q *queue) Enqueue(tx *store.Tx, args river.JobArgs, _ *river.InsertOpts) error {
	q.jobs = append(q.jobs, args.(importer.JobArgs))
	return nil
}

func upload(t *testing.T, h http.Handler, key string, fields map[string]string, file string) *httptest.ResponseRecorder {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		_ = mw.WriteField(k, v)
	}
	if file != "" {
		fw, _ := mw.CreateFormFile("file", "people.csv")
		_, _ = fw.Write([]byte(file))
	}
	_ = mw.Close()
	req := httptest.NewRequest("POST", "/api/v1/imports", &buf)
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestImportsAPI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		mux := http.NewServeMux()
		q := &queue{}
		api.New(mux, api.Deps{DB: db, Queue: q, ImportDir: t.TempDir()})
		p := newWorkspace(t, db, "Acme", crm.RoleAdmin)
		_, key := newKey(t, db, p, account.NewAPIKey{Name: "t"})
		other := newWorkspace(t, db, "Other", crm.RoleAdmin)
		_, otherKey := newKey(t, db, other, account.NewAPIKey{Name: "t"})

		file := "\xef\xbb\xbfFirst Name;E-mail Address;Company Name\nAda;ada@example.com;Engines\nBad;nope;\nAda;ADA@example.com;\n"
		rec := upload(t, mux, key, map[string]string{"dedupe": "email"}, file)
		if rec.Code != http.StatusAccepted {
			t.Fatalf("upload: %d %s", rec.Code, rec.Body.String())
		}
		var body map[string]any
		_ = json.Unmarshal(rec.Body.Bytes(), &body)
		id := body["id"].(string)
		if body["status"] != "queued" || body["encoding"] != "utf-8-bom" || body["delimiter"] != ";" || len(q.jobs) != 1 ||
			q.jobs[0].ImportID.String() != id || !strings.Contains(rec.Body.String(), `"progress":{"rows":0`) {
			t.Fatalf("created: %s (%d jobs)", rec.Body.String(), len(q.jobs))
		}
		// The worker runs the job.
		if err := (&importer.Worker{DB: db}).Work(ctx, &river.Job[importer.JobArgs]{Args: q.jobs[0]}); err != nil {
			t.Fatal(err)
		}
		send(t, mux, key, step{name: "get", method: "GET", path: "/api/v1/imports/" + id, status: 200,
			has: []string{`"status":"done"`, `"summary":"created=1 updated=1 skipped=0 errors=1"`, `"percent":100`, `"undo_until":`}})
		send(t, mux, key, step{name: "issues", method: "GET", path: "/api/v1/imports/" + id + "/issues", status: 200,
			has: []string{`{"line":3,"action":"error","column":"E-mail Address","value":"nope","message":"not a valid email address"}`, `"next_cursor":null`}})
		_, page := send(t, mux, key, step{name: "issues, a page of none", method: "GET", path: "/api/v1/imports/" + id + "/issues?limit=1&cursor=0.0", status: 200,
			has: []string{`"line":3`, `"next_cursor":null`}})
		if len(page["data"].([]any)) != 1 {
			t.Fatalf("page: %v", page)
		}
		send(t, mux, key, step{name: "issues, bad cursor", method: "GET", path: "/api/v1/imports/" + id + "/issues?cursor=zz", status: 422, has: []string{`"cursor"`}})
		send(t, mux, otherKey, step{name: "other workspace", method: "GET", path: "/api/v1/imports/" + id, status: 404})
		send(t, mux, key, step{name: "export", method: "GET", path: "/api/v1/contacts/export?filter=" + "email%20%3D%20%22ada%40example.com%22", status: 200,
			has: []string{"First Name,Last Name,Email,", "\nAda,,ada@example.com,,,,,Engines,,lead,,,"}})
		send(t, mux, key, step{name: "export vcf", method: "GET", path: "/api/v1/contacts/export?format=vcf", status: 200,
			has: []string{"BEGIN:VCARD\r\nVERSION:3.0\r\nN:;Ada;;;\r\n"}})
		send(t, mux, key, step{name: "bad filter", method: "GET", path: "/api/v1/contacts/export?filter=nope%20%3D%201", status: 422,
			has: []string{`"filter"`}})
		send(t, mux, key, step{name: "bad column", method: "GET", path: "/api/v1/contacts/export?columns=Email,Shoe%20size", status: 422,
			has: []string{`"columns"`}})
		send(t, mux, key, step{name: "export companies", method: "GET", path: "/api/v1/companies/export?filter=" + "name%20~%20%22engines%22", status: 200,
			// A prefix of the header: the address columns follow it.
			has: []string{"Name,Domain,Other Domains,Industry,Employees,Phone,Tags,Owner", "\nEngines,,,,,,,"}})
		send(t, mux, key, step{name: "export companies xlsx", method: "GET", path: "/api/v1/companies/export?format=xlsx&columns=Name", status: 200,
			has: []string{"PK"}})
		send(t, mux, key, step{name: "export companies vcf", method: "GET", path: "/api/v1/companies/export?format=vcf", status: 422})
		send(t, mux, key, step{name: "export deals", method: "GET", path: "/api/v1/deals/export", status: 200,
			has: []string{"Deal Name,Amount,Currency,Pipeline,Deal Stage,Status,Lost Reason,Close Date,Deal Owner,Contact Email,Company Name,Company Domain,Source,Priority,Tags\n"}})
		send(t, mux, key, step{name: "export deals bad filter", method: "GET", path: "/api/v1/deals/export?filter=nope", status: 422, has: []string{`"filter"`}})
		send(t, mux, key, step{name: "export companies bad sort", method: "GET", path: "/api/v1/companies/export?sort=shoe", status: 422})
		send(t, mux, otherKey, step{name: "other workspace's companies", method: "GET", path: "/api/v1/companies/export", status: 200,
			hasNot: []string{"Engines"}})
		send(t, mux, key, step{name: "undo", method: "POST", path: "/api/v1/imports/" + id + "/undo", status: 200,
			has: []string{`"removed":1`, `"status":"undone"`}})
		send(t, mux, key, step{name: "undo again", method: "POST", path: "/api/v1/imports/" + id + "/undo", status: 409})
		send(t, mux, key, step{name: "export empty", method: "GET", path: "/api/v1/contacts/export", status: 200,
			hasNot: []string{"ada@example.com"}})

		// Bad uploads: no file, a wrong template, a member who may not export.
		if rec := upload(t, mux, key, map[string]string{"kind": "contacts"}, ""); rec.Code != 422 || !strings.Contains(rec.Body.String(), `"file"`) {
			t.Fatalf("no file: %d %s", rec.Code, rec.Body.String())
		}
		if rec := upload(t, mux, key, map[string]string{"dedupe": "title"}, file); rec.Code != 422 || !strings.Contains(rec.Body.String(), `"dedupe.match"`) {
			t.Fatalf("bad dedupe: %d %s", rec.Code, rec.Body.String())
		}
		if rec := upload(t, mux, key, map[string]string{"template": `{"columns":[{"header":"Nope","field":"email"}]}`}, file); rec.Code != 422 ||
			!strings.Contains(rec.Body.String(), `"columns.Nope"`) {
			t.Fatalf("bad template: %d %s", rec.Code, rec.Body.String())
		}
		mem := newWorkspace(t, db, "Members", crm.RoleMember)
		_, memKey := newKey(t, db, mem, account.NewAPIKey{Name: "m"})
		send(t, mux, memKey, step{name: "member export", method: "GET", path: "/api/v1/contacts/export", status: 403})
		send(t, mux, memKey, step{name: "member company export", method: "GET", path: "/api/v1/companies/export", status: 403})
		send(t, mux, memKey, step{name: "member deal export", method: "GET", path: "/api/v1/deals/export", status: 403})
		if len(q.jobs) != 1 {
			t.Fatalf("rejected uploads enqueued jobs: %d", len(q.jobs))
		}

		// A saved template, used by id.
		_, saved := send(t, mux, key, step{name: "save template", method: "POST", path: "/api/v1/import-templates", status: 201,
			body: `{"name":"Semicolons","template":{"kind":"contacts","columns":[{"header":"E-mail Address","field":"email"}],"dedupe":{"policy":"create","match":"email"}}}`,
			has:  []string{`"name":"Semicolons"`, `"policy":"create"`}})
		send(t, mux, key, step{name: "list templates", method: "GET", path: "/api/v1/import-templates?kind=contacts", status: 200, has: []string{`"Semicolons"`}})
		send(t, mux, otherKey, step{name: "other workspace templates", method: "GET", path: "/api/v1/import-templates", status: 200, hasNot: []string{`"Semicolons"`}})
		if rec := upload(t, mux, key, map[string]string{"template_id": saved["id"].(string)}, file); rec.Code != 202 ||
			!strings.Contains(rec.Body.String(), `"policy":"create"`) || strings.Contains(rec.Body.String(), `"field":"first_name"`) {
			t.Fatalf("upload with template_id: %d %s", rec.Code, rec.Body.String())
		}
		if rec := upload(t, mux, key, map[string]string{"template_id": "123"}, file); rec.Code != 422 || !strings.Contains(rec.Body.String(), `"template_id"`) {
			t.Fatalf("unknown template_id: %d %s", rec.Code, rec.Body.String())
		}
		send(t, mux, key, step{name: "delete template", method: "DELETE", path: "/api/v1/import-templates/" + saved["id"].(string), status: 204})
	})
}

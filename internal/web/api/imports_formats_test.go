package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/riverqueue/river"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/importer"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
	"github.com/tandemcrm/tandem/internal/web/api"
)

// TestImportsAPIFormats: a vCard is told by its content; deals import with
// a new custom field from an unmapped column; a sheet on a CSV is refused.
func TestImportsAPIFormats(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		mux := http.NewServeMux()
		q := &queue{}
		api.New(mux, api.Deps{DB: db, Queue: q, ImportDir: t.TempDir()})
		p := newWorkspace(t, db, "Acme", crm.RoleAdmin)
		_, key := newKey(t, db, p, account.NewAPIKey{Name: "t"})
		run := func(fields map[string]string, file, want string) {
			t.Helper()
			rec := upload(t, mux, key, fields, file)
			if rec.Code != http.StatusAccepted {
				t.Fatalf("upload: %d %s", rec.Code, rec.Body.String())
			}
			var body map[string]any
			_ = json.Unmarshal(rec.Body.Bytes(), &body)
			job := q.jobs[len(q.jobs)-1]
			if err := (&importer.Worker{DB: db}).Work(ctx, &river.Job[importer.JobArgs]{Args: job}); err != nil {
				t.Fatal(err)
			}
			send(t, mux, key, step{name: "get", method: "GET", path: "/api/v1/imports/" + body["id"].(string), status: 200,
				has: []string{`"status":"done"`, want}})
		}
		run(nil, "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\nEMAIL:ada@example.com\r\nEND:VCARD\r\n",
			`"format":"vcard","progress"`)
		run(map[string]string{"kind": "deals", "new_fields": "Region"}, "Deal Name,Amount,Region\nBig,10,EMEA\n",
			`"summary":"created=1 updated=0 skipped=0 errors=0"`)
		var region string
		err := db.Read(ctx, func(tx *store.Tx) error {
			return tx.QueryRow(`SELECT f.label FROM fields f WHERE f.workspace_id = ? AND f.object = 'deal' AND f.key = 'region'`, p.WorkspaceID).Scan(&region)
		})
		if err != nil || region != "Region" {
			t.Fatalf("new field: %q %v", region, err)
		}
		if rec := upload(t, mux, key, map[string]string{"sheet": "2"}, "a,b\n1,2\n"); rec.Code != http.StatusUnprocessableEntity {
			t.Fatalf("sheet of a CSV: %d %s", rec.Code, rec.Body.String())
		}
	})
}

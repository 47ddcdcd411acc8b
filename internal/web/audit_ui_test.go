package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/audit"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
	"github.com/tandemcrm/tandem/internal/web"
)

// Who viewed, exported, changed or deleted personal data, through the real
// router: record pages and API GETs are logged (coalesced), changes are
// logged from the event stream by field name, list exports are logged, and
// admins search and export the log in the UI and the API; the chain verifies.
func TestAuditOfPersonalData(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		srv := web.NewServer(web.Deps{DB: db, Jobs: fakeJobs{}})
		tn := makeTenant(t, db, "Audy")
		company, contact := tn.ids[0], tn.ids[1]
		ws := tn.p.WorkspaceID
		call := func(method, path, body string, api bool) *httptest.ResponseRecorder {
			t.Helper()
			req := httptest.NewRequest(method, path, strings.NewReader(body))
			req.RemoteAddr = "192.0.2.55:4000"
			req.Header.Set("User-Agent", "audit-test/1")
			if api {
				req.Header.Set("Authorization", "Bearer "+tn.key)
				req.Header.Set("Content-Type", "application/json")
			} else {
				req.AddCookie(&http.Cookie{Name: account.SessionCookie, Value: tn.session})
			}
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, req)
			return rec
		}
		entries := func(f audit.Filter) []audit.Entry {
			t.Helper()
			if err := srv.FlushAudit(ctx); err != nil {
				t.Fatal(err)
			}
			var out []audit.Entry
			if err := db.Read(ctx, func(tx *store.Tx) (err error) { out, _, err = audit.List(tx, ws, f, 500, 0); return err }); err != nil {
				t.Fatal(err)
			}
			return out
		}

		// Views: two page loads and one API read of the contact, one company page.
		for _, path := range []string{"/contacts/" + contact.String(), "/contacts/" + contact.String(), "/companies/" + company.String()} {
			if rec := call("GET", path, "", false); rec.Code != 200 {
				t.Fatalf("GET %s: %d", path, rec.Code)
			}
		}
		if rec := call("GET", "/api/v1/contacts/"+contact.String(), "", true); rec.Code != 200 {
			t.Fatalf("API get: %d %s", rec.Code, rec.Body)
		}
		views := entries(audit.Filter{Action: audit.RecordViewed, ObjectID: contact})
		if len(views) != 2 {
			t.Fatalf("views of the contact = %d; want 2 (the page twice coalesced, the API key once)", len(views))
		}
		if v := views[1]; v.Actor.Type != "user" || v.Actor.ID != tn.p.UserID || v.IP != "192.0.2.0" || v.UserAgent != "audit-test/1" {
			t.Errorf("page view entry = %+v", v)
		}
		if views[0].Actor.Type != "apikey" {
			t.Errorf("API view actor = %+v", views[0].Actor)
		}
		if len(entries(audit.Filter{Action: audit.RecordViewed, ObjectType: "company", ObjectID: company})) != 1 {
			t.Error("the company page view was not logged")
		}
		// A missing record is not a view.
		if rec := call("GET", "/contacts/12345", "", false); rec.Code != 404 {
			t.Fatalf("missing contact: %d", rec.Code)
		}
		if len(entries(audit.Filter{Action: audit.RecordViewed, ObjectID: 12345})) != 0 {
			t.Error("a 404 was logged as a view")
		}

		// Changes: field names, never values.
		if rec := call("PATCH", "/api/v1/contacts/"+contact.String(), `{"last_name":"Zebedee"}`, true); rec.Code != 200 {
			t.Fatalf("patch: %d %s", rec.Code, rec.Body)
		}
		upd := entries(audit.Filter{Action: audit.RecordUpdated, ObjectType: "contact", ObjectID: contact})
		if len(upd) != 1 || upd[0].Actor.Type != "apikey" {
			t.Fatalf("update entries = %+v", upd)
		}
		if b, _ := json.Marshal(upd[0].Details); !strings.Contains(string(b), `"last_name"`) || strings.Contains(string(b), "Zebedee") {
			t.Errorf("update details = %s; want the field name only", b)
		}
		if rec := call("DELETE", "/api/v1/companies/"+company.String(), "", true); rec.Code != 204 {
			t.Fatalf("delete company: %d %s", rec.Code, rec.Body)
		}
		if len(entries(audit.Filter{Action: audit.RecordDeleted, ObjectType: "company", ObjectID: company})) != 1 {
			t.Error("the deletion was not logged")
		}

		// List exports, UI and API.
		if rec := call("GET", "/contacts/export?format=csv", "", false); rec.Code != 200 {
			t.Fatalf("UI export: %d", rec.Code)
		}
		if rec := call("GET", "/api/v1/contacts/export?format=vcf", "", true); rec.Code != 200 {
			t.Fatalf("API export: %d", rec.Code)
		}
		exp := entries(audit.Filter{Action: audit.DataExported, ObjectType: "contact"})
		if len(exp) != 2 || exp[0].Details["format"] != "vcf" || exp[1].Details["format"] != "csv" || exp[1].Details["rows"] != float64(1) {
			t.Errorf("export entries = %+v", exp)
		}

		// Admins search in the UI (by record id, by actor) and the API.
		page := call("GET", "/settings/audit?object_id="+contact.String()+"&actor="+tn.p.UserID.String(), "", false)
		if page.Code != 200 || !strings.Contains(page.Body.String(), "<td>record.viewed</td>") || strings.Contains(page.Body.String(), "<td>record.updated</td>") {
			t.Fatalf("audit page: %d (the API key's update must not match the user filter)", page.Code)
		}
		rec := call("GET", "/api/v1/audit?object_id="+contact.String()+"&action=record.updated", "", true)
		var raw struct {
			Data []map[string]any `json:"data"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &raw); rec.Code != 200 || err != nil || len(raw.Data) != 1 ||
			raw.Data[0]["action"] != "record.updated" || raw.Data[0]["object_id"] != contact.String() {
			t.Fatalf("API search: %d %s", rec.Code, rec.Body)
		}
		if rec := call("GET", "/api/v1/audit?since=yesterday", "", true); rec.Code != 422 || !strings.Contains(rec.Body.String(), "since") {
			t.Errorf("bad since: %d %s", rec.Code, rec.Body)
		}
		csv := call("GET", "/api/v1/audit/export?action=data.exported", "", true)
		if csv.Code != 200 || !strings.HasPrefix(csv.Body.String(), "seq,at,actor_type") || strings.Count(csv.Body.String(), "data.exported") != 2 {
			t.Fatalf("API csv: %d %q", csv.Code, csv.Body)
		}
		if len(entries(audit.Filter{Action: "audit.exported"})) != 1 {
			t.Error("the API export of the log was not logged")
		}

		// Members may not read the log.
		var memberKey string
		if err := db.Write(ctx, func(tx *store.Tx) (err error) {
			m := tn.p
			m.Role = crm.RoleMember
			_, memberKey, err = account.CreateAPIKey(tx, m, account.NewAPIKey{Name: "member"})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		req := httptest.NewRequest("GET", "/api/v1/audit", nil)
		req.Header.Set("Authorization", "Bearer "+memberKey)
		mrec := httptest.NewRecorder()
		srv.ServeHTTP(mrec, req)
		if mrec.Code != 403 {
			t.Errorf("member reads the log: %d", mrec.Code)
		}

		if err := db.Read(ctx, func(tx *store.Tx) error {
			n, bad, err := audit.Verify(tx, ws)
			if err != nil || bad != 0 || n < 8 {
				t.Errorf("Verify = %d, %d, %v", n, bad, err)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	})
}

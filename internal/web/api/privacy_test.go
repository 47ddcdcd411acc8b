package api_test

import (
	"archive/zip"
	"bytes"
	"net/http"
	"testing"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/privacy"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
	"github.com/tandemcrm/tandem/internal/web/api"
)

func TestPrivacyAPI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		mux := http.NewServeMux()
		api.New(mux, api.Deps{DB: db, Version: "test", Privacy: privacy.Service{Registry: privacy.Default(), FilesDir: t.TempDir(),
			Mail: privacy.SysMailer(nil), BaseURL: "http://t"}})
		owner := newWorkspace(t, db, "Priv", crm.RoleOwner)
		_, key := newKey(t, db, owner, account.NewAPIKey{Name: "k"})
		other := newWorkspace(t, db, "Other", crm.RoleOwner)
		_, otherKey := newKey(t, db, other, account.NewAPIKey{Name: "k"})
		_, memberKey := newKey(t, db, owner, account.NewAPIKey{Name: "m", Role: crm.RoleMember})

		_, c := send(t, mux, key, step{method: "POST", path: "/api/v1/contacts", body: `{"first_name":"Pia","last_name":"Person","email":"pia@example.com"}`, status: 201})
		id, _ := c["id"].(string)
		if id == "" {
			t.Fatalf("create: %v", c)
		}
		base := "/api/v1/contacts/" + id
		for _, s := range []step{
			{name: "other workspace cannot export", method: "GET", path: base + "/export", status: 404},
			{name: "member cannot preview erasure", method: "GET", path: base + "/erase", status: 403},
			{name: "preview", method: "GET", path: base + "/erase", status: 200, has: []string{`"kind":"contacts","title":"Person records","rows":1`, `"kind":"events"`}},
			{name: "hold", method: "PUT", path: base + "/legal-hold", body: `{"reason":"Pending lawsuit"}`, status: 204},
			{name: "erase refused under hold", method: "POST", path: base + "/erase", status: 409, has: []string{"Pending lawsuit", `"code":"conflict"`}},
			{name: "lift", method: "PUT", path: base + "/legal-hold", body: `{"reason":""}`, status: 204},
		} {
			k := key
			switch s.name {
			case "other workspace cannot export":
				k = otherKey
			case "member cannot preview erasure":
				k = memberKey
			}
			rec, _ := send(t, mux, k, s)
			checkStep(t, s, rec.Code, rec.Body.String())
		}
		// The export is a zip with the README and the person's record.
		rec, _ := send(t, mux, key, step{method: "POST", path: base + "/export", status: 200})
		if rec.Code != 200 || rec.Header().Get("Content-Type") != "application/zip" {
			t.Fatalf("export: %d %s", rec.Code, rec.Header())
		}
		zr, err := zip.NewReader(bytes.NewReader(rec.Body.Bytes()), int64(rec.Body.Len()))
		if err != nil {
			t.Fatal(err)
		}
		if len(zr.File) < 3 {
			t.Fatalf("bundle has %d files", len(zr.File))
		}
		for _, s := range []step{
			{name: "erase", method: "POST", path: base + "/erase", status: 200, has: []string{`"kind":"contacts","title":"Person records","rows":1`}},
			{name: "gone", method: "GET", path: base, status: 404},
			{name: "erase again", method: "POST", path: base + "/erase", status: 404},
			// The register.
			{name: "request invalid", method: "POST", path: "/api/v1/privacy-requests", body: `{"type":"access","email":"not an address"}`, status: 422, has: []string{`"email"`}},
			{name: "request", method: "POST", path: "/api/v1/privacy-requests", body: `{"type":"access","regime":"ccpa","email":"q@example.com","agent_name":"Agent A"}`, status: 201, has: []string{`"status":"received"`, `"regime":"ccpa"`}},
			{name: "list", method: "GET", path: "/api/v1/privacy-requests", status: 200, has: []string{"q@example.com"}},
			{name: "overdue empty", method: "GET", path: "/api/v1/privacy-requests?overdue=true", status: 200, has: []string{`"data":[]`}},
			{name: "retention dry run", method: "GET", path: "/api/v1/privacy/retention", status: 200, has: []string{`"kind":"audit_log"`, `"default_days":730`}},
			{name: "retention set", method: "PUT", path: "/api/v1/privacy/retention/outbox", body: `{"days":30}`, status: 200, has: []string{`"kind":"outbox","title":"System email"`, `"days":30`}},
			{name: "inventory", method: "GET", path: "/api/v1/privacy/inventory", status: 200, has: []string{`"kind":"notes"`, `"about":"staff"`}},
		} {
			rec, _ := send(t, mux, key, s)
			checkStep(t, s, rec.Code, rec.Body.String())
		}
		_, list := send(t, mux, key, step{method: "GET", path: "/api/v1/privacy-requests", status: 200})
		rid := list["data"].([]any)[0].(map[string]any)["id"].(string)
		rp := "/api/v1/privacy-requests/" + rid
		for _, s := range []step{
			{name: "other workspace", method: "GET", path: rp, status: 404},
			{name: "download before verification", method: "GET", path: rp + "/download", status: 409},
			{name: "verify by evidence", method: "POST", path: rp + "/verify", body: `{"evidence":"Called back on the number we hold."}`, status: 200, has: []string{`"status":"verified"`, `"verify_method":"evidence"`}},
			{name: "download", method: "GET", path: rp + "/download", status: 200},
			{name: "fulfil", method: "POST", path: rp + "/fulfil", body: `{"text":"Sent the bundle."}`, status: 200, has: []string{`"status":"fulfilled"`}},
			{name: "fulfil twice", method: "POST", path: rp + "/fulfil", status: 409},
		} {
			k := key
			if s.name == "other workspace" {
				k = otherKey
			}
			rec, _ := send(t, mux, k, s)
			checkStep(t, s, rec.Code, rec.Body.String())
		}
	})
}

func checkStep(t *testing.T, s step, code int, body string) {
	t.Helper()
	if code != s.status {
		t.Errorf("%s: status %d, want %d: %s", s.name, code, s.status, body)
		return
	}
	for _, h := range s.has {
		if !bytes.Contains([]byte(body), []byte(h)) {
			t.Errorf("%s: body lacks %s: %s", s.name, h, body)
		}
	}
}

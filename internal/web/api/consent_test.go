package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/consent"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/secrets"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
	"github.com/tandemcrm/tandem/internal/web/api"
)

func consentKey(t *testing.T) {
	k, err := secrets.ParseKey(strings.Repeat("c", 40))
	if err != nil {
		t.Fatal(err)
	}
	consent.SetKey(k) // the first key set in a process stays
}

func TestConsentAPI(t *testing.T) {
	consentKey(t)
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		mux := http.NewServeMux()
		api.New(mux, api.Deps{DB: db})
		admin := newWorkspace(t, db, "Consent Co", crm.RoleAdmin)
		_, key := newKey(t, db, admin, account.NewAPIKey{Name: "t"})
		ro := admin
		err := db.Write(context.Background(), func(tx *store.Tx) error {
			u, err := account.CreateUser(tx, account.NewUser{Email: "ro@example.com", Name: "RO", Password: "a long enough phrase"})
			if err != nil {
				return err
			}
			ro.UserID, ro.Role = u.ID, crm.RoleReadOnly
			return account.AddMember(tx, admin.WorkspaceID, u.ID, crm.RoleReadOnly, crm.System)
		})
		if err != nil {
			t.Fatal(err)
		}
		_, roKey := newKey(t, db, ro, account.NewAPIKey{Name: "ro"})
		other := newWorkspace(t, db, "Elsewhere", crm.RoleAdmin)
		_, otherKey := newKey(t, db, other, account.NewAPIKey{Name: "t"})

		_, c := send(t, mux, key, step{name: "contact", method: "POST", path: "/api/v1/contacts", status: 201,
			body: `{"first_name":"Nia","email":"nia@example.com"}`})
		cid := c["id"].(string)
		for _, s := range []step{
			{name: "record", method: "POST", path: "/api/v1/consents", status: 201,
				body: `{"contact_id":"` + cid + `","purpose":"marketing_email","status":"granted","ip":"198.51.100.23","notice_version":"v3"}`,
				has:  []string{`"ip":"198.51.100.0"`, `"source":"api"`, `"basis":"consent"`, `"notice_version":"v3"`}, hasNot: []string{"198.51.100.23"}},
			{name: "bad purpose", method: "POST", path: "/api/v1/consents", status: 422,
				body: `{"contact_id":"` + cid + `","purpose":"astrology","status":"granted"}`, has: []string{`"purpose"`}},
			{name: "bad status", method: "POST", path: "/api/v1/consents", status: 422,
				body: `{"contact_id":"` + cid + `","purpose":"sms","status":"perhaps"}`, has: []string{`"status"`}},
			{name: "list", method: "GET", path: "/api/v1/consents?contact_id=" + cid, status: 200,
				has: []string{`"purpose":"marketing_email","label":"Marketing email","requires_consent":true,"status":"granted"`, `"purpose":"sms"`}},
			{name: "check allowed", method: "POST", path: "/api/v1/consents/check", status: 200,
				body: `{"channel":"email","address":"NIA@example.com","purpose":"marketing_email"}`, has: []string{`"allowed":true`}},
			{name: "read-only cannot record", method: "POST", path: "/api/v1/consents", status: 403,
				body: `{"contact_id":"` + cid + `","purpose":"sms","status":"granted"}`},
			{name: "suppress", method: "POST", path: "/api/v1/suppressions", status: 201,
				body: `{"kind":"email","value":" Nia@Example.com","reason":"unsubscribed"}`,
				has:  []string{`"kind":"email"`, `"reason":"unsubscribed"`}, hasNot: []string{"nia@", "Nia@"}},
			{name: "suppress again", method: "POST", path: "/api/v1/suppressions", status: 201,
				body: `{"kind":"email","value":"nia@example.com","reason":"manual"}`, has: []string{`"reason":"unsubscribed"`}},
			{name: "suppress domain", method: "POST", path: "/api/v1/suppressions", status: 201,
				body: `{"kind":"domain","value":"spam.example"}`, has: []string{`"reason":"manual"`}},
			{name: "suppress nonsense", method: "POST", path: "/api/v1/suppressions", status: 422,
				body: `{"kind":"email","value":"not an email"}`, has: []string{`"value"`}},
			{name: "check suppressed", method: "POST", path: "/api/v1/consents/check", status: 200,
				body: `{"channel":"email","address":"nia@example.com","purpose":"marketing_email"}`, has: []string{`"allowed":false`, "suppression list"}},
			{name: "list suppressions", method: "GET", path: "/api/v1/suppressions", status: 200,
				has: []string{`"kind":"domain"`, `"kind":"email"`}, hasNot: []string{"nia", "spam.example", "next_before"}},
			{name: "list one kind, paged", method: "GET", path: "/api/v1/suppressions?limit=1", status: 200,
				has: []string{`"kind":"domain"`, `"next_before"`}, hasNot: []string{`"kind":"email"`}},
			{name: "list emails only", method: "GET", path: "/api/v1/suppressions?kind=email", status: 200,
				has: []string{`"kind":"email"`}, hasNot: []string{`"kind":"domain"`}},
			{name: "list an unknown kind", method: "GET", path: "/api/v1/suppressions?kind=fax", status: 422, has: []string{"kind"}},
			{name: "other workspace sees nothing", method: "GET", path: "/api/v1/suppressions", status: 200, has: []string{`"data":[]`}},
			{name: "other workspace: contact not found", method: "GET", path: "/api/v1/consents?contact_id=" + cid, status: 404},
			{name: "create with suppressed email refused", method: "POST", path: "/api/v1/contacts", status: 422,
				body: `{"first_name":"Again","email":"nia@example.com"}`, has: []string{"is suppressed (unsubscribed)", `"emails.0"`}},
			{name: "read-only cannot lift", method: "POST", path: "/api/v1/suppressions/remove", status: 403,
				body: `{"kind":"email","value":"nia@example.com"}`},
			{name: "lift", method: "POST", path: "/api/v1/suppressions/remove", status: 204,
				body: `{"kind":"email","value":"nia@example.com"}`},
			{name: "lift again", method: "POST", path: "/api/v1/suppressions/remove", status: 404,
				body: `{"kind":"email","value":"nia@example.com"}`},
			{name: "create after lifting", method: "POST", path: "/api/v1/contacts", status: 201,
				body: `{"first_name":"Again","email":"nia@example.com"}`},
		} {
			k := key
			switch {
			case strings.HasPrefix(s.name, "read-only"):
				k = roKey
			case strings.HasPrefix(s.name, "other workspace"):
				k = otherKey
			}
			if strings.Contains(s.name, "problem") || strings.Contains(s.name, "refused") {
				rec, _ := send(t, mux, k, step{name: s.name, method: s.method, path: s.path, body: s.body, status: s.status})
				if ct := rec.Header().Get("Content-Type"); ct != "application/problem+json" {
					t.Errorf("%s: content type %q", s.name, ct)
				}
				body := rec.Body.String()
				for _, h := range s.has[:2] {
					if !strings.Contains(body, h) {
						t.Errorf("%s: body lacks %q: %s", s.name, h, body)
					}
				}
				continue
			}
			send(t, mux, k, s)
		}
	})
}

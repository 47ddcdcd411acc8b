package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
	"github.com/tandemcrm/tandem/internal/web"
)

// TestRoleMatrix checks, for every role, every kind of action through the
// API and the UI: allowed (2xx/3xx) or refused (403).
func TestRoleMatrix(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		srv := web.NewServer(web.Deps{DB: db, Jobs: fakeJobs{}})
		type actor struct{ session, key string }
		actors := map[crm.Role]actor{}
		var target crm.ID // a member whose role the matrix tries to change
		var contact crm.ID
		err := db.Write(context.Background(), func(tx *store.Tx) error {
			ws, err := account.CreateWorkspace(tx, "Matrix", crm.System)
			if err != nil {
				return err
			}
			for _, role := range append(append([]crm.Role{}, crm.Roles...), "target") {
				r := role
				if role == "target" {
					r = crm.RoleMember
				}
				u, err := account.CreateUser(tx, account.NewUser{Email: string(role) + "@matrix.test", Name: string(role), Password: "a long enough phrase"})
				if err != nil {
					return err
				}
				if err := account.AddMember(tx, ws.ID, u.ID, r, crm.System); err != nil {
					return err
				}
				if role == "target" {
					target = u.ID
					continue
				}
				p := crm.Principal{UserID: u.ID, WorkspaceID: ws.ID, Role: r, Name: string(role), Workspace: ws.Name}
				s, err := account.CreateSession(tx, u.ID, ws.ID, "", "")
				if err != nil {
					return err
				}
				_, k, err := account.CreateAPIKey(tx, p, account.NewAPIKey{Name: "matrix"})
				if err != nil {
					return err
				}
				actors[role] = actor{s, k}
				if role == crm.RoleOwner {
					c, err := records.CreateContact(tx, p, records.NewContact{FirstName: "Target"})
					if err != nil {
						return err
					}
					contact = c.ID
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		type action struct {
			name, method, path, body string
			api                      bool
			allowed                  []crm.Role
		}
		all := crm.Roles
		writers := []crm.Role{crm.RoleOwner, crm.RoleAdmin, crm.RoleManager, crm.RoleMember}
		admins := []crm.Role{crm.RoleOwner, crm.RoleAdmin}
		actions := []action{
			{"API: list contacts", "GET", "/api/v1/contacts", "", true, all},
			{"API: create contact", "POST", "/api/v1/contacts", `{"first_name":"N"}`, true, writers},
			{"API: update contact", "PATCH", "/api/v1/contacts/" + contact.String(), `{"title":"T"}`, true, writers},
			{"API: define field", "POST", "/api/v1/fields", `{"object":"company","label":"L%s","type":"text"}`, true, admins},
			{"UI: list companies", "GET", "/companies", "", false, all},
			{"UI: add company", "POST", "/companies", "name=Co", false, writers},
			{"UI: invite", "POST", "/settings/invitations", "email=new-%s@matrix.test&role=readonly", false,
				[]crm.Role{crm.RoleOwner, crm.RoleAdmin, crm.RoleManager}},
			{"UI: change a role", "POST", "/settings/members/" + target.String() + "/role", "role=readonly", false, admins},
			{"UI: read outbox", "GET", "/settings/outbox", "", false, []crm.Role{crm.RoleOwner}},
			{"UI: require 2FA", "POST", "/settings/2fa/require", "on=false", false, []crm.Role{crm.RoleOwner}},
		}
		for _, a := range actions {
			for _, role := range crm.Roles {
				body := a.body
				if strings.Contains(body, "%s") {
					body = fmt.Sprintf(body, role)
				}
				req := httptest.NewRequest(a.method, a.path, strings.NewReader(body))
				if a.api {
					req.Header.Set("Authorization", "Bearer "+actors[role].key)
					req.Header.Set("Content-Type", "application/json")
				} else {
					req.AddCookie(&http.Cookie{Name: account.SessionCookie, Value: actors[role].session})
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				}
				rec := httptest.NewRecorder()
				srv.ServeHTTP(rec, req)
				want := false
				for _, r := range a.allowed {
					want = want || r == role
				}
				got := rec.Code < 400
				signedOut := rec.Code == http.StatusSeeOther && strings.HasPrefix(rec.Header().Get("Location"), "/login")
				if got != want || signedOut || (!want && rec.Code != http.StatusForbidden) {
					t.Errorf("%s as %s: %d (allowed=%v)\n%.300s", a.name, role, rec.Code, want, rec.Body.String())
				}
			}
		}
	})
}

package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
	"github.com/tandemcrm/tandem/internal/web"
)

// tenant is one workspace of the isolation suite, with a browser session,
// an API key and the ids of its records.
type tenant struct {
	p       crm.Principal
	session string
	key     string
	ids     []crm.ID
	marker  string
}

func makeTenant(t *testing.T, db *store.DB, marker string) tenant {
	t.Helper()
	tn := tenant{marker: marker}
	err := db.Write(context.Background(), func(tx *store.Tx) error {
		ws, err := account.CreateWorkspace(tx, marker+" Inc", crm.System)
		if err != nil {
			return err
		}
		u, err := account.CreateUser(tx, account.NewUser{Email: strings.ToLower(marker) + "@example.com", Name: marker, Password: "a long enough phrase"})
		if err != nil {
			return err
		}
		if err := account.AddMember(tx, ws.ID, u.ID, crm.RoleOwner, crm.System); err != nil {
			return err
		}
		tn.p = crm.Principal{UserID: u.ID, WorkspaceID: ws.ID, Role: crm.RoleOwner, Name: marker, Workspace: ws.Name}
		if tn.session, err = account.CreateSession(tx, u.ID, ws.ID, "127.0.0.1", "test"); err != nil {
			return err
		}
		if _, tn.key, err = account.CreateAPIKey(tx, tn.p, account.NewAPIKey{Name: "isolation"}); err != nil {
			return err
		}
		// Identical data in both workspaces, told apart only by the marker.
		co, err := records.CreateCompany(tx, tn.p, records.NewCompany{Name: marker + " Widgets", Domain: strings.ToLower(marker) + ".example"})
		if err != nil {
			return err
		}
		ct, err := records.CreateContact(tx, tn.p, records.NewContact{FirstName: marker, LastName: "Person",
			Email: "person@" + strings.ToLower(marker) + ".example", CompanyID: co.ID})
		if err != nil {
			return err
		}
		tn.ids = append(tn.ids, co.ID, ct.ID, ws.ID, u.ID)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return tn
}

var wildcardRE = regexp.MustCompile(`\{[^}]+\}`)

// TestTenantIsolation walks every route the server registers (UI and API,
// taken from the router itself, so new routes are covered without editing
// this test). Acting as workspace A: any route with an id answers 404 for
// every id of workspace B, and no page or list shows B's data.
func TestTenantIsolation(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		srv := web.NewServer(web.Deps{DB: db, Jobs: fakeJobs{}})
		a, b := makeTenant(t, db, "ALPHA"), makeTenant(t, db, "BRAVO")
		routes := srv.Routes()
		if len(routes) < 10 {
			t.Fatalf("only %d routes enumerated: %v", len(routes), routes)
		}
		checked := 0
		for _, route := range routes {
			method, path, ok := strings.Cut(route, " ")
			if !ok { // a method-less catch-all such as "/"
				method, path = "GET", route
			}
			if strings.HasPrefix(path, "/assets/") || path == "/metrics" {
				continue
			}
			api := strings.HasPrefix(path, "/api/")
			if wildcardRE.MatchString(path) {
				for _, id := range b.ids {
					target := wildcardRE.ReplaceAllString(path, id.String())
					code, body := request(t, srv, a, method, target, api)
					if code != http.StatusNotFound {
						t.Errorf("%s %s as ALPHA: %d, want 404 for BRAVO's id", method, target, code)
					}
					if strings.Contains(body, b.marker) {
						t.Errorf("%s %s as ALPHA shows BRAVO's data", method, target)
					}
					checked++
				}
				continue
			}
			if method != "GET" {
				continue // creating in one's own workspace; covered by domain tests
			}
			target := strings.TrimSuffix(strings.Replace(path, "{$}", "", 1), "/")
			if target == "" {
				target = "/"
			}
			code, body := request(t, srv, a, method, target, api)
			if strings.Contains(body, b.marker) || strings.Contains(strings.ToLower(body), strings.ToLower(b.marker)+".example") {
				t.Errorf("GET %s as ALPHA (%d) shows BRAVO's data", target, code)
			}
			checked++
		}
		// The suite must see A's own data somewhere, or it proves nothing.
		if _, body := request(t, srv, a, "GET", "/companies", false); !strings.Contains(body, "ALPHA Widgets") {
			t.Fatal("ALPHA cannot see its own company; the isolation check would be vacuous")
		}
		if _, body := request(t, srv, a, "GET", "/contacts", false); !strings.Contains(body, "ALPHA Person") {
			t.Fatal("ALPHA cannot see its own contact")
		}
		if checked < 10 {
			t.Fatalf("only %d requests checked", checked)
		}
	})
}

// request sends one request as tenant tn: with its API key for the API,
// with its session cookie otherwise.
func request(t *testing.T, h http.Handler, tn tenant, method, target string, api bool) (int, string) {
	t.Helper()
	var body io.Reader
	contentType := "application/x-www-form-urlencoded"
	if method == "POST" || method == "PUT" || method == "PATCH" {
		body = strings.NewReader(url.Values{"name": {"x"}}.Encode())
		if api {
			body, contentType = strings.NewReader(`{}`), "application/json"
		}
	}
	req := httptest.NewRequest(method, target, body)
	if body != nil {
		req.Header.Set("Content-Type", contentType)
	}
	if api {
		req.Header.Set("Authorization", "Bearer "+tn.key)
	} else {
		req.AddCookie(&http.Cookie{Name: account.SessionCookie, Value: tn.session})
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code, rec.Body.String()
}

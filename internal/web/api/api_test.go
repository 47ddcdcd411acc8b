package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
	"github.com/tandemcrm/tandem/internal/web/api"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// newWorkspace creates a workspace with one user of role and returns the
// principal for that user.
func newWorkspace(t *testing.T, db *store.DB, name string, role crm.Role) crm.Principal {
	t.Helper()
	var p crm.Principal
	err := db.Write(context.Background(), func(tx *store.Tx) error {
		ws, err := account.CreateWorkspace(tx, name, crm.System)
		if err != nil {
			return err
		}
		u, err := account.CreateUser(tx, account.NewUser{Email: strings.ToLower(strings.ReplaceAll(name, " ", "")) + "@example.com",
			Name: name + " User", Password: "a long enough phrase"})
		if err != nil {
			return err
		}
		p = crm.Principal{UserID: u.ID, WorkspaceID: ws.ID, Role: role, Name: u.Name, Email: u.Email, Workspace: ws.Name}
		return account.AddMember(tx, ws.ID, u.ID, role, crm.System)
	})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func newKey(t *testing.T, db *store.DB, p crm.Principal, in account.NewAPIKey) (account.APIKey, string) {
	t.Helper()
	var k account.APIKey
	var secret string
	err := db.Write(context.Background(), func(tx *store.Tx) (err error) {
		k, secret, err = account.CreateAPIKey(tx, p, in)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return k, secret
}

func call(t *testing.T, h http.Handler, method, path, key string) (*httptest.ResponseRecorder, map[string]any) {
	t.Helper()
	req := httptest.NewRequest(method, path, nil)
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var body map[string]any
	_ = json.Unmarshal(rec.Body.Bytes(), &body)
	return rec, body
}

func TestAuthAndMe(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		mux := http.NewServeMux()
		api.New(mux, api.Deps{DB: db, Version: "test"})
		a := newWorkspace(t, db, "Alpha", crm.RoleMember)
		b := newWorkspace(t, db, "Beta", crm.RoleAdmin)
		_, keyA := newKey(t, db, a, account.NewAPIKey{Name: "zapier"})
		_, keyB := newKey(t, db, b, account.NewAPIKey{Name: "script", Role: crm.RoleReadOnly})

		for _, bad := range []string{"", "nonsense", "tdm_1_x", strings.Replace(keyA, "tdm_"+a.WorkspaceID.String(), "tdm_"+b.WorkspaceID.String(), 1)} {
			rec, body := call(t, mux, "GET", "/api/v1/me", bad)
			if rec.Code != 401 || rec.Header().Get("Content-Type") != "application/problem+json" || body["code"] != "unauthorized" {
				t.Fatalf("key %q: %d %s %v", bad, rec.Code, rec.Header().Get("Content-Type"), body)
			}
		}
		rec, body := call(t, mux, "GET", "/api/v1/me", keyA)
		if rec.Code != 200 {
			t.Fatalf("me: %d %s", rec.Code, rec.Body.String())
		}
		ws := body["workspace"].(map[string]any)
		if ws["id"] != a.WorkspaceID.String() || ws["name"] != "Alpha" || body["role"] != "member" {
			t.Fatalf("me = %v", body)
		}
		// The key's role caps the user's.
		_, body = call(t, mux, "GET", "/api/v1/me", keyB)
		if body["role"] != "readonly" {
			t.Fatalf("role = %v, want readonly", body["role"])
		}
		// Unknown API paths: 401 without a key, 404 problem with one.
		if rec, _ := call(t, mux, "GET", "/api/v1/nope", ""); rec.Code != 401 {
			t.Fatalf("unknown path without key: %d", rec.Code)
		}
		if rec, body := call(t, mux, "GET", "/api/v1/nope", keyA); rec.Code != 404 || body["code"] != "not_found" {
			t.Fatalf("unknown path with key: %d %v", rec.Code, body)
		}
	})
}

func TestKeyLifecycle(t *testing.T) {
	now := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	db := testdb.NewSQLite(t, testdb.Options{Clock: func() time.Time { return now }})
	mux := http.NewServeMux()
	api.New(mux, api.Deps{DB: db})
	p := newWorkspace(t, db, "Gamma", crm.RoleMember)
	ctx := context.Background()

	// A member cannot mint an admin key; expiry must be in the future.
	err := db.Write(ctx, func(tx *store.Tx) error {
		_, _, err := account.CreateAPIKey(tx, p, account.NewAPIKey{Name: "x", Role: crm.RoleAdmin, ExpiresAt: now.Add(-time.Hour)})
		return err
	})
	if f := crm.ErrorFields(err); f["role"] == "" || f["expires_at"] == "" {
		t.Fatalf("want role and expiry errors, got %v", err)
	}
	k, secret := newKey(t, db, p, account.NewAPIKey{Name: "cron", ExpiresAt: now.Add(time.Hour)})
	if rec, _ := call(t, mux, "GET", "/api/v1/me", secret); rec.Code != 200 {
		t.Fatalf("fresh key: %d", rec.Code)
	}
	var keys []account.APIKey
	if err := db.Read(ctx, func(tx *store.Tx) (err error) {
		keys, err = account.ListAPIKeys(tx, p.WorkspaceID, p.UserID)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if len(keys) != 1 || !keys[0].LastUsedAt.Equal(now) || strings.Contains(keys[0].Prefix, secret[len(secret)-20:]) {
		t.Fatalf("listed keys = %+v", keys)
	}
	// Expired.
	now = now.Add(2 * time.Hour)
	if rec, _ := call(t, mux, "GET", "/api/v1/me", secret); rec.Code != 401 {
		t.Fatalf("expired key: %d", rec.Code)
	}
	// Revoked.
	_, secret2 := newKey(t, db, p, account.NewAPIKey{Name: "other"})
	other := newWorkspace(t, db, "Delta", crm.RoleOwner)
	if err := db.Write(ctx, func(tx *store.Tx) error { return account.RevokeAPIKey(tx, other, k.ID) }); crm.ErrorCode(err) != crm.NotFound {
		t.Fatalf("revoking another workspace's key: %v", err)
	}
	var k2 crm.ID
	if err := db.Read(ctx, func(tx *store.Tx) error {
		ks, err := account.ListAPIKeys(tx, p.WorkspaceID, p.UserID)
		k2 = ks[0].ID
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if err := db.Write(ctx, func(tx *store.Tx) error { return account.RevokeAPIKey(tx, p, k2) }); err != nil {
		t.Fatal(err)
	}
	if rec, _ := call(t, mux, "GET", "/api/v1/me", secret2); rec.Code != 401 {
		t.Fatalf("revoked key: %d", rec.Code)
	}
}

func TestOpenAPIDocument(t *testing.T) {
	db := testdb.New(t)
	mux := http.NewServeMux()
	a := api.New(mux, api.Deps{DB: db, Version: "1.2.3"})
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest("GET", "/api/v1/openapi.json", nil))
	var doc map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil || rec.Code != 200 {
		t.Fatalf("openapi.json: %d %v", rec.Code, err)
	}
	if doc["openapi"] != "3.1.0" {
		t.Fatalf("openapi version %v", doc["openapi"])
	}
	if _, ok := doc["paths"].(map[string]any)["/me"]; !ok {
		t.Fatalf("paths: %v", doc["paths"])
	}
	if a.OpenAPI().Components.Schemas.Map()["Me"] == nil {
		t.Fatal("Me schema missing")
	}
	if strings.Contains(rec.Body.String(), `"id":{"format":"int64"`) {
		t.Fatal("ids documented as integers")
	}
}

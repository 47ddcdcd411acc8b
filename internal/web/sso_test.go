package web_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/config"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
	"github.com/tandemcrm/tandem/internal/web"
)

// fakeIdP is a minimal OpenID Connect provider: discovery, keys, an
// authorisation endpoint that signs in whoever the test says, and a token
// endpoint that returns a signed ID token.
type fakeIdP struct {
	*httptest.Server
	key      *rsa.PrivateKey
	mu       sync.Mutex
	email    string
	verified bool
	nonces   map[string]string
}

func newFakeIdP(t *testing.T) *fakeIdP {
	key, _ := rsa.GenerateKey(rand.Reader, 2048)
	f := &fakeIdP{key: key, nonces: map[string]string{}}
	mux := http.NewServeMux()
	mux.HandleFunc("/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]any{"issuer": f.URL, "authorization_endpoint": f.URL + "/authorize",
			"token_endpoint": f.URL + "/token", "jwks_uri": f.URL + "/jwks", "id_token_signing_alg_values_supported": []string{"RS256"}})
	})
	mux.HandleFunc("/jwks", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}}})
	})
	mux.HandleFunc("/authorize", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		f.mu.Lock()
		f.nonces["code-1"] = q.Get("nonce")
		f.mu.Unlock()
		http.Redirect(w, r, q.Get("redirect_uri")+"?code=code-1&state="+url.QueryEscape(q.Get("state")), http.StatusFound)
	})
	mux.HandleFunc("/token", func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		f.mu.Lock()
		nonce := f.nonces[r.PostForm.Get("code")]
		email, verified := f.email, f.verified
		f.mu.Unlock()
		claims, _ := json.Marshal(map[string]any{"iss": f.URL, "sub": "user-1", "aud": "tandem-test", "nonce": nonce,
			"exp": time.Now().Add(time.Hour).Unix(), "iat": time.Now().Unix(), "email": email, "email_verified": verified, "name": "SSO User"})
		signer, _ := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key}, (&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", "k1"))
		obj, _ := signer.Sign(claims)
		raw, _ := obj.CompactSerialize()
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"access_token": "at", "token_type": "Bearer", "id_token": raw, "expires_in": 3600})
	})
	f.Server = httptest.NewServer(mux)
	t.Cleanup(f.Close)
	return f
}

func TestSingleSignOn(t *testing.T) {
	db := testdb.New(t)
	idp := newFakeIdP(t)
	cfg := config.Defaults()
	cfg.BaseURL = "http://tandem.test"
	cfg.OIDCIssuer, cfg.OIDCClientID, cfg.OIDCClientSecret, cfg.OIDCName = idp.URL, "tandem-test", "s3cret", "Acme SSO"
	srv := web.NewServer(web.Deps{DB: db, Jobs: fakeJobs{}, Config: cfg})
	db.Write(context.Background(), func(tx *store.Tx) error {
		ws, _ := account.CreateWorkspace(tx, "SSO Co", crm.System)
		u, err := account.CreateUser(tx, account.NewUser{Email: "sso@acme.test", Name: "Sso", Password: "a long enough phrase"})
		if err != nil {
			return err
		}
		return account.AddMember(tx, ws.ID, u.ID, crm.RoleMember, crm.System)
	})
	// signIn walks the whole redirect dance and returns the final answer.
	signIn := func(email string, verified bool) (*browser, *httptest.ResponseRecorder) {
		idp.mu.Lock()
		idp.email, idp.verified = email, verified
		idp.mu.Unlock()
		b := &browser{t: t, h: srv, cookies: map[string]*http.Cookie{}}
		if page := b.do("GET", "/login", nil).Body.String(); !strings.Contains(page, "Sign in with Acme SSO") {
			t.Fatal("login page lacks the SSO button")
		}
		rec := b.do("GET", "/login/sso", nil)
		if rec.Code != 302 || !strings.HasPrefix(rec.Header().Get("Location"), idp.URL+"/authorize") {
			t.Fatalf("start: %d %s", rec.Code, rec.Header().Get("Location"))
		}
		nc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := nc.Get(rec.Header().Get("Location"))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		back, _ := url.Parse(resp.Header.Get("Location"))
		return b, b.do("GET", back.RequestURI(), nil)
	}
	b, rec := signIn("SSO@acme.test", true)
	if rec.Code != 303 || rec.Header().Get("Location") != "/" || b.cookies[account.SessionCookie] == nil {
		t.Fatalf("verified SSO sign-in: %d %s", rec.Code, rec.Header().Get("Location"))
	}
	if _, rec := signIn("sso@acme.test", false); rec.Header().Get("Location") != "/login" {
		t.Fatalf("unverified email signed in: %d %s", rec.Code, rec.Header().Get("Location"))
	}
	if b, rec := signIn("stranger@acme.test", true); rec.Header().Get("Location") != "/login" || b.cookies[account.SessionCookie] != nil {
		t.Fatalf("unknown email signed in: %d", rec.Code)
	}
	// A callback that this browser did not start is refused.
	stray := &browser{t: t, h: srv, cookies: map[string]*http.Cookie{}}
	if rec := stray.do("GET", "/login/sso/callback?code=code-1&state=forged", nil); rec.Header().Get("Location") != "/login" || stray.cookies[account.SessionCookie] != nil {
		t.Fatalf("forged callback: %d", rec.Code)
	}
}

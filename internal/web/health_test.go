package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
	"github.com/tandemcrm/tandem/internal/web"
)

type fakeJobs struct{ err error }

func (f fakeJobs) Healthy() error { return f.err }

func get(t *testing.T, h http.Handler, path string) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
	return rec
}

func TestHealthReadyMetrics(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		srv := web.NewServer(web.Deps{DB: db, Version: "test", Jobs: fakeJobs{}})
		if rec := get(t, srv, "/healthz"); rec.Code != 200 || rec.Body.String() != "ok\n" {
			t.Fatalf("/healthz = %d %q", rec.Code, rec.Body.String())
		}
		rec := get(t, srv, "/readyz")
		var body struct {
			Ready  bool
			Checks map[string]string
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || rec.Code != 200 || !body.Ready {
			t.Fatalf("/readyz = %d %s", rec.Code, rec.Body.String())
		}
		if id := rec.Header().Get("X-Request-Id"); id == "" {
			t.Error("no X-Request-Id")
		}
		if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
			t.Errorf("CSP = %q", csp)
		}
		rec = get(t, srv, "/metrics")
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), `tandem_http_request_duration_seconds_count{method="GET",route="GET /readyz",status="200"} 1`) {
			t.Fatalf("/metrics does not count the readyz request:\n%.2000s", rec.Body.String())
		}
	})
}

func TestReadyzRefusesWhenNotReady(t *testing.T) {
	db := testdb.New(t)
	srv := web.NewServer(web.Deps{DB: db, Jobs: fakeJobs{err: errString("stopped")}})
	if rec := get(t, srv, "/readyz"); rec.Code != 503 || !strings.Contains(rec.Body.String(), `"jobs":"stopped"`) {
		t.Fatalf("jobs stopped: /readyz = %d %s", rec.Code, rec.Body.String())
	}
	// A database that is reachable but not migrated is not ready either.
	empty, err := store.Open(context.Background(), store.Options{URL: "sqlite:" + t.TempDir() + "/empty.db"})
	if err != nil {
		t.Fatal(err)
	}
	defer empty.Close()
	srv = web.NewServer(web.Deps{DB: empty, Jobs: fakeJobs{}})
	if rec := get(t, srv, "/readyz"); rec.Code != 503 || !strings.Contains(rec.Body.String(), "pending") {
		t.Fatalf("unmigrated: /readyz = %d %s", rec.Code, rec.Body.String())
	}
	db.Close()
	srv = web.NewServer(web.Deps{DB: db, Jobs: fakeJobs{}})
	if rec := get(t, srv, "/readyz"); rec.Code != 503 {
		t.Fatalf("closed database: /readyz = %d %s", rec.Code, rec.Body.String())
	}
}

type errString string

func (e errString) Error() string { return string(e) }

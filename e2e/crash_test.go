package e2e

import (
	"context"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tandemcrm/tandem/internal/ids"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

// TestCrashKeepsAcknowledgedWrites kills `tandem serve` with SIGKILL in the
// middle of a burst of writes, restarts it, and checks that every write the
// server acknowledged is there with its event — then does the same with a
// graceful SIGTERM, which must also exit 0. On SQLite and PostgreSQL.
func TestCrashKeepsAcknowledgedWrites(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		crashScenario(t, Options{})
	})
	t.Run("postgres", func(t *testing.T) {
		crashScenario(t, Options{Env: map[string]string{"DATABASE_URL": freshPostgres(t)}})
	})
}

func crashScenario(t *testing.T, o Options) {
	srv := StartServer(t, o)
	c := signedInClient(t, srv)
	acked := burst(t, c, srv.BaseURL, 400*time.Millisecond, srv.Kill)
	if len(acked) < 20 {
		t.Fatalf("only %d writes acknowledged before the kill; the burst did not run", len(acked))
	}
	srv = srv.Restart(t)
	checkAll(t, srv, acked)

	// Graceful shutdown in the middle of a burst: clean exit, nothing lost.
	var code int
	more := burst(t, signedInClient(t, srv), srv.BaseURL, 300*time.Millisecond, func() { code = srv.Stop() })
	if code != 0 {
		t.Fatalf("SIGTERM: exit code %d\n%s", code, srv.Output())
	}
	srv = srv.Restart(t)
	checkAll(t, srv, append(acked, more...))
}

// signedInClient sets the instance up on first use (or signs in) and
// returns an HTTP client with the session cookie that does not follow
// redirects, so a 303 is seen as the acknowledgement it is.
func signedInClient(t *testing.T, srv *Server) *http.Client {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	form := url.Values{"email": {"crash@example.com"}, "password": {"a long enough phrase"}}
	target := srv.BaseURL + "/login"
	if srv.SetupURL != "" {
		u, _ := url.Parse(srv.SetupURL)
		form.Set("token", u.Query().Get("token"))
		form.Set("workspace", "Crash Test")
		form.Set("name", "Crash Tester")
		target = srv.BaseURL + "/setup"
	}
	resp, err := c.PostForm(target, form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in at %s: %s", target, resp.Status)
	}
	return c
}

// burst creates companies from 8 goroutines, calls stop after d, and
// returns the names whose creation was acknowledged (303).
func burst(t *testing.T, c *http.Client, base string, d time.Duration, stop func()) []string {
	var mu sync.Mutex
	var acked []string
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	run := ids.Token(4)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; ctx.Err() == nil; i++ {
				name := fmt.Sprintf("crash-%s-%d-%d", run, g, i)
				resp, err := c.PostForm(base+"/companies", url.Values{"name": {name}})
				if err != nil {
					return // the server is gone
				}
				resp.Body.Close()
				if resp.StatusCode == http.StatusSeeOther {
					mu.Lock()
					acked = append(acked, name)
					mu.Unlock()
				}
			}
		}(g)
	}
	// At least d, and until 20 writes were acknowledged (a loaded machine
	// can take longer), so that the kill lands in the middle of a burst.
	time.Sleep(d)
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if n >= 20 {
			break
		}
	}
	stop()
	cancel()
	wg.Wait()
	return acked
}

// checkAll opens the database the server uses and finds every name, each
// with its "created" event.
func checkAll(t *testing.T, srv *Server, names []string) {
	t.Helper()
	dsn := srv.opts.Env["DATABASE_URL"]
	if dsn == "" {
		dsn = "sqlite:" + srv.opts.DataDir + "/tandem.db"
	}
	db, err := store.Open(context.Background(), store.Options{URL: dsn})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	found := map[string]bool{}
	err = db.Read(context.Background(), func(tx *store.Tx) error {
		rows, err := tx.Unscoped().Query(`SELECT c.name FROM companies c
			JOIN events e ON e.object_id = c.id AND e.object_type = 'company' AND e.action = 'created'`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var n string
			if err := rows.Scan(&n); err != nil {
				return err
			}
			found[n] = true
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	var missing []string
	for _, n := range names {
		if !found[n] {
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		t.Fatalf("%d of %d acknowledged writes lost after restart, e.g. %v", len(missing), len(names), missing[:min(5, len(missing))])
	}
	t.Logf("all %d acknowledged writes (with their events) survived", len(names))
}

// freshPostgres creates an empty database for a server to migrate, dropped
// when the test ends.
func freshPostgres(t *testing.T) string {
	base := testdb.PostgresURL(t)
	name := "tandem_e2e_" + strings.ToLower(strings.NewReplacer("-", "", "_", "").Replace(ids.Token(8)))
	admin := func(stmt string) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, base)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, stmt); err != nil {
			t.Fatal(err)
		}
	}
	admin("CREATE DATABASE " + name)
	t.Cleanup(func() { admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)") })
	u, _ := url.Parse(base)
	u.Path = "/" + name
	return u.String()
}

// TestTwoServersShareOneSQLiteFile runs two `tandem serve` processes on one
// data directory, writes through both at once, and finds every acknowledged
// write there afterwards.
func TestTwoServersShareOneSQLiteFile(t *testing.T) {
	dir := t.TempDir()
	a := StartServer(t, Options{DataDir: dir})
	ca := signedInClient(t, a)
	b := StartServer(t, Options{DataDir: dir})
	cb := signedInClient(t, b) // signs in: the session lives in the shared database
	var wg sync.WaitGroup
	var fromA, fromB []string
	wg.Add(2)
	go func() { defer wg.Done(); fromA = burst(t, ca, a.BaseURL, 400*time.Millisecond, func() {}) }()
	go func() { defer wg.Done(); fromB = burst(t, cb, b.BaseURL, 400*time.Millisecond, func() {}) }()
	wg.Wait()
	if len(fromA) == 0 || len(fromB) == 0 {
		t.Fatalf("acknowledged: %d via A, %d via B", len(fromA), len(fromB))
	}
	checkAll(t, a, append(fromA, fromB...))
}

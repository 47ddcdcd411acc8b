package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/activities"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/deals"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
	"github.com/tandemcrm/tandem/internal/web"
)

// benchServer is a server with a fresh SQLite workspace and its owner's
// session cookies.
func benchServer(b *testing.B) (*store.DB, http.Handler, []*http.Cookie, crm.Principal) {
	db := testdb.NewSQLite(b, testdb.Options{})
	h := web.NewServer(web.Deps{DB: db, Jobs: fakeJobs{}})
	ctx := context.Background()
	var token string
	if err := db.Write(ctx, func(tx *store.Tx) (err error) { token, err = account.NewSetupToken(tx); return err }); err != nil {
		b.Fatal(err)
	}
	form := url.Values{"token": {token}, "workspace": {"Acme"}, "name": {"Ann"}, "email": {"ann@acme.test"}, "password": {"a long enough phrase"}}
	req := httptest.NewRequest("POST", "/setup", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var cookies []*http.Cookie
	for _, c := range rec.Result().Cookies() {
		cookies = append(cookies, c)
	}
	var p crm.Principal
	err := db.Read(ctx, func(tx *store.Tx) error {
		return tx.Unscoped().QueryRow(`SELECT user_id, workspace_id FROM memberships`).Scan(&p.UserID, &p.WorkspaceID)
	})
	if err != nil {
		b.Fatal(err)
	}
	p.Role = crm.RoleOwner
	return db, h, cookies, p
}

// benchGet requests path as the signed-in owner until the benchmark ends,
// checking each answer holds want.
func benchGet(b *testing.B, h http.Handler, cookies []*http.Cookie, path, want string) {
	for b.Loop() {
		req := httptest.NewRequest("GET", path, nil)
		for _, c := range cookies {
			req.AddCookie(c)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), want) {
			b.Fatalf("%s: %d", path, rec.Code)
		}
	}
}

// BenchmarkBoardPage is the whole GET /pipeline — session, views, totals,
// the first 30 cards of five columns with their next activities, HTML —
// for a pipeline with 2,000 open deals, one open activity on every other
// deal (the budget: 50 ms server time on SQLite).
//
//	go test ./internal/web -run '^$' -bench BoardPage
func BenchmarkBoardPage(b *testing.B) {
	db, h, cookies, p := benchServer(b)
	ctx := context.Background()
	err := db.Write(ctx, func(tx *store.Tx) error {
		pl, err := deals.DefaultPipeline(tx, p.WorkspaceID)
		if err != nil {
			return err
		}
		kind, due := "call", time.Date(2031, 3, 4, 15, 0, 0, 0, time.UTC)
		for i := range 2000 {
			d, err := deals.CreateDeal(tx, p, deals.NewDeal{Title: fmt.Sprintf("Deal %d", i), Value: int64(i * 100),
				StageID: pl.Stages[i%5].ID})
			if err != nil {
				return err
			}
			if i%2 == 0 {
				title := "Follow up"
				if _, err := activities.Create(tx, p, activities.Input{Type: &kind, Title: &title, DueAt: &due, DealID: &d.ID}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	benchGet(b, h, cookies, "/pipeline", ">400<")
}

// BenchmarkMyDayPage is the whole GET /my-day of someone with 3,000 open
// activities: 50 overdue, 50 today, 50 upcoming shown, each with a contact
// (the budget: 20 ms p95 on SQLite).
//
//	go test ./internal/web -run '^$' -bench MyDayPage
func BenchmarkMyDayPage(b *testing.B) {
	db, h, cookies, p := benchServer(b)
	err := db.Write(context.Background(), func(tx *store.Tx) error {
		c, err := records.CreateContact(tx, p, records.NewContact{FirstName: "Ada", Email: "ada@example.com"})
		if err != nil {
			return err
		}
		kind := "call"
		for i := range 3000 {
			title, due := fmt.Sprintf("Call %d", i), tx.Now.Add(time.Duration(i-1000)*time.Hour/4)
			if _, err := activities.Create(tx, p, activities.Input{Type: &kind, Title: &title, DueAt: &due, ContactID: &c.ID}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	benchGet(b, h, cookies, "/my-day", "Ada")
}

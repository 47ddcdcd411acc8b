package deals_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/deals"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// each runs fn on SQLite and PostgreSQL with a clock the test moves.
func each(t *testing.T, fn func(t *testing.T, db *store.DB, c *clock)) {
	mk := func() *clock { return &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)} }
	t.Run("sqlite", func(t *testing.T) {
		c := mk()
		fn(t, testdb.NewSQLite(t, testdb.Options{Clock: c.now}), c)
	})
	t.Run("postgres", func(t *testing.T) {
		c := mk()
		fn(t, testdb.NewPostgres(t, testdb.Options{Clock: c.now}), c)
	})
}

// fixture is a workspace with one admin.
type fixture struct {
	t   testing.TB
	db  *store.DB
	p   crm.Principal
	pl  deals.Pipeline
	ctx context.Context
}

func newFixture(t testing.TB, db *store.DB, role crm.Role) *fixture {
	t.Helper()
	f := &fixture{t: t, db: db, ctx: context.Background()}
	f.write(func(tx *store.Tx) error {
		ws, err := account.CreateWorkspace(tx, "W", crm.System)
		if err != nil {
			return err
		}
		u, err := account.CreateUser(tx, account.NewUser{Email: fmt.Sprintf("u%d@example.com", ws.ID), Name: "Una", Password: "a long enough phrase"})
		if err != nil {
			return err
		}
		f.p = crm.Principal{UserID: u.ID, WorkspaceID: ws.ID, Role: role}
		if err := account.AddMember(tx, ws.ID, u.ID, role, crm.System); err != nil {
			return err
		}
		f.pl, err = deals.DefaultPipeline(tx, ws.ID)
		return err
	})
	return f
}

func (f *fixture) write(fn func(tx *store.Tx) error) {
	f.t.Helper()
	if err := f.db.Write(f.ctx, fn); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) read(fn func(tx *store.Tx) error) {
	f.t.Helper()
	if err := f.db.Read(f.ctx, fn); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) deal(in deals.NewDeal) deals.Deal {
	f.t.Helper()
	var d deals.Deal
	f.write(func(tx *store.Tx) (err error) { d, err = deals.CreateDeal(tx, f.p, in); return err })
	return d
}

func (f *fixture) stage(name string) deals.Stage {
	for _, s := range f.pl.Stages {
		if s.Name == name {
			return s
		}
	}
	f.t.Fatalf("no stage %q", name)
	return deals.Stage{}
}

func (f *fixture) history(id crm.ID) []deals.StageVisit {
	f.t.Helper()
	var h []deals.StageVisit
	f.read(func(tx *store.Tx) (err error) { h, err = deals.History(tx, f.p, id); return err })
	return h
}

func (f *fixture) events(id crm.ID) []crm.Event {
	f.t.Helper()
	var evs []crm.Event
	f.read(func(tx *store.Tx) (err error) { evs, err = tx.Events(f.p.WorkspaceID, "deal", id, 100); return err })
	return evs
}

func TestDefaultPipelineAndCreate(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB, c *clock) {
		f := newFixture(t, db, crm.RoleMember)
		if f.pl.Name != "Sales" || len(f.pl.Stages) != 5 || f.pl.Stages[2].Name != "Proposal" || f.pl.Stages[2].Probability != 50 {
			t.Fatalf("default pipeline: %+v", f.pl)
		}
		var err error
		f.db.Write(f.ctx, func(tx *store.Tx) error {
			_, err = deals.CreateDeal(tx, f.p, deals.NewDeal{Title: " ", Value: -1, Currency: "usd1", ExpectedClose: "31/01/2026",
				Priority: "urgent", StageID: 12345, ContactID: 99})
			return nil
		})
		fe := crm.ErrorFields(err)
		for _, k := range []string{"title", "value", "currency", "expected_close", "priority", "stage_id", "contact_id"} {
			if fe[k] == "" {
				t.Errorf("no error on %s: %v", k, fe)
			}
		}
		d := f.deal(deals.NewDeal{Title: " Big one ", Value: 125050, Currency: "eur", Tags: []string{"x", "x", " y "}})
		if d.Title != "Big one" || d.Currency != "EUR" || d.StageID != f.pl.Stages[0].ID || d.PipelineID != f.pl.ID ||
			d.OwnerID != f.p.UserID || len(d.Tags) != 2 || d.Status != deals.Open {
			t.Fatalf("created: %+v", d)
		}
		if h := f.history(d.ID); len(h) != 1 || h[0].StageName != "Lead in" || !h[0].LeftAt.IsZero() || !h[0].EnteredAt.Equal(c.now()) {
			t.Fatalf("history at create: %+v", h)
		}
		if evs := f.events(d.ID); len(evs) != 1 || evs[0].Action != crm.Created || evs[0].Changes["title"].After != "Big one" {
			t.Fatalf("events: %+v", evs)
		}
	})
}

func TestStageHistoryOnMoves(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB, c *clock) {
		f := newFixture(t, db, crm.RoleMember)
		d := f.deal(deals.NewDeal{Title: "Deal", Value: 1000})
		t0 := c.now()
		c.add(48 * time.Hour)
		f.write(func(tx *store.Tx) (err error) {
			d, err = deals.Move(tx, f.p, d.ID, f.stage("Proposal").ID, d.Version)
			return err
		})
		if d.StageName != "Proposal" || !d.StageEnteredAt.Equal(c.now()) || d.Version != 2 {
			t.Fatalf("moved: %+v", d)
		}
		// A stale version is refused and changes nothing.
		var err error
		db.Write(f.ctx, func(tx *store.Tx) error { _, err = deals.Move(tx, f.p, d.ID, f.stage("Closing").ID, 1); return nil })
		if crm.ErrorCode(err) != crm.Conflict {
			t.Fatalf("stale move: %v", err)
		}
		c.add(24 * time.Hour)
		f.write(func(tx *store.Tx) (err error) {
			d, err = deals.UpdateDeal(tx, f.p, d.ID, deals.DealPatch{StageID: ptr(f.stage("Negotiation").ID)}, 0)
			return err
		})
		h := f.history(d.ID)
		if len(h) != 3 {
			t.Fatalf("history: %+v", h)
		}
		want := []struct {
			name string
			in   time.Duration
		}{{"Lead in", 48 * time.Hour}, {"Proposal", 24 * time.Hour}, {"Negotiation", 0}}
		for i, w := range want {
			if h[i].StageName != w.name {
				t.Fatalf("visit %d: %+v", i, h[i])
			}
			if i < 2 && h[i].LeftAt.Sub(h[i].EnteredAt) != w.in {
				t.Fatalf("visit %d lasted %v, want %v", i, h[i].LeftAt.Sub(h[i].EnteredAt), w.in)
			}
		}
		if !h[0].EnteredAt.Equal(t0) || !h[2].LeftAt.IsZero() {
			t.Fatalf("history times: %+v", h)
		}
		evs := f.events(d.ID)
		if len(evs) != 3 || evs[0].Changes["stage_id"].After != f.stage("Negotiation").ID.String() {
			t.Fatalf("move events: %+v", evs)
		}
		// Moving into a stage of another pipeline changes the pipeline too.
		var other deals.Pipeline
		f2 := newFixture(t, db, crm.RoleAdmin)
		f2.write(func(tx *store.Tx) (err error) {
			other, err = deals.CreatePipeline(tx, f2.p, "Renewals", []deals.StageInput{{Name: ptr("Due")}, {Name: ptr("Signed"), Probability: ptr(90)}})
			return err
		})
		d2 := f2.deal(deals.NewDeal{Title: "Renew"})
		f2.write(func(tx *store.Tx) (err error) {
			d2, err = deals.Move(tx, f2.p, d2.ID, other.Stages[1].ID, 0)
			return err
		})
		if d2.PipelineID != other.ID || d2.Probability != 90 {
			t.Fatalf("cross-pipeline move: %+v", d2)
		}
		// Another workspace's stage is not found.
		db.Write(f.ctx, func(tx *store.Tx) error { _, err = deals.Move(tx, f.p, d.ID, other.Stages[0].ID, 0); return nil })
		if crm.ErrorFields(err)["stage_id"] == "" {
			t.Fatalf("foreign stage: %v", err)
		}
	})
}

func ptr[T any](v T) *T { return &v }

func TestWeightedSumsAndBoard(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB, c *clock) {
		f := newFixture(t, db, crm.RoleMember)
		if deals.Weighted(12345, 25) != 3086 || deals.Weighted(12346, 25) != 3087 || deals.Weighted(0, 90) != 0 {
			t.Fatalf("rounding: %d %d", deals.Weighted(12345, 25), deals.Weighted(12346, 25))
		}
		prop := f.stage("Proposal") // 50 %
		for _, v := range []int64{100001, 200000, 50} {
			f.deal(deals.NewDeal{Title: "P", Value: v, StageID: prop.ID})
		}
		f.deal(deals.NewDeal{Title: "Yen", Value: 7000, Currency: "JPY", StageID: prop.ID})
		won := f.deal(deals.NewDeal{Title: "Won", Value: 999, StageID: prop.ID})
		f.write(func(tx *store.Tx) (err error) { won, err = deals.Win(tx, f.p, won.ID, 0); return err })
		if won.WeightedValue() != 999 || won.EffectiveProbability() != 100 {
			t.Fatalf("won weighted: %d", won.WeightedValue())
		}
		var b deals.Board
		f.read(func(tx *store.Tx) (err error) { b, err = deals.LoadBoard(tx, f.p, deals.BoardQuery{}); return err })
		col := b.Columns[2]
		if col.Stage.ID != prop.ID || col.Count != 4 || len(col.Deals) != 4 {
			t.Fatalf("column: %+v", col)
		}
		want := []deals.Amount{{"USD", 300051}, {"JPY", 7000}}
		wantW := []deals.Amount{{"USD", 150026}, {"JPY", 3500}}
		if fmt.Sprint(col.Sums) != fmt.Sprint(want) || fmt.Sprint(col.Weighted) != fmt.Sprint(wantW) {
			t.Fatalf("sums %v weighted %v", col.Sums, col.Weighted)
		}
		if b.Columns[0].Count != 0 || len(b.Columns) != 5 {
			t.Fatalf("other columns: %+v", b.Columns[0])
		}
		// The filter narrows the counts and sums too; columns page.
		f.read(func(tx *store.Tx) (err error) {
			b, err = deals.LoadBoard(tx, f.p, deals.BoardQuery{Filter: `value >= 1000 and currency = "USD"`, PerColumn: 1})
			return err
		})
		col = b.Columns[2]
		if col.Count != 2 || len(col.Deals) != 1 || col.Next == "" || fmt.Sprint(col.Sums) != fmt.Sprint([]deals.Amount{{"USD", 300001}}) {
			t.Fatalf("filtered column: %+v", col)
		}
		var page records.Page[deals.Deal]
		f.read(func(tx *store.Tx) (err error) {
			page, err = deals.ColumnPage(tx, f.p, deals.ColumnQuery{Stage: prop.ID, Filter: `value >= 1000 and currency = "USD"`, Cursor: col.Next, Limit: 1})
			return err
		})
		if len(page.Items) != 1 || page.Items[0].ID == col.Deals[0].ID || page.Next != "" {
			t.Fatalf("page 2: %+v", page)
		}
	})
}

func TestRotting(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB, c *clock) {
		f := newFixture(t, db, crm.RoleMember)
		lead := f.stage("Lead in") // rots after 14 days
		d := f.deal(deals.NewDeal{Title: "Slow"})
		fresh := deals.Deal{}
		rotting := func() []string {
			var page records.Page[deals.Deal]
			f.read(func(tx *store.Tx) (err error) {
				page, err = deals.QueryDeals(tx, f.p, records.ListQuery{Filter: "rotting = true", Sort: "title"})
				return err
			})
			var out []string
			for _, x := range page.Items {
				out = append(out, x.Title)
			}
			return out
		}
		c.add(14 * 24 * time.Hour)
		fresh = f.deal(deals.NewDeal{Title: "Fresh"})
		f.read(func(tx *store.Tx) (err error) { d, err = deals.GetDeal(tx, f.p.WorkspaceID, d.ID, false); return err })
		if d.Rotting(c.now()) || len(rotting()) != 0 {
			t.Fatalf("rotting at exactly %d days", lead.RotDays)
		}
		c.add(time.Hour)
		if !d.Rotting(c.now()) || d.RottingDays(c.now()) != 1 || fresh.Rotting(c.now()) {
			t.Fatalf("rotting after 14 days and an hour: %v", d.RottingDays(c.now()))
		}
		if r := rotting(); fmt.Sprint(r) != "[Slow]" {
			t.Fatalf("rotting filter: %v", r)
		}
		c.add(2 * 24 * time.Hour)
		if d.RottingDays(c.now()) != 3 {
			t.Fatalf("rotting days: %d", d.RottingDays(c.now()))
		}
		// A move restarts the clock; a closed deal never rots; 0 days never rots.
		f.write(func(tx *store.Tx) (err error) {
			d, err = deals.Move(tx, f.p, d.ID, f.stage("Qualified").ID, 0)
			return err
		})
		if d.Rotting(c.now()) || len(rotting()) != 0 {
			t.Fatal("a moved deal rots at once")
		}
		c.add(30 * 24 * time.Hour)
		f.write(func(tx *store.Tx) (err error) { d, err = deals.Lose(tx, f.p, d.ID, "Price", 0); return err })
		if d.Rotting(c.now()) || fmt.Sprint(rotting()) != "[Fresh]" {
			t.Fatalf("lost deal rots: %v", rotting())
		}
	})
}

func TestWonLostReopen(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB, c *clock) {
		f := newFixture(t, db, crm.RoleMember)
		d := f.deal(deals.NewDeal{Title: "Decide", Value: 500, StageID: f.stage("Closing").ID})
		var err error
		db.Write(f.ctx, func(tx *store.Tx) error { _, err = deals.Lose(tx, f.p, d.ID, "Because", 0); return nil })
		if crm.ErrorFields(err)["reason"] == "" {
			t.Fatalf("reason off the list: %v", err)
		}
		c.add(time.Hour)
		f.write(func(tx *store.Tx) (err error) {
			d, err = deals.Lose(tx, f.p, d.ID, "chose a COMPETITOR", 0)
			return err
		})
		if d.Status != deals.Lost || d.LostReason != "Chose a competitor" || !d.ClosedAt.Equal(c.now()) || d.WeightedValue() != 0 {
			t.Fatalf("lost: %+v", d)
		}
		if h := f.history(d.ID); len(h) != 1 || !h[0].LeftAt.Equal(c.now()) {
			t.Fatalf("history after lost: %+v", h)
		}
		c.add(time.Hour)
		f.write(func(tx *store.Tx) (err error) { d, err = deals.Reopen(tx, f.p, d.ID, 0); return err })
		if d.Status != deals.Open || d.LostReason != "" || !d.ClosedAt.IsZero() || !d.StageEnteredAt.Equal(c.now()) {
			t.Fatalf("reopened: %+v", d)
		}
		if h := f.history(d.ID); len(h) != 2 || !h[1].LeftAt.IsZero() || h[1].StageName != "Closing" {
			t.Fatalf("history after reopen: %+v", h)
		}
		c.add(time.Hour)
		f.write(func(tx *store.Tx) (err error) { d, err = deals.Win(tx, f.p, d.ID, 0); return err })
		if d.Status != deals.Won || !d.ClosedAt.Equal(c.now()) || d.WeightedValue() != 500 {
			t.Fatalf("won: %+v", d)
		}
		evs := f.events(d.ID)
		if len(evs) != 4 || evs[0].Changes["status"].After != "won" || evs[2].Changes["lost_reason"].After != "Chose a competitor" {
			t.Fatalf("events: %+v", evs)
		}
		// The filter language sees status and reasons.
		var page records.Page[deals.Deal]
		f.read(func(tx *store.Tx) (err error) {
			page, err = deals.QueryDeals(tx, f.p, records.ListQuery{Filter: `status = "won" and stage = "closing" and value >= 5 and owner = me()`})
			return err
		})
		if len(page.Items) != 1 || page.Items[0].ID != d.ID {
			t.Fatalf("filter: %+v", page.Items)
		}
		// Read-only users cannot decide deals.
		ro := newFixture(t, db, crm.RoleReadOnly)
		db.Write(f.ctx, func(tx *store.Tx) error { _, err = deals.Win(tx, ro.p, d.ID, 0); return nil })
		if crm.ErrorCode(err) != crm.NotFound {
			t.Fatalf("other workspace win: %v", err)
		}
	})
}

func TestRemoveStageMovesDeals(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB, c *clock) {
		f := newFixture(t, db, crm.RoleAdmin)
		qual, prop := f.stage("Qualified"), f.stage("Proposal")
		open := f.deal(deals.NewDeal{Title: "Open", StageID: qual.ID})
		won := f.deal(deals.NewDeal{Title: "Won", StageID: qual.ID})
		f.write(func(tx *store.Tx) (err error) { won, err = deals.Win(tx, f.p, won.ID, 0); return err })
		var err error
		db.Write(f.ctx, func(tx *store.Tx) error { err = deals.DeleteStage(tx, f.p, qual.ID, 0); return nil })
		if crm.ErrorFields(err)["move_to"] == "" {
			t.Fatalf("delete without move_to: %v", err)
		}
		db.Write(f.ctx, func(tx *store.Tx) error { err = deals.DeleteStage(tx, f.p, qual.ID, qual.ID); return nil })
		if crm.ErrorFields(err)["move_to"] == "" {
			t.Fatalf("move to itself: %v", err)
		}
		member := newFixture(t, db, crm.RoleMember)
		member.p.WorkspaceID = f.p.WorkspaceID
		db.Write(f.ctx, func(tx *store.Tx) error { err = deals.DeleteStage(tx, member.p, qual.ID, prop.ID); return nil })
		if crm.ErrorCode(err) != crm.Forbidden {
			t.Fatalf("member deletes stage: %v", err)
		}
		c.add(time.Hour)
		f.write(func(tx *store.Tx) error { return deals.DeleteStage(tx, f.p, qual.ID, prop.ID) })
		f.read(func(tx *store.Tx) (err error) {
			if open, err = deals.GetDeal(tx, f.p.WorkspaceID, open.ID, false); err != nil {
				return err
			}
			if won, err = deals.GetDeal(tx, f.p.WorkspaceID, won.ID, false); err != nil {
				return err
			}
			f.pl, err = deals.GetPipeline(tx, f.p.WorkspaceID, f.pl.ID)
			return err
		})
		if open.StageID != prop.ID || won.StageID != prop.ID || won.Status != deals.Won {
			t.Fatalf("after delete: open %+v won %+v", open, won)
		}
		if len(f.pl.Stages) != 4 || f.pl.Stages[1].ID != prop.ID || f.pl.Stages[1].Position != 1 {
			t.Fatalf("stages renumbered: %+v", f.pl.Stages)
		}
		h := f.history(open.ID)
		if len(h) != 2 || h[0].StageName != "Qualified" || h[0].LeftAt.IsZero() || h[1].StageName != "Proposal" {
			t.Fatalf("history kept the removed stage: %+v", h)
		}
		if len(f.history(won.ID)) != 1 {
			t.Fatal("a closed deal gained a stay")
		}
		// Reorder, rename, and the last stage / last pipeline stay.
		order := []crm.ID{f.pl.Stages[3].ID, f.pl.Stages[0].ID, f.pl.Stages[1].ID, f.pl.Stages[2].ID}
		f.write(func(tx *store.Tx) (err error) {
			f.pl, err = deals.UpdatePipeline(tx, f.p, f.pl.ID, deals.PipelinePatch{Name: ptr("New business"), StageOrder: order})
			return err
		})
		if f.pl.Name != "New business" || f.pl.Stages[0].Name != "Closing" || f.pl.Stages[3].Name != "Negotiation" {
			t.Fatalf("reordered: %+v", f.pl)
		}
		db.Write(f.ctx, func(tx *store.Tx) error { err = deals.DeletePipeline(tx, f.p, f.pl.ID, 0); return nil })
		if crm.ErrorCode(err) != crm.Conflict {
			t.Fatalf("delete last pipeline: %v", err)
		}
		var evs []crm.Event
		f.read(func(tx *store.Tx) (err error) {
			evs, err = tx.Events(f.p.WorkspaceID, "stage", qual.ID, 10)
			return err
		})
		if len(evs) != 1 || evs[0].Action != crm.Deleted {
			t.Fatalf("stage events: %+v", evs)
		}
	})
}

func TestVisibilityAndWorkspaces(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB, c *clock) {
		f := newFixture(t, db, crm.RoleMember)
		d := f.deal(deals.NewDeal{Title: "Mine"})
		other := newFixture(t, db, crm.RoleOwner)
		var err error
		db.Read(f.ctx, func(tx *store.Tx) error { _, err = deals.ViewDeal(tx, other.p, d.ID); return nil })
		if crm.ErrorCode(err) != crm.NotFound {
			t.Fatalf("other workspace sees the deal: %v", err)
		}
		db.Write(f.ctx, func(tx *store.Tx) error { err = deals.DeleteDeal(tx, other.p, d.ID); return nil })
		if crm.ErrorCode(err) != crm.NotFound {
			t.Fatalf("other workspace deletes: %v", err)
		}
		// Members see only their own under "own" visibility.
		admin := newFixture(t, db, crm.RoleAdmin)
		var colleague crm.Principal
		admin.write(func(tx *store.Tx) error {
			u, err := account.CreateUser(tx, account.NewUser{Email: "col@example.com", Name: "Col", Password: "a long enough phrase"})
			if err != nil {
				return err
			}
			colleague = crm.Principal{UserID: u.ID, WorkspaceID: admin.p.WorkspaceID, Role: crm.RoleMember}
			if err := account.AddMember(tx, admin.p.WorkspaceID, u.ID, crm.RoleMember, crm.System); err != nil {
				return err
			}
			return account.SetMemberVisibility(tx, admin.p, account.Visibility("own"))
		})
		hidden := admin.deal(deals.NewDeal{Title: "Admin's"})
		db.Read(f.ctx, func(tx *store.Tx) error { _, err = deals.ViewDeal(tx, colleague, hidden.ID); return nil })
		if crm.ErrorCode(err) != crm.NotFound {
			t.Fatalf("member sees another's deal: %v", err)
		}
		var page records.Page[deals.Deal]
		db.Read(f.ctx, func(tx *store.Tx) (err error) {
			page, err = deals.QueryDeals(tx, colleague, records.ListQuery{})
			return err
		})
		if len(page.Items) != 0 {
			t.Fatalf("list leaks: %+v", page.Items)
		}
	})
}

func TestContactsRolesAndCustom(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB, c *clock) {
		f := newFixture(t, db, crm.RoleAdmin)
		var ada, bob records.Contact
		var co records.Company
		f.write(func(tx *store.Tx) (err error) {
			if co, err = records.CreateCompany(tx, f.p, records.NewCompany{Name: "Initech"}); err != nil {
				return err
			}
			if ada, err = records.CreateContact(tx, f.p, records.NewContact{FirstName: "Ada", CompanyID: co.ID}); err != nil {
				return err
			}
			if bob, err = records.CreateContact(tx, f.p, records.NewContact{FirstName: "Bob"}); err != nil {
				return err
			}
			label := "Region"
			_, err = records.CreateField(tx, f.p, records.FieldInput{Object: "deal", Label: &label, Type: records.FieldSelect, Options: &[]string{"EMEA", "AMER"}})
			return err
		})
		var err error
		db.Write(f.ctx, func(tx *store.Tx) error {
			_, err = deals.CreateDeal(tx, f.p, deals.NewDeal{Title: "X", ContactID: ada.ID, Contacts: []deals.DealContact{{ContactID: ada.ID}},
				Custom: map[string]any{"region": "Mars"}})
			return nil
		})
		if fe := crm.ErrorFields(err); fe["contacts.0.contact_id"] == "" || fe["custom.region"] == "" {
			t.Fatalf("bad contacts/custom: %v", err)
		}
		d := f.deal(deals.NewDeal{Title: "Roles", ContactID: ada.ID, CompanyID: co.ID,
			Contacts: []deals.DealContact{{ContactID: bob.ID, Role: " Decision maker "}}, Custom: map[string]any{"region": "EMEA"}})
		f.read(func(tx *store.Tx) (err error) { d, err = deals.GetDeal(tx, f.p.WorkspaceID, d.ID, false); return err })
		if len(d.Contacts) != 1 || d.Contacts[0].Role != "Decision maker" || d.Contacts[0].Name != "Bob" || d.CompanyName != "Initech" || d.ContactName != "Ada" {
			t.Fatalf("read back: %+v", d)
		}
		var mine []deals.Deal
		f.read(func(tx *store.Tx) (err error) { mine, err = deals.ContactDeals(tx, f.p, bob.ID); return err })
		if len(mine) != 1 || mine[0].ID != d.ID {
			t.Fatalf("bob's deals: %+v", mine)
		}
		var page records.Page[deals.Deal]
		f.read(func(tx *store.Tx) (err error) {
			page, err = deals.QueryDeals(tx, f.p, records.ListQuery{Filter: `custom.region = "EMEA" and company.name = "initech"`})
			return err
		})
		if len(page.Items) != 1 {
			t.Fatalf("custom + relation filter: %+v", page.Items)
		}
		f.write(func(tx *store.Tx) (err error) {
			d, err = deals.UpdateDeal(tx, f.p, d.ID, deals.DealPatch{Contacts: &[]deals.DealContact{}, Value: ptr(int64(700)),
				Custom: map[string]any{"region": nil}}, d.Version)
			return err
		})
		if len(d.Contacts) != 0 || d.Value != 700 || len(d.Custom) != 0 || d.Version != 2 {
			t.Fatalf("patched: %+v", d)
		}
		// Deal events reach the contact's and company's timelines.
		var tl []records.Entry
		f.read(func(tx *store.Tx) (err error) {
			tl, err = records.TimelineFor(tx, f.p, "company", co.ID, 50)
			return err
		})
		found := false
		for _, e := range tl {
			if e.About == "deal “Roles”" && strings.Contains(e.Summary, "title: Roles") {
				found = true
			}
		}
		if !found {
			t.Fatalf("company timeline lacks the deal: %+v", tl)
		}
	})
}

func TestMoney(t *testing.T) {
	for _, c := range []struct {
		in, cur string
		want    int64
		bad     bool
	}{{"1250.50", "USD", 125050, false}, {"1,250.5", "EUR", 125050, false}, {"1250", "JPY", 1250, false},
		{"12.5", "JPY", 0, true}, {"1.234", "KWD", 1234, false}, {"1.001", "USD", 0, true}, {"1.100", "USD", 110, false},
		{"-5", "USD", 0, true}, {"abc", "USD", 0, true}, {"99999999999999", "USD", 0, true}} {
		got, err := crm.ParseAmount(c.in, c.cur)
		if (err != nil) != c.bad || got != c.want {
			t.Errorf("crm.ParseAmount(%q, %s) = %d, %v", c.in, c.cur, got, err)
		}
	}
	if s := crm.FormatAmount(125005, "USD"); s != "1250.05" {
		t.Error(s)
	}
	if s := crm.FormatMoney(123456789, "EUR"); s != "EUR 1,234,567.89" {
		t.Error(s)
	}
	if s := crm.FormatMoney(5, "USD"); s != "USD 0.05" {
		t.Error(s)
	}
}

// Merging contacts carries their deal roles over without duplicates.
func TestMergeKeepsDealContacts(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB, c *clock) {
		f := newFixture(t, db, crm.RoleAdmin)
		var a, b, x records.Contact
		f.write(func(tx *store.Tx) (err error) {
			if a, err = records.CreateContact(tx, f.p, records.NewContact{FirstName: "Ann"}); err != nil {
				return err
			}
			if b, err = records.CreateContact(tx, f.p, records.NewContact{FirstName: "Ann B"}); err != nil {
				return err
			}
			x, err = records.CreateContact(tx, f.p, records.NewContact{FirstName: "Xavier"})
			return err
		})
		both := f.deal(deals.NewDeal{Title: "Both", ContactID: a.ID, Contacts: []deals.DealContact{{ContactID: b.ID, Role: "Buyer"}}})
		other := f.deal(deals.NewDeal{Title: "Other", ContactID: x.ID, Contacts: []deals.DealContact{{ContactID: b.ID, Role: "Buyer"}}})
		f.write(func(tx *store.Tx) error { _, err := records.MergeContacts(tx, f.p, a.ID, b.ID, nil); return err })
		f.read(func(tx *store.Tx) (err error) {
			if both, err = deals.GetDeal(tx, f.p.WorkspaceID, both.ID, false); err != nil {
				return err
			}
			other, err = deals.GetDeal(tx, f.p.WorkspaceID, other.ID, false)
			return err
		})
		if both.ContactID != a.ID || len(both.Contacts) != 0 {
			t.Fatalf("deal with both: %+v", both)
		}
		if len(other.Contacts) != 1 || other.Contacts[0].ContactID != a.ID || other.Contacts[0].Role != "Buyer" {
			t.Fatalf("deal with the merged one: %+v", other.Contacts)
		}
	})
}

// TestLinksMustBeVisible: a member who sees only their own records cannot
// attach someone else's contact or company (it is not found), but editing a
// deal that already links one, or making an existing other contact the
// primary one, works.
func TestLinksMustBeVisible(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB, c *clock) {
		f := newFixture(t, db, crm.RoleAdmin)
		var m crm.Principal
		var hidden, own records.Contact
		var hiddenCo records.Company
		f.write(func(tx *store.Tx) error {
			u, err := account.CreateUser(tx, account.NewUser{Email: fmt.Sprintf("m%d@example.com", f.p.WorkspaceID), Name: "Mo", Password: "a long enough phrase"})
			if err != nil {
				return err
			}
			if err := account.AddMember(tx, f.p.WorkspaceID, u.ID, crm.RoleMember, crm.System); err != nil {
				return err
			}
			m = crm.Principal{UserID: u.ID, WorkspaceID: f.p.WorkspaceID, Role: crm.RoleMember}
			if err := account.SetMemberVisibility(tx, f.p, account.SeeOwn); err != nil {
				return err
			}
			if hidden, err = records.CreateContact(tx, f.p, records.NewContact{FirstName: "Hidden"}); err != nil {
				return err
			}
			if hiddenCo, err = records.CreateCompany(tx, f.p, records.NewCompany{Name: "Hidden Co"}); err != nil {
				return err
			}
			own, err = records.CreateContact(tx, m, records.NewContact{FirstName: "Own"})
			return err
		})
		try := func(fn func(tx *store.Tx) error) crm.FieldErrors {
			t.Helper()
			var err error
			_ = db.Write(f.ctx, func(tx *store.Tx) error { err = fn(tx); return err })
			return crm.ErrorFields(err)
		}
		fe := try(func(tx *store.Tx) error {
			_, err := deals.CreateDeal(tx, m, deals.NewDeal{Title: "Peek", ContactID: hidden.ID, CompanyID: hiddenCo.ID,
				Contacts: []deals.DealContact{{ContactID: own.ID}}})
			return err
		})
		if fe["contact_id"] != "No such contact." || fe["company_id"] != "No such company." {
			t.Fatalf("member creating a deal with hidden links: %v", fe)
		}
		var d deals.Deal
		f.write(func(tx *store.Tx) (err error) {
			d, err = deals.CreateDeal(tx, m, deals.NewDeal{Title: "Mine", ContactID: own.ID})
			return err
		})
		fe = try(func(tx *store.Tx) error {
			_, err := deals.UpdateDeal(tx, m, d.ID, deals.DealPatch{Contacts: &[]deals.DealContact{{ContactID: hidden.ID, Role: "Spy"}}}, d.Version)
			return err
		})
		if fe["contacts.0.contact_id"] != "No such contact." {
			t.Fatalf("member adding a hidden contact: %v", fe)
		}
		// An admin links the hidden contact; the member still edits the deal
		// and may swap it with the primary contact.
		f.write(func(tx *store.Tx) (err error) {
			d, err = deals.UpdateDeal(tx, f.p, d.ID, deals.DealPatch{Contacts: &[]deals.DealContact{{ContactID: hidden.ID, Role: "Buyer"}}}, 0)
			return err
		})
		f.write(func(tx *store.Tx) (err error) {
			d, err = deals.UpdateDeal(tx, m, d.ID, deals.DealPatch{Title: ptr("Mine, renamed"), ContactID: &hidden.ID,
				Contacts: &[]deals.DealContact{{ContactID: own.ID}}}, d.Version)
			return err
		})
		if d.ContactID != hidden.ID || len(d.Contacts) != 1 || d.Contacts[0].ContactID != own.ID {
			t.Fatalf("member's swap: %+v", d)
		}
	})
}

package audit_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tandemcrm/tandem/internal/audit"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

func list(t *testing.T, db *store.DB, ws crm.ID, f audit.Filter) []audit.Entry {
	t.Helper()
	var out []audit.Entry
	if err := db.Read(context.Background(), func(tx *store.Tx) (err error) {
		out, _, err = audit.List(tx, ws, f, audit.MaxList, 0)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// Every event about personal data becomes an entry naming the changed
// fields, never their values, with the request's client; other events do
// not; a rolled-back change leaves no entry.
func TestChangesAreLoggedFromEvents(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		audit.Install(db)
		audit.Install(db) // harmless twice
		ws, contact := db.NewID(), db.NewID()
		ctx := audit.WithClient(context.Background(), audit.Client{IP: "203.0.113.77", UserAgent: "browser/1"})
		err := db.Write(ctx, func(tx *store.Tx) error {
			for _, ev := range []crm.Event{
				{WorkspaceID: ws, Actor: crm.UserActor(5), ObjectType: "contact", ObjectID: contact, Action: crm.Updated,
					Changes: map[string]crm.Change{"email": {Before: "ann@example.com", After: "ann@work.example"}, "last_name": {After: "Lee"}}},
				{WorkspaceID: ws, Actor: crm.UserActor(5), ObjectType: "pipeline", ObjectID: 9, Action: crm.Created},
				{WorkspaceID: ws, Actor: crm.UserActor(5), ObjectType: "deal", ObjectID: 10, Action: crm.Deleted},
			} {
				if err := tx.Emit(ev); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		boom := errors.New("boom")
		err = db.Write(ctx, func(tx *store.Tx) error {
			if err := tx.Emit(crm.Event{WorkspaceID: ws, ObjectType: "contact", ObjectID: contact, Action: crm.Deleted}); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatal(err)
		}
		got := list(t, db, ws, audit.Filter{})
		if len(got) != 2 {
			t.Fatalf("entries = %+v; want the contact update and the deal deletion", got)
		}
		deal, upd := got[0], got[1] // newest first
		if upd.Action != audit.RecordUpdated || upd.ObjectType != "contact" || upd.ObjectID != contact || upd.Actor != crm.UserActor(5) {
			t.Errorf("update entry = %+v", upd)
		}
		if f, _ := upd.Details["fields"].([]any); len(f) != 2 || f[0] != "email" || f[1] != "last_name" {
			t.Errorf("fields = %v; want [email last_name]", upd.Details["fields"])
		}
		if upd.IP != "203.0.113.0" || upd.UserAgent != "browser/1" {
			t.Errorf("client = %q %q", upd.IP, upd.UserAgent)
		}
		if deal.Action != audit.RecordDeleted || deal.ObjectID != 10 {
			t.Errorf("deal entry = %+v", deal)
		}
		var raw string
		if err := db.Read(context.Background(), func(tx *store.Tx) error {
			return tx.QueryRow(`SELECT details FROM audit_log WHERE workspace_id = ? AND id = ?`, ws, upd.ID).Scan(&raw)
		}); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(raw, "ann@") || strings.Contains(raw, "Lee") {
			t.Errorf("details hold values: %s", raw)
		}
		if n, bad, err := verify(t, db, ws); err != nil || bad != 0 || n != 2 {
			t.Errorf("Verify = %d, %d, %v", n, bad, err)
		}
	})
}

// Many changes in one transaction and direct Records in it share one chain
// that verifies, and concurrent writers do not fork it.
func TestChangesAndRecordsShareTheChain(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		audit.Install(db)
		ws := db.NewID()
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for i := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs <- db.Write(context.Background(), func(tx *store.Tx) error {
					for j := range 5 {
						if err := tx.Emit(crm.Event{WorkspaceID: ws, ObjectType: "note", ObjectID: crm.ID(i*10 + j), Action: crm.Created}); err != nil {
							return err
						}
					}
					_, err := audit.Record(tx, audit.Entry{WorkspaceID: ws, Action: audit.DataExported})
					return err
				})
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		if n, bad, err := verify(t, db, ws); err != nil || bad != 0 || n != 48 {
			t.Errorf("Verify = %d, %d, %v; want 48 entries", n, bad, err)
		}
	})
}

// Views are coalesced per actor and record within the window, written in
// batches, and a full buffer is written by the request that fills it.
func TestViewsCoalesceAndBatch(t *testing.T) {
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	testdb.EachWith(t, testdb.Options{Clock: clock}, func(t *testing.T, db *store.DB) {
		ws, c1, c2 := db.NewID(), db.NewID(), db.NewID()
		v := &audit.Views{DB: db, Window: 15 * time.Minute, Delay: time.Hour, MaxPending: 3}
		ctx := audit.WithClient(context.Background(), audit.Client{IP: "2001:db8:1:2::5", UserAgent: "ua"})
		ann, bob := crm.UserActor(1), crm.UserActor(2)
		view := func(a crm.Actor, id crm.ID) {
			v.Viewed(ctx, audit.Entry{WorkspaceID: ws, Actor: a, ObjectType: "contact", ObjectID: id})
		}
		view(ann, c1)
		view(ann, c1) // coalesced
		advance(10 * time.Minute)
		view(ann, c1) // still within 15 minutes of the first
		view(bob, c1)
		if got := list(t, db, ws, audit.Filter{}); len(got) != 0 {
			t.Fatalf("written before the batch was due: %d", len(got))
		}
		view(ann, c2) // third waiting entry: the buffer is full, written now
		got := list(t, db, ws, audit.Filter{Action: audit.RecordViewed})
		if len(got) != 3 {
			t.Fatalf("after a full buffer: %d entries; want 3", len(got))
		}
		if got[0].IP != "2001:db8:1::" || got[0].UserAgent != "ua" {
			t.Errorf("client = %q %q", got[0].IP, got[0].UserAgent)
		}
		advance(6 * time.Minute) // 16 minutes after the first view
		view(ann, c1)
		if err := v.Flush(context.Background()); err != nil {
			t.Fatal(err)
		}
		got = list(t, db, ws, audit.Filter{Actor: ann, ObjectID: c1})
		if len(got) != 2 || !got[0].At.Equal(now) {
			t.Fatalf("ann's views of c1 = %+v; want 2, the newest at %v", got, now)
		}
		if n, bad, err := verify(t, db, ws); err != nil || bad != 0 || n != 4 {
			t.Errorf("Verify = %d, %d, %v", n, bad, err)
		}
	})
}

// A bulk transaction (an import) is summarised: one entry per kind of
// record and action with its count, on the import, not one per record.
func TestBulkChangesAreSummarised(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		audit.Install(db)
		ws, imp := db.NewID(), db.NewID()
		err := db.Write(context.Background(), func(tx *store.Tx) error {
			audit.Bulk(tx, "import", imp)
			for i := range 5 {
				ev := crm.Event{WorkspaceID: ws, Actor: crm.UserActor(5), ObjectType: "contact", ObjectID: crm.ID(100 + i), Action: crm.Created,
					Changes: map[string]crm.Change{"email": {After: "x@example.com"}}}
				if i == 4 {
					ev.Action = crm.Updated
				}
				if err := tx.Emit(ev); err != nil {
					return err
				}
			}
			return tx.Emit(crm.Event{WorkspaceID: ws, Actor: crm.UserActor(5), ObjectType: "company", ObjectID: 200, Action: crm.Created})
		})
		if err != nil {
			t.Fatal(err)
		}
		got := list(t, db, ws, audit.Filter{})
		if len(got) != 3 {
			t.Fatalf("entries = %+v; want three summaries", got)
		}
		want := map[string]float64{"contact records.created": 4, "contact records.updated": 1, "company records.created": 1}
		for _, e := range got {
			obj, _ := e.Details["object"].(string)
			n, _ := e.Details["count"].(float64)
			if e.ObjectType != "import" || e.ObjectID != imp || e.Actor != crm.UserActor(5) || want[obj+" "+e.Action] != n {
				t.Errorf("entry %+v (object %q, count %v)", e, obj, n)
			}
			if strings.Contains(strings.Join([]string{e.Action, e.ObjectType}, " "), "example.com") {
				t.Errorf("a summary holds a value: %+v", e)
			}
		}
		if n, bad, err := verify(t, db, ws); err != nil || bad != 0 || n != 3 {
			t.Errorf("Verify = %d, %d, %v", n, bad, err)
		}
	})
}

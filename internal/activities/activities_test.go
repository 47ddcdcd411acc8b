package activities_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/activities"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }

var ctx = context.Background()

// workspace makes a workspace with one user of role and returns them.
func workspace(t *testing.T, db *store.DB, role crm.Role) crm.Principal {
	t.Helper()
	var p crm.Principal
	must(t, db.Write(ctx, func(tx *store.Tx) error {
		ws, err := account.CreateWorkspace(tx, "W", crm.System)
		if err != nil {
			return err
		}
		p, err = member(tx, ws.ID, role, "u")
		return err
	}))
	return p
}

func member(tx *store.Tx, ws crm.ID, role crm.Role, name string) (crm.Principal, error) {
	u, err := account.CreateUser(tx, account.NewUser{Email: fmt.Sprintf("%s%d@example.com", name, tx.NewID()), Name: name, Password: "a long enough phrase"})
	if err != nil {
		return crm.Principal{}, err
	}
	return crm.Principal{UserID: u.ID, WorkspaceID: ws, Role: role, Name: name, Email: u.Email}, account.AddMember(tx, ws, u.ID, role, crm.System)
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func ptr[T any](v T) *T { return &v }

func create(t *testing.T, db *store.DB, p crm.Principal, in activities.Input) activities.Activity {
	t.Helper()
	var a activities.Activity
	must(t, db.Write(ctx, func(tx *store.Tx) (err error) { a, err = activities.Create(tx, p, in); return err }))
	return a
}

func contact(t *testing.T, db *store.DB, p crm.Principal, first, email string) records.Contact {
	t.Helper()
	var c records.Contact
	must(t, db.Write(ctx, func(tx *store.Tx) (err error) {
		c, err = records.CreateContact(tx, p, records.NewContact{FirstName: first, Email: email})
		return err
	}))
	return c
}

func TestCreateValidatesAndWritesTimelines(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		p := workspace(t, db, crm.RoleMember)
		ada := contact(t, db, p, "Ada", "ada@example.com")
		var co records.Company
		must(t, db.Write(ctx, func(tx *store.Tx) (err error) {
			co, err = records.CreateCompany(tx, p, records.NewCompany{Name: "Engines"})
			return err
		}))
		err := db.Write(ctx, func(tx *store.Tx) error {
			_, err := activities.Create(tx, p, activities.Input{Type: ptr("party"), Title: ptr(" "), DurationMin: ptr(-5),
				ContactID: ptr(crm.ID(12345)), RemindBefore: ptr(99_999)})
			return err
		})
		f := crm.ErrorFields(err)
		for _, k := range []string{"type", "title", "due_at", "duration_min", "contact_id", "remind_before_min"} {
			if f[k] == "" {
				t.Errorf("no error for %s: %v", k, f)
			}
		}
		due := time.Date(2026, 12, 3, 15, 0, 0, 0, time.UTC)
		a := create(t, db, p, activities.Input{Type: ptr("meeting"), Title: ptr(" Demo "), DueAt: &due, DurationMin: ptr(45),
			ContactID: &ada.ID, CompanyID: &co.ID, RemindBefore: ptr(15)})
		if a.Title != "Demo" || a.OwnerID != p.UserID || a.ContactID != ada.ID || !a.RemindAt.Equal(due.Add(-15*time.Minute)) || a.Version != 1 {
			t.Fatalf("created %+v", a)
		}
		for _, rec := range []struct {
			kind string
			id   crm.ID
		}{{"contact", ada.ID}, {"company", co.ID}} {
			var tl []records.Entry
			must(t, db.Read(ctx, func(tx *store.Tx) (err error) {
				tl, err = records.Timeline(tx, p.WorkspaceID, rec.kind, rec.id, 10)
				return err
			}))
			if len(tl) == 0 || tl[0].Summary != "Meeting “Demo” added, due Dec 3, 2026 15:00 UTC" {
				t.Fatalf("%s timeline: %+v", rec.kind, tl)
			}
		}
		// Another workspace's activity is not found, for reading and writing.
		other := workspace(t, db, crm.RoleOwner)
		must(t, db.Read(ctx, func(tx *store.Tx) error {
			if _, err := activities.View(tx, other, a.ID); crm.ErrorCode(err) != crm.NotFound {
				t.Fatalf("other workspace view: %v", err)
			}
			return nil
		}))
		err = db.Write(ctx, func(tx *store.Tx) error { _, err := activities.MarkDone(tx, other, a.ID, nil); return err })
		if crm.ErrorCode(err) != crm.NotFound {
			t.Fatalf("other workspace done: %v", err)
		}
		// Nor may another workspace's contact be linked.
		err = db.Write(ctx, func(tx *store.Tx) error {
			_, err := activities.Create(tx, other, activities.Input{Title: ptr("x"), DueAt: &due, ContactID: &ada.ID})
			return err
		})
		if crm.ErrorFields(err)["contact_id"] == "" {
			t.Fatalf("foreign contact accepted: %v", err)
		}
	})
}

func TestVisibilityFollowsAccountRules(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		admin := workspace(t, db, crm.RoleAdmin)
		var ann, bob crm.Principal
		must(t, db.Write(ctx, func(tx *store.Tx) (err error) {
			if ann, err = member(tx, admin.WorkspaceID, crm.RoleMember, "ann"); err != nil {
				return err
			}
			if bob, err = member(tx, admin.WorkspaceID, crm.RoleMember, "bob"); err != nil {
				return err
			}
			_, err = tx.Exec(`UPDATE workspaces SET member_visibility = 'own' WHERE id = ?`, admin.WorkspaceID)
			return err
		}))
		due := time.Now().Add(time.Hour)
		a := create(t, db, ann, activities.Input{Title: ptr("Ann's call"), Type: ptr("call"), DueAt: &due})
		must(t, db.Read(ctx, func(tx *store.Tx) error {
			if _, err := activities.View(tx, bob, a.ID); crm.ErrorCode(err) != crm.NotFound {
				t.Fatalf("bob sees ann's activity: %v", err)
			}
			if _, err := activities.View(tx, admin, a.ID); err != nil {
				t.Fatalf("admin: %v", err)
			}
			page, err := activities.Query(tx, bob, activities.ListQuery{})
			if err != nil || len(page.Items) != 0 {
				t.Fatalf("bob's list: %+v %v", page.Items, err)
			}
			page, err = activities.Query(tx, admin, activities.ListQuery{Filter: `type = "call"`})
			if err != nil || len(page.Items) != 1 {
				t.Fatalf("admin's list: %+v %v", page.Items, err)
			}
			return nil
		}))
		// Bob may not hand an activity to Ann (he could not see it after).
		err := db.Write(ctx, func(tx *store.Tx) error {
			_, err := activities.Create(tx, bob, activities.Input{Title: ptr("x"), DueAt: &due, OwnerID: &ann.UserID})
			return err
		})
		if crm.ErrorFields(err)["owner_id"] == "" {
			t.Fatalf("bob gave ann an activity: %v", err)
		}
	})
}

func TestDoneUndoneAndUpdate(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		p := workspace(t, db, crm.RoleMember)
		due := time.Now().Add(2 * time.Hour)
		a := create(t, db, p, activities.Input{Title: ptr("Call back"), Type: ptr("call"), DueAt: &due})
		var done activities.Activity
		must(t, db.Write(ctx, func(tx *store.Tx) (err error) {
			done, err = activities.MarkDone(tx, p, a.ID, ptr("Left a message"))
			return err
		}))
		if !done.Done() || done.Outcome != "Left a message" || done.Version != 2 {
			t.Fatalf("done: %+v", done)
		}
		// Done again changes nothing: no new version, no event.
		must(t, db.Write(ctx, func(tx *store.Tx) (err error) { done, err = activities.MarkDone(tx, p, a.ID, nil); return err }))
		if done.Version != 2 {
			t.Fatalf("done twice bumped the version: %d", done.Version)
		}
		var open activities.Activity
		must(t, db.Write(ctx, func(tx *store.Tx) (err error) { open, err = activities.MarkUndone(tx, p, a.ID); return err }))
		if open.Done() || open.Outcome != "Left a message" || open.Version != 3 {
			t.Fatalf("undone: %+v", open)
		}
		var evs []crm.Event
		must(t, db.Read(ctx, func(tx *store.Tx) (err error) { evs, err = tx.Events(p.WorkspaceID, "activity", a.ID, 10); return err }))
		if len(evs) != 3 || evs[0].Changes["done_at"].Before == nil || evs[1].Changes["done_at"].After == nil {
			t.Fatalf("events: %+v", evs)
		}
		// If-Match: a stale version changes nothing.
		err := db.Write(ctx, func(tx *store.Tx) error {
			_, err := activities.Update(tx, p, a.ID, activities.Input{Title: ptr("New")}, 1)
			return err
		})
		if crm.ErrorCode(err) != crm.Conflict {
			t.Fatalf("stale update: %v", err)
		}
		// Bad input leaves the row as it was.
		err = db.Write(ctx, func(tx *store.Tx) error {
			_, err := activities.Update(tx, p, a.ID, activities.Input{Title: ptr(""), Type: ptr("nope")}, 0)
			return err
		})
		if crm.ErrorCode(err) != crm.Invalid {
			t.Fatalf("bad update: %v", err)
		}
		var got activities.Activity
		must(t, db.Write(ctx, func(tx *store.Tx) (err error) {
			got, err = activities.Update(tx, p, a.ID, activities.Input{Title: ptr("Call Ada back")}, 3)
			return err
		}))
		if got.Title != "Call Ada back" || got.Version != 4 || got.Type != "call" {
			t.Fatalf("update: %+v", got)
		}
		must(t, db.Write(ctx, func(tx *store.Tx) error { return activities.Delete(tx, p, a.ID) }))
		must(t, db.Read(ctx, func(tx *store.Tx) error {
			if _, err := activities.View(tx, p, a.ID); crm.ErrorCode(err) != crm.NotFound {
				t.Fatalf("deleted still found: %v", err)
			}
			return nil
		}))
	})
}

// TestMyDayAcrossTimeZones puts the same activities into buckets for a
// person in Tokyo and one in Los Angeles at the same instant.
func TestMyDayAcrossTimeZones(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		p := workspace(t, db, crm.RoleMember)
		now := time.Date(2026, 12, 3, 6, 30, 0, 0, time.UTC) // Tokyo: Dec 3 15:30; Los Angeles: Dec 2 22:30
		at := func(s string) *time.Time { t, _ := time.Parse(time.RFC3339, s); return &t }
		titles := map[string]activities.Input{
			"11:00 Tokyo":     {DueAt: at("2026-12-03T02:00:00Z")},
			"19:00 Tokyo":     {DueAt: at("2026-12-03T10:00:00Z")},
			"01:00 Tokyo +1":  {DueAt: at("2026-12-03T16:00:00Z")},
			"all day Dec 2":   {DueAt: at("2026-12-02T00:00:00Z"), AllDay: ptr(true)},
			"all day Dec 3":   {DueAt: at("2026-12-03T00:00:00Z"), AllDay: ptr(true)},
			"all day Dec 4":   {DueAt: at("2026-12-04T00:00:00Z"), AllDay: ptr(true)},
			"done long ago":   {DueAt: at("2026-11-01T00:00:00Z")},
			"someone else's?": {DueAt: at("2026-12-03T05:00:00Z")},
		}
		for title, in := range titles {
			in.Title = ptr(title)
			a := create(t, db, p, in)
			if title == "done long ago" {
				must(t, db.Write(ctx, func(tx *store.Tx) error { _, err := activities.MarkDone(tx, p, a.ID, nil); return err }))
			}
		}
		var other crm.Principal
		must(t, db.Write(ctx, func(tx *store.Tx) (err error) {
			other, err = member(tx, p.WorkspaceID, crm.RoleMember, "o")
			return err
		}))
		create(t, db, other, activities.Input{Title: ptr("not mine"), DueAt: at("2026-12-03T01:00:00Z")})
		ada, bo := contact(t, db, p, "Ada", "ada@x.test"), contact(t, db, p, "Bo", "bo@x.test")
		with := map[string][]activities.Participant{ // participants in two buckets
			"with Ada and Bo": {{ContactID: ada.ID, Role: "required"}, {ContactID: bo.ID, Role: "optional"}},
			"with Bo":         {{ContactID: bo.ID, Role: "required"}},
		}
		create(t, db, p, activities.Input{Title: ptr("with Ada and Bo"), DueAt: at("2026-12-03T01:30:00Z"), Contacts: ptr(with["with Ada and Bo"])})
		create(t, db, p, activities.Input{Title: ptr("with Bo"), DueAt: at("2026-12-05T01:30:00Z"), Contacts: ptr(with["with Bo"])})

		tokyo, _ := time.LoadLocation("Asia/Tokyo")
		la, _ := time.LoadLocation("America/Los_Angeles")
		want := map[*time.Location]map[activities.Bucket]string{
			tokyo: {activities.Overdue: "all day Dec 2, with Ada and Bo, 11:00 Tokyo, someone else's?",
				activities.Today:    "all day Dec 3, 19:00 Tokyo",
				activities.Upcoming: "01:00 Tokyo +1, all day Dec 4, with Bo"},
			// In Los Angeles it is still Dec 2: that all-day item is today's.
			la: {activities.Overdue: "with Ada and Bo, 11:00 Tokyo, someone else's?",
				activities.Today:    "all day Dec 2",
				activities.Upcoming: "all day Dec 3, 19:00 Tokyo, 01:00 Tokyo +1, all day Dec 4, with Bo"},
		}
		for loc, buckets := range want {
			d := activities.Day{Now: now, Loc: loc}
			for _, b := range activities.Buckets {
				var page activities.Page
				must(t, db.Read(ctx, func(tx *store.Tx) (err error) { page, err = activities.MyDay(tx, p, d, b, "", 50); return err }))
				var got []string
				for _, a := range page.Items {
					got = append(got, a.Title)
					if d.BucketOf(a) != b {
						t.Errorf("%s: BucketOf(%q) = %s, MyDay put it in %s", loc, a.Title, d.BucketOf(a), b)
					}
				}
				if strings.Join(got, ", ") != buckets[b] {
					t.Errorf("%s %s:\n got %q\nwant %q", loc, b, strings.Join(got, ", "), buckets[b])
				}
			}
			// All buckets at once: the same pages, each activity with its own
			// participants (looked up together, handed back to the right rows).
			var pages []activities.Page
			must(t, db.Read(ctx, func(tx *store.Tx) (err error) { pages, err = activities.MyDayAll(tx, p, d, nil, 50); return err }))
			for i, b := range activities.Buckets {
				var got []string
				for _, a := range pages[i].Items {
					got = append(got, a.Title)
					var ids []crm.ID
					for _, c := range a.Contacts {
						ids = append(ids, c.ContactID)
					}
					var want []crm.ID
					for _, c := range with[a.Title] {
						want = append(want, c.ContactID)
					}
					if fmt.Sprint(ids) != fmt.Sprint(want) {
						t.Errorf("%s: MyDayAll gave %q participants %v, want %v", loc, a.Title, ids, want)
					}
				}
				if strings.Join(got, ", ") != buckets[b] {
					t.Errorf("%s %s (MyDayAll):\n got %q\nwant %q", loc, b, strings.Join(got, ", "), buckets[b])
				}
			}
		}
	})
}

func TestMyDayPagesWithACursor(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		p := workspace(t, db, crm.RoleMember)
		now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
		same := now.Add(-time.Hour)
		for i := 0; i < 7; i++ {
			due := now.Add(-time.Duration(i+2) * time.Hour)
			if i >= 4 {
				due = same // ties broken by id
			}
			create(t, db, p, activities.Input{Title: ptr(fmt.Sprint("t", i)), DueAt: &due})
		}
		seen := map[crm.ID]bool{}
		cursor, pages := "", 0
		for {
			var page activities.Page
			must(t, db.Read(ctx, func(tx *store.Tx) (err error) {
				page, err = activities.MyDay(tx, p, activities.Day{Now: now, Loc: time.UTC}, activities.Overdue, cursor, 3)
				return err
			}))
			pages++
			for _, a := range page.Items {
				if seen[a.ID] {
					t.Fatalf("%q twice", a.Title)
				}
				seen[a.ID] = true
			}
			if cursor = page.Next; cursor == "" {
				break
			}
		}
		if len(seen) != 7 || pages != 3 {
			t.Fatalf("saw %d in %d pages", len(seen), pages)
		}
		err := db.Read(ctx, func(tx *store.Tx) error {
			_, err := activities.MyDay(tx, p, activities.Day{Now: now}, activities.Today, "garbage!", 3)
			return err
		})
		if crm.ErrorFields(err)["cursor"] == "" {
			t.Fatalf("bad cursor: %v", err)
		}
	})
}

// fakeQueue counts enqueued jobs.
type fakeQueue struct{ n int }

func (q *fakeQueue) Enqueue(*store.Tx, river.JobArgs, *river.InsertOpts) error { q.n++; return nil }

func TestReminderGoesOutExactlyOnce(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		p := workspace(t, db, crm.RoleMember)
		q := &fakeQueue{}
		r := &activities.Reminders{DB: db, Queue: q, Mail: true, BaseURL: "https://crm.example"}
		due := time.Now().Add(10 * time.Minute)
		a := create(t, db, p, activities.Input{Title: ptr("Prepare demo"), DueAt: &due, RemindBefore: ptr(15)})
		later := time.Now().Add(3 * time.Hour)
		create(t, db, p, activities.Input{Title: ptr("Not yet"), DueAt: &later, RemindBefore: ptr(15)})
		doneFirst := create(t, db, p, activities.Input{Title: ptr("Done already"), DueAt: &due, RemindBefore: ptr(30)})
		must(t, db.Write(ctx, func(tx *store.Tx) error { _, err := activities.MarkDone(tx, p, doneFirst.ID, nil); return err }))

		send := func() int {
			var n int
			must(t, db.Write(ctx, func(tx *store.Tx) (err error) { n, err = r.SendDue(tx, 100); return err }))
			return n
		}
		if n := send(); n != 1 {
			t.Fatalf("first run sent %d", n)
		}
		if n := send(); n != 0 {
			t.Fatalf("second run sent %d", n)
		}
		count := func(q string) int {
			var n int
			must(t, db.Read(ctx, func(tx *store.Tx) error { return tx.QueryRow(q, p.WorkspaceID).Scan(&n) }))
			return n
		}
		if n := count(`SELECT count(*) FROM notifications WHERE workspace_id = ?`); n != 1 {
			t.Fatalf("%d notifications", n)
		}
		if n := count(`SELECT count(*) FROM outbox WHERE workspace_id = ? AND subject = 'Reminder: Prepare demo'`); n != 1 || q.n != 1 {
			t.Fatalf("%d reminder emails, %d jobs", n, q.n)
		}
		var unread int
		var ns []activities.Notification
		must(t, db.Read(ctx, func(tx *store.Tx) (err error) {
			if unread, err = activities.Unread(tx, p); err != nil {
				return err
			}
			ns, err = activities.Notifications(tx, p, 0, 10)
			return err
		}))
		if unread != 1 || len(ns) != 1 || ns[0].URL != "/activities/"+a.ID.String() {
			t.Fatalf("unread %d, %+v", unread, ns)
		}
		// Marking read is per user: someone else's notification is not found.
		other := workspace(t, db, crm.RoleOwner)
		err := db.Write(ctx, func(tx *store.Tx) error { return activities.MarkRead(tx, other, ns[0].ID) })
		if crm.ErrorCode(err) != crm.NotFound {
			t.Fatalf("other marked read: %v", err)
		}
		must(t, db.Write(ctx, func(tx *store.Tx) error { return activities.MarkRead(tx, p, ns[0].ID) }))
		must(t, db.Read(ctx, func(tx *store.Tx) (err error) { unread, err = activities.Unread(tx, p); return err }))
		if unread != 0 {
			t.Fatalf("unread after marking: %d", unread)
		}
		// Moving the activity makes a new reminder, sent once again.
		moved := time.Now().Add(5 * time.Minute)
		must(t, db.Write(ctx, func(tx *store.Tx) error {
			_, err := activities.Update(tx, p, a.ID, activities.Input{DueAt: &moved}, 0)
			return err
		}))
		if n := send(); n != 1 {
			t.Fatalf("after moving, sent %d", n)
		}
		if n := send(); n != 0 {
			t.Fatalf("after moving, second run sent %d", n)
		}
	})
}

func TestFeedTokensRevokeAndRegenerate(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		p := workspace(t, db, crm.RoleMember)
		var first, second string
		must(t, db.Write(ctx, func(tx *store.Tx) (err error) { first, err = activities.NewFeedToken(tx, p); return err }))
		opens := func(tok string) bool {
			var got crm.Principal
			err := db.Read(ctx, func(tx *store.Tx) (err error) { got, err = activities.FeedPrincipal(tx, tok); return err })
			if err != nil && crm.ErrorCode(err) != crm.NotFound {
				t.Fatal(err)
			}
			return err == nil && got.UserID == p.UserID && got.WorkspaceID == p.WorkspaceID
		}
		if !strings.HasPrefix(first, activities.FeedPrefix) || !opens(first) {
			t.Fatalf("fresh token %q does not open the feed", first)
		}
		var stored string
		must(t, db.Read(ctx, func(tx *store.Tx) error {
			return tx.QueryRow(`SELECT token_hash FROM calendar_feeds WHERE workspace_id = ?`, p.WorkspaceID).Scan(&stored)
		}))
		if strings.Contains(stored, first) || len(stored) != 64 {
			t.Fatalf("token stored as %q", stored)
		}
		must(t, db.Write(ctx, func(tx *store.Tx) (err error) { second, err = activities.NewFeedToken(tx, p); return err }))
		if opens(first) || !opens(second) {
			t.Fatal("regenerating did not replace the old link")
		}
		must(t, db.Write(ctx, func(tx *store.Tx) error { return activities.RevokeFeed(tx, p) }))
		if opens(second) || opens("tdc_") || opens("nonsense") {
			t.Fatal("revoked or made-up token opens a feed")
		}
		// A deactivated member's feed opens nothing.
		var third string
		must(t, db.Write(ctx, func(tx *store.Tx) (err error) { third, err = activities.NewFeedToken(tx, p); return err }))
		must(t, db.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.Exec(`UPDATE memberships SET deactivated_at = 1 WHERE workspace_id = ? AND user_id = ?`, p.WorkspaceID, p.UserID)
			return err
		}))
		if opens(third) {
			t.Fatal("deactivated member's feed still opens")
		}
	})
}

func TestDealsWithoutNextActivity(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		p := workspace(t, db, crm.RoleMember)
		deal := func(title, status string) crm.ID {
			var id crm.ID
			must(t, db.Write(ctx, func(tx *store.Tx) error {
				id = tx.NewID()
				_, err := tx.Exec(`INSERT INTO deals (id, workspace_id, title, pipeline_id, stage_id, status, owner_id, stage_entered_at, created_at, updated_at)
					VALUES (?, ?, ?, 1, 1, ?, ?, 0, 0, 0)`, id, p.WorkspaceID, title, status, p.UserID)
				return err
			}))
			return id
		}
		planned, idle, won, onlyDone := deal("planned", "open"), deal("idle", "open"), deal("won", "won"), deal("only done", "open")
		due := time.Now().Add(time.Hour)
		create(t, db, p, activities.Input{Title: ptr("Follow up"), DueAt: &due, DealID: &planned})
		d := create(t, db, p, activities.Input{Title: ptr("Old call"), DueAt: &due, DealID: &onlyDone})
		must(t, db.Write(ctx, func(tx *store.Tx) error { _, err := activities.MarkDone(tx, p, d.ID, nil); return err }))
		var ids []crm.ID
		var next map[crm.ID]activities.Due
		must(t, db.Read(ctx, func(tx *store.Tx) (err error) {
			if ids, err = activities.DealsWithoutNextActivity(tx, p.WorkspaceID, 0, 100); err != nil {
				return err
			}
			next, err = activities.NextDue(tx, p.WorkspaceID, []crm.ID{planned, idle, won, onlyDone})
			return err
		}))
		if fmt.Sprint(ids) != fmt.Sprint([]crm.ID{idle, onlyDone}) {
			t.Fatalf("without next: %v (idle %d, only done %d)", ids, idle, onlyDone)
		}
		if len(next) != 1 || next[planned].At.IsZero() || next[planned].Type == "" {
			t.Fatalf("next: %+v", next)
		}
		// Another workspace's deal cannot be linked.
		other := workspace(t, db, crm.RoleOwner)
		err := db.Write(ctx, func(tx *store.Tx) error {
			_, err := activities.Create(tx, other, activities.Input{Title: ptr("x"), DueAt: &due, DealID: &idle})
			return err
		})
		if crm.ErrorFields(err)["deal_id"] == "" {
			t.Fatalf("foreign deal accepted: %v", err)
		}
	})
}

// TestMergeMovesParticipation: merging a contact moves the activities it
// took part in to the survivor, once even where both took part.
func TestMergeMovesParticipation(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		p := workspace(t, db, crm.RoleAdmin)
		ada, dup, bob := contact(t, db, p, "Ada", "ada@example.com"), contact(t, db, p, "Ada", "ada2@example.com"), contact(t, db, p, "Bob", "")
		due := time.Now().Add(time.Hour)
		both := create(t, db, p, activities.Input{Title: ptr("Both"), DueAt: &due,
			Contacts: &[]activities.Participant{{ContactID: ada.ID}, {ContactID: dup.ID, Role: "optional"}}})
		onlyDup := create(t, db, p, activities.Input{Title: ptr("Dup and Bob"), DueAt: &due,
			Contacts: &[]activities.Participant{{ContactID: bob.ID}, {ContactID: dup.ID}}})
		must(t, db.Write(ctx, func(tx *store.Tx) error { _, err := records.MergeContacts(tx, p, ada.ID, dup.ID, nil); return err }))
		must(t, db.Read(ctx, func(tx *store.Tx) error {
			as, err := activities.ForRecord(tx, p, "contact", ada.ID, 10)
			if err != nil || len(as) != 2 {
				t.Fatalf("ada's activities: %d %v", len(as), err)
			}
			a, err := activities.View(tx, p, both.ID)
			if err != nil || len(a.Contacts) != 1 || a.Contacts[0].ContactID != ada.ID {
				t.Fatalf("both: %+v %v", a.Contacts, err)
			}
			b, err := activities.View(tx, p, onlyDup.ID)
			if err != nil || len(b.Contacts) != 2 || b.Contacts[1].ContactID != ada.ID {
				t.Fatalf("dup and bob: %+v %v", b.Contacts, err)
			}
			return nil
		}))
	})
}

func TestZones(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		admin := workspace(t, db, crm.RoleAdmin)
		var member crm.Principal
		must(t, db.Write(ctx, func(tx *store.Tx) (err error) { member, err = member2(tx, admin.WorkspaceID); return err }))
		zoneOf := func(p crm.Principal) string {
			var loc *time.Location
			must(t, db.Read(ctx, func(tx *store.Tx) (err error) { loc, err = activities.Zone(tx, p); return err }))
			return loc.String()
		}
		if z := zoneOf(member); z != "UTC" {
			t.Fatalf("default zone %s", z)
		}
		err := db.Write(ctx, func(tx *store.Tx) error { return activities.SetWorkspaceZone(tx, member, "Europe/Berlin") })
		if crm.ErrorCode(err) != crm.Forbidden {
			t.Fatalf("member set the workspace zone: %v", err)
		}
		must(t, db.Write(ctx, func(tx *store.Tx) error { return activities.SetWorkspaceZone(tx, admin, "Europe/Berlin") }))
		if z := zoneOf(member); z != "Europe/Berlin" {
			t.Fatalf("workspace zone not followed: %s", z)
		}
		err = db.Write(ctx, func(tx *store.Tx) error { return activities.SetZone(tx, member, "Mars/Olympus") })
		if crm.ErrorFields(err)["time_zone"] == "" {
			t.Fatalf("bad zone: %v", err)
		}
		must(t, db.Write(ctx, func(tx *store.Tx) error { return activities.SetZone(tx, member, "Asia/Tokyo") }))
		if z, w := zoneOf(member), zoneOf(admin); z != "Asia/Tokyo" || w != "Europe/Berlin" {
			t.Fatalf("own zone %s, admin's %s", z, w)
		}
	})
}

func member2(tx *store.Tx, ws crm.ID) (crm.Principal, error) {
	return member(tx, ws, crm.RoleMember, "m")
}

func TestReadOnlyReadsButNeverWrites(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		admin := workspace(t, db, crm.RoleAdmin)
		var ro crm.Principal
		must(t, db.Write(ctx, func(tx *store.Tx) (err error) {
			ro, err = member(tx, admin.WorkspaceID, crm.RoleReadOnly, "r")
			return err
		}))
		due := time.Now().Add(time.Hour)
		a := create(t, db, admin, activities.Input{Title: ptr("Admin's"), DueAt: &due})
		must(t, db.Read(ctx, func(tx *store.Tx) error { _, err := activities.View(tx, ro, a.ID); return err }))
		for name, write := range map[string]func(*store.Tx) error{
			"create": func(tx *store.Tx) error {
				_, err := activities.Create(tx, ro, activities.Input{Title: ptr("x"), DueAt: &due})
				return err
			},
			"update": func(tx *store.Tx) error {
				_, err := activities.Update(tx, ro, a.ID, activities.Input{Title: ptr("x")}, 0)
				return err
			},
			"done":   func(tx *store.Tx) error { _, err := activities.MarkDone(tx, ro, a.ID, nil); return err },
			"delete": func(tx *store.Tx) error { return activities.Delete(tx, ro, a.ID) },
		} {
			if err := db.Write(ctx, write); crm.ErrorCode(err) != crm.Forbidden {
				t.Errorf("read-only %s: %v", name, err)
			}
		}
	})
}

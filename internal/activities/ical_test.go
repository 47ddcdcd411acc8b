package activities_test

import (
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-ical"

	"github.com/tandemcrm/tandem/internal/activities"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
	"github.com/tandemcrm/tandem/internal/sysmail"
)

func TestFoldingAndEscaping(t *testing.T) {
	var c activities.ICal
	long := strings.Repeat("Grüße, Welt; ", 20) + "\\ end\nnext line"
	c.Text("SUMMARY", long)
	out := c.String()
	for _, line := range strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n") {
		if len(line) > 75 {
			t.Fatalf("line of %d octets: %q", len(line), line)
		}
		if !strings.HasPrefix(line, "SUMMARY:") && !strings.HasPrefix(line, " ") {
			t.Fatalf("continuation without a space: %q", line)
		}
		if !utf8Valid(line) {
			t.Fatalf("a fold split a character: %q", line)
		}
	}
	unfolded := strings.ReplaceAll(out, "\r\n ", "")
	if !strings.Contains(unfolded, `Grüße\, Welt\; `) || !strings.Contains(unfolded, `\\ end\nnext line`) {
		t.Fatalf("escaping: %q", unfolded)
	}
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }

// TestFeedParsesBack writes a feed and reads it with go-ical, a real
// iCalendar parser: every value must come back as written.
func TestFeedParsesBack(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		p := workspace(t, db, crm.RoleMember)
		ada := contact(t, db, p, "Ada", "ada@example.com")
		due := time.Now().UTC().Add(24 * time.Hour).Truncate(time.Minute)
		title := "Demo, part 1; with \"quotes\" and a very long title that certainly needs folding — ünïcödé 🎉"
		m := create(t, db, p, activities.Input{Type: ptr("meeting"), Title: ptr(title), DueAt: &due, DurationMin: ptr(45),
			ContactID: &ada.ID, Location: ptr("Room 1, floor 2"), Notes: ptr("Agenda:\n1. pricing\n2. contract")})
		task := create(t, db, p, activities.Input{Type: ptr("task"), Title: ptr("Send proposal"), DueAt: &due, RemindBefore: ptr(60)})
		day := time.Date(due.Year(), due.Month(), due.Day(), 0, 0, 0, 0, time.UTC)
		create(t, db, p, activities.Input{Type: ptr("deadline"), Title: ptr("Tender closes"), DueAt: &day, AllDay: ptr(true)})
		must(t, db.Write(ctx, func(tx *store.Tx) error { _, err := activities.MarkDone(tx, p, task.ID, ptr("Sent")); return err }))

		var text string
		must(t, db.Read(ctx, func(tx *store.Tx) error {
			as, err := activities.FeedActivities(tx, p)
			text = activities.WriteCalendar(activities.CalendarOptions{Name: "Tandem — U", BaseURL: "https://crm.example", Host: "crm.example"}, nil, as, tx.Now)
			return err
		}))
		cal, err := ical.NewDecoder(strings.NewReader(text)).Decode()
		if err != nil {
			t.Fatalf("parse: %v\n%s", err, text)
		}
		events, todos := cal.Events(), cal.Children
		if len(events) != 2 {
			t.Fatalf("%d events:\n%s", len(events), text)
		}
		var got *ical.Event
		for i := range events {
			if s, _ := events[i].Props.Text(ical.PropSummary); s == title {
				got = &events[i]
			}
		}
		if got == nil {
			t.Fatalf("meeting title did not survive:\n%s", text)
		}
		start, err := got.DateTimeStart(time.UTC)
		end, err2 := got.DateTimeEnd(time.UTC)
		if err != nil || err2 != nil || !start.Equal(due) || end.Sub(start) != 45*time.Minute {
			t.Fatalf("times: %v–%v (%v %v), want %v", start, end, err, err2, due)
		}
		loc, _ := got.Props.Text(ical.PropLocation)
		desc, _ := got.Props.Text(ical.PropDescription)
		uid, _ := got.Props.Text(ical.PropUID)
		if loc != "Room 1, floor 2" || !strings.Contains(desc, "With: Ada") || !strings.Contains(desc, "1. pricing\n2. contract") ||
			uid != "activity-"+m.ID.String()+"@crm.example" {
			t.Fatalf("location %q, description %q, uid %q", loc, desc, uid)
		}
		var todo *ical.Component
		var allDay *ical.Component
		for _, c := range todos {
			if c.Name == ical.CompToDo {
				todo = c
			}
			if s, _ := c.Props.Text(ical.PropSummary); s == "Tender closes" {
				allDay = c
			}
		}
		if todo == nil {
			t.Fatal("no VTODO for the task")
		}
		if st, _ := todo.Props.Text(ical.PropStatus); st != "COMPLETED" {
			t.Fatalf("task status %q", st)
		}
		if allDay == nil || allDay.Props.Get(ical.PropDateTimeStart).ValueType() != ical.ValueDate {
			t.Fatalf("all-day deadline not a DATE:\n%s", text)
		}
		if d, err := allDay.Props.Get(ical.PropDateTimeStart).DateTime(time.UTC); err != nil || !d.Equal(day) {
			t.Fatalf("all-day date %v %v", d, err)
		}
	})
}

func TestInvitationCarriesAnICSAttachment(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		p := workspace(t, db, crm.RoleMember)
		ada := contact(t, db, p, "Ada", "ada@example.com")
		bob := contact(t, db, p, "Bob", "")
		due := time.Now().Add(48 * time.Hour)
		m := create(t, db, p, activities.Input{Type: ptr("meeting"), Title: ptr("Kick-off"), DueAt: &due, DurationMin: ptr(30),
			Contacts: &[]activities.Participant{{ContactID: ada.ID}, {ContactID: bob.ID, Role: "optional"}}})
		q := &fakeQueue{}
		var n int
		must(t, db.Write(ctx, func(tx *store.Tx) (err error) {
			n, err = activities.Invite(tx, q, p, m.ID, "https://crm.example")
			return err
		}))
		must(t, db.Write(ctx, func(tx *store.Tx) (err error) {
			_, err = activities.Invite(tx, q, p, m.ID, "https://crm.example")
			return err
		}))
		if n != 1 || q.n != 1 {
			t.Fatalf("queued %d, %d jobs (bob has no address; a second send of the same version queues nothing)", n, q.n)
		}
		var items []sysmail.Item
		var att string
		must(t, db.Read(ctx, func(tx *store.Tx) (err error) {
			if items, err = sysmail.List(tx, p.WorkspaceID, 10); err != nil {
				return err
			}
			return tx.QueryRow(`SELECT attach_body FROM outbox WHERE workspace_id = ? AND id = ?`, p.WorkspaceID, items[0].ID).Scan(&att)
		}))
		if len(items) != 1 || items[0].To != "ada@example.com" || items[0].Subject != "Invitation: Kick-off" {
			t.Fatalf("outbox: %+v", items)
		}
		cal, err := ical.NewDecoder(strings.NewReader(att)).Decode()
		if err != nil {
			t.Fatalf("attachment does not parse: %v\n%s", err, att)
		}
		if meth, _ := cal.Props.Text(ical.PropMethod); meth != "REQUEST" || len(cal.Events()) != 1 {
			t.Fatalf("method %q, %d events", meth, len(cal.Events()))
		}
		ev := cal.Events()[0]
		if a := ev.Props.Values(ical.PropAttendee); len(a) != 1 || a[0].Value != "mailto:ada@example.com" {
			t.Fatalf("attendees %+v", a)
		}
		if o := ev.Props.Get(ical.PropOrganizer); o == nil || !strings.HasPrefix(o.Value, "mailto:") {
			t.Fatalf("organizer %+v", o)
		}
		// Only meetings invite.
		due2 := due
		task := create(t, db, p, activities.Input{Title: ptr("x"), DueAt: &due2, ContactID: &ada.ID})
		err = db.Write(ctx, func(tx *store.Tx) (err error) { _, err = activities.Invite(tx, q, p, task.ID, ""); return err })
		if crm.ErrorCode(err) != crm.Invalid {
			t.Fatalf("task invitation: %v", err)
		}
	})
}

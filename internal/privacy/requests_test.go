package privacy_test

import (
	"context"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tandemcrm/tandem/internal/audit"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/privacy"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
	"github.com/tandemcrm/tandem/internal/sysmail"
)

type clock struct{ at atomic.Int64 }

func (c *clock) now() time.Time      { return time.UnixMicro(c.at.Load()).UTC() }
func (c *clock) set(t time.Time)     { c.at.Store(t.UnixMicro()) }
func (c *clock) add(d time.Duration) { c.set(c.now().Add(d)) }
func start() time.Time               { return time.Date(2026, 1, 31, 10, 0, 0, 0, time.UTC) }
func lastLink(t *testing.T, text string) string {
	t.Helper()
	m := regexp.MustCompile(`/privacy-verify/(\S+)`).FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("no link in %q", text)
	}
	return m[1]
}

func TestRequestLifecycle(t *testing.T) {
	c := &clock{}
	c.set(start())
	testdb.EachWith(t, testdb.Options{Clock: c.now}, func(t *testing.T, db *store.DB) {
		c.set(start())
		ctx := context.Background()
		f := newFixture(t, db)
		p := f.p
		sv := f.sv

		// Validation names the fields.
		err := db.Write(ctx, func(tx *store.Tx) error {
			_, err := sv.CreateRequest(tx, p, privacy.NewRequest{Type: "gossip", Regime: "xx", Email: "nope"})
			return err
		})
		if fe := crm.ErrorFields(err); fe["type"] == "" || fe["regime"] == "" || fe["email"] == "" {
			t.Fatalf("validation: %v", err)
		}

		// GDPR: one month (31 Jan → 28 Feb), extendable once by two more.
		var r privacy.Request
		f.write(t, func(tx *store.Tx) (err error) {
			r, err = sv.CreateRequest(tx, p, privacy.NewRequest{Type: "access", Email: "Ann@Example.com", AgentName: "Lawyer & Co"})
			return err
		})
		if r.Regime != "gdpr" || r.Status != privacy.Received || r.DueAt.Format("2006-01-02") != "2026-02-28" {
			t.Fatalf("created: %+v", r)
		}
		// CCPA: 45 days, extendable once by 45.
		var cc privacy.Request
		f.write(t, func(tx *store.Tx) (err error) {
			cc, err = sv.CreateRequest(tx, p, privacy.NewRequest{Type: "objection", Regime: "ccpa", Email: "bo@example.com"})
			if err != nil {
				return err
			}
			cc, err = sv.Extend(tx, p, cc.ID, "Large archive to search")
			return err
		})
		if got := cc.DueAt.Sub(start()); got != 90*24*time.Hour || !cc.Extended {
			t.Fatalf("ccpa extended due: %v", got)
		}
		err = db.Write(ctx, func(tx *store.Tx) error { _, err := sv.Extend(tx, p, cc.ID, "again"); return err })
		if crm.ErrorCode(err) != crm.Conflict {
			t.Fatalf("second extension: %v", err)
		}

		// Fulfilling before verification is refused; so is the download.
		err = db.Write(ctx, func(tx *store.Tx) error { _, _, err := sv.Fulfil(tx, p, r.ID, ""); return err })
		if crm.ErrorCode(err) != crm.Conflict {
			t.Fatalf("fulfil unverified: %v", err)
		}

		// The confirmation link goes to the address; it works once.
		f.write(t, func(tx *store.Tx) (err error) { r, err = sv.SendVerification(tx, p, r.ID); return err })
		var mails []sysmail.Item
		f.write(t, func(tx *store.Tx) (err error) { mails, err = sysmail.List(tx, p.WorkspaceID, 10); return err })
		if len(mails) != 1 || mails[0].To != "ann@example.com" {
			t.Fatalf("mail: %+v", mails)
		}
		token := lastLink(t, mails[0].Text)
		f.write(t, func(tx *store.Tx) (err error) { r, err = sv.VerifyToken(tx, token); return err })
		if r.Status != privacy.Verified || r.VerifiedAt == nil {
			t.Fatalf("verified: %+v", r)
		}
		err = db.Write(ctx, func(tx *store.Tx) error { _, err := sv.VerifyToken(tx, token); return err })
		if crm.ErrorCode(err) != crm.NotFound {
			t.Fatalf("token reused: %v", err)
		}

		// Overdue view: past the due date, open requests show; closed do not.
		c.add(40 * 24 * time.Hour)
		var over []privacy.Request
		f.write(t, func(tx *store.Tx) (err error) { over, err = sv.ListRequests(tx, p, true, 50); return err })
		if len(over) != 1 || over[0].ID != r.ID || !over[0].Overdue {
			t.Fatalf("overdue: %+v", over)
		}
		f.write(t, func(tx *store.Tx) (err error) { r, _, err = sv.Fulfil(tx, p, r.ID, "Sent the bundle."); return err })
		f.write(t, func(tx *store.Tx) (err error) { over, err = sv.ListRequests(tx, p, true, 50); return err })
		if len(over) != 0 || r.Status != privacy.Fulfilled {
			t.Fatalf("after fulfilment: %+v %+v", r, over)
		}

		// Every step is on the request's timeline.
		var evs []crm.Event
		f.write(t, func(tx *store.Tx) (err error) {
			evs, err = tx.Events(p.WorkspaceID, "privacy_request", r.ID, 50)
			return err
		})
		if len(evs) != 4 { // created, verification sent, verified, fulfilled
			t.Fatalf("events: %d", len(evs))
		}
		if ch := evs[0].Changes["status"]; ch.Before != "verified" || ch.After != "fulfilled" {
			t.Errorf("last event: %+v", evs[0].Changes)
		}
		var entries []audit.Entry
		f.write(t, func(tx *store.Tx) (err error) {
			entries, _, err = audit.List(tx, p.WorkspaceID, audit.Filter{ObjectType: "privacy_request", ObjectID: r.ID}, 10, 0)
			return err
		})
		var actions []string
		for _, e := range entries {
			actions = append(actions, e.Action)
		}
		if got := strings.Join(actions, ","); got != "privacy_request.fulfilled,privacy_request.verified,privacy_request.received,privacy_request.received" {
			t.Errorf("audit trail of the request: %s", got)
		}

		// Members cannot see the register.
		member := p
		member.Role = crm.RoleMember
		err = db.Read(ctx, func(tx *store.Tx) error { _, err := sv.ListRequests(tx, member, false, 10); return err })
		if crm.ErrorCode(err) != crm.Forbidden {
			t.Fatalf("member: %v", err)
		}
	})
}

// The public form answers the same for known and unknown addresses, and an
// erasure request, once verified and fulfilled, erases the person.
func TestPublicErasureRequest(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		p := f.p
		var token string
		f.write(t, func(tx *store.Tx) error {
			if _, err := records.CreateContact(tx, p, records.NewContact{FirstName: "Kim", LastName: "Known", Email: "kim@example.com"}); err != nil {
				return err
			}
			s, err := privacy.EnableForm(tx, p, false)
			token = s.FormToken
			return err
		})
		for _, email := range []string{"kim@example.com", "nobody@example.com"} {
			f.write(t, func(tx *store.Tx) error {
				return f.sv.SubmitPublic(tx, token, privacy.NewRequest{Type: "erasure", Email: email})
			})
		}
		err := db.Write(ctx, func(tx *store.Tx) error {
			return f.sv.SubmitPublic(tx, "wrong-token", privacy.NewRequest{Type: "erasure", Email: "a@b.co"})
		})
		if crm.ErrorCode(err) != crm.NotFound {
			t.Fatalf("bad token: %v", err)
		}
		var mails []sysmail.Item
		f.write(t, func(tx *store.Tx) (err error) { mails, err = sysmail.List(tx, p.WorkspaceID, 10); return err })
		if len(mails) != 2 {
			t.Fatalf("both addresses get the same confirmation: %d mails", len(mails))
		}
		var kimMail string
		for _, m := range mails {
			if m.To == "kim@example.com" {
				kimMail = m.Text
			}
		}
		var r privacy.Request
		f.write(t, func(tx *store.Tx) (err error) { r, err = f.sv.VerifyToken(tx, lastLink(t, kimMail)); return err })
		var rep privacy.Report
		f.write(t, func(tx *store.Tx) (err error) { r, rep, err = f.sv.Fulfil(tx, p, r.ID, ""); return err })
		if r.Status != privacy.Fulfilled || rep.Total() == 0 {
			t.Fatalf("fulfilled: %+v %+v", r, rep)
		}
		var left []crm.ID
		f.write(t, func(tx *store.Tx) (err error) {
			left, err = privacy.FindContacts(tx, p.WorkspaceID, "kim@example.com")
			return err
		})
		if len(left) != 0 {
			t.Fatalf("contact survived: %v", left)
		}
		// The register keeps the request, pseudonymised.
		f.write(t, func(tx *store.Tx) (err error) { r, err = f.sv.GetRequest(tx, p, r.ID); return err })
		if r.SubjectEmail != "" || r.Status != privacy.Fulfilled {
			t.Fatalf("register after erasure: %+v", r)
		}
	})
}

func TestRetentionDryRunAndEnforce(t *testing.T) {
	c := &clock{}
	testdb.EachWith(t, testdb.Options{Clock: c.now}, func(t *testing.T, db *store.DB) {
		c.set(start())
		f := newFixture(t, db)
		p := f.p
		var gone, kept crm.ID
		f.write(t, func(tx *store.Tx) error {
			for i, name := range []string{"Old", "Held"} {
				ct, err := records.CreateContact(tx, p, records.NewContact{FirstName: name, Email: name + "@example.com"})
				if err != nil {
					return err
				}
				if err := records.DeleteContact(tx, p, ct.ID); err != nil {
					return err
				}
				if i == 0 {
					gone = ct.ID
				} else {
					kept = ct.ID
				}
			}
			return privacy.SetHold(tx, p, kept, "Litigation")
		})
		due := func() map[string]int {
			out := map[string]int{}
			f.write(t, func(tx *store.Tx) error {
				ps, err := f.sv.Policies(tx, p.WorkspaceID)
				for _, x := range ps {
					out[x.Kind] = x.Due
				}
				return err
			})
			return out
		}
		if d := due(); d["contacts"] != 0 {
			t.Fatalf("nothing is due yet: %v", d)
		}
		c.add(31 * 24 * time.Hour)
		if d := due(); d["contacts"] != 1 {
			t.Fatalf("dry run after 31 days: %v", d)
		}
		var done []privacy.Count
		f.write(t, func(tx *store.Tx) (err error) { done, err = f.sv.Enforce(tx, p.WorkspaceID); return err })
		if len(done) != 1 || done[0].Kind != "contacts" || done[0].Rows != 1 {
			t.Fatalf("enforced: %+v", done)
		}
		f.write(t, func(tx *store.Tx) error {
			if _, err := privacy.LoadSubject(tx, p.WorkspaceID, gone); crm.ErrorCode(err) != crm.NotFound {
				t.Errorf("trashed contact not purged: %v", err)
			}
			if _, err := privacy.LoadSubject(tx, p.WorkspaceID, kept); err != nil {
				t.Errorf("held contact purged: %v", err)
			}
			return nil
		})
		// A workspace may keep things longer; 0 keeps them forever.
		f.write(t, func(tx *store.Tx) error { return f.sv.SetPolicy(tx, p, "outbox", 0) })
		err := db.Write(context.Background(), func(tx *store.Tx) error { return f.sv.SetPolicy(tx, p, "notes", 10) })
		if crm.ErrorCode(err) != crm.NotFound {
			t.Fatalf("policy for a kind without retention: %v", err)
		}
		f.write(t, func(tx *store.Tx) error {
			ps, err := f.sv.Policies(tx, p.WorkspaceID)
			for _, x := range ps {
				if x.Kind == "outbox" && (x.Days != 0 || x.DefaultDays != 90) {
					t.Errorf("outbox policy: %+v", x)
				}
			}
			return err
		})
	})
}

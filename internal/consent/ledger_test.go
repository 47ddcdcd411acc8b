package consent_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tandemcrm/tandem/internal/consent"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

func TestLedger(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		p := member(t, db, crm.RoleMember)
		ws := p.WorkspaceID
		c := contact(t, db, p, "ada@example.com", "")
		at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
		write(t, db, func(tx *store.Tx) error {
			if _, err := consent.Record(tx, ws, c.ID, consent.Entry{Purpose: "marketing_email", Status: "granted",
				Source: "form", NoticeVersion: "privacy-2026-01", IP: "203.0.113.77", UserAgent: "Firefox/140", At: at}, p.Actor()); err != nil {
				return err
			}
			_, err := consent.Record(tx, ws, c.ID, consent.Entry{Purpose: "marketing_email", Status: "withdrawn",
				Source: "preference_centre", IP: "2001:db8:1234:5678::1"}, p.Actor())
			return err
		})
		err := db.Read(ctx, func(tx *store.Tx) error {
			h, err := consent.History(tx, ws, c.ID, 0, 10)
			if err != nil || len(h) != 2 {
				t.Fatalf("history: %+v %v", h, err)
			}
			old := h[1]
			if old.Status != "granted" || old.IP != "203.0.113.0" || old.NoticeVersion != "privacy-2026-01" ||
				old.UserAgent != "Firefox/140" || !old.At.Equal(at) || old.Basis != "consent" || old.Actor != p.Actor() {
				t.Errorf("evidence kept: %+v", old)
			}
			if h[0].IP != "2001:db8:1234::" || h[0].Status != "withdrawn" {
				t.Errorf("IPv6 truncated to /48: %+v", h[0])
			}
			st, err := consent.Current(tx, ws, c.ID)
			if err != nil || len(st) != 5 || st[0].Purpose.Key != "marketing_email" || st[0].Status != "withdrawn" || st[1].Status != "" {
				t.Errorf("current: %+v %v", st, err)
			}
			evs, err := tx.Events(ws, "contact", c.ID, 10)
			if err != nil || len(evs) != 3 || evs[0].Changes["consent marketing_email"].After != "withdrawn (preference_centre)" ||
				evs[0].Changes["consent marketing_email"].Before != "granted" {
				t.Errorf("timeline events: %+v %v", evs, err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		// Bad input is refused field by field, and nothing is written.
		err = db.Write(ctx, func(tx *store.Tx) error {
			_, err := consent.Record(tx, ws, c.ID, consent.Entry{Purpose: "astrology", Status: "maybe", Basis: "whim",
				Source: "rumour", IP: "not an ip", At: time.Now().Add(time.Hour)}, p.Actor())
			return err
		})
		f := crm.ErrorFields(err)
		for _, k := range []string{"purpose", "status", "basis", "source", "ip", "at"} {
			if f[k] == "" {
				t.Errorf("no error on %s: %v", k, err)
			}
		}
		// Another workspace's contact is not found.
		q := member(t, db, crm.RoleMember)
		err = db.Write(ctx, func(tx *store.Tx) error {
			_, err := consent.Record(tx, q.WorkspaceID, c.ID, consent.Entry{Purpose: "sms", Status: "granted"}, q.Actor())
			return err
		})
		if crm.ErrorCode(err) != crm.NotFound {
			t.Errorf("other workspace: %v", err)
		}
		_ = db.Read(ctx, func(tx *store.Tx) error {
			h, _ := consent.History(tx, ws, c.ID, 0, 10)
			if len(h) != 2 {
				t.Errorf("refused entries were written: %d", len(h))
			}
			return nil
		})
	})
}

func TestConsentFilter(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		p := member(t, db, crm.RoleAdmin)
		ws := p.WorkspaceID
		yes := contact(t, db, p, "yes@example.com", "")
		no := contact(t, db, p, "no@example.com", "")
		none := contact(t, db, p, "none@example.com", "")
		write(t, db, func(tx *store.Tx) error {
			if _, err := consent.Record(tx, ws, yes.ID, consent.Entry{Purpose: "marketing_email", Status: "granted"}, p.Actor()); err != nil {
				return err
			}
			if _, err := consent.Record(tx, ws, no.ID, consent.Entry{Purpose: "marketing_email", Status: "granted"}, p.Actor()); err != nil {
				return err
			}
			if _, err := consent.Record(tx, ws, no.ID, consent.Entry{Purpose: "marketing_email", Status: "withdrawn"}, p.Actor()); err != nil {
				return err
			}
			// Granted for another purpose must not count for marketing email.
			_, err := consent.Record(tx, ws, none.ID, consent.Entry{Purpose: "sms", Status: "granted"}, p.Actor())
			return err
		})
		for _, tc := range []struct {
			filter string
			want   []crm.ID
		}{
			{`consent.marketing_email = "granted"`, []crm.ID{yes.ID}},
			{`consent.marketing_email = "withdrawn"`, []crm.ID{no.ID}},
			{`consent.marketing_email != "granted"`, []crm.ID{no.ID, none.ID}},
			{"consent.marketing_email is empty", []crm.ID{none.ID}},
			{`consent.marketing_email in ("granted", "withdrawn")`, []crm.ID{yes.ID, no.ID}},
			{`consent.sms = "granted" and email ~ "none"`, []crm.ID{none.ID}},
		} {
			var page records.Page[records.Contact]
			err := db.Read(ctx, func(tx *store.Tx) (err error) {
				page, err = records.QueryContacts(tx, p, records.ListQuery{Filter: tc.filter, Sort: "id", Limit: 50})
				return err
			})
			var got []crm.ID
			for _, c := range page.Items {
				got = append(got, c.ID)
			}
			slices.Sort(got)
			slices.Sort(tc.want)
			if err != nil || !slices.Equal(got, tc.want) {
				t.Errorf("%s: got %v, %v; want %v", tc.filter, got, err, tc.want)
			}
		}
		err := db.Read(ctx, func(tx *store.Tx) error {
			_, err := records.QueryContacts(tx, p, records.ListQuery{Filter: `consent.astrology = "granted"`})
			return err
		})
		if err == nil || !strings.Contains(err.Error(), "astrology") {
			t.Errorf("unknown purpose: %v", err)
		}
	})
}

func TestCreateSuppressedContact(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		p := member(t, db, crm.RoleAdmin)
		ws := p.WorkspaceID
		write(t, db, func(tx *store.Tx) error {
			if err := consent.Suppress(tx, ws, consent.Email, "erased@example.com", "erased", crm.System); err != nil {
				return err
			}
			return consent.Suppress(tx, ws, consent.Phone, "+44 20 7946 0958", "manual", crm.System)
		})
		create := func(in records.NewContact) error {
			return db.Write(ctx, func(tx *store.Tx) error { _, err := records.CreateContact(tx, p, in); return err })
		}
		err := create(records.NewContact{FirstName: "E", Email: " Erased@Example.com"})
		if f := crm.ErrorFields(err); crm.ErrorCode(err) != crm.Invalid || !strings.Contains(f["email"], "suppressed (erased)") ||
			!strings.Contains(crm.ErrorMessage(err), "suppressed") {
			t.Fatalf("suppressed email accepted or badly refused: %v %v", err, f)
		}
		err = create(records.NewContact{FirstName: "E", Emails: []records.EmailAddr{{Email: "ok@example.com"}, {Email: "erased@example.com"}}})
		if f := crm.ErrorFields(err); !strings.Contains(f["emails.1"], "suppressed") {
			t.Fatalf("second address: %v %v", err, f)
		}
		err = create(records.NewContact{FirstName: "P", Phone: "+44 (20) 7946-0958"})
		if f := crm.ErrorFields(err); !strings.Contains(f["phone"], "suppressed") {
			t.Fatalf("suppressed phone: %v %v", err, f)
		}
		if err := create(records.NewContact{FirstName: "Fine", Email: "fine@example.com"}); err != nil {
			t.Fatal(err)
		}
		// With re-creation allowed the contact is created, and stays uncontactable.
		write(t, db, func(tx *store.Tx) error {
			s, err := consent.Load(tx, ws)
			if err != nil {
				return err
			}
			s.AllowRecreate = true
			return consent.Save(tx, p, s)
		})
		if err := create(records.NewContact{FirstName: "E", Email: "erased@example.com"}); err != nil {
			t.Fatalf("re-creation allowed: %v", err)
		}
		_ = db.Read(ctx, func(tx *store.Tx) error {
			d, err := consent.MayContact(tx, ws, "email", "erased@example.com", "calls")
			if err != nil || d.Allowed || !strings.Contains(d.Reason, "suppression") {
				t.Errorf("re-created contact may be contacted: %+v %v", d, err)
			}
			return nil
		})
	})
}

func TestSettings(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		admin := member(t, db, crm.RoleAdmin)
		ws := admin.WorkspaceID
		err := db.Write(ctx, func(tx *store.Tx) error {
			s := consent.Settings{Tracking: "sometimes", Purposes: []consent.Purpose{{Key: "Bad Key", Label: "x"}, {Key: "ok", Label: ""}}}
			return consent.Save(tx, admin, s)
		})
		f := crm.ErrorFields(err)
		if f["tracking"] == "" || f["purposes.0"] == "" || f["purposes.1"] == "" {
			t.Fatalf("validation: %v", err)
		}
		err = db.Write(ctx, func(tx *store.Tx) error {
			return consent.Save(tx, crm.Principal{WorkspaceID: ws, UserID: admin.UserID, Role: crm.RoleMember}, consent.Settings{Tracking: "on"})
		})
		if crm.ErrorCode(err) != crm.Forbidden {
			t.Fatalf("a member changed settings: %v", err)
		}
		write(t, db, func(tx *store.Tx) error {
			return consent.Save(tx, admin, consent.Settings{Tracking: consent.TrackingOn, AllowRecreate: true,
				Purposes: []consent.Purpose{{Key: "newsletter", Label: "Newsletter", RequiresConsent: true}, {Key: "tracking", Label: "Tracking"}}})
		})
		_ = db.Read(ctx, func(tx *store.Tx) error {
			s, err := consent.Load(tx, ws)
			if err != nil || !s.AllowRecreate || s.Tracking != "on" || len(s.Purposes) != 2 || s.Purposes[0].Key != "newsletter" || s.Purposes[1].RequiresConsent {
				t.Errorf("saved: %+v %v", s, err)
			}
			evs, err := tx.Events(ws, "workspace", ws, 5)
			if err != nil || len(evs) == 0 || evs[0].Changes["privacy_tracking"].After != "on" {
				t.Errorf("settings event: %+v %v", evs, err)
			}
			return nil
		})
	})
}

func TestTrackingAllowed(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		p := member(t, db, crm.RoleAdmin)
		ws := p.WorkspaceID
		granted := contact(t, db, p, "g@example.com", "")
		optedOut := contact(t, db, p, "o@example.com", "")
		silent := contact(t, db, p, "s@example.com", "")
		write(t, db, func(tx *store.Tx) error {
			if _, err := consent.Record(tx, ws, granted.ID, consent.Entry{Purpose: "tracking", Status: "granted"}, p.Actor()); err != nil {
				return err
			}
			_, err := consent.Record(tx, ws, optedOut.ID, consent.Entry{Purpose: "tracking", Status: "denied", Source: "form"}, crm.System)
			return err
		})
		for _, mode := range []struct {
			mode string
			want [3]bool // granted, opted out, silent
		}{
			{consent.TrackingConsent, [3]bool{true, false, false}},
			{consent.TrackingOn, [3]bool{true, false, true}},
			{consent.TrackingOff, [3]bool{false, false, false}},
		} {
			write(t, db, func(tx *store.Tx) error {
				s, err := consent.Load(tx, ws)
				if err != nil {
					return err
				}
				s.Tracking = mode.mode
				return consent.Save(tx, p, s)
			})
			_ = db.Read(ctx, func(tx *store.Tx) error {
				for i, c := range []crm.ID{granted.ID, optedOut.ID, silent.ID} {
					got, err := consent.TrackingAllowed(tx, ws, c)
					if err != nil || got != mode.want[i] {
						t.Errorf("mode %s contact %d: %v %v; want %v", mode.mode, i, got, err, mode.want[i])
					}
				}
				return nil
			})
		}
	})
}

func TestForgetContact(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		p := member(t, db, crm.RoleAdmin)
		ws := p.WorkspaceID
		gone := contact(t, db, p, "gone@example.com", "")
		kept := contact(t, db, p, "kept@example.com", "")
		for _, c := range []crm.ID{gone.ID, kept.ID} {
			write(t, db, func(tx *store.Tx) error {
				_, err := consent.Record(tx, ws, c, consent.Entry{Purpose: "sms", Status: "granted", IP: "192.0.2.7", UserAgent: "UA"}, p.Actor())
				return err
			})
		}
		write(t, db, func(tx *store.Tx) error {
			n, err := consent.ForgetContact(tx, ws, gone.ID)
			if err != nil || n != 1 {
				t.Errorf("forget: %d %v", n, err)
			}
			return consent.Suppress(tx, ws, consent.Email, "gone@example.com", "erased", crm.System)
		})
		_ = db.Read(ctx, func(tx *store.Tx) error {
			for c, want := range map[crm.ID]int{gone.ID: 0, kept.ID: 1} {
				h, _ := consent.History(tx, ws, c, 0, 10)
				st, _ := consent.Current(tx, ws, c)
				if len(h) != want || (want == 0) != (st[1].Status == "") {
					t.Errorf("contact %d: history %d, sms %q", c, len(h), st[1].Status)
				}
			}
			d, err := consent.MayContact(tx, ws, "email", "gone@example.com", "calls")
			if err != nil || d.Allowed {
				t.Errorf("erased person may be contacted: %+v %v", d, err)
			}
			return nil
		})
	})
}

func TestOptOutSignal(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		p := member(t, db, crm.RoleAdmin)
		ws := p.WorkspaceID
		staff := contact(t, db, p, "staff@example.com", "")
		self := contact(t, db, p, "self@example.com", "")
		write(t, db, func(tx *store.Tx) error {
			// Granted on a form recorded by staff: the signal withdraws it.
			if _, err := consent.Record(tx, ws, staff.ID, consent.Entry{Purpose: "tracking", Status: "granted", Source: "form"}, p.Actor()); err != nil {
				return err
			}
			// Granted by the person in the preference centre: it stands.
			_, err := consent.SetPreferences(tx, ws, self.ID, map[string]string{"tracking": "granted"}, consent.Entry{IP: "192.0.2.1"})
			return err
		})
		for i := 0; i < 2; i++ {
			write(t, db, func(tx *store.Tx) error {
				for _, c := range []crm.ID{staff.ID, self.ID} {
					if _, err := consent.HonourOptOut(tx, ws, c, "form", "Sec-GPC", consent.Entry{}); err != nil {
						return err
					}
				}
				return nil
			})
		}
		_ = db.Read(ctx, func(tx *store.Tx) error {
			for c, want := range map[crm.ID][2]string{staff.ID: {"withdrawn", "denied"}, self.ID: {"granted", "denied"}} {
				st, err := consent.Current(tx, ws, c)
				if err != nil {
					return err
				}
				got := map[string]string{}
				for _, s := range st {
					got[s.Purpose.Key] = s.Status
				}
				if got["tracking"] != want[0] || got["profiling"] != want[1] || got["marketing_email"] != "" {
					t.Errorf("contact %d after the signal: %v, want tracking %s, profiling %s", c, got, want[0], want[1])
				}
			}
			h, _ := consent.History(tx, ws, staff.ID, 0, 10)
			if len(h) != 3 || h[0].Source != "form" || h[0].NoticeVersion != "signal:Sec-GPC" || h[0].Actor.Type != "contact" {
				t.Errorf("signal entries (once each): %+v", h)
			}
			return nil
		})
	})
}

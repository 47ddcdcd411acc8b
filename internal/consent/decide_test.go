package consent_test

import (
	"context"
	"strings"
	"testing"

	"github.com/tandemcrm/tandem/internal/consent"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

func TestMayContact(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		p := member(t, db, crm.RoleAdmin)
		ws := p.WorkspaceID
		granted := contact(t, db, p, "granted@example.com", "+1 415 555 0100")
		withdrawn := contact(t, db, p, "withdrawn@example.com", "+1 415 555 0101")
		denied := contact(t, db, p, "denied@example.com", "")
		contact(t, db, p, "silent@example.com", "+1 415 555 0102")
		record := func(c crm.ID, purpose, status string) {
			write(t, db, func(tx *store.Tx) error {
				_, err := consent.Record(tx, ws, c, consent.Entry{Purpose: purpose, Status: status, Source: "form"}, p.Actor())
				return err
			})
		}
		record(granted.ID, "marketing_email", "granted")
		record(granted.ID, "sms", "granted")
		record(withdrawn.ID, "marketing_email", "granted")
		record(withdrawn.ID, "marketing_email", "withdrawn") // the latest entry wins
		record(withdrawn.ID, "calls", "withdrawn")
		record(denied.ID, "marketing_email", "denied")
		write(t, db, func(tx *store.Tx) error {
			if err := consent.Suppress(tx, ws, consent.Email, "granted@example.com", "unsubscribed", crm.System); err != nil {
				return err
			}
			if err := consent.Suppress(tx, ws, consent.Domain, "blocked.example", "manual", crm.System); err != nil {
				return err
			}
			return consent.Suppress(tx, ws, consent.Phone, "+1 415 555 0102", "manual", crm.System)
		})
		// A second contact with granted consent but a suppressed address, and
		// one whose address is fine.
		fine := contact(t, db, p, "fine@example.com", "")
		record(fine.ID, "marketing_email", "granted")

		for _, tc := range []struct {
			channel, address, purpose string
			allowed                   bool
			reason                    string
		}{
			{"email", "granted@example.com", "marketing_email", false, "suppression list (unsubscribed)"},
			{"email", "someone@blocked.example", "calls", false, "domain blocked.example"},
			{"email", "withdrawn@example.com", "marketing_email", false, "was withdrawn"},
			{"email", "denied@example.com", "marketing_email", false, "was denied"},
			{"email", "silent@example.com", "marketing_email", false, "requires consent"},
			{"email", "unknown@example.com", "marketing_email", false, "requires consent"},
			{"email", "FINE@example.com ", "marketing_email", true, "granted"},
			{"sms", "+1 (415) 555-0100", "sms", true, "granted"},
			{"sms", "+1 415 555 0102", "sms", false, "suppression list"},
			{"phone", "+1 415 555 0100", "calls", true, "does not require consent"},
			{"call", "+1 415 555 0101", "calls", false, "was withdrawn"},
			{"email", "unknown@example.com", "calls", true, "does not require consent"},
		} {
			var d consent.Decision
			err := db.Read(ctx, func(tx *store.Tx) (err error) {
				d, err = consent.MayContact(tx, ws, tc.channel, tc.address, tc.purpose)
				return err
			})
			if err != nil || d.Allowed != tc.allowed || !strings.Contains(d.Reason, tc.reason) {
				t.Errorf("MayContact(%s, %q, %s) = %+v, %v; want allowed=%v with %q", tc.channel, tc.address, tc.purpose, d, err, tc.allowed, tc.reason)
			}
		}
		for _, tc := range []struct{ channel, address, purpose, field string }{
			{"fax", "x@example.com", "marketing_email", "channel"},
			{"email", "not-an-address", "marketing_email", "value"},
			{"email", "x@example.com", "astrology", "purpose"},
		} {
			err := db.Read(ctx, func(tx *store.Tx) error {
				_, err := consent.MayContact(tx, ws, tc.channel, tc.address, tc.purpose)
				return err
			})
			if crm.ErrorFields(err)[tc.field] == "" {
				t.Errorf("MayContact(%s, %q, %s): want an error on %s, got %v", tc.channel, tc.address, tc.purpose, tc.field, err)
			}
		}
		// Another workspace's consent and suppressions do not leak.
		q := member(t, db, crm.RoleAdmin)
		err := db.Read(ctx, func(tx *store.Tx) error {
			d, err := consent.MayContact(tx, q.WorkspaceID, "email", "fine@example.com", "marketing_email")
			if err != nil || d.Allowed {
				t.Errorf("another workspace sees consent: %+v %v", d, err)
			}
			d, err = consent.MayContact(tx, q.WorkspaceID, "email", "granted@example.com", "calls")
			if err != nil || !d.Allowed {
				t.Errorf("another workspace sees suppression: %+v %v", d, err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

func TestRequiresConsentIsConfigurable(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		p := member(t, db, crm.RoleAdmin)
		ask := func() consent.Decision {
			var d consent.Decision
			if err := db.Read(ctx, func(tx *store.Tx) (err error) {
				d, err = consent.MayContact(tx, p.WorkspaceID, "email", "lead@example.com", "marketing_email")
				return err
			}); err != nil {
				t.Fatal(err)
			}
			return d
		}
		if ask().Allowed {
			t.Fatal("marketing email requires consent by default")
		}
		write(t, db, func(tx *store.Tx) error {
			s, err := consent.Load(tx, p.WorkspaceID)
			if err != nil {
				return err
			}
			s.Purposes[0].RequiresConsent = false
			return consent.Save(tx, p, s)
		})
		if d := ask(); !d.Allowed {
			t.Fatalf("after turning the requirement off: %+v", d)
		}
	})
}

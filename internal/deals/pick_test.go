package deals_test

import (
	"strings"
	"testing"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/deals"
	"github.com/tandemcrm/tandem/internal/store"
)

// TestPick: a deal picker offers the newest open deals for nothing typed;
// for a text, the deals whose title holds it in any case, open before
// closed, newest first, with LIKE's wildcards taken literally and only the
// deals the member may see.
func TestPick(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB, c *clock) {
		f := newFixture(t, db, crm.RoleAdmin)
		var col crm.Principal
		f.write(func(tx *store.Tx) error {
			u, err := account.CreateUser(tx, account.NewUser{Email: "col@example.com", Name: "Col", Password: "a long enough phrase"})
			if err != nil {
				return err
			}
			col = crm.Principal{UserID: u.ID, WorkspaceID: f.p.WorkspaceID, Role: crm.RoleMember}
			if err := account.AddMember(tx, f.p.WorkspaceID, u.ID, crm.RoleMember, crm.System); err != nil {
				return err
			}
			return account.SetMemberVisibility(tx, f.p, account.Visibility("own"))
		})
		won := f.deal(deals.NewDeal{Title: "Acme renewal 2025"})
		f.write(func(tx *store.Tx) (err error) { _, err = deals.Win(tx, f.p, won.ID, 0); return err })
		f.deal(deals.NewDeal{Title: "Acme renewal 2026"})
		f.deal(deals.NewDeal{Title: "Globex 100% upsell"})
		f.write(func(tx *store.Tx) error {
			_, err := deals.CreateDeal(tx, col, deals.NewDeal{Title: "Col's ACME pilot"})
			return err
		})
		pick := func(p crm.Principal, q string) string {
			t.Helper()
			var ds []deals.Deal
			f.read(func(tx *store.Tx) (err error) { ds, err = deals.Pick(tx, p, q, 5); return err })
			var out []string
			for _, d := range ds {
				out = append(out, d.Title)
			}
			return strings.Join(out, "; ")
		}
		for _, c := range []struct {
			who     crm.Principal
			q, want string
		}{
			{f.p, "", "Col's ACME pilot; Globex 100% upsell; Acme renewal 2026"},
			{f.p, "acme", "Col's ACME pilot; Acme renewal 2026; Acme renewal 2025"},
			{f.p, " Renewal ", "Acme renewal 2026; Acme renewal 2025"},
			{f.p, "0%", "Globex 100% upsell"},
			{f.p, "_", ""},
			{col, "acme", "Col's ACME pilot"},
			{col, "", "Col's ACME pilot"},
		} {
			if got := pick(c.who, c.q); got != c.want {
				t.Errorf("picking %q: %q, want %q", c.q, got, c.want)
			}
		}
		var err error
		f.read(func(tx *store.Tx) error { _, err = deals.Pick(tx, f.p, strings.Repeat("x", 201), 5); return nil })
		if crm.ErrorCode(err) != crm.Invalid {
			t.Errorf("a 201-character query: %v", err)
		}
	})
}

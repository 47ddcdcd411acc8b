package deals_test

import (
	"testing"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/deals"
	"github.com/tandemcrm/tandem/internal/products"
	"github.com/tandemcrm/tandem/internal/store"
)

// TestLineItemsRule: a deal whose value follows its line items refuses a
// hand-typed value, and a deal with line items refuses a new currency (its
// lines are priced in the old one); without items both are free.
func TestLineItemsRule(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB, c *clock) {
		f := newFixture(t, db, crm.RoleAdmin)
		d := f.deal(deals.NewDeal{Title: "Seats", Currency: "USD", StageID: f.stage("Qualified").ID})
		update := func(in deals.DealPatch) error {
			return db.Write(f.ctx, func(tx *store.Tx) error { _, err := deals.UpdateDeal(tx, f.p, d.ID, in, 0); return err })
		}
		value, eur := int64(5000), "EUR"
		if err := update(deals.DealPatch{Value: &value}); err != nil {
			t.Fatalf("value without items: %v", err)
		}
		f.write(func(tx *store.Tx) error {
			name := "Seat"
			if _, err := products.AddItem(tx, f.p, d.ID, products.ItemInput{Name: &name, Quantity: products.Decimal("2"),
				UnitPrice: products.Decimal("10")}); err != nil {
				return err
			}
			_, err := products.SetValueFromItems(tx, f.p, d.ID, true)
			return err
		})
		value = 9900
		if err := update(deals.DealPatch{Value: &value}); crm.ErrorFields(err)["value"] == "" {
			t.Fatalf("hand-typed value accepted while it follows the items: %v", err)
		}
		if err := update(deals.DealPatch{Currency: &eur}); crm.ErrorFields(err)["currency"] == "" {
			t.Fatalf("currency changed under priced lines: %v", err)
		}
		var got deals.Deal
		f.read(func(tx *store.Tx) (err error) { got, err = deals.GetDeal(tx, f.p.WorkspaceID, d.ID, false); return err })
		if got.Value != 2000 || got.Currency != "USD" {
			t.Fatalf("deal after refusals: %d %s, want 2000 USD", got.Value, got.Currency)
		}
	})
}

// TestDealValueBoundsAgree: products keeps a deal's value within the range
// deals accepts; it repeats the bound because it may not import deals.
func TestDealValueBoundsAgree(t *testing.T) {
	if products.MaxDealValue != deals.MaxValue {
		t.Fatalf("products.MaxDealValue %d, deals.MaxValue %d", int64(products.MaxDealValue), int64(deals.MaxValue))
	}
}

// TestOutOfRangeValueStaysEditable: a deal stored with a value out of range
// (line items with credits once wrote −5000) can still be renamed and
// given a valid value; only a new out-of-range value is refused.
func TestOutOfRangeValueStaysEditable(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB, c *clock) {
		f := newFixture(t, db, crm.RoleAdmin)
		d := f.deal(deals.NewDeal{Title: "Credit heavy", Currency: "USD"})
		f.write(func(tx *store.Tx) error {
			_, err := tx.Exec(`UPDATE deals SET value = -5000 WHERE workspace_id = ? AND id = ?`, f.p.WorkspaceID, d.ID)
			return err
		})
		update := func(in deals.DealPatch) error {
			return db.Write(f.ctx, func(tx *store.Tx) error { _, err := deals.UpdateDeal(tx, f.p, d.ID, in, 0); return err })
		}
		title, neg, fine := "Renamed", int64(-1), int64(100)
		if err := update(deals.DealPatch{Title: &title}); err != nil {
			t.Fatalf("rename with a stored value of -5000: %v", err)
		}
		if err := update(deals.DealPatch{Value: &neg}); crm.ErrorFields(err)["value"] == "" {
			t.Fatalf("new negative value accepted: %v", err)
		}
		if err := update(deals.DealPatch{Value: &fine}); err != nil {
			t.Fatalf("valid value: %v", err)
		}
	})
}

// The bound on a deal's value is said in the deal's currency: 10^15 minor
// units are 10^13 euros but 10^15 yen.
func TestValueBoundInDealCurrency(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB, c *clock) {
		f := newFixture(t, db, crm.RoleMember)
		for cur, want := range map[string]string{
			"EUR": "Give a value from 0 up to EUR 10,000,000,000,000.00.",
			"jpy": "Give a value from 0 up to JPY 1,000,000,000,000,000.",
		} {
			var err error
			f.write(func(tx *store.Tx) error {
				_, err = deals.CreateDeal(tx, f.p, deals.NewDeal{Title: "Too big", Value: deals.MaxValue + 1, Currency: cur})
				return nil
			})
			if got := crm.ErrorFields(err)["value"]; got != want {
				t.Errorf("%s: value error %q, want %q", cur, got, want)
			}
		}
	})
}

package products_test

import (
	"strings"
	"testing"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/products"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

func TestItemsDriveDealValue(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		p := workspace(t, db, crm.RoleAdmin)
		widget, err := write(db, func(tx *store.Tx) (products.Product, error) {
			return products.CreateProduct(tx, p, products.ProductInput{Name: ptr("Widget"), SKU: ptr("W-1"), TaxRate: products.Decimal("20"),
				Prices: &[]products.PriceInput{{Currency: "EUR", UnitPrice: products.Decimal("10.00")}}})
		})
		must(t, err)
		id := deal(t, db, p, "EUR", 777)
		add := func(in products.ItemInput) (products.Item, error) {
			return write(db, func(tx *store.Tx) (products.Item, error) { return products.AddItem(tx, p, id, in) })
		}
		// From the catalogue: name, SKU, price in the deal's currency and tax copied.
		a, err := add(products.ItemInput{ProductID: &widget.ID, Quantity: products.Decimal("2.5"), Discount: products.Decimal("10")})
		must(t, err)
		if a.Name != "Widget" || a.SKU != "W-1" || a.UnitPrice != 1000 || a.TaxRate != 2000 || a.Quantity != 2500 ||
			a.Amounts != (products.Amounts{Subtotal: 2500, Discount: 250, Tax: 450, Total: 2700}) {
			t.Fatalf("line from product: %+v", a)
		}
		if v := dealValue(t, db, p.WorkspaceID, id); v != 777 {
			t.Fatalf("value changed while not driven: %d", v)
		}
		// Turning the flag on sets the value to the net total (after discount, before tax).
		d, err := write(db, func(tx *store.Tx) (products.Deal, error) { return products.SetValueFromItems(tx, p, id, true) })
		if err != nil || !d.ValueFromItems || d.Value != 2250 || dealValue(t, db, p.WorkspaceID, id) != 2250 {
			t.Fatalf("flag on: %+v %v", d, err)
		}
		// A free line; then every change moves the value in the same transaction.
		b, err := add(products.ItemInput{Name: ptr("Setup"), UnitPrice: products.Minor(5000)})
		must(t, err)
		if v := dealValue(t, db, p.WorkspaceID, id); v != 7250 {
			t.Fatalf("after add: %d", v)
		}
		_, err = write(db, func(tx *store.Tx) (products.Item, error) {
			return products.UpdateItem(tx, p, id, b.ID, products.ItemInput{Quantity: products.Decimal("3")}, b.Version)
		})
		must(t, err)
		if v := dealValue(t, db, p.WorkspaceID, id); v != 17250 {
			t.Fatalf("after update: %d", v)
		}
		// Bad input: named fields, nothing stored, value untouched.
		_, err = add(products.ItemInput{Name: ptr("Bad"), Quantity: products.Decimal("0"), UnitPrice: products.Decimal("1.234"),
			Discount: products.Decimal("120"), TaxRate: products.Minor(-1)})
		f := crm.ErrorFields(err)
		for _, k := range []string{"quantity", "unit_price", "discount", "tax_rate"} {
			if f[k] == "" {
				t.Errorf("no message for %s: %v", k, err)
			}
		}
		_, err = add(products.ItemInput{})
		if f := crm.ErrorFields(err); f["name"] == "" || f["unit_price"] == "" {
			t.Errorf("empty line: %v", err)
		}
		// Overflow: a line too large, or a deal total too large, is refused and changes nothing.
		_, err = add(products.ItemInput{Name: ptr("Huge"), Quantity: products.Decimal("1000000000"), UnitPrice: products.Minor(products.MaxAmount)})
		if crm.ErrorCode(err) != crm.Invalid {
			t.Fatalf("overflowing line: %v", err)
		}
		_, err = add(products.ItemInput{Name: ptr("Almost"), UnitPrice: products.Minor(products.MaxAmount - 100)})
		if crm.ErrorCode(err) != crm.Invalid {
			t.Fatalf("overflowing deal total: %v", err)
		}
		var list products.Items
		must(t, db.Read(ctx, func(tx *store.Tx) (err error) { list, err = products.ListItems(tx, p, id); return err }))
		if len(list.Items) != 2 || list.Totals.Net() != 17250 || dealValue(t, db, p.WorkspaceID, id) != 17250 {
			t.Fatalf("after refusals: %d items, totals %+v", len(list.Items), list.Totals)
		}
		// Reorder: only a permutation of the deal's lines.
		must(t, db.Write(ctx, func(tx *store.Tx) error { return products.ReorderItems(tx, p, id, []crm.ID{b.ID, a.ID}) }))
		if err := db.Write(ctx, func(tx *store.Tx) error { return products.ReorderItems(tx, p, id, []crm.ID{b.ID, b.ID}) }); crm.ErrorFields(err)["ids"] == "" {
			t.Fatalf("bad reorder: %v", err)
		}
		must(t, db.Read(ctx, func(tx *store.Tx) (err error) { list, err = products.ListItems(tx, p, id); return err }))
		if list.Items[0].ID != b.ID || list.Items[1].ID != a.ID {
			t.Fatalf("order: %+v", list.Items)
		}
		// Remove; then turn the flag off: the value stays until someone changes it.
		must(t, db.Write(ctx, func(tx *store.Tx) error { return products.RemoveItem(tx, p, id, b.ID) }))
		if v := dealValue(t, db, p.WorkspaceID, id); v != 2250 {
			t.Fatalf("after remove: %d", v)
		}
		_, err = write(db, func(tx *store.Tx) (products.Deal, error) { return products.SetValueFromItems(tx, p, id, false) })
		must(t, err)
		_, err = add(products.ItemInput{Name: ptr("Extra"), UnitPrice: products.Decimal("1")})
		must(t, err)
		if v := dealValue(t, db, p.WorkspaceID, id); v != 2250 {
			t.Fatalf("value moved with the flag off: %d", v)
		}
		// Events: every line change, and the deal's value and items total.
		if evs := events(t, db, p.WorkspaceID, "deal_item", b.ID); len(evs) != 4 || evs[0].Action != crm.Deleted || evs[3].Action != crm.Created {
			t.Fatalf("item events: %+v", evs)
		}
		dev := events(t, db, p.WorkspaceID, "deal", id)
		var valueEvents int
		for _, ev := range dev {
			if _, ok := ev.Changes["value"]; ok {
				valueEvents++
			}
		}
		if valueEvents != 4 || dev[0].Changes["items_net"].After != float64(2350) || dev[0].Changes["items_total"].After != float64(2800) {
			t.Fatalf("deal events (%d with value): %+v", valueEvents, dev)
		}
	})
}

func TestItemsCurrenciesAndAccess(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		p := workspace(t, db, crm.RoleOwner)
		pr, err := write(db, func(tx *store.Tx) (products.Product, error) {
			return products.CreateProduct(tx, p, products.ProductInput{Name: ptr("Licence"),
				Prices: &[]products.PriceInput{{Currency: "JPY", UnitPrice: products.Decimal("1500")}, {Currency: "KWD", UnitPrice: products.Decimal("2.125")}}})
		})
		must(t, err)
		jpy, kwd, usd := deal(t, db, p, "JPY", 0), deal(t, db, p, "KWD", 0), deal(t, db, p, "USD", 0)
		add := func(p crm.Principal, dealID crm.ID, in products.ItemInput) (products.Item, error) {
			return write(db, func(tx *store.Tx) (products.Item, error) { return products.AddItem(tx, p, dealID, in) })
		}
		it, err := add(p, jpy, products.ItemInput{ProductID: &pr.ID, Quantity: products.Decimal("3"), Discount: products.Decimal("33.33")})
		if err != nil || it.Subtotal != 4500 || it.Amounts.Discount != 1500 || it.Total != 3000 { // 1499.85 → 1500
			t.Fatalf("JPY line: %+v %v", it, err)
		}
		if _, err := add(p, jpy, products.ItemInput{Name: ptr("Yen"), UnitPrice: products.Decimal("10.5")}); crm.ErrorFields(err)["unit_price"] != "JPY has no decimals." {
			t.Fatalf("JPY decimals: %v", crm.ErrorFields(err))
		}
		it, err = add(p, kwd, products.ItemInput{ProductID: &pr.ID, Quantity: products.Decimal("0.5")})
		if err != nil || it.Subtotal != 1063 { // 1062.5 fils → 1063
			t.Fatalf("KWD line: %+v %v", it, err)
		}
		if _, err := add(p, usd, products.ItemInput{ProductID: &pr.ID}); crm.ErrorFields(err)["unit_price"] == "" {
			t.Fatalf("no USD price: %v", err)
		}
		if _, err := add(p, usd, products.ItemInput{ProductID: &pr.ID, UnitPrice: products.Decimal("9.99")}); err != nil {
			t.Fatalf("explicit price for a currency the product lacks: %v", err)
		}
		// Archived products cannot be added.
		_, err = write(db, func(tx *store.Tx) (products.Product, error) { return products.ArchiveProduct(tx, p, pr.ID, true) })
		must(t, err)
		if _, err := add(p, jpy, products.ItemInput{ProductID: &pr.ID}); crm.ErrorFields(err)["product_id"] == "" {
			t.Fatalf("archived product added: %v", err)
		}
		// Another workspace: its deals and products are not found.
		other := workspace(t, db, crm.RoleOwner)
		if _, err := add(other, jpy, products.ItemInput{Name: ptr("x"), UnitPrice: products.Minor(1)}); crm.ErrorCode(err) != crm.NotFound {
			t.Fatalf("other workspace's deal: %v", err)
		}
		theirs := deal(t, db, other, "JPY", 0)
		if _, err := add(other, theirs, products.ItemInput{ProductID: &pr.ID, UnitPrice: products.Minor(1)}); crm.ErrorFields(err)["product_id"] != "No such product." {
			t.Fatalf("other workspace's product: %v", err)
		}
		// Read-only users see lines but cannot change them; members who only see their own deals do not see others'.
		ro := colleague(t, db, p, crm.RoleReadOnly)
		if _, err := add(ro, jpy, products.ItemInput{Name: ptr("x"), UnitPrice: products.Minor(1)}); crm.ErrorCode(err) != crm.Forbidden {
			t.Fatalf("read-only add: %v", err)
		}
		must(t, db.Read(ctx, func(tx *store.Tx) error { _, err := products.ListItems(tx, ro, jpy); return err }))
		mem := colleague(t, db, p, crm.RoleMember)
		must(t, db.Write(ctx, func(tx *store.Tx) error { return account.SetMemberVisibility(tx, p, account.SeeOwn) }))
		err = db.Read(ctx, func(tx *store.Tx) error { _, err := products.ListItems(tx, mem, jpy); return err })
		if crm.ErrorCode(err) != crm.NotFound {
			t.Fatalf("member sees another's deal: %v", err)
		}
		// A line of one deal cannot be reached through another.
		if err := db.Write(ctx, func(tx *store.Tx) error { return products.RemoveItem(tx, p, usd, it.ID) }); crm.ErrorCode(err) != crm.NotFound {
			t.Fatalf("line through the wrong deal: %v", err)
		}
	})
}

// TestConcurrentLinesKeepValue adds lines from several goroutines at once:
// the deal's value must end as the sum of all of them (on PostgreSQL the
// deal row is locked; on SQLite writers queue).
func TestConcurrentLinesKeepValue(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		p := workspace(t, db, crm.RoleOwner)
		id := deal(t, db, p, "USD", 0)
		_, err := write(db, func(tx *store.Tx) (products.Deal, error) { return products.SetValueFromItems(tx, p, id, true) })
		must(t, err)
		const n = 8
		errs := make(chan error, n)
		for i := 0; i < n; i++ {
			go func() {
				_, err := write(db, func(tx *store.Tx) (products.Item, error) {
					return products.AddItem(tx, p, id, products.ItemInput{Name: ptr("Line"), UnitPrice: products.Minor(100)})
				})
				errs <- err
			}()
		}
		for i := 0; i < n; i++ {
			must(t, <-errs)
		}
		if v := dealValue(t, db, p.WorkspaceID, id); v != n*100 {
			t.Fatalf("value %d after %d concurrent lines of 100", v, n)
		}
	})
}

// TestItemsKeepDealValueInRange: while a deal's value follows its lines, a
// change that would make it negative (credits) or larger than a deal may be
// is refused and stores nothing; without the switch lines may add up to
// anything within MaxAmount, and the switch refuses such totals.
func TestItemsKeepDealValueInRange(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		p := workspace(t, db, crm.RoleAdmin)
		id := deal(t, db, p, "USD", 0)
		_, err := write(db, func(tx *store.Tx) (products.Deal, error) { return products.SetValueFromItems(tx, p, id, true) })
		must(t, err)
		add := func(dealID crm.ID, in products.ItemInput) (products.Item, error) {
			return write(db, func(tx *store.Tx) (products.Item, error) { return products.AddItem(tx, p, dealID, in) })
		}
		lines := func(dealID crm.ID) int {
			var x products.Items
			must(t, db.Read(ctx, func(tx *store.Tx) (err error) { x, err = products.ListItems(tx, p, dealID); return err }))
			return len(x.Items)
		}
		refused := func(what string, err error, field string) {
			t.Helper()
			if crm.ErrorCode(err) != crm.Invalid || !strings.Contains(crm.ErrorMessage(err), "a deal's value must be from 0 to") {
				t.Fatalf("%s: %v", what, err)
			}
			if f := crm.ErrorFields(err); (field == "" && len(f) != 0) || (field != "" && f[field] == "") {
				t.Fatalf("%s: fields %v, want %q", what, f, field)
			}
		}
		credit := products.ItemInput{Name: ptr("Credit"), UnitPrice: products.Decimal("-50")}
		_, err = add(id, credit)
		refused("a credit alone", err, "unit_price")
		if n, v := lines(id), dealValue(t, db, p.WorkspaceID, id); n != 0 || v != 0 {
			t.Fatalf("after the refused credit: %d lines, value %d", n, v)
		}
		seats, err := add(id, products.ItemInput{Name: ptr("Seats"), UnitPrice: products.Decimal("100")})
		must(t, err)
		cr, err := add(id, credit)
		must(t, err)
		if v := dealValue(t, db, p.WorkspaceID, id); v != 5000 {
			t.Fatalf("100 − 50: value %d", v)
		}
		_, err = write(db, func(tx *store.Tx) (products.Item, error) {
			return products.UpdateItem(tx, p, id, cr.ID, products.ItemInput{Quantity: products.Decimal("3")}, 0)
		})
		refused("a larger credit", err, "unit_price")
		err = db.Write(ctx, func(tx *store.Tx) error { return products.RemoveItem(tx, p, id, seats.ID) })
		refused("removing what outweighs the credit", err, "")
		if !strings.Contains(crm.ErrorMessage(err), "-50.00 USD") {
			t.Fatalf("message does not say the value it would be: %v", err)
		}
		_, err = add(id, products.ItemInput{Name: ptr("Everything"), UnitPrice: products.Minor(products.MaxDealValue)})
		refused("a value above MaxDealValue", err, "unit_price")
		if n, v := lines(id), dealValue(t, db, p.WorkspaceID, id); n != 2 || v != 5000 {
			t.Fatalf("after the refusals: %d lines, value %d", n, v)
		}

		// A batch is checked once, as a whole: a credit may come first.
		batch, err := write(db, func(tx *store.Tx) ([]products.Item, error) {
			return products.AddItems(tx, p, id, []products.ItemInput{credit, {Name: ptr("More seats"), UnitPrice: products.Decimal("100")}})
		})
		if err != nil || len(batch) != 2 || dealValue(t, db, p.WorkspaceID, id) != 10000 {
			t.Fatalf("batch with a leading credit: %v, value %d", err, dealValue(t, db, p.WorkspaceID, id))
		}
		_, err = write(db, func(tx *store.Tx) ([]products.Item, error) {
			return products.AddItems(tx, p, id, []products.ItemInput{credit, credit, credit})
		})
		refused("a batch of credits", err, "items")
		_, err = write(db, func(tx *store.Tx) ([]products.Item, error) {
			return products.UpdateItems(tx, p, id, []products.ItemChange{{ID: seats.ID, ItemInput: products.ItemInput{UnitPrice: products.Decimal("-1")}}})
		})
		refused("a batch update", err, "items")
		if n, v := lines(id), dealValue(t, db, p.WorkspaceID, id); n != 4 || v != 10000 {
			t.Fatalf("after the refused batches: %d lines, value %d", n, v)
		}

		// Without the switch: any total; then the switch refuses it.
		off := deal(t, db, p, "USD", 700)
		_, err = add(off, credit)
		must(t, err)
		on := func(dealID crm.ID) error {
			_, err := write(db, func(tx *store.Tx) (products.Deal, error) { return products.SetValueFromItems(tx, p, dealID, true) })
			return err
		}
		refused("switching on below zero", on(off), "")
		big := deal(t, db, p, "USD", 700)
		_, err = add(big, products.ItemInput{Name: ptr("Everything"), UnitPrice: products.Minor(products.MaxDealValue + 1)})
		must(t, err)
		refused("switching on above the maximum", on(big), "")
		var after products.Items
		must(t, db.Read(ctx, func(tx *store.Tx) (err error) { after, err = products.ListItems(tx, p, big); return err }))
		if after.Deal.ValueFromItems || after.Deal.Value != 700 {
			t.Fatalf("deal after the refused switch: %+v", after.Deal)
		}
		// If-Match on the switch: the deal's version.
		_, err = write(db, func(tx *store.Tx) (products.Deal, error) {
			return products.SetValueFromItemsIf(tx, p, big, false, after.Deal.Version+1)
		})
		if crm.ErrorCode(err) != crm.Conflict {
			t.Fatalf("stale version: %v", err)
		}
	})
}

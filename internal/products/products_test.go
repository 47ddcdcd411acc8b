package products_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/products"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }

var ctx = context.Background()

// workspace makes a workspace with one user of role.
func workspace(t *testing.T, db *store.DB, role crm.Role) crm.Principal {
	t.Helper()
	var p crm.Principal
	must(t, db.Write(ctx, func(tx *store.Tx) error {
		ws, err := account.CreateWorkspace(tx, "W", crm.System)
		if err != nil {
			return err
		}
		p = crm.Principal{WorkspaceID: ws.ID, Role: role}
		p.UserID, err = member(tx, ws.ID, role)
		return err
	}))
	return p
}

func member(tx *store.Tx, ws crm.ID, role crm.Role) (crm.ID, error) {
	u, err := account.CreateUser(tx, account.NewUser{Email: fmt.Sprintf("u%d@example.com", tx.NewID()), Name: "U", Password: "a long enough phrase"})
	if err != nil {
		return 0, err
	}
	return u.ID, account.AddMember(tx, ws, u.ID, role, crm.System)
}

// colleague adds another user to p's workspace.
func colleague(t *testing.T, db *store.DB, p crm.Principal, role crm.Role) crm.Principal {
	t.Helper()
	q := crm.Principal{WorkspaceID: p.WorkspaceID, Role: role}
	must(t, db.Write(ctx, func(tx *store.Tx) (err error) { q.UserID, err = member(tx, p.WorkspaceID, role); return err }))
	return q
}

// deal inserts a deal directly: the deals package is not this one's to use.
func deal(t *testing.T, db *store.DB, p crm.Principal, currency string, value int64) crm.ID {
	t.Helper()
	var id crm.ID
	must(t, db.Write(ctx, func(tx *store.Tx) error {
		id = tx.NewID()
		now := store.Micros(tx.Now)
		_, err := tx.Exec(`INSERT INTO deals (id, workspace_id, title, value, currency, pipeline_id, stage_id, owner_id,
			stage_entered_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, 1, ?, ?, ?, ?)`,
			id, p.WorkspaceID, "Deal "+currency, value, currency, p.UserID, now, now, now)
		return err
	}))
	return id
}

func dealValue(t *testing.T, db *store.DB, ws, id crm.ID) (v int64) {
	t.Helper()
	must(t, db.Read(ctx, func(tx *store.Tx) error {
		return tx.QueryRow(`SELECT value FROM deals WHERE workspace_id = ? AND id = ?`, ws, id).Scan(&v)
	}))
	return v
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func write[T any](db *store.DB, fn func(tx *store.Tx) (T, error)) (T, error) {
	var out T
	err := db.Write(ctx, func(tx *store.Tx) (err error) { out, err = fn(tx); return err })
	return out, err
}

func ptr[T any](v T) *T { return &v }

func events(t *testing.T, db *store.DB, ws crm.ID, object string, id crm.ID) []crm.Event {
	t.Helper()
	var evs []crm.Event
	must(t, db.Read(ctx, func(tx *store.Tx) (err error) { evs, err = tx.Events(ws, object, id, 100); return err }))
	return evs
}

func TestCatalogue(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		admin := workspace(t, db, crm.RoleAdmin)
		create := func(p crm.Principal, in products.ProductInput) (products.Product, error) {
			return write(db, func(tx *store.Tx) (products.Product, error) { return products.CreateProduct(tx, p, in) })
		}
		pr, err := create(admin, products.ProductInput{Name: ptr(" Widget "), SKU: ptr("W-1"), TaxRate: products.Decimal("20"),
			Prices: &[]products.PriceInput{{Currency: "eur", UnitPrice: products.Decimal("11")}, {Currency: "USD", UnitPrice: products.Minor(1250)},
				{Currency: "JPY", UnitPrice: products.Decimal("1800")}, {Currency: "KWD", UnitPrice: products.Decimal("3.875")}}})
		must(t, err)
		if pr.Name != "Widget" || pr.TaxRate != 2000 || products.PricesText(pr.Prices) != "EUR 11.00, JPY 1800, KWD 3.875, USD 12.50" {
			t.Fatalf("created %+v", pr)
		}
		// SKUs are unique per workspace whatever their case; another workspace may reuse one.
		_, err = create(admin, products.ProductInput{Name: ptr("Copy"), SKU: ptr("w-1")})
		if crm.ErrorFields(err)["sku"] == "" {
			t.Fatalf("duplicate SKU: %v", err)
		}
		other := workspace(t, db, crm.RoleOwner)
		if _, err := create(other, products.ProductInput{Name: ptr("Theirs"), SKU: ptr("W-1")}); err != nil {
			t.Fatalf("SKU in another workspace: %v", err)
		}
		// Bad input names every field and stores nothing.
		_, err = create(admin, products.ProductInput{Name: ptr(""), SKU: ptr("has space"), TaxRate: products.Decimal("101"),
			Prices: &[]products.PriceInput{{Currency: "XXX", UnitPrice: products.Decimal("1")}, {Currency: "JPY", UnitPrice: products.Decimal("1.5")},
				{Currency: "USD", UnitPrice: products.Decimal("-1")}}})
		f := crm.ErrorFields(err)
		for _, k := range []string{"name", "sku", "tax_rate", "prices.0.currency", "prices.1.unit_price", "prices.2.unit_price"} {
			if f[k] == "" {
				t.Errorf("no message for %s: %v", k, f)
			}
		}
		// Only managers and up change the catalogue; everyone reads it.
		mem := colleague(t, db, admin, crm.RoleMember)
		if _, err := create(mem, products.ProductInput{Name: ptr("Nope")}); crm.ErrorCode(err) != crm.Forbidden {
			t.Fatalf("member create: %v", err)
		}
		mgr := colleague(t, db, admin, crm.RoleManager)
		if _, err := create(mgr, products.ProductInput{Name: ptr("Gadget"), SKU: ptr("G-1")}); err != nil {
			t.Fatalf("manager create: %v", err)
		}
		// Another workspace's product is not found, for reading and writing.
		if _, err := write(db, func(tx *store.Tx) (products.Product, error) {
			return products.UpdateProduct(tx, other, pr.ID, products.ProductInput{Name: ptr("Stolen")}, 0)
		}); crm.ErrorCode(err) != crm.NotFound {
			t.Fatalf("cross-workspace update: %v", err)
		}
		// Update with a version; a stale one conflicts.
		up, err := write(db, func(tx *store.Tx) (products.Product, error) {
			return products.UpdateProduct(tx, mgr, pr.ID, products.ProductInput{Prices: &[]products.PriceInput{{Currency: "USD", UnitPrice: products.Decimal("13")}}}, 1)
		})
		if err != nil || up.Version != 2 || products.PricesText(up.Prices) != "USD 13.00" {
			t.Fatalf("update: %+v %v", up, err)
		}
		if _, err := write(db, func(tx *store.Tx) (products.Product, error) {
			return products.UpdateProduct(tx, mgr, pr.ID, products.ProductInput{Name: ptr("X")}, 1)
		}); crm.ErrorCode(err) != crm.Conflict {
			t.Fatalf("stale version: %v", err)
		}
		ar, err := write(db, func(tx *store.Tx) (products.Product, error) { return products.ArchiveProduct(tx, admin, pr.ID, true) })
		if err != nil || ar.Active() {
			t.Fatalf("archive: %+v %v", ar, err)
		}
		// Events: created, updated (prices), updated (archived).
		evs := events(t, db, admin.WorkspaceID, "product", pr.ID)
		if len(evs) != 3 || evs[2].Action != crm.Created || evs[1].Changes["prices"].After != "USD 13.00" || evs[0].Changes["active"].After != false {
			t.Fatalf("events %+v", evs)
		}
		// Lists: filter, sort, cursor; archived ones filtered by active.
		for i := 0; i < 5; i++ {
			if _, err := create(admin, products.ProductInput{Name: ptr(fmt.Sprintf("Item %d", i)),
				Prices: &[]products.PriceInput{{Currency: "EUR", UnitPrice: products.Minor(int64(100 * i))}}}); err != nil {
				t.Fatal(err)
			}
		}
		query := func(q records.ListQuery) (pg records.Page[products.Product]) {
			t.Helper()
			must(t, db.Read(ctx, func(tx *store.Tx) (err error) { pg, err = products.QueryProducts(tx, admin, q); return err }))
			return pg
		}
		pg := query(records.ListQuery{Filter: `price.currency = "EUR" and price.unit_price >= 200 and active = true`, Sort: "-name", Limit: 2})
		if len(pg.Items) != 2 || pg.Items[0].Name != "Item 4" || pg.Items[1].Name != "Item 3" || pg.Total != 3 || pg.Next == "" {
			t.Fatalf("page 1: %+v", pg)
		}
		pg = query(records.ListQuery{Filter: `price.currency = "EUR" and price.unit_price >= 200 and active = true`, Sort: "-name", Limit: 2, Cursor: pg.Next})
		if len(pg.Items) != 1 || pg.Items[0].Name != "Item 2" || pg.Next != "" {
			t.Fatalf("page 2: %+v", pg)
		}
		if pg := query(records.ListQuery{Filter: "active = false"}); len(pg.Items) != 1 || pg.Items[0].ID != pr.ID {
			t.Fatalf("archived: %+v", pg.Items)
		}
		must(t, db.Read(ctx, func(tx *store.Tx) error {
			_, err := products.QueryProducts(tx, admin, records.ListQuery{Filter: "nmae = 1"})
			if crm.ErrorFields(err)["filter"] == "" {
				t.Errorf("bad filter: %v", err)
			}
			_, err = products.QueryProducts(tx, admin, records.ListQuery{Sort: "price"})
			if crm.ErrorFields(err)["sort"] == "" {
				t.Errorf("bad sort: %v", err)
			}
			return nil
		}))
		// Deleting frees the SKU.
		must(t, db.Write(ctx, func(tx *store.Tx) error { return products.DeleteProduct(tx, admin, pr.ID) }))
		if _, err := create(admin, products.ProductInput{Name: ptr("Widget 2"), SKU: ptr("W-1")}); err != nil {
			t.Fatalf("SKU after delete: %v", err)
		}
	})
}

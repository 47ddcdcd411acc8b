package products

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// Product is one entry of the workspace's catalogue.
type Product struct {
	ID          crm.ID
	Name        string
	SKU         string
	Description string
	TaxRate     int64   // basis points
	Prices      []Price // one per currency, sorted by currency
	ArchivedAt  time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
	Version     int64
}

// Active reports whether the product may be put on deals.
func (p Product) Active() bool { return p.ArchivedAt.IsZero() }

// Price returns the unit price in currency and whether there is one.
func (p Product) Price(currency string) (int64, bool) {
	for _, pr := range p.Prices {
		if pr.Currency == currency {
			return pr.UnitPrice, true
		}
	}
	return 0, false
}

// Price is a product's unit price in one currency, in minor units.
type Price struct {
	Currency  string
	UnitPrice int64
}

// PriceInput is a price as a client gave it.
type PriceInput struct {
	Currency  string
	UnitPrice *Number
}

// ProductInput creates a product (nil fields take their defaults) or
// changes one (nil fields stay). Prices, when given, replace all prices.
type ProductInput struct {
	Name, SKU, Description *string
	TaxRate                *Number
	Prices                 *[]PriceInput
}

// CanEditCatalogue says whether p may change the catalogue: managers,
// admins and owners. Everyone in the workspace may read it.
func CanEditCatalogue(p crm.Principal) error {
	if p.WorkspaceID == 0 || !p.Role.Valid() {
		return crm.Errorf(crm.Unauthorized, "Please sign in.")
	}
	if p.Role.Rank() < crm.RoleManager.Rank() {
		return crm.Errorf(crm.Forbidden, "Only managers, admins and owners change the product catalogue.")
	}
	return nil
}

// CreateProduct validates and stores a product.
func CreateProduct(tx *store.Tx, p crm.Principal, in ProductInput) (Product, error) {
	if err := CanEditCatalogue(p); err != nil {
		return Product{}, err
	}
	pr := Product{CreatedAt: tx.Now, UpdatedAt: tx.Now, Version: 1}
	fe := crm.FieldErrors{}
	apply(&pr, in, fe)
	if in.Name == nil {
		fe.Add("name", "Enter the product's name.")
	}
	if err := validate(tx, p.WorkspaceID, &pr, fe); err != nil {
		return pr, err
	}
	pr.ID = tx.NewID()
	now := store.Micros(tx.Now)
	if _, err := tx.Exec(`INSERT INTO products (id, workspace_id, name, sku, description, tax_rate, created_by, updated_by,
		created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`,
		pr.ID, p.WorkspaceID, pr.Name, pr.SKU, pr.Description, pr.TaxRate, p.UserID, p.UserID, now, now); err != nil {
		return pr, skuConflict(fmt.Errorf("products: create: %w", err))
	}
	if err := writePrices(tx, p.WorkspaceID, pr.ID, pr.Prices); err != nil {
		return pr, err
	}
	return pr, tx.Emit(crm.Event{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), ObjectType: "product", ObjectID: pr.ID,
		Action: crm.Created, Changes: diffProduct(Product{}, pr)})
}

// UpdateProduct applies a patch. ifVersion, when not 0, must be the
// product's current version (else a conflict: someone changed it since).
func UpdateProduct(tx *store.Tx, p crm.Principal, id crm.ID, in ProductInput, ifVersion int64) (Product, error) {
	old, err := GetProduct(tx, p.WorkspaceID, id)
	if err != nil {
		return old, err
	}
	if err := CanEditCatalogue(p); err != nil {
		return old, err
	}
	if ifVersion != 0 && ifVersion != old.Version {
		return old, crm.Errorf(crm.Conflict, "This product was changed by someone else (version %d, not %d). Reload and try again.", old.Version, ifVersion)
	}
	pr := old
	fe := crm.FieldErrors{}
	apply(&pr, in, fe)
	if err := validate(tx, p.WorkspaceID, &pr, fe); err != nil {
		return pr, err
	}
	ch := diffProduct(old, pr)
	if len(ch) == 0 {
		return old, nil
	}
	return pr, saveProduct(tx, p, old, &pr, ch)
}

// ArchiveProduct takes a product off the menu of new line items (archived)
// or puts it back. Deals that hold it keep their lines.
func ArchiveProduct(tx *store.Tx, p crm.Principal, id crm.ID, archived bool) (Product, error) {
	old, err := GetProduct(tx, p.WorkspaceID, id)
	if err != nil {
		return old, err
	}
	if err := CanEditCatalogue(p); err != nil {
		return old, err
	}
	if archived == !old.Active() {
		return old, nil
	}
	pr := old
	pr.ArchivedAt = time.Time{}
	if archived {
		pr.ArchivedAt = tx.Now
	}
	return pr, saveProduct(tx, p, old, &pr, map[string]crm.Change{"active": {Before: old.Active(), After: pr.Active()}})
}

func saveProduct(tx *store.Tx, p crm.Principal, old Product, pr *Product, ch map[string]crm.Change) error {
	pr.Version, pr.UpdatedAt = old.Version+1, tx.Now
	var archived any
	if !pr.ArchivedAt.IsZero() {
		archived = store.Micros(pr.ArchivedAt)
	}
	n, err := tx.Exec(`UPDATE products SET name = ?, sku = ?, description = ?, tax_rate = ?, archived_at = ?, updated_by = ?,
		updated_at = ?, version = ? WHERE workspace_id = ? AND id = ? AND version = ? AND deleted_at IS NULL`,
		pr.Name, pr.SKU, pr.Description, pr.TaxRate, archived, p.UserID, store.Micros(tx.Now), pr.Version,
		p.WorkspaceID, pr.ID, old.Version)
	if err != nil {
		return skuConflict(fmt.Errorf("products: update %d: %w", pr.ID, err))
	}
	if n == 0 {
		return crm.Errorf(crm.Conflict, "This product was changed by someone else. Reload and try again.")
	}
	if _, ok := ch["prices"]; ok {
		if _, err := tx.Exec(`DELETE FROM product_prices WHERE workspace_id = ? AND product_id = ?`, p.WorkspaceID, pr.ID); err != nil {
			return fmt.Errorf("products: clear prices: %w", err)
		}
		if err := writePrices(tx, p.WorkspaceID, pr.ID, pr.Prices); err != nil {
			return err
		}
	}
	return tx.Emit(crm.Event{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), ObjectType: "product", ObjectID: pr.ID,
		Action: crm.Updated, Changes: ch})
}

// DeleteProduct moves a product to the trash and frees its SKU. Lines on
// deals keep their copy of its name and price.
func DeleteProduct(tx *store.Tx, p crm.Principal, id crm.ID) error {
	if _, err := GetProduct(tx, p.WorkspaceID, id); err != nil {
		return err
	}
	if err := CanEditCatalogue(p); err != nil {
		return err
	}
	now := store.Micros(tx.Now)
	if _, err := tx.Exec(`UPDATE products SET deleted_at = ?, updated_at = ?, updated_by = ?, version = version + 1
		WHERE workspace_id = ? AND id = ? AND deleted_at IS NULL`, now, now, p.UserID, p.WorkspaceID, id); err != nil {
		return fmt.Errorf("products: delete %d: %w", id, err)
	}
	return tx.Emit(crm.Event{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), ObjectType: "product", ObjectID: id, Action: crm.Deleted})
}

func apply(pr *Product, in ProductInput, fe crm.FieldErrors) {
	if in.Name != nil {
		pr.Name = strings.TrimSpace(*in.Name)
	}
	if in.SKU != nil {
		pr.SKU = strings.TrimSpace(*in.SKU)
	}
	if in.Description != nil {
		pr.Description = strings.TrimSpace(*in.Description)
	}
	if in.TaxRate != nil {
		v, err := in.TaxRate.rate()
		if err != nil {
			fe.Add("tax_rate", capital(err))
		}
		pr.TaxRate = v
	}
	if in.Prices != nil {
		pr.Prices = nil
		seen := map[string]bool{}
		for i, x := range *in.Prices {
			key := fmt.Sprintf("prices.%d", i)
			cur := strings.ToUpper(strings.TrimSpace(x.Currency))
			if !KnownCurrency(cur) {
				fe.Add(key+".currency", "Use a currency code Tandem knows, such as USD, EUR, JPY or KWD.")
				continue
			}
			if seen[cur] {
				fe.Add(key+".currency", "Give each currency one price.")
				continue
			}
			seen[cur] = true
			if x.UnitPrice == nil {
				fe.Add(key+".unit_price", "Enter the unit price.")
				continue
			}
			v, err := x.UnitPrice.money(cur)
			if err == nil && v < 0 {
				err = fmt.Errorf("a catalogue price cannot be negative")
			}
			if err != nil {
				fe.Add(key+".unit_price", capital(err))
				continue
			}
			pr.Prices = append(pr.Prices, Price{Currency: cur, UnitPrice: v})
		}
		sort.Slice(pr.Prices, func(i, j int) bool { return pr.Prices[i].Currency < pr.Prices[j].Currency })
	}
}

func validate(tx *store.Tx, ws crm.ID, pr *Product, fe crm.FieldErrors) error {
	if pr.Name == "" || len(pr.Name) > 200 {
		fe.Add("name", "Enter the product's name (up to 200 characters).")
	}
	if len(pr.SKU) > 64 || strings.ContainsAny(pr.SKU, " \t\r\n") {
		fe.Add("sku", "A SKU is up to 64 characters, without spaces.")
	}
	if len(pr.Description) > 2000 {
		fe.Add("description", "Use at most 2,000 characters.")
	}
	if pr.SKU != "" && fe["sku"] == "" {
		var other crm.ID
		err := tx.QueryRow(`SELECT id FROM products WHERE workspace_id = ? AND lower(sku) = lower(?) AND sku <> ''
			AND deleted_at IS NULL AND id <> ?`, ws, pr.SKU, pr.ID).Scan(&other)
		if err == nil {
			fe.Add("sku", "Another product already has this SKU.")
		} else if err != store.ErrNoRows {
			return fmt.Errorf("products: check sku: %w", err)
		}
	}
	return fe.Err()
}

// skuConflict names the field when two writers raced for one SKU and the
// unique index caught it.
func skuConflict(err error) error {
	if crm.ErrorCode(err) == crm.Conflict {
		return crm.FieldErrors{"sku": "Another product already has this SKU."}.Err()
	}
	return err
}

func writePrices(tx *store.Tx, ws, id crm.ID, prices []Price) error {
	for _, pr := range prices {
		if _, err := tx.Exec(`INSERT INTO product_prices (workspace_id, product_id, currency, unit_price) VALUES (?, ?, ?, ?)`,
			ws, id, pr.Currency, pr.UnitPrice); err != nil {
			return fmt.Errorf("products: price %s: %w", pr.Currency, err)
		}
	}
	return nil
}

// PricesText writes prices as "USD 12.50, EUR 11.00" (the settings form).
func PricesText(prices []Price) string {
	parts := make([]string, len(prices))
	for i, pr := range prices {
		parts[i] = pr.Currency + " " + FormatDecimal(pr.UnitPrice, Exponent(pr.Currency))
	}
	return strings.Join(parts, ", ")
}

// ParsePricesText reads "USD 12.50, EUR 11" (or "12.50 USD") into price
// inputs; amounts are checked by CreateProduct and UpdateProduct.
func ParsePricesText(s string) ([]PriceInput, error) {
	out := []PriceInput{}
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '\n' }) {
		f := strings.Fields(part)
		if len(f) == 0 {
			continue
		}
		if len(f) != 2 {
			return nil, fmt.Errorf("write each price as a currency code and an amount, like “USD 12.50, EUR 11”")
		}
		cur, amt := f[0], f[1]
		if len(cur) != 3 || allDigits(cur) || strings.ContainsAny(cur, ".-+") {
			cur, amt = amt, cur
		}
		out = append(out, PriceInput{Currency: cur, UnitPrice: Decimal(amt)})
	}
	return out, nil
}

func diffProduct(a, b Product) map[string]crm.Change {
	ch := map[string]crm.Change{}
	add := func(name string, x, y any, same bool) {
		if !same {
			ch[name] = crm.Change{Before: x, After: y}
		}
	}
	add("name", nilIfEmpty(a.Name), b.Name, a.Name == b.Name)
	add("sku", nilIfEmpty(a.SKU), nilIfEmpty(b.SKU), a.SKU == b.SKU)
	add("description", nilIfEmpty(a.Description), nilIfEmpty(b.Description), a.Description == b.Description)
	add("tax_rate", a.TaxRate, b.TaxRate, a.TaxRate == b.TaxRate)
	pa, pb := PricesText(a.Prices), PricesText(b.Prices)
	add("prices", nilIfEmpty(pa), nilIfEmpty(pb), pa == pb)
	if a.ID == 0 && b.TaxRate == 0 {
		delete(ch, "tax_rate")
	}
	return ch
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

const productCols = `p.id, p.name, p.sku, p.description, p.tax_rate, p.archived_at, p.created_at, p.updated_at, p.version`

func scanProducts(tx *store.Tx, ws crm.ID, q string, args ...any) ([]Product, error) {
	rows, err := tx.Query(q, args...)
	if err != nil {
		return nil, fmt.Errorf("products: list: %w", err)
	}
	var out []Product
	for rows.Next() {
		var pr Product
		var archived *int64
		var created, updated int64
		if err := rows.Scan(&pr.ID, &pr.Name, &pr.SKU, &pr.Description, &pr.TaxRate, &archived, &created, &updated, &pr.Version); err != nil {
			rows.Close()
			return nil, err
		}
		if archived != nil {
			pr.ArchivedAt = store.FromMicros(*archived)
		}
		pr.CreatedAt, pr.UpdatedAt = store.FromMicros(created), store.FromMicros(updated)
		out = append(out, pr)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, loadPrices(tx, ws, out)
}

// loadPrices fills the prices of a page of products in one query.
func loadPrices(tx *store.Tx, ws crm.ID, ps []Product) error {
	if len(ps) == 0 {
		return nil
	}
	idx := map[crm.ID]int{}
	args := []any{ws}
	marks := make([]string, len(ps))
	for i, pr := range ps {
		idx[pr.ID] = i
		args = append(args, pr.ID)
		marks[i] = "?"
	}
	rows, err := tx.Query(`SELECT product_id, currency, unit_price FROM product_prices
		WHERE workspace_id = ? AND product_id IN (`+strings.Join(marks, ", ")+`) ORDER BY product_id, currency`, args...)
	if err != nil {
		return fmt.Errorf("products: prices: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id crm.ID
		var pr Price
		if err := rows.Scan(&id, &pr.Currency, &pr.UnitPrice); err != nil {
			return err
		}
		ps[idx[id]].Prices = append(ps[idx[id]].Prices, pr)
	}
	return rows.Err()
}

// GetProduct returns one product of the workspace (archived ones too), or
// not found.
func GetProduct(tx *store.Tx, ws, id crm.ID) (Product, error) {
	ps, err := scanProducts(tx, ws, `SELECT `+productCols+` FROM products p WHERE p.workspace_id = ? AND p.id = ? AND p.deleted_at IS NULL`, ws, id)
	if err != nil {
		return Product{}, err
	}
	if len(ps) == 0 {
		return Product{}, crm.Errorf(crm.NotFound, "No such product.")
	}
	return ps[0], nil
}

// ListProducts returns the catalogue by name (archived products only when
// asked), at most limit: for the settings page and the line-item picker.
func ListProducts(tx *store.Tx, ws crm.ID, withArchived bool, limit int) ([]Product, error) {
	q := `SELECT ` + productCols + ` FROM products p WHERE p.workspace_id = ? AND p.deleted_at IS NULL`
	if !withArchived {
		q += ` AND p.archived_at IS NULL`
	}
	return scanProducts(tx, ws, q+` ORDER BY p.name, p.id LIMIT ?`, ws, limit)
}

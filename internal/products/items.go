package products

import (
	"fmt"
	"strings"
	"time"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// MaxItems bounds the lines of one deal.
const MaxItems = 500

// Deal is what line items need of a deal.
type Deal struct {
	ID             crm.ID
	Title          string
	OwnerID        crm.ID
	Currency       string
	Value          int64 // minor units
	ValueFromItems bool  // the value is the items' net total
	Version        int64 // the deal's, for If-Match
}

// Item is one line of a deal.
type Item struct {
	ID        crm.ID
	DealID    crm.ID
	ProductID crm.ID // 0: a free line
	Name, SKU string // copied from the product when added; the name is editable
	Quantity  int64  // thousandths
	UnitPrice int64  // minor units of the deal's currency
	Discount  int64  // basis points
	TaxRate   int64  // basis points
	Position  int
	Amounts
	CreatedAt, UpdatedAt time.Time
	Version              int64
}

func (it Item) line() Line {
	return Line{Quantity: it.Quantity, UnitPrice: it.UnitPrice, Discount: it.Discount, TaxRate: it.TaxRate}
}

// ItemInput adds a line (nil fields take defaults: the product's name, price
// in the deal's currency and tax rate; quantity 1; no discount) or changes
// one (nil fields stay). Setting ProductID to another product copies its
// name, SKU, price and tax rate unless the same input gives them.
type ItemInput struct {
	ProductID *crm.ID
	Name      *string
	Quantity  *Number
	UnitPrice *Number
	Discount  *Number
	TaxRate   *Number
}

// Items is a deal's lines with their totals.
type Items struct {
	Deal   Deal
	Items  []Item
	Totals Amounts
}

// loadDeal reads a deal the principal may act on: another workspace's, a
// trashed one or one the principal cannot see is not found.
func loadDeal(tx *store.Tx, p crm.Principal, id crm.ID, act account.Action) (Deal, error) {
	d := Deal{ID: id}
	q := `SELECT title, owner_id, currency, value, value_from_items, version FROM deals
		WHERE workspace_id = ? AND id = ? AND deleted_at IS NULL`
	if act != account.ActView && tx.Dialect() == store.Postgres {
		// Changes to one deal's lines queue here, so each recomputes the
		// value from every committed line (SQLite has one writer anyway).
		q += ` FOR UPDATE`
	}
	err := tx.QueryRow(q, p.WorkspaceID, id).Scan(&d.Title, &d.OwnerID, &d.Currency, &d.Value, &d.ValueFromItems, &d.Version)
	if err == store.ErrNoRows {
		return d, crm.Errorf(crm.NotFound, "No such deal.")
	}
	if err != nil {
		return d, fmt.Errorf("products: deal %d: %w", id, err)
	}
	if err := account.Can(tx, p, act, d.OwnerID); err != nil {
		if crm.ErrorCode(err) == crm.NotFound {
			return d, crm.Errorf(crm.NotFound, "No such deal.")
		}
		return d, err
	}
	return d, nil
}

const itemCols = `id, deal_id, product_id, name, sku, quantity, unit_price, discount, tax_rate, position,
	subtotal, discount_amount, tax_amount, total, created_at, updated_at, version`

func scanItems(tx *store.Tx, q string, args ...any) ([]Item, error) {
	rows, err := tx.Query(q, args...)
	if err != nil {
		return nil, fmt.Errorf("products: items: %w", err)
	}
	defer rows.Close()
	var out []Item
	for rows.Next() {
		var it Item
		var created, updated int64
		if err := rows.Scan(&it.ID, &it.DealID, &it.ProductID, &it.Name, &it.SKU, &it.Quantity, &it.UnitPrice, &it.Discount,
			&it.TaxRate, &it.Position, &it.Subtotal, &it.Amounts.Discount, &it.Tax, &it.Total, &created, &updated, &it.Version); err != nil {
			return nil, err
		}
		it.CreatedAt, it.UpdatedAt = store.FromMicros(created), store.FromMicros(updated)
		out = append(out, it)
	}
	return out, rows.Err()
}

func dealItems(tx *store.Tx, ws crm.ID, d Deal) (Items, error) {
	items, err := scanItems(tx, `SELECT `+itemCols+` FROM deal_items WHERE workspace_id = ? AND deal_id = ?
		ORDER BY position, id`, ws, d.ID)
	if err != nil {
		return Items{}, err
	}
	out := Items{Deal: d, Items: items}
	amts := make([]Amounts, len(items))
	for i, it := range items {
		amts[i] = it.Amounts
	}
	out.Totals, err = Sum(amts)
	return out, err
}

// ListItems returns a deal's lines, in order, and their totals.
func ListItems(tx *store.Tx, p crm.Principal, dealID crm.ID) (Items, error) {
	d, err := loadDeal(tx, p, dealID, account.ActView)
	if err != nil {
		return Items{}, err
	}
	return dealItems(tx, p.WorkspaceID, d)
}

// GetItem returns one line of a deal.
func GetItem(tx *store.Tx, p crm.Principal, dealID, itemID crm.ID) (Item, error) {
	if _, err := loadDeal(tx, p, dealID, account.ActView); err != nil {
		return Item{}, err
	}
	return item(tx, p.WorkspaceID, dealID, itemID)
}

func item(tx *store.Tx, ws, dealID, itemID crm.ID) (Item, error) {
	items, err := scanItems(tx, `SELECT `+itemCols+` FROM deal_items WHERE workspace_id = ? AND deal_id = ? AND id = ?`,
		ws, dealID, itemID)
	if err != nil {
		return Item{}, err
	}
	if len(items) == 0 {
		return Item{}, crm.Errorf(crm.NotFound, "No such line item.")
	}
	return items[0], nil
}

// AddItem adds a line at the end of a deal.
func AddItem(tx *store.Tx, p crm.Principal, dealID crm.ID, in ItemInput) (Item, error) {
	d, before, err := editItems(tx, p, dealID)
	if err != nil {
		return Item{}, err
	}
	if len(before.Items) >= MaxItems {
		return Item{}, crm.Errorf(crm.Invalid, "A deal holds at most %d line items.", MaxItems)
	}
	it, err := newItem(tx, p.WorkspaceID, d, in, nextPosition(before.Items))
	if err != nil {
		return it, err
	}
	if err := insertItem(tx, p, &it); err != nil {
		return it, err
	}
	return it, itemsChanged(tx, p, d, before.Totals, "unit_price")
}

// editItems loads a deal whose lines p is about to change, and its lines.
func editItems(tx *store.Tx, p crm.Principal, dealID crm.ID) (Deal, Items, error) {
	d, err := loadDeal(tx, p, dealID, account.ActUpdate)
	if err != nil {
		return d, Items{}, err
	}
	before, err := dealItems(tx, p.WorkspaceID, d)
	return d, before, err
}

func nextPosition(items []Item) int {
	pos := 0
	for _, x := range items {
		pos = max(pos, x.Position+1)
	}
	return pos
}

// newItem checks a line to add at pos and computes its amounts; nothing is
// stored yet.
func newItem(tx *store.Tx, ws crm.ID, d Deal, in ItemInput, pos int) (Item, error) {
	it := Item{DealID: d.ID, Quantity: QuantityScale, Position: pos, CreatedAt: tx.Now, UpdatedAt: tx.Now, Version: 1}
	fe := crm.FieldErrors{}
	priced, err := applyItem(tx, ws, d, &it, in, fe)
	if err != nil {
		return it, err
	}
	if it.Name == "" && fe["name"] == "" && fe["product_id"] == "" {
		fe.Add("name", "Choose a product or name the line.")
	}
	if !priced && fe["unit_price"] == "" && fe["product_id"] == "" {
		fe.Add("unit_price", "Enter the unit price.")
	}
	return it, finishItem(&it, fe)
}

func insertItem(tx *store.Tx, p crm.Principal, it *Item) error {
	it.ID = tx.NewID()
	now := store.Micros(tx.Now)
	if _, err := tx.Exec(`INSERT INTO deal_items (id, workspace_id, deal_id, product_id, name, sku, quantity, unit_price, discount,
		tax_rate, position, subtotal, discount_amount, tax_amount, total, created_by, updated_by, created_at, updated_at, version)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`,
		it.ID, p.WorkspaceID, it.DealID, it.ProductID, it.Name, it.SKU, it.Quantity, it.UnitPrice, it.Discount, it.TaxRate,
		it.Position, it.Subtotal, it.Amounts.Discount, it.Tax, it.Total, p.UserID, p.UserID, now, now); err != nil {
		return fmt.Errorf("products: add item: %w", err)
	}
	return tx.Emit(crm.Event{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), ObjectType: "deal_item", ObjectID: it.ID,
		Action: crm.Created, Changes: diffItem(Item{}, *it)})
}

// UpdateItem changes a line; ifVersion, when not 0, must be its version.
func UpdateItem(tx *store.Tx, p crm.Principal, dealID, itemID crm.ID, in ItemInput, ifVersion int64) (Item, error) {
	d, err := loadDeal(tx, p, dealID, account.ActUpdate)
	if err != nil {
		return Item{}, err
	}
	old, err := item(tx, p.WorkspaceID, dealID, itemID)
	if err != nil {
		return old, err
	}
	if ifVersion != 0 && ifVersion != old.Version {
		return old, crm.Errorf(crm.Conflict, "This line was changed by someone else (version %d, not %d). Reload and try again.", old.Version, ifVersion)
	}
	before, err := dealItems(tx, p.WorkspaceID, d)
	if err != nil {
		return old, err
	}
	it, err := changedItem(tx, p.WorkspaceID, d, old, in)
	if err != nil || it.Version == old.Version {
		return it, err
	}
	if err := saveItem(tx, p, old, it); err != nil {
		return it, err
	}
	return it, itemsChanged(tx, p, d, before.Totals, "unit_price")
}

// changedItem checks a change of line old and computes the new amounts;
// nothing is stored yet. Its version is old's when nothing changes.
func changedItem(tx *store.Tx, ws crm.ID, d Deal, old Item, in ItemInput) (Item, error) {
	it := old
	fe := crm.FieldErrors{}
	if _, err := applyItem(tx, ws, d, &it, in, fe); err != nil {
		return it, err
	}
	if it.Name == "" {
		fe.Add("name", "Name the line.")
	}
	if err := finishItem(&it, fe); err != nil {
		return it, err
	}
	if len(diffItem(old, it)) == 0 {
		return old, nil
	}
	it.Version, it.UpdatedAt = old.Version+1, tx.Now
	return it, nil
}

func saveItem(tx *store.Tx, p crm.Principal, old, it Item) error {
	if _, err := tx.Exec(`UPDATE deal_items SET product_id = ?, name = ?, sku = ?, quantity = ?, unit_price = ?, discount = ?,
		tax_rate = ?, subtotal = ?, discount_amount = ?, tax_amount = ?, total = ?, updated_by = ?, updated_at = ?, version = ?
		WHERE workspace_id = ? AND deal_id = ? AND id = ?`,
		it.ProductID, it.Name, it.SKU, it.Quantity, it.UnitPrice, it.Discount, it.TaxRate, it.Subtotal, it.Amounts.Discount,
		it.Tax, it.Total, p.UserID, store.Micros(tx.Now), it.Version, p.WorkspaceID, it.DealID, it.ID); err != nil {
		return fmt.Errorf("products: update item %d: %w", it.ID, err)
	}
	return tx.Emit(crm.Event{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), ObjectType: "deal_item", ObjectID: it.ID,
		Action: crm.Updated, Changes: diffItem(old, it)})
}

// RemoveItem deletes a line from a deal.
func RemoveItem(tx *store.Tx, p crm.Principal, dealID, itemID crm.ID) error {
	d, err := loadDeal(tx, p, dealID, account.ActUpdate)
	if err != nil {
		return err
	}
	old, err := item(tx, p.WorkspaceID, dealID, itemID)
	if err != nil {
		return err
	}
	before, err := dealItems(tx, p.WorkspaceID, d)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(`DELETE FROM deal_items WHERE workspace_id = ? AND deal_id = ? AND id = ?`, p.WorkspaceID, dealID, itemID); err != nil {
		return fmt.Errorf("products: remove item %d: %w", itemID, err)
	}
	if err := tx.Emit(crm.Event{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), ObjectType: "deal_item", ObjectID: itemID,
		Action: crm.Deleted, Changes: map[string]crm.Change{"deal_id": {Before: dealID}, "name": {Before: old.Name}}}); err != nil {
		return err
	}
	return itemsChanged(tx, p, d, before.Totals, "")
}

// ReorderItems puts a deal's lines in the order of ids, which must name
// every line of the deal once.
func ReorderItems(tx *store.Tx, p crm.Principal, dealID crm.ID, ids []crm.ID) error {
	d, err := loadDeal(tx, p, dealID, account.ActUpdate)
	if err != nil {
		return err
	}
	cur, err := dealItems(tx, p.WorkspaceID, d)
	if err != nil {
		return err
	}
	byID := map[crm.ID]Item{}
	for _, it := range cur.Items {
		byID[it.ID] = it
	}
	seen := map[crm.ID]bool{}
	for _, id := range ids {
		if _, ok := byID[id]; !ok || seen[id] {
			seen = nil
			break
		}
		seen[id] = true
	}
	if seen == nil || len(ids) != len(cur.Items) {
		return crm.FieldErrors{"ids": "List every line item of this deal exactly once, in the new order."}.Err()
	}
	for pos, id := range ids {
		old := byID[id]
		if old.Position == pos {
			continue
		}
		if _, err := tx.Exec(`UPDATE deal_items SET position = ?, updated_by = ?, updated_at = ?, version = version + 1
			WHERE workspace_id = ? AND deal_id = ? AND id = ?`, pos, p.UserID, store.Micros(tx.Now), p.WorkspaceID, dealID, id); err != nil {
			return fmt.Errorf("products: reorder: %w", err)
		}
		if err := tx.Emit(crm.Event{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), ObjectType: "deal_item", ObjectID: id,
			Action: crm.Updated, Changes: map[string]crm.Change{"position": {Before: old.Position, After: pos}}}); err != nil {
			return err
		}
	}
	return nil
}

// MoveItem moves a line one place up (delta −1) or down (+1).
func MoveItem(tx *store.Tx, p crm.Principal, dealID, itemID crm.ID, delta int) error {
	cur, err := ListItems(tx, p, dealID)
	if err != nil {
		return err
	}
	ids := make([]crm.ID, len(cur.Items))
	i := -1
	for k, it := range cur.Items {
		ids[k] = it.ID
		if it.ID == itemID {
			i = k
		}
	}
	if i < 0 {
		return crm.Errorf(crm.NotFound, "No such line item.")
	}
	j := i + delta
	if j < 0 || j >= len(ids) {
		return nil
	}
	ids[i], ids[j] = ids[j], ids[i]
	return ReorderItems(tx, p, dealID, ids)
}

// applyItem copies input onto a line, collecting problems in fe. It
// reports whether the line has a unit price (given, or the product's).
func applyItem(tx *store.Tx, ws crm.ID, d Deal, it *Item, in ItemInput, fe crm.FieldErrors) (bool, error) {
	priced := it.ID != 0
	if in.ProductID != nil && *in.ProductID != it.ProductID {
		it.ProductID = *in.ProductID
		if it.ProductID != 0 {
			pr, err := GetProduct(tx, ws, it.ProductID)
			switch {
			case crm.ErrorCode(err) == crm.NotFound:
				fe.Add("product_id", "No such product.")
			case err != nil:
				return false, err
			case !pr.Active():
				fe.Add("product_id", "This product is archived; bring it back in the catalogue to sell it.")
			default:
				it.Name, it.SKU, it.TaxRate = pr.Name, pr.SKU, pr.TaxRate
				if v, ok := pr.Price(strings.ToUpper(d.Currency)); ok {
					it.UnitPrice, priced = v, true
				} else if in.UnitPrice == nil {
					fe.Add("unit_price", fmt.Sprintf("“%s” has no price in %s; enter one.", pr.Name, d.Currency))
				}
			}
		} else {
			it.SKU = ""
		}
	}
	if in.Name != nil {
		it.Name = strings.TrimSpace(*in.Name)
	}
	set := func(field string, n *Number, dst *int64, parse func(Number) (int64, error)) {
		if n == nil {
			return
		}
		v, err := parse(*n)
		if err != nil {
			fe.Add(field, capital(err))
			return
		}
		*dst = v
	}
	set("quantity", in.Quantity, &it.Quantity, Number.quantity)
	set("unit_price", in.UnitPrice, &it.UnitPrice, func(n Number) (int64, error) { return n.money(d.Currency) })
	set("discount", in.Discount, &it.Discount, Number.rate)
	set("tax_rate", in.TaxRate, &it.TaxRate, Number.rate)
	return priced || (in.UnitPrice != nil && fe["unit_price"] == ""), nil
}

// finishItem checks a line and computes its amounts.
func finishItem(it *Item, fe crm.FieldErrors) error {
	if len(it.Name) > 200 {
		fe.Add("name", "Use at most 200 characters.")
	}
	if err := fe.Err(); err != nil {
		return err
	}
	a, err := it.line().Compute()
	if err != nil {
		return crm.FieldErrors{"unit_price": crm.ErrorMessage(err)}.Err()
	}
	it.Amounts = a
	return nil
}

func diffItem(a, b Item) map[string]crm.Change {
	ch := map[string]crm.Change{}
	add := func(name string, x, y any, same bool) {
		if !same {
			ch[name] = crm.Change{Before: x, After: y}
		}
	}
	if a.ID == 0 {
		ch["deal_id"] = crm.Change{After: b.DealID}
	}
	add("product_id", a.ProductID, b.ProductID, a.ProductID == b.ProductID)
	add("name", nilIfEmpty(a.Name), b.Name, a.Name == b.Name)
	add("quantity", a.Quantity, b.Quantity, a.Quantity == b.Quantity)
	add("unit_price", a.UnitPrice, b.UnitPrice, a.UnitPrice == b.UnitPrice)
	add("discount", a.Discount, b.Discount, a.Discount == b.Discount)
	add("tax_rate", a.TaxRate, b.TaxRate, a.TaxRate == b.TaxRate)
	if a.ID == 0 {
		for _, k := range []string{"product_id", "discount", "tax_rate"} {
			if c, ok := ch[k]; ok && (c.After == crm.ID(0) || c.After == int64(0)) {
				delete(ch, k)
			}
		}
	}
	return ch
}

package importer

import (
	"encoding/json"
	"sort"
	"strings"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/products"
	"github.com/tandemcrm/tandem/internal/store"
)

// Products imports the catalogue through internal/products: name, SKU,
// description, unit prices (one column per currency, or a price with a
// currency column, or "USD 12.50, EUR 11" in one cell), tax rate and
// whether the product is active.
type Products struct{}

// Name implements Kind.
func (Products) Name() string { return "products" }

// Object implements Kind.
func (Products) Object() string { return "product" }

// DefaultDedupe: by SKU, or by name without a SKU column (see Adjust).
func (Products) DefaultDedupe() Dedupe { return Dedupe{Policy: CreateOrUpdate, Match: "sku"} }

// Fields implements Kind.
func (Products) Fields(Defs) []FieldSpec {
	specs := []FieldSpec{
		{Key: "name", Label: "Name", Match: true, Synonyms: []string{"name", "productname", "product", "itemname", "item", "title"}},
		{Key: "sku", Label: "SKU", Match: true, Synonyms: []string{"sku", "productcode", "itemcode", "code", "articlenumber",
			"partnumber", "productid", "artikelnummer"}},
		{Key: "description", Label: "Description", Synonyms: []string{"description", "productdescription", "details"}},
		{Key: "price", Label: "Unit price", Synonyms: []string{"price", "unitprice", "listprice", "salesprice", "rate"}},
		{Key: "currency", Label: "Currency (of the unit price)", Synonyms: []string{"currency", "currencycode", "pricecurrency"}},
		{Key: "prices", Label: "Prices (\"USD 12.50, EUR 11\")", Synonyms: []string{"prices", "pricelist"}},
		{Key: "tax_rate", Label: "Tax rate (%)", Synonyms: []string{"tax", "taxrate", "vat", "vatrate", "taxpercent", "tax%"}},
		{Key: "active", Label: "Active (yes / no)", Synonyms: []string{"active", "isactive", "status", "archived"}},
	}
	for _, c := range products.Currencies() {
		lc := strings.ToLower(c)
		specs = append(specs, FieldSpec{Key: "price." + c, Label: "Unit price (" + c + ")",
			Synonyms: []string{"price" + lc, "unitprice" + lc, lc + "price", lc + "unitprice", lc}})
	}
	return specs
}

// Adjust: without a SKU column, products are matched by name.
func (Products) Adjust(t *Template, taken map[string]bool) {
	if !taken["sku"] && taken["name"] {
		t.Dedupe.Match = "name"
	} else if !taken["sku"] {
		t.Dedupe = Dedupe{}
	}
}

// Index implements Kind: the catalogue is not in the search index.
func (Products) Index() []IndexTarget { return nil }

type productBatch struct{ domainBatch }

// Start implements Kind.
func (Products) Start(tx *store.Tx, r *Run) (Batch, error) {
	if err := products.CanEditCatalogue(r.Principal); err != nil {
		return nil, err
	}
	b := &productBatch{domainBatch{run: r, match: r.Plan.Template.Dedupe.Match, policy: r.Plan.Template.Dedupe.Policy,
		keys: map[string]*domainTarget{}, object: "product"}}
	b.write = b.writeProduct
	if b.match == "" {
		return b, nil
	}
	col := "lower(sku)"
	if b.match == "name" {
		col = "lower(name)"
	}
	rows, err := tx.Query(`SELECT id, import_id, `+col+` FROM products WHERE workspace_id = ? AND deleted_at IS NULL ORDER BY id`, r.WorkspaceID)
	if err != nil {
		return nil, errf("load products: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var t domainTarget
		var imp crm.ID
		var key string
		if err := rows.Scan(&t.id, &imp, &key); err != nil {
			return nil, err
		}
		t.mine = imp == r.ID
		if _, dup := b.keys[key]; !dup && key != "" {
			b.keys[key] = &t
		}
	}
	return b, rows.Err()
}

// rowPrices collects a row's prices by currency.
func rowPrices(v map[string]string) (map[string]string, *Outcome) {
	out, raw := map[string]string{}, map[string][2]string{} // currency → field and value as written
	if s := v["prices"]; s != "" {
		in, err := products.ParsePricesText(s)
		if err != nil {
			o := fail("prices", s, crm.ErrorMessage(err))
			return nil, &o
		}
		for _, p := range in {
			out[p.Currency], raw[p.Currency] = p.UnitPrice.Text, [2]string{"prices", s}
		}
	}
	if s := v["price"]; s != "" {
		cur := strings.ToUpper(strings.TrimSpace(v["currency"]))
		if cur == "" {
			cur = dealCurrency(map[string]string{"value": s})
		}
		out[cur], raw[cur] = dealAmount(s), [2]string{"price", s}
	}
	for k, s := range v {
		if c, ok := strings.CutPrefix(k, "price."); ok {
			out[c], raw[c] = dealAmount(s), [2]string{k, s}
		}
	}
	for c, s := range out {
		if !products.KnownCurrency(c) {
			o := fail("currency", c, "not a currency the catalogue knows")
			return nil, &o
		}
		if _, err := products.ParseMoney(s, c); err != nil || s == "" {
			o := fail(raw[c][0], raw[c][1], "not a price in "+c+" like 12.50")
			return nil, &o
		}
	}
	return out, nil
}

func activeValue(s string) (bool, bool) {
	switch norm(s) {
	case "yes", "y", "true", "1", "active", "on", "enabled":
		return true, true
	case "no", "n", "false", "0", "inactive", "archived", "off", "disabled":
		return false, true
	}
	return false, false
}

// Row implements Batch.
func (b *productBatch) Row(line int, v map[string]string) Outcome {
	if _, o := rowPrices(v); o != nil {
		return *o
	}
	if s := v["tax_rate"]; s != "" {
		if _, err := products.ParsePercent(s); err != nil {
			return fail("tax_rate", s, "not a percentage from 0 to 100")
		}
	}
	if s := v["active"]; s != "" {
		if _, ok := activeValue(s); !ok {
			return fail("active", s, "use yes or no (or active / archived)")
		}
	}
	key := strings.ToLower(strings.TrimSpace(v[b.match]))
	if _, found := b.keys[key]; (!found || key == "") && v["name"] == "" {
		return fail("name", "", "a new product needs a name")
	}
	return b.decide(line, v, key, nil)
}

// Flush implements Batch.
func (b *productBatch) Flush(tx *store.Tx) error { return b.flush(tx) }

// Finish implements Batch.
func (b *productBatch) Finish(tx *store.Tx) error { return b.dropPlanned(tx) }

func (b *productBatch) writeProduct(tx *store.Tx, op *domainOp) (crm.ID, error) {
	r, v := b.run, op.vals
	prices, _ := rowPrices(v)
	var in products.ProductInput
	for _, f := range []struct {
		key string
		dst **string
	}{{"name", &in.Name}, {"sku", &in.SKU}, {"description", &in.Description}} {
		if s, ok := v[f.key]; ok {
			*f.dst = &s
		}
	}
	if s := v["tax_rate"]; s != "" {
		in.TaxRate = products.Decimal(strings.TrimSuffix(strings.TrimSpace(s), "%"))
	}
	var before products.Product
	var err error
	if op.target != nil {
		if before, err = products.GetProduct(tx, r.WorkspaceID, op.target.id); err != nil {
			return 0, err
		}
	}
	if len(prices) > 0 {
		all := map[string]string{}
		for _, p := range before.Prices {
			all[p.Currency] = products.FormatDecimal(p.UnitPrice, products.Exponent(p.Currency))
		}
		for c, s := range prices {
			all[c] = s
		}
		list := make([]products.PriceInput, 0, len(all))
		for c, s := range all {
			list = append(list, products.PriceInput{Currency: c, UnitPrice: products.Decimal(s)})
		}
		sort.Slice(list, func(i, j int) bool { return list[i].Currency < list[j].Currency })
		in.Prices = &list
	}
	var pr products.Product
	if op.target == nil {
		if pr, err = products.CreateProduct(tx, r.Principal, in); err != nil {
			return 0, err
		}
		if _, err := tx.Exec(`UPDATE products SET import_id = ? WHERE workspace_id = ? AND id = ?`, r.ID, r.WorkspaceID, pr.ID); err != nil {
			return 0, errf("product import id: %w", err)
		}
	} else if pr, err = products.UpdateProduct(tx, r.Principal, before.ID, in, 0); err != nil {
		return 0, err
	}
	if s := v["active"]; s != "" {
		active, _ := activeValue(s)
		if pr, err = products.ArchiveProduct(tx, r.Principal, pr.ID, !active); err != nil {
			return 0, err
		}
	}
	if op.target != nil && !op.target.mine {
		return pr.ID, keepBefore(tx, r, "product", pr.ID, before, pr.Version)
	}
	return pr.ID, nil
}

// Undo implements Kind: created products go to the trash (their SKUs are
// freed), updated ones get their before-images back.
func (Products) Undo(tx *store.Tx, r *Run) (UndoResult, error) {
	var res UndoResult
	n, err := trashCreated(tx, r, "products", "product")
	res.Removed = int(n)
	if err != nil {
		return res, err
	}
	return res, restoreAll(tx, r, &res)
}

func restoreProduct(tx *store.Tx, r *Run, image string, version int64) (bool, error) {
	var b products.Product
	if err := json.Unmarshal([]byte(image), &b); err != nil {
		return false, errf("undo: before-image: %w", err)
	}
	cur, err := products.GetProduct(tx, r.WorkspaceID, b.ID)
	if crm.ErrorCode(err) == crm.NotFound || (err == nil && cur.Version != version) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	prices := make([]products.PriceInput, len(b.Prices))
	for i, p := range b.Prices {
		prices[i] = products.PriceInput{Currency: p.Currency, UnitPrice: products.Minor(p.UnitPrice)}
	}
	in := products.ProductInput{Name: &b.Name, SKU: &b.SKU, Description: &b.Description, TaxRate: products.Minor(b.TaxRate), Prices: &prices}
	pr, err := products.UpdateProduct(tx, r.Principal, b.ID, in, version)
	if err != nil {
		return false, err
	}
	if pr.Active() != b.Active() {
		_, err = products.ArchiveProduct(tx, r.Principal, b.ID, !b.Active())
	}
	return err == nil, err
}

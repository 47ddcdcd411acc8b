package products

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/filter"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
)

// Schema is what filters on products may say, for example
// `active = true and price.currency = "EUR" and tax_rate >= 1000`.
// tax_rate and price.unit_price are in the stored units (basis points,
// minor units).
func Schema(alias string) *filter.Schema {
	return &filter.Schema{Object: "product", Table: "products", Alias: alias, Fields: []filter.Field{
		{Name: "id", Type: filter.Ref, Column: "id"},
		{Name: "name", Type: filter.Text, Column: "name"},
		{Name: "sku", Type: filter.Text, Column: "sku"},
		{Name: "description", Type: filter.Text, Column: "description"},
		{Name: "tax_rate", Type: filter.Number, Column: "tax_rate"},
		{Name: "active", Type: filter.Bool, SQL: "{t}.archived_at IS NULL"},
		{Name: "created_at", Type: filter.DateTime, Column: "created_at"},
		{Name: "updated_at", Type: filter.DateTime, Column: "updated_at"},
	}, Relations: []filter.Relation{{Name: "price", LocalKey: "id", RemoteKey: "product_id",
		Target: &filter.Schema{Object: "price", Table: "product_prices", Fields: []filter.Field{
			{Name: "currency", Type: filter.Text, Column: "currency"},
			{Name: "unit_price", Type: filter.Number, Column: "unit_price"},
		}}}}}
}

var productSorts = map[string]string{"id": "id", "name": "name", "sku": "sku", "tax_rate": "tax_rate",
	"created_at": "created_at", "updated_at": "updated_at"}

type sortKey struct {
	name, column string
	desc         bool
}

type cursor struct {
	Sort   string `json:"s"`
	Values []any  `json:"v"`
	ID     crm.ID `json:"id"`
}

// QueryProducts lists the catalogue matching a filter, sorted (by name
// unless told), one page at a time (keyset pagination).
func QueryProducts(tx *store.Tx, p crm.Principal, q records.ListQuery) (records.Page[Product], error) {
	var page records.Page[Product]
	keys, spec, err := parseSort(q.Sort)
	if err != nil {
		return page, err
	}
	cur, err := decodeCursor(q.Cursor, spec, len(keys))
	if err != nil {
		return page, err
	}
	clause, args := "p.workspace_id = ? AND p.deleted_at IS NULL", []any{p.WorkspaceID}
	if strings.TrimSpace(q.Filter) != "" {
		f, err := filter.New(Schema("p"), q.Filter)
		if err != nil {
			return page, filter.Invalid(err, "filter")
		}
		frag, fargs, err := f.SQL(tx.Dialect(), filter.Env{UserID: p.UserID, Now: tx.Now})
		if err != nil {
			return page, filter.Invalid(err, "filter")
		}
		clause, args = clause+" AND "+frag, append(args, fargs...)
	}
	countClause, countArgs := clause, args
	order, after, afterArgs := keyset(keys, cur)
	if after != "" {
		clause, args = clause+" AND "+after, append(args, afterArgs...)
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, records.MaxLimit)
	items, err := scanProducts(tx, p.WorkspaceID, `SELECT `+productCols+` FROM products p WHERE `+clause+` ORDER BY `+order+` LIMIT ?`,
		append(args, limit+1)...)
	if err != nil {
		return page, err
	}
	if len(items) > limit {
		items = items[:limit]
		last := items[len(items)-1]
		vals := make([]any, len(keys))
		for i, k := range keys {
			vals[i] = sortValue(last, k.name)
		}
		b, _ := json.Marshal(cursor{Sort: spec, Values: vals, ID: last.ID})
		page.Next = base64.RawURLEncoding.EncodeToString(b)
	}
	page.Items = items
	if cur == nil { // later pages do not recount
		page.Total, page.TotalExact, err = records.FirstPageTotal(tx, records.CountKey("products", p, q.Filter), "products", "p", countClause, countArgs, len(items), page.Next != "")
	}
	return page, err
}

func parseSort(spec string) ([]sortKey, string, error) {
	if strings.TrimSpace(spec) == "" {
		spec = "name"
	}
	var keys []sortKey
	var canon []string
	seen := map[string]bool{}
	for _, part := range strings.Split(spec, ",") {
		part = strings.TrimSpace(part)
		desc := strings.HasPrefix(part, "-")
		name := strings.TrimPrefix(strings.TrimPrefix(part, "-"), "+")
		col, ok := productSorts[name]
		if !ok || seen[name] {
			names := make([]string, 0, len(productSorts))
			for n := range productSorts {
				names = append(names, n)
			}
			sort.Strings(names)
			return nil, "", crm.FieldErrors{"sort": fmt.Sprintf("Cannot sort by %q; use one of %s, with - for descending.",
				name, strings.Join(names, ", "))}.Err()
		}
		seen[name] = true
		keys = append(keys, sortKey{name: name, column: "p." + col, desc: desc})
		canon = append(canon, map[bool]string{true: "-", false: ""}[desc]+name)
	}
	return keys, strings.Join(canon, ","), nil
}

// keyset orders by the keys then the id, and for a cursor says "after the
// last row of the previous page".
func keyset(keys []sortKey, cur *cursor) (string, string, []any) {
	sk := make([]store.SortKey, len(keys))
	for i, k := range keys {
		sk[i] = store.SortKey{Expr: k.column, Desc: k.desc}
	}
	var after []any
	if cur != nil {
		after = append(append([]any(nil), cur.Values...), cur.ID)
	}
	return store.Keyset(sk, "p.id", after)
}

func decodeCursor(s, spec string, n int) (*cursor, error) {
	if s == "" {
		return nil, nil
	}
	bad := crm.FieldErrors{"cursor": "This cursor is not valid for this list; start again without it."}.Err()
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, bad
	}
	var c cursor
	if json.Unmarshal(b, &c) != nil || c.Sort != spec || len(c.Values) != n || c.ID <= 0 {
		return nil, bad
	}
	for i, v := range c.Values {
		switch x := v.(type) {
		case float64: // JSON numbers: our numeric sort values are integers
			c.Values[i] = int64(x)
		case string:
		default:
			return nil, bad
		}
	}
	return &c, nil
}

func sortValue(pr Product, name string) any {
	switch name {
	case "name":
		return pr.Name
	case "sku":
		return pr.SKU
	case "tax_rate":
		return pr.TaxRate
	case "created_at":
		return store.Micros(pr.CreatedAt)
	case "updated_at":
		return store.Micros(pr.UpdatedAt)
	}
	return int64(pr.ID)
}

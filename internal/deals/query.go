package deals

import (
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/filter"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
)

// sorts are the columns deals may be sorted by.
// Ids (and owner ids) are not offered: cursors carry sort values as JSON
// numbers, which hold integers exactly only up to 2^53.
var sorts = map[string]string{"title": "title", "value": "value", "expected_close": "expected_close",
	"status": "status", "created_at": "created_at", "updated_at": "updated_at", "stage_entered_at": "stage_entered_at"}

func sortValue(d Deal, name string) any {
	switch name {
	case "title":
		return d.Title
	case "value":
		return d.Value
	case "expected_close":
		return d.ExpectedClose
	case "status":
		return d.Status
	case "created_at":
		return store.Micros(d.CreatedAt)
	case "updated_at":
		return store.Micros(d.UpdatedAt)
	case "stage_entered_at":
		return store.Micros(d.StageEnteredAt)
	}
	return nil
}

// schemaFor builds the deal schema with the workspace's custom fields.
func schemaFor(tx *store.Tx, ws crm.ID) (*filter.Schema, error) {
	var defs [3][]records.FieldDef
	for i, o := range []string{"deal", "contact", "company"} {
		var err error
		if defs[i], err = records.ListFields(tx, ws, o, false); err != nil {
			return nil, err
		}
	}
	return Schema("d", tx.Now, defs[0], defs[1], defs[2]), nil
}

// CheckFilter reports whether expr is a valid deal filter (for forms).
func CheckFilter(tx *store.Tx, ws crm.ID, expr string) error {
	s, err := schemaFor(tx, ws)
	if err != nil {
		return err
	}
	if _, err := filter.New(s, expr); err != nil {
		return filter.Invalid(err, "filter")
	}
	return nil
}

// QueryDeals lists deals matching a filter, sorted, one page at a time.
func QueryDeals(tx *store.Tx, p crm.Principal, q records.ListQuery) (records.Page[Deal], error) {
	var page records.Page[Deal]
	schema, err := schemaFor(tx, p.WorkspaceID)
	if err != nil {
		return page, err
	}
	keys, spec, err := records.ParseSort(q.Sort, sorts, "-created_at")
	if err != nil {
		return page, err
	}
	cur, err := records.DecodeCursor(q.Cursor, spec, len(keys))
	if err != nil {
		return page, err
	}
	clause, args, err := records.Where(tx, "d", p.WorkspaceID, schema, q.Filter, p)
	if err != nil {
		return page, err
	}
	countClause, countArgs := clause, args
	order, after, afterArgs := records.Keyset(keys, "d", cur)
	if after != "" {
		clause += " AND " + after
		args = append(args, afterArgs...)
	}
	limit := records.ClampLimit(q.Limit)
	items, err := scanDeals(tx, dealCols+dealFrom+` WHERE `+clause+` ORDER BY `+order+` LIMIT ?`, append(args, limit+1)...)
	if err != nil {
		return page, err
	}
	if len(items) > limit {
		items = items[:limit]
		last := items[len(items)-1]
		vals := make([]any, len(keys))
		for i, k := range keys {
			vals[i] = sortValue(last, k.Name())
		}
		page.Next = records.EncodeCursor(spec, vals, last.ID)
	}
	page.Items = items
	if cur == nil { // later pages do not recount
		page.Total, page.TotalExact, err = records.FirstPageTotal(tx, records.CountKey("deals", p, q.Filter), "deals", "d", countClause, countArgs, len(items), page.Next != "")
	}
	return page, err
}

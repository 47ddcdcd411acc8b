package records

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/filter"
	"github.com/tandemcrm/tandem/internal/search"
	"github.com/tandemcrm/tandem/internal/store"
)

// ListQuery is a list request: the same for the UI's list views, saved
// views and the API.
type ListQuery struct {
	Filter string // filter language
	Sort   string // "-created_at,last_name": fields, "-" for descending
	Cursor string // opaque, from the previous page
	Limit  int    // 1..200
}

// MaxLimit is the largest page.
const MaxLimit = 200

// countCap bounds the estimated total ("1,000+"): counting stops here, so a list of a
// million rows costs no more than one of ten thousand.
const countCap = 1_000

// sortKey is one sortable column.
type sortKey struct {
	name, column string
	desc         bool
}

// cursorState is what a cursor remembers: the sort it belongs to and the
// sort values and id of the last row of the page.
type cursorState struct {
	Sort   string `json:"s"`
	Values []any  `json:"v"`
	ID     crm.ID `json:"id"`
}

func parseSort(spec string, allowed map[string]string, def string) ([]sortKey, string, error) {
	if strings.TrimSpace(spec) == "" {
		spec = def
	}
	var keys []sortKey
	seen := map[string]bool{}
	for _, part := range strings.Split(spec, ",") {
		part = strings.TrimSpace(part)
		desc := strings.HasPrefix(part, "-")
		name := strings.TrimPrefix(strings.TrimPrefix(part, "-"), "+")
		col, ok := allowed[name]
		if !ok || seen[name] {
			var names []string
			for n := range allowed {
				names = append(names, n)
			}
			return nil, "", (crm.FieldErrors{"sort": fmt.Sprintf("Cannot sort by %q; use one of %s, with - for descending.",
				name, strings.Join(sorted(names), ", "))}).Err()
		}
		seen[name] = true
		keys = append(keys, sortKey{name: name, column: col, desc: desc})
	}
	canon := make([]string, len(keys))
	for i, k := range keys {
		canon[i] = k.name
		if k.desc {
			canon[i] = "-" + k.name
		}
	}
	return keys, strings.Join(canon, ","), nil
}

// keyset builds ORDER BY and, for a cursor, the condition "after the last
// row" over the sort keys with the id as the final tie-breaker.
func keyset(keys []sortKey, alias string, cur *cursorState) (string, string, []any) {
	sk := make([]store.SortKey, len(keys))
	for i, k := range keys {
		sk[i] = store.SortKey{Expr: alias + "." + k.column, Desc: k.desc}
	}
	var after []any
	if cur != nil {
		after = append(append([]any(nil), cur.Values...), cur.ID)
	}
	return store.Keyset(sk, alias+".id", after)
}

func encodeCursor(c cursorState) string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s, sort string, n int) (*cursorState, error) {
	if s == "" {
		return nil, nil
	}
	bad := (crm.FieldErrors{"cursor": "This cursor is not valid for this list; start again without it."}).Err()
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, bad
	}
	var c cursorState
	if json.Unmarshal(b, &c) != nil || c.Sort != sort || len(c.Values) != n || c.ID <= 0 {
		return nil, bad
	}
	for i, v := range c.Values {
		if f, ok := v.(float64); ok { // JSON numbers: our sort values are integers
			c.Values[i] = int64(f)
		}
	}
	return &c, nil
}

// where assembles the scoped WHERE clause of a list.
func where(tx *store.Tx, alias string, ws crm.ID, schema *filter.Schema, expr string, p crm.Principal) (string, []any, error) {
	clause := alias + ".workspace_id = ? AND " + alias + ".deleted_at IS NULL"
	args := []any{ws}
	vis, vargs, err := account.VisibilityClause(tx, p, alias+".owner_id")
	if err != nil {
		return "", nil, err
	}
	if vis != "" {
		clause += " AND " + vis
		args = append(args, vargs...)
	}
	if strings.TrimSpace(expr) == "" {
		return clause, args, nil
	}
	f, err := filter.New(forDialect(schema, tx.Dialect()), expr)
	if err != nil {
		return "", nil, filter.Invalid(err, "filter")
	}
	frag, fargs, err := f.SQL(tx.Dialect(), filter.Env{UserID: p.UserID, Now: tx.Now, Narrow: narrower(tx, ws, schema.Object)})
	if err != nil {
		return "", nil, filter.Invalid(err, "filter")
	}
	return clause + " AND " + frag, append(args, fargs...), nil
}

// firstPageTotal is the total shown with a first page of n rows: exact and
// free when the page holds every match, else counted up to countCap within
// the store's count budget. A count stopped by the budget is a lower bound ("300+"),
// never less than the page and the one row that proved there is more.
//
// key (CountKey; "" for none) names the list for the cache of counts that
// ran out of budget (countcache.go): within its lifetime such a list is
// not counted again, and its total stays the lower bound it was.
func firstPageTotal(tx *store.Tx, key, table, alias, clause string, args []any, n int, more bool) (int, bool, error) {
	if !more {
		return n, true, nil
	}
	if total, ok := cachedCount(key, tx.Now); ok {
		return max(total, n+1), false, nil
	}
	total, exact, err := estimate(tx, table, alias, clause, args)
	if err == nil && !exact {
		rememberCount(key, total, tx.Now)
	}
	if !exact && total < n+1 {
		total = n + 1
	}
	return total, exact, err
}

// estimate counts matches up to countCap, within the store's count budget; exact is
// false at the cap or when the budget ran out (total is then a lower bound).
func estimate(tx *store.Tx, table, alias, clause string, args []any) (int, bool, error) {
	n, complete, err := tx.CountUpTo(`SELECT 1 FROM `+table+` `+alias+` WHERE `+clause, args, countCap)
	if n > countCap {
		return countCap, false, err
	}
	return n, complete, err
}

func sorted(s []string) []string {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	return s
}

func clampLimit(n int) int {
	if n <= 0 {
		return 50
	}
	return min(n, MaxLimit)
}

// narrowFields are the built-in text fields whose values a record's search
// document holds verbatim (searchdocs.go, and the importer's and Reindex's
// set-based documents): a "contains" filter on them can be narrowed by the
// search index first. A name holds first and last name with a space, and
// is trimmed, hence no narrowing for text that starts or ends with a space.
var narrowFields = map[string]map[string]bool{
	"contact": {"name": true, "first_name": true, "last_name": true, "email": true, "title": true},
	"company": {"name": true, "domain": true, "industry": true},
}

// narrowMax is the most search documents a contains filter is narrowed to;
// above it the list walks its own order instead. 6,000 candidates (`email
// ~ "gmail"` at a million contacts) cost tens of milliseconds; reading a
// quarter of the table without them, seconds.
const narrowMax = 10_000

// narrower gives the filter compiler the search index as a first cut for
// "contains" conditions (search.NarrowCond) — unless an import of the
// workspace is running: it writes its records' documents after moving the
// records in, and until then the index does not hold them all.
func narrower(tx *store.Tx, ws crm.ID, object string) func(field, value string) (string, []any) {
	fields := narrowFields[object]
	if fields == nil {
		return nil
	}
	checked, importing := false, false
	return func(field, value string) (string, []any) {
		if !fields[field] || strings.TrimSpace(value) != value {
			return "", nil
		}
		if !checked {
			checked = true
			err := tx.QueryRow(`SELECT 1 FROM imports WHERE workspace_id = ? AND status = 'running' LIMIT 1`, ws).Scan(new(int))
			importing = err != store.ErrNoRows
		}
		if importing {
			return "", nil
		}
		if !search.Narrowable(tx, value) {
			return "", nil
		}
		// How many documents hold the text only decides whether narrowing
		// pays, which a few more or less do not change: it is remembered
		// (countcache.go), as matching the text again costs as much as the
		// narrowed list itself.
		key := "narrow\x00" + ws.String() + "\x00" + value
		n, ok := cachedCount(key, tx.Now)
		if !ok {
			var err error
			if n, err = search.MatchCount(tx, ws, value, narrowMax+1); err != nil {
				return "", nil // the exact condition alone is still right
			}
			rememberCount(key, n, tx.Now)
		}
		if n > narrowMax {
			return "", nil
		}
		return search.NarrowCond(tx, ws, value)
	}
}

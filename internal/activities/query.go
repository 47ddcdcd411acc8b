package activities

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/filter"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
)

// Schema is what filters on activities may say.
func Schema() *filter.Schema {
	return &filter.Schema{Object: "activity", Table: "activities", Alias: "a", Fields: []filter.Field{
		{Name: "id", Type: filter.Ref, Column: "id"},
		{Name: "type", Type: filter.Enum, Column: "type", Values: Types},
		{Name: "title", Type: filter.Text, Column: "title"},
		{Name: "due_at", Type: filter.DateTime, SQL: "COALESCE({t}.due_at, 0)"},
		{Name: "done", Type: filter.Bool, SQL: "({t}.done_at IS NOT NULL)"},
		{Name: "done_at", Type: filter.DateTime, SQL: "COALESCE({t}.done_at, 0)"},
		{Name: "all_day", Type: filter.Bool, Column: "all_day"},
		{Name: "duration_min", Type: filter.Number, Column: "duration_min"},
		{Name: "outcome", Type: filter.Text, Column: "outcome"},
		{Name: "location", Type: filter.Text, Column: "location"},
		{Name: "owner", Type: filter.User, Column: "owner_id"},
		{Name: "contact_id", Type: filter.Ref, Column: "contact_id"},
		{Name: "company_id", Type: filter.Ref, Column: "company_id"},
		{Name: "deal_id", Type: filter.Ref, Column: "deal_id"},
		{Name: "created_at", Type: filter.DateTime, Column: "created_at"},
		{Name: "updated_at", Type: filter.DateTime, Column: "updated_at"},
	}}
}

// sorts maps sortable fields to their SQL.
var sorts = map[string]string{
	"due_at": "COALESCE(a.due_at, 0)", "created_at": "a.created_at", "updated_at": "a.updated_at",
	"title": "a.title", "type": "a.type", "done_at": "COALESCE(a.done_at, 0)",
}

// ListQuery is an API list request.
type ListQuery struct {
	Filter, Sort, Cursor string
	Limit                int
}

// ListPage is a page of an API list, with the first page's estimate.
type ListPage struct {
	Items      []Activity
	Next       string
	Total      int
	TotalExact bool
}

type listCursor struct {
	Sort   string `json:"s"`
	Values []any  `json:"v"`
	ID     crm.ID `json:"id"`
}

type sortKey struct {
	name, expr string
	desc       bool
}

// Query filters, sorts and pages through the activities p may see.
func Query(tx *store.Tx, p crm.Principal, q ListQuery) (ListPage, error) {
	var page ListPage
	keys, spec, err := parseSort(q.Sort)
	if err != nil {
		return page, err
	}
	cur, err := decodeCursor(q.Cursor, spec, len(keys))
	if err != nil {
		return page, err
	}
	clause, args, err := visibleWhere(tx, p)
	if err != nil {
		return page, err
	}
	if strings.TrimSpace(q.Filter) != "" {
		f, err := filter.New(Schema(), q.Filter)
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
	limit := clamp(q.Limit)
	items, err := scan(tx, `SELECT `+cols+joins+` WHERE `+clause+` ORDER BY `+order+` LIMIT ?`, append(args, limit+1)...)
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
		raw, _ := json.Marshal(listCursor{Sort: spec, Values: vals, ID: last.ID})
		page.Next = base64.RawURLEncoding.EncodeToString(raw)
	}
	page.Items = items
	if cur == nil { // later pages do not recount
		if page.Total, page.TotalExact, err = records.FirstPageTotal(tx, records.CountKey("activities", p, q.Filter), "activities", "a", countClause, countArgs, len(items), page.Next != ""); err != nil {
			return page, err
		}
	}
	return page, loadContacts(tx, p.WorkspaceID, items)
}

// visibleWhere is the scope of every list: the workspace, live rows, and
// the account's visibility rule on the owner.
func visibleWhere(tx *store.Tx, p crm.Principal) (string, []any, error) {
	clause, args := "a.workspace_id = ? AND a.deleted_at IS NULL", []any{p.WorkspaceID}
	vis, vargs, err := account.VisibilityClause(tx, p, "a.owner_id")
	if err != nil {
		return "", nil, err
	}
	if vis != "" {
		clause, args = clause+" AND "+vis, append(args, vargs...)
	}
	return clause, args, nil
}

func parseSort(spec string) ([]sortKey, string, error) {
	if strings.TrimSpace(spec) == "" {
		spec = "due_at"
	}
	var keys []sortKey
	var canon []string
	for _, part := range strings.Split(spec, ",") {
		part = strings.TrimSpace(part)
		desc := strings.HasPrefix(part, "-")
		name := strings.TrimPrefix(strings.TrimPrefix(part, "-"), "+")
		expr, ok := sorts[name]
		if !ok || slices.ContainsFunc(keys, func(k sortKey) bool { return k.name == name }) {
			var names []string
			for n := range sorts {
				names = append(names, n)
			}
			slices.Sort(names)
			return nil, "", (crm.FieldErrors{"sort": fmt.Sprintf("Cannot sort by %q; use one of %s, with - for descending.",
				name, strings.Join(names, ", "))}).Err()
		}
		keys = append(keys, sortKey{name: name, expr: expr, desc: desc})
		canon = append(canon, map[bool]string{true: "-", false: ""}[desc]+name)
	}
	return keys, strings.Join(canon, ","), nil
}

func decodeCursor(s, spec string, n int) (*listCursor, error) {
	if s == "" {
		return nil, nil
	}
	bad := (crm.FieldErrors{"cursor": "This cursor is not valid for this list; start again without it."}).Err()
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, bad
	}
	var c listCursor
	if json.Unmarshal(raw, &c) != nil || c.Sort != spec || len(c.Values) != n || c.ID <= 0 {
		return nil, bad
	}
	for i, v := range c.Values {
		if f, ok := v.(float64); ok {
			c.Values[i] = int64(f)
		}
	}
	return &c, nil
}

// keyset orders by the keys then the id, and for a cursor says "after the
// last row".
func keyset(keys []sortKey, cur *listCursor) (string, string, []any) {
	sk := make([]store.SortKey, len(keys))
	for i, k := range keys {
		sk[i] = store.SortKey{Expr: k.expr, Desc: k.desc}
	}
	var after []any
	if cur != nil {
		after = append(append([]any(nil), cur.Values...), cur.ID)
	}
	return store.Keyset(sk, "a.id", after)
}

func sortValue(a Activity, name string) any {
	switch name {
	case "due_at":
		return store.Micros(a.DueAt)
	case "done_at":
		return store.Micros(a.DoneAt)
	case "created_at":
		return store.Micros(a.CreatedAt)
	case "updated_at":
		return store.Micros(a.UpdatedAt)
	case "title":
		return a.Title
	}
	return a.Type
}

// Range returns the activities of owner (open and done) due in [from, to),
// for the calendar: timed ones by their instant, all-day ones by their
// date (fromDate and toDate are the local dates of the range's ends).
func Range(tx *store.Tx, p crm.Principal, owner crm.ID, from, to time.Time, limit int) ([]Activity, error) {
	if err := account.Can(tx, p, account.ActView, owner); err != nil {
		return nil, err
	}
	fy, fm, fd := from.Date()
	ty, tm, td := to.Date()
	dFrom, dTo := time.Date(fy, fm, fd, 0, 0, 0, 0, time.UTC), time.Date(ty, tm, td, 0, 0, 0, 0, time.UTC)
	as, err := scan(tx, `SELECT `+cols+joins+` WHERE a.workspace_id = ? AND a.owner_id = ? AND a.deleted_at IS NULL
		AND a.due_at >= ? AND a.due_at < ? AND a.due_at >= `+perKind+` AND a.due_at < `+perKind+`
		ORDER BY a.due_at, a.id LIMIT ?`,
		p.WorkspaceID, owner, store.Micros(earliest(from, dFrom)), store.Micros(latest(to, dTo)),
		store.Micros(dFrom), store.Micros(from), store.Micros(dTo), store.Micros(to), max(1, min(limit, 5000)))
	if err != nil {
		return nil, err
	}
	return as, loadContacts(tx, p.WorkspaceID, as)
}

// ForRecord returns the activities p may see that concern a contact,
// company or deal: open ones first (soonest due first), then the most
// recently done.
func ForRecord(tx *store.Tx, p crm.Principal, kind string, id crm.ID, limit int) ([]Activity, error) {
	clause, args, err := visibleWhere(tx, p)
	if err != nil {
		return nil, err
	}
	switch kind {
	case "contact":
		clause += ` AND (a.contact_id = ? OR a.id IN (SELECT activity_id FROM activity_contacts WHERE workspace_id = ? AND contact_id = ?))`
		args = append(args, id, p.WorkspaceID, id)
	case "company":
		clause += ` AND a.company_id = ?`
		args = append(args, id)
	case "deal":
		clause += ` AND a.deal_id = ?`
		args = append(args, id)
	default:
		return nil, crm.Errorf(crm.NotFound, "No such record.")
	}
	limit = clamp(limit)
	open, err := scan(tx, `SELECT `+cols+joins+` WHERE `+clause+` AND a.done_at IS NULL ORDER BY a.due_at, a.id LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, err
	}
	done, err := scan(tx, `SELECT `+cols+joins+` WHERE `+clause+` AND a.done_at IS NOT NULL ORDER BY a.done_at DESC, a.id DESC LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, err
	}
	all := append(open, done...)
	return all, loadContacts(tx, p.WorkspaceID, all)
}

// DealsWithoutNextActivity returns the ids of open deals of the workspace
// (of one pipeline, unless pipelineID is 0) that have no open activity at
// all — the deals the board highlights because nobody plans to do anything
// about them. Oldest deals first, at most limit.
func DealsWithoutNextActivity(tx *store.Tx, ws, pipelineID crm.ID, limit int) ([]crm.ID, error) {
	q := `SELECT d.id FROM deals d WHERE d.workspace_id = ? AND d.status = 'open' AND d.deleted_at IS NULL`
	args := []any{ws}
	if pipelineID != 0 {
		q += ` AND d.pipeline_id = ?`
		args = append(args, pipelineID)
	}
	q += ` AND ` + NoNextActivitySQL("d") + ` ORDER BY d.id LIMIT ?`
	ids, err := tx.IDs(q, append(args, max(1, limit))...)
	if err != nil {
		return nil, fmt.Errorf("activities: deals without next activity: %w", err)
	}
	return ids, nil
}

// NoNextActivitySQL is a condition on a row of deals (table alias alias)
// that holds when the deal has no open activity: for a board query that
// wants the highlight per card in the same statement. It walks the partial
// index activities_deal_open, one probe per deal.
func NoNextActivitySQL(alias string) string {
	return `NOT EXISTS (SELECT 1 FROM activities nx WHERE nx.workspace_id = ` + alias + `.workspace_id AND nx.deal_id = ` + alias + `.id
		AND nx.done_at IS NULL AND nx.deleted_at IS NULL)`
}

// nextDueSQL reads the open activities of n deals (workspace, then the deal
// ids as arguments). It walks from each deal into its open activities: a
// CROSS JOIN keeps SQLite's loop in that order (PostgreSQL plans it as any
// join). Asked as "deal_id IN (…)" alone, SQLite with statistics chose, from
// about 30 ids on, a skip-scan of every open activity through the owner
// index — a board's 150 cards cost a scan of all open activities. The "+"
// keeps the workspace condition from offering an index over all the
// workspace's deals: they are found by id.
func nextDueSQL(n int) string {
	return `SELECT a.deal_id, a.type, COALESCE(a.due_at, 0) FROM deals d CROSS JOIN activities a
		WHERE +d.workspace_id = ? AND d.id IN (` + placeholders(n) + `)
		AND a.workspace_id = d.workspace_id AND a.deal_id = d.id AND a.done_at IS NULL AND a.deleted_at IS NULL
		ORDER BY a.deal_id, CASE WHEN a.due_at IS NULL THEN 1 ELSE 0 END, a.due_at, a.id`
}

// Due is when a deal's next open activity is, and its type: what a board
// card shows.
type Due struct {
	Type string
	At   time.Time // zero: no due time
}

// NextDue returns, for each of the given deals that has an open activity,
// the type and due time of the soonest one. It reads only those two columns,
// so a board of a few hundred cards stays cheap.
func NextDue(tx *store.Tx, ws crm.ID, dealIDs []crm.ID) (map[crm.ID]Due, error) {
	out := map[crm.ID]Due{}
	for len(dealIDs) > 0 {
		n := min(len(dealIDs), 500)
		args := []any{ws}
		for _, id := range dealIDs[:n] {
			args = append(args, id)
		}
		rows, err := tx.Query(nextDueSQL(n), args...)
		if err != nil {
			return nil, fmt.Errorf("activities: next due: %w", err)
		}
		for rows.Next() {
			var deal crm.ID
			var d Due
			var at int64
			if err := rows.Scan(&deal, &d.Type, &at); err != nil {
				rows.Close()
				return nil, err
			}
			if _, seen := out[deal]; seen {
				continue
			}
			if at != 0 {
				d.At = store.FromMicros(at)
			}
			out[deal] = d
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		dealIDs = dealIDs[n:]
	}
	return out, nil
}

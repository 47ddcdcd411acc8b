package records

import (
	"fmt"
	"strings"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/search"
	"github.com/tandemcrm/tandem/internal/store"
)

// indexContact keeps a contact's search document in step, in the same
// transaction as the change.
func indexContact(tx *store.Tx, ws crm.ID, c Contact) error {
	return search.Index(tx, ws, "contact", c.ID, strings.TrimSpace(c.FirstName+" "+c.LastName),
		search.ContactDoc(EmailsOf(c.Emails), PhonesOf(c.Phones), c.Title))
}

func indexCompany(tx *store.Tx, ws crm.ID, c Company) error {
	return search.Index(tx, ws, "company", c.ID, c.Name, search.CompanyDoc(c.Domains, c.Industry, c.Phone))
}

// EmailsOf are the addresses of es.
func EmailsOf(es []EmailAddr) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.Email
	}
	return out
}

// PhonesOf are the numbers of ps, as written.
func PhonesOf(ps []PhoneNum) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Phone
	}
	return out
}

// Result is a search hit the principal may see.
type Result struct {
	Type, Title, Subtitle string
	ID                    crm.ID
}

// Search finds the principal's visible contacts and companies for q. The
// visibility rule of lists (account.VisibilityClause) is part of the search
// query; the subtitles are read afterwards in one query per record type.
func Search(tx *store.Tx, p crm.Principal, q string, limit int) ([]Result, error) {
	if len(q) > 200 {
		return nil, (crm.FieldErrors{"q": "Search for at most 200 characters."}).Err()
	}
	var scope search.Scope
	var err error
	if scope.Clause, scope.Args, err = account.VisibilityClause(tx, p, search.OwnerColumn); err != nil {
		return nil, err
	}
	hits, err := search.Search(tx, p.WorkspaceID, q, limit, scope)
	if err != nil {
		return nil, err
	}
	return withSubtitles(tx, p.WorkspaceID, hits)
}

// withSubtitles turns hits into results with their subtitles.
func withSubtitles(tx *store.Tx, ws crm.ID, hits []search.Hit) ([]Result, error) {
	subs, err := subtitles(tx, ws, hits)
	if err != nil {
		return nil, err
	}
	out := make([]Result, 0, len(hits))
	for _, h := range hits {
		out = append(out, Result{Type: h.ObjectType, ID: h.ObjectID, Title: h.Title, Subtitle: subs[h.ObjectType+h.ObjectID.String()]})
	}
	return out, nil
}

// subtitles says what tells hits apart: a contact's email and company, a
// company's domains. (The unary + keeps SQLite from reading the workspace's
// whole (workspace_id, …) index instead of looking the ids up: 64% of a
// search's time at size S.)
func subtitles(tx *store.Tx, ws crm.ID, hits []search.Hit) (map[string]string, error) {
	ids := map[string][]any{}
	for _, h := range hits {
		ids[h.ObjectType] = append(ids[h.ObjectType], h.ObjectID)
	}
	out := map[string]string{}
	if len(ids["contact"]) > 0 {
		rows, err := tx.Query(`SELECT c.id, c.email, COALESCE(co.name, '') FROM contacts c
			LEFT JOIN companies co ON co.workspace_id = c.workspace_id AND co.id = c.company_id AND co.deleted_at IS NULL
			WHERE +c.workspace_id = ? AND c.id IN (`+placeholders(len(ids["contact"]))+`)`, append([]any{ws}, ids["contact"]...)...)
		if err != nil {
			return nil, fmt.Errorf("records: search subtitles: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var id crm.ID
			var email, company string
			if err := rows.Scan(&id, &email, &company); err != nil {
				return nil, err
			}
			out["contact"+id.String()] = joinNonEmpty(" · ", email, company)
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
		rows.Close()
	}
	if len(ids["company"]) > 0 {
		cs, err := scanCompanies(tx, ws, `SELECT `+companyCols+` FROM companies co WHERE +co.workspace_id = ? AND co.id IN (`+
			placeholders(len(ids["company"]))+`)`, append([]any{ws}, ids["company"]...)...)
		if err != nil {
			return nil, err
		}
		for _, c := range cs {
			out["company"+c.ID.String()] = strings.Join(c.Domains[:min(len(c.Domains), 3)], ", ")
		}
	}
	return out, nil
}

func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, s := range parts {
		if s != "" {
			out = append(out, s)
		}
	}
	return strings.Join(out, sep)
}

// PickCompanies is what a company picker offers for what was typed: for
// nothing, the newest companies; else first those whose name starts with
// it (any case; an index seek), then, for three letters or more, the
// search's other company hits, best first: a name or domain containing
// it, or, among the pickTypos newest similar documents, a typo of it.
// Only companies p may see, each with its domains as the subtitle. It
// replaces offering every company in a drop-down, which at 100,000
// companies cost a third of a contact page and could not reach an older
// one.
func PickCompanies(tx *store.Tx, p crm.Principal, q string, limit int) ([]Result, error) {
	q = strings.TrimSpace(q)
	if len(q) > 200 {
		return nil, (crm.FieldErrors{"q": "Search for at most 200 characters."}).Err()
	}
	vis, args, err := account.VisibilityClause(tx, p, "co.owner_id")
	if err != nil {
		return nil, err
	}
	if q != "" {
		args = append([]any{search.LikePrefix(q)}, args...)
		if tx.Dialect() == store.Postgres {
			// A generic plan cannot know the prefix and walks the whole
			// index (166 ms at 100,000 companies against 0.1 ms).
			if _, err := tx.Exec(`SET LOCAL plan_cache_mode = force_custom_plan`); err != nil {
				return nil, err
			}
		}
	}
	rows, err := tx.Query(pickSQL(tx.Dialect(), q != "", vis), append(append([]any{p.WorkspaceID}, args...), limit)...)
	if err != nil {
		return nil, fmt.Errorf("records: pick companies: %w", err)
	}
	defer rows.Close()
	var hits []search.Hit
	seen := map[crm.ID]bool{}
	for rows.Next() {
		h := search.Hit{ObjectType: "company"}
		if err := rows.Scan(&h.ObjectID, &h.Title); err != nil {
			return nil, err
		}
		hits, seen[h.ObjectID] = append(hits, h), true
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	if len(hits) < limit && len([]rune(q)) >= 3 {
		vis, args, err := account.VisibilityClause(tx, p, search.OwnerColumn)
		if err != nil {
			return nil, err
		}
		scope := search.Scope{Clause: "search_index.object_type = 'company'", Args: args, TypoNewest: pickTypos}
		if vis != "" {
			scope.Clause += " AND " + vis
		}
		more, err := search.Search(tx, p.WorkspaceID, q, limit, scope)
		if err != nil {
			return nil, err
		}
		for _, h := range more {
			if len(hits) < limit && !seen[h.ObjectID] {
				hits, seen[h.ObjectID] = append(hits, h), true
			}
		}
	}
	return withSubtitles(tx, p.WorkspaceID, hits)
}

// pickTypos is how many of the newest documents sharing a trigram with the
// picker's text its typo pass reads (search.Scope.TypoNewest): a name that
// many contacts and no company hold would otherwise have every similar
// name read.
const pickTypos = 1_000

// pickSQL is the picker's query of a workspace's companies (arguments: the
// workspace, the LIKE prefix when prefix, vis's, the limit): by the start
// of their name in name order, or the newest. companies_name_prefix
// (migration 00036) answers the prefix on both databases: SQLite turns a
// LIKE prefix on a NOCASE column into a range of it, PostgreSQL one on a
// C-collated expression.
func pickSQL(d store.Dialect, prefix bool, vis string) string {
	where, order := "", "co.id DESC"
	switch {
	case prefix && d == store.Postgres:
		where, order = ` AND lower(co.name) COLLATE "C" LIKE lower(?) ESCAPE '\'`, `lower(co.name) COLLATE "C", co.id`
	case prefix:
		where, order = ` AND co.name LIKE ? ESCAPE '\'`, "co.name COLLATE NOCASE, co.id"
	}
	if vis != "" {
		where += " AND " + vis
	}
	return `SELECT co.id, co.name FROM companies co WHERE co.workspace_id = ? AND co.deleted_at IS NULL` + where + `
		ORDER BY ` + order + ` LIMIT ?`
}

// PickContacts is what a contact picker offers for what was typed: for
// nothing, the newest contacts; else search's contact hits, best first (a
// name, email or phone holding it, or among the pickTypos newest similar
// documents a typo of it). Only contacts p may see, each with its email and
// company as the subtitle; the title of a contact without a name is "".
func PickContacts(tx *store.Tx, p crm.Principal, q string, limit int) ([]Result, error) {
	q = strings.TrimSpace(q)
	if len(q) > 200 {
		return nil, (crm.FieldErrors{"q": "Search for at most 200 characters."}).Err()
	}
	if q == "" {
		vis, args, err := account.VisibilityClause(tx, p, "c.owner_id")
		if err != nil {
			return nil, err
		}
		if vis != "" {
			vis = " AND " + vis
		}
		rows, err := tx.Query(`SELECT c.id, c.first_name, c.last_name FROM contacts c
			WHERE c.workspace_id = ? AND c.deleted_at IS NULL`+vis+` ORDER BY c.id DESC LIMIT ?`,
			append(append([]any{p.WorkspaceID}, args...), limit)...)
		if err != nil {
			return nil, fmt.Errorf("records: pick contacts: %w", err)
		}
		defer rows.Close()
		var hits []search.Hit
		for rows.Next() {
			var first, last string
			h := search.Hit{ObjectType: "contact"}
			if err := rows.Scan(&h.ObjectID, &first, &last); err != nil {
				return nil, err
			}
			h.Title = strings.TrimSpace(first + " " + last)
			hits = append(hits, h)
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
		rows.Close()
		return withSubtitles(tx, p.WorkspaceID, hits)
	}
	vis, args, err := account.VisibilityClause(tx, p, search.OwnerColumn)
	if err != nil {
		return nil, err
	}
	scope := search.Scope{Clause: "search_index.object_type = 'contact'", Args: args, TypoNewest: pickTypos}
	if vis != "" {
		scope.Clause += " AND " + vis
	}
	hits, err := search.Search(tx, p.WorkspaceID, q, limit, scope)
	if err != nil {
		return nil, err
	}
	return withSubtitles(tx, p.WorkspaceID, hits)
}

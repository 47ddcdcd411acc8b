// Package search finds contacts and companies by name, email, phone digits
// and domain, typo-tolerant on names, in one query. Documents are written in
// the same transaction as the record they describe (records calls Index and
// Remove), and rebuilt in bulk after bulk loads (Reindex).
//
// Documents are rows of search_index on both databases. PostgreSQL finds
// them with pg_trgm indexes; SQLite with search_index_fts, a contentless
// FTS5 table of their trigrams (migration 00041), whose candidates
// search_has and search_typo check (fold.go). User input never reaches a
// MATCH expression unquoted: it is split into words and trigrams here, each
// one quoted.
package search

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// Hit is one search result.
type Hit struct {
	ObjectType string
	ObjectID   crm.ID
	Title      string
	Body       string
}

// Index writes (or replaces) the document of one record.
func Index(tx *store.Tx, ws crm.ID, objectType string, id crm.ID, title, body string) error {
	if err := Remove(tx, ws, objectType, id); err != nil {
		return err
	}
	if _, err := tx.Exec(`INSERT INTO search_index (workspace_id, object_type, object_id, title, body) VALUES (?, ?, ?, ?, ?)`,
		ws, objectType, id, title, body); err != nil {
		return fmt.Errorf("search: index: %w", err)
	}
	if tx.Dialect() == store.SQLite {
		if _, err := tx.Exec(`INSERT INTO search_index_fts (rowid, title, body) VALUES (?, ?, ?)`, id, title, body); err != nil {
			return fmt.Errorf("search: index: %w", err)
		}
	}
	return nil
}

// Remove deletes a record's document. On SQLite the document's key is the
// record's id (ids are unique across every table), which is also the rowid
// of its trigrams in search_index_fts.
func Remove(tx *store.Tx, ws crm.ID, objectType string, id crm.ID) error {
	_, err := Delete(tx, `workspace_id = ? AND object_type = ? AND object_id = ?`, ws, objectType, id)
	return err
}

// Delete removes the documents that cond (a condition on search_index's
// columns, naming workspace_id) selects, with their trigrams on SQLite,
// and says how many documents went.
func Delete(tx *store.Tx, cond string, args ...any) (int64, error) {
	if tx.Dialect() == store.SQLite {
		if _, err := tx.Exec(`DELETE FROM search_index_fts WHERE rowid IN (SELECT object_id FROM search_index WHERE `+cond+`)`, args...); err != nil {
			return 0, fmt.Errorf("search: remove: %w", err)
		}
	}
	n, err := tx.Exec(`DELETE FROM search_index WHERE `+cond, args...)
	if err != nil {
		return 0, fmt.Errorf("search: remove: %w", err)
	}
	return n, nil
}

// Written completes a set-based write of documents (INSERT INTO
// search_index … SELECT …): on SQLite it writes the trigrams of the
// documents that cond (a condition on search_index's columns, naming
// workspace_id) selects, which must be exactly the ones just written. On
// PostgreSQL the trigram indexes follow the table by themselves.
func Written(tx *store.Tx, cond string, args ...any) error {
	if tx.Dialect() != store.SQLite {
		return nil
	}
	if _, err := tx.Exec(`INSERT INTO search_index_fts (rowid, title, body) SELECT object_id, title, body FROM search_index WHERE `+cond, args...); err != nil {
		return fmt.Errorf("search: index: %w", err)
	}
	return nil
}

// Scope limits hits to the records the asker may see: Clause is an SQL
// condition on OwnerColumn (the owner of the contact or company a document
// describes) with its arguments, as account.VisibilityClause writes it; ""
// means every record of the workspace. It is applied in the search query
// itself, so a page of hits is one statement, not one check per candidate.
type Scope struct {
	Clause string
	Args   []any
	// TypoNewest, when set, bounds the typo pass of a search whose Clause
	// keeps few of the matches (only companies, say): on SQLite it
	// considers only the TypoNewest most recent documents sharing a
	// trigram (ids grow with time). Without it, a word that many contacts
	// and no company hold had every similar name read (a quarter of a
	// second at size L). The exact pass is never bounded: what holds the
	// words is always found.
	TypoNewest int
}

// OwnerColumn is the owner of a hit's record inside the search queries: a
// primary-key lookup per candidate. (Joins let PostgreSQL's planner hash
// every contact of the workspace to check twenty candidates.)
const OwnerColumn = `(CASE search_index.object_type
	WHEN 'contact' THEN (SELECT o.owner_id FROM contacts o WHERE o.workspace_id = search_index.workspace_id AND o.id = search_index.object_id)
	ELSE (SELECT o.owner_id FROM companies o WHERE o.workspace_id = search_index.workspace_id AND o.id = search_index.object_id) END)`

func (sc Scope) where() (string, []any) {
	if sc.Clause == "" {
		return "", nil
	}
	return " AND " + sc.Clause, sc.Args
}

// whereTypos is where() for SQLite's typo pass, whose MATCH is match: with
// TypoNewest, also the lowest rowid among the TypoNewest most recent
// matching documents (FTS5 seeks rowid bounds in its index).
func (sc Scope) whereTypos(tx *store.Tx, match string) (string, []any, error) {
	vis, args := sc.where()
	if sc.TypoNewest <= 0 {
		return vis, args, nil
	}
	var lo int64
	// Instance-wide on purpose: a bound on the index's own order.
	err := tx.Unscoped().QueryRow(`SELECT rowid FROM search_index_fts WHERE search_index_fts MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET ?`,
		match, sc.TypoNewest-1).Scan(&lo)
	switch {
	case errors.Is(err, store.ErrNoRows): // fewer matches than that: all
		return vis, args, nil
	case err != nil:
		return "", nil, fmt.Errorf("search: newest bound: %w", err)
	}
	return vis + " AND search_index_fts.rowid >= ?", append(slices.Clip(args), lo), nil
}

// Search returns up to limit hits for q in workspace ws that scope allows,
// best first.
func Search(tx *store.Tx, ws crm.ID, q string, limit int, scope Scope) ([]Hit, error) {
	q = strings.TrimSpace(q)
	if q == "" {
		return nil, nil
	}
	if tx.Dialect() == store.Postgres {
		return searchPostgres(tx, ws, q, limit, scope)
	}
	return searchSQLite(tx, ws, q, limit, scope)
}

// terms splits a query into lower-case words; a query that is mostly digits
// (a phone number) becomes its digits.
func terms(q string) []string {
	digits := strings.Map(func(r rune) rune {
		if unicode.IsDigit(r) {
			return r
		}
		return -1
	}, q)
	if len(digits) >= 5 && len(digits)*2 >= len(strings.ReplaceAll(q, " ", "")) {
		// A national trunk 0 is not in the international form (+44 20… is
		// 020… at home): match the rest.
		if t := strings.TrimLeft(digits, "0"); len(t) >= 5 {
			digits = t
		}
		return []string{digits}
	}
	return strings.FieldsFunc(strings.ToLower(q), func(r rune) bool {
		return unicode.IsSpace(r) || r == ',' || r == ';'
	})
}

// trigrams are a word's three-letter pieces: matching most of them finds
// the word with a letter or two wrong.
func trigrams(w string) []string {
	rs := []rune(w)
	if len(rs) < 3 {
		return nil
	}
	var out []string
	for i := 0; i+3 <= len(rs); i++ {
		out = append(out, string(rs[i:i+3]))
	}
	return out
}

func quote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

func searchSQLite(tx *store.Tx, ws crm.ID, q string, limit int, scope Scope) ([]Hit, error) {
	// Exact substrings first (every word, in any field), then the
	// typo-tolerant pass on trigrams. search_index_fts knows only which
	// documents hold which trigrams (migration 00041): it finds the
	// documents that hold every trigram of every word, and search_has keeps
	// those that hold the words themselves.
	var words, all, some []string
	for _, w := range terms(q) {
		if len([]rune(w)) >= 3 {
			words = append(words, w)
			all = append(all, wordMatch(w))
		}
		for _, t := range trigrams(w) {
			some = append(some, quote(t))
		}
	}
	var hits []Hit
	seen := map[string]bool{}
	if len(all) > 0 {
		// Every word as a substring, ordered like PostgreSQL's: the whole
		// query in the name first, then in the rest, companies first, short
		// names first. FTS5's bm25 rank would cost ten times the search
		// itself (it is computed for every match), and means little for
		// trigram substrings. The candidates are capped so that a common
		// word costs the same at a million records as at ten thousand.
		phrase := LikeAnywhere(strings.Join(terms(q), " "))
		match := strings.Join(all, " AND ")
		vis, vargs := scope.where()
		args := append(append([]any{match, ws, strings.Join(words, "\n")}, vargs...), candidates, phrase, phrase, limit)
		rows, err := tx.Query(`SELECT object_type, object_id, title, body FROM (`+ftsCandidates+`
					AND search_has(search_index.title, search_index.body, ?)`+vis+` LIMIT ?)
			ORDER BY title LIKE ? ESCAPE '\' DESC, body LIKE ? ESCAPE '\' DESC, object_type = 'company' DESC, length(title), object_id LIMIT ?`, args...)
		if err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		if hits, err = collect(rows, hits, seen, limit); err != nil {
			return nil, err
		}
	}
	if len(some) == 0 || len(hits) >= limit {
		return hits, nil
	}
	// Typos are forgiven in names only. Candidates share two neighbouring
	// trigrams of a long word with the name (one, for words of up to seven
	// letters), and are ordered by how many of the query's trigrams the name
	// holds, shorter names first. FTS5's bm25 over every name sharing a
	// trigram cost 100–270 ms a search at a million names; this is bounded
	// by the candidate cap. search_index_fts cannot tell the name from the
	// rest of a document: search_typo checks the name.
	var raw, score []string
	var scoreArgs []any
	for _, w := range terms(q) {
		raw = append(raw, trigrams(w)...)
	}
	for _, t := range uniq(raw) {
		if len(score) == maxScored {
			break
		}
		score = append(score, "(instr(lower(title), ?) > 0)")
		scoreArgs = append(scoreArgs, t)
	}
	match, groups := typoMatch(terms(q))
	vis, vargs, err := scope.whereTypos(tx, match)
	if err != nil {
		return nil, err
	}
	args := append(append(append(append([]any{match, ws, groups}, vargs...), candidates), scoreArgs...), limit)
	rows, err := tx.Query(`SELECT object_type, object_id, title, body FROM (`+ftsCandidates+`
				AND search_typo(search_index.title, ?)`+vis+` LIMIT ?)
		ORDER BY `+strings.Join(score, " + ")+` DESC, length(title), object_id LIMIT ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	return collect(rows, hits, seen, limit)
}

// ftsCandidates are SQLite's search candidates: the documents of a
// workspace whose trigrams match (arguments: the MATCH query, the
// workspace), read in the trigram index's order, each looked up by its id.
const ftsCandidates = `
	SELECT search_index.object_type, search_index.object_id, search_index.title, search_index.body
	FROM search_index_fts CROSS JOIN search_index ON search_index.object_id = search_index_fts.rowid
	WHERE search_index_fts MATCH ? AND search_index.workspace_id = ?`

// wordMatch is the FTS5 query for the documents that hold every trigram of
// w (at least three letters long): those that may hold w.
func wordMatch(w string) string {
	ts := uniq(trigrams(w))
	for i, t := range ts {
		ts[i] = quote(t)
	}
	if len(ts) == 1 {
		return ts[0]
	}
	return "(" + strings.Join(ts, " AND ") + ")"
}

// maxScored bounds the trigrams a typo candidate is scored on.
const maxScored = 32

// typoMatch is the FTS5 query of the typo pass, and the same as groups
// for search_typo (one group a line, its trigrams separated by spaces): for
// each word of eight letters or more, any two neighbouring trigrams (one
// typo breaks at most three trigrams in a row, so some pair stays intact),
// and any trigram of a shorter word ("Curry" finds "Curie" by "cur" alone).
func typoMatch(words []string) (match, groups string) {
	var ors, gs []string
	for _, w := range words {
		ts := trigrams(w)
		if len(ts) < 6 {
			for _, t := range ts {
				ors = append(ors, quote(t))
				gs = append(gs, t)
			}
			continue
		}
		for i := 0; i+1 < len(ts); i++ {
			ors = append(ors, "("+quote(ts[i])+" AND "+quote(ts[i+1])+")")
			gs = append(gs, ts[i]+" "+ts[i+1])
		}
	}
	return strings.Join(ors, " OR "), strings.Join(gs, "\n")
}

func uniq(ss []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// candidates caps the matches ordered per search, so that a common word
// costs the same at a million records as at ten thousand: SQLite reads each
// candidate's row to check its workspace and order it (2,000 candidates cost
// 22 ms a search at size L, 300 cost 3 ms).
const candidates = 300

func searchPostgres(tx *store.Tx, ws crm.ID, q string, limit int, scope Scope) ([]Hit, error) {
	// Plan each search for its own words: pgx prepares statements, and after
	// five runs PostgreSQL may settle on a generic plan that cannot know how
	// selective "%jen%" is, and scans the workspace (36 ms a search at size S
	// instead of 4).
	if _, err := tx.Exec(`SET LOCAL plan_cache_mode = force_custom_plan`); err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	// Both passes read at most `candidates` matches.
	restore, err := trigramBitmaps(tx)
	if err != nil {
		return nil, err
	}
	defer restore()
	ts := terms(q)
	phrase := strings.Join(ts, " ")
	// First every word as a substring (trigram-indexed LIKE), whole-query
	// matches first; only when that finds too little, names close to the
	// query (typos), which costs a similarity per candidate.
	//
	// The (workspace_id, lower(text)) trigram indexes (btree_gin, no pending
	// list; migration 00017) serve both conditions at once; with the indexes
	// of 00016 the planner scanned the table and ran the LIKE or the
	// similarity on every document of the workspace.
	var conds []string
	args := []any{ws}
	for _, w := range ts {
		conds = append(conds, "(lower(title) LIKE ? OR lower(body) LIKE ?)")
		args = append(args, LikeAnywhere(w), LikeAnywhere(w))
	}
	vis, vargs := scope.where()
	args = append(args, vargs...)
	rows, err := tx.Query(`SELECT object_type, object_id, title, body FROM (
			SELECT object_type, object_id, title, body FROM search_index
			WHERE search_index.workspace_id = ? AND `+strings.Join(conds, " AND ")+vis+` LIMIT ?) m
		ORDER BY lower(title) LIKE ? DESC, lower(body) LIKE ? DESC, object_type = 'company' DESC, length(title), object_id LIMIT ?`,
		append(args, candidates, LikeAnywhere(phrase), LikeAnywhere(phrase), limit)...)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	seen := map[string]bool{}
	hits, err := collect(rows, nil, seen, limit)
	if err != nil || len(hits) >= limit {
		return hits, err
	}
	// The threshold is pg_trgm's, for this transaction only.
	if _, err := tx.Exec(`SET LOCAL pg_trgm.word_similarity_threshold = 0.4`); err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	// The candidates are capped as on SQLite: ordering every name that
	// shares enough trigrams by similarity cost 80–210 ms a search at a
	// million names.
	rows, err = tx.Query(`SELECT object_type, object_id, title, body FROM (
			SELECT object_type, object_id, title, body FROM search_index
			WHERE search_index.workspace_id = ? AND ? <% lower(title)`+vis+` LIMIT ?) m
		ORDER BY word_similarity(?, lower(title)) DESC, object_id LIMIT ?`,
		append(append([]any{ws, phrase}, vargs...), candidates, phrase, limit)...)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	return collect(rows, hits, seen, limit)
}

// trigramBitmaps makes PostgreSQL read the trigram indexes, as a bitmap,
// for the statements of tx until the returned function is called. Under a
// LIMIT the planner, which expects a trigram match to be common, otherwise
// walks the workspace's documents (by scan or primary key) hoping to meet
// enough of them soon: 100–350 ms at a million documents, and all of them
// when the text is rare. The bitmap costs 10–30 ms whatever the text.
func trigramBitmaps(tx *store.Tx) (func(), error) {
	for _, set := range []string{`SET LOCAL enable_seqscan = off`, `SET LOCAL enable_indexscan = off`} {
		if _, err := tx.Exec(set); err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
	}
	return func() {
		for _, reset := range []string{`SET LOCAL enable_seqscan TO DEFAULT`, `SET LOCAL enable_indexscan TO DEFAULT`} {
			tx.Exec(reset) //nolint:errcheck // a failed transaction fails its next statement anyway
		}
	}, nil
}

func collect(rows *store.Rows, hits []Hit, seen map[string]bool, limit int) ([]Hit, error) {
	defer rows.Close()
	for rows.Next() {
		var h Hit
		if err := rows.Scan(&h.ObjectType, &h.ObjectID, &h.Title, &h.Body); err != nil {
			return nil, err
		}
		key := h.ObjectType + h.ObjectID.String()
		if !seen[key] && len(hits) < limit {
			seen[key] = true
			hits = append(hits, h)
		}
	}
	return hits, rows.Err()
}

// The documents of contacts and companies as SQL expressions over a row of
// their table (x is its name or alias), for set-based writes: Reindex and
// big imports. They hold what records writes for one record at a time.
//
// A contact: the name; the primary email, the phone's digits and the title.
func ContactTitle(_ store.Dialect, x string) string {
	return x + ".first_name || ' ' || " + x + ".last_name"
}

// ContactBody: every email, every phone's digits and the title, as records
// writes them. Most people have one email and one phone (the email and
// phone_digits columns); the JSON lists are read only when they hold more.
// The company's name is not in it: the company's own document answers a
// search for it (its people are on its page), and a contact's document
// would go stale when the company is renamed; as a set-based write it cost
// a big import's search documents half as much again (5.7 s -> 8.9 s at
// 200,000 rows).
func ContactBody(d store.Dialect, x string) string {
	more := func(col, key string, digits bool) string {
		if d == store.Postgres {
			v := "e->>'" + key + "'"
			if digits {
				v = d.Digits(v)
			}
			return "CASE WHEN jsonb_array_length(" + x + "." + col + ") > 1 THEN ' ' || (SELECT string_agg(" + v +
				", ' ') FROM jsonb_array_elements(" + x + "." + col + ") WITH ORDINALITY AS t(e, n) WHERE n > 1) ELSE '' END"
		}
		v := "json_extract(value, '$." + key + "')"
		if digits {
			v = d.Digits(v)
		}
		// A list of one holds no "},{": found without parsing the JSON.
		return "CASE WHEN instr(" + x + "." + col + ", '},{') > 0 THEN ' ' || (SELECT group_concat(" + v +
			", ' ') FROM json_each(" + x + "." + col + ") WHERE key > 0) ELSE '' END"
	}
	return x + ".email || " + more("emails", "email", false) + " || ' ' || " + x + ".phone_digits || " + more("phones", "phone", true) +
		" || ' ' || " + x + ".title"
}

// CompanyTitle is a company's name.
func CompanyTitle(_ store.Dialect, x string) string { return x + ".name" }

// ContactDoc is ContactBody for one contact in Go, for Index: its emails,
// its phones' digits and its title.
func ContactDoc(emails, phones []string, title string) string {
	body := make([]string, 0, len(emails)+len(phones)+1)
	body = append(body, emails...)
	for _, p := range phones {
		body = append(body, crm.Digits(p))
	}
	return strings.Join(append(body, title), " ")
}

// CompanyDoc is CompanyBody for one company in Go, for Index: its domains
// (the primary first), industry and phone digits.
func CompanyDoc(domains []string, industry, phone string) string {
	return strings.Join(append(append(append([]string(nil), domains...), industry), crm.Digits(phone)), " ")
}

// CompanyBody: every domain of the company (company_domains holds those
// after the primary), the industry and the phone's digits.
func CompanyBody(d store.Dialect, x string) string {
	agg := "group_concat(cd.domain, ' ')"
	if d == store.Postgres {
		agg = "string_agg(cd.domain, ' ')"
	}
	return x + ".domain || ' ' || COALESCE((SELECT " + agg + " FROM company_domains cd WHERE cd.workspace_id = " + x +
		".workspace_id AND cd.company_id = " + x + ".id), '') || ' ' || " + x + ".industry || ' ' || " + d.Digits(x+".phone")
}

// Reindex rebuilds a workspace's documents from its tables in two set-based
// statements (after bulk loads such as seeding or importing).
func Reindex(ctx context.Context, db *store.DB, ws crm.ID) error {
	err := db.Write(ctx, func(tx *store.Tx) error {
		if _, err := Delete(tx, `workspace_id = ?`, ws); err != nil {
			return err
		}
		d := tx.Dialect()
		if _, err := tx.Exec(`INSERT INTO search_index (workspace_id, object_type, object_id, title, body)
			SELECT workspace_id, 'contact', id, `+ContactTitle(d, "contacts")+`, `+ContactBody(d, "contacts")+`
			FROM contacts WHERE workspace_id = ? AND deleted_at IS NULL`, ws); err != nil {
			return err
		}
		if _, err := tx.Exec(`INSERT INTO search_index (workspace_id, object_type, object_id, title, body)
			SELECT workspace_id, 'company', id, `+CompanyTitle(d, "companies")+`, `+CompanyBody(d, "companies")+`
			FROM companies WHERE workspace_id = ? AND deleted_at IS NULL`, ws); err != nil {
			return err
		}
		return Written(tx, `workspace_id = ?`, ws)
	})
	if err == nil && db.Dialect() == store.Postgres {
		// Fresh statistics, so the planner knows the table's size at once.
		err = db.Write(ctx, func(tx *store.Tx) error { _, err := tx.Exec(`ANALYZE search_index`); return err })
	}
	return err
}

// A filter's "contains" on fields a record's document holds verbatim can
// be narrowed by the trigram index first (records' filter.Env.Narrow):
// Narrowable says whether text can be (at least a trigram long),
// MatchCount how many documents hold it (up to limit), and NarrowCond is
// the condition on the record's id ("{t}.id") that holds for every record
// of ws whose document contains text. Whether narrowing pays is the
// caller's choice: a common substring is met quickly by walking a list in
// its own order, while a rare one, such as "gmail" among a million
// addresses, would otherwise read most of the table. On PostgreSQL the
// contact and company columns have no trigram indexes of their own, so
// without narrowing the planner can only scan them (a filtered list's p95
// at a million contacts was 444 ms).
func Narrowable(tx *store.Tx, text string) bool {
	return utf8.RuneCountInString(text) >= 3
}

// MatchCount counts the documents that contain text, stopping at limit.
// On SQLite it counts those of every workspace that hold every trigram of
// text, an estimate from the index alone (search_index_fts knows no workspaces;
// checking them would read each matching document's row); on PostgreSQL
// those of ws.
func MatchCount(tx *store.Tx, ws crm.ID, text string, limit int) (int, error) {
	var n int
	var err error
	if tx.Dialect() == store.Postgres {
		var restore func()
		if restore, err = trigramBitmaps(tx); err != nil {
			return 0, err
		}
		defer restore()
		err = tx.QueryRow(`SELECT count(*) FROM (SELECT 1 FROM search_index WHERE `+pgContains+` LIMIT ?) m`,
			ws, LikeAnywhere(text), LikeAnywhere(text), limit).Scan(&n)
	} else {
		// Instance-wide on purpose: see above.
		err = tx.Unscoped().QueryRow(`SELECT count(*) FROM (SELECT 1 FROM search_index_fts WHERE search_index_fts MATCH ? LIMIT ?)`, wordMatch(text), limit).Scan(&n)
	}
	if err != nil {
		return 0, fmt.Errorf("search: match count: %w", err)
	}
	return n, nil
}

// NarrowCond is the condition on "{t}.id" for records of ws whose document
// contains text: on SQLite those whose document holds every trigram of text
// (the rowid of a document's trigrams is its record's id, and ids are
// unique across workspaces), on PostgreSQL the trigram indexes on
// (workspace_id, lower(text)) answer it. Both match case-insensitively, so
// the records they keep include every one the exact condition matches; the
// caller still applies that condition.
func NarrowCond(tx *store.Tx, ws crm.ID, text string) (string, []any) {
	if tx.Dialect() == store.Postgres {
		// An array, computed once, whose ids are then looked up one by one:
		// as a semi-join, a fresh table's statistics (2% of documents for
		// any LIKE) made the planner hash the matches and scan every
		// contact of the workspace instead (0.5–0.9 s at L, against 50 ms).
		return `{t}.id = ANY(ARRAY(SELECT object_id FROM search_index WHERE ` + pgContains + `))`,
			[]any{ws, LikeAnywhere(text), LikeAnywhere(text)}
	}
	return "{t}.id IN (SELECT rowid FROM search_index_fts WHERE search_index_fts MATCH ?)", []any{wordMatch(text)}
}

// pgContains is the condition on PostgreSQL's search_index for the
// documents of a workspace that contain a text (arguments: the workspace,
// then LikeAnywhere of the text twice), which its trigram indexes answer.
const pgContains = `workspace_id = ? AND (lower(title) LIKE lower(?) ESCAPE '\' OR lower(body) LIKE lower(?) ESCAPE '\')`

// LikePrefix is a LIKE pattern (ESCAPE '\') for values that start with
// text, its wildcards escaped.
func LikePrefix(text string) string { return likeEscaper.Replace(text) + "%" }

// LikeAnywhere is a LIKE pattern (ESCAPE '\') for text anywhere, its
// wildcards escaped.
func LikeAnywhere(text string) string { return "%" + likeEscaper.Replace(text) + "%" }

var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// CheckTerms reports whether SQLite's trigram index and its documents
// agree: every document of search_index has its trigrams in
// search_index_fts, and nothing else has. Both are written together by
// this package only; tests of every writer call this after writing. It
// reads the whole instance (the trigrams know no workspace), and does
// nothing on PostgreSQL, whose indexes follow the table.
func CheckTerms(tx *store.Tx) error {
	if tx.Dialect() != store.SQLite {
		return nil
	}
	u := tx.Unscoped()
	var docs, terms, missing int
	if err := u.QueryRow(`SELECT (SELECT count(*) FROM search_index), (SELECT count(*) FROM search_index_fts),
		(SELECT count(*) FROM search_index WHERE object_id NOT IN (SELECT rowid FROM search_index_fts))`).Scan(&docs, &terms, &missing); err != nil {
		return fmt.Errorf("search: check: %w", err)
	}
	if docs != terms || missing > 0 {
		return fmt.Errorf("search: %d documents, %d with trigrams, %d without", docs, terms, missing)
	}
	return nil
}

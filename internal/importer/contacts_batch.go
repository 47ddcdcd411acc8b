package importer

import (
	"encoding/json"
	"maps"
	"reflect"
	"slices"
	"strings"

	"github.com/tandemcrm/tandem/internal/consent"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/search"
	"github.com/tandemcrm/tandem/internal/store"
)

// entry is what the dedupe map knows of a record with a given key.
type entry struct {
	id    crm.ID
	owner crm.ID
	mine  bool // created by this import (no before-image needed)
}

type contactUpdate struct {
	id   crm.ID
	mine bool
	p    parsed
}

type contactBatch struct {
	run    *Run
	match  string
	policy Policy
	keys   *keySet
	cos    *companyResolver
	// suppressed is the workspace's suppression list, nil when nothing is
	// on it or re-creating suppressed people is allowed.
	suppressed *consent.SuppressionSet
	creates    []*contactRow
	pending    map[crm.ID]*contactRow // created in the batch not yet flushed
	updates    []contactUpdate
	written    written // the contact the last row created or updated
	place      placeFields
	zones      zones
	// labels are the labels the headers of the email, email_2, phone and
	// phone_2 columns name ("Mobile Phone": mobile), read once.
	labels map[string]string
	// staged are the creates' rows for the staging table and their
	// columns, made by Detach on the deciding goroutine: encoding them
	// (JSON lists, digits, boxing every value) was an eighth of the
	// writer's work in the row phase, which the writer's core is short of.
	staged stagedRows
}

type stagedRows struct {
	cols []string
	rows [][]any
}

// written is the contact a row wrote and whether this import created it
// (then it waits in the staging table until the merge).
type written struct {
	id     crm.ID
	staged bool
}

// Written is the contact the last Row created or updated (consent columns
// record their entries on it).
func (b *contactBatch) Written() (crm.ID, bool) { return b.written.id, b.written.staged }

// matchColumns are the stored columns the dedupe keys read.
var matchColumns = map[string]string{"email": "email", "phone": "phone_digits", "external_id": "external_id"}

// Start implements Kind: it loads the match keys of the workspace's
// contacts and its companies by name and domain, one entry per record.
func (Contacts) Start(tx *store.Tx, r *Run) (Batch, error) {
	b := &contactBatch{run: r, match: r.Plan.Template.Dedupe.Match, policy: r.Plan.Template.Dedupe.Policy,
		keys: newKeySet(), pending: map[crm.ID]*contactRow{}, place: placeFieldsOf(r.Plan), zones: zones{}, labels: map[string]string{}}
	for _, f := range []string{"email", "email_2", "phone", "phone_2"} {
		b.labels[f] = headerLabel(r.Plan.Header(f))
	}
	if col := matchColumns[b.match]; col != "" {
		rows, err := tx.Query(`SELECT `+col+`, id, owner_id, import_id FROM contacts
			WHERE workspace_id = ? AND deleted_at IS NULL AND `+col+` <> ''`, r.WorkspaceID)
		if err != nil {
			return nil, errf("load contacts: %w", err)
		}
		for rows.Next() {
			var k string
			var e entry
			var imp crm.ID
			if err := rows.Scan(&k, &e.id, &e.owner, &imp); err != nil {
				rows.Close()
				return nil, err
			}
			e.mine = imp == r.ID
			b.keys.add(k, e) // the oldest of several duplicates wins
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		if err := stagedKeys(tx, r, col, b.keys); err != nil {
			return nil, err
		}
	}
	var err error
	if b.suppressed, err = consent.LoadSuppressionSet(tx, r.WorkspaceID); err != nil {
		return nil, err
	}
	b.cos, err = loadCompanies(tx, r)
	return b, err
}

// Row implements Batch.
func (b *contactBatch) Row(line int, vals map[string]string) Outcome {
	p, out := b.parseContact(line, vals)
	if out.Action == Errored {
		return out
	}
	if p.c.First == "" && p.c.Last == "" && p.c.email() == "" {
		return fail("first_name", "", "a contact needs a name or an email address")
	}
	key := p.c.matchKey(b.match)
	e, found := b.keys.get(key)
	found = found && key != ""
	what := describeMatch(b.match)
	switch {
	case b.policy == UpdateOnly && key == "":
		return skip(b.match, "", "no "+what+" to find the contact by")
	case b.policy == UpdateOnly && !found:
		return skip(b.match, key, "no contact has this "+what)
	case b.policy == CreateOnly && found:
		return skip(b.match, key, "a contact with this "+what+" exists already")
	case found && !e.mine && !b.run.Sees(e.owner):
		return skip(b.match, key, "matches a contact you cannot see")
	}
	if b.suppressed != nil {
		if refused := b.suppress(&p, vals, found, &out); refused != nil {
			return *refused
		}
	}
	custom, bad := b.run.CustomValues(vals, !found)
	if bad != nil {
		return *bad
	}
	p.c.Custom = custom
	if p.co != (companyRef{}) {
		id, note := b.cos.resolve(p.co)
		p.c.CompanyID = id
		if note != nil {
			out.Notes = append(out.Notes, *note)
		}
	}
	if found {
		if c := b.pending[e.id]; c != nil {
			merge(c, p)
		} else {
			b.updates = append(b.updates, contactUpdate{id: e.id, mine: e.mine, p: p})
		}
		b.written = written{e.id, e.mine}
		out.Action = Updated
		return out
	}
	c := p.c
	c.ID, c.Version = b.run.NewID(), 1
	if c.Lifecycle == "" {
		c.Lifecycle = "lead"
	}
	if c.Owner == 0 {
		c.Owner = b.run.Principal.UserID
	}
	if c.Created == 0 {
		c.Created = store.Micros(b.run.Now)
	}
	b.creates = append(b.creates, &c)
	b.pending[c.ID] = &c
	if key != "" {
		b.keys.add(key, entry{id: c.ID, owner: c.Owner, mine: true})
	}
	b.written = written{c.ID, true}
	out.Action = Created
	return out
}

// suppress applies the workspace's suppression list to a row, as records
// does to a contact made or edited by hand: a new contact with a
// suppressed address or number, primary or other, is not created; an
// update leaves out the suppressed ones it would add, with a warning, but
// not the one the contact was found by, which it has already. The report
// names the column, never the value: the list itself keeps only hashes.
func (b *contactBatch) suppress(p *parsed, vals map[string]string, found bool, out *Outcome) *Outcome {
	type addr struct {
		kind            consent.Kind
		value, field    string
		primary, exempt bool
	}
	field := func(primary bool, key string) string {
		if primary {
			return key
		}
		return key + "_2"
	}
	var check []addr
	for i, e := range p.c.Emails {
		primary := i == 0 && vals["email"] != ""
		check = append(check, addr{consent.Email, e.Email, field(primary, "email"), primary, primary && found && b.match == "email"})
	}
	for i, ph := range p.c.Phones {
		primary := i == 0 && vals["phone"] != ""
		check = append(check, addr{consent.Phone, ph.Phone, field(primary, "phone"), primary, primary && found && b.match == "phone"})
	}
	drop := map[string]bool{}
	for _, a := range check {
		why := ""
		if !a.exempt {
			why = b.suppressed.Reason(a.kind, a.value)
		}
		switch {
		case why == "":
			continue
		case !found:
			o := skip(a.field, "", "not imported: "+why)
			return &o
		}
		out.Notes = append(out.Notes, Outcome{Action: Warned, Field: a.field, Message: "left out: " + why})
		drop[string(a.kind)+"\x00"+a.value] = true
		if a.primary {
			p.set[a.field] = false // the next one is not made primary instead
		}
	}
	if len(drop) > 0 {
		p.c.Emails = slices.DeleteFunc(p.c.Emails, func(e records.EmailAddr) bool { return drop["email\x00"+e.Email] })
		p.c.Phones = slices.DeleteFunc(p.c.Phones, func(ph records.PhoneNum) bool { return drop["phone\x00"+ph.Phone] })
	}
	return nil
}

// Detach implements detacher. A later row matching a contact created
// before the detach becomes an update of its staged row, which the
// detached batch's Flush has written by then.
func (b *contactBatch) Detach() Batch {
	w := &contactBatch{run: b.run, match: b.match, policy: b.policy, cos: b.cos.detach(), creates: b.creates, updates: b.updates,
		place: b.place}
	if !b.run.DryRun {
		w.staged = b.stageRows()
	}
	b.creates, b.updates = nil, nil
	clear(b.pending)
	return w
}

var contactInsertCols = []string{"id", "workspace_id", "first_name", "last_name", "email", "emails", "phone", "phone_digits",
	"phones", "title", "company_id", "owner_id", "lifecycle", "source", "tags", "custom", "external_id", "import_id",
	"created_by", "updated_by", "created_at", "updated_at", "version"}

// contactPlaceCols are the columns of the address, time zone and links. A
// batch whose new contacts have none leaves them out of the staging
// table's insert (their defaults are the empty values): most big files
// have none, and every column costs per row.
var contactPlaceCols = []string{"street", "city", "state", "postal_code", "country", "time_zone", "links"}

var contactAllCols = append(slices.Clip(contactInsertCols), contactPlaceCols...)

func (c *contactRow) hasPlace() bool {
	return c.Address != (records.Address{}) || c.TimeZone != "" || len(c.Links) > 0
}

// Flush implements Batch: new companies, then new contacts into the
// staging table (stage.go), then updates one by one (each keeps a
// before-image the first time it touches a record that existed before the
// import).
func (b *contactBatch) Flush(tx *store.Tx) error {
	defer func() {
		b.creates, b.updates = b.creates[:0], b.updates[:0]
		clear(b.pending)
	}()
	if b.run.DryRun {
		b.cos.pending = b.cos.pending[:0]
		return nil
	}
	if err := b.cos.flush(tx); err != nil {
		return err
	}
	st := b.staged
	if st.rows == nil {
		st = b.stageRows()
	}
	b.staged = stagedRows{}
	if err := insertRows(tx, stageTable, st.cols, st.rows); err != nil {
		return err
	}
	for _, u := range b.updates {
		if err := b.update(tx, u); err != nil {
			return err
		}
	}
	return nil
}

// stageRows are the batch's creates as rows of the staging table, with
// their columns: the address, zone and links only when one has any.
func (b *contactBatch) stageRows() stagedRows {
	ws, by, now := b.run.WorkspaceID, b.run.Principal.UserID, store.Micros(b.run.Now)
	st := stagedRows{cols: contactInsertCols, rows: make([][]any, 0, len(b.creates))}
	if slices.ContainsFunc(b.creates, (*contactRow).hasPlace) {
		st.cols = contactAllCols
	}
	n := len(st.cols)
	vals := make([]any, 0, n*len(b.creates)) // one allocation for the batch
	for _, c := range b.creates {
		row := vals[len(vals) : len(vals) : len(vals)+n]
		row = append(row, c.ID, ws, c.First, c.Last, c.email(), jsonText(c.Emails), c.phone(), crm.Digits(c.phone()),
			jsonText(c.Phones), c.Title, c.CompanyID, c.Owner, c.Lifecycle, c.Source, jsonText(c.Tags), jsonText(c.Custom),
			c.ExternalID, b.run.ID, by, by, c.Created, now, c.Version)
		if n > len(contactInsertCols) {
			row = append(row, c.Street, c.City, c.State, c.PostalCode, c.Country, c.TimeZone, linksText(c.Links))
		}
		vals = vals[:len(vals)+n]
		st.rows = append(st.rows, row)
	}
	return st
}

const contactSelect = `SELECT id, first_name, last_name, emails, phones, title, company_id, owner_id, lifecycle, source, tags,
	custom, external_id, street, city, state, postal_code, country, time_zone, links, version FROM contacts`

func scanContact(row interface{ Scan(...any) error }) (contactRow, error) {
	var c contactRow
	var emails, phones, tags, custom, links string
	err := row.Scan(&c.ID, &c.First, &c.Last, &emails, &phones, &c.Title, &c.CompanyID, &c.Owner, &c.Lifecycle, &c.Source,
		&tags, &custom, &c.ExternalID, &c.Street, &c.City, &c.State, &c.PostalCode, &c.Country, &c.TimeZone, &links, &c.Version)
	if err != nil {
		return c, err
	}
	for _, j := range []struct {
		s string
		d any
	}{{emails, &c.Emails}, {phones, &c.Phones}, {tags, &c.Tags}, {custom, &c.Custom}, {links, &c.Links}} {
		if err := json.Unmarshal([]byte(j.s), j.d); err != nil {
			return c, errf("contact %d: %w", c.ID, err)
		}
	}
	return c, nil
}

// stageSelect reads a staged contact like contactSelect reads a stored one.
const stageSelect = `SELECT id, first_name, last_name, emails, phones, title, company_id, owner_id, lifecycle, source, tags,
	custom, external_id, street, city, state, postal_code, country, time_zone, links, version FROM ` + stageTable + ` WHERE workspace_id = ? AND id = ?`

func (b *contactBatch) update(tx *store.Tx, u contactUpdate) error {
	ws := b.run.WorkspaceID
	if u.mine {
		// Created by this import: staged, unless a cancel or failure
		// merged it before this run resumed.
		old, err := scanContact(tx.QueryRow(stageSelect, ws, u.id))
		switch {
		case err == nil:
			return b.updateStaged(tx, old, u)
		case err != store.ErrNoRows:
			return errf("read staged contact %d: %w", u.id, err)
		}
	}
	old, err := scanContact(tx.QueryRow(contactSelect+` WHERE workspace_id = ? AND id = ? AND deleted_at IS NULL`, ws, u.id))
	if err != nil {
		if err == store.ErrNoRows {
			return nil // deleted while the import ran: nothing to update
		}
		return errf("read contact %d: %w", u.id, err)
	}
	c := old
	c.Emails, c.Phones, c.Tags = append(c.Emails[:0:0], old.Emails...), append(c.Phones[:0:0], old.Phones...), append(c.Tags[:0:0], old.Tags...)
	c.Links = slices.Clone(old.Links)
	c.Custom = map[string]any{}
	for k, v := range old.Custom {
		c.Custom[k] = v
	}
	merge(&c, u.p)
	ch := diffRows(old, c)
	if len(ch) == 0 {
		return nil
	}
	c.Version = old.Version + 1
	_, err = tx.Exec(`UPDATE contacts SET first_name = ?, last_name = ?, email = ?, emails = ?, phone = ?, phone_digits = ?, phones = ?,
		title = ?, company_id = ?, owner_id = ?, lifecycle = ?, source = ?, tags = ?, custom = ?, external_id = ?, street = ?, city = ?,
		state = ?, postal_code = ?, country = ?, time_zone = ?, links = ?, updated_by = ?, updated_at = ?, version = ?
		WHERE workspace_id = ? AND id = ?`,
		c.First, c.Last, c.email(), jsonText(c.Emails), c.phone(), crm.Digits(c.phone()), jsonText(c.Phones), c.Title,
		c.CompanyID, c.Owner, c.Lifecycle, c.Source, jsonText(c.Tags), jsonText(c.Custom), c.ExternalID,
		c.Street, c.City, c.State, c.PostalCode, c.Country, c.TimeZone, linksText(c.Links),
		b.run.Principal.UserID, store.Micros(b.run.Now), c.Version, ws, c.ID)
	if err != nil {
		return errf("update contact %d: %w", c.ID, err)
	}
	if u.mine {
		return nil
	}
	if err := saveBefore(tx, b.run, "contact", c.ID, old, c.Version); err != nil {
		return err
	}
	return tx.Emit(crm.Event{WorkspaceID: ws, Actor: b.run.Principal.Actor(), ObjectType: "contact", ObjectID: c.ID,
		Action: crm.Updated, Changes: ch})
}

// updateStaged merges a row into a contact this import staged in an
// earlier batch: no before-image, no event (it does not exist yet).
func (b *contactBatch) updateStaged(tx *store.Tx, old contactRow, u contactUpdate) error {
	c := old
	c.Emails, c.Phones, c.Tags, c.Links = slices.Clone(old.Emails), slices.Clone(old.Phones), slices.Clone(old.Tags), slices.Clone(old.Links)
	c.Custom = maps.Clone(old.Custom)
	merge(&c, u.p)
	if reflect.DeepEqual(old, c) {
		return nil
	}
	_, err := tx.Exec(`UPDATE `+stageTable+` SET first_name = ?, last_name = ?, email = ?, emails = ?, phone = ?, phone_digits = ?,
		phones = ?, title = ?, company_id = ?, owner_id = ?, lifecycle = ?, source = ?, tags = ?, custom = ?, external_id = ?,
		street = ?, city = ?, state = ?, postal_code = ?, country = ?, time_zone = ?, links = ?,
		updated_by = ?, updated_at = ?, version = ? WHERE workspace_id = ? AND id = ?`,
		c.First, c.Last, c.email(), jsonText(c.Emails), c.phone(), crm.Digits(c.phone()), jsonText(c.Phones), c.Title,
		c.CompanyID, c.Owner, c.Lifecycle, c.Source, jsonText(c.Tags), jsonText(c.Custom), c.ExternalID,
		c.Street, c.City, c.State, c.PostalCode, c.Country, c.TimeZone, linksText(c.Links),
		b.run.Principal.UserID, store.Micros(b.run.Now), old.Version+1, b.run.WorkspaceID, c.ID)
	if err != nil {
		return errf("update staged contact %d: %w", c.ID, err)
	}
	return nil
}

// diffRows lists the changed fields of two rows by their JSON names.
func diffRows(a, b any) map[string]crm.Change {
	var am, bm map[string]any
	aj, _ := json.Marshal(a)
	bj, _ := json.Marshal(b)
	_ = json.Unmarshal(aj, &am)
	_ = json.Unmarshal(bj, &bm)
	ch := map[string]crm.Change{}
	for k, v := range bm {
		if k == "version" || k == "id" {
			continue
		}
		x, _ := json.Marshal(am[k])
		y, _ := json.Marshal(v)
		if string(x) != string(y) {
			ch[k] = crm.Change{Before: am[k], After: v}
		}
	}
	return ch
}

// saveBefore keeps the first before-image of a record the import updates,
// and its version after the latest update (undo restores only if no one
// changed it since).
func saveBefore(tx *store.Tx, r *Run, object string, id crm.ID, before any, after int64) error {
	_, err := tx.Exec(`INSERT INTO import_before (workspace_id, import_id, object_type, object_id, before, after_version)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (workspace_id, import_id, object_type, object_id)
		DO UPDATE SET after_version = excluded.after_version`, r.WorkspaceID, r.ID, object, id, jsonText(before), after)
	if err != nil {
		return errf("before-image: %w", err)
	}
	return nil
}

// Finish implements Batch: fresh search documents for the contacts that
// existed before and were updated (new ones are indexed in chunks, see
// Kind.Index).
func (b *contactBatch) Finish(tx *store.Tx) error {
	if b.run.DryRun {
		return nil
	}
	return reindexUpdated(tx, b.run, contactDocs)
}

// reindexUpdated replaces the search documents of the records of t that
// the import updated (those with before-images), set-based.
func reindexUpdated(tx *store.Tx, r *Run, t IndexTarget) error {
	ws, id := r.WorkspaceID, r.ID
	updated := `workspace_id = ? AND object_type = ? AND object_id IN (SELECT object_id FROM import_before WHERE workspace_id = ? AND import_id = ? AND object_type = ?)`
	if _, err := search.Delete(tx, updated, ws, t.Object, ws, id, t.Object); err != nil {
		return errf("search index: %w", err)
	}
	if _, err := tx.Exec(`INSERT INTO search_index (workspace_id, object_type, object_id, title, body)
		SELECT x.workspace_id, ?, x.id, `+t.Title(tx.Dialect(), "x")+`, `+t.Body(tx.Dialect(), "x")+`
		FROM `+t.Table+` x JOIN import_before ib ON ib.workspace_id = x.workspace_id AND ib.object_id = x.id
		WHERE x.workspace_id = ? AND ib.import_id = ? AND ib.object_type = ? AND x.deleted_at IS NULL`, t.Object, ws, id, t.Object); err != nil {
		return errf("search index: %w", err)
	}
	if err := search.Written(tx, updated, ws, t.Object, ws, id, t.Object); err != nil {
		return errf("search index: %w", err)
	}
	return nil
}

// indexChunk writes the search documents of up to limit records of t that
// import r created, with ids after `after`; it returns the last id done
// and how many.
func indexChunk(tx *store.Tx, r *Run, t IndexTarget, after crm.ID, limit int) (crm.ID, int, error) {
	last, n, err := chunkEnd(tx, r, t, after, limit)
	if err != nil || n == 0 {
		return after, 0, err
	}
	if err := indexRange(tx, r, t, after, last); err != nil {
		return after, 0, err
	}
	return last, n, nil
}

// chunkEnd is the last id of the next up to limit records of t that import
// r created after `after`, and how many there are.
func chunkEnd(tx *store.Tx, r *Run, t IndexTarget, after crm.ID, limit int) (crm.ID, int, error) {
	var last crm.ID
	var n int
	err := tx.QueryRow(`SELECT COALESCE(max(id), 0), count(*) FROM (SELECT id FROM `+t.Table+`
		WHERE workspace_id = ? AND id > ? AND import_id = ? AND deleted_at IS NULL ORDER BY id LIMIT ?) c`,
		r.WorkspaceID, after, r.ID, limit).Scan(&last, &n)
	return last, n, err
}

// indexRange writes the search documents of the records of t that import r
// created with ids in (after, last]. On PostgreSQL a document already
// there is left as it is: ranges written at once (index.go) may be written
// again after a crash, before their progress was saved.
func indexRange(tx *store.Tx, r *Run, t IndexTarget, after, last crm.ID) error {
	conflict := ""
	if tx.Dialect() == store.Postgres {
		conflict = " ON CONFLICT DO NOTHING"
	}
	created := ` FROM ` + t.Table + ` r WHERE r.workspace_id = ? AND r.id > ? AND r.id <= ? AND r.import_id = ? AND r.deleted_at IS NULL`
	_, err := tx.Exec(`INSERT INTO search_index (workspace_id, object_type, object_id, title, body)
		SELECT r.workspace_id, ?, r.id, `+t.Title(tx.Dialect(), "r")+`, `+t.Body(tx.Dialect(), "r")+created+conflict,
		t.Object, r.WorkspaceID, after, last, r.ID)
	if err != nil {
		return errf("search index: %w", err)
	}
	// Only the import's records: others in the range of ids (made by
	// people meanwhile) have their documents and trigrams already.
	if err := search.Written(tx, `workspace_id = ? AND object_type = ? AND object_id > ? AND object_id <= ? AND object_id IN (SELECT r.id`+created+`)`,
		r.WorkspaceID, t.Object, after, last, r.WorkspaceID, after, last, r.ID); err != nil {
		return errf("search index: %w", err)
	}
	return nil
}

// jsonText encodes v for a JSON column; nil slices and maps become [] and {}.
func jsonText(v any) string {
	b, _ := json.Marshal(v)
	if string(b) == "null" {
		switch v.(type) {
		case map[string]any:
			return "{}"
		default:
			return "[]"
		}
	}
	return string(b)
}

// insertRows writes rows. On PostgreSQL: COPY. On SQLite: prepared INSERT
// OR FAIL statements of insertRowsPer rows each, and one of a single row
// for the rest. OR FAIL, because with the default (ABORT) a statement of
// several rows makes SQLite keep a journal of every page it changes, to
// undo the statement alone (measured: a fifth of an import's time); a
// failing statement fails the transaction here anyway. Several rows a
// statement, because each execution costs apart from its rows (binding
// reset, the driver's cancellation watch, database/sql's bookkeeping):
// in-process calls have no round trip to save, but a million of them add
// up (1M-row import, row phase: see docs/BENCHMARKS.md).
func insertRows(tx *store.Tx, table string, cols []string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	if tx.Dialect() != store.SQLite {
		return copyRows(tx, table, cols, rows)
	}
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	head := "INSERT OR FAIL INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES "
	exec := func(n int, rows [][]any) error {
		st, err := tx.SQLTx().PrepareContext(tx.Context(), head+strings.TrimSuffix(strings.Repeat(one+", ", n), ", "))
		if err != nil {
			return errf("insert into %s: %w", table, err)
		}
		defer st.Close()
		args := make([]any, 0, n*len(cols))
		for len(rows) >= n {
			args = args[:0]
			for _, r := range rows[:n] {
				args = append(args, r...)
			}
			if _, err := st.ExecContext(tx.Context(), args...); err != nil {
				return errf("insert into %s: %w", table, err)
			}
			rows = rows[n:]
		}
		return nil
	}
	many := len(rows) / insertRowsPer * insertRowsPer
	if many > 0 {
		if err := exec(insertRowsPer, rows[:many]); err != nil {
			return err
		}
	}
	if many < len(rows) {
		return exec(1, rows[many:])
	}
	return nil
}

// insertRowsPer is how many rows one SQLite INSERT of insertRows writes.
const insertRowsPer = 16

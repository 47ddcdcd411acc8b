package importer

import (
	"encoding/json"
	"strings"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// Deals, products and activities are imported through their domain
// packages (deals.CreateDeal, products.CreateProduct, activities.Create and
// their updates), one row at a time, so an imported record obeys exactly
// the rules of one made in the UI and writes the same events. These files
// are thousands of rows, not millions: the bulk path of contacts is not
// needed. Row decides what it can without the database (parsing, the
// dedupe key, the pipeline and stage); Flush writes each row in a
// savepoint, so a row the domain refuses is rolled back alone and reported
// as an error. A dry run writes the same way and rolls every row back,
// so it finds what the real run would.

// domainOp is one decided row, written at the next Flush.
type domainOp struct {
	line   int
	vals   map[string]string
	target *domainTarget // the record it updates; nil: a new one
	made   *domainTarget // the record a create made (for later rows matching it)
}

// domainTarget is an existing record, or one this import made.
type domainTarget struct {
	id    crm.ID
	owner crm.ID
	mine  bool // made by this import: no before-image needed
}

// domainBatch is the shared part of the domain kinds' batches.
type domainBatch struct {
	run    *Run
	match  string
	policy Policy
	keys   map[string]*domainTarget
	ops    []*domainOp
	write  func(tx *store.Tx, op *domainOp) (crm.ID, error)
	object string
	late   []int // dry run: lines refused at Flush, whose "would be" lines are dropped later
}

// decide applies the dedupe policy to a row whose key is key and queues it.
func (b *domainBatch) decide(line int, vals map[string]string, key string, notes []Outcome) Outcome {
	t, found := b.keys[key]
	found = found && key != ""
	switch {
	case b.policy == UpdateOnly && !found:
		return skip(b.match, key, "no "+b.object+" has this "+b.match)
	case b.policy == CreateOnly && found:
		return skip(b.match, key, "a "+b.object+" with this "+b.match+" exists already")
	case found && !t.mine && !b.run.Sees(t.owner):
		return skip(b.match, key, "matches a "+b.object+" you cannot see")
	}
	op := &domainOp{line: line, vals: vals}
	out := Outcome{Action: Created, Notes: notes}
	if found {
		op.target, out.Action = t, Updated
	} else {
		op.made = &domainTarget{mine: true}
		if key != "" {
			b.keys[key] = op.made
		}
	}
	b.ops = append(b.ops, op)
	return out
}

// flush writes the queued rows, each in a savepoint.
func (b *domainBatch) flush(tx *store.Tx) error {
	if err := b.dropPlanned(tx); err != nil {
		return err
	}
	ops := b.ops
	b.ops = nil
	for _, op := range ops {
		if op.target != nil && op.target.mine && op.target.id == 0 {
			// In a dry run the record this row updates was never kept.
			continue
		}
		if _, err := tx.Exec(`SAVEPOINT import_row`); err != nil {
			return errf("savepoint: %w", err)
		}
		id, err := b.write(tx, op)
		if err != nil && crm.ErrorCode(err) == crm.Internal {
			return err
		}
		if err != nil || b.run.DryRun {
			if _, rerr := tx.Exec(`ROLLBACK TO SAVEPOINT import_row`); rerr != nil {
				return errf("rollback to savepoint: %w", rerr)
			}
		}
		if _, rerr := tx.Exec(`RELEASE SAVEPOINT import_row`); rerr != nil {
			return errf("release savepoint: %w", rerr)
		}
		if err != nil {
			if err := b.lateError(tx, op, err); err != nil {
				return err
			}
			continue
		}
		if op.made != nil && !b.run.DryRun {
			op.made.id, op.made.owner = id, b.run.Principal.UserID
		}
	}
	return nil
}

// lateError reports a row the domain refused after Row counted it: an
// error line in the report, and the counters moved from created or updated
// to errors (the checkpoint's UPDATE adds this batch's counts on top).
func (b *domainBatch) lateError(tx *store.Tx, op *domainOp, err error) error {
	field, msg := "", crm.ErrorMessage(err)
	for f, m := range crm.ErrorFields(err) {
		if field == "" || f < field {
			field, msg = f, m
		}
	}
	field = fieldOfDomain(field)
	counter := "created_count"
	if op.target != nil {
		counter = "updated_count"
	}
	if b.run.DryRun {
		b.late = append(b.late, op.line)
	}
	if _, err := tx.Exec(`UPDATE imports SET `+counter+` = `+counter+` - 1, error_count = error_count + 1
		WHERE workspace_id = ? AND id = ?`, b.run.WorkspaceID, b.run.ID); err != nil {
		return errf("late error: %w", err)
	}
	return b.issue(tx, op.line, Errored, field, op.vals[field], msg)
}

// dropPlanned removes the "would be created/updated" lines a dry run's
// report got for rows the domain then refused: they are written after the
// Flush that found out, so the next Flush (or Finish) removes them.
func (b *domainBatch) dropPlanned(tx *store.Tx) error {
	for _, line := range b.late {
		if _, err := tx.Exec(`DELETE FROM import_issues WHERE workspace_id = ? AND import_id = ? AND line = ? AND action IN ('created', 'updated')`,
			b.run.WorkspaceID, b.run.ID, line); err != nil {
			return errf("report: %w", err)
		}
	}
	b.late = nil
	return nil
}

// issue writes one report line from Flush (a warning found while writing).
func (b *domainBatch) issue(tx *store.Tx, line int, a Action, field, value, msg string) error {
	return b.run.issue(tx, line, a, field, value, msg)
}

// issue writes one report line found after Row (while writing, or at the
// end), naming the file's column of field.
func (r *Run) issue(tx *store.Tx, line int, a Action, field, value, msg string) error {
	col := field
	for _, c := range r.Plan.Template.Columns {
		if c.Field == field && field != "" {
			col = c.Header
			break
		}
	}
	if len(value) > 200 {
		value = value[:200] + "…"
	}
	_, err := tx.Exec(`INSERT INTO import_issues (id, workspace_id, import_id, line, action, column_name, value, message)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, r.NewID(), r.WorkspaceID, r.ID, line, string(a), col, value, msg)
	return err
}

// fieldOfDomain maps a domain package's field name to the import's.
func fieldOfDomain(f string) string {
	switch f {
	case "owner_id":
		return "owner"
	case "contact_id", "contacts":
		return "contact"
	case "company_id":
		return "company"
	case "stage_id":
		return "stage"
	case "pipeline_id":
		return "pipeline"
	case "due_at":
		return "due"
	case "deal_id":
		return "deal"
	case "reason":
		return "lost_reason"
	case "unit_price", "prices":
		return "price"
	}
	if strings.HasPrefix(f, "prices") {
		return "price"
	}
	return f
}

// keepBefore stores the before-image of a record the import updates
// (once: a second update keeps the first image and moves the version).
func keepBefore(tx *store.Tx, r *Run, object string, id crm.ID, before any, after int64) error {
	js, err := json.Marshal(before)
	if err != nil {
		return err
	}
	_, err = tx.Exec(`INSERT INTO import_before (workspace_id, import_id, object_type, object_id, before, after_version)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (workspace_id, import_id, object_type, object_id)
		DO UPDATE SET after_version = excluded.after_version`, r.WorkspaceID, r.ID, object, id, string(js), after)
	if err != nil {
		return errf("before-image: %w", err)
	}
	return nil
}

// linkContact finds the live contact with this email that p may link a
// record to: the one the record links already (keep; someone who sees it
// may have made the link), or one p sees. id is 0 when there is none;
// hidden says the match is one p does not see, which is not linked, as
// when p edits the record by hand.
func linkContact(tx *store.Tx, p crm.Principal, email string, keep crm.ID) (id crm.ID, hidden bool, err error) {
	var owner crm.ID
	err = tx.QueryRow(`SELECT id, owner_id FROM contacts WHERE workspace_id = ? AND email = ? AND deleted_at IS NULL ORDER BY id LIMIT 1`,
		p.WorkspaceID, strings.ToLower(strings.TrimSpace(email))).Scan(&id, &owner)
	return linkable(tx, p, id, owner, keep, err)
}

// linkCompany is linkContact for a company, by domain, else by name
// (ignoring case).
func linkCompany(tx *store.Tx, p crm.Principal, name, domain string, keep crm.ID) (id crm.ID, hidden bool, err error) {
	var owner crm.ID
	err = store.ErrNoRows
	if domain != "" {
		err = tx.QueryRow(`SELECT id, owner_id FROM companies WHERE workspace_id = ? AND domain = ? AND deleted_at IS NULL ORDER BY id LIMIT 1`,
			p.WorkspaceID, domain).Scan(&id, &owner)
	}
	if err == store.ErrNoRows && name != "" {
		err = tx.QueryRow(`SELECT id, owner_id FROM companies WHERE workspace_id = ? AND lower(name) = ? AND deleted_at IS NULL ORDER BY id LIMIT 1`,
			p.WorkspaceID, strings.ToLower(strings.TrimSpace(name))).Scan(&id, &owner)
	}
	return linkable(tx, p, id, owner, keep, err)
}

// linkable decides a found record's link (err from its look-up).
func linkable(tx *store.Tx, p crm.Principal, id, owner, keep crm.ID, err error) (crm.ID, bool, error) {
	if err == store.ErrNoRows {
		return 0, false, nil
	}
	if err != nil || id == keep {
		return id, false, err
	}
	ok, err := account.CanView(tx, p, owner)
	if err != nil || !ok {
		return 0, err == nil, err
	}
	return id, false, nil
}

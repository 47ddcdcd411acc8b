package consent

import (
	"fmt"
	"sort"
	"strings"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// Undoing an import takes back the consent entries it recorded (Entry.
// ImportID). The ledger is evidence, so for a contact that outlives the
// undo nothing is rewritten: for each purpose whose current entry is the
// import's, an entry of status Reverted is appended (source
// SourceImportUndo, the undoing user as actor, the undo's time), and the
// purpose's current state goes back to what it was just before the
// import's first entry for it — the same ledger row, so Current reads as
// it did before the import, "nothing recorded" included. A purpose someone
// decided again after the import (a form, the person, a later import) is
// left alone: that later decision stands, as undo leaves a contact edited
// since the import alone.
//
// A contact the import created goes to the trash on undo. Its entries
// from the import are deleted, as erasure (ForgetContact) deletes a
// ledger: they describe a record that exists only because of the file
// being taken back, hold the file's personal data, and a trashed contact
// is never consulted (MayContact reads live contacts only). Entries others
// recorded for it after the import stay with the trashed contact, as they
// do for any contact moved to the trash, until its erasure.

// Reverted is the status of an entry that takes back an import's entries
// for its purpose; it is never a contact's current status, and cannot be
// recorded through Record.
const Reverted = "reverted"

// SourceImportUndo is the source of Reverted entries.
const SourceImportUndo = "import_undo"

// revertChunk bounds the pairs (contact, purpose) reverted per statement.
const revertChunk = 500

// ImportReverted counts what RevertImport did.
type ImportReverted struct {
	Erased   int // entries deleted with the contacts the import created
	Reverted int // purposes of surviving contacts put back
}

// RevertImport takes back the consent entries import recorded in ws (see
// above), as actor. Contacts the import created are those whose
// contacts.import_id is import — the importer's mark, which undo also
// trashes by.
func RevertImport(tx *store.Tx, ws, imp crm.ID, actor crm.Actor) (ImportReverted, error) {
	var res ImportReverted
	n, err := forgetImported(tx, ws, imp)
	if err != nil {
		return res, err
	}
	res.Erased = int(n)
	for after := crm.ID(0); ; {
		pairs, err := importCurrent(tx, ws, imp, after)
		if err != nil {
			return res, err
		}
		if len(pairs) == 0 {
			return res, nil
		}
		after = pairs[len(pairs)-1].entry
		if err := revertPairs(tx, ws, imp, actor, pairs); err != nil {
			return res, err
		}
		res.Reverted += len(pairs)
	}
}

// forgetImported deletes import's entries on the contacts it created, and
// the current states they held. No entry before the import's can exist
// for such a contact, so a purpose whose current entry goes has no state.
func forgetImported(tx *store.Tx, ws, imp crm.ID) (int64, error) {
	// Driven by the import's entries (consent_records_import); the contact
	// condition lets consent_current be reached by its primary key.
	if _, err := tx.Exec(`DELETE FROM consent_current WHERE workspace_id = ?
		AND contact_id IN (SELECT r.contact_id FROM consent_records r WHERE r.workspace_id = ? AND r.import_id = ?
			AND EXISTS (SELECT 1 FROM contacts c WHERE c.workspace_id = r.workspace_id AND c.id = r.contact_id AND c.import_id = ?))
		AND record_id IN (SELECT r.id FROM consent_records r WHERE r.workspace_id = ? AND r.import_id = ?)`,
		ws, ws, imp, imp, ws, imp); err != nil {
		return 0, fmt.Errorf("consent: forget import %d: %w", imp, err)
	}
	n, err := tx.Exec(`DELETE FROM consent_records WHERE workspace_id = ? AND import_id = ?
		AND EXISTS (SELECT 1 FROM contacts c WHERE c.workspace_id = consent_records.workspace_id AND c.id = consent_records.contact_id
			AND c.import_id = ?)`, ws, imp, imp)
	if err != nil {
		return 0, fmt.Errorf("consent: forget import %d: %w", imp, err)
	}
	return n, nil
}

// revertPair is one purpose of one contact whose current entry is the
// import's, with the entry that was current just before the import.
type revertPair struct {
	entry       crm.ID // the import's entry, current until now
	contact     crm.ID
	purpose     string
	status      string // the import's, current until now
	prior       crm.ID // 0: nothing was recorded before
	priorStatus string
	importBasis string
}

// importCurrent finds up to revertChunk pairs whose current entry import
// recorded, after the entry id after, in the order of the import's entries
// (consent_records_import ends in the id): each entry is read once however
// large the import.
//
// The state before the import is the newest entry older than the import's
// first one for the pair that is itself neither a Reverted entry nor taken
// back by one (an earlier import undone since).
func importCurrent(tx *store.Tx, ws, imp, after crm.ID) ([]revertPair, error) {
	rows, err := tx.Query(`SELECT q.id, q.contact_id, q.purpose, q.status, q.basis, COALESCE(q.prior, 0), COALESCE(p.status, '')
		FROM (SELECT r.id, r.workspace_id, r.contact_id, r.purpose, r.status, r.basis,
			(SELECT max(e.id) FROM consent_records e
			 WHERE e.workspace_id = r.workspace_id AND e.contact_id = r.contact_id AND e.purpose = r.purpose AND e.status <> ?
			   AND e.id < (SELECT min(f.id) FROM consent_records f WHERE f.workspace_id = r.workspace_id
			       AND f.contact_id = r.contact_id AND f.purpose = r.purpose AND f.import_id = r.import_id)
			   AND NOT (e.import_id <> 0 AND EXISTS (SELECT 1 FROM consent_records x WHERE x.workspace_id = e.workspace_id
			       AND x.contact_id = e.contact_id AND x.purpose = e.purpose AND x.import_id = e.import_id AND x.status = ?))) AS prior
			FROM consent_records r JOIN consent_current cc ON cc.workspace_id = r.workspace_id AND cc.contact_id = r.contact_id
				AND cc.purpose = r.purpose AND cc.record_id = r.id
			WHERE r.workspace_id = ? AND r.import_id = ? AND r.id > ? AND r.status <> ?
			ORDER BY r.id LIMIT ?) q
		LEFT JOIN consent_records p ON p.workspace_id = q.workspace_id AND p.id = q.prior
		ORDER BY q.id`, Reverted, Reverted, ws, imp, after, Reverted, revertChunk)
	if err != nil {
		return nil, fmt.Errorf("consent: revert import %d: %w", imp, err)
	}
	defer rows.Close()
	var out []revertPair
	for rows.Next() {
		var p revertPair
		if err := rows.Scan(&p.entry, &p.contact, &p.purpose, &p.status, &p.importBasis, &p.prior, &p.priorStatus); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// revertPairs appends a Reverted entry per pair, puts each pair's current
// state back (or removes it where nothing was recorded before), and
// writes one event per contact for its timeline.
func revertPairs(tx *store.Tx, ws, imp crm.ID, actor crm.Actor, pairs []revertPair) error {
	now := store.Micros(tx.Now)
	note := "undo of import " + imp.String()
	var ins, keys, priors []string
	var insArgs, keyArgs, priorArgs []any
	for _, p := range pairs {
		ins = append(ins, "(?, ?, ?, ?, ?, ?, ?, ?, '', '', ?, ?, ?, ?, ?)")
		insArgs = append(insArgs, tx.NewID(), ws, p.contact, p.purpose, Reverted, p.importBasis, SourceImportUndo, note,
			now, actorType(actor), actor.ID, now, imp)
		keys = append(keys, "(contact_id = ? AND purpose = ?)")
		keyArgs = append(keyArgs, p.contact, p.purpose)
		if p.prior != 0 {
			priors = append(priors, "?")
			priorArgs = append(priorArgs, p.prior)
		}
	}
	if _, err := tx.Exec(`INSERT INTO consent_records (id, workspace_id, contact_id, purpose, status, basis, source,
		notice_version, ip, user_agent, evidence_at, actor_type, actor_id, created_at, import_id) VALUES `+strings.Join(ins, ", "),
		insArgs...); err != nil {
		return fmt.Errorf("consent: revert import %d: %w", imp, err)
	}
	if _, err := tx.Exec(`DELETE FROM consent_current WHERE workspace_id = ? AND (`+strings.Join(keys, " OR ")+`)`,
		append([]any{ws}, keyArgs...)...); err != nil {
		return fmt.Errorf("consent: revert import %d: %w", imp, err)
	}
	if len(priors) > 0 {
		if _, err := tx.Exec(`INSERT INTO consent_current (workspace_id, contact_id, purpose, status, basis, record_id, updated_at)
			SELECT workspace_id, contact_id, purpose, status, basis, id, ? FROM consent_records
			WHERE workspace_id = ? AND id IN (`+strings.Join(priors, ", ")+`)`, append([]any{now, ws}, priorArgs...)...); err != nil {
			return fmt.Errorf("consent: revert import %d: %w", imp, err)
		}
	}
	return emitReverts(tx, ws, actor, pairs)
}

// emitReverts writes a contact event per contact, one change per purpose:
// the import's status before, the restored one after ("" for none).
func emitReverts(tx *store.Tx, ws crm.ID, actor crm.Actor, pairs []revertPair) error {
	by := map[crm.ID]map[string]crm.Change{}
	var order []crm.ID
	for _, p := range pairs {
		if by[p.contact] == nil {
			by[p.contact] = map[string]crm.Change{}
			order = append(order, p.contact)
		}
		by[p.contact]["consent "+p.purpose] = crm.Change{Before: p.status + " (import)", After: p.priorStatus}
	}
	sort.Slice(order, func(i, j int) bool { return order[i] < order[j] })
	for _, c := range order {
		if err := tx.Emit(crm.Event{WorkspaceID: ws, Actor: actor, ObjectType: "contact", ObjectID: c, Action: crm.Updated,
			Changes: by[c]}); err != nil {
			return err
		}
	}
	return nil
}

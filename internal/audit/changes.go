package audit

import (
	"sort"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// personalObjects are the object types whose changes are personal data
// changes: every event about one of them is also an audit entry. Security
// and privacy actions (sign-ins, API keys, requests, erasure) record their
// own, richer entries and are not repeated here.
var personalObjects = map[string]bool{
	"contact": true, "company": true, "deal": true, "note": true, "activity": true,
}

// Install makes db log every change to personal data: each event emitted
// about a contact, company, deal, note or activity becomes an entry "record.<action>" (created,
// updated, deleted) by the event's actor, naming the fields that changed but
// none of their values, so the log does not become a second copy of the data
// (erasure can still blank an entry's details, but it should find no values
// there). The entries are linked to the chain just before the transaction
// commits, all at once, so the chain head is locked only for the end of
// the transaction. Installing twice is harmless.
func Install(db *store.DB) {
	db.OnEmit("audit", logChange)
}

type pendingKey struct{}

func logChange(tx *store.Tx, ev crm.Event) error {
	if !personalObjects[ev.ObjectType] {
		return nil
	}
	if b, ok := tx.Local(bulkKey{}).(*bulk); ok {
		b.add(tx, ev)
		return nil
	}
	fields := make([]string, 0, len(ev.Changes))
	for k := range ev.Changes {
		fields = append(fields, k)
	}
	sort.Strings(fields)
	r, err := newRow(tx, Entry{WorkspaceID: ev.WorkspaceID, Actor: ev.Actor, Action: "record." + string(ev.Action),
		ObjectType: ev.ObjectType, ObjectID: ev.ObjectID, Details: map[string]any{"fields": fields}})
	if err != nil {
		return err
	}
	pending, _ := tx.Local(pendingKey{}).(*[]*row)
	if pending == nil {
		pending = new([]*row)
		tx.SetLocal(pendingKey{}, pending)
		tx.BeforeCommit(func(tx *store.Tx) error { return appendRows(tx, *pending) })
	}
	*pending = append(*pending, r)
	return nil
}

type bulkKey struct{}

// bulk is a transaction's summary of many record changes.
type bulk struct {
	source string
	id     crm.ID
	counts map[bulkCount]int
	order  []bulkCount
	first  crm.Event // workspace and actor of the summary
}

type bulkCount struct{ object, action string }

// Bulk makes the changes to personal data that tx makes from now on one
// summary entry per kind of record and action instead of one entry per
// record: "import 42 created 5,000 contacts" (action
// "records.<action>", object source/id, details: the object type and the
// count). An import writes a million contacts; a million audit entries, each
// hashed into the chain, would cost more than the import itself, and the
// import keeps its own list of the records it created and changed (which
// undo uses), so the summary loses nothing a reviewer needs.
func Bulk(tx *store.Tx, source string, id crm.ID) {
	tx.SetLocal(bulkKey{}, &bulk{source: source, id: id, counts: map[bulkCount]int{}})
}

func (b *bulk) add(tx *store.Tx, ev crm.Event) {
	k := bulkCount{ev.ObjectType, string(ev.Action)}
	if len(b.order) == 0 {
		b.first = ev
		tx.BeforeCommit(b.write)
	}
	if _, ok := b.counts[k]; !ok {
		b.order = append(b.order, k)
	}
	b.counts[k]++
}

func (b *bulk) write(tx *store.Tx) error {
	rows := make([]*row, 0, len(b.order))
	for _, k := range b.order {
		r, err := newRow(tx, Entry{WorkspaceID: b.first.WorkspaceID, Actor: b.first.Actor, Action: "records." + k.action,
			ObjectType: b.source, ObjectID: b.id, Details: map[string]any{"object": k.object, "count": b.counts[k]}})
		if err != nil {
			return err
		}
		rows = append(rows, r)
	}
	return appendRows(tx, rows)
}

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

package products

import (
	"fmt"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// ItemChange is one line's change in UpdateItems.
type ItemChange struct {
	ID crm.ID
	ItemInput
}

// AddItems adds lines at the end of a deal, in order, all or none: problems
// are keyed items.N.field, and nothing is stored while there is one. The
// deal's value is checked once, against the lines all added (a credit may
// come before the lines that outweigh it), and its history records one
// change.
func AddItems(tx *store.Tx, p crm.Principal, dealID crm.ID, ins []ItemInput) ([]Item, error) {
	d, before, err := editItems(tx, p, dealID)
	if err != nil {
		return nil, err
	}
	if len(ins) == 0 {
		return nil, crm.FieldErrors{"items": "Send at least one line item."}.Err()
	}
	if n := len(before.Items) + len(ins); n > MaxItems {
		return nil, crm.FieldErrors{"items": fmt.Sprintf("A deal holds at most %d line items; this one has %d, and %d more would make %d.",
			MaxItems, len(before.Items), len(ins), n)}.Err()
	}
	pos := nextPosition(before.Items)
	fe := crm.FieldErrors{}
	out := make([]Item, 0, len(ins))
	for i, in := range ins {
		it, err := newItem(tx, p.WorkspaceID, d, in, pos+i)
		if err != nil {
			if err := batchError(fe, i, err); err != nil {
				return nil, err
			}
			continue
		}
		out = append(out, it)
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if err := insertItem(tx, p, &out[i]); err != nil {
			return nil, err
		}
	}
	return out, itemsChanged(tx, p, d, before.Totals, "items")
}

// UpdateItems changes several lines of a deal, all or none, like AddItems.
// Each line is named once; a line left unchanged is returned as it is.
func UpdateItems(tx *store.Tx, p crm.Principal, dealID crm.ID, changes []ItemChange) ([]Item, error) {
	d, before, err := editItems(tx, p, dealID)
	if err != nil {
		return nil, err
	}
	if len(changes) == 0 {
		return nil, crm.FieldErrors{"items": "Send at least one line item."}.Err()
	}
	byID := map[crm.ID]Item{}
	for _, it := range before.Items {
		byID[it.ID] = it
	}
	seen := map[crm.ID]bool{}
	fe := crm.FieldErrors{}
	out := make([]Item, 0, len(changes))
	for i, c := range changes {
		old, ok := byID[c.ID]
		switch {
		case !ok:
			fe.Add(fmt.Sprintf("items.%d.id", i), "No such line item on this deal.")
			continue
		case seen[c.ID]:
			fe.Add(fmt.Sprintf("items.%d.id", i), "This line item is listed twice.")
			continue
		}
		seen[c.ID] = true
		it, err := changedItem(tx, p.WorkspaceID, d, old, c.ItemInput)
		if err != nil {
			if err := batchError(fe, i, err); err != nil {
				return nil, err
			}
			continue
		}
		out = append(out, it)
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	for _, it := range out {
		if old := byID[it.ID]; it.Version != old.Version {
			if err := saveItem(tx, p, old, it); err != nil {
				return nil, err
			}
		}
	}
	return out, itemsChanged(tx, p, d, before.Totals, "items")
}

// batchError files line i's field problems under items.i; any other error
// is returned, to stop the batch.
func batchError(fe crm.FieldErrors, i int, err error) error {
	fields := crm.ErrorFields(err)
	if len(fields) == 0 {
		return err
	}
	for k, v := range fields {
		fe.Add(fmt.Sprintf("items.%d.%s", i, k), v)
	}
	return nil
}

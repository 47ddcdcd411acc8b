package products

import (
	"fmt"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// MaxDealValue is the largest value a deal may have, in minor units: the
// deals package's MaxValue (10^15), repeated here because this package must
// not import that one; a test in deals keeps the two equal. Line items may
// add up to more (MaxAmount) or to less than zero (credits), but while a
// deal's value follows its items, their net total must stay within
// 0..MaxDealValue, or the deal could no longer be saved.
const MaxDealValue = 1_000_000_000_000_000

// SetValueFromItems is SetValueFromItemsIf without a version to check (the
// deal page's switch sends none).
func SetValueFromItems(tx *store.Tx, p crm.Principal, dealID crm.ID, on bool) (Deal, error) {
	return SetValueFromItemsIf(tx, p, dealID, on, 0)
}

// SetValueFromItemsIf makes the deal's value follow its items' net total
// (on: the value is set at once) or become a figure of its own again (off:
// the value stays as it is until someone changes it). ifVersion, when not
// 0, must be the deal's version. Items that add up to no valid deal value
// (below 0, above MaxDealValue) cannot become its value.
func SetValueFromItemsIf(tx *store.Tx, p crm.Principal, dealID crm.ID, on bool, ifVersion int64) (Deal, error) {
	d, err := loadDeal(tx, p, dealID, account.ActUpdate)
	if err != nil {
		return d, err
	}
	if ifVersion != 0 && ifVersion != d.Version {
		return d, crm.Errorf(crm.Conflict, "This deal was changed by someone else (version %d, not %d). Reload and try again.", d.Version, ifVersion)
	}
	if d.ValueFromItems == on {
		return d, nil
	}
	cur, err := dealItems(tx, p.WorkspaceID, d)
	if err != nil {
		return d, err
	}
	ch := map[string]crm.Change{"value_from_items": {Before: d.ValueFromItems, After: on}}
	old := d.Value
	d.ValueFromItems = on
	if on && cur.Totals.Net() != old {
		if msg := badValue(cur.Totals.Net(), d.Currency); msg != "" {
			return d, valueError("", "The line items add up to "+msg+" Change the lines first.")
		}
		d.Value = cur.Totals.Net()
		ch["value"] = crm.Change{Before: old, After: d.Value}
	}
	if _, err := tx.Exec(`UPDATE deals SET value_from_items = ?, value = ?, updated_by = ?, updated_at = ?, version = version + 1
		WHERE workspace_id = ? AND id = ?`, on, d.Value, p.UserID, store.Micros(tx.Now), p.WorkspaceID, d.ID); err != nil {
		return d, fmt.Errorf("products: deal %d value from items: %w", d.ID, err)
	}
	d.Version++
	return d, tx.Emit(crm.Event{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), ObjectType: "deal", ObjectID: d.ID,
		Action: crm.Updated, Changes: ch})
}

// itemsChanged runs after every change of a deal's lines, in the same
// transaction: it refuses totals out of range, writes the deal's value when
// it follows the items, and records on the deal what its items now add up
// to (items_net before tax, items_total with tax), so the deal's own
// history shows the change. field names the input a refusal is about
// ("unit_price" for one line, "items" for a batch, "" for a removal).
func itemsChanged(tx *store.Tx, p crm.Principal, d Deal, before Amounts, field string) error {
	after, err := dealItems(tx, p.WorkspaceID, d)
	if err != nil {
		if crm.ErrorCode(err) == crm.Invalid {
			return valueError(field, "The deal's total would be too large.")
		}
		return err
	}
	ch := map[string]crm.Change{}
	if after.Totals.Net() != before.Net() {
		ch["items_net"] = crm.Change{Before: before.Net(), After: after.Totals.Net()}
	}
	if after.Totals.Total != before.Total {
		ch["items_total"] = crm.Change{Before: before.Total, After: after.Totals.Total}
	}
	if len(ch) == 0 {
		return nil
	}
	if d.ValueFromItems && d.Value != after.Totals.Net() {
		if msg := badValue(after.Totals.Net(), d.Currency); msg != "" {
			return valueError(field, "The deal's value follows its line items, which would add up to "+msg+
				" Change the lines, or stop the value following them.")
		}
		ch["value"] = crm.Change{Before: d.Value, After: after.Totals.Net()}
		if _, err := tx.Exec(`UPDATE deals SET value = ?, updated_by = ?, updated_at = ?, version = version + 1 WHERE workspace_id = ? AND id = ?`,
			after.Totals.Net(), p.UserID, store.Micros(tx.Now), p.WorkspaceID, d.ID); err != nil {
			return fmt.Errorf("products: deal %d value: %w", d.ID, err)
		}
	}
	return tx.Emit(crm.Event{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), ObjectType: "deal", ObjectID: d.ID,
		Action: crm.Updated, Changes: ch})
}

// badValue says, as the end of a sentence, why net cannot be the value of
// a deal in currency cur; "" when it can.
func badValue(net int64, cur string) string {
	if net >= 0 && net <= MaxDealValue {
		return ""
	}
	return fmt.Sprintf("%s %s, but a deal's value must be from 0 to %s %s.", FormatMoney(net, cur), cur, FormatMoney(MaxDealValue, cur), cur)
}

// valueError refuses a change of lines. With a field the message stands
// beside that input; without one (a removal, the switch: nothing typed is
// at fault) it is the error's message alone, which the deal page shows
// above the lines and the API keys itself.
func valueError(field, msg string) error {
	e := &crm.Error{Code: crm.Invalid, Message: msg}
	if field != "" {
		e.Fields = map[string]string{field: msg}
	}
	return e
}

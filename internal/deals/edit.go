package deals

import (
	"fmt"
	"strings"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
)

// DealPatch changes some fields of a deal; nil leaves a field as it is.
// Custom is a merge patch (a nil value removes it). StageID moves the deal
// (with history), as Move does. Status changes only through Win, Lose and
// Reopen.
type DealPatch struct {
	Title, Currency, ExpectedClose, Source, Priority *string
	Value                                            *int64
	ValueDecimal                                     *string // major units, read in the deal's (new) currency
	OwnerID, ContactID, CompanyID, StageID           *crm.ID
	Contacts                                         *[]DealContact
	Tags                                             *[]string
	Custom                                           map[string]any
}

// editable loads a deal p may change, checking the If-Match version.
func editable(tx *store.Tx, p crm.Principal, id crm.ID, ifVersion int64) (Deal, error) {
	d, err := ViewDeal(tx, p, id)
	if err != nil {
		return d, err
	}
	if err := account.Can(tx, p, account.ActUpdate, d.OwnerID); err != nil {
		return d, err
	}
	if ifVersion != 0 && ifVersion != d.Version {
		return d, crm.Errorf(crm.Conflict, "This deal was changed by someone else (version %d, not %d). Reload and try again.", d.Version, ifVersion)
	}
	return d, nil
}

// UpdateDeal applies a patch. When ifVersion is not 0 it must equal the
// stored version, else conflict.
func UpdateDeal(tx *store.Tx, p crm.Principal, id crm.ID, in DealPatch, ifVersion int64) (Deal, error) {
	old, err := editable(tx, p, id, ifVersion)
	if err != nil {
		return old, err
	}
	d := old
	d.Tags, d.Contacts = append([]string(nil), old.Tags...), append([]DealContact(nil), old.Contacts...)
	for _, f := range []struct {
		dst *string
		v   *string
	}{{&d.Title, in.Title}, {&d.Currency, in.Currency}, {&d.ExpectedClose, in.ExpectedClose}, {&d.Source, in.Source}, {&d.Priority, in.Priority}} {
		if f.v != nil {
			*f.dst = *f.v
		}
	}
	for _, f := range []struct {
		dst *crm.ID
		v   *crm.ID
	}{{&d.OwnerID, in.OwnerID}, {&d.ContactID, in.ContactID}, {&d.CompanyID, in.CompanyID}} {
		if f.v != nil {
			*f.dst = *f.v
		}
	}
	if in.Value != nil {
		d.Value = *in.Value
	}
	if in.Tags != nil {
		d.Tags = *in.Tags
	}
	if in.Contacts != nil {
		d.Contacts = *in.Contacts
	}
	if d.OwnerID != old.OwnerID {
		if err := account.Can(tx, p, account.ActCreate, d.OwnerID); err != nil {
			return old, err
		}
	}
	defs, err := records.ListFields(tx, p.WorkspaceID, "deal", true)
	if err != nil {
		return old, err
	}
	custom, fe := records.MergeCustom(defs, old.Custom, in.Custom, false)
	d.Custom = custom
	if in.ValueDecimal != nil {
		decimalValue(fe, &d, *in.ValueDecimal)
	}
	var to Stage
	if in.StageID != nil && *in.StageID != old.StageID {
		if to, err = GetStage(tx, p.WorkspaceID, *in.StageID); crm.ErrorCode(err) == crm.NotFound {
			fe.Add("stage_id", "No such stage.")
		} else if err != nil {
			return old, err
		}
	}
	if d.Value != old.Value {
		checkValue(fe, d.Value, d.Currency)
	}
	if d.Value != old.Value || d.Currency != old.Currency {
		if err := itemsRule(tx, p.WorkspaceID, old, d, fe); err != nil {
			return old, err
		}
	}
	if err := validate(tx, p, &old, &d, fe); err != nil {
		return old, err
	}
	ch := diff(old, d)
	if len(ch) > 0 {
		if err := writeFields(tx, p, d, old.Version); err != nil {
			return old, err
		}
		if in.Contacts != nil {
			if err := writeContacts(tx, p.WorkspaceID, id, d.Contacts); err != nil {
				return old, err
			}
		}
		if err := tx.Emit(crm.Event{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), ObjectType: "deal", ObjectID: id,
			Action: crm.Updated, Changes: ch}); err != nil {
			return old, err
		}
	}
	if to.ID != 0 {
		cur, err := GetDeal(tx, p.WorkspaceID, id, false)
		if err != nil {
			return old, err
		}
		if err := setStage(tx, p, cur, to); err != nil {
			return old, err
		}
	}
	return GetDeal(tx, p.WorkspaceID, id, false)
}

func writeFields(tx *store.Tx, p crm.Principal, d Deal, version int64) error {
	n, err := tx.Exec(`UPDATE deals SET title = ?, value = ?, currency = ?, expected_close = ?, owner_id = ?, contact_id = ?,
		company_id = ?, source = ?, priority = ?, tags = ?, custom = ?, updated_by = ?, updated_at = ?, version = version + 1
		WHERE workspace_id = ? AND id = ? AND version = ?`,
		d.Title, d.Value, d.Currency, d.ExpectedClose, d.OwnerID, d.ContactID, d.CompanyID, d.Source, d.Priority,
		jsonText(d.Tags), jsonText(d.Custom), p.UserID, store.Micros(tx.Now), p.WorkspaceID, d.ID, version)
	if err != nil {
		return fmt.Errorf("deals: update: %w", err)
	}
	if n == 0 {
		return crm.Errorf(crm.Conflict, "This deal was changed meanwhile. Reload and try again.")
	}
	return nil
}

// DeleteDeal moves a deal to the trash.
func DeleteDeal(tx *store.Tx, p crm.Principal, id crm.ID) error {
	d, err := ViewDeal(tx, p, id)
	if err != nil {
		return err
	}
	if err := account.Can(tx, p, account.ActDelete, d.OwnerID); err != nil {
		return err
	}
	if _, err := tx.Exec(`UPDATE deals SET deleted_at = ?, updated_at = ?, updated_by = ?, version = version + 1
		WHERE workspace_id = ? AND id = ? AND deleted_at IS NULL`, store.Micros(tx.Now), store.Micros(tx.Now), p.UserID, p.WorkspaceID, id); err != nil {
		return err
	}
	return tx.Emit(crm.Event{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), ObjectType: "deal", ObjectID: id, Action: crm.Deleted,
		Changes: map[string]crm.Change{"title": {Before: d.Title}}})
}

// Move puts a deal into another stage (of its pipeline or another one),
// closing its stay in the old stage and opening one in the new.
func Move(tx *store.Tx, p crm.Principal, id, stage crm.ID, ifVersion int64) (Deal, error) {
	d, err := editable(tx, p, id, ifVersion)
	if err != nil {
		return d, err
	}
	to, err := GetStage(tx, p.WorkspaceID, stage)
	if crm.ErrorCode(err) == crm.NotFound {
		return d, (crm.FieldErrors{"stage_id": "No such stage."}).Err()
	} else if err != nil {
		return d, err
	}
	if d.StageID == to.ID {
		return d, nil
	}
	if err := setStage(tx, p, d, to); err != nil {
		return d, err
	}
	// The deal as setStage left it, without reading it back: a move is the
	// board's hot write, and the read-back was a third of its statements'
	// cost. TestMoveAnswersTheStoredDeal keeps the two in step.
	now := store.FromMicros(store.Micros(tx.Now))
	d.StageID, d.PipelineID, d.StageName, d.Probability, d.RotDays = to.ID, to.PipelineID, to.Name, to.Probability, to.RotDays
	d.StageEnteredAt, d.UpdatedAt, d.Version = now, now, d.Version+1
	return d, nil
}

// setStage moves d to stage to: the row, the history (for open deals) and
// the event.
func setStage(tx *store.Tx, p crm.Principal, d Deal, to Stage) error {
	if d.StageID == to.ID {
		return nil
	}
	ch := map[string]crm.Change{"stage_id": {Before: d.StageID, After: to.ID}}
	if d.PipelineID != to.PipelineID {
		ch["pipeline_id"] = crm.Change{Before: d.PipelineID, After: to.PipelineID}
	}
	now := store.Micros(tx.Now)
	if _, err := tx.Exec(`UPDATE deals SET stage_id = ?, pipeline_id = ?, stage_entered_at = ?, updated_at = ?, updated_by = ?,
		version = version + 1 WHERE workspace_id = ? AND id = ?`, to.ID, to.PipelineID, now, now, p.UserID, p.WorkspaceID, d.ID); err != nil {
		return fmt.Errorf("deals: move: %w", err)
	}
	if d.Status == Open {
		if err := leaveStage(tx, p.WorkspaceID, d.ID); err != nil {
			return err
		}
		d.StageID, d.PipelineID, d.StageName = to.ID, to.PipelineID, to.Name
		if err := enterStage(tx, p, d); err != nil {
			return err
		}
	}
	return tx.Emit(crm.Event{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), ObjectType: "deal", ObjectID: d.ID,
		Action: crm.Updated, Changes: ch})
}

// enterStage opens a stay of d in its current stage.
func enterStage(tx *store.Tx, p crm.Principal, d Deal) error {
	name := d.StageName
	if name == "" {
		s, err := GetStage(tx, p.WorkspaceID, d.StageID)
		if err != nil {
			return err
		}
		name = s.Name
	}
	_, err := tx.Exec(`INSERT INTO deal_stage_history (id, workspace_id, deal_id, pipeline_id, stage_id, stage_name, entered_at, actor_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, tx.NewID(), p.WorkspaceID, d.ID, d.PipelineID, d.StageID, name, store.Micros(tx.Now), p.UserID)
	if err != nil {
		return fmt.Errorf("deals: stage history: %w", err)
	}
	return nil
}

// leaveStage closes the deal's open stay, if any.
func leaveStage(tx *store.Tx, ws, deal crm.ID) error {
	_, err := tx.Exec(`UPDATE deal_stage_history SET left_at = ? WHERE workspace_id = ? AND deal_id = ? AND left_at IS NULL`,
		store.Micros(tx.Now), ws, deal)
	return err
}

// Win marks a deal won now. Winning a won deal changes nothing.
func Win(tx *store.Tx, p crm.Principal, id crm.ID, ifVersion int64) (Deal, error) {
	return decide(tx, p, id, ifVersion, Won, "")
}

// Lose marks a deal lost now, for a reason: one of the workspace's lost
// reasons (any text up to 200 characters while the list is empty).
func Lose(tx *store.Tx, p crm.Principal, id crm.ID, reason string, ifVersion int64) (Deal, error) {
	reason = strings.TrimSpace(reason)
	if _, err := editable(tx, p, id, 0); err != nil {
		return Deal{}, err // not found before a word about the reason
	}
	reasons, err := ListLostReasons(tx, p.WorkspaceID)
	if err != nil {
		return Deal{}, err
	}
	if len(reasons) > 0 {
		found := ""
		var names []string
		for _, r := range reasons {
			names = append(names, r.Name)
			if strings.EqualFold(r.Name, reason) {
				found = r.Name
			}
		}
		if found == "" {
			return Deal{}, (crm.FieldErrors{"reason": "Choose one of: " + strings.Join(names, ", ") + "."}).Err()
		}
		reason = found
	} else if reason == "" || len(reason) > 200 {
		return Deal{}, (crm.FieldErrors{"reason": "Say why the deal was lost (up to 200 characters)."}).Err()
	}
	return decide(tx, p, id, ifVersion, Lost, reason)
}

// Reopen puts a won or lost deal back in play, in the stage it was in; its
// time in the stage starts again.
func Reopen(tx *store.Tx, p crm.Principal, id crm.ID, ifVersion int64) (Deal, error) {
	return decide(tx, p, id, ifVersion, Open, "")
}

func decide(tx *store.Tx, p crm.Principal, id crm.ID, ifVersion int64, status, reason string) (Deal, error) {
	d, err := editable(tx, p, id, ifVersion)
	if err != nil || (d.Status == status && d.LostReason == reason) {
		return d, err
	}
	now := store.Micros(tx.Now)
	var closed any = now
	entered := store.Micros(d.StageEnteredAt)
	if status == Open {
		closed, entered = nil, now
	}
	if _, err := tx.Exec(`UPDATE deals SET status = ?, lost_reason = ?, closed_at = ?, stage_entered_at = ?, updated_at = ?,
		updated_by = ?, version = version + 1 WHERE workspace_id = ? AND id = ?`,
		status, reason, closed, entered, now, p.UserID, p.WorkspaceID, id); err != nil {
		return d, fmt.Errorf("deals: %s: %w", status, err)
	}
	switch {
	case status == Open:
		if err := enterStage(tx, p, d); err != nil {
			return d, err
		}
	case d.Status == Open:
		if err := leaveStage(tx, p.WorkspaceID, id); err != nil {
			return d, err
		}
	}
	after := d
	after.Status, after.LostReason = status, reason
	ch := diff(d, after)
	if status == Open {
		ch["closed_at"] = crm.Change{Before: d.ClosedAt}
	} else {
		ch["closed_at"] = crm.Change{After: tx.Now}
	}
	if err := tx.Emit(crm.Event{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), ObjectType: "deal", ObjectID: id,
		Action: crm.Updated, Changes: ch}); err != nil {
		return d, err
	}
	return GetDeal(tx, p.WorkspaceID, id, false)
}

// itemsRule keeps a deal consistent with its line items (internal/products):
// while its value follows the items it cannot be set by hand, and while it
// has items, priced in its currency, its currency cannot change.
func itemsRule(tx *store.Tx, ws crm.ID, old, d Deal, fe crm.FieldErrors) error {
	var fromItems bool
	var items int
	err := tx.QueryRow(`SELECT value_from_items, (SELECT count(*) FROM deal_items WHERE workspace_id = ? AND deal_id = ?)
		FROM deals WHERE workspace_id = ? AND id = ?`, ws, old.ID, ws, old.ID).Scan(&fromItems, &items)
	if err != nil {
		return fmt.Errorf("deals: line items: %w", err)
	}
	if fromItems && d.Value != old.Value {
		fe.Add("value", "This deal's value follows its line items: change the lines, or turn “value from line items” off first.")
	}
	if items > 0 && d.Currency != old.Currency {
		fe.Add("currency", fmt.Sprintf("This deal has line items priced in %s: remove them before changing its currency.", old.Currency))
	}
	return nil
}

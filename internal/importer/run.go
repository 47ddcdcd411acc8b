package importer

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
)

// Run is one execution of an import: what every Kind's batch needs to
// resolve rows.
type Run struct {
	ID          crm.ID
	WorkspaceID crm.ID
	Principal   crm.Principal
	Plan        Plan
	DryRun      bool
	Custom      []records.FieldDef
	Now         time.Time
	NewID       func() crm.ID

	owners   map[string]crm.ID // member email → user id
	visible  map[crm.ID]bool   // owners whose records the principal sees; nil: all
	seeAll   bool
	maxNotes int
}

// load reads the workspace's members (owners by email) and which owners'
// records the principal may see.
func (r *Run) load(tx *store.Tx) error {
	r.owners = map[string]crm.ID{}
	rows, err := tx.Query(`SELECT u.email, m.user_id FROM memberships m JOIN users u ON u.id = m.user_id
		WHERE m.workspace_id = ? AND m.deactivated_at IS NULL`, r.WorkspaceID)
	if err != nil {
		return errf("members: %w", err)
	}
	for rows.Next() {
		var email string
		var id crm.ID
		if err := rows.Scan(&email, &id); err != nil {
			rows.Close()
			return err
		}
		r.owners[strings.ToLower(email)] = id
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	clause, args, err := account.VisibilityClause(tx, r.Principal, "m.user_id")
	if err != nil {
		return err
	}
	if clause == "" {
		r.seeAll = true
		return nil
	}
	r.visible = map[crm.ID]bool{0: false}
	vis, err := tx.Query(`SELECT m.user_id FROM memberships m WHERE m.workspace_id = ? AND `+clause, append([]any{r.WorkspaceID}, args...)...)
	if err != nil {
		return errf("visibility: %w", err)
	}
	defer vis.Close()
	for vis.Next() {
		var id crm.ID
		if err := vis.Scan(&id); err != nil {
			return err
		}
		r.visible[id] = true
	}
	return vis.Err()
}

// Sees reports whether the principal sees records owned by owner.
func (r *Run) Sees(owner crm.ID) bool { return r.seeAll || r.visible[owner] }

// Owner resolves an owner column (a member's email) to a user id; an
// unknown or unseen owner leaves the record with the importer, with a note.
func (r *Run) Owner(v string) (crm.ID, *Outcome) {
	if v == "" {
		return 0, nil
	}
	id, ok := r.owners[strings.ToLower(strings.TrimSpace(v))]
	switch {
	case !ok:
		return 0, &Outcome{Action: Warned, Field: "owner", Value: v, Message: "no member of this workspace has this email; you are the owner"}
	case !r.Sees(id):
		return 0, &Outcome{Action: Warned, Field: "owner", Value: v, Message: "you cannot give records to this member; you are the owner"}
	}
	return id, nil
}

// CustomValues converts the row's custom.* cells from text to the values
// their field types take, and checks them. The result is in stored form,
// ready to overlay on a record's custom map.
func (r *Run) CustomValues(vals map[string]string, creating bool) (map[string]any, *Outcome) {
	patch := map[string]any{}
	var bad *Outcome
	for k, v := range vals {
		key, ok := strings.CutPrefix(k, "custom.")
		if !ok {
			continue
		}
		spec, _ := r.Plan.Spec(k)
		if spec.Custom == nil {
			continue
		}
		nv, msg := naturalValue(*spec.Custom, v)
		if msg != "" {
			bad = &Outcome{Action: Errored, Field: k, Value: v, Message: msg}
			continue
		}
		patch[key] = nv
	}
	if bad != nil {
		return nil, bad
	}
	if len(patch) == 0 && !creating {
		return nil, nil
	}
	out, fe := records.MergeCustom(r.Custom, nil, patch, creating)
	for f, msg := range fe {
		return nil, &Outcome{Action: Errored, Field: f, Value: vals[f], Message: msg}
	}
	return out, nil
}

// naturalValue reads a cell as the JSON value a custom field of d's type
// takes in the API.
func naturalValue(d records.FieldDef, v string) (any, string) {
	switch d.Type {
	case records.FieldNumber, records.FieldCurrency:
		var f float64
		if err := json.Unmarshal([]byte(strings.ReplaceAll(v, ",", "")), &f); err != nil {
			return nil, "not a number"
		}
		return f, ""
	case records.FieldBoolean:
		switch strings.ToLower(v) {
		case "true", "yes", "y", "1", "x", "on":
			return true, ""
		case "false", "no", "n", "0", "off":
			return false, ""
		}
		return nil, "use yes or no"
	case records.FieldMultiSelect:
		var out []any
		for _, s := range splitList(v) {
			out = append(out, s)
		}
		return out, ""
	case records.FieldDateTime:
		if t, ok := parseTime(v); ok {
			return t.Format(time.RFC3339), ""
		}
		return nil, "not a date and time"
	case records.FieldSelect:
		for _, o := range d.Options {
			if strings.EqualFold(o, v) {
				return o, ""
			}
		}
	}
	return v, ""
}

// splitList splits "a; b, c|d" into its parts.
func splitList(v string) []string {
	var out []string
	for _, s := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ';' || r == '|' }) {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

var timeLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02 15:04", time.DateOnly}

// parseTime reads the unambiguous date forms exports use; "03/04/2025"
// (March or April?) is refused rather than guessed.
func parseTime(v string) (time.Time, bool) {
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, strings.TrimSpace(v)); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

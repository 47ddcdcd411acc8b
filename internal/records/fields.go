package records

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/filter"
	"github.com/tandemcrm/tandem/internal/store"
)

// FieldType is the type of a custom field.
type FieldType string

// The custom field types.
const (
	FieldText        FieldType = "text"
	FieldLongText    FieldType = "long_text"
	FieldNumber      FieldType = "number"
	FieldCurrency    FieldType = "currency" // integer minor units
	FieldDate        FieldType = "date"     // "YYYY-MM-DD"
	FieldDateTime    FieldType = "datetime" // RFC 3339 in the API, Unix µs in storage
	FieldBoolean     FieldType = "boolean"
	FieldSelect      FieldType = "select"
	FieldMultiSelect FieldType = "multi_select"
	FieldURL         FieldType = "url"
	FieldEmail       FieldType = "email"
	FieldPhone       FieldType = "phone"
	FieldUser        FieldType = "user"
)

// FieldTypes lists every type, in the order the settings page offers them.
var FieldTypes = []FieldType{FieldText, FieldLongText, FieldNumber, FieldCurrency, FieldDate, FieldDateTime,
	FieldBoolean, FieldSelect, FieldMultiSelect, FieldURL, FieldEmail, FieldPhone, FieldUser}

// Objects that can carry custom fields.
var fieldObjects = []string{"contact", "company", "deal", "activity"}

// FieldDef is a custom field definition.
type FieldDef struct {
	ID        crm.ID
	Object    string
	Key       string
	Label     string
	Type      FieldType
	Options   []string
	Position  int
	Required  bool
	RetiredAt time.Time
}

// FieldInput creates or changes a definition (nil: leave as is).
type FieldInput struct {
	Object   string
	Key      string
	Label    *string
	Type     FieldType
	Options  *[]string
	Position *int
	Required *bool
}

var keyRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

// KeyFromLabel makes a field key from its label: "Lead score" → "lead_score".
func KeyFromLabel(label string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(label) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9' && b.Len() > 0:
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "_"):
			b.WriteByte('_')
		}
	}
	k := strings.TrimSuffix(b.String(), "_")
	if len(k) > 40 {
		k = k[:40]
	}
	return k
}

func canAdmin(p crm.Principal) error {
	if p.Role.Rank() < crm.RoleAdmin.Rank() {
		return crm.Errorf(crm.Forbidden, "Only admins and owners can change fields.")
	}
	return nil
}

// CreateField defines a custom field. No schema change: values live in the
// records' JSON column.
func CreateField(tx *store.Tx, p crm.Principal, in FieldInput) (FieldDef, error) {
	if err := canAdmin(p); err != nil {
		return FieldDef{}, err
	}
	d := FieldDef{Object: in.Object, Key: in.Key, Type: in.Type}
	if in.Label != nil {
		d.Label = strings.TrimSpace(*in.Label)
	}
	if d.Key == "" {
		d.Key = KeyFromLabel(d.Label)
	}
	if in.Options != nil {
		d.Options = cleanOptions(*in.Options)
	}
	if in.Position != nil {
		d.Position = *in.Position
	}
	if in.Required != nil {
		d.Required = *in.Required
	}
	fe := crm.FieldErrors{}
	if !slices.Contains(fieldObjects, d.Object) {
		fe.Add("object", "Choose contact, company, deal or activity.")
	}
	if !keyRE.MatchString(d.Key) {
		fe.Add("key", "Use lower-case letters, digits and _, starting with a letter (up to 40).")
	}
	if d.Label == "" || len(d.Label) > 80 {
		fe.Add("label", "Give the field a label (up to 80 characters).")
	}
	if !slices.Contains(FieldTypes, d.Type) {
		fe.Add("type", "Unknown field type.")
	}
	if (d.Type == FieldSelect || d.Type == FieldMultiSelect) && len(d.Options) == 0 {
		fe.Add("options", "A choice field needs at least one option.")
	}
	if builtinFieldNames[d.Object][d.Key] {
		fe.Add("key", fmt.Sprintf("%q is a built-in field of %ss.", d.Key, d.Object))
	}
	if err := fe.Err(); err != nil {
		return d, err
	}
	d.ID = tx.NewID()
	opts, _ := json.Marshal(d.Options)
	now := store.Micros(tx.Now)
	_, err := tx.Exec(`INSERT INTO fields (id, workspace_id, object, key, label, type, options, position, required, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, d.ID, p.WorkspaceID, d.Object, d.Key, d.Label, string(d.Type), string(opts),
		d.Position, d.Required, now, now)
	if crm.ErrorCode(err) == crm.Conflict {
		return d, (crm.FieldErrors{"key": "A field with this key already exists (retired fields keep their key)."}).Err()
	}
	if err != nil {
		return d, fmt.Errorf("records: create field: %w", err)
	}
	return d, tx.Emit(crm.Event{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), ObjectType: "field", ObjectID: d.ID,
		Action: crm.Created, Changes: changes("object", d.Object, "key", d.Key, "label", d.Label, "type", string(d.Type))})
}

// UpdateField renames, reorders, re-options or retires (retire=true) a field.
// Its key and type never change, so stored values keep their meaning.
func UpdateField(tx *store.Tx, p crm.Principal, id crm.ID, in FieldInput, retire *bool) (FieldDef, error) {
	if err := canAdmin(p); err != nil {
		return FieldDef{}, err
	}
	d, err := GetField(tx, p.WorkspaceID, id)
	if err != nil {
		return d, err
	}
	ch := map[string]crm.Change{}
	if in.Label != nil && strings.TrimSpace(*in.Label) != d.Label {
		l := strings.TrimSpace(*in.Label)
		if l == "" || len(l) > 80 {
			return d, (crm.FieldErrors{"label": "Give the field a label (up to 80 characters)."}).Err()
		}
		ch["label"], d.Label = crm.Change{Before: d.Label, After: l}, l
	}
	if in.Options != nil {
		o := cleanOptions(*in.Options)
		if (d.Type == FieldSelect || d.Type == FieldMultiSelect) && len(o) == 0 {
			return d, (crm.FieldErrors{"options": "A choice field needs at least one option."}).Err()
		}
		ch["options"], d.Options = crm.Change{Before: d.Options, After: o}, o
	}
	if in.Position != nil && *in.Position != d.Position {
		ch["position"], d.Position = crm.Change{Before: d.Position, After: *in.Position}, *in.Position
	}
	if in.Required != nil && *in.Required != d.Required {
		ch["required"], d.Required = crm.Change{Before: d.Required, After: *in.Required}, *in.Required
	}
	var retired any
	if !d.RetiredAt.IsZero() {
		retired = store.Micros(d.RetiredAt)
	}
	if retire != nil && *retire != !d.RetiredAt.IsZero() {
		ch["retired"] = crm.Change{Before: !*retire, After: *retire}
		retired, d.RetiredAt = nil, time.Time{}
		if *retire {
			retired, d.RetiredAt = store.Micros(tx.Now), tx.Now
		}
	}
	if len(ch) == 0 {
		return d, nil
	}
	opts, _ := json.Marshal(d.Options)
	if _, err := tx.Exec(`UPDATE fields SET label = ?, options = ?, position = ?, required = ?, retired_at = ?, updated_at = ?
		WHERE workspace_id = ? AND id = ?`, d.Label, string(opts), d.Position, d.Required, retired, store.Micros(tx.Now),
		p.WorkspaceID, id); err != nil {
		return d, err
	}
	return d, tx.Emit(crm.Event{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), ObjectType: "field", ObjectID: id,
		Action: crm.Updated, Changes: ch})
}

// GetField returns one definition of the workspace.
func GetField(tx *store.Tx, ws, id crm.ID) (FieldDef, error) {
	fs, err := listFields(tx, ws, `AND id = ?`, id)
	if err != nil {
		return FieldDef{}, err
	}
	if len(fs) == 0 {
		return FieldDef{}, crm.Errorf(crm.NotFound, "No such field.")
	}
	return fs[0], nil
}

// ListFields returns an object's field definitions in display order;
// retired ones only when asked.
func ListFields(tx *store.Tx, ws crm.ID, object string, withRetired bool) ([]FieldDef, error) {
	q, args := `AND object = ?`, []any{object}
	if object == "" {
		q, args = ``, nil
	}
	if !withRetired {
		q += ` AND retired_at IS NULL`
	}
	return listFields(tx, ws, q, args...)
}

func listFields(tx *store.Tx, ws crm.ID, where string, args ...any) ([]FieldDef, error) {
	rows, err := tx.Query(`SELECT id, object, key, label, type, options, position, required, retired_at FROM fields
		WHERE workspace_id = ? `+where+` ORDER BY object, position, id`, append([]any{ws}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("records: fields: %w", err)
	}
	defer rows.Close()
	var out []FieldDef
	for rows.Next() {
		var d FieldDef
		var typ, opts string
		var retired *int64
		if err := rows.Scan(&d.ID, &d.Object, &d.Key, &d.Label, &typ, &opts, &d.Position, &d.Required, &retired); err != nil {
			return nil, err
		}
		d.Type = FieldType(typ)
		if err := json.Unmarshal([]byte(opts), &d.Options); err != nil {
			return nil, errors.Join(fmt.Errorf("records: field %d options", d.ID), err)
		}
		if retired != nil {
			d.RetiredAt = store.FromMicros(*retired)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

func cleanOptions(in []string) []string {
	var out []string
	for _, o := range in {
		if o = strings.TrimSpace(o); o != "" && !slices.Contains(out, o) {
			out = append(out, o)
		}
	}
	return out
}

// filterField is the filter language's view of a custom field.
func (d FieldDef) filterField() filter.Field {
	f := filter.Field{Name: d.Key}
	switch d.Type {
	case FieldNumber:
		f.Type = filter.Number
	case FieldCurrency:
		f.Type = filter.Money
	case FieldDate:
		f.Type = filter.Date
	case FieldDateTime:
		f.Type = filter.DateTime
	case FieldBoolean:
		f.Type = filter.Bool
	case FieldSelect:
		f.Type, f.Values = filter.Enum, d.Options
	case FieldMultiSelect:
		f.Type = filter.Tags
	case FieldUser:
		f.Type = filter.User
	default:
		f.Type = filter.Text
	}
	return f
}

package views

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/deals"
	"github.com/tandemcrm/tandem/internal/filter"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
)

// View is a saved list view.
type View struct {
	ID        crm.ID
	Object    string // contact, company or deal
	Name      string
	Filter    string // canonical filter-language text
	Sort      string
	Columns   []string
	OwnerID   crm.ID
	Shared    bool // visible to the whole workspace; else only to its owner
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Input creates or changes a view; nil leaves a field as it is. Object is
// only read when creating.
type Input struct {
	Object  string
	Name    *string
	Filter  *string
	Sort    *string
	Columns *[]string
	Shared  *bool
}

// Objects are what views can list.
var Objects = []string{"contact", "company", "deal"}

var errNotFound = crm.Errorf(crm.NotFound, "No such view.")

// Create saves a new view owned by p.
func Create(tx *store.Tx, p crm.Principal, in Input) (View, error) {
	if p.WorkspaceID == 0 {
		return View{}, crm.Errorf(crm.Unauthorized, "Please sign in.")
	}
	v := View{Object: in.Object, OwnerID: p.UserID, CreatedAt: tx.Now, UpdatedAt: tx.Now}
	if !slices.Contains(Objects, v.Object) {
		return v, (crm.FieldErrors{"object": "Choose contact, company or deal."}).Err()
	}
	apply(&v, in)
	if err := validate(tx, p, &v); err != nil {
		return v, err
	}
	v.ID = tx.NewID()
	_, err := tx.Exec(`INSERT INTO views (id, workspace_id, object, name, filter, sort, columns, owner_id, shared, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, v.ID, p.WorkspaceID, v.Object, v.Name, v.Filter, v.Sort, columnsJSON(v.Columns),
		v.OwnerID, v.Shared, store.Micros(tx.Now), store.Micros(tx.Now))
	if err != nil {
		return v, fmt.Errorf("views: create: %w", err)
	}
	return v, tx.Emit(crm.Event{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), ObjectType: "view", ObjectID: v.ID,
		Action: crm.Created, Changes: map[string]crm.Change{"name": {After: v.Name}, "object": {After: v.Object}}})
}

// Update changes a view. Its owner may change it; so may admins, when it is
// shared.
func Update(tx *store.Tx, p crm.Principal, id crm.ID, in Input) (View, error) {
	old, err := Get(tx, p, id)
	if err != nil {
		return old, err
	}
	if err := canChange(p, old); err != nil {
		return old, err
	}
	v := old
	apply(&v, in)
	if err := validate(tx, p, &v); err != nil {
		return v, err
	}
	v.UpdatedAt = tx.Now
	_, err = tx.Exec(`UPDATE views SET name = ?, filter = ?, sort = ?, columns = ?, shared = ?, updated_at = ?
		WHERE workspace_id = ? AND id = ?`, v.Name, v.Filter, v.Sort, columnsJSON(v.Columns), v.Shared, store.Micros(tx.Now),
		p.WorkspaceID, id)
	if err != nil {
		return v, fmt.Errorf("views: update: %w", err)
	}
	ch := map[string]crm.Change{}
	for _, f := range []struct {
		name string
		a, b any
	}{{"name", old.Name, v.Name}, {"filter", old.Filter, v.Filter}, {"sort", old.Sort, v.Sort},
		{"columns", strings.Join(old.Columns, ","), strings.Join(v.Columns, ",")}, {"shared", old.Shared, v.Shared}} {
		if f.a != f.b {
			ch[f.name] = crm.Change{Before: f.a, After: f.b}
		}
	}
	if len(ch) == 0 {
		return v, nil
	}
	return v, tx.Emit(crm.Event{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), ObjectType: "view", ObjectID: id,
		Action: crm.Updated, Changes: ch})
}

// Delete removes a view, with the same rights as Update.
func Delete(tx *store.Tx, p crm.Principal, id crm.ID) error {
	v, err := Get(tx, p, id)
	if err != nil {
		return err
	}
	if err := canChange(p, v); err != nil {
		return err
	}
	if _, err := tx.Exec(`DELETE FROM views WHERE workspace_id = ? AND id = ?`, p.WorkspaceID, id); err != nil {
		return fmt.Errorf("views: delete: %w", err)
	}
	return tx.Emit(crm.Event{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), ObjectType: "view", ObjectID: id,
		Action: crm.Deleted, Changes: map[string]crm.Change{"name": {Before: v.Name}}})
}

// Get returns a view p may see: shared ones and p's own. Another user's
// private view is not found, like another workspace's.
func Get(tx *store.Tx, p crm.Principal, id crm.ID) (View, error) {
	vs, err := list(tx, p, `AND id = ?`, id)
	if err != nil {
		return View{}, err
	}
	if len(vs) == 0 {
		return View{}, errNotFound
	}
	return vs[0], nil
}

// List returns the views of object ("" for all) that p may see, by name.
func List(tx *store.Tx, p crm.Principal, object string) ([]View, error) {
	if object == "" {
		return list(tx, p, ``)
	}
	return list(tx, p, `AND object = ?`, object)
}

func list(tx *store.Tx, p crm.Principal, where string, args ...any) ([]View, error) {
	rows, err := tx.Query(`SELECT id, object, name, filter, sort, columns, owner_id, shared, created_at, updated_at FROM views
		WHERE workspace_id = ? AND (shared = ? OR owner_id = ?) `+where+` ORDER BY object, name, id`,
		append([]any{p.WorkspaceID, true, p.UserID}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("views: list: %w", err)
	}
	defer rows.Close()
	var out []View
	for rows.Next() {
		var v View
		var cols string
		var created, updated int64
		if err := rows.Scan(&v.ID, &v.Object, &v.Name, &v.Filter, &v.Sort, &cols, &v.OwnerID, &v.Shared, &created, &updated); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(cols), &v.Columns); err != nil {
			return nil, fmt.Errorf("views: view %d columns: %w", v.ID, err)
		}
		v.CreatedAt, v.UpdatedAt = store.FromMicros(created), store.FromMicros(updated)
		out = append(out, v)
	}
	return out, rows.Err()
}

func canChange(p crm.Principal, v View) error {
	if v.OwnerID == p.UserID || (v.Shared && p.Role.Rank() >= crm.RoleAdmin.Rank()) {
		return nil
	}
	return crm.Errorf(crm.Forbidden, "Only the person who saved this view (or an admin, for shared views) can change it.")
}

func apply(v *View, in Input) {
	if in.Name != nil {
		v.Name = strings.TrimSpace(*in.Name)
	}
	if in.Filter != nil {
		v.Filter = strings.TrimSpace(*in.Filter)
	}
	if in.Sort != nil {
		v.Sort = strings.ReplaceAll(strings.TrimSpace(*in.Sort), " ", "")
	}
	if in.Columns != nil {
		v.Columns = *in.Columns
	}
	if in.Shared != nil {
		v.Shared = *in.Shared
	}
}

// validate checks the name, the columns, and the filter and sort against
// the object's schema (by running the query for one row), and puts the
// filter into canonical form.
func validate(tx *store.Tx, p crm.Principal, v *View) error {
	fe := crm.FieldErrors{}
	if v.Name == "" || len(v.Name) > 80 {
		fe.Add("name", "Give the view a name (up to 80 characters).")
	}
	defs, err := records.ListFields(tx, p.WorkspaceID, v.Object, false)
	if err != nil {
		return err
	}
	known := map[string]bool{}
	for _, c := range Columns(v.Object, defs) {
		known[c.Key] = true
	}
	var cols []string
	for _, c := range v.Columns {
		c = strings.TrimSpace(c)
		if !known[c] {
			fe.Add("columns", fmt.Sprintf("There is no column %q.", c))
		} else if !slices.Contains(cols, c) {
			cols = append(cols, c)
		}
	}
	v.Columns = cols
	if len(cols) > 40 {
		fe.Add("columns", "A view shows at most 40 columns.")
	}
	if err := fe.Err(); err != nil {
		return err
	}
	if v.Filter != "" {
		e, err := filter.Parse(v.Filter)
		if err != nil {
			return filter.Invalid(err, "filter")
		}
		v.Filter = e.String()
	}
	q := records.ListQuery{Filter: v.Filter, Sort: v.Sort, Limit: 1}
	switch v.Object {
	case "contact":
		_, err = records.QueryContacts(tx, p, q)
	case "company":
		_, err = records.QueryCompanies(tx, p, q)
	default:
		_, err = deals.QueryDeals(tx, p, q)
	}
	return err
}

func columnsJSON(c []string) string {
	if c == nil {
		c = []string{}
	}
	b, _ := json.Marshal(c)
	return string(b)
}

package privacy

import (
	"fmt"
	"slices"
	"sort"

	"github.com/tandemcrm/tandem/internal/store"
)

// Who a kind of personal data is about.
const (
	AboutContacts = "contacts" // the people in the CRM: found, exported and erased from a contact
	AboutStaff    = "staff"    // the workspace's own users: managed in Settings → Members
)

// Kind is one kind of personal data: where it lives, how to find, export and
// erase what is about one person, and how long it is kept. Every table of
// the schema is either in a Kind or listed as non-personal (a test enforces
// it), so a new table cannot be forgotten by export or erasure.
type Kind struct {
	Name        string   // stable key: "notes", "deal_contacts"
	Title       string   // for people: "Notes"
	Tables      []string // the tables it lives in
	About       string   // AboutContacts or AboutStaff
	Description string   // for the data inventory: what it holds and why
	// Count says how many rows erasure would remove or anonymise (the preview).
	Count func(tx *store.Tx, s *Subject) (int, error)
	// Export returns the rows about the person, as JSON-ready maps.
	Export func(tx *store.Tx, s *Subject) ([]map[string]any, error)
	// Erase deletes or irreversibly anonymises them and says how many.
	Erase func(tx *store.Tx, s *Subject, env *Env) (int, error)
	// Attachments lists files on disk to add to the export bundle.
	Attachments func(tx *store.Tx, s *Subject, env *Env) ([]Attachment, error)
	// Retention, when set, is what the periodic job removes after a time.
	Retention *Retention
}

// Attachment is a file on disk that belongs in an export bundle.
type Attachment struct {
	Name string // name in the bundle, under attachments/
	Path string // where the bytes are
}

// Registry is the list of kinds of personal data and of the tables that hold
// none. Build it with Default and extend it with Register.
type Registry struct {
	kinds       []Kind
	nonPersonal map[string]string
}

// NewRegistry returns an empty registry (tests); Default has the built-ins.
func NewRegistry() *Registry { return &Registry{nonPersonal: map[string]string{}} }

// Register adds a kind. A second kind with the same name, or a table already
// registered, is a programming error: it panics at start-up, not in a request.
func (r *Registry) Register(k Kind) {
	if k.Name == "" || len(k.Tables) == 0 || k.Description == "" {
		panic("privacy: a kind needs a name, tables and a description")
	}
	if k.About == AboutContacts && (k.Count == nil || k.Export == nil || k.Erase == nil) {
		panic(fmt.Sprintf("privacy: kind %s is about contacts but cannot count, export or erase", k.Name))
	}
	if k.Title == "" {
		k.Title = k.Name
	}
	for _, x := range r.kinds {
		if x.Name == k.Name {
			panic("privacy: kind registered twice: " + k.Name)
		}
	}
	r.kinds = append(r.kinds, k)
}

// NonPersonal records that table holds no personal data, and why.
func (r *Registry) NonPersonal(table, reason string) {
	if reason == "" {
		panic("privacy: say why " + table + " holds no personal data")
	}
	r.nonPersonal[table] = reason
}

// Kinds returns every registered kind, in registration order.
func (r *Registry) Kinds() []Kind { return slices.Clone(r.kinds) }

// Kind returns the kind called name.
func (r *Registry) Kind(name string) (Kind, bool) {
	for _, k := range r.kinds {
		if k.Name == name {
			return k, true
		}
	}
	return Kind{}, false
}

// ContactKinds returns the kinds found from a contact, in the order erasure
// runs them (the contact's own row last, so others can still read it).
func (r *Registry) ContactKinds() []Kind {
	var out []Kind
	for _, k := range r.kinds {
		if k.About == AboutContacts {
			out = append(out, k)
		}
	}
	return out
}

// NonPersonalTables returns the tables declared free of personal data, with
// the reason.
func (r *Registry) NonPersonalTables() map[string]string {
	out := make(map[string]string, len(r.nonPersonal))
	for t, why := range r.nonPersonal {
		out[t] = why
	}
	return out
}

// Unaccounted returns the tables in tables that are neither in a kind nor
// declared non-personal: the registry-completeness check.
func (r *Registry) Unaccounted(tables []string) []string {
	known := map[string]bool{}
	for _, k := range r.kinds {
		for _, t := range k.Tables {
			known[t] = true
		}
	}
	for t := range r.nonPersonal {
		known[t] = true
	}
	var out []string
	for _, t := range tables {
		if !known[t] {
			out = append(out, t)
		}
	}
	sort.Strings(out)
	return out
}

// ByContactColumn is the one-line registration of a table whose rows each
// belong to one contact through a column (deal_contacts.contact_id,
// consents.contact_id…): export them all, erase by deleting them.
//
//	reg.Register(privacy.ByContactColumn("deal_contacts", "Deal participants", "contact_id", "Which deals a person takes part in, and their role."))
func ByContactColumn(table, title, column, description string) Kind {
	where := ` FROM ` + table + ` WHERE workspace_id = ? AND ` + column + ` = ?`
	return Kind{
		Name: table, Title: title, Tables: []string{table}, About: AboutContacts, Description: description,
		Count: func(tx *store.Tx, s *Subject) (int, error) {
			return count(tx, `SELECT COUNT(*)`+where, s.WorkspaceID, s.ContactID)
		},
		Export: func(tx *store.Tx, s *Subject) ([]map[string]any, error) {
			return rowMaps(tx, `SELECT *`+where+` ORDER BY 1`, s.WorkspaceID, s.ContactID)
		},
		Erase: func(tx *store.Tx, s *Subject, _ *Env) (int, error) {
			n, err := tx.Exec(`DELETE`+where, s.WorkspaceID, s.ContactID)
			return int(n), err
		},
	}
}

// ByObject is the one-line registration of a table whose rows hang on a
// record through object_type and object_id (as notes and files do): the rows
// on the contact are exported and deleted.
//
//	reg.Register(privacy.ByObject("reminders", "Reminders", "Reminders set on a person."))
func ByObject(table, title, description string) Kind {
	k := ByContactColumn(table, title, "object_id", description)
	where := ` FROM ` + table + ` WHERE workspace_id = ? AND object_type = 'contact' AND object_id = ?`
	k.Count = func(tx *store.Tx, s *Subject) (int, error) {
		return count(tx, `SELECT COUNT(*)`+where, s.WorkspaceID, s.ContactID)
	}
	k.Export = func(tx *store.Tx, s *Subject) ([]map[string]any, error) {
		return rowMaps(tx, `SELECT *`+where+` ORDER BY 1`, s.WorkspaceID, s.ContactID)
	}
	k.Erase = func(tx *store.Tx, s *Subject, _ *Env) (int, error) {
		n, err := tx.Exec(`DELETE`+where, s.WorkspaceID, s.ContactID)
		return int(n), err
	}
	return k
}

// Staff registers data about the workspace's own users: listed in the
// inventory, managed with the accounts, not found from a contact.
func Staff(name, title, description string, tables ...string) Kind {
	return Kind{Name: name, Title: title, Tables: tables, About: AboutStaff, Description: description}
}

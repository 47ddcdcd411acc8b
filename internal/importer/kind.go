package importer

import (
	"fmt"
	"sort"

	"github.com/tandemcrm/tandem/internal/consent"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/search"
	"github.com/tandemcrm/tandem/internal/store"
)

// Kind is one kind of record that can be imported. The decoder, mapping,
// job table, checkpoints, counters, the per-line report and undo's
// bookkeeping are shared; a Kind brings its fields, how a row becomes a
// record, and how its rows are written in bulk. Contacts and companies are
// built; deals, products and activities plug in by adding a Kind to Kinds.
type Kind interface {
	Name() string   // plural, as in the CLI: "contacts"
	Object() string // the event stream's object type: "contact"
	Fields(d Defs) []FieldSpec
	DefaultDedupe() Dedupe
	// Adjust refines an automatic mapping (e.g. a lone "Mobile" column
	// becomes the phone); taken holds the fields already mapped.
	Adjust(t *Template, taken map[string]bool)
	// Start loads what resolving rows needs (keys of existing records,
	// companies, owners) for one run.
	Start(tx *store.Tx, r *Run) (Batch, error)
	// Undo removes the records import created and restores those it
	// updated (from before-images), returning how many of each, and how
	// many updated records were left alone because they changed since.
	Undo(tx *store.Tx, r *Run) (UndoResult, error)
	// Index lists the tables whose records the import creates, with how
	// their search documents are made; they are indexed after the last
	// row, in chunks of their own transactions.
	Index() []IndexTarget
}

// IndexTarget says how the records of one table get search documents:
// SQL expressions over a row of it under the given alias, the same as
// search.Reindex uses.
type IndexTarget struct {
	Table, Object string
	Title, Body   func(d store.Dialect, alias string) string
}

var (
	contactDocs = IndexTarget{"contacts", "contact", search.ContactTitle, search.ContactBody}
	companyDocs = IndexTarget{"companies", "company", search.CompanyTitle, search.CompanyBody}
)

// Index implements Kind: contacts and the companies they brought.
func (Contacts) Index() []IndexTarget { return []IndexTarget{companyDocs, contactDocs} }

// Index implements Kind.
func (Companies) Index() []IndexTarget { return []IndexTarget{companyDocs} }

// Batch turns rows into writes. Row only decides (and remembers); Flush
// writes what was decided since the last Flush, in the caller's
// transaction, together with the checkpoint.
type Batch interface {
	Row(line int, vals map[string]string) Outcome
	Flush(tx *store.Tx) error
	// Finish runs once, in the transaction that marks the import done:
	// set-based work over the records it updated (their search documents).
	Finish(tx *store.Tx) error
}

// detacher is implemented by batches whose decided writes can be taken out
// of them: Detach returns a batch whose Flush writes every row decided so
// far, and the receiver goes on deciding rows with nothing pending. The
// execution then decides the next rows on one core while the detached
// batch commits on the other (execute.go). Rows must not depend on what
// the database holds, only on the batch's memory: Row takes no
// transaction, and detached batches flush in the order they were taken.
type detacher interface {
	Detach() Batch
}

// Action is what a row did (or, in a dry run, would do).
type Action string

// Row outcomes.
const (
	Created Action = "created"
	Updated Action = "updated"
	Skipped Action = "skipped"
	Errored Action = "error"
	Warned  Action = "warning"
)

// Outcome is what happened to one row, and why.
type Outcome struct {
	Action  Action
	Field   string // the field at fault, if any
	Value   string
	Message string
	Notes   []Outcome // warnings about a row that was still used
}

func fail(field, value, msg string) Outcome {
	return Outcome{Action: Errored, Field: field, Value: value, Message: msg}
}

func skip(field, value, msg string) Outcome {
	return Outcome{Action: Skipped, Field: field, Value: value, Message: msg}
}

// UndoResult counts what an undo did.
type UndoResult struct {
	Removed, Restored, LeftAlone int
	// Consents counts consent entries taken back: purposes of surviving
	// contacts put back to their state before the import, and entries
	// deleted with the contacts the import created.
	Consents int
}

// Kinds lists the importable kinds by name.
var Kinds = map[string]Kind{
	"contacts":   contactKind{},
	"companies":  Companies{},
	"deals":      Deals{},
	"products":   Products{},
	"activities": Activities{},
}

// KindNamed returns the kind called name.
func KindNamed(name string) (Kind, error) {
	k, ok := Kinds[name]
	if !ok {
		var names []string
		for n := range Kinds {
			names = append(names, n)
		}
		sort.Strings(names)
		return nil, crm.Errorf(crm.Invalid, "Cannot import %q; choose one of: %v.", name, names)
	}
	return k, nil
}

// Defs is what a workspace defines that the mapping step can offer beside
// a kind's built-in fields: its custom fields and its consent purposes
// (only contacts use those). LoadDefs reads both; a zero Defs means none
// of the first and the default purposes.
type Defs struct {
	Custom   []records.FieldDef
	Purposes []consent.Purpose
}

// LoadDefs reads the workspace's live custom fields of kind's object and
// its consent purposes. Removing a purpose deletes it from the workspace's
// list (its ledger history stays), so a removed one is not offered.
func LoadDefs(tx *store.Tx, ws crm.ID, kind Kind) (Defs, error) {
	custom, err := records.ListFields(tx, ws, kind.Object(), false)
	if err != nil {
		return Defs{}, err
	}
	purposes, err := consent.Purposes(tx, ws)
	if err != nil {
		return Defs{}, err
	}
	return Defs{Custom: custom, Purposes: purposes}, nil
}

// customSpecs are the field specs of a workspace's live custom fields.
func customSpecs(defs []records.FieldDef) []FieldSpec {
	var out []FieldSpec
	for i := range defs {
		d := defs[i]
		if !d.RetiredAt.IsZero() {
			continue
		}
		out = append(out, FieldSpec{Key: "custom." + d.Key, Label: d.Label, Options: d.Options, Custom: &d,
			Synonyms: []string{norm(d.Key)}})
	}
	return out
}

func errf(format string, a ...any) error { return fmt.Errorf("importer: "+format, a...) }

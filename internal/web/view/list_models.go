package view

// ListView is a contacts or companies list: filter bar, saved views,
// chosen columns, one page of rows, paging and bulk actions.
type ListView struct {
	Object      string // contact, company
	Path        string // /contacts
	Nouns       string // contacts
	Filter      string
	FilterError string
	Builder     Builder
	Sort        string
	ColumnsKey  string // the columns param, "" for the defaults
	Columns     []ListColumn
	Choices     []ColumnChoice // the column picker
	Rows        []ListRow
	Total       string // "1,234 contacts", "1,000+ contacts"
	Page        int
	PrevURL     string
	NextURL     string
	FirstURL    string
	Self        string // this list's URL (for refresh after a change)
	Views       []ViewTab
	View        *ViewTab // the view in use, if any
	Dirty       bool     // the list differs from the view in use
	Bulk        BulkForm
	CanWrite    bool
	Form        any // the quick-add form: CompanyForm or ContactForm
}

// ListColumn is a shown column with its sort link.
type ListColumn struct {
	Key, Label string
	SortURL    string // "" when not sortable
	Dir        string // "asc", "desc" or "" when the list is not sorted by it
	Num        bool
}

// ColumnChoice is one checkbox of the column picker.
type ColumnChoice struct {
	Key, Label string
	On         bool
}

// ListRow is one record of a list.
type ListRow struct {
	Object string // contact, company: the row's DOM id is object-ID
	ID     string
	URL    string
	Cells  []Cell
	New    bool
}

// Cell is one value of a row.
type Cell struct {
	Text  string
	URL   string // a link, e.g. the record or its company
	Badge bool
	Num   bool
	Muted bool
	Tags  []string
}

// ViewTab is a saved view in the strip above a list.
type ViewTab struct {
	ID, Name, URL string
	Shared        bool
	Mine          bool // the user may update or delete it
	On            bool
}

// Builder is the filter builder: rows rebuilt from a simple filter, the
// fields it offers, and whether the filter is too complex for rows.
type Builder struct {
	Rows    []BuilderRow
	Fields  []BuilderField
	Complex bool
	OpsJSON string // operators by field type, for app.js
}

// BuilderRow is one condition: field, operator, value as typed.
type BuilderRow struct {
	Field, Op, Value string
	Type             string
	Ops              []string
	Values           []string // choices of an enum field
}

// BuilderField is a field the builder offers.
type BuilderField struct {
	Name, Label, Type, Group string
	ValuesJSON               string // enum choices, JSON array
}

// BulkForm is what the bulk action bar offers.
type BulkForm struct {
	Fields []BulkField
}

// BulkField is a field bulk edit can set.
type BulkField struct {
	Key, Label, Type string
	Options          []Option
}

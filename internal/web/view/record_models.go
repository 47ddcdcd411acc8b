package view

// RecordView is a contact's or company's page: its facts, each editable in
// place, and its timeline.
type RecordView struct {
	Object   string // contact, company
	ID       string
	Name     string
	Subtitle string
	Stamps   string // "Created Mar 3, 2026 by Ana · changed Nov 2, 2026 by Ben"
	Back     string // the list
	Facts    []Fact
	Timeline []TimelineEntry
	Actions  []Link
	Notes    []NoteRow
	Dups     []Link // possible duplicates (contacts), each linking to the merge screen
	Files    []FileRow
	Past     *PastPanel   // a contact's past companies
	People   *PeoplePanel // a company's current and former people

	Consent *ConsentPanel // contacts only
}

// PastPanel is the "Past companies" panel of a contact's page: the list, a
// remove button per row and a small form to add one.
type PastPanel struct {
	Base     string // the contact's URL: /contacts/123
	Rows     []PastCompanyRow
	ReadOnly bool
	Error    string // why an addition was refused
	Form     PastForm
}

// PastForm is what the add form held when it was refused.
type PastForm struct{ CompanyID, CompanyName, Title, StartedOn, EndedOn string }

// PastCompanyRow is one past company.
type PastCompanyRow struct {
	ID, Company, CompanyURL, Title, When string
}

// PeoplePanel is a company's people: those who work there now and those
// who used to.
type PeoplePanel struct {
	Current    []PersonRow
	CurrentAll string // the list of all of them, when there are more
	Former     []PersonRow
}

// PersonRow is a person on a company's page.
type PersonRow struct{ Name, URL, Detail string }

// FileRow is an attachment on a record page.
type FileRow struct {
	ID, Name, Size, When string
}

// NoteRow is a note on a record page; HTML was sanitised when the note was
// written (package notes).
type NoteRow struct {
	Author, When, HTML string
	Pinned             bool
}

// Link is a labelled URL.
type Link struct{ Label, URL string }

// Fact is one field of a record page, shown or being edited.
type Fact struct {
	OOB     bool   // sent beside another fact's answer, swapped in by its id
	Base    string // the record's URL: /contacts/123
	Key     string // "lifecycle", "custom.region"
	Label   string
	Text    string // as shown
	URL     string // when the value links somewhere (the company)
	Badge   bool
	Tags    []string
	Input   string        // text, email, number, date, datetime-local, select, textarea, company or contact (a picker), zone, address or links
	Value   string        // the value in the input
	Options []Option      // a select's choices; a zone's suggestions
	Groups  []OptionGroup // a select's options in groups, after Options
	Version string        // the record's version when editing began
	Editing bool
	Error   string // why the value was refused
	// Conflict says someone else changed the record since editing began;
	// Text then holds their value.
	Conflict string
	ReadOnly bool

	Lines []string // a value shown on several lines (an address)
	Note  string   // said after the value, quieter ("14:32 local")
	Links []Link   // web pages, shown as links that open in a new tab
	// Parts are the inputs of an editor of several parts (an address),
	// each with its own error.
	Parts []FactPart
	// LinkRows are the rows of the links editor: one per link, then an
	// empty one to add a link.
	LinkRows []LinkRow
}

// FactPart is one input of an editor of several parts.
type FactPart struct {
	Key, Label, Value, Error string
	Multiline                bool
}

// LinkRow is one link in the links editor. Was is the address the row
// had when the editor opened, so a label that was only the site's name
// follows a changed address.
type LinkRow struct {
	Label, URL, Was, Error string
	Focus                  bool // the row the editor starts in
}

// linkName names a row for screen readers: "LinkedIn", or its address.
func linkName(l LinkRow) string {
	switch {
	case l.Label != "":
		return l.Label
	case l.URL != "":
		return l.URL
	}
	return "the new link"
}

// OptionGroup is a labelled group of a select's options (<optgroup>).
type OptionGroup struct {
	Label   string
	Options []Option
}

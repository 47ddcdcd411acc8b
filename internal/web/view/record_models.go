package view

// RecordView is a contact's or company's page: its facts, each editable in
// place, and its timeline.
type RecordView struct {
	Object   string // contact, company
	ID       string
	Name     string
	Subtitle string
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
	Base    string // the record's URL: /contacts/123
	Key     string // "lifecycle", "custom.region"
	Label   string
	Text    string // as shown
	URL     string // when the value links somewhere (the company)
	Badge   bool
	Tags    []string
	Input   string // text, email, number, date, datetime-local, select, textarea, company or contact (a picker)
	Value   string // the value in the input
	Options []Option
	Groups  []OptionGroup // a select's options in groups, after Options
	Version string        // the record's version when editing began
	Editing bool
	Error   string // why the value was refused
	// Conflict says someone else changed the record since editing began;
	// Text then holds their value.
	Conflict string
	ReadOnly bool
}

// OptionGroup is a labelled group of a select's options (<optgroup>).
type OptionGroup struct {
	Label   string
	Options []Option
}

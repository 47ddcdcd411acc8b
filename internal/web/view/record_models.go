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
	Consent  *ConsentPanel // contacts only
}

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
	Input   string // text, email, number, date, datetime-local, select, textarea
	Value   string // the value in the input
	Options []Option
	Version string // the record's version when editing began
	Editing bool
	Error   string // why the value was refused
	// Conflict says someone else changed the record since editing began;
	// Text then holds their value.
	Conflict string
	ReadOnly bool
}

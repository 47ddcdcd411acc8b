package view

// BoardView is the pipeline board.
type BoardView struct {
	PipelineID string
	Pipelines  []Option // to pick another pipeline
	Filter     string
	FilterErr  string
	Views      []ViewTab // the saved deal views the user sees
	View       *ViewTab  // the one shown, nil for all open deals
	Dirty      bool      // the filter, sort or card fields differ from the view's
	Sort       string    // the cards' order in every column (canonical sort)
	SaveSort   string    // the sort a view saved from the board keeps
	Sorts      []Option  // the orders the sort menu offers, Sort among them
	SortNote   string    // why the asked sort is not the one shown; "" when it is
	Fields     string    // the card fields shown ("company,expected_close"), "" for the standard card
	FieldPicks []ColumnChoice
	Columns    []BoardColumn
	Reasons    []string // lost reasons; empty: free text
	CanEdit    bool
}

// BoardColumn is one stage on the board.
type BoardColumn struct {
	StageID     string
	Name        string
	Probability int
	Count       int
	Sum         string // "USD 12,500.00 + EUR 300.00"
	Weighted    string
	Cards       []DealCard
	MoreURL     string // next page of the column; "" on the last
}

// DealCard is a deal on the board.
type DealCard struct {
	ID, Title, Value, Company, Owner, OwnerInitials string
	Version                                         int64
	RottingDays                                     int
	SortKey                                         string // JSON: where the card sorts in its column (deals.CardKey)
	// Chosen: a view chose the card's fields, and Fields (those with a
	// value, in the view's order) replace the standard company and owner.
	Chosen bool
	Fields []CardField
	// Next is the next open activity: its type and when ("Call · Dec 3");
	// "" when the deal has none, which the board highlights.
	Next        string
	NextOverdue bool
}

// CardField is one field on a board card.
type CardField struct {
	Key, Label, Text string
	Tags             []string
	Num              bool
}

// DealPageView is a deal's page.
type DealPageView struct {
	ID, Title, Status, LostReason, Value, Weighted, Stage, Pipeline string
	Version                                                         int64
	Facts                                                           []Fact
	PipelineID                                                      string
	History                                                         []StageRow
	Timeline                                                        []TimelineEntry
	Stages                                                          []Option
	Reasons                                                         []string
	RottingDays                                                     int
	CanEdit                                                         bool
	Contacts                                                        DealContactsView
}

// DealContactsView is the deal page's Contacts panel: the primary contact,
// then the other contacts with their roles.
type DealContactsView struct {
	DealID   string
	Version  string // the deal's version the panel's forms were made at
	Primary  *DealContactRow
	Rows     []DealContactRow
	Editing  string // the contact whose role is being changed
	Form     DealContactForm
	Error    string // why adding was refused
	RowError string // why the role being changed was refused
	Conflict string // the deal changed meanwhile: say so above the list
	ReadOnly bool
	OOB      bool // sent out of band, beside another answer
}

// DealContactRow is one contact of a deal.
type DealContactRow struct {
	ID, Name, Role string
}

// DealContactForm is what the add form held (kept when it was refused).
type DealContactForm struct {
	ContactID, ContactName, Role string
}

// DealRoles are the roles the role boxes suggest; any text up to 60
// characters may be given.
var DealRoles = []string{"Decision maker", "Champion", "Economic buyer", "Technical buyer", "Influencer", "User", "Legal", "Procurement"}

// DealForm is the new-deal form (kept when it was refused).
type DealForm struct {
	Title, Value, Currency, PipelineID string
	ContactID, ContactName             string
	CompanyID, CompanyName             string
}

// StageRow is one stay in a stage on the deal page.
type StageRow struct {
	Stage, Entered, Left, Duration string
}

// DealListView is the deals list.
type DealListView struct {
	Filter, FilterErr, Sort string
	Rows                    []DealRow
	Next                    string // URL of the next page
	Total                   string
	Pipelines               []Option
	Form                    DealForm
	Errors                  Errors
}

// DealRow is one deal in a list or panel.
type DealRow struct {
	ID, Title, Value, Stage, Status, Company, Owner, Close string
	Rotting                                                bool
}

// PipelinesSettingsView is Settings → Pipelines.
type PipelinesSettingsView struct {
	Pipelines []PipelineEdit
	Reasons   []ReasonEdit
	CanEdit   bool
	Errors    Errors
}

// PipelineEdit is a pipeline on the settings page.
type PipelineEdit struct {
	ID, Name    string
	First, Last bool // first or last in the list (no ↑ or ↓)
	Stages      []StageEdit
	Others      []Option // stages of other pipelines (where deals go when it is deleted)
}

// StageEdit is a stage on the settings page.
type StageEdit struct {
	ID, Name             string
	Probability, RotDays int
	First, Last          bool
	MoveTargets          []Option // the pipeline's other stages
}

// ReasonEdit is a lost reason on the settings page.
type ReasonEdit struct{ ID, Name string }

// Initials are the one or two letters of a name shown in an avatar.
func Initials(name string) string { return initials(name) }

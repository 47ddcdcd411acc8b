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
	ID, Name string
	Stages   []StageEdit
	Others   []Option // stages of other pipelines (where deals go when it is deleted)
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

package ui

import (
	"cmp"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tandemcrm/tandem/internal/activities"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/deals"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/views"
	"github.com/tandemcrm/tandem/internal/web/view"
)

// notOnCards are deal columns a card never lists: every card shows its
// title and value, and on a board of open deals by stage the stage and the
// status say nothing.
var notOnCards = []string{"title", "value", "stage", "status"}

// cardFields are the fields a board's cards show (none: the standard
// card), the choices of the field picker, and the names of users, for
// owners and user fields.
type cardFields struct {
	cols  []views.Column
	picks []view.ColumnChoice
	who   names
}

// loadCardFields reads the deal columns a card may show and picks those
// keys names ("company,custom.region"), in that order; unknown ones (a
// retired custom field) are dropped.
func loadCardFields(tx *store.Tx, ws crm.ID, keys string) (cardFields, error) {
	var cf cardFields
	defs, err := records.ListFields(tx, ws, "deal", false)
	if err != nil {
		return cf, err
	}
	ms, err := views.Members(tx, ws)
	if err != nil {
		return cf, err
	}
	cf.who = memberNames(ms)
	var all []views.Column
	for _, c := range views.Columns("deal", defs) {
		if !slices.Contains(notOnCards, c.Key) {
			all = append(all, c)
		}
	}
	for _, k := range views.ParseColumns(keys) {
		i := slices.IndexFunc(all, func(c views.Column) bool { return c.Key == k })
		if i >= 0 && !slices.ContainsFunc(cf.cols, func(c views.Column) bool { return c.Key == k }) {
			cf.cols = append(cf.cols, all[i])
		}
	}
	// The shown fields first, in their order: the picker submits its boxes
	// in page order, so the board keeps the view's order (and does not
	// differ from the view) when its form is sent again.
	for _, c := range cf.cols {
		cf.picks = append(cf.picks, view.ColumnChoice{Key: c.Key, Label: c.Label, On: true})
	}
	for _, c := range all {
		if !slices.ContainsFunc(cf.cols, func(x views.Column) bool { return x.Key == c.Key }) {
			cf.picks = append(cf.picks, view.ColumnChoice{Key: c.Key, Label: c.Label})
		}
	}
	return cf, nil
}

// key is the fields shown, as the board's URL and a saved view name them.
func (cf cardFields) key() string {
	keys := make([]string, len(cf.cols))
	for i, c := range cf.cols {
		keys[i] = c.Key
	}
	return strings.Join(keys, ",")
}

// cards turns deals into board cards, each with its next open activity
// (only its type and when: the activity itself may belong to someone whose
// work the viewer does not see), the chosen fields and its place in the
// column's order (sort).
func cards(tx *store.Tx, p crm.Principal, ds []deals.Deal, cf cardFields, sort string) ([]view.DealCard, error) {
	ids := make([]crm.ID, len(ds))
	for i, d := range ds {
		ids[i] = d.ID
	}
	next, err := activities.NextDue(tx, p.WorkspaceID, ids)
	if err != nil {
		return nil, err
	}
	loc, err := activities.Zone(tx, p)
	if err != nil {
		return nil, err
	}
	var out []view.DealCard
	for _, d := range ds {
		owner := cf.who[d.OwnerID]
		c := view.DealCard{ID: d.ID.String(), Title: d.Title, Value: crm.FormatMoney(d.Value, d.Currency),
			Company: d.CompanyName, Owner: owner, OwnerInitials: view.Initials(owner),
			Version: d.Version, RottingDays: d.RottingDays(tx.Now), Chosen: len(cf.cols) > 0, SortKey: cardKey(d, sort)}
		for _, col := range cf.cols {
			if f := cardField(d, col, cf.who, tx.Now, loc); f.Text != "" || len(f.Tags) > 0 {
				c.Fields = append(c.Fields, f)
			}
		}
		if a, ok := next[d.ID]; ok {
			c.Next = activityLabel(a.Type)
			if !a.At.IsZero() {
				c.Next += " · " + a.At.In(loc).Format("Jan 2")
				c.NextOverdue = a.At.Before(tx.Now)
			}
		}
		out = append(out, c)
	}
	return out, nil
}

// cardField is one chosen field of d as a card shows it; empty when d has
// no value for it (a card leaves it out rather than show a dash).
func cardField(d deals.Deal, col views.Column, who names, now time.Time, loc *time.Location) view.CardField {
	f := view.CardField{Key: col.Key, Label: col.Label, Num: col.Number}
	switch col.Key {
	case "company":
		f.Text = d.CompanyName
	case "contact":
		f.Text = d.ContactName
	case "owner":
		f.Text = who[d.OwnerID]
	case "expected_close":
		f.Text = d.ExpectedClose
		if t, err := time.Parse(time.DateOnly, d.ExpectedClose); err == nil {
			f.Text = t.Format("Jan 2, 2006")
		}
	case "source":
		f.Text = d.Source
	case "priority":
		f.Text = d.Priority
	case "tags":
		f.Tags = d.Tags
	case "stage_entered_at":
		f.Text = stageAge(d.StageEnteredAt, now)
	case "created_at":
		f.Text = d.CreatedAt.In(loc).Format("Jan 2, 2006")
	case "updated_at":
		f.Text = d.UpdatedAt.In(loc).Format("Jan 2, 2006")
	default:
		if col.Field != nil {
			f.Text = customText(*col.Field, d.Custom[col.Field.Key], who)
		}
	}
	return f
}

// stageAge is how long a deal has been in its stage: "today", "1 day",
// "12 days".
func stageAge(entered, now time.Time) string {
	switch days := int(now.Sub(entered).Hours() / 24); days {
	case 0:
		return "today"
	case 1:
		return "1 day"
	default:
		return strconv.Itoa(days) + " days"
	}
}

// boardSorts are the orders the board's sort menu offers, the board's own
// first.
var boardSorts = []view.Option{
	{Value: deals.BoardSort, Label: "Latest in stage"},
	{Value: "stage_entered_at", Label: "Longest in stage"},
	{Value: "-value", Label: "Highest value"},
	{Value: "value", Label: "Lowest value"},
	{Value: "expected_close", Label: "Earliest close"},
	{Value: "-expected_close", Label: "Latest close"},
	{Value: "title", Label: "Title A–Z"},
	{Value: "-created_at", Label: "Newest deals"},
	{Value: "created_at", Label: "Oldest deals"},
	{Value: "-updated_at", Label: "Recently changed"},
}

// sortOptions is the sort menu for a board in order (canonical): the
// usual orders, and the one shown when a view asked for another.
func sortOptions(order string) []view.Option {
	if slices.ContainsFunc(boardSorts, func(o view.Option) bool { return o.Value == order }) {
		return boardSorts
	}
	return append(slices.Clone(boardSorts), view.Option{Value: order, Label: sortLabel(order)})
}

// sortKeyLabels name the sort keys in a sort the menu has no words for.
var sortKeyLabels = map[string]string{"value": "Value", "expected_close": "Close date", "title": "Title",
	"created_at": "Added", "updated_at": "Changed", "stage_entered_at": "Entered stage"}

// sortLabel describes any board order: "Close date ↑, Value ↓".
func sortLabel(order string) string {
	var parts []string
	for _, k := range strings.Split(order, ",") {
		arrow := " ↑"
		if strings.HasPrefix(k, "-") {
			arrow = " ↓"
		}
		k = strings.TrimPrefix(k, "-")
		parts = append(parts, cmp.Or(sortKeyLabels[k], k)+arrow)
	}
	return strings.Join(parts, ", ")
}

// cardKey is deals.CardKey as the board's cards carry it (data-sort-key).
func cardKey(d deals.Deal, sort string) string {
	b, _ := json.Marshal(deals.CardKey(d, sort))
	return string(b)
}

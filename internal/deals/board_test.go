package deals_test

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/deals"
	"github.com/tandemcrm/tandem/internal/store"
)

// boardSortFixture puts seven open deals in Proposal — values and close
// dates that tie, so a page boundary falls inside a run of equal keys —
// and, to be left out, one in another stage and one won.
func boardSortFixture(t *testing.T, db *store.DB, c *clock) (*fixture, deals.Stage, []deals.Deal) {
	f := newFixture(t, db, crm.RoleMember)
	prop := f.stage("Proposal")
	var ds []deals.Deal
	for _, in := range []deals.NewDeal{
		{Title: "Delta", Value: 500, ExpectedClose: "2027-03-01"},
		{Title: "Alpha", Value: 300, ExpectedClose: ""},
		{Title: "Echo", Value: 500, ExpectedClose: "2027-01-15"},
		{Title: "Bravo", Value: 100, ExpectedClose: "2027-03-01"},
		{Title: "Golf", Value: 500, ExpectedClose: "2027-03-01"},
		{Title: "Charlie", Value: 300, ExpectedClose: "2026-12-24"},
		{Title: "Foxtrot", Value: 900, ExpectedClose: ""},
	} {
		in.StageID = prop.ID
		ds = append(ds, f.deal(in))
		c.add(time.Minute)
	}
	f.deal(deals.NewDeal{Title: "Elsewhere", Value: 5000, StageID: f.stage("Lead in").ID})
	won := f.deal(deals.NewDeal{Title: "Won", Value: 7000, StageID: prop.ID})
	f.write(func(tx *store.Tx) error { _, err := deals.Win(tx, f.p, won.ID, 0); return err })
	return f, prop, ds
}

// column reads a column's first page from the board, then follows its
// cursor page by page; it returns the titles in order.
func (f *fixture) column(stage crm.ID, sort string, per int) (titles []string, boardSort string) {
	f.t.Helper()
	f.read(func(tx *store.Tx) error {
		b, err := deals.LoadBoard(tx, f.p, deals.BoardQuery{Sort: sort, PerColumn: per})
		if err != nil {
			return err
		}
		boardSort = b.Sort
		i := slices.IndexFunc(b.Columns, func(c deals.Column) bool { return c.Stage.ID == stage })
		items, next := b.Columns[i].Deals, b.Columns[i].Next
		for {
			if len(items) > per {
				f.t.Fatalf("%s: a page of %d cards", sort, len(items))
			}
			for _, d := range items {
				titles = append(titles, d.Title)
			}
			if next == "" {
				return nil
			}
			page, err := deals.ColumnPage(tx, f.p, deals.ColumnQuery{Stage: stage, Sort: sort, Cursor: next, Limit: per})
			if err != nil {
				return err
			}
			items, next = page.Items, page.Next
		}
	})
	return titles, boardSort
}

func titlesOf(ds []deals.Deal) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.Title)
	}
	return out
}

// TestBoardColumnSorts: a view's sort orders each column's cards, and
// paging a column two cards at a time — across runs of equal values —
// yields every card once, in that order, ties broken by id.
func TestBoardColumnSorts(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB, c *clock) {
		f, prop, ds := boardSortFixture(t, db, c)
		byID := func(desc bool) func(a, b deals.Deal) int {
			return func(a, b deals.Deal) int {
				if desc {
					return cmp.Compare(b.ID, a.ID)
				}
				return cmp.Compare(a.ID, b.ID)
			}
		}
		then := func(first func(a, b deals.Deal) int, desc bool) func(a, b deals.Deal) int {
			return func(a, b deals.Deal) int { return cmp.Or(first(a, b), byID(desc)(a, b)) }
		}
		cases := []struct {
			sort, canon string
			order       func(a, b deals.Deal) int
		}{
			{"-value", "-value", then(func(a, b deals.Deal) int { return cmp.Compare(b.Value, a.Value) }, true)},
			{"value", "value", then(func(a, b deals.Deal) int { return cmp.Compare(a.Value, b.Value) }, false)},
			// Earliest close first: the deals without a date after the dated.
			{"expected_close", "expected_close", then(func(a, b deals.Deal) int {
				undated := func(d deals.Deal) int {
					if d.ExpectedClose == "" {
						return 1
					}
					return 0
				}
				return cmp.Or(cmp.Compare(undated(a), undated(b)), cmp.Compare(a.ExpectedClose, b.ExpectedClose))
			}, false)},
			{"-expected_close, title", "-expected_close,title", then(func(a, b deals.Deal) int {
				return cmp.Or(cmp.Compare(b.ExpectedClose, a.ExpectedClose), cmp.Compare(a.Title, b.Title))
			}, false)},
			{"title", "title", then(func(a, b deals.Deal) int { return cmp.Compare(a.Title, b.Title) }, false)},
			{"created_at", "created_at", then(func(a, b deals.Deal) int { return a.CreatedAt.Compare(b.CreatedAt) }, false)},
			{"-updated_at", "-updated_at", then(func(a, b deals.Deal) int { return b.UpdatedAt.Compare(a.UpdatedAt) }, true)},
			{"", deals.BoardSort, then(func(a, b deals.Deal) int { return b.StageEnteredAt.Compare(a.StageEnteredAt) }, true)},
		}
		if got, _ := f.column(prop.ID, "expected_close", 2); got[len(got)-1] != "Foxtrot" || got[len(got)-2] != "Alpha" {
			t.Fatalf("earliest close first ends %v, want the undated Alpha and Foxtrot", got)
		}
		for _, tc := range cases {
			want := titlesOf(slices.SortedStableFunc(slices.Values(ds), tc.order))
			for _, per := range []int{2, 3, 50} {
				got, canon := f.column(prop.ID, tc.sort, per)
				if canon != tc.canon || !slices.Equal(got, want) {
					t.Errorf("sort %q, %d a page (%s):\n got %v\nwant %v", tc.sort, per, canon, got, want)
				}
			}
			// The board places a moved card by CardKey, compared as
			// board.js does: the same order as the column's query.
			byKey := titlesOf(slices.SortedFunc(slices.Values(ds), func(a, b deals.Deal) int {
				ka, kb := cardKey(t, a, tc.sort), cardKey(t, b, tc.sort)
				switch {
				case sortsBefore(ka, kb):
					return -1
				case sortsBefore(kb, ka):
					return 1
				}
				return 0
			}))
			if !slices.Equal(byKey, want) {
				t.Errorf("sort %q by CardKey:\n got %v\nwant %v", tc.sort, byKey, want)
			}
		}
	})
}

// TestBoardSortFallsBack: a sort the board cannot use — unknown, or
// status (every card is open) — shows the board's own order instead of
// failing, and says so; a cursor only fits the sort it was made under.
func TestBoardSortFallsBack(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB, c *clock) {
		f, prop, ds := boardSortFixture(t, db, c)
		slices.Reverse(ds) // latest in the stage first
		want := titlesOf(ds)
		for _, sort := range []string{"nonsense", "status", "-value,value", "owner_id", "-"} {
			got, canon := f.column(prop.ID, sort, 3)
			if canon != deals.BoardSort || !slices.Equal(got, want) {
				t.Errorf("sort %q: %s %v, want the board's order %v", sort, canon, got, want)
			}
		}
		for sort, want := range map[string]string{" -value ": "-value", "+title": "title", "": deals.BoardSort, "status,-value": "", "-": ""} {
			order, ok := deals.BoardOrder(sort)
			if ok != (want != "") || (ok && order != want) || (!ok && order != deals.BoardSort) {
				t.Errorf("BoardOrder(%q) = %q, %v; want %q", sort, order, ok, want)
			}
		}
		var next string
		f.read(func(tx *store.Tx) error {
			b, err := deals.LoadBoard(tx, f.p, deals.BoardQuery{Sort: "-value", PerColumn: 2})
			next = b.Columns[2].Next
			return err
		})
		f.read(func(tx *store.Tx) error {
			_, err := deals.ColumnPage(tx, f.p, deals.ColumnQuery{Stage: prop.ID, Sort: "title", Cursor: next, Limit: 2})
			if crm.ErrorCode(err) != crm.Invalid {
				t.Errorf("a -value cursor under title: %v", err)
			}
			page, err := deals.ColumnPage(tx, f.p, deals.ColumnQuery{Stage: prop.ID, Sort: "-value", Cursor: next, Limit: 2})
			if err != nil || len(page.Items) != 2 || page.Items[0].Title != "Echo" || page.Items[1].Title != "Delta" {
				t.Errorf("page 2 under -value: %v %v", titlesOf(page.Items), err)
			}
			return nil
		})
	})
}

// cardKey is deals.CardKey as board.js reads it (JSON: numbers as floats).
func cardKey(t *testing.T, d deals.Deal, sort string) [][2]any {
	b, err := json.Marshal(deals.CardKey(d, sort))
	if err != nil {
		t.Fatal(err)
	}
	var k [][2]any
	if err := json.Unmarshal(b, &k); err != nil {
		t.Fatal(err)
	}
	return k
}

// sortsBefore is board.js's comparison of two card keys.
func sortsBefore(a, b [][2]any) bool {
	for i := 0; i < len(a) && i < len(b); i++ {
		x, y := a[i][0], b[i][0]
		if x == y {
			continue
		}
		var lt bool
		fx, xnum := x.(float64)
		fy, ynum := y.(float64)
		if xnum && ynum {
			lt = fx < fy
		} else {
			lt = fmt.Sprint(x) < fmt.Sprint(y)
		}
		return lt != a[i][1].(bool)
	}
	return false
}

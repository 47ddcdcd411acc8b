package ui

import (
	"strconv"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/views"
	"github.com/tandemcrm/tandem/internal/web/view"
)

// listPage is one page of rows with its paging facts.
type listPage struct {
	next  string
	total string // "1234", "1000+", or "" on later pages without a carried count
}

// queryPage runs the list's query. A bad cursor or sort starts over without
// it; a bad filter shows its message and no rows.
func queryPage(tx *store.Tx, p crm.Principal, object string, st listState, cols []views.Column, who names, v *view.ListView) (listPage, listState, error) {
	for range 3 {
		pg, err := runQuery(tx, p, object, st, cols, who, v)
		fields := crm.ErrorFields(err)
		switch {
		case err == nil:
			return pg, st, nil
		case crm.ErrorCode(err) != crm.Invalid:
			return pg, st, err
		case fields["cursor"] != "":
			st = st.first()
		case fields["sort"] != "":
			st.Sort = ""
		case fields["filter"] != "":
			v.FilterError = fields["filter"]
			return listPage{}, st, nil
		default:
			return pg, st, err
		}
	}
	return listPage{}, st, nil
}

func runQuery(tx *store.Tx, p crm.Principal, object string, st listState, cols []views.Column, who names, v *view.ListView) (listPage, error) {
	q := records.ListQuery{Filter: st.Filter, Sort: st.Sort, Cursor: st.Cursor, Limit: pageSize}
	var out listPage
	v.Rows = nil
	var total int
	var exact bool
	if object == "contact" {
		page, err := records.QueryContacts(tx, p, q)
		if err != nil {
			return out, err
		}
		for _, c := range page.Items {
			v.Rows = append(v.Rows, contactCells(c, cols, who))
		}
		out.next, total, exact = page.Next, page.Total, page.TotalExact
	} else {
		page, err := records.QueryCompanies(tx, p, q)
		if err != nil {
			return out, err
		}
		for _, c := range page.Items {
			v.Rows = append(v.Rows, companyCells(c, cols, who))
		}
		out.next, total, exact = page.Next, page.Total, page.TotalExact
	}
	out.total = st.Total
	if st.Cursor == "" {
		out.total = strconv.Itoa(total)
		if !exact {
			out.total += "+"
		}
	}
	return out, nil
}

// bulkFields are the fields bulk edit can set.
func bulkFields(object string, defs []records.FieldDef, members []views.Member) view.BulkForm {
	var owners []view.Option
	for _, m := range members {
		owners = append(owners, view.Option{Value: m.ID.String(), Label: m.Name})
	}
	f := []view.BulkField{{Key: "owner", Label: "Owner", Options: owners}}
	if object == "contact" {
		var lc []view.Option
		for _, l := range records.Lifecycles {
			lc = append(lc, view.Option{Value: l, Label: l})
		}
		f = append(f, view.BulkField{Key: "lifecycle", Label: "Lifecycle", Options: lc})
	} else {
		f = append(f, view.BulkField{Key: "industry", Label: "Industry"})
	}
	// Where a group of records is: a city or a country at once (an empty
	// value clears it); people's time zone likewise.
	f = append(f, view.BulkField{Key: "city", Label: "City"}, view.BulkField{Key: "country", Label: "Country"})
	if object == "contact" {
		f = append(f, view.BulkField{Key: "time_zone", Label: "Time zone"})
	}
	for _, d := range defs {
		if !bulkSettable(d.Type) {
			continue
		}
		bf := view.BulkField{Key: "custom." + d.Key, Label: d.Label, Type: string(d.Type)}
		if d.Type == records.FieldSelect {
			bf.Options = append(bf.Options, view.Option{Value: "", Label: "(none)"})
			for _, o := range d.Options {
				bf.Options = append(bf.Options, view.Option{Value: o, Label: o})
			}
		}
		if d.Type == records.FieldBoolean {
			bf.Options = []view.Option{{Value: "true", Label: "Yes"}, {Value: "false", Label: "No"}, {Value: "", Label: "(none)"}}
		}
		f = append(f, bf)
	}
	return view.BulkForm{Fields: f}
}

func bulkSettable(t records.FieldType) bool {
	return t != records.FieldMultiSelect && t != records.FieldUser && t != records.FieldDateTime
}

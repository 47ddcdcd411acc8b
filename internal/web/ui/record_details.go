package ui

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/web/view"
)

// The facts of a record page that are more than one plain value: a postal
// address (edited part by part in one small form), a contact's time zone
// with the time it is there now, and a contact's links (website, social
// profiles), each with its own editor.

var addressLabels = map[string]string{"street": "Street", "city": "City", "state": "State / region",
	"postal_code": "Postal code", "country": "Country"}

func addressFact(a records.Address) view.Fact {
	lines := a.Lines()
	f := view.Fact{Key: "address", Label: "Address", Lines: lines, Text: strings.Join(lines, ", "), Input: "address"}
	for _, k := range records.AddressFields {
		f.Parts = append(f.Parts, view.FactPart{Key: k, Label: addressLabels[k], Value: *a.Part(k), Multiline: k == "street"})
	}
	return f
}

// zoneFact is a contact's time zone and the time it is there as the page
// is made ("14:32 local"), with the weekday when the day is not the
// viewer's: the thing to know before calling.
func zoneFact(tz string, now time.Time, viewer *time.Location) view.Fact {
	f := view.Fact{Key: "time_zone", Label: "Time zone", Text: tz, Value: tz, Input: "zone"}
	for _, z := range zoneChoices(tz) {
		f.Options = append(f.Options, view.Option{Value: z, Label: z})
	}
	if tz == "" {
		return f
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return f
	}
	there := now.In(loc)
	f.Note = there.Format("15:04") + " local"
	if viewer != nil && there.Format("2006-01-02") != now.In(viewer).Format("2006-01-02") {
		f.Note = there.Format("Mon 15:04") + " local"
	}
	return f
}

// zoneChoices are the zones the editor suggests: the common ones, and the
// contact's own when it is not among them.
func zoneChoices(tz string) []string {
	if tz == "" || slices.Contains(commonZones, tz) {
		return commonZones
	}
	return append([]string{tz}, commonZones...)
}

// guessZone reads a typed zone: an IANA name as it is, or a common zone's
// city ("berlin", "new york") as that zone. Anything else goes to records
// as typed, to be refused there with its message.
func guessZone(v string) string {
	v = strings.TrimSpace(v)
	if v == "" {
		return v
	}
	if _, err := time.LoadLocation(v); err == nil {
		return v
	}
	want := strings.ReplaceAll(strings.ToLower(v), " ", "_")
	for _, z := range commonZones {
		lz := strings.ToLower(z)
		if lz == want || strings.HasSuffix(lz, "/"+want) {
			return z
		}
	}
	return v
}

func linksFact(ls []records.Link) view.Fact {
	f := view.Fact{Key: "links", Label: "Links", Input: "links"}
	var labels []string
	for _, l := range ls {
		f.Links = append(f.Links, view.Link{Label: l.Label, URL: l.URL})
		f.LinkRows = append(f.LinkRows, view.LinkRow{Label: l.Label, URL: l.URL, Was: l.URL})
		labels = append(labels, l.Label)
	}
	f.Text = strings.Join(labels, ", ")
	f.LinkRows = withBlankRow(f.LinkRows)
	return f
}

// withBlankRow ends the links editor with an empty row to add one, and
// starts it in the first row with an error, else in that empty row.
func withBlankRow(rows []view.LinkRow) []view.LinkRow {
	if n := len(rows); n == 0 || rows[n-1].URL != "" || rows[n-1].Was != "" {
		rows = append(rows, view.LinkRow{})
	}
	focus := len(rows) - 1
	for i, r := range rows {
		rows[i].Focus = false
		if r.Error != "" && focus == len(rows)-1 {
			focus = i
		}
	}
	rows[focus].Focus = true
	return rows
}

// readParts reads the editors of several values into c: the address's
// parts, or the link rows (less the one whose remove button was pressed).
func readParts(r *http.Request, c *bulkChange) {
	switch c.field {
	case "address":
		for _, k := range records.AddressFields {
			if vs, ok := r.PostForm[k]; ok && len(vs) > 0 {
				v := vs[0] // the street keeps its line breaks; records tidies
				*c.address.Part(k) = &v
			}
		}
	case "links":
		urls, labels, was := r.PostForm["link_url"], r.PostForm["link_label"], r.PostForm["link_was"]
		remove, err := strconv.Atoi(form(r, "remove"))
		if err != nil {
			remove = -1
		}
		c.removed = remove >= 0 && remove < len(urls)
		for i, u := range urls {
			if i == remove {
				continue
			}
			row := view.LinkRow{URL: strings.TrimSpace(u)}
			if i < len(labels) {
				row.Label = strings.TrimSpace(labels[i])
			}
			if i < len(was) {
				row.Was = strings.TrimSpace(was[i])
			}
			c.links = append(c.links, row)
		}
	}
}

// linksOf are the links the rows hold, and for each the row it came from
// (records names a refused link by its place in the list). Empty rows
// are no link. A label that was only the old address's site name ("X")
// is dropped when the address changes, so the new one is named afresh.
func linksOf(rows []view.LinkRow) ([]records.Link, []int) {
	ls, at := []records.Link{}, []int{}
	for i, row := range rows {
		if row.URL == "" {
			continue
		}
		l := records.Link{Label: row.Label, URL: row.URL}
		if row.Was != "" && row.URL != row.Was {
			if old, ok := records.NormalizeLink(records.Link{URL: row.Was}); ok && old.Label == row.Label {
				l.Label = ""
			}
		}
		ls, at = append(ls, l), append(at, i)
	}
	return ls, at
}

// refill puts what was typed back into an editor of several values that
// was refused, with each message beside its box; msgs left over (not
// about a part) stay in f.Error.
func refill(f *view.Fact, c bulkChange, msgs map[string]string) {
	switch c.field {
	case "address":
		f.Error = ""
		for i := range f.Parts {
			p := &f.Parts[i]
			if v := *c.address.Part(p.Key); v != nil {
				p.Value = *v
			}
			p.Error = msgs[p.Key]
		}
		for k, m := range msgs {
			if addressLabels[k] == "" {
				f.Error = m
			}
		}
	case "links":
		rows := slices.Clone(c.links)
		_, at := linksOf(rows)
		f.Error = msgs["links"]
		for k, m := range msgs {
			n, err := strconv.Atoi(strings.TrimPrefix(k, "links."))
			switch {
			case strings.HasPrefix(k, "links.") && err == nil && n >= 0 && n < len(at):
				rows[at[n]].Error = m
			case k != "links":
				f.Error = m
			}
		}
		f.LinkRows = withBlankRow(rows)
	}
}

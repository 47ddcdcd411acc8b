package ui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/views"
	"github.com/tandemcrm/tandem/internal/web/view"
)

// names maps user ids to names, for owner and user-field cells.
type names map[crm.ID]string

func memberNames(ms []views.Member) names {
	n := names{}
	for _, m := range ms {
		n[m.ID] = m.Name
	}
	return n
}

func contactCells(c records.Contact, cols []views.Column, who names) view.ListRow {
	row := view.ListRow{Object: "contact", ID: c.ID.String(), URL: "/contacts/" + c.ID.String()}
	for _, col := range cols {
		var cell view.Cell
		switch col.Key {
		case "name":
			cell = view.Cell{Text: c.Name(), URL: row.URL}
		case "email":
			cell.Text = c.Email
		case "phone":
			cell.Text = c.Phone
		case "title":
			cell.Text = c.Title
		case "company":
			cell.Text = c.CompanyName
			if c.CompanyID != 0 {
				cell.URL = "/companies/" + c.CompanyID.String()
			}
		case "lifecycle":
			cell = view.Cell{Text: c.Lifecycle, Badge: true}
		case "owner":
			cell.Text = who[c.OwnerID]
		case "source":
			cell.Text = c.Source
		case "time_zone":
			cell.Text = c.TimeZone
		case "street", "city", "state", "postal_code", "country":
			cell.Text = addressCell(c.Address, col.Key)
		case "tags":
			cell.Tags = c.Tags
		case "created_at":
			cell = view.Cell{Text: day(c.CreatedAt), Muted: true}
		case "updated_at":
			cell = view.Cell{Text: day(c.UpdatedAt), Muted: true}
		default:
			cell = customCell(col, c.Custom, who)
		}
		row.Cells = append(row.Cells, cell)
	}
	return row
}

func companyCells(c records.Company, cols []views.Column, who names) view.ListRow {
	row := view.ListRow{Object: "company", ID: c.ID.String(), URL: "/companies/" + c.ID.String()}
	for _, col := range cols {
		var cell view.Cell
		switch col.Key {
		case "name":
			cell = view.Cell{Text: c.Name, URL: row.URL}
		case "domain":
			cell.Text = c.Domain
		case "industry":
			cell.Text = c.Industry
		case "size":
			cell.Num = true
			if c.Size > 0 {
				cell.Text = strconv.Itoa(c.Size)
			}
		case "phone":
			cell.Text = c.Phone
		case "street", "city", "state", "postal_code", "country":
			cell.Text = addressCell(c.Address, col.Key)
		case "owner":
			cell.Text = who[c.OwnerID]
		case "tags":
			cell.Tags = c.Tags
		case "created_at":
			cell = view.Cell{Text: day(c.CreatedAt), Muted: true}
		case "updated_at":
			cell = view.Cell{Text: day(c.UpdatedAt), Muted: true}
		default:
			cell = customCell(col, c.Custom, who)
		}
		row.Cells = append(row.Cells, cell)
	}
	return row
}

// addressCell is one part of an address in a list cell; a street of
// several lines is written on one.
func addressCell(a records.Address, key string) string {
	return strings.ReplaceAll(*a.Part(key), "\n", ", ")
}

func day(t time.Time) string { return t.Format("Jan 2, 2006") }

// customCell shows a stored custom value.
func customCell(col views.Column, custom map[string]any, who names) view.Cell {
	if col.Field == nil {
		return view.Cell{}
	}
	return view.Cell{Text: customText(*col.Field, custom[col.Field.Key], who), Num: col.Number}
}

// customText is a stored custom value as people read it.
func customText(d records.FieldDef, v any, who names) string {
	if v == nil {
		return ""
	}
	switch d.Type {
	case records.FieldBoolean:
		if b, _ := v.(bool); b {
			return "Yes"
		}
		return "No"
	case records.FieldCurrency:
		if f, ok := v.(float64); ok {
			return fmt.Sprintf("%.2f", f/100)
		}
	case records.FieldNumber:
		if f, ok := v.(float64); ok {
			return strconv.FormatFloat(f, 'f', -1, 64)
		}
	case records.FieldDateTime:
		if f, ok := v.(float64); ok {
			return time.UnixMicro(int64(f)).UTC().Format("Jan 2, 2006 15:04")
		}
	case records.FieldUser:
		if f, ok := v.(float64); ok {
			if n := who[crm.ID(int64(f))]; n != "" {
				return n
			}
			return strconv.FormatInt(int64(f), 10)
		}
	case records.FieldMultiSelect:
		if l, ok := v.([]any); ok {
			parts := make([]string, 0, len(l))
			for _, x := range l {
				parts = append(parts, fmt.Sprint(x))
			}
			return strings.Join(parts, ", ")
		}
	}
	return fmt.Sprint(v)
}

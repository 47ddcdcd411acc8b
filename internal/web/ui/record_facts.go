package ui

import (
	"strconv"
	"strings"
	"time"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/views"
	"github.com/tandemcrm/tandem/internal/web/view"
)

// recordCtx is what building a record's facts needs besides the record.
type recordCtx struct {
	defs     []records.FieldDef
	members  []views.Member
	readOnly bool
	now      time.Time      // when the page is made, for a contact's local time
	viewer   *time.Location // the viewer's zone (nil: not needed)
}

func (rc recordCtx) ownerOptions() []view.Option {
	out := []view.Option{}
	for _, m := range rc.members {
		out = append(out, view.Option{Value: m.ID.String(), Label: m.Name})
	}
	return out
}

func textFact(key, label, value, input string) view.Fact {
	return view.Fact{Key: key, Label: label, Text: value, Value: value, Input: input}
}

// labelledFact shows emails or phone numbers ([value, label] pairs) with
// their labels ("+44 7700 900001 (mobile)"): the primary alone ("email",
// "phone"), edited bare (its label is kept when it changes), or the others
// as a list ("emails", "phones"), edited as one text in the same form.
func labelledFact(key, label string, list [][2]string, input string) view.Fact {
	var parts []string
	for _, x := range list {
		parts = append(parts, records.WithLabel(x[0], x[1]))
	}
	if key == "emails" || key == "phones" {
		return view.Fact{Key: key, Label: label, Tags: parts, Value: strings.Join(parts, ", "), Input: input}
	}
	f := textFact(key, label, strings.Join(parts, ""), input)
	if len(list) > 0 {
		f.Value = list[0][0]
	}
	return f
}

// contactPairs are a contact's emails and phones as [value, label] pairs,
// the primary first. A contact written by a bulk load may carry only the
// primary columns: then they are the list.
func contactPairs(c records.Contact) (emails, phones [][2]string) {
	for _, e := range c.Emails {
		emails = append(emails, [2]string{e.Email, e.Label})
	}
	for _, p := range c.Phones {
		phones = append(phones, [2]string{p.Phone, p.Label})
	}
	if len(emails) == 0 && c.Email != "" {
		emails = [][2]string{{c.Email, ""}}
	}
	if len(phones) == 0 && c.Phone != "" {
		phones = [][2]string{{c.Phone, ""}}
	}
	return emails, phones
}

func contactFacts(c records.Contact, rc recordCtx) []view.Fact {
	who := memberNames(rc.members)
	lc := []view.Option{}
	for _, l := range records.Lifecycles {
		lc = append(lc, view.Option{Value: l, Label: l})
	}
	company := view.Fact{Key: "company", Label: "Company", Text: c.CompanyName, Input: "company", Value: companyValue(c.CompanyID)}
	if c.CompanyID != 0 {
		company.URL = "/companies/" + c.CompanyID.String()
	}
	emails, phones := contactPairs(c)
	fs := []view.Fact{
		textFact("first_name", "First name", c.FirstName, "text"),
		textFact("last_name", "Last name", c.LastName, "text"),
		labelledFact("email", "Email", emails[:min(1, len(emails))], "email"),
		labelledFact("emails", "Other emails", emails[min(1, len(emails)):], "text"),
		labelledFact("phone", "Phone", phones[:min(1, len(phones))], "text"),
		labelledFact("phones", "Other phones", phones[min(1, len(phones)):], "text"),
		zoneFact(c.TimeZone, rc.now, rc.viewer),
		textFact("title", "Title", c.Title, "text"),
		company,
		{Key: "lifecycle", Label: "Lifecycle", Text: c.Lifecycle, Value: c.Lifecycle, Badge: true, Input: "select", Options: lc},
		{Key: "owner", Label: "Owner", Text: who[c.OwnerID], Value: c.OwnerID.String(), Input: "select", Options: rc.ownerOptions()},
		textFact("source", "Source", c.Source, "text"),
		{Key: "tags", Label: "Tags", Tags: c.Tags, Value: strings.Join(c.Tags, ", "), Input: "text"},
		addressFact(c.Address),
		linksFact(c.Links),
	}
	fs = append(fs, customFacts(rc, c.Custom)...)
	return finishFacts(fs, "/contacts/"+c.ID.String(), c.Version, rc.readOnly)
}

func companyFacts(c records.Company, rc recordCtx) []view.Fact {
	who := memberNames(rc.members)
	var others []string // edited as "acme.de, acme.fr"; the primary stays
	if len(c.Domains) > 1 {
		others = c.Domains[1:]
	}
	size := ""
	if c.Size > 0 {
		size = strconv.Itoa(c.Size)
	}
	fs := []view.Fact{
		textFact("name", "Name", c.Name, "text"),
		textFact("domain", "Domain", c.Domain, "text"),
		{Key: "domains", Label: "Other domains", Tags: others, Value: strings.Join(others, ", "), Input: "text"},
		textFact("industry", "Industry", c.Industry, "text"),
		textFact("size", "Employees", size, "number"),
		textFact("phone", "Phone", c.Phone, "text"),
		addressFact(c.Address),
		{Key: "owner", Label: "Owner", Text: who[c.OwnerID], Value: c.OwnerID.String(), Input: "select", Options: rc.ownerOptions()},
		{Key: "tags", Label: "Tags", Tags: c.Tags, Value: strings.Join(c.Tags, ", "), Input: "text"},
	}
	fs = append(fs, customFacts(rc, c.Custom)...)
	return finishFacts(fs, "/companies/"+c.ID.String(), c.Version, rc.readOnly)
}

func finishFacts(fs []view.Fact, base string, version int64, readOnly bool) []view.Fact {
	for i := range fs {
		fs[i].Base, fs[i].Version, fs[i].ReadOnly = base, strconv.FormatInt(version, 10), readOnly
	}
	return fs
}

// customFacts are the live custom fields, with inputs by type.
func customFacts(rc recordCtx, custom map[string]any) []view.Fact {
	who := memberNames(rc.members)
	var out []view.Fact
	for _, d := range rc.defs {
		if !d.RetiredAt.IsZero() {
			continue
		}
		v := custom[d.Key]
		f := view.Fact{Key: "custom." + d.Key, Label: d.Label, Text: customText(d, v, who), Input: "text"}
		f.Value = f.Text
		switch d.Type {
		case records.FieldNumber, records.FieldCurrency:
			f.Input = "text"
			f.Value = strings.ReplaceAll(f.Text, ",", "")
		case records.FieldDate:
			f.Input = "date"
		case records.FieldDateTime:
			f.Input = "datetime-local"
			if x, ok := v.(float64); ok {
				f.Value = time.UnixMicro(int64(x)).UTC().Format("2006-01-02T15:04")
			}
		case records.FieldLongText:
			f.Input = "textarea"
		case records.FieldEmail:
			f.Input = "email"
		case records.FieldURL:
			f.Input = "url"
		case records.FieldSelect:
			f.Input = "select"
			f.Options = []view.Option{{Value: "", Label: "—"}}
			for _, o := range d.Options {
				f.Options = append(f.Options, view.Option{Value: o, Label: o})
			}
		case records.FieldBoolean:
			f.Input = "select"
			f.Options = []view.Option{{Value: "", Label: "—"}, {Value: "true", Label: "Yes"}, {Value: "false", Label: "No"}}
			if b, ok := v.(bool); ok {
				f.Value = strconv.FormatBool(b)
			}
		case records.FieldUser:
			f.Input = "select"
			f.Options = append([]view.Option{{Value: "", Label: "—"}}, rc.ownerOptions()...)
			if x, ok := v.(float64); ok {
				f.Value = crm.ID(int64(x)).String()
			}
		}
		out = append(out, f)
	}
	return out
}

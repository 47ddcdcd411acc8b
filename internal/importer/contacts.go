package importer

import (
	"cmp"
	"net/mail"
	"slices"
	"strings"
	"unicode"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
)

// Contacts imports people.
type Contacts struct{}

// Name implements Kind.
func (Contacts) Name() string { return "contacts" }

// Object implements Kind.
func (Contacts) Object() string { return "contact" }

// DefaultDedupe: match by email, create or update.
func (Contacts) DefaultDedupe() Dedupe { return Dedupe{Policy: CreateOrUpdate, Match: "email"} }

// Fields implements Kind. Synonyms are normalised headers (see norm) from
// the exports of Salesforce, HubSpot, Pipedrive, Zoho, Outlook, Google
// Contacts and Apple/vCard tools, and a few German and French ones.
func (Contacts) Fields(d Defs) []FieldSpec {
	specs := []FieldSpec{
		{Key: "first_name", Label: "First name", Synonyms: []string{"firstname", "first", "givenname", "forename", "vorname", "prénom", "prenom"}},
		{Key: "last_name", Label: "Last name", Synonyms: []string{"lastname", "last", "surname", "familyname", "nachname", "nom", "nomdefamille"}},
		{Key: "full_name", Label: "Full name", Synonyms: []string{"name", "fullname", "contactname", "contact", "displayname", "personname", "leadname"}},
		{Key: "email", Label: "Email", Match: true, Synonyms: []string{"email", "emailaddress", "mail", "primaryemail", "workemail",
			"businessemail", "personemail", "personemailwork", "email1", "emailaddress1", "email1value", "emailwork", "emailadresse", "courriel"}},
		{Key: "email_2", Label: "Other emails", Synonyms: []string{"email2", "email2address", "email2value", "secondaryemail",
			"otheremail", "personalemail", "additionalemails", "otheremails", "emailhome", "email3address"}},
		{Key: "phone", Label: "Phone", Match: true, Synonyms: []string{"phone", "phonenumber", "telephone", "tel", "businessphone",
			"workphone", "personphone", "personphonework", "phone1value", "primaryphone", "phonework", "telefon", "téléphone"}},
		{Key: "phone_2", Label: "Mobile / other phone", Synonyms: []string{"mobile", "mobilephone", "mobilephonenumber", "cell",
			"cellphone", "homephone", "otherphone", "otherphones", "phone2", "phone2value", "phonemobile", "handy"}},
		{Key: "title", Label: "Job title", Synonyms: []string{"title", "jobtitle", "position", "role", "jobrole", "designation", "organization1title"}},
		{Key: "company", Label: "Company name", Synonyms: []string{"company", "companyname", "organization", "organisation",
			"organizationname", "organization1name", "personorganization", "account", "accountname", "employer", "firma", "entreprise", "associatedcompany"}},
		{Key: "company_domain", Label: "Company domain or website", Synonyms: []string{"companydomain", "companydomainname",
			"domain", "website", "companywebsite", "web", "websiteurl", "url"}},
		{Key: "lifecycle", Label: "Lifecycle", Options: records.Lifecycles, Synonyms: []string{"lifecyclestage", "stage", "leadstatus",
			"status", "contacttype", "type"}},
		{Key: "source", Label: "Source", Synonyms: []string{"leadsource", "originalsource", "contactsource", "source"}},
		{Key: "tags", Label: "Tags", Synonyms: []string{"tags", "tag", "labels", "label", "categories", "groupmembership", "personlabels"}},
		{Key: "owner", Label: "Owner (email)", Synonyms: []string{"owner", "contactowner", "owneremail", "recordowner", "assignedto",
			"salesrep", "leadowner", "accountowner", "personowner"}},
		{Key: "external_id", Label: "External id", Match: true, Synonyms: []string{"id", "externalid", "recordid", "contactid", "uid",
			"leadid", "salesforceid", "hubspotid", "crmid"}},
		{Key: "created_at", Label: "Created at", Synonyms: []string{"createdat", "created", "createdate", "createddate",
			"datecreated", "createdon", "createdtime"}},
	}
	specs = append(specs, addressSpecs(nil)...)
	specs = append(specs, FieldSpec{Key: "time_zone", Label: "Time zone", Synonyms: []string{"timezone", "tz", "contacttimezone",
		"ianatimezone", "zeitzone", "fuseauhoraire"}})
	specs = append(specs, linkSpecs()...)
	return append(specs, customSpecs(d.Custom)...)
}

// Adjust: with no phone column, a mobile column is the phone.
func (Contacts) Adjust(t *Template, taken map[string]bool) {
	if taken["phone"] || !taken["phone_2"] {
		return
	}
	for i := range t.Columns {
		if t.Columns[i].Field == "phone_2" {
			t.Columns[i].Field = "phone"
		}
	}
}

// lifecycleWords translate the stages other CRMs use; a template's value
// mapping comes first.
var lifecycleWords = map[string]string{
	"subscriber": "lead", "new": "lead", "open": "lead", "lead": "lead", "raw": "lead",
	"contacted": "prospect", "working": "prospect", "attemptingtocontact": "prospect", "prospect": "prospect", "inprogress": "prospect",
	"marketingqualifiedlead": "qualified", "mql": "qualified", "salesqualifiedlead": "qualified", "sql": "qualified", "qualified": "qualified",
	"opportunity": "opportunity", "customer": "customer", "closedwon": "customer", "won": "customer", "evangelist": "customer", "client": "customer",
	"formercustomer": "churned", "churned": "churned", "lost": "churned", "other": "other", "unqualified": "other", "junk": "other",
}

// contactRow is a contact as the import reads and writes it.
type contactRow struct {
	ID              crm.ID              `json:"id"`
	First           string              `json:"first_name"`
	Last            string              `json:"last_name"`
	Emails          []records.EmailAddr `json:"emails"`
	Phones          []records.PhoneNum  `json:"phones"`
	Title           string              `json:"title"`
	CompanyID       crm.ID              `json:"company_id"`
	Owner           crm.ID              `json:"owner_id"`
	Lifecycle       string              `json:"lifecycle"`
	Source          string              `json:"source"`
	records.Address                     // street, city, … (flat in the JSON, as events name them)
	TimeZone        string              `json:"time_zone"`
	Links           []records.Link      `json:"links"`
	Tags            []string            `json:"tags"`
	Custom          map[string]any      `json:"custom"`
	ExternalID      string              `json:"external_id"`
	Created         int64               `json:"-"`
	Version         int64               `json:"version"`
}

func (c *contactRow) email() string {
	if len(c.Emails) == 0 {
		return ""
	}
	return c.Emails[0].Email
}

func (c *contactRow) phone() string {
	if len(c.Phones) == 0 {
		return ""
	}
	return c.Phones[0].Phone
}

// parsed is one row read into a patch: which fields it sets and to what.
type parsed struct {
	line int
	set  map[string]bool
	c    contactRow
	co   companyRef
}

// companyRef is the company a row names, by name and/or domain.
type companyRef struct{ name, domain string }

// parseContact validates one row's values. It fails the row on values
// that cannot be stored as given and notes the ones it repaired.
func (b *contactBatch) parseContact(line int, vals map[string]string) (parsed, Outcome) {
	p := parsed{line: line, set: map[string]bool{}}
	var notes []Outcome
	note := func(o *Outcome) {
		if o != nil {
			notes = append(notes, *o)
		}
	}
	for k := range vals {
		p.set[k] = true
	}
	c := &p.c
	c.First, c.Last = vals["first_name"], vals["last_name"]
	if fn := vals["full_name"]; fn != "" && c.First == "" && c.Last == "" {
		c.First, c.Last = splitName(fn)
		p.set["first_name"], p.set["last_name"] = true, true
	}
	if len(c.First) > 100 || len(c.Last) > 100 {
		return p, fail("first_name", c.First+" "+c.Last, "names are limited to 100 characters")
	}
	// A value may carry its label, "+1 555 0100 (mobile)", as exports
	// write them; else a column's header may say it ("Mobile Phone").
	if v := vals["email"]; v != "" {
		v, label := labelled(v, b.labels["email"])
		e, ok := cleanEmail(v)
		if !ok {
			return p, fail("email", v, "not a valid email address")
		}
		c.Emails = append(c.Emails, records.EmailAddr{Email: e, Label: label})
	}
	for _, v := range splitEmails(vals["email_2"], b.labels["email_2"]) {
		if e, ok := cleanEmail(v.Email); !ok {
			note(&Outcome{Action: Warned, Field: "email_2", Value: v.Email, Message: "not a valid email address; left out"})
		} else if !hasEmail(c.Emails, e) {
			c.Emails = append(c.Emails, records.EmailAddr{Email: e, Label: v.Label})
		}
	}
	if v := vals["phone"]; v != "" {
		v, label := labelled(v, b.labels["phone"])
		if n := len(crm.Digits(v)); n < 5 || n > 20 {
			return p, fail("phone", v, "a phone number needs 5 to 20 digits")
		}
		c.Phones = append(c.Phones, records.PhoneNum{Phone: v, Label: label})
	}
	for _, part := range records.SplitLabelled(vals["phone_2"]) {
		v, label := part[0], cmp.Or(part[1], b.labels["phone_2"])
		if n := len(crm.Digits(v)); n < 5 || n > 20 {
			note(&Outcome{Action: Warned, Field: "phone_2", Value: v, Message: "a phone number needs 5 to 20 digits; left out"})
		} else {
			c.Phones = append(c.Phones, records.PhoneNum{Phone: v, Label: label})
		}
	}
	if len(c.Emails) > 20 || len(c.Phones) > 20 {
		return p, fail("email_2", vals["email_2"], "a contact holds at most 20 emails and 20 phones")
	}
	c.Title, c.Source, c.ExternalID = vals["title"], vals["source"], vals["external_id"]
	if len(c.Title) > 200 || len(c.Source) > 100 || len(c.ExternalID) > 200 {
		return p, fail("title", c.Title, "title, source and external id are limited to 200, 100 and 200 characters")
	}
	if v, ok := vals["lifecycle"]; ok {
		lc := v
		if !slices.Contains(records.Lifecycles, lc) {
			lc = lifecycleWords[norm(v)]
		}
		if lc == "" {
			return p, fail("lifecycle", v, "unknown lifecycle; use one of "+strings.Join(records.Lifecycles, ", ")+", or map this value in the template")
		}
		c.Lifecycle = lc
	}
	c.Tags = splitList(vals["tags"])
	if len(c.Tags) > 50 {
		return p, fail("tags", vals["tags"], "a contact holds at most 50 tags")
	}
	var o *Outcome
	c.Owner, o = b.run.Owner(vals["owner"])
	note(o)
	if v := vals["created_at"]; v != "" {
		if t, ok := parseTime(v); ok {
			c.Created = store.Micros(t)
		} else {
			note(&Outcome{Action: Warned, Field: "created_at", Value: v, Message: "not a date like 2025-01-31 or 2025-01-31T09:30:00Z; the import time is used"})
		}
	}
	p.co = companyRef{name: vals["company"], domain: records.NormalizeDomain(vals["company_domain"])}
	if p.co.domain != "" && !strings.Contains(p.co.domain, ".") {
		note(&Outcome{Action: Warned, Field: "company_domain", Value: vals["company_domain"], Message: "not a domain; left out"})
		p.co.domain = ""
	}
	if p.co.domain != "" {
		// A profile on a social site (LinkedIn's "URL", a "Website" of
		// linkedin.com/in/…) is the person's link, not their company.
		if l, ok := profileLink(vals["company_domain"]); ok {
			p.co.domain = ""
			c.Links = append(c.Links, l)
		}
	}
	if b.place.any {
		if bad := b.parsePlace(&p, vals, note); bad != nil {
			return p, *bad
		}
	}
	return p, Outcome{Notes: notes}
}

func splitName(full string) (string, string) {
	full = strings.Join(strings.Fields(full), " ")
	if last, first, ok := strings.Cut(full, ","); ok { // "Lovelace, Ada"
		return strings.TrimSpace(first), strings.TrimSpace(last)
	}
	if i := strings.LastIndexByte(full, ' '); i > 0 {
		return full[:i], full[i+1:]
	}
	return full, ""
}

func cleanEmail(v string) (string, bool) {
	e := strings.ToLower(strings.TrimSpace(v))
	e = strings.TrimPrefix(e, "mailto:")
	a, err := mail.ParseAddress(e)
	return e, err == nil && a.Address == e
}

// splitEmails reads a cell of addresses separated by commas, semicolons,
// bars or spaces, each with its label if it has one ("b@example.com
// (home)"), else the column's (fallback).
func splitEmails(v, fallback string) []records.EmailAddr {
	var out []records.EmailAddr
	for _, part := range records.SplitLabelled(v) {
		label := cmp.Or(part[1], fallback)
		for _, e := range strings.Fields(part[0]) {
			out = append(out, records.EmailAddr{Email: e, Label: label})
		}
	}
	return out
}

// labelled splits a trailing label off a value (records.SplitLabel);
// without one, the label is fallback (the one the column's header names).
func labelled(v, fallback string) (string, string) {
	if v, label := records.SplitLabel(v); label != "" {
		return v, label
	}
	return strings.TrimSpace(v), fallback
}

// headerLabel is the kind of address or number a column's header names:
// "Mobile Phone" → "mobile", "Home Phone" → "home", "Work Email" → "work".
func headerLabel(header string) string {
	words := strings.FieldsFunc(strings.ToLower(header), func(r rune) bool { return !unicode.IsLetter(r) })
	if slices.Contains(words, "fax") { // "Business Fax"
		return "fax"
	}
	for _, w := range words {
		switch w {
		case "mobile", "cell", "cellular", "handy", "portable", "mobil":
			return "mobile"
		case "home", "private", "personal", "privat":
			return "home"
		case "work", "business", "office", "company", "direct", "geschäftlich":
			return "work"
		}
	}
	return ""
}

func hasEmail(list []records.EmailAddr, e string) bool {
	for _, x := range list {
		if x.Email == e {
			return true
		}
	}
	return false
}

// merge applies a parsed row to a contact: the fields the row sets
// replace the stored ones (a new primary email or phone keeps the old one
// as a secondary; an address is replaced as a whole, see setAddress),
// tags and links are added, custom values overlaid.
func merge(dst *contactRow, p parsed) {
	src := p.c
	if p.set["first_name"] {
		dst.First = src.First
	}
	if p.set["last_name"] {
		dst.Last = src.Last
	}
	for i, e := range src.Emails {
		if hasEmail(dst.Emails, e.Email) {
			continue
		}
		if i == 0 && p.set["email"] {
			dst.Emails = append([]records.EmailAddr{e}, dst.Emails...)
		} else {
			dst.Emails = append(dst.Emails, e)
		}
	}
	for i, ph := range src.Phones {
		if slices.ContainsFunc(dst.Phones, func(x records.PhoneNum) bool { return crm.Digits(x.Phone) == crm.Digits(ph.Phone) }) {
			continue
		}
		if i == 0 && p.set["phone"] {
			dst.Phones = append([]records.PhoneNum{ph}, dst.Phones...)
		} else {
			dst.Phones = append(dst.Phones, ph)
		}
	}
	if len(dst.Emails) > 20 {
		dst.Emails = dst.Emails[:20]
	}
	if len(dst.Phones) > 20 {
		dst.Phones = dst.Phones[:20]
	}
	set := func(key string, d *string, v string) {
		if p.set[key] && v != "" {
			*d = v
		}
	}
	set("title", &dst.Title, src.Title)
	set("source", &dst.Source, src.Source)
	set("lifecycle", &dst.Lifecycle, src.Lifecycle)
	set("external_id", &dst.ExternalID, src.ExternalID)
	setAddress(&dst.Address, src.Address, p.set)
	set("time_zone", &dst.TimeZone, src.TimeZone)
	mergeLinks(&dst.Links, src.Links)
	for _, t := range src.Tags {
		if !slices.Contains(dst.Tags, t) && len(dst.Tags) < 50 {
			dst.Tags = append(dst.Tags, t)
		}
	}
	if src.Owner != 0 {
		dst.Owner = src.Owner
	}
	if src.CompanyID != 0 {
		dst.CompanyID = src.CompanyID
	}
	if len(src.Custom) > 0 && dst.Custom == nil {
		dst.Custom = map[string]any{}
	}
	for k, v := range src.Custom {
		dst.Custom[k] = v
	}
}

func (c *contactRow) matchKey(field string) string {
	switch field {
	case "email":
		return c.email()
	case "phone":
		return crm.Digits(c.phone())
	case "external_id":
		return c.ExternalID
	}
	return ""
}

func describeMatch(field string) string {
	return map[string]string{"email": "email", "phone": "phone number", "external_id": "external id"}[field]
}

package api

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
)

// Contact is a person as the API shows it.
type Contact struct {
	ID        crm.ID              `json:"id"`
	FirstName string              `json:"first_name"`
	LastName  string              `json:"last_name"`
	Email     string              `json:"email" doc:"The primary email: emails[0]"`
	Emails    []records.EmailAddr `json:"emails"`
	Phone     string              `json:"phone" doc:"The primary phone: phones[0]"`
	Phones    []records.PhoneNum  `json:"phones"`
	Title     string              `json:"title"`
	CompanyID *crm.ID             `json:"company_id" doc:"null when not linked"`
	OwnerID   crm.ID              `json:"owner_id"`
	Lifecycle string              `json:"lifecycle" enum:"lead,prospect,qualified,opportunity,customer,churned,other"`
	Source    string              `json:"source"`
	Address   Address             `json:"address" doc:"The postal address; every part is present, \"\" when unknown"`
	TimeZone  string              `json:"time_zone" doc:"An IANA time zone name such as Europe/Berlin; \"\" when unknown"`
	Links     []Link              `json:"links" doc:"The person's website and social profiles"`
	Tags      []string            `json:"tags"`
	Custom    map[string]any      `json:"custom" doc:"Custom field values keyed by field key"`
	CreatedAt time.Time           `json:"created_at"`
	UpdatedAt time.Time           `json:"updated_at"`
	Version   int64               `json:"version" doc:"Send as If-Match to update only this version"`
	// PastCompanies is filled on single-contact responses only (not lists).
	PastCompanies *[]PastCompany `json:"past_companies,omitempty" doc:"Companies the person used to work at, most recent first; on GET /contacts/{id} and the responses of create, update and merge, not in lists. Change them with /contacts/{id}/past-companies."`

	only map[string]bool // ?fields=: the fields to return
}

// MarshalJSON leaves out fields not asked for with ?fields= (id always stays).
func (c Contact) MarshalJSON() ([]byte, error) {
	type plain Contact
	return onlyFields(plain(c), c.only)
}

func contactOut(c records.Contact, defs []records.FieldDef, only map[string]bool) Contact {
	out := Contact{ID: c.ID, FirstName: c.FirstName, LastName: c.LastName, Email: c.Email, Emails: c.Emails,
		Phone: c.Phone, Phones: c.Phones, Title: c.Title, OwnerID: c.OwnerID, Lifecycle: c.Lifecycle, Source: c.Source,
		Address: Address(c.Address), TimeZone: c.TimeZone, Links: linksOut(c.Links), Tags: c.Tags,
		Custom: records.PresentCustom(defs, c.Custom), CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt, Version: c.Version, only: only}
	if c.CompanyID != 0 {
		id := c.CompanyID
		out.CompanyID = &id
	}
	if out.Emails == nil {
		out.Emails = []records.EmailAddr{}
	}
	if out.Phones == nil {
		out.Phones = []records.PhoneNum{}
	}
	if out.Tags == nil {
		out.Tags = []string{}
	}
	return out
}

// ContactInput creates (POST) or changes (PATCH) a contact; a field left out
// is left as it is. custom and address are merge patches: null removes a
// value (or clears an address part, or the whole address).
type ContactInput struct {
	FirstName *string              `json:"first_name,omitempty" maxLength:"100"`
	LastName  *string              `json:"last_name,omitempty" maxLength:"100"`
	Email     *string              `json:"email,omitempty" doc:"Shortcut: sets emails to this one address"`
	Emails    *[]records.EmailAddr `json:"emails,omitempty" maxItems:"20"`
	Phone     *string              `json:"phone,omitempty" doc:"Shortcut: sets phones to this one number"`
	Phones    *[]records.PhoneNum  `json:"phones,omitempty" maxItems:"20"`
	Title     *string              `json:"title,omitempty" maxLength:"200"`
	CompanyID *crm.ID              `json:"company_id,omitempty" doc:"\"0\" unlinks"`
	OwnerID   *crm.ID              `json:"owner_id,omitempty"`
	Lifecycle *string              `json:"lifecycle,omitempty"`
	Source    *string              `json:"source,omitempty" maxLength:"100"`
	Address   AddressInput         `json:"address,omitempty" doc:"Only the parts sent change; null clears the whole address"`
	TimeZone  *string              `json:"time_zone,omitempty" maxLength:"64" doc:"An IANA time zone name such as Europe/Berlin; \"\" clears it"`
	Links     *[]LinkInput         `json:"links,omitempty" maxItems:"10" doc:"Replaces the list; repeated addresses are dropped"`
	Tags      *[]string            `json:"tags,omitempty" maxItems:"50"`
	Custom    map[string]any       `json:"custom,omitempty"`
}

func (in ContactInput) patch() records.ContactPatch {
	p := records.ContactPatch{FirstName: in.FirstName, LastName: in.LastName, Title: in.Title, Source: in.Source,
		Lifecycle: in.Lifecycle, Emails: in.Emails, Phones: in.Phones, CompanyID: in.CompanyID, OwnerID: in.OwnerID,
		Address: in.Address.patch(), TimeZone: in.TimeZone, Links: linksIn(in.Links), Tags: in.Tags, Custom: in.Custom}
	if in.Email != nil && in.Emails == nil {
		e := []records.EmailAddr{}
		if *in.Email != "" {
			e = append(e, records.EmailAddr{Email: *in.Email})
		}
		p.Emails = &e
	}
	if in.Phone != nil && in.Phones == nil {
		ph := []records.PhoneNum{}
		if *in.Phone != "" {
			ph = append(ph, records.PhoneNum{Phone: *in.Phone})
		}
		p.Phones = &ph
	}
	return p
}

func (in ContactInput) create() records.NewContact {
	p := in.patch()
	n := records.NewContact{Custom: in.Custom, Address: in.Address.address()}
	str := func(s *string) string {
		if s == nil {
			return ""
		}
		return *s
	}
	n.FirstName, n.LastName, n.Title, n.Source, n.Lifecycle = str(p.FirstName), str(p.LastName), str(p.Title), str(p.Source), str(p.Lifecycle)
	n.TimeZone = str(p.TimeZone)
	if p.Links != nil {
		n.Links = *p.Links
	}
	if p.Emails != nil {
		n.Emails = *p.Emails
	}
	if p.Phones != nil {
		n.Phones = *p.Phones
	}
	if p.Tags != nil {
		n.Tags = *p.Tags
	}
	if p.CompanyID != nil {
		n.CompanyID = *p.CompanyID
	}
	if p.OwnerID != nil {
		n.OwnerID = *p.OwnerID
	}
	return n
}

// onlyFields marshals v keeping id and the fields in only (all when
// empty). A name with a dot picks one key of an object field:
// "address.city", "custom.region" (the filter language's names).
func onlyFields(v any, only map[string]bool) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil || len(only) == 0 {
		return b, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	keys := map[string]map[string]bool{} // object field -> its keys asked for
	for f := range only {
		if field, key, ok := strings.Cut(f, "."); ok && key != "" {
			if keys[field] == nil {
				keys[field] = map[string]bool{}
			}
			keys[field][key] = true
		}
	}
	for k, raw := range m {
		switch {
		case k == "id" || only[k]:
		case keys[k] != nil:
			var obj map[string]json.RawMessage
			if json.Unmarshal(raw, &obj) != nil || obj == nil {
				delete(m, k) // not an object: it has no keys to pick
				continue
			}
			for key := range obj {
				if !keys[k][key] {
					delete(obj, key)
				}
			}
			if m[k], err = json.Marshal(obj); err != nil {
				return nil, err
			}
		default:
			delete(m, k)
		}
	}
	return json.Marshal(m)
}

// fieldSet parses ?fields=first_name,email.
func fieldSet(s string) map[string]bool {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	m := map[string]bool{}
	for _, f := range strings.Split(s, ",") {
		m[strings.TrimSpace(f)] = true
	}
	return m
}

package ui

import (
	"slices"
	"strconv"
	"strings"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
)

// The record pages and bulk edit change one field at a time, named as the
// list columns name them ("lifecycle", "owner", "custom.region") with the
// value as typed in a form.

// editLabelled is a contact's emails or phones ([value, label] pairs, the
// primary first) after the primary (primary) or the others were set to v.
// A primary cleared leaves the others; the first of them is the primary
// from then on, as it is when the others are set and there was none.
func editLabelled(primary bool, v string, old [][2]string) [][2]string {
	var first, rest [][2]string
	if len(old) > 0 {
		first, rest = old[:1], old[1:]
	}
	if primary {
		label := ""
		if len(first) > 0 {
			label = first[0][1]
		}
		if val, l := records.SplitLabel(v); l != "" {
			v, label = val, l
		}
		first = nil
		if v = strings.TrimSpace(v); v != "" {
			first = [][2]string{{v, label}}
		}
	} else {
		rest = records.SplitLabelled(v)
	}
	return append(append([][2]string{}, first...), rest...)
}

func contactPatch(tx *store.Tx, p crm.Principal, id crm.ID, c bulkChange) (records.ContactPatch, error) {
	var patch records.ContactPatch
	v := c.value
	if c.action == "tag" {
		old, err := records.ViewContact(tx, p, id)
		if err != nil {
			return patch, err
		}
		tags := addTag(old.Tags, v)
		patch.Tags = &tags
		return patch, nil
	}
	switch c.field {
	case "first_name":
		patch.FirstName = &v
	case "last_name":
		patch.LastName = &v
	case "title":
		patch.Title = &v
	case "source":
		patch.Source = &v
	case "address":
		patch.Address = c.address
	case "street", "city", "state", "postal_code", "country": // one part, by bulk edit
		*patch.Address.Part(c.field) = &v
	case "time_zone":
		z := guessZone(v)
		patch.TimeZone = &z
	case "links":
		ls, _ := linksOf(c.links)
		patch.Links = &ls
	case "lifecycle":
		patch.Lifecycle = &v
	case "email", "emails", "phone", "phones":
		// One list in records: the primary is its first, the others the
		// rest. Changing one keeps the other (a phone changed here used to
		// drop every other number); a primary changed keeps its label, and
		// the others are typed as "b@example.com (home), …".
		old, err := records.ViewContact(tx, p, id)
		if err != nil {
			return patch, err
		}
		emails, phones := contactPairs(old)
		if c.field == "email" || c.field == "emails" {
			es := editLabelled(c.field == "email", v, emails)
			list := make([]records.EmailAddr, len(es))
			for i, e := range es {
				list[i] = records.EmailAddr{Email: e[0], Label: e[1]}
			}
			patch.Emails = &list
		} else {
			ps := editLabelled(c.field == "phone", v, phones)
			list := make([]records.PhoneNum, len(ps))
			for i, p := range ps {
				list[i] = records.PhoneNum{Phone: p[0], Label: p[1]}
			}
			patch.Phones = &list
		}
	case "owner", "company":
		ref, err := idValue(c.field, v)
		if err != nil {
			return patch, err
		}
		if c.field == "owner" {
			patch.OwnerID = &ref
		} else {
			patch.CompanyID = &ref
		}
	case "tags":
		tags := splitTags(v)
		patch.Tags = &tags
	default:
		custom, err := customPatch(tx, p.WorkspaceID, "contact", c.field, v)
		if err != nil {
			return patch, err
		}
		patch.Custom = custom
	}
	return patch, nil
}

func companyPatch(tx *store.Tx, p crm.Principal, id crm.ID, c bulkChange) (records.CompanyPatch, error) {
	var patch records.CompanyPatch
	v := c.value
	if c.action == "tag" {
		old, err := records.ViewCompany(tx, p, id)
		if err != nil {
			return patch, err
		}
		tags := addTag(old.Tags, v)
		patch.Tags = &tags
		return patch, nil
	}
	switch c.field {
	case "name":
		patch.Name = &v
	case "domain":
		patch.Domain = &v
	case "domains": // the domains after the primary, comma-separated
		old, err := records.ViewCompany(tx, p, id)
		if err != nil {
			return patch, err
		}
		list := append([]string{old.Domain}, splitTags(strings.ReplaceAll(v, " ", ","))...)
		patch.Domains = &list
	case "industry":
		patch.Industry = &v
	case "phone":
		patch.Phone = &v
	case "address":
		patch.Address = c.address
	case "street", "city", "state", "postal_code", "country":
		*patch.Address.Part(c.field) = &v
	case "size":
		n, err := strconv.Atoi(strings.ReplaceAll(v, ",", ""))
		if v == "" {
			n, err = 0, nil
		}
		if err != nil {
			return patch, (crm.FieldErrors{"size": "Give the number of employees as a whole number."}).Err()
		}
		patch.Size = &n
	case "owner":
		ref, err := idValue(c.field, v)
		if err != nil {
			return patch, err
		}
		patch.OwnerID = &ref
	case "tags":
		tags := splitTags(v)
		patch.Tags = &tags
	default:
		custom, err := customPatch(tx, p.WorkspaceID, "company", c.field, v)
		if err != nil {
			return patch, err
		}
		patch.Custom = custom
	}
	return patch, nil
}

func idValue(field, v string) (crm.ID, error) {
	if v == "" {
		return 0, nil
	}
	id, err := crm.ParseID(v)
	if err != nil {
		return 0, (crm.FieldErrors{field: "Choose from the list."}).Err()
	}
	return id, nil
}

func addTag(tags []string, t string) []string {
	t = strings.TrimSpace(t)
	out := append([]string(nil), tags...)
	if t != "" && !slices.Contains(out, t) {
		out = append(out, t)
	}
	return out
}

func splitTags(s string) []string {
	out := []string{}
	for _, t := range strings.Split(s, ",") {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// customPatch turns a typed value into the custom-field merge patch
// records expects: "" clears, numbers and yes/no are converted, money is
// typed in major units (12.50) and stored in minor units (1250).
func customPatch(tx *store.Tx, ws crm.ID, object, field, v string) (map[string]any, error) {
	key, ok := strings.CutPrefix(field, "custom.")
	bad := (crm.FieldErrors{field: "There is no such field."}).Err()
	if !ok {
		return nil, bad
	}
	defs, err := records.ListFields(tx, ws, object, true)
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(defs, func(d records.FieldDef) bool { return d.Key == key })
	if i < 0 {
		return nil, bad
	}
	d := defs[i]
	if strings.TrimSpace(v) == "" {
		return map[string]any{key: nil}, nil
	}
	var val any = v
	switch d.Type {
	case records.FieldBoolean:
		val = v == "true" || v == "yes" || v == "1" || v == "on"
	case records.FieldCurrency:
		f, err := strconv.ParseFloat(strings.ReplaceAll(v, ",", ""), 64)
		if err != nil {
			return nil, (crm.FieldErrors{field: "Use an amount like 1250.50."}).Err()
		}
		val = float64(int64(f*100 + 0.5))
	case records.FieldDateTime:
		if len(v) == len("2006-01-02T15:04") {
			val = v + ":00Z" // a datetime-local input, read as UTC
		}
	case records.FieldMultiSelect:
		var l []any
		for _, t := range splitTags(v) {
			l = append(l, t)
		}
		val = l
	}
	return map[string]any{key: val}, nil
}

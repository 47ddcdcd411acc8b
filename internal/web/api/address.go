package api

import (
	"encoding/json"
	"errors"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
)

// Address is a postal address as the API shows it: every part is always
// present, "" when unknown. Same fields as records.Address, with docs for
// the OpenAPI document.
type Address struct {
	Street     string `json:"street" doc:"Street and house number; several lines are separated by \\n"`
	City       string `json:"city"`
	State      string `json:"state" doc:"State, region, province or county"`
	PostalCode string `json:"postal_code"`
	Country    string `json:"country" doc:"Free text, as the person wrote it"`
}

// AddressInput changes an address part by part, as a JSON merge patch
// (RFC 7396): parts left out stay as they are, a part set to "" or null is
// cleared, and "address": null clears every part. On create, parts left out
// are "". Inputs hold it by value, not by pointer: only then does
// encoding/json hand a null to UnmarshalJSON instead of setting nil.
type AddressInput struct {
	_          struct{} `nullable:"true"`
	Street     *string  `json:"street,omitempty" nullable:"true" maxLength:"300" doc:"At most 4 lines, separated by \\n"`
	City       *string  `json:"city,omitempty" nullable:"true" maxLength:"100"`
	State      *string  `json:"state,omitempty" nullable:"true" maxLength:"100" doc:"State, region, province or county"`
	PostalCode *string  `json:"postal_code,omitempty" nullable:"true" maxLength:"100"`
	Country    *string  `json:"country,omitempty" nullable:"true" maxLength:"100"`
}

// UnmarshalJSON reads null (the whole address or one part) as "clear":
// encoding/json alone would read it as "left out".
func (in *AddressInput) UnmarshalJSON(b []byte) error {
	var parts map[string]*string
	if err := json.Unmarshal(b, &parts); err != nil {
		return err
	}
	clearAll := parts == nil // the address was null
	var p records.AddressPatch
	for _, k := range records.AddressFields {
		switch v, sent := parts[k]; {
		case clearAll || (sent && v == nil):
			*p.Part(k) = new(string)
		case sent:
			*p.Part(k) = v
		}
	}
	*in = AddressInput{Street: p.Street, City: p.City, State: p.State, PostalCode: p.PostalCode, Country: p.Country}
	return nil
}

func (in AddressInput) patch() records.AddressPatch {
	return records.AddressPatch{Street: in.Street, City: in.City, State: in.State, PostalCode: in.PostalCode, Country: in.Country}
}

// address is the input as a new record's address.
func (in AddressInput) address() records.Address {
	s := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	return records.Address{Street: s(in.Street), City: s(in.City), State: s(in.State), PostalCode: s(in.PostalCode), Country: s(in.Country)}
}

// Link is a web page about a person: their website or a social profile.
type Link struct {
	Label string `json:"label" doc:"LinkedIn, X, GitHub, Website, … (from the address when none was given)"`
	URL   string `json:"url" doc:"An http or https address"`
}

// LinkInput is a link as sent; the label may be left out.
type LinkInput struct {
	Label string `json:"label,omitempty" maxLength:"50" doc:"Derived from the address when left out or empty: LinkedIn, X, GitHub, … or Website"`
	URL   string `json:"url" maxLength:"500" doc:"http(s) only; the scheme may be left out (linkedin.com/in/ada)"`
}

func linksOut(ls []records.Link) []Link {
	out := make([]Link, 0, len(ls))
	for _, l := range ls {
		out = append(out, Link(l))
	}
	return out
}

func linksIn(ls *[]LinkInput) *[]records.Link {
	if ls == nil {
		return nil
	}
	out := make([]records.Link, 0, len(*ls))
	for _, l := range *ls {
		out = append(out, records.Link(l))
	}
	return &out
}

// bodyPaths names a record's field errors by where they are in the request
// body: records reports address parts as "city", the API as "address.city"
// (as the schema's own checks do).
func bodyPaths(err error) error {
	var e *crm.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return err
	}
	moved := false
	fields := make(map[string]string, len(e.Fields))
	for k, v := range e.Fields {
		if (&records.Address{}).Part(k) != nil {
			k, moved = "address."+k, true
		}
		fields[k] = v
	}
	if !moved {
		return err
	}
	c := *e
	c.Fields = fields
	return &c
}

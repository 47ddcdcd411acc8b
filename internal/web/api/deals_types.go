package api

import (
	"time"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/deals"
	"github.com/tandemcrm/tandem/internal/records"
)

// DealContact is another contact on a deal and their role.
type DealContact struct {
	ContactID crm.ID `json:"contact_id"`
	Role      string `json:"role" maxLength:"60"`
}

// Deal is a deal as the API shows it. Money comes both ways: value is a
// decimal string in major units of currency, value_minor the exact integer
// minor units (cents) it is stored as.
type Deal struct {
	ID             crm.ID         `json:"id"`
	Title          string         `json:"title"`
	Value          string         `json:"value" doc:"Decimal string in major units, e.g. \"1250.50\""`
	ValueMinor     int64          `json:"value_minor" doc:"The same amount in integer minor units (125050)"`
	Currency       string         `json:"currency" doc:"ISO 4217 code"`
	PipelineID     crm.ID         `json:"pipeline_id"`
	StageID        crm.ID         `json:"stage_id"`
	Stage          string         `json:"stage" doc:"The stage's name"`
	Probability    int            `json:"probability" doc:"The stage's probability while open; 100 won, 0 lost"`
	WeightedMinor  int64          `json:"weighted_value_minor" doc:"value_minor × probability / 100, rounded half up"`
	Rotting        bool           `json:"rotting" doc:"Open and longer in its stage than the stage's rot_days"`
	Status         string         `json:"status" enum:"open,won,lost"`
	LostReason     string         `json:"lost_reason"`
	ExpectedClose  string         `json:"expected_close" doc:"YYYY-MM-DD or empty"`
	OwnerID        crm.ID         `json:"owner_id"`
	ContactID      *crm.ID        `json:"contact_id" doc:"The primary contact; null when none"`
	ContactIDs     []crm.ID       `json:"contact_ids" doc:"Every contact: the primary first, then the others"`
	Contacts       []DealContact  `json:"contacts" doc:"The other contacts with their roles"`
	CompanyID      *crm.ID        `json:"company_id"`
	Source         string         `json:"source"`
	Priority       string         `json:"priority" enum:",low,medium,high"`
	Tags           []string       `json:"tags"`
	Custom         map[string]any `json:"custom"`
	StageEnteredAt time.Time      `json:"stage_entered_at"`
	ClosedAt       *time.Time     `json:"closed_at" doc:"When it was won or lost; null while open"`
	CreatedAt      time.Time      `json:"created_at"`
	UpdatedAt      time.Time      `json:"updated_at"`
	Version        int64          `json:"version" doc:"Send as If-Match to change only this version"`

	only map[string]bool
}

// MarshalJSON leaves out fields not asked for with ?fields= (id stays).
func (d Deal) MarshalJSON() ([]byte, error) {
	type plain Deal
	return onlyFields(plain(d), d.only)
}

func dealOut(d deals.Deal, defs []records.FieldDef, now time.Time, only map[string]bool) Deal {
	out := Deal{ID: d.ID, Title: d.Title, Value: crm.FormatAmount(d.Value, d.Currency), ValueMinor: d.Value, Currency: d.Currency,
		PipelineID: d.PipelineID, StageID: d.StageID, Stage: d.StageName, Probability: d.EffectiveProbability(),
		WeightedMinor: d.WeightedValue(), Rotting: d.Rotting(now), Status: d.Status, LostReason: d.LostReason,
		ExpectedClose: d.ExpectedClose, OwnerID: d.OwnerID, ContactIDs: []crm.ID{}, Contacts: []DealContact{},
		Source: d.Source, Priority: d.Priority, Tags: d.Tags, Custom: records.PresentCustom(defs, d.Custom),
		StageEnteredAt: d.StageEnteredAt, CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt, Version: d.Version, only: only}
	if d.ContactID != 0 {
		id := d.ContactID
		out.ContactID = &id
		out.ContactIDs = append(out.ContactIDs, id)
	}
	for _, c := range d.Contacts {
		out.ContactIDs = append(out.ContactIDs, c.ContactID)
		out.Contacts = append(out.Contacts, DealContact{ContactID: c.ContactID, Role: c.Role})
	}
	if d.CompanyID != 0 {
		id := d.CompanyID
		out.CompanyID = &id
	}
	if !d.ClosedAt.IsZero() {
		t := d.ClosedAt
		out.ClosedAt = &t
	}
	if out.Tags == nil {
		out.Tags = []string{}
	}
	return out
}

// DealInput creates (POST) or changes (PATCH) a deal; a field left out is
// left as it is. Give the value either as value (decimal string in major
// units of the deal's currency) or as value_minor (integer minor units),
// not both.
type DealInput struct {
	Title         *string        `json:"title,omitempty" maxLength:"200"`
	Value         *string        `json:"value,omitempty" doc:"Decimal string in major units: \"1250.50\" (at most the currency's decimals)"`
	ValueMinor    *int64         `json:"value_minor,omitempty" minimum:"0" doc:"Integer minor units: 125050"`
	Currency      *string        `json:"currency,omitempty" doc:"ISO 4217 code; USD when creating without one"`
	PipelineID    *crm.ID        `json:"pipeline_id,omitempty" doc:"Creating: the pipeline (its first stage unless stage_id). Ignored on PATCH: move with stage_id"`
	StageID       *crm.ID        `json:"stage_id,omitempty" doc:"On PATCH, moves the deal (with stage history), like POST /deals/{id}/move"`
	ContactIDs    *[]crm.ID      `json:"contact_ids,omitempty" maxItems:"51" doc:"The primary contact first, then others (without roles)"`
	Contacts      *[]DealContact `json:"contacts,omitempty" maxItems:"50" doc:"The other contacts with roles; replaces contact_ids[1:]"`
	CompanyID     *crm.ID        `json:"company_id,omitempty" doc:"\"0\" unlinks"`
	ExpectedClose *string        `json:"expected_close,omitempty" doc:"YYYY-MM-DD; \"\" clears"`
	OwnerID       *crm.ID        `json:"owner_id,omitempty"`
	Source        *string        `json:"source,omitempty" maxLength:"100"`
	Priority      *string        `json:"priority,omitempty" enum:",low,medium,high"`
	Tags          *[]string      `json:"tags,omitempty" maxItems:"50"`
	Custom        map[string]any `json:"custom,omitempty"`
}

// check refuses a value given both ways.
func (in DealInput) check() error {
	if in.Value != nil && in.ValueMinor != nil {
		return (crm.FieldErrors{"value": "Give value (decimal) or value_minor (integer minor units), not both."}).Err()
	}
	return nil
}

func (in DealInput) contacts() (primary *crm.ID, others *[]deals.DealContact) {
	if in.ContactIDs != nil {
		var p crm.ID
		var os []deals.DealContact
		for i, id := range *in.ContactIDs {
			if i == 0 {
				p = id
				continue
			}
			os = append(os, deals.DealContact{ContactID: id})
		}
		primary, others = &p, &os
	}
	if in.Contacts != nil {
		os := []deals.DealContact{}
		for _, c := range *in.Contacts {
			os = append(os, deals.DealContact{ContactID: c.ContactID, Role: c.Role})
		}
		others = &os
	}
	return primary, others
}

func (in DealInput) patch() deals.DealPatch {
	p := deals.DealPatch{Title: in.Title, Currency: in.Currency, ExpectedClose: in.ExpectedClose, Source: in.Source,
		Priority: in.Priority, Value: in.ValueMinor, ValueDecimal: in.Value, OwnerID: in.OwnerID, CompanyID: in.CompanyID,
		StageID: in.StageID, Tags: in.Tags, Custom: in.Custom}
	p.ContactID, p.Contacts = in.contacts()
	return p
}

func (in DealInput) create() deals.NewDeal {
	str := func(s *string) string {
		if s == nil {
			return ""
		}
		return *s
	}
	id := func(v *crm.ID) crm.ID {
		if v == nil {
			return 0
		}
		return *v
	}
	n := deals.NewDeal{Title: str(in.Title), ValueDecimal: str(in.Value), Currency: str(in.Currency), PipelineID: id(in.PipelineID),
		StageID: id(in.StageID), ExpectedClose: str(in.ExpectedClose), OwnerID: id(in.OwnerID), CompanyID: id(in.CompanyID),
		Source: str(in.Source), Priority: str(in.Priority), Custom: in.Custom}
	if in.ValueMinor != nil {
		n.Value = *in.ValueMinor
	}
	if in.Tags != nil {
		n.Tags = *in.Tags
	}
	p, o := in.contacts()
	n.ContactID = id(p)
	if o != nil {
		n.Contacts = *o
	}
	return n
}

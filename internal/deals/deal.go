package deals

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
)

// Statuses of a deal.
const (
	Open = "open"
	Won  = "won"
	Lost = "lost"
)

// Priorities a deal may have ("" is none).
var Priorities = []string{"", "low", "medium", "high"}

// MaxValue bounds a deal's value in minor units (10^15: sums of thousands of
// deals times 100 stay far inside int64).
const MaxValue = 1_000_000_000_000_000

// Deal is one sale in progress or decided.
type Deal struct {
	ID             crm.ID
	Title          string
	Value          int64 // minor units of Currency
	Currency       string
	PipelineID     crm.ID
	StageID        crm.ID
	Status         string
	LostReason     string
	ExpectedClose  string // YYYY-MM-DD or ""
	OwnerID        crm.ID
	ContactID      crm.ID // the primary contact
	CompanyID      crm.ID
	Source         string
	Priority       string
	Tags           []string
	Custom         map[string]any
	Contacts       []DealContact // other contacts with their roles (GetDeal fills them)
	StageEnteredAt time.Time
	ClosedAt       time.Time // won or lost time; zero while open
	CreatedAt      time.Time
	UpdatedAt      time.Time
	Version        int64
	deleted        bool

	// Read with the deal, never written through it.
	StageName     string
	Probability   int
	RotDays       int
	CompanyName   string
	CompanyDomain string
	ContactName   string
	ContactEmail  string
}

// DealContact is another person on a deal and their role in it.
type DealContact struct {
	ContactID crm.ID
	Role      string
	Name      string // filled when read
}

// EffectiveProbability is the stage's probability while open, 100 when won
// and 0 when lost.
func (d Deal) EffectiveProbability() int {
	switch d.Status {
	case Won:
		return 100
	case Lost:
		return 0
	}
	return d.Probability
}

// WeightedValue is value × probability, in minor units.
func (d Deal) WeightedValue() int64 { return Weighted(d.Value, d.EffectiveProbability()) }

// RottingDays is how many whole days an open deal has sat in its stage past
// the stage's rotting threshold; 0 when it is not rotting.
func (d Deal) RottingDays(now time.Time) int {
	if d.Status != Open || d.RotDays <= 0 {
		return 0
	}
	over := now.Sub(d.StageEnteredAt) - time.Duration(d.RotDays)*24*time.Hour
	if over <= 0 {
		return 0
	}
	return int(over/(24*time.Hour)) + 1
}

// Rotting reports whether an open deal has sat in its stage longer than the
// stage's rotting days.
func (d Deal) Rotting(now time.Time) bool { return d.RottingDays(now) > 0 }

// NewDeal is what creating a deal takes. Without a stage the deal starts in
// the first stage of the pipeline (of the default pipeline without one).
type NewDeal struct {
	Title         string
	Value         int64
	ValueDecimal  string // when set, the value in major units ("1250.50"), read in Currency
	Currency      string // "" means USD
	PipelineID    crm.ID
	StageID       crm.ID
	ExpectedClose string
	OwnerID       crm.ID // 0: the creator
	ContactID     crm.ID
	Contacts      []DealContact
	CompanyID     crm.ID
	Source        string
	Priority      string
	Tags          []string
	Custom        map[string]any
}

// CreateDeal validates and stores a deal, starts its stage history and
// writes its event.
func CreateDeal(tx *store.Tx, p crm.Principal, in NewDeal) (Deal, error) {
	d := Deal{Title: in.Title, Value: in.Value, Currency: in.Currency, PipelineID: in.PipelineID, StageID: in.StageID,
		Status: Open, ExpectedClose: in.ExpectedClose, OwnerID: in.OwnerID, ContactID: in.ContactID, Contacts: in.Contacts,
		CompanyID: in.CompanyID, Source: in.Source, Priority: in.Priority, Tags: in.Tags,
		StageEnteredAt: tx.Now, CreatedAt: tx.Now, UpdatedAt: tx.Now, Version: 1}
	if d.Currency == "" {
		d.Currency = "USD"
	}
	if d.OwnerID == 0 {
		d.OwnerID = p.UserID
	}
	if err := account.Can(tx, p, account.ActCreate, d.OwnerID); err != nil {
		return d, err
	}
	defs, err := records.ListFields(tx, p.WorkspaceID, "deal", true)
	if err != nil {
		return d, err
	}
	custom, fe := records.MergeCustom(defs, nil, in.Custom, true)
	d.Custom = custom
	if in.ValueDecimal != "" {
		decimalValue(fe, &d, in.ValueDecimal)
	}
	if err := placeNew(tx, p.WorkspaceID, &d, fe); err != nil {
		return d, err
	}
	checkValue(fe, d.Value, d.Currency)
	if err := validate(tx, p, nil, &d, fe); err != nil {
		return d, err
	}
	d.ID = tx.NewID()
	now := store.Micros(tx.Now)
	if _, err := tx.Exec(`INSERT INTO deals (id, workspace_id, title, value, currency, pipeline_id, stage_id, status, lost_reason,
		expected_close, owner_id, contact_id, company_id, source, priority, tags, custom, stage_entered_at,
		created_by, updated_by, created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`,
		d.ID, p.WorkspaceID, d.Title, d.Value, d.Currency, d.PipelineID, d.StageID, d.Status, d.ExpectedClose, d.OwnerID,
		d.ContactID, d.CompanyID, d.Source, d.Priority, jsonText(d.Tags), jsonText(d.Custom), now, p.UserID, p.UserID, now, now); err != nil {
		return d, fmt.Errorf("deals: create: %w", err)
	}
	if err := writeContacts(tx, p.WorkspaceID, d.ID, d.Contacts); err != nil {
		return d, err
	}
	if err := enterStage(tx, p, d); err != nil {
		return d, err
	}
	if err := tx.Emit(crm.Event{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), ObjectType: "deal", ObjectID: d.ID,
		Action: crm.Created, Changes: diff(Deal{}, d)}); err != nil {
		return d, err
	}
	return GetDeal(tx, p.WorkspaceID, d.ID, false)
}

// decimalValue sets d.Value from major units in d's currency.
func decimalValue(fe crm.FieldErrors, d *Deal, s string) {
	cur := strings.ToUpper(strings.TrimSpace(d.Currency))
	v, err := crm.ParseAmount(s, cur)
	if err != nil {
		fe.Add("value", "Give the value in "+cur+" as a decimal like 1250.50: "+err.Error()+".")
		return
	}
	d.Value = v
}

// placeNew settles a new deal's pipeline and stage.
func placeNew(tx *store.Tx, ws crm.ID, d *Deal, fe crm.FieldErrors) error {
	switch {
	case d.StageID != 0:
		s, err := GetStage(tx, ws, d.StageID)
		if crm.ErrorCode(err) == crm.NotFound {
			fe.Add("stage_id", "No such stage.")
			return nil
		} else if err != nil {
			return err
		}
		if d.PipelineID != 0 && d.PipelineID != s.PipelineID {
			fe.Add("stage_id", "This stage belongs to another pipeline.")
		}
		d.PipelineID = s.PipelineID
	case d.PipelineID != 0:
		pl, err := GetPipeline(tx, ws, d.PipelineID)
		if crm.ErrorCode(err) == crm.NotFound {
			fe.Add("pipeline_id", "No such pipeline.")
			return nil
		} else if err != nil {
			return err
		}
		d.StageID = pl.Stages[0].ID
	default:
		pl, err := DefaultPipeline(tx, ws)
		if err != nil {
			return err
		}
		d.PipelineID, d.StageID = pl.ID, pl.Stages[0].ID
	}
	return nil
}

// checkValue refuses a value out of 0..MaxValue. Only a value being set is
// checked: a deal stored with one out of range (line items once wrote
// such values) stays editable in its other fields.
func checkValue(fe crm.FieldErrors, v int64, currency string) {
	if v >= 0 && v <= MaxValue {
		return
	}
	// The bound in the deal's currency: 10^15 minor units are 10^13 euros
	// but 10^15 yen.
	limit := strings.TrimPrefix(crm.FormatMoney(MaxValue, "EUR"), "EUR ")
	if c := strings.ToUpper(strings.TrimSpace(currency)); c != "" {
		limit = crm.FormatMoney(MaxValue, c)
	}
	fe.Add("value", "Give a value from 0 up to "+limit+".")
}

// validate normalises d in place and collects every problem but the
// value's (checkValue). old is the deal before the change (nil for a new
// one): see linked.
func validate(tx *store.Tx, p crm.Principal, old *Deal, d *Deal, fe crm.FieldErrors) error {
	ws := p.WorkspaceID
	d.Title, d.Source = strings.TrimSpace(d.Title), strings.TrimSpace(d.Source)
	d.Currency = strings.ToUpper(strings.TrimSpace(d.Currency))
	d.ExpectedClose = strings.TrimSpace(d.ExpectedClose)
	d.Priority = strings.ToLower(strings.TrimSpace(d.Priority))
	d.Tags = cleanList(d.Tags)
	if d.Title == "" || len(d.Title) > 200 {
		fe.Add("title", "Give the deal a title (up to 200 characters).")
	}
	if !crm.ValidCurrency(d.Currency) {
		fe.Add("currency", "Use a three-letter ISO currency code, like USD or EUR.")
	}
	if d.ExpectedClose != "" {
		if _, err := time.Parse(time.DateOnly, d.ExpectedClose); err != nil {
			fe.Add("expected_close", "Use a date like 2026-01-31.")
		}
	}
	if !slices.Contains(Priorities, d.Priority) {
		fe.Add("priority", "Choose low, medium or high (or none).")
	}
	if len(d.Source) > 100 {
		fe.Add("source", "Use at most 100 characters.")
	}
	if len(d.Tags) > 50 {
		fe.Add("tags", "A deal holds at most 50 tags.")
	}
	if ok, err := isMember(tx, ws, d.OwnerID); err != nil {
		return err
	} else if !ok {
		fe.Add("owner_id", "The owner must be a member of this workspace.")
	}
	lk := linked{tx: tx, p: p, old: old}
	if d.CompanyID != 0 {
		co, err := lk.company(d.CompanyID)
		if crm.ErrorCode(err) == crm.NotFound {
			fe.Add("company_id", "No such company.")
		} else if err != nil {
			return err
		}
		d.CompanyName = co.Name
	}
	if d.ContactID != 0 {
		c, err := lk.contact(d.ContactID)
		if crm.ErrorCode(err) == crm.NotFound {
			fe.Add("contact_id", "No such contact.")
		} else if err != nil {
			return err
		}
		d.ContactName = c.Name()
	}
	return validateContacts(lk, d, fe)
}

// linked reads the records a deal links to. A link the deal already had
// stays whoever edits it (an admin may have made it); a new one must be a
// record p sees, and one p does not see is "no such", as everywhere: a
// member cannot attach, or learn the name of, a contact hidden from them.
type linked struct {
	tx  *store.Tx
	p   crm.Principal
	old *Deal
}

func (l linked) contact(id crm.ID) (records.Contact, error) {
	if l.old != nil && (id == l.old.ContactID || slices.ContainsFunc(l.old.Contacts, func(c DealContact) bool { return c.ContactID == id })) {
		return records.GetContact(l.tx, l.p.WorkspaceID, id)
	}
	return records.ViewContact(l.tx, l.p, id)
}

func (l linked) company(id crm.ID) (records.Company, error) {
	var was crm.ID
	if l.old != nil {
		was = l.old.CompanyID
	}
	return records.LinkableCompany(l.tx, l.p, id, was)
}

func validateContacts(lk linked, d *Deal, fe crm.FieldErrors) error {
	if len(d.Contacts) > 50 {
		fe.Add("contacts", "A deal has at most 50 other contacts.")
		return fe.Err()
	}
	seen := map[crm.ID]bool{d.ContactID: true}
	for i := range d.Contacts {
		dc := &d.Contacts[i]
		dc.Role = strings.TrimSpace(dc.Role)
		key := fmt.Sprintf("contacts.%d", i)
		if len(dc.Role) > 60 {
			fe.Add(key+".role", "Use at most 60 characters.")
		}
		if dc.ContactID == 0 || seen[dc.ContactID] {
			fe.Add(key+".contact_id", "Give each contact once (and not the primary contact again).")
			continue
		}
		seen[dc.ContactID] = true
		c, err := lk.contact(dc.ContactID)
		if crm.ErrorCode(err) == crm.NotFound {
			fe.Add(key+".contact_id", "No such contact.")
			continue
		} else if err != nil {
			return err
		}
		dc.Name = c.Name()
	}
	return fe.Err()
}

func writeContacts(tx *store.Tx, ws, deal crm.ID, cs []DealContact) error {
	if _, err := tx.Exec(`DELETE FROM deal_contacts WHERE workspace_id = ? AND deal_id = ?`, ws, deal); err != nil {
		return err
	}
	for i, c := range cs {
		if _, err := tx.Exec(`INSERT INTO deal_contacts (workspace_id, deal_id, contact_id, role, position, created_at)
			VALUES (?, ?, ?, ?, ?, ?)`, ws, deal, c.ContactID, c.Role, i, store.Micros(tx.Now)); err != nil {
			return fmt.Errorf("deals: contacts: %w", err)
		}
	}
	return nil
}

func isMember(tx *store.Tx, ws, user crm.ID) (bool, error) {
	var n int
	err := tx.QueryRow(`SELECT count(*) FROM memberships WHERE workspace_id = ? AND user_id = ?`, ws, user).Scan(&n)
	return n > 0, err
}

// diff lists the fields that differ between a and b, for events.
func diff(a, b Deal) map[string]crm.Change {
	ch := map[string]crm.Change{}
	add := func(name string, x, y any) {
		if jsonText(x) != jsonText(y) {
			ch[name] = crm.Change{Before: emptyNil(x), After: emptyNil(y)}
		}
	}
	add("title", a.Title, b.Title)
	add("value", a.Value, b.Value)
	add("currency", a.Currency, b.Currency)
	add("pipeline_id", a.PipelineID, b.PipelineID)
	add("stage_id", a.StageID, b.StageID)
	add("status", a.Status, b.Status)
	add("lost_reason", a.LostReason, b.LostReason)
	add("expected_close", a.ExpectedClose, b.ExpectedClose)
	add("owner_id", a.OwnerID, b.OwnerID)
	add("contact_id", a.ContactID, b.ContactID)
	add("company_id", a.CompanyID, b.CompanyID)
	add("source", a.Source, b.Source)
	add("priority", a.Priority, b.Priority)
	add("tags", a.Tags, b.Tags)
	add("contacts", contactRoles(a.Contacts), contactRoles(b.Contacts))
	for k := range mergedKeys(a.Custom, b.Custom) {
		add("custom."+k, a.Custom[k], b.Custom[k])
	}
	return ch
}

// contactRoles is the event form of other contacts: [{contact_id, role}].
func contactRoles(cs []DealContact) []map[string]any {
	var out []map[string]any
	for _, c := range cs {
		out = append(out, map[string]any{"contact_id": c.ContactID.String(), "role": c.Role})
	}
	return out
}

func mergedKeys(a, b map[string]any) map[string]bool {
	m := map[string]bool{}
	for k := range a {
		m[k] = true
	}
	for k := range b {
		m[k] = true
	}
	return m
}

func emptyNil(v any) any {
	switch x := v.(type) {
	case string:
		if x == "" {
			return nil
		}
	case crm.ID:
		if x == 0 {
			return nil
		}
	case nil:
		return nil
	}
	if s := jsonText(v); s == "null" || s == "[]" || s == "{}" {
		return nil
	}
	return v
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	if string(b) == "null" {
		switch v.(type) {
		case map[string]any:
			return "{}"
		case []string, []map[string]any:
			return "[]"
		}
	}
	return string(b)
}

func cleanList(in []string) []string {
	var out []string
	for _, o := range in {
		if o = strings.TrimSpace(o); o != "" && !slices.Contains(out, o) {
			out = append(out, o)
		}
	}
	return out
}

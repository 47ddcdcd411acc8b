package importer

import (
	"encoding/json"
	"strings"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/deals"
	"github.com/tandemcrm/tandem/internal/products"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
)

// Deals imports sales in pipelines through internal/deals.
type Deals struct{}

// Name implements Kind.
func (Deals) Name() string { return "deals" }

// Object implements Kind.
func (Deals) Object() string { return "deal" }

// DefaultDedupe: by external id when the file has one (see Adjust).
func (Deals) DefaultDedupe() Dedupe { return Dedupe{Policy: CreateOrUpdate, Match: "external_id"} }

// Fields implements Kind, with the export headers of HubSpot, Pipedrive,
// Salesforce and Zoho.
func (Deals) Fields(d Defs) []FieldSpec {
	return append([]FieldSpec{
		{Key: "title", Label: "Title", Match: true, Synonyms: []string{"title", "dealname", "dealtitle", "name", "opportunityname",
			"opportunity", "deal", "potentialname", "subject"}},
		{Key: "value", Label: "Value", Synonyms: []string{"value", "amount", "dealvalue", "dealamount", "opportunityamount",
			"amountincompanycurrency", "revenue", "dealsize", "expectedrevenue"}},
		{Key: "currency", Label: "Currency", Synonyms: []string{"currency", "dealcurrency", "currencycode", "currencyisocode", "valuecurrency"}},
		{Key: "pipeline", Label: "Pipeline (name)", Synonyms: []string{"pipeline", "dealpipeline", "pipelinename", "salesprocess"}},
		{Key: "stage", Label: "Stage (name, or won / lost)", Synonyms: []string{"stage", "dealstage", "stagename", "opportunitystage", "salesstage"}},
		{Key: "status", Label: "Status (open, won, lost)", Synonyms: []string{"status", "dealstatus", "wonlost", "outcome"}},
		{Key: "lost_reason", Label: "Lost reason", Synonyms: []string{"lostreason", "closedlostreason", "lossreason", "reasonforloss", "reasonlost"}},
		{Key: "expected_close", Label: "Expected close date", Synonyms: []string{"closedate", "expectedclosedate", "expectedclose",
			"expectedclosingdate", "closingdate", "dealclosedate"}},
		{Key: "owner", Label: "Owner (email)", Synonyms: []string{"owner", "dealowner", "owneremail", "opportunityowner", "assignedto", "salesrep"}},
		{Key: "contact", Label: "Contact (email)", Synonyms: []string{"contactemail", "contact", "personemail", "primarycontactemail",
			"associatedcontactemail", "email", "contactperson"}},
		{Key: "company", Label: "Company (name)", Synonyms: []string{"company", "companyname", "accountname", "account", "organization",
			"organisation", "organizationname", "associatedcompany"}},
		{Key: "company_domain", Label: "Company domain", Synonyms: []string{"companydomain", "companydomainname", "domain", "website"}},
		{Key: "source", Label: "Source", Synonyms: []string{"source", "leadsource", "dealsource", "originalsource"}},
		{Key: "priority", Label: "Priority", Options: deals.Priorities, Synonyms: []string{"priority", "dealpriority"}},
		{Key: "tags", Label: "Tags", Synonyms: []string{"tags", "labels", "label", "categories"}},
		{Key: "external_id", Label: "External id", Match: true, Synonyms: []string{"id", "externalid", "dealid", "recordid",
			"opportunityid", "salesforceid", "hubspotid"}},
	}, customSpecs(d.Custom)...)
}

// Adjust: without an id column, deals are matched by nothing (each row is
// a new deal): titles repeat too often to find a deal by.
func (Deals) Adjust(t *Template, taken map[string]bool) {
	if !taken["external_id"] {
		t.Dedupe = Dedupe{}
	}
}

// Index implements Kind: deals are indexed as they are written.
func (Deals) Index() []IndexTarget { return nil }

// dealWords are the stage names of other CRMs that mean a closed deal.
var dealWords = map[string]string{"closedwon": deals.Won, "won": deals.Won, "closedlost": deals.Lost, "lost": deals.Lost,
	"open": deals.Open, "closedwonlost": ""}

type dealBatch struct {
	domainBatch
	pipelines []deals.Pipeline
}

// Start implements Kind.
func (Deals) Start(tx *store.Tx, r *Run) (Batch, error) {
	b := &dealBatch{domainBatch: domainBatch{run: r, match: r.Plan.Template.Dedupe.Match, policy: r.Plan.Template.Dedupe.Policy,
		keys: map[string]*domainTarget{}, object: "deal"}}
	b.write = b.writeDeal
	var err error
	if b.pipelines, err = deals.ListPipelines(tx, r.WorkspaceID); err != nil {
		return nil, err
	}
	if b.match == "" {
		return b, nil
	}
	col := "external_id"
	if b.match == "title" {
		col = "lower(title)"
	}
	rows, err := tx.Query(`SELECT id, owner_id, import_id, `+col+` FROM deals WHERE workspace_id = ? AND deleted_at IS NULL ORDER BY id`, r.WorkspaceID)
	if err != nil {
		return nil, errf("load deals: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var t domainTarget
		var imp crm.ID
		var key string
		if err := rows.Scan(&t.id, &t.owner, &imp, &key); err != nil {
			return nil, err
		}
		t.mine = imp == r.ID
		if _, dup := b.keys[key]; !dup && key != "" {
			b.keys[key] = &t
		}
	}
	return b, rows.Err()
}

// place finds the pipeline and stage a row names, and the status its stage
// or status column says.
func (b *dealBatch) place(vals map[string]string) (deals.Pipeline, deals.Stage, string, *Outcome) {
	var pl deals.Pipeline
	if len(b.pipelines) > 0 {
		pl = b.pipelines[0]
	}
	if v := vals["pipeline"]; v != "" {
		found := false
		for _, p := range b.pipelines {
			if strings.EqualFold(p.Name, v) {
				pl, found = p, true
			}
		}
		if !found {
			o := fail("pipeline", v, "no pipeline has this name; use one of "+pipelineNames(b.pipelines))
			return pl, deals.Stage{}, "", &o
		}
	}
	status := ""
	if v := vals["status"]; v != "" {
		s, ok := dealWords[norm(v)]
		if !ok || s == "" {
			o := fail("status", v, "use open, won or lost, or map this value in the template")
			return pl, deals.Stage{}, "", &o
		}
		status = s
	}
	v := vals["stage"]
	if v == "" {
		return pl, deals.Stage{}, status, nil
	}
	for _, s := range pl.Stages {
		if strings.EqualFold(s.Name, v) {
			return pl, s, status, nil
		}
	}
	if vals["pipeline"] == "" {
		for _, p := range b.pipelines {
			for _, s := range p.Stages {
				if strings.EqualFold(s.Name, v) {
					return p, s, status, nil
				}
			}
		}
	}
	if s, ok := dealWords[norm(v)]; ok && s != "" {
		// "Closed Won": the deal is decided; it stands in the last stage.
		if status == "" {
			status = s
		}
		if len(pl.Stages) > 0 {
			return pl, pl.Stages[len(pl.Stages)-1], status, nil
		}
	}
	names := make([]string, len(pl.Stages))
	for i, s := range pl.Stages {
		names[i] = s.Name
	}
	o := fail("stage", v, "no stage of "+pl.Name+" has this name; use one of "+strings.Join(names, ", ")+", won or lost, or map this value in the template")
	return pl, deals.Stage{}, "", &o
}

func pipelineNames(ps []deals.Pipeline) string {
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.Name
	}
	return strings.Join(names, ", ")
}

// Row implements Batch.
func (b *dealBatch) Row(line int, vals map[string]string) Outcome {
	if vals["title"] == "" {
		return fail("title", "", "a deal needs a title")
	}
	if _, _, _, o := b.place(vals); o != nil {
		return *o
	}
	cur := dealCurrency(vals)
	if !crm.ValidCurrency(cur) {
		return fail("currency", vals["currency"], "not a three-letter currency code like USD or EUR")
	}
	if v := vals["value"]; v != "" {
		if _, err := crm.ParseAmount(dealAmount(v), cur); err != nil {
			return fail("value", v, "not an amount in "+cur+" like 1250.50")
		}
	}
	if v := vals["expected_close"]; v != "" {
		if _, ok := dateOnly(v); !ok {
			return fail("expected_close", v, "not a date like 2026-01-31")
		}
	}
	var notes []Outcome
	if _, o := b.run.Owner(vals["owner"]); o != nil {
		notes = append(notes, *o)
	}
	if _, bad := b.run.CustomValues(vals, true); bad != nil {
		return *bad
	}
	key := vals[b.match]
	if b.match == "title" {
		key = strings.ToLower(key)
	}
	return b.decide(line, vals, key, notes)
}

// dealCurrency is the row's currency: its column, a code in the value
// ("1,200 EUR"), or USD.
func dealCurrency(vals map[string]string) string {
	if c := strings.ToUpper(strings.TrimSpace(vals["currency"])); c != "" {
		return c
	}
	for _, f := range strings.Fields(vals["value"]) {
		if len(f) == 3 && products.KnownCurrency(strings.ToUpper(f)) && strings.ContainsAny(vals["value"], "0123456789") {
			return strings.ToUpper(f)
		}
	}
	if v := strings.TrimSpace(vals["value"]); v != "" {
		switch {
		case strings.HasPrefix(v, "€") || strings.HasSuffix(v, "€"):
			return "EUR"
		case strings.HasPrefix(v, "£"):
			return "GBP"
		}
	}
	return "USD"
}

// dealAmount strips what exports put around an amount: currency symbols and
// codes, spaces and thousands separators ("$1,250.50" → "1250.50").
func dealAmount(v string) string {
	var b strings.Builder
	for _, r := range v {
		if (r >= '0' && r <= '9') || r == '.' || r == '-' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// dateOnly reads a date (or a date and time, of which the date is kept).
func dateOnly(v string) (string, bool) {
	t, ok := parseTime(v)
	if !ok {
		return "", false
	}
	return t.Format("2006-01-02"), true
}

// Flush implements Batch.
func (b *dealBatch) Flush(tx *store.Tx) error { return b.flush(tx) }

// Finish implements Batch.
func (b *dealBatch) Finish(tx *store.Tx) error { return b.dropPlanned(tx) }

// links resolves the row's owner, contact and company, noting what it could
// not find. before is the deal the row updates (nil for a new one): a link
// it has already stays, but a new link must be to a record the importing
// member sees, as when they edit the deal by hand. A hidden one is left out
// with a warning, not made the row's error ("No such contact.").
func (b *dealBatch) links(tx *store.Tx, op *domainOp, before *deals.Deal) (owner, contact, company crm.ID, err error) {
	r, v := b.run, op.vals
	owner, _ = r.Owner(v["owner"])
	var had deals.Deal
	if before != nil {
		had = *before
	}
	if e := v["contact"]; e != "" {
		var hidden bool
		if contact, hidden, err = linkContact(tx, r.Principal, e, had.ContactID); err != nil {
			return
		}
		why := "no contact has this email; the deal has no contact"
		if hidden {
			why = "the contact with this email is hidden from you, so it is not linked"
		}
		if contact == 0 {
			if err = b.issue(tx, op.line, Warned, "contact", e, why); err != nil {
				return
			}
		}
	}
	if n, d := v["company"], records.NormalizeDomain(v["company_domain"]); n != "" || d != "" {
		var hidden bool
		if company, hidden, err = linkCompany(tx, r.Principal, n, d, had.CompanyID); err != nil {
			return
		}
		why := "no company has this name or domain; the deal has no company"
		if hidden {
			why = "the company with this name or domain is hidden from you, so it is not linked"
		}
		if company == 0 {
			f, val := "company", n
			if n == "" {
				f, val = "company_domain", d
			}
			err = b.issue(tx, op.line, Warned, f, val, why)
		}
	}
	return
}

// writeDeal creates or updates one deal through internal/deals.
func (b *dealBatch) writeDeal(tx *store.Tx, op *domainOp) (crm.ID, error) {
	r, v := b.run, op.vals
	pl, st, status, o := b.place(v)
	if o != nil {
		return 0, crm.Errorf(crm.Invalid, "%s", o.Message)
	}
	var d, before deals.Deal
	var had *deals.Deal
	if op.target != nil {
		var err error
		if before, err = deals.GetDeal(tx, r.WorkspaceID, op.target.id, false); err != nil {
			return 0, err
		}
		had = &before
	}
	owner, contact, company, err := b.links(tx, op, had)
	if err != nil {
		return 0, err
	}
	custom, _ := r.CustomValues(v, op.target == nil)
	cur := dealCurrency(v)
	closeOn, _ := dateOnly(v["expected_close"])
	if op.target == nil {
		in := deals.NewDeal{Title: v["title"], Currency: cur, PipelineID: pl.ID, StageID: st.ID, ExpectedClose: closeOn,
			OwnerID: owner, ContactID: contact, CompanyID: company, Source: v["source"], Priority: v["priority"],
			Tags: splitList(v["tags"]), Custom: custom}
		if v["value"] != "" {
			in.ValueDecimal = dealAmount(v["value"])
		}
		if d, err = deals.CreateDeal(tx, r.Principal, in); err != nil {
			return 0, err
		}
		if _, err := tx.Exec(`UPDATE deals SET import_id = ?, external_id = ? WHERE workspace_id = ? AND id = ?`,
			r.ID, v["external_id"], r.WorkspaceID, d.ID); err != nil {
			return 0, errf("deal import id: %w", err)
		}
	} else {
		if d, err = deals.UpdateDeal(tx, r.Principal, before.ID, dealPatch(v, cur, closeOn, owner, contact, company, st.ID, custom), 0); err != nil {
			return 0, err
		}
	}
	if status != "" && status != d.Status {
		if d, err = setDealStatus(tx, r.Principal, d, status, v["lost_reason"]); err != nil {
			return 0, err
		}
	}
	if op.target != nil && !op.target.mine {
		return d.ID, keepBefore(tx, r, "deal", d.ID, dealImage(before), d.Version)
	}
	return d.ID, nil
}

// dealPatch is the update a row makes: the fields it has.
func dealPatch(v map[string]string, cur, closeOn string, owner, contact, company, stage crm.ID, custom map[string]any) deals.DealPatch {
	var p deals.DealPatch
	str := func(key string, dst **string, val string) {
		if v[key] != "" {
			*dst = &val
		}
	}
	str("title", &p.Title, v["title"])
	str("currency", &p.Currency, cur)
	str("expected_close", &p.ExpectedClose, closeOn)
	str("source", &p.Source, v["source"])
	str("priority", &p.Priority, v["priority"])
	if v["value"] != "" {
		a := dealAmount(v["value"])
		p.ValueDecimal = &a
		if p.Currency == nil {
			p.Currency = &cur
		}
	}
	for _, f := range []struct {
		id  crm.ID
		dst **crm.ID
	}{{owner, &p.OwnerID}, {contact, &p.ContactID}, {company, &p.CompanyID}, {stage, &p.StageID}} {
		if f.id != 0 {
			id := f.id
			*f.dst = &id
		}
	}
	if v["tags"] != "" {
		t := splitList(v["tags"])
		p.Tags = &t
	}
	p.Custom = custom
	return p
}

// setDealStatus wins, loses or reopens a deal as the row says.
func setDealStatus(tx *store.Tx, p crm.Principal, d deals.Deal, status, reason string) (deals.Deal, error) {
	var err error
	if d.Status != deals.Open {
		if d, err = deals.Reopen(tx, p, d.ID, 0); err != nil {
			return d, err
		}
	}
	switch status {
	case deals.Won:
		return deals.Win(tx, p, d.ID, 0)
	case deals.Lost:
		return deals.Lose(tx, p, d.ID, reason, 0)
	}
	return d, nil
}

// dealBefore is what undo puts back on a deal the import updated.
type dealBefore struct {
	ID                                                 crm.ID
	Title, Currency, Status, LostReason, ExpectedClose string
	Source, Priority                                   string
	Value                                              int64
	StageID, OwnerID, ContactID, CompanyID             crm.ID
	Tags                                               []string
	Custom                                             map[string]any
}

func dealImage(d deals.Deal) dealBefore {
	return dealBefore{ID: d.ID, Title: d.Title, Currency: d.Currency, Status: d.Status, LostReason: d.LostReason,
		ExpectedClose: d.ExpectedClose, Source: d.Source, Priority: d.Priority, Value: d.Value, StageID: d.StageID,
		OwnerID: d.OwnerID, ContactID: d.ContactID, CompanyID: d.CompanyID, Tags: d.Tags, Custom: d.Custom}
}

// Undo implements Kind: created deals go to the trash, updated ones get
// their before-images back through internal/deals.
func (Deals) Undo(tx *store.Tx, r *Run) (UndoResult, error) {
	var res UndoResult
	n, err := trashCreated(tx, r, "deals", "deal")
	res.Removed = int(n)
	if err != nil {
		return res, err
	}
	return res, restoreAll(tx, r, &res)
}

func restoreDeal(tx *store.Tx, r *Run, image string, version int64) (bool, error) {
	var b dealBefore
	if err := json.Unmarshal([]byte(image), &b); err != nil {
		return false, errf("undo: before-image: %w", err)
	}
	cur, err := deals.GetDeal(tx, r.WorkspaceID, b.ID, false)
	if crm.ErrorCode(err) == crm.NotFound || (err == nil && cur.Version != version) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	custom := map[string]any{}
	for k := range cur.Custom {
		custom[k] = nil
	}
	for k, v := range b.Custom {
		custom[k] = v
	}
	tags := b.Tags
	if tags == nil {
		tags = []string{}
	}
	p := deals.DealPatch{Title: &b.Title, Currency: &b.Currency, ExpectedClose: &b.ExpectedClose, Source: &b.Source,
		Priority: &b.Priority, Value: &b.Value, OwnerID: &b.OwnerID, ContactID: &b.ContactID, CompanyID: &b.CompanyID,
		StageID: &b.StageID, Tags: &tags, Custom: custom}
	d, err := deals.UpdateDeal(tx, r.Principal, b.ID, p, version)
	if err != nil {
		return false, err
	}
	if d.Status != b.Status {
		if b.Status == deals.Open {
			_, err = deals.Reopen(tx, r.Principal, d.ID, 0)
		} else {
			_, err = setDealStatus(tx, r.Principal, d, b.Status, b.LostReason)
		}
	}
	return err == nil, err
}

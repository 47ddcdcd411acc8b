package importer

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
)

// Companies imports organisations.
type Companies struct{}

// Name implements Kind.
func (Companies) Name() string { return "companies" }

// Object implements Kind.
func (Companies) Object() string { return "company" }

// DefaultDedupe: match by domain, create or update.
func (Companies) DefaultDedupe() Dedupe { return Dedupe{Policy: CreateOrUpdate, Match: "domain"} }

// Fields implements Kind.
func (Companies) Fields(d Defs) []FieldSpec {
	return append([]FieldSpec{
		{Key: "name", Label: "Name", Match: true, Synonyms: []string{"companyname", "company", "name", "accountname", "account",
			"organization", "organisation", "organizationname", "firma", "entreprise"}},
		{Key: "domain", Label: "Domain or website", Match: true, Synonyms: []string{"domain", "companydomainname", "companydomain",
			"website", "websiteurl", "web", "url"}},
		{Key: "other_domains", Label: "Other domains", Synonyms: []string{"otherdomains", "domains", "additionaldomains",
			"alternatedomains", "secondarydomains", "otherwebsites"}},
		{Key: "industry", Label: "Industry", Synonyms: []string{"industry", "sector", "branche"}},
		{Key: "size", Label: "Employees", Synonyms: []string{"size", "employees", "numberofemployees", "employeecount", "headcount", "companysize"}},
		{Key: "phone", Label: "Phone", Synonyms: []string{"phone", "phonenumber", "telephone", "companyphone", "mainphone"}},
		{Key: "tags", Label: "Tags", Synonyms: []string{"tags", "tag", "labels", "label", "categories"}},
		{Key: "owner", Label: "Owner (email)", Synonyms: []string{"owner", "companyowner", "accountowner", "owneremail", "recordowner", "assignedto"}},
		{Key: "parent", Label: "Parent company (domain or name)", Synonyms: []string{"parentcompany", "parent", "parentaccount",
			"parentaccountname", "parentcompanyname", "parentorganization", "parentorganisation", "parentname", "parentdomain"}},
		{Key: "external_id", Label: "External id", Match: true, Synonyms: []string{"id", "externalid", "recordid", "companyid",
			"accountid", "salesforceid", "hubspotid"}},
	}, append(addressSpecs(billingSynonyms), customSpecs(d.Custom)...)...)
}

// Adjust implements Kind.
func (Companies) Adjust(*Template, map[string]bool) {}

// companyRow is a company as the import reads and writes it.
type companyRow struct {
	ID              crm.ID         `json:"id"`
	Name            string         `json:"name"`
	Domain          string         `json:"domain"`
	Domains         []string       `json:"domains"` // the others, after the primary (company_domains)
	Industry        string         `json:"industry"`
	Size            int            `json:"size"`
	Phone           string         `json:"phone"`
	records.Address                // street, city, … (flat in the JSON, as events name them)
	Owner           crm.ID         `json:"owner_id"`
	Parent          crm.ID         `json:"parent_id"`
	Tags            []string       `json:"tags"`
	Custom          map[string]any `json:"custom"`
	ExternalID      string         `json:"external_id"`
	Version         int64          `json:"version"`
}

type companyBatch struct {
	run     *Run
	match   string
	policy  Policy
	keys    map[string]entry
	creates []*companyRow
	pending map[crm.ID]*companyRow
	updates []companyUpdate
	addr    []string // the address parts the file has columns for
	parents *parents // nil when the file has no parent column
}

type companyUpdate struct {
	id     crm.ID
	mine   bool
	c      companyRow
	set    map[string]bool
	line   int
	parent string // the row's parent cell, for a warning when it is refused
}

func companyKey(match string, c companyRow) string {
	switch match {
	case "name":
		return strings.ToLower(c.Name)
	case "domain":
		return c.Domain
	case "external_id":
		return c.ExternalID
	}
	return ""
}

// Start implements Kind.
func (Companies) Start(tx *store.Tx, r *Run) (Batch, error) {
	b := &companyBatch{run: r, match: r.Plan.Template.Dedupe.Match, policy: r.Plan.Template.Dedupe.Policy,
		keys: map[string]entry{}, pending: map[crm.ID]*companyRow{}, addr: mapped(r.Plan, addressKeys...)}
	if len(mapped(r.Plan, "parent")) > 0 {
		var err error
		if b.parents, err = loadParents(tx, r); err != nil {
			return nil, err
		}
	}
	if b.match == "" {
		return b, nil
	}
	rows, err := tx.Query(`SELECT id, name, domain, external_id, owner_id, import_id FROM companies
		WHERE workspace_id = ? AND deleted_at IS NULL ORDER BY id`, r.WorkspaceID)
	if err != nil {
		return nil, errf("load companies: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var c companyRow
		var e entry
		var imp crm.ID
		if err := rows.Scan(&e.id, &c.Name, &c.Domain, &c.ExternalID, &e.owner, &imp); err != nil {
			return nil, err
		}
		e.mine = imp == r.ID
		if k := companyKey(b.match, c); k != "" {
			if _, dup := b.keys[k]; !dup {
				b.keys[k] = e
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	if b.match == "domain" {
		// A company is found by any of its domains; a primary domain
		// wins over another company's other one.
		others, err := tx.Query(`SELECT cd.domain, c.id, c.owner_id, c.import_id FROM company_domains cd
			JOIN companies c ON c.workspace_id = cd.workspace_id AND c.id = cd.company_id
			WHERE cd.workspace_id = ? AND c.deleted_at IS NULL ORDER BY c.id, cd.position`, r.WorkspaceID)
		if err != nil {
			return nil, errf("load company domains: %w", err)
		}
		defer others.Close()
		for others.Next() {
			var d string
			var e entry
			var imp crm.ID
			if err := others.Scan(&d, &e.id, &e.owner, &imp); err != nil {
				return nil, err
			}
			e.mine = imp == r.ID
			if _, dup := b.keys[d]; !dup {
				b.keys[d] = e
			}
		}
		return b, others.Err()
	}
	return b, nil
}

func (b *companyBatch) parse(vals map[string]string) (companyRow, Outcome) {
	var out Outcome
	c := companyRow{Name: strings.TrimSpace(vals["name"]), Domain: records.NormalizeDomain(vals["domain"]),
		Industry: vals["industry"], Phone: vals["phone"], ExternalID: vals["external_id"], Tags: splitList(vals["tags"])}
	if v := vals["domain"]; v != "" && !strings.Contains(c.Domain, ".") {
		return c, fail("domain", v, "not a domain like example.com")
	}
	for _, v := range splitList(vals["other_domains"]) {
		d := records.NormalizeDomain(v)
		switch {
		case !strings.Contains(d, "."):
			out.Notes = append(out.Notes, Outcome{Action: Warned, Field: "other_domains", Value: v, Message: "not a domain like example.com; left out"})
		case d != c.Domain && !slices.Contains(c.Domains, d):
			c.Domains = append(c.Domains, d)
		}
	}
	if max := records.MaxDomains - 1; len(c.Domains) > max {
		out.Notes = append(out.Notes, Outcome{Action: Warned, Field: "other_domains", Message: fmt.Sprintf("a company holds at most %d domains; the rest are left out", records.MaxDomains)})
		c.Domains = c.Domains[:max]
	}
	if c.Name == "" {
		c.Name = c.Domain
	}
	if len(c.Name) > 200 || len(c.Industry) > 200 || len(c.ExternalID) > 200 {
		return c, fail("name", c.Name, "name, industry and external id are limited to 200 characters")
	}
	a, _, bad := addressOf(vals, b.addr)
	if bad != nil {
		return c, *bad
	}
	c.Address = a
	if v := vals["size"]; v != "" {
		n, err := strconv.Atoi(strings.ReplaceAll(strings.ReplaceAll(v, ",", ""), " ", ""))
		if err != nil || n < 0 {
			return c, fail("size", v, "not a whole number of employees")
		}
		c.Size = n
	}
	if v := c.Phone; v != "" {
		if n := len(crm.Digits(v)); n < 5 || n > 20 {
			return c, fail("phone", v, "a phone number needs 5 to 20 digits")
		}
	}
	var o *Outcome
	c.Owner, o = b.run.Owner(vals["owner"])
	if o != nil {
		out.Notes = append(out.Notes, *o)
	}
	return c, out
}

// Row implements Batch.
func (b *companyBatch) Row(line int, vals map[string]string) Outcome {
	c, out := b.parse(vals)
	if out.Action == Errored {
		return out
	}
	if c.Name == "" {
		return fail("name", "", "a company needs a name or a domain")
	}
	key := companyKey(b.match, c)
	e, found := b.keys[key]
	found = found && key != ""
	if !found && b.match == "domain" {
		for _, d := range c.Domains {
			if e, found = b.keys[d]; found {
				key = d
				break
			}
		}
	}
	switch {
	case b.policy == UpdateOnly && !found:
		return skip(b.match, key, "no company has this "+b.match)
	case b.policy == CreateOnly && found:
		return skip(b.match, key, "a company with this "+b.match+" exists already")
	case found && !e.mine && !b.run.Sees(e.owner):
		return skip(b.match, key, "matches a company you cannot see")
	}
	custom, bad := b.run.CustomValues(vals, !found)
	if bad != nil {
		return *bad
	}
	c.Custom = custom
	set := map[string]bool{}
	for k := range vals {
		set[k] = true
	}
	if c.Address != (records.Address{}) {
		for _, k := range b.addr { // the address is replaced whole (setAddress)
			set[addressPart(k)] = true
		}
	}
	if found {
		if v := vals["parent"]; v != "" && b.parents != nil {
			c.Parent = b.parents.find(v)
			if c.Parent == 0 || c.Parent == e.id {
				delete(set, "parent")
				b.parents.later(e.id, line, v)
			}
		}
		if p := b.pending[e.id]; p != nil {
			mergeCompany(p, c, set)
		} else {
			b.updates = append(b.updates, companyUpdate{id: e.id, mine: e.mine, c: c, set: set, line: line, parent: vals["parent"]})
		}
		out.Action = Updated
		return out
	}
	c.ID, c.Version = b.run.NewID(), 1
	if c.Owner == 0 {
		c.Owner = b.run.Principal.UserID
	}
	if b.parents != nil {
		if v := vals["parent"]; v != "" {
			if c.Parent = b.parents.find(v); c.Parent == 0 {
				b.parents.later(c.ID, line, v)
			}
		}
		b.parents.add(c.ID, c.Name, append([]string{c.Domain}, c.Domains...))
	}
	b.creates = append(b.creates, &c)
	b.pending[c.ID] = &c
	if key != "" {
		b.keys[key] = entry{id: c.ID, owner: c.Owner, mine: true}
	}
	if b.match == "domain" {
		for _, d := range c.Domains {
			if _, dup := b.keys[d]; !dup {
				b.keys[d] = entry{id: c.ID, owner: c.Owner, mine: true}
			}
		}
	}
	out.Action = Created
	return out
}

func mergeCompany(dst *companyRow, src companyRow, set map[string]bool) {
	str := func(key string, d *string, v string) {
		if (set[key] || (key == "name" && set["domain"] && *d == "")) && v != "" {
			*d = v
		}
	}
	str("name", &dst.Name, src.Name)
	// A domain the company has already (a row found by one of its other
	// domains) leaves the primary as it is; a new one becomes the primary,
	// and the old primary stays as another domain.
	if was := dst.Domain; set["domain"] && src.Domain != "" && src.Domain != was && !slices.Contains(dst.Domains, src.Domain) {
		if was != "" {
			dst.Domains = append([]string{was}, dst.Domains...)
		}
		dst.Domain = src.Domain
	}
	for _, d := range src.Domains {
		if !slices.Contains(dst.Domains, d) {
			dst.Domains = append(dst.Domains, d)
		}
	}
	dst.Domains = slices.DeleteFunc(dst.Domains, func(d string) bool { return d == dst.Domain })
	if len(dst.Domains) > records.MaxDomains-1 {
		dst.Domains = dst.Domains[:records.MaxDomains-1]
	}
	str("industry", &dst.Industry, src.Industry)
	str("phone", &dst.Phone, src.Phone)
	str("external_id", &dst.ExternalID, src.ExternalID)
	setAddress(&dst.Address, src.Address, set)
	if set["size"] {
		dst.Size = src.Size
	}
	if set["parent"] && src.Parent != 0 {
		dst.Parent = src.Parent
	}
	if src.Owner != 0 {
		dst.Owner = src.Owner
	}
	for _, t := range src.Tags {
		if !slices.Contains(dst.Tags, t) && len(dst.Tags) < 50 {
			dst.Tags = append(dst.Tags, t)
		}
	}
	if len(src.Custom) > 0 && dst.Custom == nil {
		dst.Custom = map[string]any{}
	}
	for k, v := range src.Custom {
		dst.Custom[k] = v
	}
}

var companyFullCols = []string{"id", "workspace_id", "name", "domain", "industry", "size", "phone", "street", "city", "state",
	"postal_code", "country", "owner_id", "parent_id", "tags", "custom", "external_id", "import_id", "created_by", "updated_by", "created_at",
	"updated_at", "version"}

// Flush implements Batch.
func (b *companyBatch) Flush(tx *store.Tx) error {
	defer func() {
		b.creates, b.updates = b.creates[:0], b.updates[:0]
		clear(b.pending)
	}()
	if b.run.DryRun {
		return b.dryParents(tx)
	}
	r := b.run
	now, by := store.Micros(r.Now), r.Principal.UserID
	rows := make([][]any, 0, len(b.creates))
	for _, c := range b.creates {
		rows = append(rows, []any{c.ID, r.WorkspaceID, c.Name, c.Domain, c.Industry, c.Size, c.Phone, c.Street, c.City, c.State,
			c.PostalCode, c.Country, c.Owner, c.Parent, jsonText(c.Tags), jsonText(c.Custom), c.ExternalID, r.ID, by, by, now, now, 1})
	}
	if err := insertRows(tx, "companies", companyFullCols, rows); err != nil {
		return err
	}
	var domains [][]any
	for _, c := range b.creates {
		for i, d := range c.Domains {
			domains = append(domains, []any{r.WorkspaceID, c.ID, d, i + 1})
		}
	}
	if err := insertRows(tx, "company_domains", companyDomainCols, domains); err != nil {
		return err
	}
	for _, u := range b.updates {
		if err := b.update(tx, u); err != nil {
			return err
		}
	}
	return nil
}

var companyDomainCols = []string{"workspace_id", "company_id", "domain", "position"}

const companySelect = `SELECT id, name, domain, industry, size, phone, street, city, state, postal_code, country, owner_id, parent_id,
	tags, custom, external_id, version FROM companies`

// readDomains fills c's other domains from company_domains.
func readDomains(tx *store.Tx, ws crm.ID, c *companyRow) error {
	rows, err := tx.Query(`SELECT domain FROM company_domains WHERE workspace_id = ? AND company_id = ? ORDER BY position`, ws, c.ID)
	if err != nil {
		return errf("company domains: %w", err)
	}
	defer rows.Close()
	c.Domains = nil
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			return err
		}
		c.Domains = append(c.Domains, d)
	}
	return rows.Err()
}

// writeDomains replaces c's other domains in company_domains.
func writeDomains(tx *store.Tx, ws crm.ID, c companyRow) error {
	if _, err := tx.Exec(`DELETE FROM company_domains WHERE workspace_id = ? AND company_id = ?`, ws, c.ID); err != nil {
		return errf("company domains: %w", err)
	}
	rows := make([][]any, 0, len(c.Domains))
	for i, d := range c.Domains {
		rows = append(rows, []any{ws, c.ID, d, i + 1})
	}
	return insertRows(tx, "company_domains", companyDomainCols, rows)
}

func scanCompany(row interface{ Scan(...any) error }) (companyRow, error) {
	var c companyRow
	var tags, custom string
	if err := row.Scan(&c.ID, &c.Name, &c.Domain, &c.Industry, &c.Size, &c.Phone, &c.Street, &c.City, &c.State, &c.PostalCode,
		&c.Country, &c.Owner, &c.Parent, &tags, &custom, &c.ExternalID, &c.Version); err != nil {
		return c, err
	}
	if err := json.Unmarshal([]byte(tags), &c.Tags); err != nil {
		return c, err
	}
	return c, json.Unmarshal([]byte(custom), &c.Custom)
}

// dryParents warns, in a dry run, of the rows that would put a company
// that exists under one of its own subsidiaries, as update does in the
// real run: the hierarchy checked is the one stored, without the parents
// the dry run's earlier rows would have set.
func (b *companyBatch) dryParents(tx *store.Tx) error {
	ws := b.run.WorkspaceID
	for _, u := range b.updates {
		if !u.set["parent"] || u.c.Parent == 0 {
			continue
		}
		var old crm.ID
		err := tx.QueryRow(`SELECT parent_id FROM companies WHERE workspace_id = ? AND id = ? AND deleted_at IS NULL`, ws, u.id).Scan(&old)
		if errors.Is(err, store.ErrNoRows) {
			continue // one the dry run would create
		} else if err != nil {
			return errf("read company %d: %w", u.id, err)
		}
		if _, err := b.refusedParent(tx, u, u.c.Parent, old); err != nil {
			return err
		}
	}
	return nil
}

// refusedParent says whether row u's new parent (old: its company's parent
// now) is one of the company's own subsidiaries, and warns on u's line if
// so: the parent is then left as it was.
func (b *companyBatch) refusedParent(tx *store.Tx, u companyUpdate, parent, old crm.ID) (bool, error) {
	if parent == old || parent == 0 {
		return false, nil
	}
	loop, err := records.IsUnder(tx, b.run.WorkspaceID, parent, u.id)
	if err != nil || !loop {
		return false, err
	}
	return true, b.run.issue(tx, u.line, Warned, "parent", u.parent,
		"the parent company belongs to this one already; parent left as it was")
}

func (b *companyBatch) update(tx *store.Tx, u companyUpdate) error {
	ws := b.run.WorkspaceID
	old, err := scanCompany(tx.QueryRow(companySelect+` WHERE workspace_id = ? AND id = ? AND deleted_at IS NULL`, ws, u.id))
	if err == store.ErrNoRows {
		return nil
	} else if err != nil {
		return errf("read company %d: %w", u.id, err)
	}
	if err := readDomains(tx, ws, &old); err != nil {
		return err
	}
	c := old
	c.Tags = append(c.Tags[:0:0], old.Tags...)
	c.Domains = slices.Clone(old.Domains)
	c.Custom = map[string]any{}
	for k, v := range old.Custom {
		c.Custom[k] = v
	}
	mergeCompany(&c, u.c, u.set)
	if refused, err := b.refusedParent(tx, u, c.Parent, old.Parent); err != nil {
		return err
	} else if refused {
		c.Parent = old.Parent
	}
	ch := diffRows(old, c)
	if len(ch) == 0 {
		return nil
	}
	c.Version = old.Version + 1
	if _, err := tx.Exec(`UPDATE companies SET name = ?, domain = ?, industry = ?, size = ?, phone = ?, street = ?, city = ?, state = ?,
		postal_code = ?, country = ?, owner_id = ?, parent_id = ?, tags = ?, custom = ?,
		external_id = ?, updated_by = ?, updated_at = ?, version = ? WHERE workspace_id = ? AND id = ?`,
		c.Name, c.Domain, c.Industry, c.Size, c.Phone, c.Street, c.City, c.State, c.PostalCode, c.Country, c.Owner, c.Parent,
		jsonText(c.Tags), jsonText(c.Custom), c.ExternalID,
		b.run.Principal.UserID, store.Micros(b.run.Now), c.Version, ws, c.ID); err != nil {
		return errf("update company %d: %w", c.ID, err)
	}
	if !slices.Equal(old.Domains, c.Domains) {
		if err := writeDomains(tx, ws, c); err != nil {
			return err
		}
	}
	if u.mine {
		return nil
	}
	if err := saveBefore(tx, b.run, "company", c.ID, old, c.Version); err != nil {
		return err
	}
	return tx.Emit(crm.Event{WorkspaceID: ws, Actor: b.run.Principal.Actor(), ObjectType: "company", ObjectID: c.ID,
		Action: crm.Updated, Changes: ch})
}

// Finish implements Batch: fresh search documents for the companies that
// existed before and were updated.
func (b *companyBatch) Finish(tx *store.Tx) error {
	if b.parents != nil {
		if err := b.parents.settle(tx, b.run); err != nil {
			return err
		}
	}
	if b.run.DryRun {
		return nil
	}
	return reindexUpdated(tx, b.run, companyDocs)
}

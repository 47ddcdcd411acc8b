package records

import (
	"fmt"
	"net"
	"strings"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// A company has one or more domains. The primary is companies.domain (lists
// sort by it; bulk loads write only it); the others live in company_domains
// in order. Company.Domains holds them all, the primary first, the way a
// contact's Emails hold the primary address first.

// MaxDomains bounds the domains of one company.
const MaxDomains = 20

// NormalizeDomain reduces what people paste as a company's domain to the
// bare host name: lower case, without a scheme, user, port, path, query,
// trailing dot or leading "www.", so "https://www.Acme.com/about",
// "ACME.com." and "acme.com" are the same company. An email address gives
// its domain. Whether the result is a valid domain is validateDomains' job.
func NormalizeDomain(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.Index(s, "://"); i >= 0 {
		s = s[i+3:]
	}
	s = strings.TrimPrefix(s, "mailto:")
	if i := strings.IndexAny(s, "/?#"); i >= 0 {
		s = s[:i]
	}
	if i := strings.LastIndex(s, "@"); i >= 0 {
		s = s[i+1:]
	}
	if h, _, err := net.SplitHostPort(s); err == nil {
		s = h
	}
	s = strings.TrimSuffix(s, ".")
	return strings.TrimPrefix(s, "www.")
}

// cleanDomains normalises a list of domains, dropping empty entries and
// repeats but keeping the order (the first stays primary).
func cleanDomains(in []string) []string {
	out := make([]string, 0, len(in))
	seen := map[string]bool{}
	for _, d := range in {
		d = NormalizeDomain(d)
		if d == "" || seen[d] {
			continue
		}
		seen[d] = true
		out = append(out, d)
	}
	return out
}

// validateDomains checks c.Domains and sets c.Domain to the primary. A bad
// primary is reported on "domain", any other on "domains.N".
func validateDomains(c *Company, fe crm.FieldErrors) {
	c.Domains = cleanDomains(c.Domains)
	c.Domain = ""
	if len(c.Domains) > 0 {
		c.Domain = c.Domains[0]
	}
	for i, d := range c.Domains {
		if domainRE.MatchString(d) && len(d) <= 253 {
			continue
		}
		if i == 0 {
			fe.Add("domain", "Enter a domain like example.com.")
		} else {
			fe.Add(fmt.Sprintf("domains.%d", i), "Enter a domain like example.com.")
		}
	}
	if len(c.Domains) > MaxDomains {
		fe.Add("domains", fmt.Sprintf("A company holds at most %d domains.", MaxDomains))
	}
}

// domainsPatch works out a company's domains from a change: domains replaces
// the list (the first becomes primary); domain alone replaces the primary and
// keeps the others. Sent together, they must agree on the primary.
func domainsPatch(old []string, domain *string, domains *[]string) ([]string, error) {
	switch {
	case domains != nil:
		list := cleanDomains(*domains)
		if domain != nil && (len(list) == 0 && NormalizeDomain(*domain) != "" ||
			len(list) > 0 && NormalizeDomain(*domain) != list[0]) {
			return nil, (crm.FieldErrors{"domain": "The primary domain is the first of domains; send one or the other, or the same."}).Err()
		}
		return append([]string(nil), *domains...), nil
	case domain != nil:
		primary := NormalizeDomain(*domain)
		out := []string{*domain}
		for i, d := range old {
			if i > 0 && d != primary {
				out = append(out, d)
			}
		}
		return out, nil
	}
	return append([]string(nil), old...), nil
}

// otherDomains are the domains after the primary.
func otherDomains(ds []string) []string {
	if len(ds) < 2 {
		return []string{}
	}
	return ds[1:]
}

// saveDomains stores the domains after the primary.
func saveDomains(tx *store.Tx, ws crm.ID, c Company) error {
	if _, err := tx.Exec(`DELETE FROM company_domains WHERE workspace_id = ? AND company_id = ?`, ws, c.ID); err != nil {
		return fmt.Errorf("records: company domains: %w", err)
	}
	for i, d := range c.Domains {
		if i == 0 {
			continue
		}
		if _, err := tx.Exec(`INSERT INTO company_domains (workspace_id, company_id, domain, position) VALUES (?, ?, ?, ?)`,
			ws, c.ID, d, i); err != nil {
			return fmt.Errorf("records: company domains: %w", err)
		}
	}
	return nil
}

// fillDomains reads the other domains of a page of companies in one query.
func fillDomains(tx *store.Tx, ws crm.ID, cs []Company) error {
	if len(cs) == 0 {
		return nil
	}
	ids := make([]any, 0, len(cs)+1)
	ids = append(ids, ws)
	at := map[crm.ID]int{}
	for i := range cs {
		cs[i].Domains = nil
		if cs[i].Domain != "" {
			cs[i].Domains = []string{cs[i].Domain}
		}
		at[cs[i].ID] = i
		ids = append(ids, cs[i].ID)
	}
	rows, err := tx.Query(`SELECT company_id, domain FROM company_domains WHERE workspace_id = ? AND company_id IN (`+
		placeholders(len(cs))+`) ORDER BY company_id, position`, ids...)
	if err != nil {
		return fmt.Errorf("records: company domains: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id crm.ID
		var d string
		if err := rows.Scan(&id, &d); err != nil {
			return err
		}
		if i, ok := at[id]; ok {
			cs[i].Domains = append(cs[i].Domains, d)
		}
	}
	return rows.Err()
}

// DomainDuplicate is another company that may be the same organisation.
type DomainDuplicate struct {
	Company Company
	Domains []string // the domains both have
}

// FindCompanyDuplicates returns the visible companies (never c itself)
// sharing any domain with c, primary or not, on either side.
func FindCompanyDuplicates(tx *store.Tx, p crm.Principal, c Company) ([]DomainDuplicate, error) {
	doms := cleanDomains(c.Domains)
	if len(doms) == 0 && c.Domain != "" {
		doms = []string{NormalizeDomain(c.Domain)}
	}
	if len(doms) == 0 {
		return nil, nil
	}
	clause, args, err := where(tx, "co", p.WorkspaceID, CompanySchema("co", nil), "", p)
	if err != nil {
		return nil, err
	}
	in := placeholders(len(doms))
	args = append(args, c.ID, p.WorkspaceID)
	for _, d := range doms {
		args = append(args, d)
	}
	args = append(args, p.WorkspaceID)
	for _, d := range doms {
		args = append(args, d)
	}
	// Two index lookups (primary domains, other domains) united; an OR
	// over both read every company of the workspace in SQLite.
	found, err := scanCompanies(tx, p.WorkspaceID, `SELECT `+companyCols+` FROM companies co WHERE `+clause+` AND co.id <> ? AND co.id IN (
		SELECT id FROM companies WHERE workspace_id = ? AND domain IN (`+in+`)
		UNION SELECT company_id FROM company_domains WHERE workspace_id = ? AND domain IN (`+in+`)) ORDER BY co.id LIMIT 20`, args...)
	if err != nil {
		return nil, err
	}
	out := make([]DomainDuplicate, 0, len(found))
	for _, f := range found {
		d := DomainDuplicate{Company: f}
		for _, x := range f.Domains {
			for _, y := range doms {
				if x == y {
					d.Domains = append(d.Domains, x)
				}
			}
		}
		out = append(out, d)
	}
	return out, nil
}

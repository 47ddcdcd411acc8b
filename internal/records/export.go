package records

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// ExportRow is one contact as exports write it: the record plus its
// company's name and domain and its owner's email.
type ExportRow struct {
	Contact
	CompanyDomain string
	OwnerEmail    string
}

// EachContact streams every contact matching a list query (its filter and
// sort; the cursor and limit are ignored) that the principal may export,
// in one query, calling fn for each. The default order is oldest first
// (created_at, then id), which a re-import of the file keeps.
func EachContact(tx *store.Tx, p crm.Principal, q ListQuery, fn func(ExportRow) error) error {
	clause, args, order, err := exportQuery(tx, p, q)
	if err != nil {
		return err
	}
	// The workspace's companies are read once, not looked up per contact
	// (a B-tree descent per row was a fifth of an export's time).
	companies, err := exportCompanies(tx, p.WorkspaceID)
	if err != nil {
		return err
	}
	rows, err := tx.Query(`SELECT `+exportCols+`, COALESCE(u.email, '')
		FROM contacts c
		LEFT JOIN users u ON u.id = c.owner_id
		WHERE `+clause+` ORDER BY `+order, args...)
	if err != nil {
		return fmt.Errorf("records: export: %w", err)
	}
	defer rows.Close()
	// Two goroutines, as a big export has two cores to use: this one reads
	// rows from the database (most of the work), the other decodes their
	// JSON columns and calls fn (the file's formatting), a batch at a time.
	batches := make(chan []exportRaw, 4)
	free := make(chan []exportRaw, 6)
	done := make(chan error, 1)
	go func() {
		var err error
		emit := func(r *exportRaw) (err error) {
			// A panic in fn fails the export instead of the process: the
			// caller's recovery (the HTTP server's) is on the other goroutine.
			defer func() {
				if p := recover(); p != nil {
					err = fmt.Errorf("records: export: panic: %v", p)
				}
			}()
			return r.emit(companies, fn)
		}
		for batch := range batches {
			for i := range batch {
				if err == nil {
					err = emit(&batch[i])
				}
			}
			select {
			case free <- batch[:0]:
			default:
			}
			if err != nil {
				// Keep draining, so the reader never blocks; it stops at
				// its next batch (failed).
				select {
				case done <- err:
				default:
				}
			}
		}
		close(done)
	}()
	failed := func() bool { return len(done) > 0 }
	batch := make([]exportRaw, 0, exportBatch)
	var scanErr error
	for rows.Next() {
		batch = append(batch, exportRaw{})
		r := &batch[len(batch)-1]
		c := &r.row.Contact
		if scanErr = rows.Scan(&c.ID, &c.FirstName, &c.LastName, &c.Email, &r.emails, &c.Phone, &r.phones, &c.Title, &c.CompanyID,
			&c.OwnerID, &c.Lifecycle, &c.Source, &r.place, &r.tags, &r.custom, &r.created, &r.updated, &c.Version, &c.CompanySince,
			&r.row.OwnerEmail); scanErr != nil {
			break
		}
		if len(batch) == exportBatch {
			if failed() {
				break
			}
			batches <- batch
			select {
			case batch = <-free:
			default:
				batch = make([]exportRaw, 0, exportBatch)
			}
		}
	}
	if scanErr == nil && !failed() && len(batch) > 0 {
		batches <- batch
	}
	close(batches)
	fnErr := <-done
	switch {
	case fnErr != nil:
		return fnErr
	case scanErr != nil:
		return scanErr
	}
	return rows.Err()
}

// exportBatch is how many rows go from the reading goroutine to the
// writing one at a time.
const exportBatch = 512

// exportCols are the columns an export reads: contactCols without who
// created and changed a contact, and with its address, time zone and links
// packed into one (exportPlace). Every column of every row costs a call
// into SQLite, with its lock, and most contacts have none of these.
const exportCols = `c.id, c.first_name, c.last_name, c.email, c.emails, c.phone, c.phones, c.title, c.company_id,
	c.owner_id, c.lifecycle, c.source, ` + exportPlace + `, c.tags, c.custom, c.created_at, c.updated_at, c.version, c.company_since`

// exportPlace is "" for a contact without address, time zone and links,
// else each of those columns as its length in bytes, ":" and its text.
const exportPlace = `CASE WHEN c.street = '' AND c.city = '' AND c.state = '' AND c.postal_code = '' AND c.country = ''
	AND c.time_zone = '' AND c.links = '[]' THEN '' ELSE
	octet_length(c.street) || ':' || c.street || octet_length(c.city) || ':' || c.city ||
	octet_length(c.state) || ':' || c.state || octet_length(c.postal_code) || ':' || c.postal_code ||
	octet_length(c.country) || ':' || c.country || octet_length(c.time_zone) || ':' || c.time_zone ||
	octet_length(c.links) || ':' || c.links END`

// unpack reads exportPlace's text into parts, in order.
func unpack(s string, parts ...*string) error {
	for _, p := range parts {
		i := strings.IndexByte(s, ':')
		if i < 0 {
			return fmt.Errorf("records: export: a packed column ends early")
		}
		n, err := strconv.Atoi(s[:i])
		if err != nil || n < 0 || i+1+n > len(s) {
			return fmt.Errorf("records: export: a packed column is not lengths and texts")
		}
		*p, s = s[i+1:i+1+n], s[i+1+n:]
	}
	return nil
}

// exportRaw is a row as read, its JSON and packed columns not yet decoded.
type exportRaw struct {
	row                                 ExportRow
	emails, phones, place, tags, custom string
	created, updated                    int64
}

func (r *exportRaw) emit(companies map[crm.ID]exportCompany, fn func(ExportRow) error) error {
	c := &r.row.Contact
	if co, ok := companies[c.CompanyID]; ok {
		c.CompanyName, r.row.CompanyDomain = co.name, co.domain
	}
	c.CreatedAt, c.UpdatedAt = store.FromMicros(r.created), store.FromMicros(r.updated)
	if r.place != "" {
		a := &c.Address
		var links string
		if err := unpack(r.place, &a.Street, &a.City, &a.State, &a.PostalCode, &a.Country, &c.TimeZone, &links); err != nil {
			return err
		}
		if err := decodeList(links, &c.Links); err != nil {
			return err
		}
	}
	if err := decodeList(r.emails, &c.Emails); err != nil {
		return err
	}
	if err := decodeList(r.phones, &c.Phones); err != nil {
		return err
	}
	if err := decodeList(r.tags, &c.Tags); err != nil {
		return err
	}
	if r.custom != "{}" && r.custom != "" {
		if err := json.Unmarshal([]byte(r.custom), &c.Custom); err != nil {
			return fmt.Errorf("records: contact %d: %w", c.ID, err)
		}
	}
	return fn(r.row)
}

type exportCompany struct{ name, domain string }

// exportCompanies maps the workspace's live companies to their name and
// domain.
func exportCompanies(tx *store.Tx, ws crm.ID) (map[crm.ID]exportCompany, error) {
	rows, err := tx.Query(`SELECT id, name, domain FROM companies WHERE workspace_id = ? AND deleted_at IS NULL`, ws)
	if err != nil {
		return nil, fmt.Errorf("records: export: %w", err)
	}
	defer rows.Close()
	m := map[crm.ID]exportCompany{}
	for rows.Next() {
		var id crm.ID
		var co exportCompany
		if err := rows.Scan(&id, &co.name, &co.domain); err != nil {
			return nil, err
		}
		m[id] = co
	}
	return m, rows.Err()
}

// CheckContactExport says whether EachContact would accept q from p (the
// permission, the filter and the sort), without running it: a streamed
// response must fail before its first byte.
func CheckContactExport(tx *store.Tx, p crm.Principal, q ListQuery) error {
	_, _, _, err := exportQuery(tx, p, q)
	return err
}

func exportQuery(tx *store.Tx, p crm.Principal, q ListQuery) (string, []any, string, error) {
	if err := account.Can(tx, p, account.ActExport, p.UserID); err != nil {
		return "", nil, "", err
	}
	defs, err := ListFields(tx, p.WorkspaceID, "contact", false)
	if err != nil {
		return "", nil, "", err
	}
	coDefs, err := ListFields(tx, p.WorkspaceID, "company", false)
	if err != nil {
		return "", nil, "", err
	}
	keys, _, err := parseSort(q.Sort, contactSorts, "created_at")
	if err != nil {
		return "", nil, "", err
	}
	clause, args, err := where(tx, "c", p.WorkspaceID, ContactSchema("c", defs, coDefs), q.Filter, p)
	if err != nil {
		return "", nil, "", err
	}
	order, _, _ := keyset(keys, "c", nil)
	return clause, args, order, nil
}

// decodeList decodes a JSON list column, skipping the empty ones.
func decodeList(s string, dst any) error {
	if s == "[]" || s == "" {
		return nil
	}
	return json.Unmarshal([]byte(s), dst)
}

// CompanyExportRow is one company as exports write it: the record and its
// owner's email.
type CompanyExportRow struct {
	Company
	OwnerEmail string
	// Parent names the parent company as an import finds it again: its
	// domain, or its name when it has none ("" for none).
	Parent string
}

// EachCompany streams every company matching a list query (its filter and
// sort; the cursor and limit are ignored) that the principal may export,
// calling fn for each. It reads a page at a time through QueryCompanies,
// so it sees what the companies list shows; a workspace has about a tenth
// as many companies as contacts. The default order is oldest first
// (created_at, then id), which a re-import of the file keeps.
func EachCompany(tx *store.Tx, p crm.Principal, q ListQuery, fn func(*CompanyExportRow) error) error {
	if err := account.Can(tx, p, account.ActExport, p.UserID); err != nil {
		return err
	}
	owners, err := MemberEmails(tx, p.WorkspaceID)
	if err != nil {
		return err
	}
	var all map[crm.ID]exportCompany // read once, when a company has a parent
	if q.Sort == "" {
		q.Sort = "created_at"
	}
	q.Cursor, q.Limit = "", MaxLimit
	for {
		page, err := QueryCompanies(tx, p, q)
		if err != nil {
			return err
		}
		for i := range page.Items {
			r := CompanyExportRow{Company: page.Items[i], OwnerEmail: owners[page.Items[i].OwnerID]}
			if r.ParentID != 0 {
				if all == nil {
					if all, err = exportCompanies(tx, p.WorkspaceID); err != nil {
						return err
					}
				}
				if co, ok := all[r.ParentID]; ok {
					r.Parent = co.domain
					if r.Parent == "" {
						r.Parent = co.name
					}
				}
			}
			if err := fn(&r); err != nil {
				return err
			}
		}
		if page.Next == "" {
			return nil
		}
		q.Cursor = page.Next
	}
}

// CheckCompanyExport says whether EachCompany would accept q from p (the
// permission, the filter and the sort), reading at most one company.
func CheckCompanyExport(tx *store.Tx, p crm.Principal, q ListQuery) error {
	if err := account.Can(tx, p, account.ActExport, p.UserID); err != nil {
		return err
	}
	q.Cursor, q.Limit = "", 1
	_, err := QueryCompanies(tx, p, q)
	return err
}

// MemberEmails maps the workspace's members (deactivated ones too: they
// may still own records) to their emails, as exports write owners.
func MemberEmails(tx *store.Tx, ws crm.ID) (map[crm.ID]string, error) {
	rows, err := tx.Query(`SELECT u.id, u.email FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.workspace_id = ?`, ws)
	if err != nil {
		return nil, fmt.Errorf("records: member emails: %w", err)
	}
	defer rows.Close()
	out := map[crm.ID]string{}
	for rows.Next() {
		var id crm.ID
		var email string
		if err := rows.Scan(&id, &email); err != nil {
			return nil, err
		}
		out[id] = email
	}
	return out, rows.Err()
}

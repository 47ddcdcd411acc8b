package records

import (
	"encoding/json"
	"fmt"

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
	rows, err := tx.Query(`SELECT `+contactCols+`, COALESCE(co.name, ''), COALESCE(co.domain, ''), COALESCE(u.email, '')
		FROM contacts c
		LEFT JOIN companies co ON co.workspace_id = c.workspace_id AND co.id = c.company_id AND co.deleted_at IS NULL
		LEFT JOIN users u ON u.id = c.owner_id
		WHERE `+clause+` ORDER BY `+order, args...)
	if err != nil {
		return fmt.Errorf("records: export: %w", err)
	}
	defer rows.Close()
	var emails, phones, tags, custom string
	var created, updated int64
	for rows.Next() {
		var r ExportRow
		c := &r.Contact
		if err := rows.Scan(&c.ID, &c.FirstName, &c.LastName, &c.Email, &emails, &c.Phone, &phones, &c.Title, &c.CompanyID,
			&c.OwnerID, &c.Lifecycle, &c.Source, &tags, &custom, &created, &updated, &c.Version, &c.CompanySince,
			&c.CompanyName, &r.CompanyDomain, &r.OwnerEmail); err != nil {
			return err
		}
		c.CreatedAt, c.UpdatedAt = store.FromMicros(created), store.FromMicros(updated)
		if err := decodeList(emails, &c.Emails); err != nil {
			return err
		}
		if err := decodeList(phones, &c.Phones); err != nil {
			return err
		}
		if err := decodeList(tags, &c.Tags); err != nil {
			return err
		}
		if custom != "{}" && custom != "" {
			if err := json.Unmarshal([]byte(custom), &c.Custom); err != nil {
				return fmt.Errorf("records: contact %d: %w", c.ID, err)
			}
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
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

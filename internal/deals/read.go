package deals

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// dealFrom is the FROM of every deal read: the deal, its stage (name,
// probability, rotting days), company and primary contact.
const dealFrom = ` FROM deals d
	LEFT JOIN stages s ON s.workspace_id = d.workspace_id AND s.id = d.stage_id
	LEFT JOIN companies co ON co.workspace_id = d.workspace_id AND co.id = d.company_id
	LEFT JOIN contacts c ON c.workspace_id = d.workspace_id AND c.id = d.contact_id`

const dealCols = `SELECT d.id, d.title, d.value, d.currency, d.pipeline_id, d.stage_id, d.status, d.lost_reason, d.expected_close,
	d.owner_id, d.contact_id, d.company_id, d.source, d.priority, d.tags, d.custom, d.stage_entered_at, d.closed_at,
	d.created_at, d.updated_at, d.version, d.deleted_at, COALESCE(s.name, ''), COALESCE(s.probability, 0), COALESCE(s.rot_days, 0),
	COALESCE(co.name, ''), COALESCE(co.domain, ''), COALESCE(c.first_name, ''), COALESCE(c.last_name, ''), COALESCE(c.email, '')`

func scanDeals(tx *store.Tx, q string, args ...any) ([]Deal, error) {
	rows, err := tx.Query(q, args...)
	if err != nil {
		return nil, fmt.Errorf("deals: read: %w", err)
	}
	defer rows.Close()
	var out []Deal
	for rows.Next() {
		var d Deal
		var tags, custom, first, last string
		var entered, created, updated int64
		var closed, deleted *int64
		if err := rows.Scan(&d.ID, &d.Title, &d.Value, &d.Currency, &d.PipelineID, &d.StageID, &d.Status, &d.LostReason,
			&d.ExpectedClose, &d.OwnerID, &d.ContactID, &d.CompanyID, &d.Source, &d.Priority, &tags, &custom, &entered, &closed,
			&created, &updated, &d.Version, &deleted, &d.StageName, &d.Probability, &d.RotDays, &d.CompanyName, &d.CompanyDomain, &first, &last, &d.ContactEmail); err != nil {
			return nil, err
		}
		d.StageEnteredAt, d.CreatedAt, d.UpdatedAt = store.FromMicros(entered), store.FromMicros(created), store.FromMicros(updated)
		if closed != nil {
			d.ClosedAt = store.FromMicros(*closed)
		}
		d.deleted = deleted != nil
		if d.ContactName = strings.TrimSpace(first + " " + last); d.ContactName == "" {
			d.ContactName = d.ContactEmail
		}
		if err := json.Unmarshal([]byte(tags), &d.Tags); err != nil {
			return nil, fmt.Errorf("deals: deal %d tags: %w", d.ID, err)
		}
		if err := json.Unmarshal([]byte(custom), &d.Custom); err != nil {
			return nil, fmt.Errorf("deals: deal %d custom: %w", d.ID, err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

var errNoDeal = crm.Errorf(crm.NotFound, "No such deal.")

// GetDeal returns one deal of the workspace with its other contacts;
// trashed ones only when asked. It does not check visibility: see ViewDeal.
func GetDeal(tx *store.Tx, ws, id crm.ID, withDeleted bool) (Deal, error) {
	q := dealCols + dealFrom + ` WHERE d.workspace_id = ? AND d.id = ?`
	if !withDeleted {
		q += ` AND d.deleted_at IS NULL`
	}
	ds, err := scanDeals(tx, q, ws, id)
	if err != nil {
		return Deal{}, err
	}
	if len(ds) == 0 {
		return Deal{}, errNoDeal
	}
	d := ds[0]
	d.Contacts, err = readContacts(tx, ws, id)
	return d, err
}

// ViewDeal returns a deal the principal may see; one they may not see is
// not found, exactly like another workspace's.
func ViewDeal(tx *store.Tx, p crm.Principal, id crm.ID) (Deal, error) {
	d, err := GetDeal(tx, p.WorkspaceID, id, false)
	if err != nil {
		return d, err
	}
	if ok, err := account.CanView(tx, p, d.OwnerID); err != nil {
		return Deal{}, err
	} else if !ok {
		return Deal{}, errNoDeal
	}
	return d, nil
}

func readContacts(tx *store.Tx, ws, deal crm.ID) ([]DealContact, error) {
	rows, err := tx.Query(`SELECT dc.contact_id, dc.role, COALESCE(c.first_name, ''), COALESCE(c.last_name, ''), COALESCE(c.email, '')
		FROM deal_contacts dc LEFT JOIN contacts c ON c.workspace_id = dc.workspace_id AND c.id = dc.contact_id
		WHERE dc.workspace_id = ? AND dc.deal_id = ? ORDER BY dc.position`, ws, deal)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []DealContact
	for rows.Next() {
		var dc DealContact
		var first, last, email string
		if err := rows.Scan(&dc.ContactID, &dc.Role, &first, &last, &email); err != nil {
			return nil, err
		}
		if dc.Name = strings.TrimSpace(first + " " + last); dc.Name == "" {
			dc.Name = email
		}
		out = append(out, dc)
	}
	return out, rows.Err()
}

// StageVisit is one stay of a deal in a stage.
type StageVisit struct {
	StageID   crm.ID
	StageName string // as the stage was called when the deal entered it
	EnteredAt time.Time
	LeftAt    time.Time // zero while the deal is still there
	ActorID   crm.ID
}

// Duration is how long the stay lasted, up to now for an open one.
func (v StageVisit) Duration(now time.Time) time.Duration {
	if v.LeftAt.IsZero() {
		return now.Sub(v.EnteredAt)
	}
	return v.LeftAt.Sub(v.EnteredAt)
}

// History returns a deal's stage history, oldest first. A deal written
// without one (bulk-loaded by the seed generator) shows its current stay.
func History(tx *store.Tx, p crm.Principal, id crm.ID) ([]StageVisit, error) {
	d, err := ViewDeal(tx, p, id)
	if err != nil {
		return nil, err
	}
	h, err := history(tx, p.WorkspaceID, id)
	if err == nil && len(h) == 0 {
		h = []StageVisit{{StageID: d.StageID, StageName: d.StageName, EnteredAt: d.StageEnteredAt, LeftAt: d.ClosedAt}}
	}
	return h, err
}

func history(tx *store.Tx, ws, id crm.ID) ([]StageVisit, error) {
	rows, err := tx.Query(`SELECT stage_id, stage_name, entered_at, left_at, actor_id FROM deal_stage_history
		WHERE workspace_id = ? AND deal_id = ? ORDER BY entered_at, id`, ws, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []StageVisit
	for rows.Next() {
		var v StageVisit
		var entered int64
		var left *int64
		if err := rows.Scan(&v.StageID, &v.StageName, &entered, &left, &v.ActorID); err != nil {
			return nil, err
		}
		v.EnteredAt = store.FromMicros(entered)
		if left != nil {
			v.LeftAt = store.FromMicros(*left)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// ContactDeals lists the deals a contact is on (as primary or other
// contact) that p may see, open first, newest first.
func ContactDeals(tx *store.Tx, p crm.Principal, contact crm.ID) ([]Deal, error) {
	return relatedDeals(tx, p, `(d.contact_id = ? OR d.id IN (SELECT dc.deal_id FROM deal_contacts dc
		WHERE dc.workspace_id = d.workspace_id AND dc.contact_id = ?))`, contact, contact)
}

// CompanyDeals lists a company's deals that p may see.
func CompanyDeals(tx *store.Tx, p crm.Principal, company crm.ID) ([]Deal, error) {
	return relatedDeals(tx, p, `d.company_id = ?`, company)
}

func relatedDeals(tx *store.Tx, p crm.Principal, cond string, args ...any) ([]Deal, error) {
	clause := `d.workspace_id = ? AND d.deleted_at IS NULL AND ` + cond
	all := append([]any{p.WorkspaceID}, args...)
	vis, vargs, err := account.VisibilityClause(tx, p, "d.owner_id")
	if err != nil {
		return nil, err
	}
	if vis != "" {
		clause += " AND " + vis
		all = append(all, vargs...)
	}
	return scanDeals(tx, dealCols+dealFrom+` WHERE `+clause+
		` ORDER BY CASE WHEN d.status = 'open' THEN 0 ELSE 1 END, d.id DESC LIMIT 100`, all...)
}

package activities

import (
	"fmt"
	"strings"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// cols are an activity's columns, with names of its first contact, its
// company, its deal and its owner for display (joins on the same
// workspace).
const cols = `a.id, a.type, a.title, COALESCE(a.due_at, 0), a.all_day, a.duration_min, COALESCE(a.done_at, 0), a.outcome,
	a.owner_id, a.contact_id, a.company_id, a.deal_id, a.notes, a.location, COALESCE(a.remind_at, 0), COALESCE(a.reminded_at, 0),
	a.created_by, a.created_at, a.updated_at, a.version,
	COALESCE(ct.first_name, ''), COALESCE(ct.last_name, ''), COALESCE(ct.email, ''), COALESCE(co.name, ''), COALESCE(u.name, ''), COALESCE(ad.title, '')`

const joins = ` FROM activities a
	LEFT JOIN contacts ct ON ct.workspace_id = a.workspace_id AND ct.id = a.contact_id AND ct.deleted_at IS NULL
	LEFT JOIN companies co ON co.workspace_id = a.workspace_id AND co.id = a.company_id AND co.deleted_at IS NULL
	LEFT JOIN users u ON u.id = a.owner_id
	LEFT JOIN deals ad ON ad.workspace_id = a.workspace_id AND ad.id = a.deal_id AND ad.deleted_at IS NULL`

// Get returns a live activity of the workspace, whoever owns it.
func Get(tx *store.Tx, ws, id crm.ID) (Activity, error) {
	as, err := scan(tx, `SELECT `+cols+joins+` WHERE a.workspace_id = ? AND a.id = ? AND a.deleted_at IS NULL`, ws, id)
	if err != nil {
		return Activity{}, err
	}
	if len(as) == 0 {
		return Activity{}, errNotFound
	}
	if err := loadContacts(tx, ws, as); err != nil {
		return Activity{}, err
	}
	return as[0], nil
}

// View returns an activity p may see: one they may not is not found, like
// another workspace's.
func View(tx *store.Tx, p crm.Principal, id crm.ID) (Activity, error) {
	a, err := Get(tx, p.WorkspaceID, id)
	if err != nil {
		return a, err
	}
	if err := account.Can(tx, p, account.ActView, a.OwnerID); err != nil {
		if crm.ErrorCode(err) == crm.NotFound {
			return Activity{}, errNotFound
		}
		return Activity{}, err
	}
	return a, nil
}

func scan(tx *store.Tx, q string, args ...any) ([]Activity, error) {
	rows, err := tx.Query(q, args...)
	if err != nil {
		return nil, fmt.Errorf("activities: query: %w", err)
	}
	defer rows.Close()
	var out []Activity
	for rows.Next() {
		var a Activity
		var due, done, remind, reminded, created, updated int64
		var first, last, email string
		if err := rows.Scan(&a.ID, &a.Type, &a.Title, &due, &a.AllDay, &a.DurationMin, &done, &a.Outcome,
			&a.OwnerID, &a.ContactID, &a.CompanyID, &a.DealID, &a.Notes, &a.Location, &remind, &reminded,
			&a.CreatedBy, &created, &updated, &a.Version, &first, &last, &email, &a.CompanyName, &a.OwnerName, &a.DealTitle); err != nil {
			return nil, fmt.Errorf("activities: scan: %w", err)
		}
		a.DueAt, a.DoneAt, a.RemindAt, a.RemindedAt = store.FromMicros(due), store.FromMicros(done), store.FromMicros(remind), store.FromMicros(reminded)
		a.CreatedAt, a.UpdatedAt = store.FromMicros(created), store.FromMicros(updated)
		a.ContactName = strings.TrimSpace(first + " " + last)
		if a.ContactName == "" {
			a.ContactName = email
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// loadContacts fills the participants of as (one query for all of them).
// An activity from before participants existed gets its contact_id.
func loadContacts(tx *store.Tx, ws crm.ID, as []Activity) error {
	if len(as) == 0 {
		return nil
	}
	idx := map[crm.ID]int{}
	args := []any{ws}
	for i, a := range as {
		idx[a.ID] = i
		args = append(args, a.ID)
	}
	rows, err := tx.Query(`SELECT ac.activity_id, ac.contact_id, ac.role, COALESCE(c.first_name, ''), COALESCE(c.last_name, ''), COALESCE(c.email, '')
		FROM activity_contacts ac LEFT JOIN contacts c ON c.workspace_id = ac.workspace_id AND c.id = ac.contact_id
		WHERE ac.workspace_id = ? AND ac.activity_id IN (`+placeholders(len(as))+`)`, args...)
	if err != nil {
		return fmt.Errorf("activities: contacts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var aid crm.ID
		var c Participant
		var first, last string
		if err := rows.Scan(&aid, &c.ContactID, &c.Role, &first, &last, &c.Email); err != nil {
			return err
		}
		c.Name = strings.TrimSpace(first + " " + last)
		if c.Name == "" {
			c.Name = c.Email
		}
		a := &as[idx[aid]]
		if c.ContactID == a.ContactID {
			a.Contacts = append([]Participant{c}, a.Contacts...) // the first stays first
		} else {
			a.Contacts = append(a.Contacts, c)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for i := range as {
		if len(as[i].Contacts) == 0 && as[i].ContactID != 0 {
			as[i].Contacts = []Participant{{ContactID: as[i].ContactID, Role: "required", Name: as[i].ContactName}}
		}
	}
	return nil
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

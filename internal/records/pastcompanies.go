package records

import (
	"fmt"
	"time"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// A contact works at one company now (contacts.company_id) and may have
// worked at others before (contact_companies). Changing the company moves
// the old one to the past in the same transaction (leaveCompany, called by
// UpdateContact); people can also add, correct and remove past companies.

// PastCompany is a company a person used to work at.
type PastCompany struct {
	ID          crm.ID
	ContactID   crm.ID
	CompanyID   crm.ID
	CompanyName string
	Title       string // their title there
	StartedOn   string // YYYY-MM-DD, "" when unknown
	EndedOn     string // YYYY-MM-DD, "" when unknown
}

// PastCompanyInput adds or changes a past company; nil leaves a field as is.
type PastCompanyInput struct {
	CompanyID          *crm.ID
	Title              *string
	StartedOn, EndedOn *string
}

func day(t time.Time) string { return t.UTC().Format(time.DateOnly) }

// leaveCompany records that contact c (as stored before the change) no
// longer works at its company.
func leaveCompany(tx *store.Tx, ws crm.ID, c Contact) error {
	if c.CompanyID == 0 {
		return nil
	}
	_, err := tx.Exec(`INSERT INTO contact_companies (id, workspace_id, contact_id, company_id, title, started_on, ended_on, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, tx.NewID(), ws, c.ID, c.CompanyID, c.Title, c.CompanySince, day(tx.Now), store.Micros(tx.Now))
	if err != nil {
		return fmt.Errorf("records: past company: %w", err)
	}
	return nil
}

// PastCompanies lists the past companies of a contact the principal sees,
// the most recent first. Companies in the trash are left out.
func PastCompanies(tx *store.Tx, p crm.Principal, contactID crm.ID) ([]PastCompany, error) {
	if _, err := ViewContact(tx, p, contactID); err != nil {
		return nil, err
	}
	return pastCompanies(tx, p.WorkspaceID, contactID, 0)
}

func pastCompanies(tx *store.Tx, ws, contactID, id crm.ID) ([]PastCompany, error) {
	q := `SELECT cc.id, cc.contact_id, cc.company_id, co.name, cc.title, cc.started_on, cc.ended_on FROM contact_companies cc
		JOIN companies co ON co.workspace_id = cc.workspace_id AND co.id = cc.company_id AND co.deleted_at IS NULL
		WHERE cc.workspace_id = ? AND cc.contact_id = ?`
	args := []any{ws, contactID}
	if id != 0 {
		q += ` AND cc.id = ?`
		args = append(args, id)
	}
	rows, err := tx.Query(q+` ORDER BY cc.ended_on = '', cc.ended_on DESC, cc.id DESC LIMIT 100`, args...)
	if err != nil {
		return nil, fmt.Errorf("records: past companies: %w", err)
	}
	defer rows.Close()
	out := []PastCompany{}
	for rows.Next() {
		var pc PastCompany
		if err := rows.Scan(&pc.ID, &pc.ContactID, &pc.CompanyID, &pc.CompanyName, &pc.Title, &pc.StartedOn, &pc.EndedOn); err != nil {
			return nil, err
		}
		out = append(out, pc)
	}
	return out, rows.Err()
}

// AddPastCompany records a company the contact used to work at.
func AddPastCompany(tx *store.Tx, p crm.Principal, contactID crm.ID, in PastCompanyInput) (PastCompany, error) {
	return savePastCompany(tx, p, PastCompany{ContactID: contactID}, in, true)
}

// UpdatePastCompany corrects one past company of a contact.
func UpdatePastCompany(tx *store.Tx, p crm.Principal, contactID, id crm.ID, in PastCompanyInput) (PastCompany, error) {
	return savePastCompany(tx, p, PastCompany{ID: id, ContactID: contactID}, in, false)
}

func savePastCompany(tx *store.Tx, p crm.Principal, pc PastCompany, in PastCompanyInput, create bool) (PastCompany, error) {
	if err := canWrite(p); err != nil {
		return pc, err
	}
	if _, err := ViewContact(tx, p, pc.ContactID); err != nil {
		return pc, err
	}
	old := pc
	if create && in.CompanyID == nil {
		return pc, (crm.FieldErrors{"company_id": "Choose the company."}).Err()
	}
	if !create {
		found, err := pastCompanies(tx, p.WorkspaceID, pc.ContactID, pc.ID)
		if err != nil {
			return pc, err
		}
		if len(found) == 0 {
			return pc, crm.Errorf(crm.NotFound, "No such past company.")
		}
		old, pc = found[0], found[0]
	}
	if in.CompanyID != nil {
		pc.CompanyID = *in.CompanyID
	}
	for _, f := range []struct{ dst, v *string }{{&pc.Title, in.Title}, {&pc.StartedOn, in.StartedOn}, {&pc.EndedOn, in.EndedOn}} {
		if f.v != nil {
			*f.dst = *f.v
		}
	}
	if err := validatePastCompany(tx, p, &pc, old.CompanyID); err != nil {
		return pc, err
	}
	ch := map[string]crm.Change{}
	if create {
		pc.ID = tx.NewID()
		ch["past_company_id"] = crm.Change{After: pc.CompanyID}
		_, err := tx.Exec(`INSERT INTO contact_companies (id, workspace_id, contact_id, company_id, title, started_on, ended_on, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, pc.ID, p.WorkspaceID, pc.ContactID, pc.CompanyID, pc.Title, pc.StartedOn, pc.EndedOn,
			store.Micros(tx.Now))
		if err != nil {
			return pc, fmt.Errorf("records: past company: %w", err)
		}
	} else {
		if pc == old {
			return pc, nil
		}
		if old.CompanyID != pc.CompanyID {
			ch["past_company_id"] = crm.Change{Before: old.CompanyID, After: pc.CompanyID}
		}
		for k, v := range map[string][2]string{"past_company_title": {old.Title, pc.Title},
			"past_company_started_on": {old.StartedOn, pc.StartedOn}, "past_company_ended_on": {old.EndedOn, pc.EndedOn}} {
			if v[0] != v[1] {
				ch[k] = crm.Change{Before: emptyNil(v[0]), After: emptyNil(v[1])}
			}
		}
		_, err := tx.Exec(`UPDATE contact_companies SET company_id = ?, title = ?, started_on = ?, ended_on = ?
			WHERE workspace_id = ? AND contact_id = ? AND id = ?`, pc.CompanyID, pc.Title, pc.StartedOn, pc.EndedOn,
			p.WorkspaceID, pc.ContactID, pc.ID)
		if err != nil {
			return pc, fmt.Errorf("records: past company: %w", err)
		}
	}
	return pc, touchContact(tx, p, pc.ContactID, ch)
}

func validatePastCompany(tx *store.Tx, p crm.Principal, pc *PastCompany, was crm.ID) error {
	fe := crm.FieldErrors{}
	co, err := LinkableCompany(tx, p, pc.CompanyID, was)
	if crm.ErrorCode(err) == crm.NotFound {
		fe.Add("company_id", "No such company.")
	} else if err != nil {
		return err
	}
	pc.CompanyName = co.Name
	if len(pc.Title) > 200 {
		fe.Add("title", "Use at most 200 characters.")
	}
	for _, d := range []struct {
		key string
		v   string
	}{{"started_on", pc.StartedOn}, {"ended_on", pc.EndedOn}} {
		if _, err := time.Parse(time.DateOnly, d.v); d.v != "" && err != nil {
			fe.Add(d.key, "Give a date as YYYY-MM-DD, or leave it empty.")
		}
	}
	if pc.StartedOn != "" && pc.EndedOn != "" && pc.EndedOn < pc.StartedOn {
		fe.Add("ended_on", "The end comes after the start.")
	}
	return fe.Err()
}

// RemovePastCompany deletes one past company of a contact.
func RemovePastCompany(tx *store.Tx, p crm.Principal, contactID, id crm.ID) error {
	if err := canWrite(p); err != nil {
		return err
	}
	if _, err := ViewContact(tx, p, contactID); err != nil {
		return err
	}
	found, err := pastCompanies(tx, p.WorkspaceID, contactID, id)
	if err != nil {
		return err
	}
	if len(found) == 0 {
		return crm.Errorf(crm.NotFound, "No such past company.")
	}
	if _, err := tx.Exec(`DELETE FROM contact_companies WHERE workspace_id = ? AND contact_id = ? AND id = ?`,
		p.WorkspaceID, contactID, id); err != nil {
		return fmt.Errorf("records: past company: %w", err)
	}
	return touchContact(tx, p, contactID, map[string]crm.Change{"past_company_id": {Before: found[0].CompanyID}})
}

// touchContact marks a contact changed (a new version, for If-Match) and
// writes the event of a change to its past companies.
func touchContact(tx *store.Tx, p crm.Principal, id crm.ID, ch map[string]crm.Change) error {
	if _, err := tx.Exec(`UPDATE contacts SET updated_by = ?, updated_at = ?, version = version + 1 WHERE workspace_id = ? AND id = ?`,
		p.UserID, store.Micros(tx.Now), p.WorkspaceID, id); err != nil {
		return fmt.Errorf("records: touch contact: %w", err)
	}
	return tx.Emit(crm.Event{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), ObjectType: "contact", ObjectID: id,
		Action: crm.Updated, Changes: ch})
}

// FormerPerson is someone who used to work at a company.
type FormerPerson struct {
	ContactID crm.ID
	Name      string
	Title     string // their title there
	EndedOn   string
}

// FormerPeople lists the visible contacts who worked at a company and no
// longer do, the most recent leavers first.
func FormerPeople(tx *store.Tx, p crm.Principal, companyID crm.ID, limit int) ([]FormerPerson, error) {
	if _, err := ViewCompany(tx, p, companyID); err != nil {
		return nil, err
	}
	clause, args, err := where(tx, "c", p.WorkspaceID, ContactSchema("c", nil, nil), "", p)
	if err != nil {
		return nil, err
	}
	rows, err := tx.Query(`SELECT c.id, c.first_name, c.last_name, c.email, cc.title, cc.ended_on FROM contact_companies cc
		JOIN contacts c ON c.workspace_id = cc.workspace_id AND c.id = cc.contact_id
		WHERE cc.workspace_id = ? AND cc.company_id = ? AND c.company_id <> ? AND `+clause+`
		ORDER BY cc.ended_on DESC, cc.id DESC LIMIT ?`, append(append([]any{p.WorkspaceID, companyID, companyID}, args...), limit*2)...)
	if err != nil {
		return nil, fmt.Errorf("records: former people: %w", err)
	}
	defer rows.Close()
	out := []FormerPerson{}
	seen := map[crm.ID]bool{}
	for rows.Next() {
		var f FormerPerson
		var c Contact
		if err := rows.Scan(&c.ID, &c.FirstName, &c.LastName, &c.Email, &f.Title, &f.EndedOn); err != nil {
			return nil, err
		}
		if seen[c.ID] || len(out) == limit {
			continue // worked there twice: the latest stint is enough
		}
		seen[c.ID] = true
		f.ContactID, f.Name = c.ID, c.Name()
		out = append(out, f)
	}
	return out, rows.Err()
}

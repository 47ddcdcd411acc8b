package ui

import (
	"net/http"
	"strings"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/activities"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/deals"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/web/view"
)

// activityLinks reads who an activity is assigned to and what it is about:
// owner_id, contact_id (repeated: the chosen contacts, and the picker's
// own value), company_id and deal_id. A field the form does not have
// leaves the link alone when editing and means none when creating; an
// empty one means none (or, for the owner, the user).
func activityLinks(r *http.Request, editing bool, in *activities.Input, fe crm.FieldErrors) {
	_ = r.ParseForm()
	_, hasOwner := r.PostForm["owner_id"]
	if v := form(r, "owner_id"); hasOwner && v != "" {
		if id, err := crm.ParseID(v); err != nil {
			fe.Add("owner_id", "Choose someone of this workspace.")
		} else {
			in.OwnerID = &id
		}
	}
	ref := func(name, msg string, dst **crm.ID) {
		if _, shown := r.PostForm[name]; !shown && editing {
			return
		}
		id := crm.ID(0)
		if v := form(r, name); v != "" {
			var err error
			if id, err = crm.ParseID(v); err != nil {
				fe.Add(name, msg)
				return
			}
		}
		*dst = &id
	}
	ref("company_id", "No such company.", &in.CompanyID)
	ref("deal_id", "No such deal.", &in.DealID)
	vals, shown := r.PostForm["contact_id"]
	if !shown && editing {
		return
	}
	ps := []activities.Participant{}
	for _, v := range vals {
		if v = strings.TrimSpace(v); v == "" {
			continue
		}
		id, err := crm.ParseID(v)
		if err != nil {
			fe.Add("contacts", "No such contact.")
			continue
		}
		ps = append(ps, activities.Participant{ContactID: id})
	}
	in.Contacts = &ps
}

// keepRoles gives contacts still linked the role they had (the form does
// not show roles, so saving it must not reset an "optional" one).
func keepRoles(ps []activities.Participant, old []activities.Participant) {
	for i := range ps {
		for _, o := range old {
			if o.ContactID == ps[i].ContactID {
				ps[i].Role = o.Role
			}
		}
	}
}

// linkErrors puts the domain's per-contact messages ("contacts.2.contact_id")
// under the form's one contacts field.
func linkErrors(fe crm.FieldErrors) view.Errors {
	out := view.Errors{}
	for k, msg := range fe {
		if k == "contact_id" || strings.HasPrefix(k, "contacts.") {
			k = "contacts"
		}
		if out[k] == "" {
			out[k] = msg
		}
	}
	return out
}

// typedActivityForm is the form as it was sent, for showing it again with
// why it was refused. Linked records keep their names; an id that names
// nothing the user may see is dropped (its field says why).
func typedActivityForm(tx *store.Tx, p crm.Principal, r *http.Request) view.ActivityForm {
	f := view.ActivityForm{Type: form(r, "type"), Title: form(r, "title"), Date: form(r, "date"), Time: form(r, "time"),
		AllDay: form(r, "all_day") != "", Duration: form(r, "duration_min"), RemindBefore: form(r, "remind_before_min"),
		Location: form(r, "location"), Notes: form(r, "notes"), Outcome: form(r, "outcome"), OwnerID: form(r, "owner_id"),
		Back: form(r, "back")}
	seen := map[crm.ID]bool{}
	for _, v := range r.PostForm["contact_id"] {
		id, err := crm.ParseID(strings.TrimSpace(v))
		if err != nil || seen[id] {
			continue
		}
		seen[id] = true
		if c, err := records.ViewContact(tx, p, id); err == nil {
			f.Contacts = append(f.Contacts, view.Option{Value: id.String(), Label: c.Name()})
		}
	}
	if id, err := crm.ParseID(form(r, "company_id")); err == nil {
		if c, err := records.ViewCompany(tx, p, id); err == nil {
			f.CompanyID, f.CompanyName = id.String(), c.Name
		}
	}
	if id, err := crm.ParseID(form(r, "deal_id")); err == nil {
		if d, err := deals.ViewDeal(tx, p, id); err == nil {
			f.DealID, f.DealTitle = id.String(), d.Title
		}
	}
	return f
}

// assignees are the people an activity may be given to: active members
// whose records the user sees (the domain refuses others), and whoever
// has it now. The user comes first, as "Name (me)".
func assignees(tx *store.Tx, p crm.Principal, current crm.ID) ([]view.Option, error) {
	ms, err := account.ListMembers(tx, p.WorkspaceID)
	if err != nil {
		return nil, err
	}
	var me, others []view.Option
	for _, m := range ms {
		switch {
		case m.UserID == p.UserID:
			me = []view.Option{{Value: m.UserID.String(), Label: m.Name + " (me)"}}
			continue
		case m.UserID == current:
		case !m.DeactivatedAt.IsZero():
			continue
		default:
			if ok, err := account.CanView(tx, p, m.UserID); err != nil {
				return nil, err
			} else if !ok {
				continue
			}
		}
		others = append(others, view.Option{Value: m.UserID.String(), Label: m.Name})
	}
	return append(me, others...), nil
}

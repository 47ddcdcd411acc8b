package ui

import (
	"net/http"
	"strconv"

	"github.com/tandemcrm/tandem/internal/activities"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/web/respond"
	"github.com/tandemcrm/tandem/internal/web/view"
)

// ActivityCreate adds an activity from the quick or full form, and emails
// invitations for a meeting when asked; then back to where the form was. A
// refusal shows the full form with what was typed and why.
func (h *Handlers) ActivityCreate(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	back := backTo(r, "/my-day")
	var a activities.Activity
	invited := 0
	err := h.write(r.Context(), func(tx *store.Tx) error {
		loc, err := zone(tx, p)
		if err != nil {
			return err
		}
		in, fe := activityInput(r, loc, false)
		if err := fe.Err(); err != nil {
			return err
		}
		if a, err = activities.Create(tx, p, in); err != nil {
			return err
		}
		if a.OwnerID != p.UserID { // for the message: whose it is now
			if a, err = activities.View(tx, p, a.ID); err != nil {
				return err
			}
		}
		if form(r, "invite") != "" && a.Type == "meeting" {
			invited, err = activities.Invite(tx, h.queue(), p, a.ID, h.BaseURL)
		}
		return err
	})
	if crm.ErrorCode(err) == crm.Invalid {
		h.refusedActivity(w, r, err)
		return
	}
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	msg := activityNoun(a) + " “" + a.Title + "” added"
	if a.OwnerID != p.UserID && a.OwnerName != "" {
		msg += " for " + a.OwnerName
	}
	h.flash(w, "ok", msg+"."+invitedNote(invited))
	http.Redirect(w, r, back, http.StatusSeeOther)
}

func invitedNote(n int) string {
	if n == 0 {
		return ""
	}
	return " Invitation sent to " + strconv.Itoa(n) + " " + plural(n, "contact", "contacts") + "."
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func activityNoun(a activities.Activity) string {
	return map[string]string{"task": "Task", "call": "Call", "meeting": "Meeting", "deadline": "Deadline", "email": "Email"}[a.Type]
}

// ActivityNew is the full form for a new activity (?date= prefills it).
func (h *Handlers) ActivityNew(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	var f view.ActivityForm
	err := h.read(r.Context(), func(tx *store.Tx) error {
		loc, err := zone(tx, p)
		if err != nil {
			return err
		}
		if f, err = newActivityForm(tx, p, loc, "/calendar"); err != nil {
			return err
		}
		if d := r.URL.Query().Get("date"); len(d) == 10 {
			f.Date, f.Back = d, "/calendar?date="+d
		}
		f.Quick, f.Time = false, "09:00"
		return nil
	})
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, view.ActivityPage(h.shell(w, r, "New activity", "calendar"), f, false))
}

// ActivityShow is an activity's page: its form, to read and change it.
func (h *Handlers) ActivityShow(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	id, err := crm.ParseID(r.PathValue("id"))
	if err != nil {
		h.Errs.Error(w, r, crm.Errorf(crm.NotFound, "No such activity."))
		return
	}
	var f view.ActivityForm
	var a activities.Activity
	err = h.read(r.Context(), func(tx *store.Tx) error {
		if a, err = activities.View(tx, p, id); err != nil {
			return err
		}
		loc, err := zone(tx, p)
		if err != nil {
			return err
		}
		f = activityForm(a, loc)
		f.Owners, err = assignees(tx, p, a.OwnerID)
		return err
	})
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	f.Back = backTo(r, "/my-day")
	h.render(w, r, http.StatusOK, view.ActivityPage(h.shell(w, r, activityNoun(a)+": "+a.Title, "my-day"), f, a.Done()))
}

// refusedActivity shows the full form again (a new activity's, or the
// edited one's) with what was typed and, by each field, why it was refused.
func (h *Handlers) refusedActivity(w http.ResponseWriter, r *http.Request, refusal error) {
	p := principal(r)
	var f view.ActivityForm
	var a activities.Activity
	title := "New activity"
	err := h.read(r.Context(), func(tx *store.Tx) error {
		loc, err := zone(tx, p)
		if err != nil {
			return err
		}
		owner := p.UserID
		f = typedActivityForm(tx, p, r)
		if r.PathValue("id") != "" {
			id, _ := crm.ParseID(r.PathValue("id"))
			if a, err = activities.View(tx, p, id); err != nil {
				return err
			}
			f.ID, f.Version, owner = a.ID.String(), strconv.FormatInt(a.Version, 10), a.OwnerID
			title = activityNoun(a) + ": " + a.Title
		}
		if f.OwnerID == "" {
			f.OwnerID = owner.String()
		}
		f.Zone = loc.String()
		f.Owners, err = assignees(tx, p, owner)
		return err
	})
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	fe := crm.FieldErrors(crm.ErrorFields(refusal))
	if len(fe) == 0 {
		fe = crm.FieldErrors{"title": crm.ErrorMessage(refusal)}
	}
	f.Back, f.Errors = backTo(r, "/my-day"), linkErrors(fe)
	if f.ID == "" && respond.IsHTMX(r) {
		// A boosted form would leave /activities in the address bar, which
		// no GET answers; reloading should give the (empty) form instead.
		w.Header().Set("HX-Push-Url", "/activities/new")
	}
	h.render(w, r, http.StatusUnprocessableEntity, view.ActivityPage(h.shell(w, r, title, "my-day"), f, a.Done()))
}

// ActivityUpdate saves the edit form; a refusal shows the form again with
// what was typed and why.
func (h *Handlers) ActivityUpdate(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	id, err := crm.ParseID(r.PathValue("id"))
	if err != nil {
		h.Errs.Error(w, r, crm.Errorf(crm.NotFound, "No such activity."))
		return
	}
	version, _ := strconv.ParseInt(form(r, "version"), 10, 64)
	var a activities.Activity
	invited := 0
	err = h.write(r.Context(), func(tx *store.Tx) error {
		loc, err := zone(tx, p)
		if err != nil {
			return err
		}
		in, fe := activityInput(r, loc, true)
		if err := fe.Err(); err != nil {
			return err
		}
		if in.Contacts != nil {
			old, err := activities.View(tx, p, id)
			if err != nil {
				return err
			}
			keepRoles(*in.Contacts, old.Contacts)
		}
		if a, err = activities.Update(tx, p, id, in, version); err != nil {
			return err
		}
		if form(r, "invite") != "" && a.Type == "meeting" {
			// Sent again after a change, the invitation carries a higher
			// SEQUENCE, so calendars update the event they have.
			invited, err = activities.Invite(tx, h.queue(), p, a.ID, h.BaseURL)
		}
		return err
	})
	switch crm.ErrorCode(err) {
	case "":
	case crm.Invalid, crm.Conflict:
		h.refusedActivity(w, r, err)
		return
	default:
		h.Errs.Error(w, r, err)
		return
	}
	h.flash(w, "ok", "Saved."+invitedNote(invited))
	http.Redirect(w, r, backTo(r, "/activities/"+a.ID.String()), http.StatusSeeOther)
}

// ActivityDone and ActivityUndone check an activity off (or on again). From
// a list they answer htmx with the row; a plain form goes back.
func (h *Handlers) ActivityDone(w http.ResponseWriter, r *http.Request) { h.setDone(w, r, true) }

// ActivityUndone reopens a done activity.
func (h *Handlers) ActivityUndone(w http.ResponseWriter, r *http.Request) { h.setDone(w, r, false) }

func (h *Handlers) setDone(w http.ResponseWriter, r *http.Request, done bool) {
	p := principal(r)
	id, err := crm.ParseID(r.PathValue("id"))
	if err != nil {
		h.Errs.Error(w, r, crm.Errorf(crm.NotFound, "No such activity."))
		return
	}
	var row view.ActivityRow
	err = h.write(r.Context(), func(tx *store.Tx) error {
		var a activities.Activity
		if done {
			var outcome *string
			if o := form(r, "outcome"); o != "" {
				outcome = &o
			}
			a, err = activities.MarkDone(tx, p, id, outcome)
		} else {
			a, err = activities.MarkUndone(tx, p, id)
		}
		if err != nil {
			return err
		}
		loc, err := zone(tx, p)
		row = activityRow(a, activities.Day{Now: tx.Now, Loc: loc}, p.UserID)
		return err
	})
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	if respond.IsHTMX(r) && r.Header.Get("HX-Boosted") == "" {
		h.render(w, r, http.StatusOK, view.ActivityRowFragment(row))
		return
	}
	http.Redirect(w, r, backTo(r, "/my-day"), http.StatusSeeOther)
}

// ActivityDelete moves an activity to the trash.
func (h *Handlers) ActivityDelete(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	id, err := crm.ParseID(r.PathValue("id"))
	if err == nil {
		err = h.write(r.Context(), func(tx *store.Tx) error { return activities.Delete(tx, p, id) })
	} else {
		err = crm.Errorf(crm.NotFound, "No such activity.")
	}
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	h.flash(w, "ok", "Activity deleted.")
	http.Redirect(w, r, "/my-day", http.StatusSeeOther)
}

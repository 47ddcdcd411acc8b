package ui

import (
	"cmp"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/tandemcrm/tandem/internal/activities"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/deals"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/web/view"
)

// activityInput reads the activity form. The date and time are in the
// user's zone; no time means all day. Links are read by activityLinks.
func activityInput(r *http.Request, loc *time.Location, editing bool) (activities.Input, crm.FieldErrors) {
	fe := crm.FieldErrors{}
	in := activities.Input{}
	str := func(name string) *string { v := form(r, name); return &v }
	in.Type, in.Title, in.Location, in.Notes = str("type"), str("title"), str("location"), str("notes")
	if editing {
		in.Outcome = str("outcome")
	}
	allDay := form(r, "all_day") != "" || form(r, "time") == ""
	in.AllDay = &allDay
	if d := form(r, "date"); d != "" || !editing {
		var due time.Time
		var err error
		if allDay {
			due, err = time.ParseInLocation("2006-01-02", d, time.UTC)
		} else {
			due, err = time.ParseInLocation("2006-01-02 15:04", d+" "+form(r, "time"), loc)
		}
		if err != nil {
			fe.Add("due_at", "Choose a date (and a time, unless it takes all day).")
		} else {
			in.DueAt = &due
		}
	}
	num := func(name, field string, dst **int) {
		if v := form(r, name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				fe.Add(field, "Enter a whole number.")
				return
			}
			*dst = &n
		}
	}
	num("duration_min", "duration_min", &in.DurationMin)
	num("remind_before_min", "remind_before_min", &in.RemindBefore)
	activityLinks(r, editing, &in, fe)
	return in, fe
}

// activityForm fills the edit form from an activity.
func activityForm(a activities.Activity, loc *time.Location) view.ActivityForm {
	f := view.ActivityForm{ID: a.ID.String(), Version: strconv.FormatInt(a.Version, 10), Type: a.Type, Title: a.Title,
		AllDay: a.AllDay, Duration: strconv.Itoa(a.DurationMin), RemindBefore: strconv.Itoa(a.RemindBefore()),
		Location: a.Location, Notes: a.Notes, Outcome: a.Outcome, Done: a.Done(), Zone: loc.String(),
		OwnerID: a.OwnerID.String(), DealTitle: a.DealTitle}
	if !a.DueAt.IsZero() {
		if a.AllDay {
			f.Date = a.DueAt.UTC().Format("2006-01-02")
		} else {
			t := a.DueAt.In(loc)
			f.Date, f.Time = t.Format("2006-01-02"), t.Format("15:04")
		}
	}
	for _, c := range a.Contacts {
		f.Contacts = append(f.Contacts, view.Option{Value: c.ContactID.String(), Label: c.Name})
	}
	if a.CompanyID != 0 {
		f.CompanyID, f.CompanyName = a.CompanyID.String(), a.CompanyName
	}
	if a.DealID != 0 {
		f.DealID = a.DealID.String()
	}
	return f
}

// newActivityForm is an empty form for today in loc, assigned to the
// user, who may give it to the people assignees lists.
func newActivityForm(tx *store.Tx, p crm.Principal, loc *time.Location, back string) (view.ActivityForm, error) {
	f := view.ActivityForm{Type: "task", Date: tx.Now.In(loc).Format("2006-01-02"), Duration: "0", RemindBefore: "15",
		Zone: loc.String(), Back: back, Quick: true, OwnerID: p.UserID.String()}
	var err error
	f.Owners, err = assignees(tx, p, p.UserID)
	return f, err
}

// activityRow shows an activity in the viewer's zone; the person it is
// assigned to only when that is not the viewer (my day lists only theirs).
func activityRow(a activities.Activity, d activities.Day, viewer crm.ID) view.ActivityRow {
	r := view.ActivityRow{ID: a.ID.String(), Type: a.Type, Title: a.Title, Done: a.Done(), Outcome: a.Outcome}
	if a.OwnerID != viewer {
		r.Owner = a.OwnerName
	}
	r.Overdue = !a.Done() && !a.DueAt.IsZero() && d.BucketOf(a) == activities.Overdue
	r.When = whenText(a, d)
	r.Related = activityLinksOf(a)
	return r
}

// activityLinksOf are the records an activity is about, as links.
func activityLinksOf(a activities.Activity) []view.Link {
	var out []view.Link
	for _, c := range a.Contacts {
		out = append(out, view.Link{Label: c.Name, URL: "/contacts/" + c.ContactID.String()})
	}
	if a.CompanyID != 0 && a.CompanyName != "" {
		out = append(out, view.Link{Label: a.CompanyName, URL: "/companies/" + a.CompanyID.String()})
	}
	if a.DealID != 0 {
		out = append(out, view.Link{Label: cmp.Or(a.DealTitle, "Deal"), URL: "/deals/" + a.DealID.String()})
	}
	return out
}

// whenText is "15:00" today, "Thu Dec 3, 15:00" another day, "Dec 3" for
// all day; the year only when it is not this one.
func whenText(a activities.Activity, d activities.Day) string {
	if a.DueAt.IsZero() {
		return ""
	}
	now := d.Now.In(d.Loc)
	if a.AllDay {
		t := a.DueAt.UTC()
		if t.Format("2006-01-02") == now.Format("2006-01-02") {
			return "Today"
		}
		return dateText(t, now)
	}
	t := a.DueAt.In(d.Loc)
	if t.Format("2006-01-02") == now.Format("2006-01-02") {
		return t.Format("15:04")
	}
	return dateText(t, now) + ", " + t.Format("15:04")
}

func dateText(t, now time.Time) string {
	if t.Year() != now.Year() {
		return t.Format("Mon Jan 2, 2006")
	}
	return t.Format("Mon Jan 2")
}

// zone is the time zone the request's user sees times in.
func zone(tx *store.Tx, p crm.Principal) (*time.Location, error) { return activities.Zone(tx, p) }

// aboutRecord prefills the form with the record it is about, and the
// records that one is about: a contact's company, a deal's company and
// contact (each only if the user may see it).
func aboutRecord(tx *store.Tx, p crm.Principal, f *view.ActivityForm, object string, id crm.ID) error {
	var contact, company crm.ID
	switch object {
	case "contact":
		c, err := records.ViewContact(tx, p, id)
		if err != nil {
			return err
		}
		f.Contacts, company = []view.Option{{Value: id.String(), Label: c.Name()}}, c.CompanyID
	case "company":
		c, err := records.ViewCompany(tx, p, id)
		if err != nil {
			return err
		}
		f.CompanyID, f.CompanyName = id.String(), c.Name
	case "deal":
		d, err := deals.ViewDeal(tx, p, id)
		if err != nil {
			return err
		}
		f.DealID, f.DealTitle = id.String(), d.Title
		contact, company = d.ContactID, d.CompanyID
	}
	if contact != 0 {
		if c, err := records.ViewContact(tx, p, contact); err == nil {
			f.Contacts = []view.Option{{Value: contact.String(), Label: c.Name()}}
		}
	}
	if company != 0 {
		if c, err := records.ViewCompany(tx, p, company); err == nil {
			f.CompanyID, f.CompanyName = company.String(), c.Name
		}
	}
	return nil
}

// backTo is where a form goes after saving: a path of this site only.
func backTo(r *http.Request, def string) string {
	b := form(r, "back")
	if !strings.HasPrefix(b, "/") || strings.HasPrefix(b, "//") || strings.ContainsAny(b, "\\\r\n") {
		return def
	}
	return b
}

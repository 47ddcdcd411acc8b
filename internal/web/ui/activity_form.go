package ui

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/tandemcrm/tandem/internal/activities"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/web/view"
)

// activityInput reads the activity form. The date and time are in the
// user's zone; no time means all day.
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
	ref := func(name string, dst **crm.ID) {
		v := form(r, name)
		if v == "" {
			if editing {
				return // the edit form keeps links it does not show
			}
			v = "0"
		}
		id, err := crm.ParseID(v)
		if err != nil && v != "0" {
			fe.Add(name, "No such record.")
			return
		}
		*dst = &id
	}
	ref("contact_id", &in.ContactID)
	ref("company_id", &in.CompanyID)
	ref("deal_id", &in.DealID)
	return in, fe
}

// activityForm fills the edit form from an activity.
func activityForm(a activities.Activity, loc *time.Location) view.ActivityForm {
	f := view.ActivityForm{ID: a.ID.String(), Version: strconv.FormatInt(a.Version, 10), Type: a.Type, Title: a.Title,
		AllDay: a.AllDay, Duration: strconv.Itoa(a.DurationMin), RemindBefore: strconv.Itoa(a.RemindBefore()),
		Location: a.Location, Notes: a.Notes, Outcome: a.Outcome, Done: a.Done(), Zone: loc.String(),
		ContactName: a.ContactName, CompanyName: a.CompanyName}
	if !a.DueAt.IsZero() {
		if a.AllDay {
			f.Date = a.DueAt.UTC().Format("2006-01-02")
		} else {
			t := a.DueAt.In(loc)
			f.Date, f.Time = t.Format("2006-01-02"), t.Format("15:04")
		}
	}
	for _, c := range a.Contacts {
		f.ContactEmail = f.ContactEmail || c.Email != ""
	}
	return f
}

// newActivityForm is an empty form for today in loc, about a record.
func newActivityForm(loc *time.Location, now time.Time, back string) view.ActivityForm {
	return view.ActivityForm{Type: "task", Date: now.In(loc).Format("2006-01-02"), Duration: "0", RemindBefore: "15",
		Zone: loc.String(), Back: back, Quick: true}
}

// activityRow shows an activity in the viewer's zone.
func activityRow(a activities.Activity, d activities.Day) view.ActivityRow {
	r := view.ActivityRow{ID: a.ID.String(), Type: a.Type, Title: a.Title, Done: a.Done(), Outcome: a.Outcome, Owner: a.OwnerName}
	r.Overdue = !a.Done() && !a.DueAt.IsZero() && d.BucketOf(a) == activities.Overdue
	r.When = whenText(a, d)
	for _, c := range a.Contacts {
		r.Related = append(r.Related, view.Link{Label: c.Name, URL: "/contacts/" + c.ContactID.String()})
	}
	if a.CompanyID != 0 && a.CompanyName != "" {
		r.Related = append(r.Related, view.Link{Label: a.CompanyName, URL: "/companies/" + a.CompanyID.String()})
	}
	if a.DealID != 0 {
		r.Related = append(r.Related, view.Link{Label: "Deal", URL: "/deals/" + a.DealID.String()})
	}
	return r
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

// aboutRecord prefills the form with the record it is about.
func aboutRecord(tx *store.Tx, p crm.Principal, f *view.ActivityForm, object string, id crm.ID) error {
	switch object {
	case "contact":
		c, err := records.ViewContact(tx, p, id)
		if err != nil {
			return err
		}
		f.ContactID, f.ContactName, f.ContactEmail = id.String(), c.Name(), c.Email != ""
		if c.CompanyID != 0 {
			f.CompanyID = c.CompanyID.String()
		}
	case "company":
		c, err := records.ViewCompany(tx, p, id)
		if err != nil {
			return err
		}
		f.CompanyID, f.CompanyName = id.String(), c.Name
	case "deal":
		if err := activities.CheckDeal(tx, p, id); err != nil {
			return err
		}
		f.DealID = id.String()
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

package ui

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/tandemcrm/tandem/internal/activities"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/web/view"
)

// monthCellItems is how many activities a month cell shows before "+N more".
const monthCellItems = 4

// CalendarShow renders the user's week (?view=week, the default) or month
// (?view=month) around ?date=YYYY-MM-DD, in their time zone. Weeks start
// on Monday.
func (h *Handlers) CalendarShow(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	mode := r.URL.Query().Get("view")
	if mode != "month" {
		mode = "week"
	}
	var v view.CalendarView
	err := h.read(r.Context(), func(tx *store.Tx) error {
		loc, err := zone(tx, p)
		if err != nil {
			return err
		}
		now := tx.Now.In(loc)
		today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
		day := today
		if d, err := time.ParseInLocation("2006-01-02", r.URL.Query().Get("date"), loc); err == nil && d.Year() > 1900 && d.Year() < 3000 {
			day = d
		}
		first, last := calendarSpan(mode, day)
		as, err := activities.Range(tx, p, p.UserID, first, last, 3000)
		if err != nil {
			return err
		}
		v = calendarView(mode, day, today, first, last, as, loc)
		return nil
	})
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, view.CalendarPage(h.shell(w, r, "Calendar", "calendar"), v))
}

// calendarSpan is the first day shown and the day after the last: one
// week, or the whole weeks that hold the month.
func calendarSpan(mode string, day time.Time) (time.Time, time.Time) {
	monday := func(t time.Time) time.Time { return t.AddDate(0, 0, -((int(t.Weekday()) + 6) % 7)) }
	if mode == "week" {
		f := monday(day)
		return f, f.AddDate(0, 0, 7)
	}
	f := monday(time.Date(day.Year(), day.Month(), 1, 0, 0, 0, 0, day.Location()))
	endOfMonth := time.Date(day.Year(), day.Month()+1, 1, 0, 0, 0, 0, day.Location())
	l := monday(endOfMonth.AddDate(0, 0, -1)).AddDate(0, 0, 7)
	return f, l
}

func calURL(mode string, d time.Time) string {
	return "/calendar?" + url.Values{"view": {mode}, "date": {d.Format("2006-01-02")}}.Encode()
}

func calendarView(mode string, day, today, first, last time.Time, as []activities.Activity, loc *time.Location) view.CalendarView {
	v := view.CalendarView{Mode: mode, Zone: loc.String(), Today: calURL(mode, today), WeekURL: calURL("week", day),
		MonthURL: calURL("month", day), Weekdays: []string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"},
		Empty: len(as) == 0, NewURL: "/activities/new?date=" + day.Format("2006-01-02")}
	if day.Before(today) {
		v.NewURL = "/activities/new" // today, not a day gone by
	}
	if mode == "week" {
		v.Prev, v.Next = calURL(mode, day.AddDate(0, 0, -7)), calURL(mode, day.AddDate(0, 0, 7))
		end := last.AddDate(0, 0, -1)
		v.Title = first.Format("Jan 2") + " – " + end.Format("Jan 2, 2006")
		if first.Month() == end.Month() {
			v.Title = first.Format("Jan 2") + " – " + end.Format("2, 2006")
		}
	} else {
		v.Prev, v.Next = calURL(mode, time.Date(day.Year(), day.Month()-1, 1, 0, 0, 0, 0, loc)), calURL(mode, time.Date(day.Year(), day.Month()+1, 1, 0, 0, 0, 0, loc))
		v.Title = day.Format("January 2006")
	}
	byDate := map[string][]activities.Activity{}
	for _, a := range as {
		key := a.DueAt.In(loc).Format("2006-01-02")
		if a.AllDay {
			key = a.DueAt.UTC().Format("2006-01-02")
		}
		byDate[key] = append(byDate[key], a)
	}
	var week []view.CalendarDay
	for d := first; d.Before(last); d = d.AddDate(0, 0, 1) {
		key := d.Format("2006-01-02")
		cd := view.CalendarDay{Date: key, Label: d.Format("2"), Today: key == today.Format("2006-01-02"),
			InMonth: mode == "week" || d.Month() == day.Month(), AddURL: "/activities/new?date=" + key, WeekURL: calURL("week", d)}
		if mode == "week" {
			cd.Label = d.Format("Mon 2")
		}
		items := byDate[key]
		// All-day ones first, then by time (Range returns them by due time).
		for _, allDay := range []bool{true, false} {
			for _, a := range items {
				if a.AllDay != allDay {
					continue
				}
				if mode == "month" && len(cd.Items) >= monthCellItems {
					cd.MoreThan++
					continue
				}
				it := view.CalendarItem{ID: a.ID.String(), Title: a.Title, Type: a.Type, Done: a.Done()}
				if !a.AllDay {
					it.Time = a.DueAt.In(loc).Format("15:04")
				}
				for _, l := range activityLinksOf(a) {
					it.About = strings.TrimPrefix(it.About+", "+l.Label, ", ")
				}
				cd.Items = append(cd.Items, it)
			}
		}
		week = append(week, cd)
		if len(week) == 7 {
			v.Weeks, week = append(v.Weeks, week), nil
		}
	}
	return v
}

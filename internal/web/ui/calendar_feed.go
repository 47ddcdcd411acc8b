package ui

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/tandemcrm/tandem/internal/activities"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/web/view"
)

// commonZones are offered in settings; any other IANA name the user already
// has stays selectable.
var commonZones = []string{"UTC", "Europe/London", "Europe/Dublin", "Europe/Lisbon", "Europe/Paris", "Europe/Berlin",
	"Europe/Amsterdam", "Europe/Madrid", "Europe/Rome", "Europe/Stockholm", "Europe/Warsaw", "Europe/Athens", "Europe/Helsinki",
	"Europe/Istanbul", "Europe/Moscow", "Africa/Lagos", "Africa/Johannesburg", "Africa/Cairo", "Asia/Dubai", "Asia/Kolkata",
	"Asia/Singapore", "Asia/Shanghai", "Asia/Hong_Kong", "Asia/Tokyo", "Asia/Seoul", "Australia/Perth", "Australia/Sydney",
	"Pacific/Auckland", "America/Sao_Paulo", "America/Buenos_Aires", "America/Mexico_City", "America/Bogota",
	"America/New_York", "America/Toronto", "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles",
	"America/Anchorage", "Pacific/Honolulu"}

func loadZone(name string) (*time.Location, error) { return time.LoadLocation(name) }

// CalendarSettings shows the feed (never its link, which is only kept
// hashed) and the time zone.
func (h *Handlers) CalendarSettings(w http.ResponseWriter, r *http.Request) {
	h.calendarSettings(w, r, http.StatusOK, "", nil)
}

func (h *Handlers) calendarSettings(w http.ResponseWriter, r *http.Request, status int, newURL string, errs crm.FieldErrors) {
	p := principal(r)
	v := view.CalendarSettingsView{NewURL: newURL, Errors: view.Errors(errs)}
	err := h.read(r.Context(), func(tx *store.Tx) error {
		f, err := activities.FeedState(tx, p)
		if err != nil {
			return err
		}
		loc, err := zone(tx, p)
		if err != nil {
			return err
		}
		v.Active = f.Active
		if f.Active {
			v.Created = f.CreatedAt.In(loc).Format("Jan 2, 2006 15:04")
			if !f.LastUsedAt.IsZero() {
				v.LastUsed = f.LastUsedAt.In(loc).Format("Jan 2, 2006 15:04")
			}
		}
		if v.Zone, err = activities.ZoneName(tx, p.UserID); err != nil {
			return err
		}
		v.WSZone = "UTC"
		_ = tx.QueryRow(`SELECT time_zone FROM workspaces WHERE id = ?`, p.WorkspaceID).Scan(&v.WSZone)
		v.Zones, v.IsAdmin = commonZones, p.Role.Rank() >= crm.RoleAdmin.Rank()
		for _, z := range []string{v.Zone, v.WSZone} {
			if z != "" && !slices.Contains(v.Zones, z) {
				v.Zones = append([]string{z}, v.Zones...)
			}
		}
		return nil
	})
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	h.render(w, r, status, view.CalendarSettingsPage(h.shell(w, r, "Settings", "settings"), v))
}

// FeedCreate makes (or remakes) the user's feed link and shows it once.
func (h *Handlers) FeedCreate(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	var token string
	if err := h.write(r.Context(), func(tx *store.Tx) (err error) { token, err = activities.NewFeedToken(tx, p); return err }); err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	h.calendarSettings(w, r, http.StatusOK, strings.TrimRight(h.BaseURL, "/")+"/calendar/"+token+".ics", nil)
}

// FeedRevoke turns the feed off.
func (h *Handlers) FeedRevoke(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	if err := h.write(r.Context(), func(tx *store.Tx) error { return activities.RevokeFeed(tx, p) }); err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	h.flash(w, "ok", "The calendar feed is off; its link no longer works.")
	http.Redirect(w, r, "/settings/calendar", http.StatusSeeOther)
}

// ZoneSave sets the user's time zone.
func (h *Handlers) ZoneSave(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	h.saveZone(w, r, func(tx *store.Tx) error { return activities.SetZone(tx, p, form(r, "time_zone")) }, "Time zone saved.")
}

// WorkspaceZoneSave sets the workspace's time zone (owners and admins).
func (h *Handlers) WorkspaceZoneSave(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	h.saveZone(w, r, func(tx *store.Tx) error { return activities.SetWorkspaceZone(tx, p, form(r, "time_zone")) },
		"The workspace's time zone is saved.")
}

// saveZone runs set and answers as the calendar settings do: the form again
// with the message on a bad zone, else back to the settings with done.
func (h *Handlers) saveZone(w http.ResponseWriter, r *http.Request, set func(*store.Tx) error, done string) {
	err := h.write(r.Context(), set)
	if crm.ErrorCode(err) == crm.Invalid {
		h.calendarSettings(w, r, http.StatusUnprocessableEntity, "", crm.ErrorFields(err))
		return
	}
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	h.flash(w, "ok", done)
	http.Redirect(w, r, "/settings/calendar", http.StatusSeeOther)
}

// CalendarFeed serves a private iCalendar feed: GET /calendar/{token}.ics,
// no session (calendar programs have none), the token is the key. An
// unknown or revoked token is a plain 404.
func (h *Handlers) CalendarFeed(w http.ResponseWriter, r *http.Request) {
	token := strings.TrimSuffix(r.PathValue("file"), ".ics")
	var body string
	err := h.write(r.Context(), func(tx *store.Tx) error {
		p, err := activities.FeedPrincipal(tx, token)
		if err != nil {
			return err
		}
		if err := activities.TouchFeed(tx, p); err != nil {
			return err
		}
		as, err := activities.FeedActivities(tx, p)
		body = activities.WriteCalendar(activities.CalendarOptions{Name: "Tandem — " + p.Name, BaseURL: h.BaseURL,
			Host: activities.Host(h.BaseURL)}, nil, as, tx.Now)
		return err
	})
	if crm.ErrorCode(err) == crm.NotFound {
		http.Error(w, "no such calendar", http.StatusNotFound)
		return
	}
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Disposition", `inline; filename="tandem.ics"`)
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	_, _ = w.Write([]byte(body))
}

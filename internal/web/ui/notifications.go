package ui

import (
	"net/http"

	"github.com/tandemcrm/tandem/internal/activities"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/web/respond"
	"github.com/tandemcrm/tandem/internal/web/view"
)

// NotificationList is the notification centre, newest first (?before=id
// pages back).
func (h *Handlers) NotificationList(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	before, _ := crm.ParseID(r.URL.Query().Get("before"))
	var v view.NotificationsView
	err := h.read(r.Context(), func(tx *store.Tx) error {
		loc, err := zone(tx, p)
		if err != nil {
			return err
		}
		if v.Unread, err = activities.Unread(tx, p); err != nil {
			return err
		}
		ns, err := activities.Notifications(tx, p, before, 50)
		for _, n := range ns {
			v.Rows = append(v.Rows, notificationRow(n, loc.String()))
		}
		if len(ns) == 50 {
			v.Next = "/notifications?before=" + ns[len(ns)-1].ID.String()
		}
		return err
	})
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, view.NotificationsPage(h.shell(w, r, "Notifications", ""), v))
}

func notificationRow(n activities.Notification, zoneName string) view.NotificationRow {
	when := n.CreatedAt.Format("Jan 2 15:04") + " UTC"
	if loc, err := loadZone(zoneName); err == nil {
		when = n.CreatedAt.In(loc).Format("Jan 2 15:04")
	}
	return view.NotificationRow{ID: n.ID.String(), Title: n.Title, Body: n.Body, URL: n.URL, When: when, Unread: n.ReadAt.IsZero()}
}

// NotificationCount is the bell's content (polled by htmx).
func (h *Handlers) NotificationCount(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	var n int
	if err := h.read(r.Context(), func(tx *store.Tx) (err error) { n, err = activities.Unread(tx, p); return err }); err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, view.BellCount(n))
}

// NotificationRead marks one notification read.
func (h *Handlers) NotificationRead(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	id, err := crm.ParseID(r.PathValue("id"))
	if err != nil {
		err = crm.Errorf(crm.NotFound, "No such notification.")
	} else {
		err = h.write(r.Context(), func(tx *store.Tx) error { return activities.MarkRead(tx, p, id) })
	}
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	if respond.IsHTMX(r) && r.Header.Get("HX-Boosted") == "" {
		var row view.NotificationRow
		_ = h.read(r.Context(), func(tx *store.Tx) error {
			ns, err := activities.Notifications(tx, p, id+1, 1)
			if err == nil && len(ns) == 1 && ns[0].ID == id {
				row = notificationRow(ns[0], "UTC")
			}
			return err
		})
		h.render(w, r, http.StatusOK, view.NotificationRowFragment(row))
		return
	}
	http.Redirect(w, r, "/notifications", http.StatusSeeOther)
}

// NotificationReadAll marks every notification read.
func (h *Handlers) NotificationReadAll(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	if err := h.write(r.Context(), func(tx *store.Tx) error { return activities.MarkAllRead(tx, p) }); err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/notifications", http.StatusSeeOther)
}

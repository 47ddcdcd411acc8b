package ui

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/audit"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/web/view"
)

// AuditShow is the audit log search for owners and admins: filter by
// action, object (type and record id), actor and dates, newest first, a
// page at a time.
func (h *Handlers) AuditShow(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	f, v := auditFilter(r.URL.Query())
	cursor, _ := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
	var entries []audit.Entry
	var next int64
	var names map[crm.ID]string
	err := h.read(r.Context(), func(tx *store.Tx) (err error) {
		if err := account.Can(tx, p, account.ActAdmin, 0); err != nil {
			return err
		}
		if names, err = ownerNames(tx, p.WorkspaceID); err != nil {
			return err
		}
		entries, next, err = audit.List(tx, p.WorkspaceID, f, 100, cursor)
		return err
	})
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	for id, name := range names {
		v.Members = append(v.Members, view.Option{Value: id.String(), Label: name})
	}
	slices.SortFunc(v.Members, func(a, b view.Option) int { return strings.Compare(a.Label, b.Label) })
	for _, e := range entries {
		v.Rows = append(v.Rows, auditRow(e, names))
	}
	if next > 0 {
		q := r.URL.Query()
		q.Set("after", strconv.FormatInt(next, 10))
		v.Next = "/settings/audit?" + q.Encode()
	}
	h.render(w, r, http.StatusOK, view.AuditPage(h.shell(w, r, "Audit log", "settings"), v))
}

// AuditExport downloads the filtered log as CSV (up to audit.MaxExport
// entries). A POST: the export is itself recorded in the log.
func (h *Handlers) AuditExport(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	if err := r.ParseForm(); err != nil {
		h.Errs.Error(w, r, crm.Errorf(crm.Invalid, "Bad form."))
		return
	}
	f, _ := auditFilter(r.PostForm)
	var all []audit.Entry
	err := h.write(r.Context(), func(tx *store.Tx) (err error) {
		if err := account.Can(tx, p, account.ActAdmin, 0); err != nil {
			return err
		}
		if all, err = audit.Export(tx, p.WorkspaceID, f); err != nil {
			return err
		}
		_, err = audit.Record(tx, audit.Entry{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), Action: "audit.exported",
			ObjectType: "audit_log", IP: clientIP(r), UserAgent: r.UserAgent(), Details: map[string]any{"entries": len(all)}})
		return err
	})
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="audit-log.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	_ = audit.WriteCSV(w, all)
}

func auditFilter(q url.Values) (audit.Filter, view.AuditView) {
	v := view.AuditView{Action: q.Get("action"), ObjectType: q.Get("object_type"), ObjectID: q.Get("object_id"),
		Actor: q.Get("actor"), Since: q.Get("since"), Until: q.Get("until")}
	f := audit.Filter{Action: v.Action, ObjectType: v.ObjectType}
	if id, err := crm.ParseID(v.ObjectID); err == nil {
		f.ObjectID = id
	}
	if id, err := crm.ParseID(v.Actor); err == nil && id != 0 {
		f.Actor = crm.Actor{ID: id}
	}
	if t, err := time.Parse("2006-01-02", v.Since); err == nil {
		f.Since = t
	}
	if t, err := time.Parse("2006-01-02", v.Until); err == nil {
		f.Until = t.AddDate(0, 0, 1) // the whole day
	}
	return f, v
}

// recordPaths link an entry's object to its page.
var recordPaths = map[string]string{"contact": "/contacts/", "company": "/companies/", "deal": "/deals/"}

func auditRow(e audit.Entry, names map[crm.ID]string) view.AuditRow {
	d := ""
	if len(e.Details) > 0 {
		b, _ := json.Marshal(e.Details)
		d = string(b)
	}
	obj := e.ObjectType
	row := view.AuditRow{When: e.At.Format("Jan 2 2006, 15:04:05"), Actor: e.Actor.Type + " " + e.Actor.ID.String(),
		Action: e.Action, IP: e.IP, Details: d, Erased: e.Erased}
	if e.ObjectID != 0 {
		obj += " " + e.ObjectID.String()
		if path, ok := recordPaths[e.ObjectType]; ok {
			row.ObjectURL = path + e.ObjectID.String()
		}
	}
	row.Object = obj
	if name, ok := names[e.Actor.ID]; ok && e.Actor.Type == "user" {
		row.Actor = name + " (" + e.Actor.ID.String() + ")"
	}
	return row
}

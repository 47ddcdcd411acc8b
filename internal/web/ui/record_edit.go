package ui

import (
	"time"

	"net/http"
	"strconv"

	"github.com/tandemcrm/tandem/internal/audit"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/views"
	"github.com/tandemcrm/tandem/internal/web/respond"
	"github.com/tandemcrm/tandem/internal/web/view"
)

// record is a contact or company loaded for its page, as facts.
type record struct {
	name, subtitle string
	stamps         string         // who created and last changed it, and when
	loc            *time.Location // the viewer's time zone
	version        int64
	facts          []view.Fact
	timeline       []records.Entry
}

// loadRecord reads a record and what its facts need. A record of another
// workspace is not found.
func loadRecord(tx *store.Tx, p crm.Principal, object string, id crm.ID, withTimeline bool) (record, error) {
	var rec record
	rc := recordCtx{readOnly: p.Role == crm.RoleReadOnly, now: tx.Now}
	var err error
	if rc.defs, err = records.ListFields(tx, p.WorkspaceID, object, false); err != nil {
		return rec, err
	}
	if rc.members, err = views.Members(tx, p.WorkspaceID); err != nil {
		return rec, err
	}
	// Times are shown in the viewer's zone; a contact's local time names
	// the weekday when the day differs from theirs.
	if rc.viewer, err = zone(tx, p); err != nil {
		return rec, err
	}
	rec.loc = rc.viewer
	if object == "contact" {
		c, err := records.ViewContact(tx, p, id)
		if err != nil {
			return rec, err
		}
		rec.name, rec.version, rec.facts = c.Name(), c.Version, contactFacts(c, rc)
		rec.stamps = stamps(memberNames(rc.members), c.CreatedBy, c.CreatedAt.In(rec.loc), c.UpdatedBy, c.UpdatedAt.In(rec.loc))
		rec.subtitle = joinNonEmpty(" at ", c.Title, c.CompanyName)
	} else {
		c, err := records.ViewCompany(tx, p, id)
		if err != nil {
			return rec, err
		}
		rec.name, rec.version, rec.facts, rec.subtitle = c.Name, c.Version, companyFacts(c, rc), c.Domain
		rec.stamps = stamps(memberNames(rc.members), c.CreatedBy, c.CreatedAt.In(rec.loc), c.UpdatedBy, c.UpdatedAt.In(rec.loc))
	}
	if withTimeline {
		rec.timeline, err = records.TimelineFor(tx, p, object, id, 200)
	}
	return rec, err
}

// stamps says who created a record and who changed it last, and when:
// "Created Mar 3, 2026 by Ana Lima · changed Nov 2, 2026 by Ben Ode". A
// member who has left (or an unknown creator) is left out, not guessed.
func stamps(who names, createdBy crm.ID, created time.Time, updatedBy crm.ID, updated time.Time) string {
	const day = "Jan 2, 2006"
	by := func(id crm.ID) string {
		if n := who[id]; n != "" {
			return " by " + n
		}
		return ""
	}
	s := "Created " + created.Format(day) + by(createdBy)
	if updated.After(created) {
		s += " · changed " + updated.Format(day) + by(updatedBy)
	}
	return s
}

func joinNonEmpty(sep string, parts ...string) string {
	out := ""
	for _, p := range parts {
		if p == "" {
			continue
		}
		if out != "" {
			out += sep
		}
		out += p
	}
	return out
}

func (rec record) fact(key string) (view.Fact, bool) {
	for _, f := range rec.facts {
		if f.Key == key {
			return f, true
		}
	}
	return view.Fact{}, false
}

// showRecord renders a record page; ?edit=key opens that field's editor
// (the no-JavaScript path of inline editing).
func (h *Handlers) showRecord(w http.ResponseWriter, r *http.Request, object string) {
	p := principal(r)
	id, err := crm.ParseID(r.PathValue("id"))
	if err != nil {
		h.Errs.Error(w, r, crm.Errorf(crm.NotFound, "No such %s.", object))
		return
	}
	var rec record
	if err := h.read(r.Context(), func(tx *store.Tx) (err error) { rec, err = loadRecord(tx, p, object, id, true); return err }); err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	h.viewed(r, audit.RecordViewed, object, id, nil)
	v := view.RecordView{Object: object, ID: id.String(), Name: rec.name, Subtitle: rec.subtitle, Stamps: rec.stamps,
		Back: listKinds[object].path, Facts: rec.facts}
	for i := range v.Facts {
		v.Facts[i].Editing = v.Facts[i].Key == r.URL.Query().Get("edit") && !v.Facts[i].ReadOnly
	}
	v.Timeline = timelineView(rec.timeline, rec.loc)
	if err := h.read(r.Context(), func(tx *store.Tx) error {
		if err := h.addNotesAndDups(tx, p, object, id, &v); err != nil {
			return err
		}
		return h.addPeople(tx, p, object, id, &v)
	}); err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	if object == "company" {
		v.Actions = []view.Link{{Label: "Add a contact here", URL: "/contacts?company=" + id.String()},
			{Label: "Its contacts", URL: "/contacts?filter=" + urlQuery("company_id = "+id.String())}}
	}
	h.render(w, r, http.StatusOK, view.RecordPage(h.shell(w, r, rec.name, listKinds[object].nouns), v))
}

// editFact answers htmx with one fact: its editor, or (show=1) its value.
func (h *Handlers) editFact(w http.ResponseWriter, r *http.Request, object string) {
	p := principal(r)
	id, err := crm.ParseID(r.PathValue("id"))
	if err != nil {
		h.Errs.Error(w, r, crm.Errorf(crm.NotFound, "No such %s.", object))
		return
	}
	var rec record
	if err := h.read(r.Context(), func(tx *store.Tx) (err error) { rec, err = loadRecord(tx, p, object, id, false); return err }); err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	f, ok := rec.fact(r.URL.Query().Get("field"))
	if !ok {
		h.Errs.Error(w, r, crm.Errorf(crm.NotFound, "No such field."))
		return
	}
	f.Editing = r.URL.Query().Get("show") == "" && !f.ReadOnly
	h.render(w, r, http.StatusOK, view.FactFragment(f))
}

// saveFact changes one field, checking the version the editor started
// from. On a conflict the editor comes back with the other person's value
// and the current version, so saving again overwrites knowingly.
func (h *Handlers) saveFact(w http.ResponseWriter, r *http.Request, object string) {
	p := principal(r)
	id, err := crm.ParseID(r.PathValue("id"))
	if err != nil {
		h.Errs.Error(w, r, crm.Errorf(crm.NotFound, "No such %s.", object))
		return
	}
	c := bulkChange{object: object, action: "edit", field: form(r, "field"), value: form(r, "value"), ids: []crm.ID{id}}
	readParts(r, &c)
	version, _ := strconv.ParseInt(form(r, "version"), 10, 64)
	var rec record
	err = h.write(r.Context(), func(tx *store.Tx) error {
		if _, err := loadRecord(tx, p, object, id, false); err != nil {
			return err // not found before anything else
		}
		if object == "contact" {
			patch, err := contactPatch(tx, p, id, c)
			if err == nil {
				_, err = records.UpdateContact(tx, p, id, patch, version)
			}
			return err
		}
		patch, err := companyPatch(tx, p, id, c)
		if err == nil {
			_, err = records.UpdateCompany(tx, p, id, patch, version)
		}
		return err
	})
	code := crm.ErrorCode(err)
	if code != "" && code != crm.Invalid && code != crm.Conflict {
		h.Errs.Error(w, r, err)
		return
	}
	// A saved change answered in place reads the timeline too: it goes out
	// with the fact.
	if rerr := h.read(r.Context(), func(tx *store.Tx) (err error) {
		rec, err = loadRecord(tx, p, object, id, code == "" && respond.IsHTMX(r))
		return err
	}); rerr != nil {
		h.Errs.Error(w, r, rerr)
		return
	}
	f, ok := rec.fact(c.field)
	if !ok {
		h.Errs.Error(w, r, crm.Errorf(crm.NotFound, "No such field."))
		return
	}
	status, msg := http.StatusOK, ""
	switch code {
	case crm.Conflict:
		f.Editing, f.Value, status = true, c.value, http.StatusUnprocessableEntity
		f.Conflict = "Someone else changed this " + object + " while you were editing. It now says “" + orDash(f.Text) +
			"”. Save again to replace it with yours, or cancel."
		refill(&f, c, nil)
		msg = f.Conflict
	case crm.Invalid:
		f.Editing, f.Value, f.Version, status = true, c.value, strconv.FormatInt(version, 10), http.StatusUnprocessableEntity
		f.Error, msg = firstFieldMessage(err), firstFieldMessage(err)
		refill(&f, c, crm.ErrorFields(err))
	default:
		f.Editing = c.removed // a link removed: the editor stays open for the next change
	}
	if !respond.IsHTMX(r) {
		if status != http.StatusOK {
			h.flash(w, "error", "Not saved: "+orDash(msg))
			http.Redirect(w, r, f.Base+"?edit="+f.Key, http.StatusSeeOther)
			return
		}
		h.flash(w, "ok", "Saved.")
		if f.Editing {
			http.Redirect(w, r, f.Base+"?edit="+f.Key, http.StatusSeeOther)
			return
		}
		http.Redirect(w, r, f.Base, http.StatusSeeOther)
		return
	}
	if status != http.StatusOK {
		h.render(w, r, status, view.FactFragment(f))
		return
	}
	// The primary email or phone and the others are one list: a change to
	// one may change the other (the first of the others becomes the
	// primary when there was none), so both go out.
	var also []view.Fact
	if sib := map[string]string{"email": "emails", "emails": "email", "phone": "phones", "phones": "phone"}[c.field]; sib != "" && object == "contact" {
		if s, ok := rec.fact(sib); ok {
			s.OOB = true
			also = append(also, s)
		}
	}
	h.render(w, r, status, view.FactSaved(f, also, object, timelineView(rec.timeline, rec.loc), rec.stamps))
}

// timelineView is a timeline as its panel shows it.
// timelineView is a timeline as its panel shows it, its times in the
// viewer's zone (loc).
func timelineView(tl []records.Entry, loc *time.Location) []view.TimelineEntry {
	out := make([]view.TimelineEntry, 0, len(tl))
	for _, e := range tl {
		action := string(e.Action)
		if e.About != "" { // "created deal “X” of this company"
			action += " " + e.About + " of"
		}
		out = append(out, view.TimelineEntry{When: e.At.In(loc).Format("Jan 2, 2006 15:04"), Who: e.Who, Action: action, Summary: e.Summary})
	}
	return out
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func firstFieldMessage(err error) string {
	for _, m := range crm.ErrorFields(err) {
		return m
	}
	return crm.ErrorMessage(err)
}

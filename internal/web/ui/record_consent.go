package ui

import (
	"net/http"
	"strings"
	"time"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/consent"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/web/view"
)

// addConsent fills a contact page's consent panel.
func (h *Handlers) addConsent(tx *store.Tx, p crm.Principal, c records.Contact, v *view.RecordView) error {
	states, hist, err := consent.ViewAs(tx, p, c.ID, 200)
	if err != nil {
		return err
	}
	who, err := actorNames(tx, p.WorkspaceID)
	if err != nil {
		return err
	}
	panel := &view.ConsentPanel{ContactID: c.ID.String(), Statuses: consent.Statuses, Bases: consent.Bases,
		CanEdit: account.Can(tx, p, account.ActUpdate, c.OwnerID) == nil}
	labels := map[string]string{}
	for _, s := range states {
		labels[s.Purpose.Key] = s.Purpose.Label
		row := view.ConsentRow{Purpose: s.Purpose.Key, Label: s.Purpose.Label, Status: s.Status, RequiresConsent: s.Purpose.RequiresConsent}
		if s.Status != "" {
			row.Basis, row.Source, row.When = humanKey(s.Latest.Basis), s.Latest.Source, s.Latest.At.Format("Jan 2, 2006")
		}
		panel.Rows = append(panel.Rows, row)
		panel.Purposes = append(panel.Purposes, view.Option{Value: s.Purpose.Key, Label: s.Purpose.Label})
	}
	for _, e := range hist {
		label := labels[e.Purpose]
		if label == "" {
			label = e.Purpose + " (removed purpose)"
		}
		panel.History = append(panel.History, view.ConsentRow{Purpose: e.Purpose, Label: label, Status: e.Status, Basis: e.Basis,
			Source: e.Source, When: e.At.Format("Jan 2, 2006 15:04"), By: who(e.Actor), Evidence: evidence(e)})
	}
	if c.Email != "" {
		if s, ok, err := consent.Lookup(tx, p.WorkspaceID, consent.Email, c.Email); err != nil {
			return err
		} else if ok {
			panel.Notices = append(panel.Notices, "The email address "+c.Email+" is suppressed ("+s.Reason+"): nothing may be sent to it.")
		}
		if s, ok, err := consent.Lookup(tx, p.WorkspaceID, consent.Domain, consent.DomainOf(c.Email)); err != nil {
			return err
		} else if ok {
			panel.Notices = append(panel.Notices, "The domain "+consent.DomainOf(c.Email)+" is suppressed ("+s.Reason+").")
		}
	}
	if tok, err := consent.PreferenceToken(p.WorkspaceID, c.ID, tx.Now.Add(consent.PreferenceTTL)); err == nil {
		panel.PreferenceURL = h.BaseURL + "/preferences/" + tok
	}
	v.Consent = panel
	return nil
}

func evidence(e consent.Consent) string {
	var parts []string
	if e.NoticeVersion != "" {
		parts = append(parts, "notice "+e.NoticeVersion)
	}
	if e.IP != "" {
		parts = append(parts, "from "+e.IP)
	}
	if e.UserAgent != "" {
		parts = append(parts, e.UserAgent)
	}
	return strings.Join(parts, " · ")
}

func humanKey(s string) string { return strings.ReplaceAll(s, "_", " ") }

// actorNames names who recorded a ledger entry.
func actorNames(tx *store.Tx, ws crm.ID) (func(crm.Actor) string, error) {
	ms, err := account.ListMembers(tx, ws)
	if err != nil {
		return nil, err
	}
	names := map[crm.ID]string{}
	for _, m := range ms {
		names[m.UserID] = m.Name
	}
	return func(a crm.Actor) string {
		switch a.Type {
		case "user":
			if n := names[a.ID]; n != "" {
				return n
			}
			return "a former member"
		case "apikey":
			return "an API key"
		case "contact":
			return "the person"
		}
		return "Tandem"
	}, nil
}

// ConsentRecord records a consent decision from a contact's page.
func (h *Handlers) ConsentRecord(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	id, err := crm.ParseID(r.PathValue("id"))
	if err == nil {
		err = h.write(r.Context(), func(tx *store.Tx) error {
			_, err := consent.RecordAs(tx, p, id, consent.Entry{Purpose: form(r, "purpose"), Status: form(r, "status"),
				Basis: form(r, "basis"), Source: "manual", NoticeVersion: form(r, "notice_version"), At: time.Time{}})
			return err
		})
	}
	back := "/contacts/" + r.PathValue("id") + "#consent"
	switch crm.ErrorCode(err) {
	case "":
		h.flash(w, "ok", "Consent recorded.")
	case crm.Invalid:
		var msgs []string
		for _, m := range crm.ErrorFields(err) {
			msgs = append(msgs, m)
		}
		h.flash(w, "error", strings.Join(msgs, " "))
	default:
		h.Errs.Error(w, r, err)
		return
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}

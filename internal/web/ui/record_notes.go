package ui

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/files"
	"github.com/tandemcrm/tandem/internal/notes"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/web/view"
)

// addNotesAndDups fills a record page's notes and its possible duplicates
// (contacts: email, phone, name; companies: any shared domain).
func (h *Handlers) addNotesAndDups(tx *store.Tx, p crm.Principal, object string, id crm.ID, v *view.RecordView) error {
	ns, err := notes.List(tx, p.WorkspaceID, object, id, 100)
	if err != nil {
		return err
	}
	names := map[crm.ID]string{}
	if len(ns) > 0 {
		ms, err := account.ListMembers(tx, p.WorkspaceID)
		if err != nil {
			return err
		}
		for _, m := range ms {
			names[m.UserID] = m.Name
		}
	}
	for _, n := range ns {
		v.Notes = append(v.Notes, view.NoteRow{Author: names[n.AuthorID], When: n.CreatedAt.Format("Jan 2, 2006 15:04"),
			HTML: n.HTML, Pinned: n.Pinned})
	}
	fs, err := files.List(tx, p.WorkspaceID, object, id)
	if err != nil {
		return err
	}
	for _, f := range fs {
		v.Files = append(v.Files, view.FileRow{ID: f.ID.String(), Name: f.Name, Size: humanSize(f.Size), When: f.CreatedAt.Format("Jan 2, 2006")})
	}
	if object == "company" {
		co, err := records.ViewCompany(tx, p, id)
		if err != nil {
			return err
		}
		dups, err := records.FindCompanyDuplicates(tx, p, co)
		for _, d := range dups {
			v.Dups = append(v.Dups, view.Link{Label: d.Company.Name + " — same domain: " + strings.Join(d.Domains, ", ") + ": review and merge",
				URL: "/companies/" + id.String() + "/merge?from=" + d.Company.ID.String()})
		}
		return err
	}
	c, err := records.ViewContact(tx, p, id)
	if err != nil {
		return err
	}
	if err := h.addConsent(tx, p, c, v); err != nil {
		return err
	}
	dups, err := records.FindDuplicates(tx, p, c)
	for _, d := range dups {
		v.Dups = append(v.Dups, view.Link{Label: d.Contact.Name() + " — " + strings.Join(d.Reasons, ", ") + ": review and merge",
			URL: "/contacts/" + id.String() + "/merge?from=" + d.Contact.ID.String()})
	}
	return err
}

// NoteCreate adds a note to a contact or company the user can see.
func (h *Handlers) NoteCreate(object string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p := principal(r)
		id, err := crm.ParseID(r.PathValue("id"))
		if err == nil {
			err = h.write(r.Context(), func(tx *store.Tx) error {
				if object == "contact" {
					if _, err := records.ViewContact(tx, p, id); err != nil {
						return err
					}
				} else if _, err := records.ViewCompany(tx, p, id); err != nil {
					return err
				}
				_, err := h.Notes.Create(tx, p, object, id, r.PostFormValue("body"), false)
				return err
			})
		}
		back := "/" + object + "s/" + r.PathValue("id")
		switch crm.ErrorCode(err) {
		case "":
			h.flash(w, "ok", "Note added.")
		case crm.Invalid:
			h.flash(w, "error", "Write something first (up to 50,000 characters).")
		default:
			h.Errs.Error(w, r, err)
			return
		}
		http.Redirect(w, r, back, http.StatusSeeOther)
	}
}

func humanSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

package ui

import (
	"net/http"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/web/view"
)

// WorkspacesShow lists the workspaces the user belongs to.
func (h *Handlers) WorkspacesShow(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	var ws []account.WorkspaceChoice
	if err := h.read(r.Context(), func(tx *store.Tx) (err error) { ws, err = account.UserWorkspaces(tx, p.UserID); return err }); err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	var rows []view.WorkspaceRow
	for _, c := range ws {
		rows = append(rows, view.WorkspaceRow{ID: c.ID.String(), Name: c.Name, Role: string(c.Role), Current: c.ID == p.WorkspaceID})
	}
	h.render(w, r, http.StatusOK, view.WorkspacesPage(h.shell(w, r, "Workspaces", ""), rows))
}

// WorkspaceSwitch opens another of the user's workspaces in this session.
func (h *Handlers) WorkspaceSwitch(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	id, err := crm.ParseID(r.PathValue("id"))
	if err == nil {
		err = h.write(r.Context(), func(tx *store.Tx) error { return account.SwitchWorkspace(tx, sessionToken(r), p.UserID, id) })
	}
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

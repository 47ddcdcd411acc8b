package ui

import (
	"net/http"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/sysmail"
	"github.com/tandemcrm/tandem/internal/web/view"
)

// OutboxShow lists the workspace's system email, for owners: bodies hold
// invitation links, so nobody else sees them.
func (h *Handlers) OutboxShow(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	if p.Role != crm.RoleOwner {
		h.Errs.Error(w, r, crm.Errorf(crm.Forbidden, "Only owners can read the outbox."))
		return
	}
	var items []sysmail.Item
	if err := h.read(r.Context(), func(tx *store.Tx) (err error) { items, err = sysmail.List(tx, p.WorkspaceID, 100); return err }); err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	var rows []view.OutboxRow
	for _, it := range items {
		rows = append(rows, view.OutboxRow{To: it.To, Subject: it.Subject, Text: it.Text, Status: it.Status,
			When: it.CreatedAt.Format("Jan 2, 15:04"), Error: it.Error})
	}
	h.render(w, r, http.StatusOK, view.OutboxPage(h.shell(w, r, "Settings", "settings"), rows, h.SMTP))
}

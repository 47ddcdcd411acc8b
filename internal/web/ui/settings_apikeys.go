package ui

import (
	"net/http"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/web/view"
)

// APIKeyList shows the user's API keys.
func (h *Handlers) APIKeyList(w http.ResponseWriter, r *http.Request) {
	h.renderKeys(w, r, http.StatusOK, view.APIKeysView{})
}

// APIKeyCreate makes a key and shows it once.
func (h *Handlers) APIKeyCreate(w http.ResponseWriter, r *http.Request) {
	in := account.NewAPIKey{Name: form(r, "name"), Role: crm.Role(form(r, "role"))}
	var secret string
	err := h.write(r.Context(), func(tx *store.Tx) (err error) {
		_, secret, err = account.CreateAPIKey(tx, principal(r), in)
		return err
	})
	if crm.ErrorCode(err) == crm.Invalid {
		h.renderKeys(w, r, http.StatusUnprocessableEntity, view.APIKeysView{Name: in.Name, Role: string(in.Role), Errors: crm.ErrorFields(err)})
		return
	}
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	h.renderKeys(w, r, http.StatusCreated, view.APIKeysView{NewKey: secret})
}

// APIKeyRevoke revokes one key.
func (h *Handlers) APIKeyRevoke(w http.ResponseWriter, r *http.Request) {
	id, err := crm.ParseID(r.PathValue("id"))
	if err == nil {
		err = h.write(r.Context(), func(tx *store.Tx) error { return account.RevokeAPIKey(tx, principal(r), id) })
	}
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	h.flash(w, "ok", "The key is revoked; requests with it now fail.")
	http.Redirect(w, r, "/settings/api-keys", http.StatusSeeOther)
}

func (h *Handlers) renderKeys(w http.ResponseWriter, r *http.Request, status int, v view.APIKeysView) {
	p := principal(r)
	var keys []account.APIKey
	if err := h.read(r.Context(), func(tx *store.Tx) (err error) {
		keys, err = account.ListAPIKeys(tx, p.WorkspaceID, p.UserID)
		return err
	}); err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	for _, k := range keys {
		row := view.APIKeyRow{ID: k.ID.String(), Name: k.Name, Prefix: k.Prefix, Role: string(k.Role),
			Created: k.CreatedAt.Format("Jan 2, 2006"), LastUsed: "never", Status: "active", Active: true}
		if !k.LastUsedAt.IsZero() {
			row.LastUsed = k.LastUsedAt.Format("Jan 2, 15:04")
		}
		switch {
		case !k.RevokedAt.IsZero():
			row.Status, row.Active = "revoked", false
		case !k.ExpiresAt.IsZero() && k.ExpiresAt.Before(h.DB.Now()):
			row.Status, row.Active = "expired", false
		}
		v.Keys = append(v.Keys, row)
	}
	if v.Role == "" {
		v.Role = string(p.Role)
	}
	for _, role := range crm.Roles {
		if role.Rank() <= p.Role.Rank() {
			v.Roles = append(v.Roles, string(role))
		}
	}
	h.render(w, r, status, view.APIKeysPage(h.shell(w, r, "Settings", "settings"), v))
}

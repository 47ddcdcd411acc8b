package ui

import (
	"net/http"

	"github.com/tandemcrm/tandem/internal/consent"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/web/view"
)

// ConsentSettingsShow is Settings → Consent: purposes, the re-creation rule,
// tracking and the suppression list. Everyone may look; owners and admins
// change the settings and lift suppressions.
func (h *Handlers) ConsentSettingsShow(w http.ResponseWriter, r *http.Request) {
	h.renderConsentSettings(w, r, http.StatusOK, nil, nil)
}

func (h *Handlers) renderConsentSettings(w http.ResponseWriter, r *http.Request, status int, form *view.ConsentSettingsView, sup *view.ConsentSettingsView) {
	p := principal(r)
	v := view.ConsentSettingsView{CanEdit: p.Role.Rank() >= crm.RoleAdmin.Rank(), SupKind: "email"}
	err := h.read(r.Context(), func(tx *store.Tx) error {
		s, err := consent.Load(tx, p.WorkspaceID)
		if err != nil {
			return err
		}
		v.Tracking, v.AllowRecreate = s.Tracking, s.AllowRecreate
		for _, pu := range s.Purposes {
			v.Purposes = append(v.Purposes, view.PurposeRow{Key: pu.Key, Label: pu.Label, RequiresConsent: pu.RequiresConsent})
		}
		list, err := consent.ListAs(tx, p, "", 0, 200)
		for _, e := range list {
			v.Suppressions = append(v.Suppressions, view.SuppressionRow{Kind: string(e.Kind), Reason: e.Reason,
				When: e.CreatedAt.Format("Jan 2, 2006")})
		}
		return err
	})
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	if form != nil { // redisplay what was sent, with its errors
		v.Tracking, v.AllowRecreate, v.Purposes, v.Errors = form.Tracking, form.AllowRecreate, form.Purposes, form.Errors
	}
	if sup != nil {
		v.SupKind, v.SupValue, v.SupErrors = sup.SupKind, sup.SupValue, sup.SupErrors
	}
	v.Purposes = append(v.Purposes, view.PurposeRow{RequiresConsent: true}) // a blank row adds one
	h.render(w, r, status, view.ConsentSettingsPage(h.shell(w, r, "Settings", "settings"), v))
}

// ConsentSettingsSave saves the purposes and switches.
func (h *Handlers) ConsentSettingsSave(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	s := consent.Settings{Tracking: form(r, "tracking"), AllowRecreate: form(r, "allow_recreate") == "1"}
	keys, labels, requires := r.PostForm["key"], r.PostForm["label"], r.PostForm["requires"]
	var rows []view.PurposeRow
	for i, k := range keys {
		row := view.PurposeRow{Key: k, RequiresConsent: true}
		if i < len(labels) {
			row.Label = labels[i]
		}
		if i < len(requires) {
			row.RequiresConsent = requires[i] != "0"
		}
		if k == "" && row.Label == "" {
			continue // a cleared or unused row
		}
		rows = append(rows, row)
		s.Purposes = append(s.Purposes, consent.Purpose{Key: row.Key, Label: row.Label, RequiresConsent: row.RequiresConsent})
	}
	err := h.write(r.Context(), func(tx *store.Tx) error { return consent.Save(tx, principal(r), s) })
	if crm.ErrorCode(err) == crm.Invalid {
		h.renderConsentSettings(w, r, http.StatusUnprocessableEntity, &view.ConsentSettingsView{Tracking: s.Tracking,
			AllowRecreate: s.AllowRecreate, Purposes: rows, Errors: crm.ErrorFields(err)}, nil)
		return
	}
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	h.flash(w, "ok", "Consent settings saved.")
	http.Redirect(w, r, "/settings/consent", http.StatusSeeOther)
}

// SuppressionSave adds a value to the suppression list, or (op=remove)
// lifts its suppression.
func (h *Handlers) SuppressionSave(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	kind, value := consent.Kind(form(r, "kind")), form(r, "value")
	remove := form(r, "op") == "remove"
	err := h.write(r.Context(), func(tx *store.Tx) error {
		if remove {
			return consent.UnsuppressAs(tx, p, kind, value)
		}
		_, err := consent.SuppressAs(tx, p, kind, value, "manual")
		return err
	})
	switch crm.ErrorCode(err) {
	case "":
	case crm.Invalid, crm.NotFound:
		fe := crm.ErrorFields(err)
		if fe == nil || fe["value"] == "" {
			fe = map[string]string{"value": crm.ErrorMessage(err)}
		}
		h.renderConsentSettings(w, r, http.StatusUnprocessableEntity, nil,
			&view.ConsentSettingsView{SupKind: string(kind), SupValue: value, SupErrors: fe})
		return
	default:
		h.Errs.Error(w, r, err)
		return
	}
	if remove {
		h.flash(w, "ok", "Suppression lifted.")
	} else {
		h.flash(w, "ok", "Suppressed. Only a keyed hash of it is stored.")
	}
	http.Redirect(w, r, "/settings/consent", http.StatusSeeOther)
}

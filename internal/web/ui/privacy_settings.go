package ui

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/privacy"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/web/view"
)

// PrivacySettings is Settings → Privacy (owners and admins): the requests
// register with its overdue view, the public form, retention with the dry
// run, and the data inventory.
func (h *Handlers) PrivacySettings(w http.ResponseWriter, r *http.Request) {
	h.privacyPage(w, r, http.StatusOK, view.PrivacyView{})
}

func (h *Handlers) privacyPage(w http.ResponseWriter, r *http.Request, status int, v view.PrivacyView) {
	p := principal(r)
	v.OverdueOnly = r.URL.Query().Get("overdue") != ""
	v.Types = privacy.RequestTypes
	err := h.read(r.Context(), func(tx *store.Tx) error {
		reqs, err := h.Privacy.ListRequests(tx, p, v.OverdueOnly, 200)
		if err != nil {
			return err
		}
		for _, q := range reqs {
			v.Requests = append(v.Requests, requestRow(q))
		}
		over, err := h.Privacy.ListRequests(tx, p, true, 500)
		if err != nil {
			return err
		}
		v.OverdueCount = len(over)
		set, err := privacy.GetSettings(tx, p.WorkspaceID)
		if err != nil {
			return err
		}
		v.Regime = set.Regime
		if set.FormToken != "" {
			v.FormURL = h.BaseURL + "/privacy/" + set.FormToken + "/request"
		}
		pols, err := h.Privacy.Policies(tx, p.WorkspaceID)
		for _, x := range pols {
			v.Policies = append(v.Policies, view.RetentionRow{Kind: x.Kind, Title: x.Title, Rule: x.Rule, Days: x.Days, Default: x.DefaultDays, Due: x.Due})
		}
		return err
	})
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	for _, k := range h.Privacy.Registry.Kinds() {
		kept := "as long as needed"
		if k.Retention != nil {
			kept = strconv.Itoa(k.Retention.Days) + " days (default)"
		}
		v.Inventory = append(v.Inventory, view.InventoryRow{Title: k.Title, About: k.About, Tables: strings.Join(k.Tables, ", "),
			Description: k.Description, Retention: kept})
	}
	h.render(w, r, status, view.PrivacyPage(h.shell(w, r, "Privacy", "settings"), v))
}

func requestRow(q privacy.Request) view.PrivacyRequestRow {
	subject := q.SubjectEmail
	if q.SubjectName != "" {
		subject = q.SubjectName + " <" + q.SubjectEmail + ">"
	}
	if q.SubjectEmail == "" {
		subject = "(erased)"
	}
	return view.PrivacyRequestRow{ID: q.ID.String(), Type: q.Type, Regime: strings.ToUpper(q.Regime), Status: q.Status,
		Subject: subject, Agent: q.AgentName, Received: day(q.ReceivedAt), Due: day(q.DueAt), Overdue: q.Overdue}
}

// PrivacyRequestCreate registers a request received by the team.
func (h *Handlers) PrivacyRequestCreate(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	var q privacy.Request
	err := h.write(r.Context(), func(tx *store.Tx) (err error) {
		q, err = h.Privacy.CreateRequest(tx, p, privacy.NewRequest{Type: form(r, "type"), Regime: form(r, "regime"),
			Email: form(r, "email"), Name: form(r, "name"), AgentName: form(r, "agent_name"), Details: form(r, "details")})
		return err
	})
	if fe := crm.ErrorFields(err); len(fe) > 0 {
		h.privacyPage(w, r, http.StatusUnprocessableEntity, view.PrivacyView{Errors: view.Errors(fe), Email: form(r, "email"), Name: form(r, "name")})
		return
	}
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	h.flash(w, "ok", "Request registered. Verify who is asking next.")
	http.Redirect(w, r, "/settings/privacy/requests/"+q.ID.String(), http.StatusSeeOther)
}

// PrivacyRegimeSave sets the deadlines of requests from the public form.
func (h *Handlers) PrivacyRegimeSave(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	if err := h.write(r.Context(), func(tx *store.Tx) error { return privacy.SetRegime(tx, p, form(r, "regime")) }); err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	h.flash(w, "ok", "Saved.")
	http.Redirect(w, r, "/settings/privacy", http.StatusSeeOther)
}

// PrivacyRetentionSave changes how long a kind of data is kept.
func (h *Handlers) PrivacyRetentionSave(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	days, err := strconv.Atoi(form(r, "days"))
	if err != nil {
		days = -1 // the domain explains the range
	}
	err = h.write(r.Context(), func(tx *store.Tx) error { return h.Privacy.SetPolicy(tx, p, r.PathValue("kind"), days) })
	if err != nil && len(crm.ErrorFields(err)) == 0 {
		h.Errs.Error(w, r, err)
		return
	}
	if err != nil {
		h.flash(w, "error", crm.ErrorMessage(err)+" "+strings.Join(mapValues(crm.ErrorFields(err)), " "))
	} else {
		h.flash(w, "ok", "Retention saved. The dry run shows what the next daily run removes.")
	}
	http.Redirect(w, r, "/settings/privacy#retention", http.StatusSeeOther)
}

func mapValues(m map[string]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

// PrivacyFormEnable turns the public request form on (or, with renew, gives
// it a new address).
func (h *Handlers) PrivacyFormEnable(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	err := h.write(r.Context(), func(tx *store.Tx) error {
		_, err := privacy.EnableForm(tx, p, form(r, "renew") != "")
		return err
	})
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	h.flash(w, "ok", "The public request form is on.")
	http.Redirect(w, r, "/settings/privacy", http.StatusSeeOther)
}

package ui

import (
	"net/http"

	"github.com/tandemcrm/tandem/internal/activities"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/web/respond"
	"github.com/tandemcrm/tandem/internal/web/view"
)

// ActivityPanel answers a record page's activities panel (object: contact,
// company or deal): its activities, open first, and a quick-add form about
// the record. A record the user may not see is not found.
func (h *Handlers) ActivityPanel(object string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p := principal(r)
		id, err := crm.ParseID(r.PathValue("id"))
		if err != nil {
			h.Errs.Error(w, r, crm.Errorf(crm.NotFound, "No such %s.", object))
			return
		}
		v := view.ActivityPanelView{Object: object, ID: id.String()}
		err = h.read(r.Context(), func(tx *store.Tx) error {
			loc, err := zone(tx, p)
			if err != nil {
				return err
			}
			v.Form, err = newActivityForm(tx, p, loc, recordURL(object, id))
			if err != nil {
				return err
			}
			if err := aboutRecord(tx, p, &v.Form, object, id); err != nil {
				return err
			}
			as, err := activities.ForRecord(tx, p, object, id, 50)
			d := activities.Day{Now: tx.Now, Loc: loc}
			for _, a := range as {
				v.Rows = append(v.Rows, activityRow(a, d, p.UserID))
			}
			return err
		})
		if err != nil {
			h.Errs.Error(w, r, err)
			return
		}
		if respond.IsHTMX(r) {
			h.render(w, r, http.StatusOK, view.ActivitiesPanel(v))
			return
		}
		h.render(w, r, http.StatusOK, view.ActivitiesPanelPage(h.shell(w, r, "Activities", ""), v))
	}
}

func recordURL(object string, id crm.ID) string {
	return map[string]string{"contact": "/contacts/", "company": "/companies/", "deal": "/deals/"}[object] + id.String()
}

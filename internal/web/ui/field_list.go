package ui

import (
	"net/http"
	"strings"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/web/view"
)

// fieldObjects are the objects whose fields the settings page manages.
var fieldObjects = []view.Option{{Value: "contact", Label: "Contacts"}, {Value: "company", Label: "Companies"}, {Value: "deal", Label: "Deals"}}

var fieldTypeLabels = map[records.FieldType]string{records.FieldText: "Text", records.FieldLongText: "Long text",
	records.FieldNumber: "Number", records.FieldCurrency: "Money", records.FieldDate: "Date", records.FieldDateTime: "Date and time",
	records.FieldBoolean: "Yes/no", records.FieldSelect: "Choice", records.FieldMultiSelect: "Several choices",
	records.FieldURL: "Web address", records.FieldEmail: "Email", records.FieldPhone: "Phone", records.FieldUser: "Team member"}

// FieldList is the custom fields settings page. Everyone may look (a
// member should know what the fields mean); only admins and owners see the
// controls, and records refuses changes from anyone else.
func (h *Handlers) FieldList(w http.ResponseWriter, r *http.Request) {
	h.renderFields(w, r, http.StatusOK, fieldObject(r.URL.Query().Get("object")), view.FieldForm{Type: "text"})
}

func fieldObject(s string) string {
	if s == "company" || s == "deal" {
		return s
	}
	return "contact"
}

func (h *Handlers) renderFields(w http.ResponseWriter, r *http.Request, status int, object string, f view.FieldForm) {
	p := principal(r)
	var defs []records.FieldDef
	if err := h.read(r.Context(), func(tx *store.Tx) (err error) {
		defs, err = records.ListFields(tx, p.WorkspaceID, object, true)
		return err
	}); err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	v := view.FieldsView{Object: object, Objects: fieldObjects, CanEdit: p.Role.Rank() >= crm.RoleAdmin.Rank(), Form: f}
	for _, t := range records.FieldTypes {
		v.Types = append(v.Types, view.Option{Value: string(t), Label: fieldTypeLabels[t]})
	}
	for i, d := range defs {
		v.Fields = append(v.Fields, view.FieldRow{ID: d.ID.String(), Key: d.Key, Label: d.Label, Type: fieldTypeLabels[d.Type],
			Options: strings.Join(d.Options, ", "), Required: d.Required, Retired: !d.RetiredAt.IsZero(),
			First: i == 0, Last: i == len(defs)-1})
	}
	h.render(w, r, status, view.FieldsPage(h.shell(w, r, "Settings", "settings"), v))
}

package ui

import (
	"net/http"
	"slices"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/web/view"
)

// FieldCreate adds a custom field (admins only).
func (h *Handlers) FieldCreate(w http.ResponseWriter, r *http.Request) {
	object := fieldObject(form(r, "object"))
	label, opts, req := form(r, "label"), splitTags(form(r, "options")), form(r, "required") == "1"
	in := records.FieldInput{Object: object, Label: &label, Type: records.FieldType(form(r, "type")), Options: &opts, Required: &req}
	err := h.write(r.Context(), func(tx *store.Tx) error {
		defs, err := records.ListFields(tx, principal(r).WorkspaceID, object, true)
		if err != nil {
			return err
		}
		pos := len(defs) * 10
		in.Position = &pos
		_, err = records.CreateField(tx, principal(r), in)
		return err
	})
	if crm.ErrorCode(err) == crm.Invalid {
		h.renderFields(w, r, http.StatusUnprocessableEntity, object, view.FieldForm{Label: label, Type: string(in.Type),
			Options: form(r, "options"), Required: req, Errors: crm.ErrorFields(err)})
		return
	}
	h.fieldDone(w, r, err, object, "Field “"+label+"” added.")
}

// FieldUpdate renames a field, changes its options or whether it is required.
func (h *Handlers) FieldUpdate(w http.ResponseWriter, r *http.Request) {
	label, req := form(r, "label"), form(r, "required") == "1"
	in := records.FieldInput{Label: &label, Required: &req}
	if _, ok := r.PostForm["options"]; ok {
		opts := splitTags(form(r, "options"))
		in.Options = &opts
	}
	h.changeField(w, r, "Field saved.", func(tx *store.Tx, d records.FieldDef) error {
		_, err := records.UpdateField(tx, principal(r), d.ID, in, nil)
		return err
	})
}

// FieldRetire retires a field (hidden, values kept) or brings it back.
func (h *Handlers) FieldRetire(w http.ResponseWriter, r *http.Request) {
	retire := form(r, "retired") == "1"
	msg := "Field brought back."
	if retire {
		msg = "Field retired; its values are kept."
	}
	h.changeField(w, r, msg, func(tx *store.Tx, d records.FieldDef) error {
		_, err := records.UpdateField(tx, principal(r), d.ID, records.FieldInput{}, &retire)
		return err
	})
}

// FieldMove moves a field one place up or down, renumbering the object's
// fields so positions stay distinct.
func (h *Handlers) FieldMove(w http.ResponseWriter, r *http.Request) {
	up := form(r, "dir") == "up"
	h.changeField(w, r, "Order saved.", func(tx *store.Tx, d records.FieldDef) error {
		p := principal(r)
		defs, err := records.ListFields(tx, p.WorkspaceID, d.Object, true)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(defs, func(x records.FieldDef) bool { return x.ID == d.ID })
		j := i + 1
		if up {
			j = i - 1
		}
		if j < 0 || j >= len(defs) {
			return nil
		}
		defs[i], defs[j] = defs[j], defs[i]
		for k, x := range defs {
			pos := k * 10
			if x.Position != pos {
				if _, err := records.UpdateField(tx, p, x.ID, records.FieldInput{Position: &pos}, nil); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// changeField loads the field named in the path (not found for another
// workspace's), applies fn and returns to the list.
func (h *Handlers) changeField(w http.ResponseWriter, r *http.Request, ok string, fn func(*store.Tx, records.FieldDef) error) {
	id, err := crm.ParseID(r.PathValue("id"))
	if err != nil {
		h.Errs.Error(w, r, crm.Errorf(crm.NotFound, "No such field."))
		return
	}
	object := "contact"
	err = h.write(r.Context(), func(tx *store.Tx) error {
		d, err := records.GetField(tx, principal(r).WorkspaceID, id)
		if err != nil {
			return err
		}
		object = d.Object
		return fn(tx, d)
	})
	if crm.ErrorCode(err) == crm.Invalid {
		h.flash(w, "error", "Not saved: "+firstFieldMessage(err))
		http.Redirect(w, r, "/settings/fields?object="+object, http.StatusSeeOther)
		return
	}
	h.fieldDone(w, r, err, object, ok)
}

func (h *Handlers) fieldDone(w http.ResponseWriter, r *http.Request, err error, object, ok string) {
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	h.flash(w, "ok", ok)
	http.Redirect(w, r, "/settings/fields?object="+object, http.StatusSeeOther)
}

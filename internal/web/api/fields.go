package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
)

// Field is a custom field definition.
type Field struct {
	ID       crm.ID   `json:"id"`
	Object   string   `json:"object" enum:"contact,company,deal,activity"`
	Key      string   `json:"key" doc:"The key in each record's custom object; never changes"`
	Label    string   `json:"label"`
	Type     string   `json:"type" enum:"text,long_text,number,currency,date,datetime,boolean,select,multi_select,url,email,phone,user"`
	Options  []string `json:"options"`
	Position int      `json:"position"`
	Required bool     `json:"required"`
	Retired  bool     `json:"retired"`
}

func fieldOut(d records.FieldDef) Field {
	f := Field{ID: d.ID, Object: d.Object, Key: d.Key, Label: d.Label, Type: string(d.Type), Options: d.Options,
		Position: d.Position, Required: d.Required, Retired: !d.RetiredAt.IsZero()}
	if f.Options == nil {
		f.Options = []string{}
	}
	return f
}

type fieldsInput struct {
	Object  string `query:"object" enum:"contact,company,deal,activity" doc:"Only this object's fields"`
	Retired bool   `query:"retired" doc:"Include retired fields"`
}

type fieldsOutput struct {
	Body struct {
		Data []Field `json:"data"`
	}
}

type fieldCreateInput struct {
	Body struct {
		Object   string   `json:"object" enum:"contact,company,deal,activity"`
		Key      string   `json:"key,omitempty" doc:"Default: made from the label"`
		Label    string   `json:"label" maxLength:"80"`
		Type     string   `json:"type" enum:"text,long_text,number,currency,date,datetime,boolean,select,multi_select,url,email,phone,user"`
		Options  []string `json:"options,omitempty" maxItems:"200"`
		Position *int     `json:"position,omitempty"`
		Required *bool    `json:"required,omitempty"`
	}
}

type fieldPatchInput struct {
	ID   string `path:"id"`
	Body struct {
		Label    *string   `json:"label,omitempty" maxLength:"80"`
		Options  *[]string `json:"options,omitempty" maxItems:"200"`
		Position *int      `json:"position,omitempty"`
		Required *bool     `json:"required,omitempty"`
		Retired  *bool     `json:"retired,omitempty" doc:"true retires the field: hidden, values kept, no longer editable"`
	}
}

type fieldOutput struct{ Body Field }

func (a *API) fieldRoutes() {
	tags := []string{"Custom fields"}
	huma.Register(a.huma, huma.Operation{OperationID: "list-fields", Method: http.MethodGet, Path: "/fields", Tags: tags,
		Summary: "List custom fields"}, a.listFields)
	huma.Register(a.huma, huma.Operation{OperationID: "create-field", Method: http.MethodPost, Path: "/fields", Tags: tags,
		Summary: "Define a custom field", DefaultStatus: http.StatusCreated,
		Description: "Admins only. No schema change: values live in each record's custom object."}, a.createField)
	huma.Register(a.huma, huma.Operation{OperationID: "update-field", Method: http.MethodPatch, Path: "/fields/{id}", Tags: tags,
		Summary: "Rename, reorder, re-option or retire a custom field"}, a.updateField)
}

func (a *API) listFields(ctx context.Context, in *fieldsInput) (*fieldsOutput, error) {
	p := principal(ctx)
	out := &fieldsOutput{}
	out.Body.Data = []Field{}
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		defs, err := records.ListFields(tx, p.WorkspaceID, in.Object, in.Retired)
		for _, d := range defs {
			out.Body.Data = append(out.Body.Data, fieldOut(d))
		}
		return err
	})
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	return out, nil
}

func (a *API) createField(ctx context.Context, in *fieldCreateInput) (*fieldOutput, error) {
	p := principal(ctx)
	b := in.Body
	fi := records.FieldInput{Object: b.Object, Key: b.Key, Label: &b.Label, Type: records.FieldType(b.Type),
		Options: &b.Options, Position: b.Position, Required: b.Required}
	var d records.FieldDef
	err := a.DB.Write(ctx, func(tx *store.Tx) (err error) { d, err = records.CreateField(tx, p, fi); return err })
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	return &fieldOutput{Body: fieldOut(d)}, nil
}

func (a *API) updateField(ctx context.Context, in *fieldPatchInput) (*fieldOutput, error) {
	p := principal(ctx)
	id, err := crm.ParseID(in.ID)
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	b := in.Body
	var d records.FieldDef
	err = a.DB.Write(ctx, func(tx *store.Tx) (err error) {
		d, err = records.UpdateField(tx, p, id, records.FieldInput{Label: b.Label, Options: b.Options, Position: b.Position,
			Required: b.Required}, b.Retired)
		return err
	})
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	return &fieldOutput{Body: fieldOut(d)}, nil
}

package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/importer"
	"github.com/tandemcrm/tandem/internal/store"
)

// ImportTemplate is a saved mapping.
type ImportTemplate struct {
	ID       crm.ID            `json:"id"`
	Name     string            `json:"name"`
	Template importer.Template `json:"template"`
}

type templateListInput struct {
	Kind string `query:"kind" enum:"contacts,companies,deals,products,activities," doc:"Only templates of this kind"`
}

type templateListOutput struct {
	Body struct {
		Data []ImportTemplate `json:"data"`
	}
}

type templateSaveInput struct {
	Body struct {
		Name     string            `json:"name" maxLength:"100"`
		Template importer.Template `json:"template"`
	}
}

type templateOutput struct{ Body ImportTemplate }

func (a *API) importTemplateRoutes() {
	tags := []string{"Import and export"}
	huma.Register(a.huma, huma.Operation{OperationID: "list-import-templates", Method: http.MethodGet, Path: "/import-templates", Tags: tags,
		Summary: "List saved mapping templates"}, a.listImportTemplates)
	huma.Register(a.huma, huma.Operation{OperationID: "save-import-template", Method: http.MethodPost, Path: "/import-templates", Tags: tags,
		Summary: "Save a mapping template", Description: "Saves under a name (per kind); saving the same name again replaces it. " +
			"Pass its id as template_id when starting an import.", DefaultStatus: http.StatusCreated}, a.saveImportTemplate)
	huma.Register(a.huma, huma.Operation{OperationID: "delete-import-template", Method: http.MethodDelete, Path: "/import-templates/{id}", Tags: tags,
		Summary: "Delete a mapping template", DefaultStatus: http.StatusNoContent}, a.deleteImportTemplate)
}

func (a *API) listImportTemplates(ctx context.Context, in *templateListInput) (*templateListOutput, error) {
	out := &templateListOutput{}
	out.Body.Data = []ImportTemplate{}
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		list, err := importer.Templates(tx, principal(ctx), in.Kind)
		for _, t := range list {
			out.Body.Data = append(out.Body.Data, ImportTemplate{ID: t.ID, Name: t.Name, Template: t.Template})
		}
		return err
	})
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	return out, nil
}

func (a *API) saveImportTemplate(ctx context.Context, in *templateSaveInput) (*templateOutput, error) {
	var st importer.SavedTemplate
	err := a.DB.Write(ctx, func(tx *store.Tx) (err error) {
		st, err = importer.SaveTemplate(tx, principal(ctx), in.Body.Name, in.Body.Template)
		return err
	})
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	return &templateOutput{Body: ImportTemplate{ID: st.ID, Name: st.Name, Template: st.Template}}, nil
}

type templateIDInput struct {
	ID string `path:"id"`
}

func (a *API) deleteImportTemplate(ctx context.Context, in *templateIDInput) (*struct{}, error) {
	id, err := crm.ParseID(in.ID)
	if err != nil {
		return nil, a.fail(ctx, crm.Errorf(crm.NotFound, "No such template."))
	}
	if err := a.DB.Write(ctx, func(tx *store.Tx) error { return importer.DeleteTemplate(tx, principal(ctx), id) }); err != nil {
		return nil, a.fail(ctx, err)
	}
	return nil, nil
}

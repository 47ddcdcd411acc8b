package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
)

// PastCompany is a company a contact used to work at. Changing a contact's
// company_id adds one by itself (the company left, the title held there,
// ended today); these routes add, correct and remove them by hand.
type PastCompany struct {
	ID          crm.ID `json:"id"`
	CompanyID   crm.ID `json:"company_id"`
	CompanyName string `json:"company_name"`
	Title       string `json:"title"`
	StartedOn   string `json:"started_on" doc:"YYYY-MM-DD, \"\" when unknown"`
	EndedOn     string `json:"ended_on" doc:"YYYY-MM-DD, \"\" when unknown"`
}

func pastCompanyOut(pc records.PastCompany) PastCompany {
	return PastCompany{ID: pc.ID, CompanyID: pc.CompanyID, CompanyName: pc.CompanyName, Title: pc.Title,
		StartedOn: pc.StartedOn, EndedOn: pc.EndedOn}
}

// PastCompanyInput adds or changes a past company; fields left out stay.
type PastCompanyInput struct {
	CompanyID *crm.ID `json:"company_id,omitempty" doc:"Required when adding"`
	Title     *string `json:"title,omitempty" maxLength:"200"`
	StartedOn *string `json:"started_on,omitempty" doc:"YYYY-MM-DD or \"\""`
	EndedOn   *string `json:"ended_on,omitempty" doc:"YYYY-MM-DD or \"\"; not before started_on"`
}

func (in PastCompanyInput) records() records.PastCompanyInput {
	return records.PastCompanyInput{CompanyID: in.CompanyID, Title: in.Title, StartedOn: in.StartedOn, EndedOn: in.EndedOn}
}

type pastListOutput struct {
	Body struct {
		Data []PastCompany `json:"data"`
	}
}

type pastOutput struct{ Body PastCompany }

type pastCreateInput struct {
	ID   string `path:"id" doc:"Contact id"`
	Body PastCompanyInput
}

type pastItemInput struct {
	ID     string `path:"id" doc:"Contact id"`
	PastID string `path:"past_id" doc:"Past company id"`
}

type pastPatchInput struct {
	ID     string `path:"id" doc:"Contact id"`
	PastID string `path:"past_id" doc:"Past company id"`
	Body   PastCompanyInput
}

func (a *API) contactPastRoutes() {
	op := func(id, method, path, summary string, status int) huma.Operation {
		return huma.Operation{OperationID: id, Method: method, Path: path, Summary: summary, DefaultStatus: status,
			Tags: []string{"Contacts"}}
	}
	huma.Register(a.huma, op("list-past-companies", http.MethodGet, "/contacts/{id}/past-companies",
		"A contact's past companies", 0), a.listPastCompanies)
	huma.Register(a.huma, op("add-past-company", http.MethodPost, "/contacts/{id}/past-companies",
		"Add a past company", http.StatusCreated), a.addPastCompany)
	huma.Register(a.huma, op("update-past-company", http.MethodPatch, "/contacts/{id}/past-companies/{past_id}",
		"Correct a past company", 0), a.updatePastCompany)
	huma.Register(a.huma, op("delete-past-company", http.MethodDelete, "/contacts/{id}/past-companies/{past_id}",
		"Remove a past company", http.StatusNoContent), a.deletePastCompany)
}

func (a *API) listPastCompanies(ctx context.Context, in *idInput) (*pastListOutput, error) {
	id, err := crm.ParseID(in.ID)
	out := &pastListOutput{}
	out.Body.Data = []PastCompany{}
	if err == nil {
		err = a.DB.Read(ctx, func(tx *store.Tx) error {
			pcs, err := records.PastCompanies(tx, principal(ctx), id)
			for _, pc := range pcs {
				out.Body.Data = append(out.Body.Data, pastCompanyOut(pc))
			}
			return err
		})
	}
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	return out, nil
}

func (a *API) addPastCompany(ctx context.Context, in *pastCreateInput) (*pastOutput, error) {
	id, err := crm.ParseID(in.ID)
	var pc records.PastCompany
	if err == nil {
		err = a.DB.Write(ctx, func(tx *store.Tx) (err error) {
			pc, err = records.AddPastCompany(tx, principal(ctx), id, in.Body.records())
			return err
		})
	}
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	return &pastOutput{Body: pastCompanyOut(pc)}, nil
}

func (in pastItemInput) ids() (crm.ID, crm.ID, error) {
	id, err := crm.ParseID(in.ID)
	if err != nil {
		return 0, 0, err
	}
	past, err := crm.ParseID(in.PastID)
	if err != nil {
		return 0, 0, crm.Errorf(crm.NotFound, "No such past company.")
	}
	return id, past, nil
}

func (a *API) updatePastCompany(ctx context.Context, in *pastPatchInput) (*pastOutput, error) {
	id, past, err := pastItemInput{ID: in.ID, PastID: in.PastID}.ids()
	var pc records.PastCompany
	if err == nil {
		err = a.DB.Write(ctx, func(tx *store.Tx) (err error) {
			pc, err = records.UpdatePastCompany(tx, principal(ctx), id, past, in.Body.records())
			return err
		})
	}
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	return &pastOutput{Body: pastCompanyOut(pc)}, nil
}

func (a *API) deletePastCompany(ctx context.Context, in *pastItemInput) (*struct{}, error) {
	id, past, err := in.ids()
	if err == nil {
		err = a.DB.Write(ctx, func(tx *store.Tx) error { return records.RemovePastCompany(tx, principal(ctx), id, past) })
	}
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	return nil, nil
}

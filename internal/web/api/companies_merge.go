package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
)

type companyMergeInput struct {
	ID   string `path:"id" doc:"The company that stays"`
	Body struct {
		From crm.ID   `json:"from,omitempty" doc:"The company merged into this one and then trashed"`
		Take []string `json:"take,omitempty" doc:"Fields whose value comes from 'from' (name, industry, size, phone, address, owner_id, parent_id, custom.<key>); others keep this company's value unless it is empty. The address is taken whole, never part by part. Domains (this company's primary first) and tags are united. Any other name is a 422 on take."`
	}
}

func (a *API) companyMergeRoutes() {
	huma.Register(a.huma, huma.Operation{OperationID: "merge-companies", Method: http.MethodPost, Path: "/companies/{id}/merge",
		Tags: []string{"Companies"}, Summary: "Merge another company into this one",
		Description: "Its people (current and past), deals, activities, notes, files and child companies move here; " +
			"the other company goes to the trash; both timelines record it."}, a.mergeCompanies)
}

func (a *API) mergeCompanies(ctx context.Context, in *companyMergeInput) (*companyOutput, error) {
	p := principal(ctx)
	id, err := crm.ParseID(in.ID)
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	var out *companyOutput
	err = a.DB.Write(ctx, func(tx *store.Tx) error {
		c, err := records.MergeCompanies(tx, p, id, in.Body.From, takeSet(in.Body.Take))
		if err != nil {
			return err
		}
		out, err = a.companyResponse(tx, p, c, nil)
		return err
	})
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	return out, nil
}

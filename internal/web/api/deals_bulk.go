package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/deals"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
)

type dealBulkCreateInput struct {
	Body struct {
		Items []DealInput `json:"items" minItems:"1" maxItems:"1000"`
	}
}

type dealBulkUpdateItem struct {
	ID crm.ID `json:"id"`
	DealInput
}

type dealBulkUpdateInput struct {
	Body struct {
		Items []dealBulkUpdateItem `json:"items" minItems:"1" maxItems:"1000"`
	}
}

func (a *API) dealBulkRoutes() {
	tags := []string{"Deals"}
	huma.Register(a.huma, huma.Operation{OperationID: "bulk-create-deals", Method: http.MethodPost, Path: "/deals/bulk",
		Tags: tags, Summary: "Create up to 1,000 deals", DefaultStatus: http.StatusCreated,
		Description: "All or nothing: if any item is invalid nothing is created, and errors are keyed items.N.field."}, a.bulkCreateDeals)
	huma.Register(a.huma, huma.Operation{OperationID: "bulk-update-deals", Method: http.MethodPatch, Path: "/deals/bulk",
		Tags: tags, Summary: "Update up to 1,000 deals", Description: "All or nothing. Each item carries its id and the fields to change."}, a.bulkUpdateDeals)
}

func (a *API) bulkCreateDeals(ctx context.Context, in *dealBulkCreateInput) (*bulkOutput[Deal], error) {
	p := principal(ctx)
	return bulk(a, ctx, len(in.Body.Items), func(tx *store.Tx, i int) (deals.Deal, error) {
		if err := in.Body.Items[i].check(); err != nil {
			return deals.Deal{}, err
		}
		return deals.CreateDeal(tx, p, in.Body.Items[i].create())
	}, a.presentDeals)
}

func (a *API) bulkUpdateDeals(ctx context.Context, in *dealBulkUpdateInput) (*bulkOutput[Deal], error) {
	p := principal(ctx)
	return bulk(a, ctx, len(in.Body.Items), func(tx *store.Tx, i int) (deals.Deal, error) {
		it := in.Body.Items[i]
		if err := it.check(); err != nil {
			return deals.Deal{}, err
		}
		return deals.UpdateDeal(tx, p, it.ID, it.patch(), 0)
	}, a.presentDeals)
}

func (a *API) presentDeals(tx *store.Tx, p crm.Principal, ds []deals.Deal) ([]Deal, error) {
	defs, err := records.ListFields(tx, p.WorkspaceID, "deal", false)
	out := make([]Deal, 0, len(ds))
	for _, d := range ds {
		out = append(out, dealOut(d, defs, tx.Now, nil))
	}
	return out, err
}

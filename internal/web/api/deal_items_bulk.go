package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/products"
	"github.com/tandemcrm/tandem/internal/store"
)

// items is optional in the schemas below only so that another workspace's
// deal is a 404 before any word about the body; an empty list is a 422.
type dealItemBulkCreateInput struct {
	ID   string `path:"id" doc:"Deal id"`
	Body struct {
		Items []DealItemInput `json:"items,omitempty" maxItems:"500" doc:"Required: 1 to 500 lines"`
	} `required:"false"`
}

type dealItemBulkUpdateItem struct {
	ID crm.ID `json:"id"`
	DealItemInput
}

type dealItemBulkUpdateInput struct {
	ID   string `path:"id" doc:"Deal id"`
	Body struct {
		Items []dealItemBulkUpdateItem `json:"items,omitempty" maxItems:"500" doc:"Required: 1 to 500 lines"`
	} `required:"false"`
}

// The lines of one deal change in one domain call rather than through
// bulk(): the deal's value is checked once, against all of them (a credit
// may come before the lines that outweigh it), and the deal's history
// records one change. Errors are keyed items.N.field all the same.
func (a *API) dealItemBulkRoutes() {
	tags := []string{"Deal line items"}
	huma.Register(a.huma, huma.Operation{OperationID: "bulk-create-deal-items", Method: http.MethodPost, Path: "/deals/{id}/items/bulk",
		Tags: tags, Summary: "Add up to 500 line items to a deal", DefaultStatus: http.StatusCreated,
		Description: "All or nothing: if any item is invalid nothing is added, and errors are keyed items.N.field. " +
			"Added at the end, in order. A deal holds at most 500 lines." + valueRule + " That check is on all the lines together (errors.items)."},
		a.bulkCreateDealItems)
	huma.Register(a.huma, huma.Operation{OperationID: "bulk-update-deal-items", Method: http.MethodPatch, Path: "/deals/{id}/items/bulk",
		Tags: tags, Summary: "Update up to 500 line items of a deal",
		Description: "All or nothing. Each item carries a line's id (once) and the fields to change." + valueRule}, a.bulkUpdateDealItems)
}

func (a *API) bulkCreateDealItems(ctx context.Context, in *dealItemBulkCreateInput) (*bulkOutput[DealItem], error) {
	ins := make([]products.ItemInput, len(in.Body.Items))
	for i, it := range in.Body.Items {
		ins[i] = it.domain()
	}
	return a.bulkDealItems(ctx, in.ID, func(tx *store.Tx, p crm.Principal, id crm.ID) ([]products.Item, error) {
		return products.AddItems(tx, p, id, ins)
	})
}

func (a *API) bulkUpdateDealItems(ctx context.Context, in *dealItemBulkUpdateInput) (*bulkOutput[DealItem], error) {
	changes := make([]products.ItemChange, len(in.Body.Items))
	for i, it := range in.Body.Items {
		changes[i] = products.ItemChange{ID: it.ID, ItemInput: it.domain()}
	}
	return a.bulkDealItems(ctx, in.ID, func(tx *store.Tx, p crm.Principal, id crm.ID) ([]products.Item, error) {
		return products.UpdateItems(tx, p, id, changes)
	})
}

func (a *API) bulkDealItems(ctx context.Context, dealID string, fn func(*store.Tx, crm.Principal, crm.ID) ([]products.Item, error)) (*bulkOutput[DealItem], error) {
	id, _, err := dealIDs(dealID, "")
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	out := &bulkOutput[DealItem]{}
	out.Body.Data = []DealItem{}
	return out, a.write(ctx, func(tx *store.Tx) error {
		p := principal(ctx)
		items, err := fn(tx, p, id)
		if err != nil {
			return err
		}
		cur, err := dealCurrency(tx, p.WorkspaceID, id)
		for _, it := range items {
			out.Body.Data = append(out.Body.Data, itemOut(it, cur, nil))
		}
		return err
	})
}

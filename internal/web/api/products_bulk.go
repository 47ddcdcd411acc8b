package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/products"
	"github.com/tandemcrm/tandem/internal/store"
)

type productBulkCreateInput struct {
	Body struct {
		Items []ProductInput `json:"items" minItems:"1" maxItems:"1000"`
	}
}

type productBulkUpdateItem struct {
	ID crm.ID `json:"id"`
	ProductInput
}

type productBulkUpdateInput struct {
	Body struct {
		Items []productBulkUpdateItem `json:"items" minItems:"1" maxItems:"1000"`
	}
}

func (a *API) productBulkRoutes() {
	tags := []string{"Products"}
	huma.Register(a.huma, huma.Operation{OperationID: "bulk-create-products", Method: http.MethodPost, Path: "/products/bulk",
		Tags: tags, Summary: "Create up to 1,000 products", DefaultStatus: http.StatusCreated,
		Description: "Managers, admins and owners only. All or nothing: if any item is invalid nothing is created, " +
			"and errors are keyed items.N.field."}, a.bulkCreateProducts)
	huma.Register(a.huma, huma.Operation{OperationID: "bulk-update-products", Method: http.MethodPatch, Path: "/products/bulk",
		Tags: tags, Summary: "Update up to 1,000 products",
		Description: "All or nothing. Each item carries its id and the fields to change; prices, when given, replace all prices."},
		a.bulkUpdateProducts)
}

// The catalogue's rights are the caller's, not an item's: a caller who may
// not change it gets 403 once, not a 422 per item.

func (a *API) bulkCreateProducts(ctx context.Context, in *productBulkCreateInput) (*bulkOutput[Product], error) {
	p := principal(ctx)
	if err := products.CanEditCatalogue(p); err != nil {
		return nil, a.fail(ctx, err)
	}
	return bulk(a, ctx, len(in.Body.Items), func(tx *store.Tx, i int) (products.Product, error) {
		return products.CreateProduct(tx, p, in.Body.Items[i].domain())
	}, presentProducts)
}

func (a *API) bulkUpdateProducts(ctx context.Context, in *productBulkUpdateInput) (*bulkOutput[Product], error) {
	p := principal(ctx)
	if err := products.CanEditCatalogue(p); err != nil {
		return nil, a.fail(ctx, err)
	}
	return bulk(a, ctx, len(in.Body.Items), func(tx *store.Tx, i int) (products.Product, error) {
		it := in.Body.Items[i]
		return products.UpdateProduct(tx, p, it.ID, it.domain(), 0)
	}, presentProducts)
}

func presentProducts(_ *store.Tx, _ crm.Principal, ps []products.Product) ([]Product, error) {
	out := make([]Product, 0, len(ps))
	for _, pr := range ps {
		out = append(out, productOut(pr, nil))
	}
	return out, nil
}

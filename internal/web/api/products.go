package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/products"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
)

// Num is a number in a request: a JSON number or a string. For money and
// rates a JSON number is in the smallest unit (minor units, basis points)
// and a string is a decimal in the ordinary unit ("12.50" dollars, "7.5"
// percent); a quantity is in units either way ("2.5" or 2.5).
type Num struct {
	raw    string
	number bool
}

// UnmarshalJSON keeps the number's text exactly (no float rounding).
func (n *Num) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		n.number = false
		return json.Unmarshal(b, &n.raw)
	}
	n.raw, n.number = string(b), true
	return nil
}

// Schema: a number or a string.
func (Num) Schema(huma.Registry) *huma.Schema {
	return &huma.Schema{OneOf: []*huma.Schema{{Type: huma.TypeNumber}, {Type: huma.TypeString, MaxLength: ptrInt(40)}},
		Description: "A JSON number (money: minor units; rates: basis points; quantity: units) or a decimal string " +
			"in the ordinary unit (\"12.50\", \"7.5\" percent, \"2.5\" units)."}
}

func ptrInt(v int) *int { return &v }

func (n *Num) domain() *products.Number {
	if n == nil {
		return nil
	}
	return &products.Number{Text: n.raw, Minor: n.number}
}

// Price is a product's unit price in one currency.
type Price struct {
	Currency  string `json:"currency" doc:"ISO 4217 code"`
	UnitPrice int64  `json:"unit_price" doc:"Minor units (cents; yen for JPY; fils for KWD)"`
	Amount    string `json:"amount" doc:"The same price as a decimal in major units, e.g. 12.50"`
}

// Product is a catalogue entry as the API shows it.
type Product struct {
	ID          crm.ID     `json:"id"`
	Name        string     `json:"name"`
	SKU         string     `json:"sku" doc:"Unique in the workspace, whatever its case; may be empty"`
	Description string     `json:"description"`
	TaxRate     int64      `json:"tax_rate" doc:"Basis points: 2000 is 20%"`
	Prices      []Price    `json:"prices"`
	Active      bool       `json:"active" doc:"false once archived: kept on deals, not offered for new lines"`
	ArchivedAt  *time.Time `json:"archived_at"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
	Version     int64      `json:"version" doc:"Send as If-Match to update only this version"`

	only map[string]bool
}

// MarshalJSON leaves out fields not asked for with ?fields=.
func (p Product) MarshalJSON() ([]byte, error) {
	type plain Product
	return onlyFields(plain(p), p.only)
}

func productOut(pr products.Product, only map[string]bool) Product {
	out := Product{ID: pr.ID, Name: pr.Name, SKU: pr.SKU, Description: pr.Description, TaxRate: pr.TaxRate, Prices: []Price{},
		Active: pr.Active(), CreatedAt: pr.CreatedAt, UpdatedAt: pr.UpdatedAt, Version: pr.Version, only: only}
	for _, x := range pr.Prices {
		out.Prices = append(out.Prices, Price{Currency: x.Currency, UnitPrice: x.UnitPrice,
			Amount: products.FormatDecimal(x.UnitPrice, products.Exponent(x.Currency))})
	}
	if !pr.Active() {
		at := pr.ArchivedAt
		out.ArchivedAt = &at
	}
	return out
}

// PriceInput is one price of a product in a request.
type PriceInput struct {
	Currency  string `json:"currency" maxLength:"3" doc:"ISO 4217 code, e.g. USD"`
	UnitPrice *Num   `json:"unit_price,omitempty" doc:"Minor units as a number (1250) or a decimal string (\"12.50\")"`
}

// ProductInput creates (POST) or changes (PATCH) a product; fields left out
// stay as they are. prices, when given, replace all prices.
type ProductInput struct {
	Name        *string       `json:"name,omitempty" maxLength:"200"`
	SKU         *string       `json:"sku,omitempty" maxLength:"64"`
	Description *string       `json:"description,omitempty" maxLength:"2000"`
	TaxRate     *Num          `json:"tax_rate,omitempty" doc:"Basis points as a number (2000) or a percentage string (\"20\")"`
	Prices      *[]PriceInput `json:"prices,omitempty" maxItems:"100"`
}

func (in ProductInput) domain() products.ProductInput {
	out := products.ProductInput{Name: in.Name, SKU: in.SKU, Description: in.Description, TaxRate: in.TaxRate.domain()}
	if in.Prices != nil {
		ps := make([]products.PriceInput, len(*in.Prices))
		for i, x := range *in.Prices {
			ps[i] = products.PriceInput{Currency: x.Currency, UnitPrice: x.UnitPrice.domain()}
		}
		out.Prices = &ps
	}
	return out
}

type productList struct {
	Data         []Product `json:"data"`
	NextCursor   string    `json:"next_cursor,omitempty" doc:"Absent on the last page"`
	TotalEst     *int      `json:"total_estimate,omitempty" doc:"Matches on the first page's query, counted up to 1,000 within a time budget (total_is_exact is false at the cap, and when the budget ran out: then it is a lower bound)"`
	TotalIsExact *bool     `json:"total_is_exact,omitempty"`
}

type productListOutput struct{ Body productList }

type productListInput struct {
	Filter string `query:"filter" doc:"A filter-language expression on name, sku, description, tax_rate (basis points), active, created_at, updated_at and price.currency / price.unit_price (minor units), e.g. active = true and price.currency = \"EUR\" (docs/FILTERS.md)"`
	Sort   string `query:"sort" doc:"Comma-separated: name (the default), sku, tax_rate, created_at, updated_at, id; - for descending"`
	Limit  int    `query:"limit" minimum:"1" maximum:"200" default:"50"`
	Cursor string `query:"cursor" doc:"next_cursor of the previous page"`
	Fields string `query:"fields" doc:"Comma-separated fields to return (id is always returned); a dot picks keys of an object field: address.city, custom.region"`
}

type productOutput struct {
	ETag string `header:"ETag"`
	Body Product
}

type productIDInput struct {
	ID     string `path:"id" doc:"Product id"`
	Fields string `query:"fields"`
}

type productCreateInput struct{ Body ProductInput }

type productPatchInput struct {
	ID      string `path:"id"`
	IfMatch string `header:"If-Match" doc:"The version; the update fails with 412 if the product changed since"`
	Body    ProductInput
}

func (a *API) productRoutes() {
	tags := []string{"Products"}
	op := func(id, method, path, summary, desc string, status int) huma.Operation {
		return huma.Operation{OperationID: id, Method: method, Path: path, Summary: summary, Description: desc,
			DefaultStatus: status, Tags: tags}
	}
	huma.Register(a.huma, op("list-products", http.MethodGet, "/products", "List products",
		"Filter (e.g. active = true and price.currency = \"EUR\"), sort (default name) and page through the catalogue.", 0), a.listProducts)
	huma.Register(a.huma, op("create-product", http.MethodPost, "/products", "Create a product",
		"Managers, admins and owners only.", http.StatusCreated), a.createProduct)
	huma.Register(a.huma, op("get-product", http.MethodGet, "/products/{id}", "Get a product", "", 0), a.getProduct)
	huma.Register(a.huma, op("update-product", http.MethodPatch, "/products/{id}", "Update a product",
		"Partial update; prices, when given, replace all prices. Send If-Match for optimistic concurrency.", 0), a.updateProduct)
	huma.Register(a.huma, op("delete-product", http.MethodDelete, "/products/{id}", "Delete a product",
		"Moves it to the trash and frees its SKU; deals keep their lines.", http.StatusNoContent), a.deleteProduct)
	huma.Register(a.huma, op("archive-product", http.MethodPost, "/products/{id}/archive", "Archive a product",
		"No longer offered for new line items; existing lines stay.", 0), a.archiveProduct(true))
	huma.Register(a.huma, op("unarchive-product", http.MethodPost, "/products/{id}/unarchive", "Bring an archived product back", "", 0),
		a.archiveProduct(false))
	a.productBulkRoutes()
}

func (a *API) listProducts(ctx context.Context, in *productListInput) (*productListOutput, error) {
	p := principal(ctx)
	out := &productListOutput{Body: productList{Data: []Product{}}}
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		page, err := products.QueryProducts(tx, p, records.ListQuery{Filter: in.Filter, Sort: in.Sort, Limit: in.Limit, Cursor: in.Cursor})
		if err != nil {
			return err
		}
		only := fieldSet(in.Fields)
		for _, pr := range page.Items {
			out.Body.Data = append(out.Body.Data, productOut(pr, only))
		}
		out.Body.NextCursor = page.Next
		if in.Cursor == "" {
			out.Body.TotalEst, out.Body.TotalIsExact = &page.Total, &page.TotalExact
		}
		return nil
	})
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	return out, nil
}

func productResponse(pr products.Product, only map[string]bool) *productOutput {
	return &productOutput{ETag: fmt.Sprintf(`"%d"`, pr.Version), Body: productOut(pr, only)}
}

func (a *API) getProduct(ctx context.Context, in *productIDInput) (*productOutput, error) {
	id, err := crm.ParseID(in.ID)
	var pr products.Product
	if err == nil {
		err = a.DB.Read(ctx, func(tx *store.Tx) (err error) {
			pr, err = products.GetProduct(tx, principal(ctx).WorkspaceID, id)
			return err
		})
	}
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	return productResponse(pr, fieldSet(in.Fields)), nil
}

func (a *API) createProduct(ctx context.Context, in *productCreateInput) (*productOutput, error) {
	var pr products.Product
	err := a.DB.Write(ctx, func(tx *store.Tx) (err error) {
		pr, err = products.CreateProduct(tx, principal(ctx), in.Body.domain())
		return err
	})
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	return productResponse(pr, nil), nil
}

func (a *API) updateProduct(ctx context.Context, in *productPatchInput) (*productOutput, error) {
	id, err := crm.ParseID(in.ID)
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	var pr products.Product
	err = a.writeIf(ctx, in.IfMatch, func(tx *store.Tx, version int64) (err error) {
		pr, err = products.UpdateProduct(tx, principal(ctx), id, in.Body.domain(), version)
		return err
	})
	if err != nil {
		return nil, err
	}
	return productResponse(pr, nil), nil
}

func (a *API) deleteProduct(ctx context.Context, in *productIDInput) (*struct{}, error) {
	id, err := crm.ParseID(in.ID)
	if err == nil {
		err = a.DB.Write(ctx, func(tx *store.Tx) error { return products.DeleteProduct(tx, principal(ctx), id) })
	}
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	return nil, nil
}

func (a *API) archiveProduct(archived bool) func(context.Context, *productIDInput) (*productOutput, error) {
	return func(ctx context.Context, in *productIDInput) (*productOutput, error) {
		id, err := crm.ParseID(in.ID)
		var pr products.Product
		if err == nil {
			err = a.DB.Write(ctx, func(tx *store.Tx) (err error) {
				pr, err = products.ArchiveProduct(tx, principal(ctx), id, archived)
				return err
			})
		}
		if err != nil {
			return nil, a.fail(ctx, err)
		}
		return productResponse(pr, nil), nil
	}
}

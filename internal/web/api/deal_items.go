package api

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/products"
	"github.com/tandemcrm/tandem/internal/store"
)

// Amounts are money figures in minor units of the deal's currency.
type Amounts struct {
	Subtotal int64 `json:"subtotal" doc:"quantity × unit price, rounded half away from zero"`
	Discount int64 `json:"discount"`
	Net      int64 `json:"net" doc:"subtotal − discount: what the deal's value follows"`
	Tax      int64 `json:"tax"`
	Total    int64 `json:"total" doc:"net + tax"`
}

// DecimalAmounts are the same figures as decimals in major units.
type DecimalAmounts struct {
	UnitPrice string `json:"unit_price,omitempty"`
	Subtotal  string `json:"subtotal"`
	Discount  string `json:"discount"`
	Net       string `json:"net"`
	Tax       string `json:"tax"`
	Total     string `json:"total"`
}

// DealItem is one line of a deal.
type DealItem struct {
	ID            crm.ID         `json:"id"`
	DealID        crm.ID         `json:"deal_id"`
	ProductID     *crm.ID        `json:"product_id" doc:"null for a free line"`
	Name          string         `json:"name"`
	SKU           string         `json:"sku"`
	Quantity      string         `json:"quantity" doc:"Units, up to three decimals: \"2.5\""`
	QuantityMilli int64          `json:"quantity_milli" doc:"The quantity in thousandths, as stored: 2500"`
	UnitPrice     int64          `json:"unit_price" doc:"Minor units of the deal's currency"`
	Discount      int64          `json:"discount" doc:"Basis points: 1000 is 10%"`
	TaxRate       int64          `json:"tax_rate" doc:"Basis points"`
	Position      int            `json:"position"`
	Currency      string         `json:"currency" doc:"The deal's currency"`
	Amounts       Amounts        `json:"amounts"`
	Decimal       DecimalAmounts `json:"decimal" doc:"unit_price and amounts as decimals in major units"`
	CreatedAt     time.Time      `json:"created_at"`
	UpdatedAt     time.Time      `json:"updated_at"`
	Version       int64          `json:"version" doc:"Send as If-Match to update only this version"`

	only map[string]bool
}

// MarshalJSON leaves out fields not asked for with ?fields= (id stays).
func (it DealItem) MarshalJSON() ([]byte, error) {
	type plain DealItem
	return onlyFields(plain(it), it.only)
}

func amountsOut(a products.Amounts) Amounts {
	return Amounts{Subtotal: a.Subtotal, Discount: a.Discount, Net: a.Net(), Tax: a.Tax, Total: a.Total}
}

func decimalsOut(a products.Amounts, cur string) DecimalAmounts {
	f := func(v int64) string { return products.FormatDecimal(v, products.Exponent(cur)) }
	return DecimalAmounts{Subtotal: f(a.Subtotal), Discount: f(a.Discount), Net: f(a.Net()), Tax: f(a.Tax), Total: f(a.Total)}
}

func itemOut(it products.Item, cur string, only map[string]bool) DealItem {
	out := DealItem{ID: it.ID, DealID: it.DealID, Name: it.Name, SKU: it.SKU, Quantity: products.FormatQuantity(it.Quantity),
		QuantityMilli: it.Quantity, UnitPrice: it.UnitPrice, Discount: it.Discount, TaxRate: it.TaxRate, Position: it.Position,
		Currency: cur, Amounts: amountsOut(it.Amounts), Decimal: decimalsOut(it.Amounts, cur),
		CreatedAt: it.CreatedAt, UpdatedAt: it.UpdatedAt, Version: it.Version, only: only}
	out.Decimal.UnitPrice = products.FormatDecimal(it.UnitPrice, products.Exponent(cur))
	if it.ProductID != 0 {
		id := it.ProductID
		out.ProductID = &id
	}
	return out
}

type dealItems struct {
	DealID         crm.ID         `json:"deal_id"`
	Currency       string         `json:"currency"`
	Value          int64          `json:"value" doc:"The deal's value, minor units"`
	ValueFromItems bool           `json:"value_from_items" doc:"When true the deal's value is the items' net total, kept current by every change"`
	DealVersion    int64          `json:"deal_version" doc:"The deal's version: send as If-Match with PATCH /deals/{id}/items"`
	Data           []DealItem     `json:"data"`
	Totals         Amounts        `json:"totals"`
	Decimal        DecimalAmounts `json:"decimal"`
}

type dealItemsOutput struct{ Body dealItems }

func itemsOut(x products.Items, only map[string]bool) *dealItemsOutput {
	out := &dealItemsOutput{Body: dealItems{DealID: x.Deal.ID, Currency: x.Deal.Currency, Value: x.Deal.Value,
		ValueFromItems: x.Deal.ValueFromItems, DealVersion: x.Deal.Version, Data: []DealItem{}, Totals: amountsOut(x.Totals),
		Decimal: decimalsOut(x.Totals, x.Deal.Currency)}}
	for _, it := range x.Items {
		out.Body.Data = append(out.Body.Data, itemOut(it, x.Deal.Currency, only))
	}
	return out
}

// DealItemInput adds (POST) or changes (PATCH) a line; fields left out
// take the product's values (POST) or stay (PATCH).
type DealItemInput struct {
	ProductID *crm.ID `json:"product_id,omitempty" doc:"A catalogue product: its name, SKU, price in the deal's currency and tax rate are copied; \"0\" unlinks"`
	Name      *string `json:"name,omitempty" maxLength:"200"`
	Quantity  *Num    `json:"quantity,omitempty" doc:"Units, up to three decimals (default 1)"`
	UnitPrice *Num    `json:"unit_price,omitempty" doc:"Minor units as a number or a decimal string"`
	Discount  *Num    `json:"discount,omitempty" doc:"Basis points as a number (1000) or a percentage string (\"10\")"`
	TaxRate   *Num    `json:"tax_rate,omitempty" doc:"Basis points as a number or a percentage string"`
}

func (in DealItemInput) domain() products.ItemInput {
	return products.ItemInput{ProductID: in.ProductID, Name: in.Name, Quantity: in.Quantity.domain(),
		UnitPrice: in.UnitPrice.domain(), Discount: in.Discount.domain(), TaxRate: in.TaxRate.domain()}
}

type dealItemsListInput struct {
	ID     string `path:"id" doc:"Deal id"`
	Fields string `query:"fields" doc:"Comma-separated fields of each line to return (id is always returned)"`
}

type dealItemsPatchInput struct {
	ID      string `path:"id" doc:"Deal id"`
	IfMatch string `header:"If-Match" doc:"The deal's version (deal_version, or the deal's ETag); 412 if the deal changed since"`
	Body    struct {
		ValueFromItems *bool `json:"value_from_items,omitempty" doc:"true: the deal's value follows the items' net total from now on"`
	}
}

type dealItemCreateInput struct {
	ID   string `path:"id" doc:"Deal id"`
	Body DealItemInput
}

type dealItemIDInput struct {
	ID     string `path:"id" doc:"Deal id"`
	ItemID string `path:"item_id" doc:"Line item id"`
}

type dealItemGetInput struct {
	ID     string `path:"id" doc:"Deal id"`
	ItemID string `path:"item_id" doc:"Line item id"`
	Fields string `query:"fields" doc:"Comma-separated fields to return (id is always returned); a dot picks keys of an object field: address.city, custom.region"`
}

type dealItemPatchInput struct {
	ID      string `path:"id" doc:"Deal id"`
	ItemID  string `path:"item_id" doc:"Line item id"`
	IfMatch string `header:"If-Match" doc:"The line's version; the update fails with 412 if it changed since"`
	Body    DealItemInput
}

type dealItemsReorderInput struct {
	ID   string `path:"id" doc:"Deal id"`
	Body struct {
		IDs []crm.ID `json:"ids,omitempty" maxItems:"500" doc:"Every line item id of the deal, in the new order"`
	}
}

type dealItemOutput struct {
	ETag string `header:"ETag"`
	Body DealItem
}

func (a *API) dealItemRoutes() {
	tags := []string{"Deal line items"}
	op := func(id, method, path, summary, desc string, status int) huma.Operation {
		return huma.Operation{OperationID: id, Method: method, Path: path, Summary: summary, Description: desc,
			DefaultStatus: status, Tags: tags}
	}
	huma.Register(a.huma, op("list-deal-items", http.MethodGet, "/deals/{id}/items", "List a deal's line items",
		"The lines in order (at most 500, so one page), with their totals and whether the deal's value follows them.", 0), a.listDealItems)
	huma.Register(a.huma, op("update-deal-items", http.MethodPatch, "/deals/{id}/items", "Make the deal's value follow its items (or not)",
		"value_from_items: true sets the deal's value to the items' net total now and after every change; false leaves the value as it is. "+
			"Turning it on is refused (422, errors.value_from_items) when the items add up to no valid deal value. "+
			"Send the deal's version (deal_version) as If-Match for optimistic concurrency.", 0),
		a.patchDealItems)
	huma.Register(a.huma, op("create-deal-item", http.MethodPost, "/deals/{id}/items", "Add a line item",
		"From a product (product_id) or a free line (name and unit_price). Added at the end."+valueRule, http.StatusCreated), a.createDealItem)
	huma.Register(a.huma, op("reorder-deal-items", http.MethodPost, "/deals/{id}/items/reorder", "Reorder a deal's line items",
		"ids must list every line of the deal once.", 0), a.reorderDealItems)
	huma.Register(a.huma, op("get-deal-item", http.MethodGet, "/deals/{id}/items/{item_id}", "Get a line item", "", 0), a.getDealItem)
	huma.Register(a.huma, op("update-deal-item", http.MethodPatch, "/deals/{id}/items/{item_id}", "Update a line item",
		"Partial update. Send If-Match for optimistic concurrency."+valueRule, 0), a.updateDealItem)
	huma.Register(a.huma, op("delete-deal-item", http.MethodDelete, "/deals/{id}/items/{item_id}", "Remove a line item",
		"Refused (422, errors.value) when the deal's value follows its items and would leave 0 to 10^15 minor units.",
		http.StatusNoContent), a.deleteDealItem)
	a.dealItemBulkRoutes()
}

// valueRule ends the description of every operation that changes lines.
const valueRule = " While the deal's value follows its items (value_from_items), a change that would make it negative " +
	"or more than 10^15 minor units is refused (422) and nothing is stored."

// dealIDs parses a deal id and, when given, a line id; bad ids are not found.
func dealIDs(deal, item string) (crm.ID, crm.ID, error) {
	d, err := crm.ParseID(deal)
	if err != nil || item == "" {
		return d, 0, err
	}
	i, err := crm.ParseID(item)
	return d, i, err
}

func (a *API) listDealItems(ctx context.Context, in *dealItemsListInput) (*dealItemsOutput, error) {
	id, _, err := dealIDs(in.ID, "")
	var x products.Items
	if err == nil {
		err = a.DB.Read(ctx, func(tx *store.Tx) (err error) { x, err = products.ListItems(tx, principal(ctx), id); return err })
	}
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	return itemsOut(x, fieldSet(in.Fields)), nil
}

func (a *API) patchDealItems(ctx context.Context, in *dealItemsPatchInput) (*dealItemsOutput, error) {
	id, _, err := dealIDs(in.ID, "")
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	var x products.Items
	err = a.writeIf(ctx, in.IfMatch, func(tx *store.Tx, version int64) error {
		p := principal(ctx)
		if on := in.Body.ValueFromItems; on != nil {
			if _, err := products.SetValueFromItemsIf(tx, p, id, *on, version); err != nil {
				return onField(err, "value_from_items")
			}
			version = 0 // checked under the deal's lock
		}
		var err error
		if x, err = products.ListItems(tx, p, id); err == nil && version != 0 && version != x.Deal.Version {
			err = crm.Errorf(crm.Conflict, "This deal was changed by someone else (version %d, not %d). Reload and try again.", x.Deal.Version, version)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return itemsOut(x, nil), nil
}

// onField keys an invalid error that names no field under field. The
// deal's value refusals name none when nothing typed is at fault (a
// removal, the switch), so the deal page shows them above its lines; API
// clients read problems by field.
func onField(err error, field string) error {
	if crm.ErrorCode(err) != crm.Invalid || len(crm.ErrorFields(err)) > 0 {
		return err
	}
	msg := crm.ErrorMessage(err)
	return &crm.Error{Code: crm.Invalid, Message: msg, Fields: map[string]string{field: msg}}
}

func (a *API) createDealItem(ctx context.Context, in *dealItemCreateInput) (*dealItemOutput, error) {
	id, _, err := dealIDs(in.ID, "")
	var out *dealItemOutput
	if err == nil {
		err = a.DB.Write(ctx, func(tx *store.Tx) error {
			it, err := products.AddItem(tx, principal(ctx), id, in.Body.domain())
			if err == nil {
				out, err = a.itemResponse(tx, ctx, id, it, nil)
			}
			return err
		})
	}
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	return out, nil
}

func (a *API) itemResponse(tx *store.Tx, ctx context.Context, dealID crm.ID, it products.Item, only map[string]bool) (*dealItemOutput, error) {
	cur, err := dealCurrency(tx, principal(ctx).WorkspaceID, dealID)
	if err != nil {
		return nil, err
	}
	return &dealItemOutput{ETag: etag(it.Version), Body: itemOut(it, cur, only)}, nil
}

// dealCurrency is the currency of a deal the caller has just reached.
func dealCurrency(tx *store.Tx, ws, dealID crm.ID) (string, error) {
	var cur string
	if err := tx.QueryRow(`SELECT currency FROM deals WHERE workspace_id = ? AND id = ?`, ws, dealID).Scan(&cur); err != nil {
		return "", fmt.Errorf("api: deal currency: %w", err)
	}
	return cur, nil
}

func (a *API) getDealItem(ctx context.Context, in *dealItemGetInput) (*dealItemOutput, error) {
	d, i, err := dealIDs(in.ID, in.ItemID)
	var out *dealItemOutput
	if err == nil {
		err = a.DB.Read(ctx, func(tx *store.Tx) error {
			it, err := products.GetItem(tx, principal(ctx), d, i)
			if err == nil {
				out, err = a.itemResponse(tx, ctx, d, it, fieldSet(in.Fields))
			}
			return err
		})
	}
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	return out, nil
}

func (a *API) updateDealItem(ctx context.Context, in *dealItemPatchInput) (*dealItemOutput, error) {
	d, i, err := dealIDs(in.ID, in.ItemID)
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	var out *dealItemOutput
	err = a.writeIf(ctx, in.IfMatch, func(tx *store.Tx, version int64) error {
		it, err := products.UpdateItem(tx, principal(ctx), d, i, in.Body.domain(), version)
		if err == nil {
			out, err = a.itemResponse(tx, ctx, d, it, nil)
		}
		return err
	})
	return out, err
}

func (a *API) deleteDealItem(ctx context.Context, in *dealItemIDInput) (*struct{}, error) {
	d, i, err := dealIDs(in.ID, in.ItemID)
	if err == nil {
		err = a.DB.Write(ctx, func(tx *store.Tx) error { return onField(products.RemoveItem(tx, principal(ctx), d, i), "value") })
	}
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	return nil, nil
}

func (a *API) reorderDealItems(ctx context.Context, in *dealItemsReorderInput) (*dealItemsOutput, error) {
	id, _, err := dealIDs(in.ID, "")
	var x products.Items
	if err == nil {
		err = a.DB.Write(ctx, func(tx *store.Tx) error {
			if err := products.ReorderItems(tx, principal(ctx), id, in.Body.IDs); err != nil {
				return err
			}
			x, err = products.ListItems(tx, principal(ctx), id)
			return err
		})
	}
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	return itemsOut(x, nil), nil
}

package ui

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/products"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/web/respond"
	"github.com/tandemcrm/tandem/internal/web/view"
)

// DealItemsShow answers htmx with the line items panel of a deal (?edit=ID
// opens one line's editor) and anyone else with a page holding the panel.
func (h *Handlers) DealItemsShow(w http.ResponseWriter, r *http.Request) {
	dealID, ok := h.dealParam(w, r)
	if !ok {
		return
	}
	v := view.DealItemsView{EditID: r.URL.Query().Get("edit")}
	h.renderDealItems(w, r, http.StatusOK, dealID, v, false)
}

// DealItemAdd adds a line from the panel's add form.
func (h *Handlers) DealItemAdd(w http.ResponseWriter, r *http.Request) {
	dealID, ok := h.dealParam(w, r)
	if !ok {
		return
	}
	f := itemForm(r)
	in, fe := itemInput(f, true)
	err := h.write(r.Context(), func(tx *store.Tx) error {
		if _, err := products.ListItems(tx, principal(r), dealID); err != nil {
			return err // not found before anything else
		}
		if err := fe.Err(); err != nil {
			return err
		}
		_, err := products.AddItem(tx, principal(r), dealID, in)
		return err
	})
	h.dealItemsDone(w, r, dealID, err, view.DealItemsView{Form: f}, false, "Line added.")
}

// DealItemSave saves a line's inline editor.
func (h *Handlers) DealItemSave(w http.ResponseWriter, r *http.Request) {
	dealID, itemID, ok := h.itemParams(w, r)
	if !ok {
		return
	}
	f := itemForm(r)
	in, fe := itemInput(f, false)
	version, _ := strconv.ParseInt(f.Version, 10, 64)
	err := h.write(r.Context(), func(tx *store.Tx) error {
		if _, err := products.GetItem(tx, principal(r), dealID, itemID); err != nil {
			return err
		}
		if err := fe.Err(); err != nil {
			return err
		}
		_, err := products.UpdateItem(tx, principal(r), dealID, itemID, in, version)
		return err
	})
	h.dealItemsDone(w, r, dealID, err, view.DealItemsView{EditID: itemID.String(), EditForm: f}, true, "Line saved.")
}

// DealItemRemove removes a line.
func (h *Handlers) DealItemRemove(w http.ResponseWriter, r *http.Request) {
	dealID, itemID, ok := h.itemParams(w, r)
	if !ok {
		return
	}
	err := h.write(r.Context(), func(tx *store.Tx) error { return products.RemoveItem(tx, principal(r), dealID, itemID) })
	h.dealItemsDone(w, r, dealID, err, view.DealItemsView{}, false, "Line removed.")
}

// DealItemMove moves a line one place up or down (dir=up|down).
func (h *Handlers) DealItemMove(w http.ResponseWriter, r *http.Request) {
	dealID, itemID, ok := h.itemParams(w, r)
	if !ok {
		return
	}
	delta := 1
	if form(r, "dir") == "up" {
		delta = -1
	}
	err := h.write(r.Context(), func(tx *store.Tx) error { return products.MoveItem(tx, principal(r), dealID, itemID, delta) })
	h.dealItemsDone(w, r, dealID, err, view.DealItemsView{}, false, "Order saved.")
}

// DealItemsValue switches whether the deal's value follows its items (on=1|0).
func (h *Handlers) DealItemsValue(w http.ResponseWriter, r *http.Request) {
	dealID, ok := h.dealParam(w, r)
	if !ok {
		return
	}
	on := form(r, "on") == "1"
	err := h.write(r.Context(), func(tx *store.Tx) error {
		_, err := products.SetValueFromItems(tx, principal(r), dealID, on)
		return err
	})
	msg := "The deal's value no longer follows its items."
	if on {
		msg = "The deal's value now follows its items."
	}
	h.dealItemsDone(w, r, dealID, err, view.DealItemsView{}, false, msg)
}

func (h *Handlers) dealParam(w http.ResponseWriter, r *http.Request) (crm.ID, bool) {
	id, err := crm.ParseID(r.PathValue("id"))
	if err != nil {
		h.Errs.Error(w, r, crm.Errorf(crm.NotFound, "No such deal."))
		return 0, false
	}
	return id, true
}

func (h *Handlers) itemParams(w http.ResponseWriter, r *http.Request) (crm.ID, crm.ID, bool) {
	dealID, ok := h.dealParam(w, r)
	if !ok {
		return 0, 0, false
	}
	itemID, err := crm.ParseID(r.PathValue("item"))
	if err != nil {
		h.Errs.Error(w, r, crm.Errorf(crm.NotFound, "No such line item."))
		return 0, 0, false
	}
	return dealID, itemID, true
}

// dealItemsDone answers a line item action: the panel for htmx (with the
// form as typed and its messages on invalid input), a redirect for a plain
// form post.
func (h *Handlers) dealItemsDone(w http.ResponseWriter, r *http.Request, dealID crm.ID, err error, v view.DealItemsView, editing bool, ok string) {
	code := crm.ErrorCode(err)
	if code != "" && code != crm.Invalid && code != crm.Conflict {
		h.Errs.Error(w, r, err)
		return
	}
	if !respond.IsHTMX(r) {
		target := "/deals/" + dealID.String() + "/items"
		if err != nil {
			h.flash(w, "error", "Not saved: "+firstFieldMessage(err))
		} else {
			h.flash(w, "ok", ok)
		}
		http.Redirect(w, r, target, http.StatusSeeOther)
		return
	}
	if err == nil {
		h.renderDealItems(w, r, http.StatusOK, dealID, view.DealItemsView{}, true)
		return
	}
	errs := view.Errors(crm.ErrorFields(err))
	if len(errs) == 0 {
		v.Error = crm.ErrorMessage(err)
	}
	if editing {
		v.EditForm.Errors = errs
		if code == crm.Conflict {
			v.EditForm.Errors, v.Error = nil, crm.ErrorMessage(err)
			v.EditForm.Version = "" // reload the line as it now is
		}
	} else {
		v.Form.Errors = errs
	}
	h.renderDealItems(w, r, http.StatusUnprocessableEntity, dealID, v, false)
}

// renderDealItems loads the deal's lines into v and renders the panel
// (htmx) or its page. changed adds the HX-Trigger event that lets the deal
// page update its value without a reload.
func (h *Handlers) renderDealItems(w http.ResponseWriter, r *http.Request, status int, dealID crm.ID, v view.DealItemsView, changed bool) {
	err := h.read(r.Context(), func(tx *store.Tx) error { return LoadDealItems(tx, principal(r), dealID, &v) })
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	if changed {
		ev, _ := json.Marshal(map[string]any{"dealItemsChanged": map[string]any{"deal_id": v.DealID,
			"value": v.Value, "currency": v.Currency, "value_from_items": v.ValueFromItems}})
		w.Header().Set("HX-Trigger", string(ev))
	}
	if respond.IsHTMX(r) && r.Header.Get("HX-Boosted") == "" {
		h.render(w, r, status, view.DealItemsPanel(v))
		return
	}
	h.render(w, r, status, view.DealItemsPage(h.shell(w, r, "Line items · "+v.Title, "deals"), v))
}

// LoadDealItems fills v with a deal's lines, totals and the product menu,
// for the deal page to render view.DealItemsPanel(v) inside its own read
// transaction. A deal p may not see is not found.
func LoadDealItems(tx *store.Tx, p crm.Principal, dealID crm.ID, v *view.DealItemsView) error {
	x, err := products.ListItems(tx, p, dealID)
	if err != nil {
		return err
	}
	catalogue, err := products.ListProducts(tx, p.WorkspaceID, false, catalogueLimit)
	if err != nil {
		return err
	}
	fillDealItems(v, x, catalogue, p.Role != crm.RoleReadOnly)
	return nil
}

func fillDealItems(v *view.DealItemsView, x products.Items, catalogue []products.Product, canEdit bool) {
	cur := x.Deal.Currency
	money := func(n int64) string { return products.FormatMoney(n, cur) }
	v.DealID, v.Title, v.Currency, v.Value = x.Deal.ID.String(), x.Deal.Title, cur, money(x.Deal.Value)
	v.ValueFromItems, v.CanEdit = x.Deal.ValueFromItems, canEdit
	for i, it := range x.Items {
		row := view.DealItemRow{ID: it.ID.String(), Name: it.Name, SKU: it.SKU, Quantity: products.FormatQuantity(it.Quantity),
			UnitPrice: money(it.UnitPrice), Discount: pct(it.Discount), Tax: pct(it.TaxRate), Amount: money(it.Net()),
			First: i == 0, Last: i == len(x.Items)-1}
		if row.ID == v.EditID && v.EditForm.Version == "" {
			v.EditForm = view.DealItemForm{Name: it.Name, Quantity: row.Quantity,
				UnitPrice: products.FormatDecimal(it.UnitPrice, products.Exponent(cur)),
				Discount:  products.FormatPercent(it.Discount), Tax: products.FormatPercent(it.TaxRate),
				Version: strconv.FormatInt(it.Version, 10), Errors: v.EditForm.Errors}
		}
		v.Items = append(v.Items, row)
	}
	t := x.Totals
	v.Totals = view.DealTotals{Subtotal: money(t.Subtotal), Discount: money(t.Discount), Net: money(t.Net()), Tax: money(t.Tax),
		Total: money(t.Total), HasDiscount: t.Discount != 0, HasTax: t.Tax != 0}
	for _, pr := range catalogue {
		label := pr.Name
		if pr.SKU != "" {
			label += " (" + pr.SKU + ")"
		}
		if price, ok := pr.Price(strings.ToUpper(cur)); ok {
			label += " · " + money(price)
		} else {
			label += " · no " + cur + " price"
		}
		v.Products = append(v.Products, view.Option{Value: pr.ID.String(), Label: label})
	}
	if v.Form.Quantity == "" && v.Form.Errors == nil {
		v.Form.Quantity = "1"
	}
}

func pct(bp int64) string {
	if bp == 0 {
		return "—"
	}
	return products.FormatPercent(bp) + "%"
}

func itemForm(r *http.Request) view.DealItemForm {
	return view.DealItemForm{ProductID: form(r, "product_id"), Name: form(r, "name"), Quantity: form(r, "quantity"),
		UnitPrice: form(r, "unit_price"), Discount: form(r, "discount"), Tax: form(r, "tax_rate"), Version: form(r, "version")}
}

// itemInput turns the form into a domain input. When adding, an empty box
// means "the default" (the product's price and tax, quantity 1); when
// editing, an empty discount or tax means none.
func itemInput(f view.DealItemForm, adding bool) (products.ItemInput, crm.FieldErrors) {
	fe := crm.FieldErrors{}
	var in products.ItemInput
	if f.ProductID != "" {
		id, err := crm.ParseID(f.ProductID)
		if err != nil {
			fe.Add("product_id", "No such product.")
		}
		in.ProductID = &id
	}
	if f.Name != "" || !adding {
		name := f.Name
		in.Name = &name
	}
	num := func(s, empty string) *products.Number {
		if s == "" {
			if empty == "" {
				return nil
			}
			s = empty
		}
		return products.Decimal(s)
	}
	zero := ""
	if !adding {
		zero = "0"
	}
	in.Quantity = num(f.Quantity, "")
	in.UnitPrice = num(f.UnitPrice, "")
	in.Discount = num(f.Discount, zero)
	in.TaxRate = num(f.Tax, zero)
	return in, fe
}

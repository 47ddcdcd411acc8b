package ui

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/products"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/web/respond"
	"github.com/tandemcrm/tandem/internal/web/view"
)

// catalogueLimit bounds the settings table; a catalogue beyond it is
// managed through the API's paged list.
const catalogueLimit = 1000

// ProductSettings is the catalogue page: everyone may look, managers and
// up see the controls (products refuses changes from anyone else).
func (h *Handlers) ProductSettings(w http.ResponseWriter, r *http.Request) {
	v := view.ProductsView{ShowArchived: r.URL.Query().Get("archived") == "1", EditID: r.URL.Query().Get("edit")}
	h.renderCatalogue(w, r, http.StatusOK, v)
}

// ProductCreate adds a product from the add form.
func (h *Handlers) ProductCreate(w http.ResponseWriter, r *http.Request) {
	f := productForm(r)
	in, fe := productInput(f)
	var pr products.Product
	err := fe.Err()
	if err == nil {
		err = h.write(r.Context(), func(tx *store.Tx) (err error) { pr, err = products.CreateProduct(tx, principal(r), in); return err })
	}
	v := view.ProductsView{ShowArchived: r.URL.Query().Get("archived") == "1"}
	if crm.ErrorCode(err) == crm.Invalid {
		f.Errors = formErrors(err)
		v.Form = f
		h.renderCatalogue(w, r, http.StatusUnprocessableEntity, v)
		return
	}
	h.catalogueDone(w, r, err, v, "Product “"+pr.Name+"” added.")
}

// ProductSave saves the inline editor of one product.
func (h *Handlers) ProductSave(w http.ResponseWriter, r *http.Request) {
	id, err := crm.ParseID(r.PathValue("id"))
	if err != nil {
		h.Errs.Error(w, r, crm.Errorf(crm.NotFound, "No such product."))
		return
	}
	f := productForm(r)
	in, fe := productInput(f)
	version, _ := strconv.ParseInt(f.Version, 10, 64)
	err = h.write(r.Context(), func(tx *store.Tx) error {
		if _, err := products.GetProduct(tx, principal(r).WorkspaceID, id); err != nil {
			return err // not found before anything else
		}
		if err := fe.Err(); err != nil {
			return err
		}
		_, err := products.UpdateProduct(tx, principal(r), id, in, version)
		return err
	})
	v := view.ProductsView{ShowArchived: r.URL.Query().Get("archived") == "1"}
	if code := crm.ErrorCode(err); code == crm.Invalid || code == crm.Conflict {
		f.Errors = formErrors(err)
		if code == crm.Conflict {
			f.Errors = view.Errors{"name": crm.ErrorMessage(err)}
		}
		v.EditID, v.EditForm = id.String(), f
		h.renderCatalogue(w, r, http.StatusUnprocessableEntity, v)
		return
	}
	h.catalogueDone(w, r, err, v, "Product saved.")
}

// ProductArchive archives a product (archived=1) or brings it back.
func (h *Handlers) ProductArchive(w http.ResponseWriter, r *http.Request) {
	id, err := crm.ParseID(r.PathValue("id"))
	if err != nil {
		h.Errs.Error(w, r, crm.Errorf(crm.NotFound, "No such product."))
		return
	}
	archived := form(r, "archived") != "0"
	err = h.write(r.Context(), func(tx *store.Tx) error {
		_, err := products.ArchiveProduct(tx, principal(r), id, archived)
		return err
	})
	msg := "Product brought back."
	if archived {
		msg = "Product archived; deals keep their lines."
	}
	h.catalogueDone(w, r, err, view.ProductsView{ShowArchived: r.URL.Query().Get("archived") == "1"}, msg)
}

func (h *Handlers) catalogueDone(w http.ResponseWriter, r *http.Request, err error, v view.ProductsView, ok string) {
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	if respond.IsHTMX(r) {
		h.renderCatalogue(w, r, http.StatusOK, v)
		return
	}
	h.flash(w, "ok", ok)
	target := "/settings/products"
	if v.ShowArchived {
		target += "?archived=1"
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// renderCatalogue answers htmx with the catalogue fragment, anyone else
// with the whole page.
func (h *Handlers) renderCatalogue(w http.ResponseWriter, r *http.Request, status int, v view.ProductsView) {
	p := principal(r)
	var list []products.Product
	if err := h.read(r.Context(), func(tx *store.Tx) (err error) {
		list, err = products.ListProducts(tx, p.WorkspaceID, v.ShowArchived, catalogueLimit)
		return err
	}); err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	v.CanEdit = products.CanEditCatalogue(p) == nil
	for _, pr := range list {
		row := view.ProductRow{ID: pr.ID.String(), Name: pr.Name, SKU: pr.SKU, Description: pr.Description,
			Prices: pricesDisplay(pr.Prices), Tax: products.FormatPercent(pr.TaxRate) + "%",
			Active: pr.Active()}
		if row.ID == v.EditID && v.EditForm.Version == "" {
			v.EditForm = view.ProductForm{Name: pr.Name, SKU: pr.SKU, Description: pr.Description, Prices: products.PricesText(pr.Prices),
				Tax: products.FormatPercent(pr.TaxRate), Version: strconv.FormatInt(pr.Version, 10)}
		}
		v.Products = append(v.Products, row)
	}
	if v.Form.Tax == "" && v.Form.Errors == nil {
		v.Form.Tax = "0"
	}
	if respond.IsHTMX(r) && r.Header.Get("HX-Boosted") == "" {
		h.render(w, r, status, view.Catalogue(v))
		return
	}
	h.render(w, r, status, view.ProductsPage(h.shell(w, r, "Settings", "settings"), v))
}

func productForm(r *http.Request) view.ProductForm {
	return view.ProductForm{Name: form(r, "name"), SKU: form(r, "sku"), Description: form(r, "description"),
		Prices: form(r, "prices"), Tax: form(r, "tax"), Version: form(r, "version")}
}

// productInput turns the form into a domain input; a price list that
// cannot be read at all is a field error of its own.
func productInput(f view.ProductForm) (products.ProductInput, crm.FieldErrors) {
	fe := crm.FieldErrors{}
	in := products.ProductInput{Name: &f.Name, SKU: &f.SKU, Description: &f.Description}
	tax := f.Tax
	if tax == "" {
		tax = "0"
	}
	in.TaxRate = products.Decimal(tax)
	prices, err := products.ParsePricesText(f.Prices)
	if err != nil {
		fe.Add("prices", strings.ToUpper(err.Error()[:1])+err.Error()[1:]+".")
	} else {
		in.Prices = &prices
	}
	return in, fe
}

// formErrors maps the domain's field names onto the form's: every
// prices.N.x onto the one prices box, tax_rate onto tax.
func formErrors(err error) view.Errors {
	out := view.Errors{}
	for k, m := range crm.ErrorFields(err) {
		switch {
		case strings.HasPrefix(k, "prices."):
			if _, ok := out["prices"]; !ok {
				out["prices"] = m
			}
		case k == "tax_rate":
			out["tax"] = m
		default:
			out[k] = m
		}
	}
	if len(out) == 0 {
		out["name"] = crm.ErrorMessage(err)
	}
	return out
}

// pricesDisplay writes prices for reading: "EUR 1,200.00", "JPY 7,900".
func pricesDisplay(ps []products.Price) []string {
	parts := make([]string, len(ps))
	for i, x := range ps {
		parts[i] = x.Currency + " " + products.FormatMoney(x.UnitPrice, x.Currency)
	}
	return parts
}

package api

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/tandemcrm/tandem/internal/audit"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
)

// Company is an organisation as the API shows it.
type Company struct {
	ID        crm.ID         `json:"id"`
	Name      string         `json:"name"`
	Domain    string         `json:"domain" doc:"The primary domain: domains[0]"`
	Domains   []string       `json:"domains" doc:"All of the company's domains, the primary first"`
	Industry  string         `json:"industry"`
	Size      int            `json:"size" doc:"Employees; 0 when unknown"`
	Phone     string         `json:"phone"`
	Address   Address        `json:"address" doc:"The postal address; every part is present, \"\" when unknown"`
	OwnerID   crm.ID         `json:"owner_id"`
	ParentID  *crm.ID        `json:"parent_id" doc:"null when none"`
	Tags      []string       `json:"tags"`
	Custom    map[string]any `json:"custom"`
	CreatedAt time.Time      `json:"created_at"`
	UpdatedAt time.Time      `json:"updated_at"`
	Version   int64          `json:"version"`

	only map[string]bool
}

// MarshalJSON honours ?fields= like Contact.
func (c Company) MarshalJSON() ([]byte, error) {
	type plain Company
	return onlyFields(plain(c), c.only)
}

func companyOut(c records.Company, defs []records.FieldDef, only map[string]bool) Company {
	out := Company{ID: c.ID, Name: c.Name, Domain: c.Domain, Industry: c.Industry, Size: c.Size, Phone: c.Phone,
		Address: Address(c.Address), OwnerID: c.OwnerID, Tags: c.Tags, Custom: records.PresentCustom(defs, c.Custom),
		CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt, Version: c.Version, only: only}
	if c.ParentID != 0 {
		id := c.ParentID
		out.ParentID = &id
	}
	if out.Tags == nil {
		out.Tags = []string{}
	}
	out.Domains = append([]string{}, c.Domains...)
	return out
}

// CompanyInput creates or changes a company; fields left out stay as they are.
type CompanyInput struct {
	Name     *string        `json:"name,omitempty" maxLength:"200"`
	Domain   *string        `json:"domain,omitempty" doc:"The primary domain; alone, it replaces the primary and keeps the others. Normalised: https://www.Acme.com/x becomes acme.com"`
	Domains  *[]string      `json:"domains,omitempty" maxItems:"20" doc:"All domains, the primary first (replaces the list); sent with domain, the two must agree on the primary"`
	Industry *string        `json:"industry,omitempty" maxLength:"100"`
	Size     *int           `json:"size,omitempty" minimum:"0"`
	Phone    *string        `json:"phone,omitempty"`
	Address  AddressInput   `json:"address,omitempty" doc:"Only the parts sent change; null clears the whole address"`
	OwnerID  *crm.ID        `json:"owner_id,omitempty"`
	ParentID *crm.ID        `json:"parent_id,omitempty" doc:"0 removes the parent"`
	Tags     *[]string      `json:"tags,omitempty" maxItems:"50"`
	Custom   map[string]any `json:"custom,omitempty"`
}

func (in CompanyInput) patch() records.CompanyPatch {
	return records.CompanyPatch{Name: in.Name, Domain: in.Domain, Domains: in.Domains, Industry: in.Industry, Phone: in.Phone, Size: in.Size,
		Address: in.Address.patch(), OwnerID: in.OwnerID, ParentID: in.ParentID, Tags: in.Tags, Custom: in.Custom}
}

func (in CompanyInput) create() records.NewCompany {
	s := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	n := records.NewCompany{Name: s(in.Name), Domain: s(in.Domain), Industry: s(in.Industry), Phone: s(in.Phone), Custom: in.Custom,
		Address: in.Address.address()}
	if in.Size != nil {
		n.Size = *in.Size
	}
	if in.OwnerID != nil {
		n.OwnerID = *in.OwnerID
	}
	if in.ParentID != nil {
		n.ParentID = *in.ParentID
	}
	if in.Tags != nil {
		n.Tags = *in.Tags
	}
	if in.Domains != nil {
		n.Domains = *in.Domains
	}
	return n
}

type companyList struct {
	Data         []Company `json:"data"`
	NextCursor   string    `json:"next_cursor,omitempty"`
	TotalEst     *int      `json:"total_estimate,omitempty"`
	TotalIsExact *bool     `json:"total_is_exact,omitempty"`
}

type companyListOutput struct{ Body companyList }

type companyOutput struct {
	ETag string `header:"ETag"`
	Body Company
}

type companyCreateInput struct{ Body CompanyInput }

type companyPatchInput struct {
	ID      string `path:"id"`
	IfMatch string `header:"If-Match"`
	Body    CompanyInput
}

type companyBulkCreateInput struct {
	Body struct {
		Items []CompanyInput `json:"items" minItems:"1" maxItems:"1000"`
	}
}

type companyBulkUpdateInput struct {
	Body struct {
		Items []struct {
			ID crm.ID `json:"id"`
			CompanyInput
		} `json:"items" minItems:"1" maxItems:"1000"`
	}
}

func (a *API) companyRoutes() {
	op := func(id, method, path, summary string, status int) huma.Operation {
		return huma.Operation{OperationID: id, Method: method, Path: path, Summary: summary, DefaultStatus: status,
			Tags: []string{"Companies"}}
	}
	huma.Register(a.huma, op("list-companies", http.MethodGet, "/companies", "List companies", 0), a.listCompanies)
	huma.Register(a.huma, op("create-company", http.MethodPost, "/companies", "Create a company", http.StatusCreated), a.createCompany)
	huma.Register(a.huma, op("get-company", http.MethodGet, "/companies/{id}", "Get a company", 0), a.getCompany)
	huma.Register(a.huma, op("update-company", http.MethodPatch, "/companies/{id}", "Update a company", 0), a.updateCompany)
	huma.Register(a.huma, op("delete-company", http.MethodDelete, "/companies/{id}", "Delete a company", http.StatusNoContent), a.deleteCompany)
	huma.Register(a.huma, op("bulk-create-companies", http.MethodPost, "/companies/bulk",
		"Create up to 1,000 companies (all or nothing)", http.StatusCreated), a.bulkCreateCompanies)
	huma.Register(a.huma, op("bulk-update-companies", http.MethodPatch, "/companies/bulk",
		"Update up to 1,000 companies (all or nothing)", 0), a.bulkUpdateCompanies)
	dups := op("company-duplicates", http.MethodGet, "/companies/{id}/duplicates", "Possible duplicates of a company", 0)
	dups.Description = "Companies sharing any domain with this one (primary or not, on either side)."
	huma.Register(a.huma, dups, a.companyDuplicates)
}

// CompanyDuplicateOut is a possible duplicate of a company.
type CompanyDuplicateOut struct {
	Company Company  `json:"company"`
	Domains []string `json:"domains" doc:"The domains both companies have"`
}

type companyDuplicatesOutput struct {
	Body struct {
		Data []CompanyDuplicateOut `json:"data"`
	}
}

func (a *API) companyDuplicates(ctx context.Context, in *idInput) (*companyDuplicatesOutput, error) {
	p := principal(ctx)
	id, err := crm.ParseID(in.ID)
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	out := &companyDuplicatesOutput{}
	out.Body.Data = []CompanyDuplicateOut{}
	err = a.DB.Read(ctx, func(tx *store.Tx) error {
		c, err := records.ViewCompany(tx, p, id)
		if err != nil {
			return err
		}
		dups, err := records.FindCompanyDuplicates(tx, p, c)
		if err != nil {
			return err
		}
		defs, err := records.ListFields(tx, p.WorkspaceID, "company", false)
		for _, d := range dups {
			out.Body.Data = append(out.Body.Data, CompanyDuplicateOut{Company: companyOut(d.Company, defs, nil), Domains: d.Domains})
		}
		return err
	})
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	return out, nil
}

func (a *API) presentCompanies(tx *store.Tx, p crm.Principal, cs []records.Company) ([]Company, error) {
	defs, err := records.ListFields(tx, p.WorkspaceID, "company", false)
	out := make([]Company, 0, len(cs))
	for _, c := range cs {
		out = append(out, companyOut(c, defs, nil))
	}
	return out, err
}

func (a *API) listCompanies(ctx context.Context, in *listInput) (*companyListOutput, error) {
	p := principal(ctx)
	out := &companyListOutput{Body: companyList{Data: []Company{}}}
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		page, err := records.QueryCompanies(tx, p, records.ListQuery{Filter: in.Filter, Sort: in.Sort, Limit: in.Limit, Cursor: in.Cursor})
		if err != nil {
			return err
		}
		defs, err := records.ListFields(tx, p.WorkspaceID, "company", false)
		only := fieldSet(in.Fields)
		for _, c := range page.Items {
			out.Body.Data = append(out.Body.Data, companyOut(c, defs, only))
		}
		out.Body.NextCursor = page.Next
		if in.Cursor == "" {
			out.Body.TotalEst, out.Body.TotalIsExact = &page.Total, &page.TotalExact
		}
		return err
	})
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	return out, nil
}

func (a *API) companyResponse(tx *store.Tx, p crm.Principal, c records.Company, only map[string]bool) (*companyOutput, error) {
	defs, err := records.ListFields(tx, p.WorkspaceID, "company", false)
	return &companyOutput{ETag: fmt.Sprintf(`"%d"`, c.Version), Body: companyOut(c, defs, only)}, err
}

func (a *API) getCompany(ctx context.Context, in *idInput) (*companyOutput, error) {
	p := principal(ctx)
	var out *companyOutput
	id, err := crm.ParseID(in.ID)
	if err == nil {
		err = a.DB.Read(ctx, func(tx *store.Tx) error {
			c, err := records.ViewCompany(tx, p, id)
			if err != nil {
				return err
			}
			out, err = a.companyResponse(tx, p, c, fieldSet(in.Fields))
			return err
		})
	}
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	a.viewed(ctx, audit.RecordViewed, "company", id, nil)
	return out, nil
}

func (a *API) createCompany(ctx context.Context, in *companyCreateInput) (*companyOutput, error) {
	p := principal(ctx)
	var out *companyOutput
	err := a.DB.Write(ctx, func(tx *store.Tx) error {
		c, err := records.CreateCompany(tx, p, in.Body.create())
		if err != nil {
			return bodyPaths(err)
		}
		out, err = a.companyResponse(tx, p, c, nil)
		return err
	})
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	return out, nil
}

func (a *API) updateCompany(ctx context.Context, in *companyPatchInput) (*companyOutput, error) {
	p := principal(ctx)
	id, err := crm.ParseID(in.ID)
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	version, err := parseIfMatch(in.IfMatch)
	if err != nil {
		return nil, err
	}
	var out *companyOutput
	err = a.DB.Write(ctx, func(tx *store.Tx) error {
		c, err := records.UpdateCompany(tx, p, id, in.Body.patch(), version)
		if err != nil {
			return bodyPaths(err)
		}
		out, err = a.companyResponse(tx, p, c, nil)
		return err
	})
	if crm.ErrorCode(err) == crm.Conflict && version != 0 {
		return nil, huma.Error412PreconditionFailed(crm.ErrorMessage(err))
	}
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	return out, nil
}

func (a *API) deleteCompany(ctx context.Context, in *idInput) (*struct{}, error) {
	p := principal(ctx)
	id, err := crm.ParseID(in.ID)
	if err == nil {
		err = a.DB.Write(ctx, func(tx *store.Tx) error { return records.DeleteCompany(tx, p, id) })
	}
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	return nil, nil
}

func (a *API) bulkCreateCompanies(ctx context.Context, in *companyBulkCreateInput) (*bulkOutput[Company], error) {
	p := principal(ctx)
	return bulk(a, ctx, len(in.Body.Items), func(tx *store.Tx, i int) (records.Company, error) {
		c, err := records.CreateCompany(tx, p, in.Body.Items[i].create())
		return c, bodyPaths(err)
	}, a.presentCompanies)
}

func (a *API) bulkUpdateCompanies(ctx context.Context, in *companyBulkUpdateInput) (*bulkOutput[Company], error) {
	p := principal(ctx)
	return bulk(a, ctx, len(in.Body.Items), func(tx *store.Tx, i int) (records.Company, error) {
		it := in.Body.Items[i]
		c, err := records.UpdateCompany(tx, p, it.ID, it.patch(), 0)
		return c, bodyPaths(err)
	}, a.presentCompanies)
}

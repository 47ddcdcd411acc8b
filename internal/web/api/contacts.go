package api

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/tandemcrm/tandem/internal/audit"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
)

type listInput struct {
	Filter string `query:"filter" doc:"A filter-language expression, e.g. lifecycle = \"lead\" and owner = me() (docs/FILTERS.md)"`
	Sort   string `query:"sort" doc:"Comma-separated fields, - for descending, e.g. -created_at,last_name"`
	Limit  int    `query:"limit" minimum:"1" maximum:"200" default:"50"`
	Cursor string `query:"cursor" doc:"next_cursor of the previous page"`
	Fields string `query:"fields" doc:"Comma-separated fields to return (id is always returned); a dot picks keys of an object field: address.city, custom.region"`
}

type contactList struct {
	Data         []Contact `json:"data"`
	NextCursor   string    `json:"next_cursor,omitempty" doc:"Absent on the last page"`
	TotalEst     *int      `json:"total_estimate,omitempty" doc:"Matches on the first page's query, counted up to 1,000 within a time budget (total_is_exact is false at the cap, and when the budget ran out: then it is a lower bound)"`
	TotalIsExact *bool     `json:"total_is_exact,omitempty"`
}

type contactListOutput struct{ Body contactList }

type idInput struct {
	ID     string `path:"id" doc:"Contact id"`
	Fields string `query:"fields"`
}

type contactOutput struct {
	ETag string `header:"ETag"`
	Body Contact
}

type contactCreateInput struct{ Body ContactInput }

type contactPatchInput struct {
	ID      string `path:"id"`
	IfMatch string `header:"If-Match" doc:"The version from the ETag or the version field; the update fails with 412 if the contact changed since"`
	Body    ContactInput
}

func (a *API) contactRoutes() {
	tags := []string{"Contacts"}
	huma.Register(a.huma, huma.Operation{OperationID: "list-contacts", Method: http.MethodGet, Path: "/contacts", Tags: tags,
		Summary: "List contacts", Description: "Filter, sort and page through contacts (keyset pagination: follow next_cursor)."}, a.listContacts)
	huma.Register(a.huma, huma.Operation{OperationID: "create-contact", Method: http.MethodPost, Path: "/contacts", Tags: tags,
		Summary: "Create a contact", DefaultStatus: http.StatusCreated}, a.createContact)
	huma.Register(a.huma, huma.Operation{OperationID: "get-contact", Method: http.MethodGet, Path: "/contacts/{id}", Tags: tags,
		Summary: "Get a contact"}, a.getContact)
	huma.Register(a.huma, huma.Operation{OperationID: "update-contact", Method: http.MethodPatch, Path: "/contacts/{id}", Tags: tags,
		Summary: "Update a contact", Description: "Partial update: fields left out stay as they are. Send If-Match for optimistic concurrency."}, a.updateContact)
	huma.Register(a.huma, huma.Operation{OperationID: "delete-contact", Method: http.MethodDelete, Path: "/contacts/{id}", Tags: tags,
		Summary: "Delete a contact", Description: "Moves the contact to the trash.", DefaultStatus: http.StatusNoContent}, a.deleteContact)
	a.contactBulkRoutes()
	a.contactMergeRoutes()
	a.contactPastRoutes()
}

func (a *API) listContacts(ctx context.Context, in *listInput) (*contactListOutput, error) {
	p := principal(ctx)
	out := &contactListOutput{Body: contactList{Data: []Contact{}}}
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		page, err := records.QueryContacts(tx, p, records.ListQuery{Filter: in.Filter, Sort: in.Sort, Limit: in.Limit, Cursor: in.Cursor})
		if err != nil {
			return err
		}
		defs, err := records.ListFields(tx, p.WorkspaceID, "contact", false)
		if err != nil {
			return err
		}
		only := fieldSet(in.Fields)
		for _, c := range page.Items {
			out.Body.Data = append(out.Body.Data, contactOut(c, defs, only))
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

func (a *API) getContact(ctx context.Context, in *idInput) (*contactOutput, error) {
	p := principal(ctx)
	id, err := crm.ParseID(in.ID)
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	var out *contactOutput
	err = a.DB.Read(ctx, func(tx *store.Tx) error {
		c, err := records.ViewContact(tx, p, id)
		if err != nil {
			return err
		}
		out, err = a.contactResponse(tx, p, c, fieldSet(in.Fields))
		return err
	})
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	a.viewed(ctx, audit.RecordViewed, "contact", id, nil)
	return out, nil
}

func (a *API) contactResponse(tx *store.Tx, p crm.Principal, c records.Contact, only map[string]bool) (*contactOutput, error) {
	defs, err := records.ListFields(tx, p.WorkspaceID, "contact", false)
	if err != nil {
		return nil, err
	}
	out := &contactOutput{ETag: fmt.Sprintf(`"%d"`, c.Version), Body: contactOut(c, defs, only)}
	pcs, err := records.PastCompanies(tx, p, c.ID)
	if err != nil {
		return nil, err
	}
	past := make([]PastCompany, 0, len(pcs))
	for _, pc := range pcs {
		past = append(past, pastCompanyOut(pc))
	}
	out.Body.PastCompanies = &past
	return out, nil
}

func (a *API) createContact(ctx context.Context, in *contactCreateInput) (*contactOutput, error) {
	p := principal(ctx)
	var out *contactOutput
	err := a.DB.Write(ctx, func(tx *store.Tx) error {
		c, err := records.CreateContact(tx, p, in.Body.create())
		if err != nil {
			return bodyPaths(err)
		}
		out, err = a.contactResponse(tx, p, c, nil)
		return err
	})
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	return out, nil
}

func (a *API) updateContact(ctx context.Context, in *contactPatchInput) (*contactOutput, error) {
	p := principal(ctx)
	id, err := crm.ParseID(in.ID)
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	version, err := parseIfMatch(in.IfMatch)
	if err != nil {
		return nil, err
	}
	var out *contactOutput
	err = a.DB.Write(ctx, func(tx *store.Tx) error {
		c, err := records.UpdateContact(tx, p, id, in.Body.patch(), version)
		if err != nil {
			return bodyPaths(err)
		}
		out, err = a.contactResponse(tx, p, c, nil)
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

func (a *API) deleteContact(ctx context.Context, in *idInput) (*struct{}, error) {
	p := principal(ctx)
	id, err := crm.ParseID(in.ID)
	if err == nil {
		err = a.DB.Write(ctx, func(tx *store.Tx) error { return records.DeleteContact(tx, p, id) })
	}
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	return nil, nil
}

// parseIfMatch reads a version from If-Match: "3", W/"3" or 3; "" is none.
func parseIfMatch(h string) (int64, error) {
	h = strings.Trim(strings.TrimPrefix(strings.TrimSpace(h), "W/"), `"`)
	if h == "" || h == "*" {
		return 0, nil
	}
	v, err := strconv.ParseInt(h, 10, 64)
	if err != nil || v <= 0 {
		return 0, huma.Error400BadRequest(`If-Match must be a version such as "3" (from the ETag header or the version field).`)
	}
	return v, nil
}

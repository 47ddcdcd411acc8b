package api

import (
	"context"
	"fmt"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
)

type bulkCreateInput struct {
	Body struct {
		Items []ContactInput `json:"items" minItems:"1" maxItems:"1000"`
	}
}

type bulkUpdateItem struct {
	ID crm.ID `json:"id"`
	ContactInput
}

type bulkUpdateInput struct {
	Body struct {
		Items []bulkUpdateItem `json:"items" minItems:"1" maxItems:"1000"`
	}
}

type bulkOutput[O any] struct {
	Body struct {
		Data []O `json:"data"`
	}
}

func (a *API) contactBulkRoutes() {
	tags := []string{"Contacts"}
	huma.Register(a.huma, huma.Operation{OperationID: "bulk-create-contacts", Method: http.MethodPost, Path: "/contacts/bulk",
		Tags: tags, Summary: "Create up to 1,000 contacts", DefaultStatus: http.StatusCreated,
		Description: "All or nothing: if any item is invalid nothing is created, and errors are keyed items.N.field."}, a.bulkCreateContacts)
	huma.Register(a.huma, huma.Operation{OperationID: "bulk-update-contacts", Method: http.MethodPatch, Path: "/contacts/bulk",
		Tags: tags, Summary: "Update up to 1,000 contacts",
		Description: "All or nothing, like bulk create. Each item carries its id and the fields to change."}, a.bulkUpdateContacts)
}

func (a *API) bulkCreateContacts(ctx context.Context, in *bulkCreateInput) (*bulkOutput[Contact], error) {
	p := principal(ctx)
	return bulk(a, ctx, len(in.Body.Items), func(tx *store.Tx, i int) (records.Contact, error) {
		c, err := records.CreateContact(tx, p, in.Body.Items[i].create())
		return c, bodyPaths(err)
	}, a.presentContacts)
}

func (a *API) bulkUpdateContacts(ctx context.Context, in *bulkUpdateInput) (*bulkOutput[Contact], error) {
	p := principal(ctx)
	return bulk(a, ctx, len(in.Body.Items), func(tx *store.Tx, i int) (records.Contact, error) {
		it := in.Body.Items[i]
		c, err := records.UpdateContact(tx, p, it.ID, it.patch(), 0)
		return c, bodyPaths(err)
	}, a.presentContacts)
}

func (a *API) presentContacts(tx *store.Tx, p crm.Principal, cs []records.Contact) ([]Contact, error) {
	defs, err := records.ListFields(tx, p.WorkspaceID, "contact", false)
	out := make([]Contact, 0, len(cs))
	for _, c := range cs {
		out = append(out, contactOut(c, defs, nil))
	}
	return out, err
}

// bulk runs one function per item in one transaction and collects every
// item's errors, prefixed with its position: all items or none.
func bulk[T, O any](a *API, ctx context.Context, n int, one func(*store.Tx, int) (T, error),
	present func(*store.Tx, crm.Principal, []T) ([]O, error)) (*bulkOutput[O], error) {
	p := principal(ctx)
	out := &bulkOutput[O]{}
	err := a.DB.Write(ctx, func(tx *store.Tx) error {
		fe := crm.FieldErrors{}
		var done []T
		for i := 0; i < n; i++ {
			r, err := one(tx, i)
			if err != nil {
				fields := crm.ErrorFields(err)
				if len(fields) == 0 && crm.ErrorCode(err) == crm.Internal {
					return err
				}
				if len(fields) == 0 {
					fields = map[string]string{"id": crm.ErrorMessage(err)}
				}
				for k, v := range fields {
					fe.Add(fmt.Sprintf("items.%d.%s", i, k), v)
				}
				continue
			}
			done = append(done, r)
		}
		if err := fe.Err(); err != nil {
			return err
		}
		var err error
		out.Body.Data, err = present(tx, p, done)
		return err
	})
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	return out, nil
}

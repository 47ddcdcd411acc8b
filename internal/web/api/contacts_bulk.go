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

type bulkOutput struct {
	Body struct {
		Data []Contact `json:"data"`
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

func (a *API) bulkCreateContacts(ctx context.Context, in *bulkCreateInput) (*bulkOutput, error) {
	p := principal(ctx)
	return a.bulk(ctx, len(in.Body.Items), func(tx *store.Tx, i int) (records.Contact, error) {
		return records.CreateContact(tx, p, in.Body.Items[i].create())
	})
}

func (a *API) bulkUpdateContacts(ctx context.Context, in *bulkUpdateInput) (*bulkOutput, error) {
	p := principal(ctx)
	return a.bulk(ctx, len(in.Body.Items), func(tx *store.Tx, i int) (records.Contact, error) {
		it := in.Body.Items[i]
		return records.UpdateContact(tx, p, it.ID, it.patch(), 0)
	})
}

// bulk runs one function per item in one transaction and collects every
// item's errors, prefixed with its position.
func (a *API) bulk(ctx context.Context, n int, one func(*store.Tx, int) (records.Contact, error)) (*bulkOutput, error) {
	p := principal(ctx)
	out := &bulkOutput{}
	out.Body.Data = []Contact{}
	err := a.DB.Write(ctx, func(tx *store.Tx) error {
		fe := crm.FieldErrors{}
		var done []records.Contact
		for i := 0; i < n; i++ {
			c, err := one(tx, i)
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
			done = append(done, c)
		}
		if err := fe.Err(); err != nil {
			return err
		}
		defs, err := records.ListFields(tx, p.WorkspaceID, "contact", false)
		for _, c := range done {
			out.Body.Data = append(out.Body.Data, contactOut(c, defs, nil))
		}
		return err
	})
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	return out, nil
}

package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
)

// DuplicateOut is a possible duplicate of a contact.
type DuplicateOut struct {
	Contact Contact  `json:"contact"`
	Reasons []string `json:"reasons" doc:"same email, same phone, same name"`
}

type duplicatesOutput struct {
	Body struct {
		Data []DuplicateOut `json:"data"`
	}
}

type mergeInput struct {
	ID   string `path:"id" doc:"The contact that stays"`
	Body struct {
		From crm.ID   `json:"from,omitempty" doc:"The contact merged into this one and then trashed"`
		Take []string `json:"take,omitempty" doc:"Fields whose value comes from 'from' (first_name, last_name, title, company_id, owner_id, lifecycle, source, address, time_zone, custom.<key>); others keep this contact's value unless it is empty. The address is taken whole, never part by part. Emails, phones, links and tags are united. Any other name is a 422 on take."`
	}
}

func (a *API) contactMergeRoutes() {
	huma.Register(a.huma, huma.Operation{OperationID: "contact-duplicates", Method: http.MethodGet, Path: "/contacts/{id}/duplicates",
		Tags: []string{"Contacts"}, Summary: "Possible duplicates of a contact",
		Description: "Contacts sharing an email, the phone's digits, or the full name."}, a.contactDuplicates)
	huma.Register(a.huma, huma.Operation{OperationID: "merge-contacts", Method: http.MethodPost, Path: "/contacts/{id}/merge",
		Tags: []string{"Contacts"}, Summary: "Merge another contact into this one",
		Description: "Deals, activities and notes move here; the other contact goes to the trash; both timelines record it."}, a.mergeContacts)
}

func (a *API) contactDuplicates(ctx context.Context, in *idInput) (*duplicatesOutput, error) {
	p := principal(ctx)
	id, err := crm.ParseID(in.ID)
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	out := &duplicatesOutput{}
	out.Body.Data = []DuplicateOut{}
	err = a.DB.Read(ctx, func(tx *store.Tx) error {
		c, err := records.ViewContact(tx, p, id)
		if err != nil {
			return err
		}
		dups, err := records.FindDuplicates(tx, p, c)
		if err != nil {
			return err
		}
		defs, err := records.ListFields(tx, p.WorkspaceID, "contact", false)
		for _, d := range dups {
			out.Body.Data = append(out.Body.Data, DuplicateOut{Contact: contactOut(d.Contact, defs, nil), Reasons: d.Reasons})
		}
		return err
	})
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	return out, nil
}

func (a *API) mergeContacts(ctx context.Context, in *mergeInput) (*contactOutput, error) {
	p := principal(ctx)
	id, err := crm.ParseID(in.ID)
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	var out *contactOutput
	err = a.DB.Write(ctx, func(tx *store.Tx) error {
		c, err := records.MergeContacts(tx, p, id, in.Body.From, takeSet(in.Body.Take))
		if err != nil {
			return err
		}
		out, err = a.contactResponse(tx, p, c, nil)
		return err
	})
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	return out, nil
}

// takeSet is a merge's "take" list as the set records' merges read.
func takeSet(fields []string) map[string]bool {
	take := map[string]bool{}
	for _, f := range fields {
		take[f] = true
	}
	return take
}

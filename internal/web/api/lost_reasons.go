package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/deals"
	"github.com/tandemcrm/tandem/internal/store"
)

// LostReason is one reason on the list a lost deal's reason comes from.
type LostReason struct {
	ID       crm.ID `json:"id"`
	Name     string `json:"name"`
	Position int    `json:"position"`
	Version  int64  `json:"version" doc:"Send as If-Match to change only this version; moving a neighbour changes it too"`
}

type lostReasonOutput struct {
	ETag string `header:"ETag"`
	Body LostReason
}

func lostReasonResponse(r deals.LostReason) *lostReasonOutput {
	return &lostReasonOutput{ETag: etag(r.Version), Body: LostReason(r)}
}

type lostReasonListOutput struct {
	Body struct {
		Data []LostReason `json:"data"`
	}
}

type lostReasonInput struct {
	Body struct {
		Name string `json:"name" maxLength:"80"`
	}
}

type lostReasonPatchInput struct {
	ID      string `path:"id"`
	IfMatch string `header:"If-Match" doc:"The version from the ETag or the version field; 412 if the reason changed since"`
	Body    struct {
		Name     *string `json:"name,omitempty" maxLength:"80"`
		Position *int    `json:"position,omitempty" minimum:"0"`
	}
}

func (a *API) lostReasonRoutes() {
	tags := []string{"Pipelines"}
	huma.Register(a.huma, huma.Operation{OperationID: "list-lost-reasons", Method: http.MethodGet, Path: "/lost-reasons", Tags: tags,
		Summary: "List lost reasons", Description: "The list POST /deals/{id}/lost takes its reason from. While it is empty, any text is accepted."}, a.listLostReasons)
	huma.Register(a.huma, huma.Operation{OperationID: "create-lost-reason", Method: http.MethodPost, Path: "/lost-reasons", Tags: tags,
		Summary: "Add a lost reason", Description: "Admins only.", DefaultStatus: http.StatusCreated}, a.createLostReason)
	huma.Register(a.huma, huma.Operation{OperationID: "update-lost-reason", Method: http.MethodPatch, Path: "/lost-reasons/{id}", Tags: tags,
		Summary: "Rename or move a lost reason", Description: "Admins only. Deals lost for it keep their text. Send If-Match for optimistic concurrency."}, a.updateLostReason)
	huma.Register(a.huma, huma.Operation{OperationID: "delete-lost-reason", Method: http.MethodDelete, Path: "/lost-reasons/{id}", Tags: tags,
		Summary: "Delete a lost reason", Description: "Admins only. Deals lost for it keep their text.", DefaultStatus: http.StatusNoContent}, a.deleteLostReason)
}

func (a *API) listLostReasons(ctx context.Context, _ *struct{}) (*lostReasonListOutput, error) {
	out := &lostReasonListOutput{}
	out.Body.Data = []LostReason{}
	return out, a.read(ctx, func(tx *store.Tx) error {
		rs, err := deals.ListLostReasons(tx, principal(ctx).WorkspaceID)
		for _, r := range rs {
			out.Body.Data = append(out.Body.Data, LostReason(r))
		}
		return err
	})
}

func (a *API) createLostReason(ctx context.Context, in *lostReasonInput) (*lostReasonOutput, error) {
	var out *lostReasonOutput
	err := a.write(ctx, func(tx *store.Tx) error {
		r, err := deals.CreateLostReason(tx, principal(ctx), in.Body.Name)
		out = lostReasonResponse(r)
		return err
	})
	return out, err
}

func (a *API) updateLostReason(ctx context.Context, in *lostReasonPatchInput) (*lostReasonOutput, error) {
	id, err := a.id(ctx, in.ID, false)
	if err != nil {
		return nil, err
	}
	var out *lostReasonOutput
	err = a.writeIf(ctx, in.IfMatch, func(tx *store.Tx, version int64) error {
		r, err := deals.UpdateLostReasonIf(tx, principal(ctx), id, in.Body.Name, in.Body.Position, version)
		out = lostReasonResponse(r)
		return err
	})
	return out, err
}

func (a *API) deleteLostReason(ctx context.Context, in *pathID) (*struct{}, error) {
	id, err := a.id(ctx, in.ID, false)
	if err != nil {
		return nil, err
	}
	return nil, a.write(ctx, func(tx *store.Tx) error { return deals.DeleteLostReason(tx, principal(ctx), id) })
}

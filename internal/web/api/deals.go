package api

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/tandemcrm/tandem/internal/audit"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/deals"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/views"
)

type dealList struct {
	Data         []Deal `json:"data"`
	NextCursor   string `json:"next_cursor,omitempty" doc:"Absent on the last page"`
	TotalEst     *int   `json:"total_estimate,omitempty" doc:"Matches, counted up to 1,000 within a time budget (total_is_exact is false at the cap, and when the budget ran out: then it is a lower bound)"`
	TotalIsExact *bool  `json:"total_is_exact,omitempty"`
}

type dealListInput struct {
	View   string `query:"view" doc:"A saved deal view's id (GET /views?object=deal): its filter and sort apply where filter or sort is not given"`
	Filter string `query:"filter" doc:"A filter-language expression, e.g. stage = \"Proposal\" and value >= 5000 and owner = me() (docs/FILTERS.md)"`
	Sort   string `query:"sort" doc:"Comma-separated: title, value, expected_close, status, created_at, updated_at, stage_entered_at; - for descending"`
	Limit  int    `query:"limit" minimum:"1" maximum:"200" default:"50"`
	Cursor string `query:"cursor" doc:"next_cursor of the previous page"`
	Fields string `query:"fields" doc:"Comma-separated fields to return (id is always returned); a dot picks keys of an object field: address.city, custom.region"`
}

type dealListOutput struct{ Body dealList }

type dealOutput struct {
	ETag string `header:"ETag"`
	Body Deal
}

type dealGetInput struct {
	ID     string `path:"id"`
	Fields string `query:"fields"`
}

type dealCreateInput struct{ Body DealInput }

type dealPatchInput struct {
	ID      string `path:"id"`
	IfMatch string `header:"If-Match" doc:"The version from the ETag or the version field; 412 if the deal changed since"`
	Body    DealInput
}

type dealMoveInput struct {
	ID      string `path:"id"`
	IfMatch string `header:"If-Match"`
	Body    struct {
		StageID crm.ID `json:"stage_id,omitempty" doc:"A stage of this or another pipeline (required)"`
	} `required:"false"`
}

type dealActInput struct {
	ID      string `path:"id"`
	IfMatch string `header:"If-Match"`
}

type dealLostInput struct {
	ID      string `path:"id"`
	IfMatch string `header:"If-Match"`
	Body    struct {
		Reason string `json:"reason,omitempty" maxLength:"200" doc:"Required: one of GET /lost-reasons (matched ignoring case); any text while that list is empty"`
	} `required:"false"`
}

// StageVisit is one stay of a deal in a stage.
type StageVisit struct {
	StageID   crm.ID     `json:"stage_id"`
	Stage     string     `json:"stage" doc:"The stage's name when the deal entered it"`
	EnteredAt time.Time  `json:"entered_at"`
	LeftAt    *time.Time `json:"left_at" doc:"null while the deal is there"`
}

type historyOutput struct {
	Body struct {
		Data []StageVisit `json:"data"`
	}
}

func (a *API) dealRoutes() {
	tags := []string{"Deals"}
	reg := func(op huma.Operation) huma.Operation { op.Tags = tags; return op }
	huma.Register(a.huma, reg(huma.Operation{OperationID: "list-deals", Method: http.MethodGet, Path: "/deals",
		Summary: "List deals", Description: "Filter, sort and page through deals (keyset pagination: follow next_cursor)."}), a.listDeals)
	huma.Register(a.huma, reg(huma.Operation{OperationID: "create-deal", Method: http.MethodPost, Path: "/deals",
		Summary: "Create a deal", DefaultStatus: http.StatusCreated,
		Description: "Without stage_id the deal starts in the first stage of pipeline_id, or of the default pipeline."}), a.createDeal)
	huma.Register(a.huma, reg(huma.Operation{OperationID: "get-deal", Method: http.MethodGet, Path: "/deals/{id}",
		Summary: "Get a deal"}), a.getDeal)
	huma.Register(a.huma, reg(huma.Operation{OperationID: "update-deal", Method: http.MethodPatch, Path: "/deals/{id}",
		Summary: "Update a deal", Description: "Partial update. Send If-Match for optimistic concurrency. Status changes through won, lost and reopen."}), a.updateDeal)
	huma.Register(a.huma, reg(huma.Operation{OperationID: "delete-deal", Method: http.MethodDelete, Path: "/deals/{id}",
		Summary: "Delete a deal", Description: "Moves the deal to the trash.", DefaultStatus: http.StatusNoContent}), a.deleteDeal)
	huma.Register(a.huma, reg(huma.Operation{OperationID: "move-deal", Method: http.MethodPost, Path: "/deals/{id}/move",
		Summary: "Move a deal to a stage", Description: "Closes its stay in the old stage and opens one in the new (stage history)."}), a.moveDeal)
	huma.Register(a.huma, reg(huma.Operation{OperationID: "win-deal", Method: http.MethodPost, Path: "/deals/{id}/won",
		Summary: "Mark a deal won", Description: "Sets status won and closed_at now."}), a.winDeal)
	huma.Register(a.huma, reg(huma.Operation{OperationID: "lose-deal", Method: http.MethodPost, Path: "/deals/{id}/lost",
		Summary: "Mark a deal lost", Description: "Sets status lost, the reason and closed_at now."}), a.loseDeal)
	huma.Register(a.huma, reg(huma.Operation{OperationID: "reopen-deal", Method: http.MethodPost, Path: "/deals/{id}/reopen",
		Summary: "Reopen a won or lost deal", Description: "Back to open in the stage it was in; its time in the stage starts again."}), a.reopenDeal)
	huma.Register(a.huma, reg(huma.Operation{OperationID: "undo-deal", Method: http.MethodPost, Path: "/deals/{id}/undo",
		Summary: "Undo your last move or decision on a deal",
		Description: "Takes back your last move to another stage (the deal returns with the time it had entered its stage, and the stay " +
			"the move began leaves the stage history) or the last won/lost decision (reopened in its stay), within 15 minutes. " +
			"If-Match is required: the version the move or decision gave the deal. Any change since, or nothing to undo, is a 412."}), a.undoDeal)
	huma.Register(a.huma, reg(huma.Operation{OperationID: "get-deal-history", Method: http.MethodGet, Path: "/deals/{id}/history",
		Summary: "A deal's stage history", Description: "Every stay in a stage, oldest first."}), a.dealHistory)
	a.dealBulkRoutes()
}

func (a *API) listDeals(ctx context.Context, in *dealListInput) (*dealListOutput, error) {
	p := principal(ctx)
	out := &dealListOutput{Body: dealList{Data: []Deal{}}}
	return out, a.read(ctx, func(tx *store.Tx) error {
		q := records.ListQuery{Filter: in.Filter, Sort: in.Sort, Limit: in.Limit, Cursor: in.Cursor}
		if err := applyDealView(tx, p, in.View, &q); err != nil {
			return err
		}
		page, err := deals.QueryDeals(tx, p, q)
		if err != nil {
			return err
		}
		defs, err := records.ListFields(tx, p.WorkspaceID, "deal", false)
		only := fieldSet(in.Fields)
		for _, d := range page.Items {
			out.Body.Data = append(out.Body.Data, dealOut(d, defs, tx.Now, only))
		}
		out.Body.NextCursor = page.Next
		if in.Cursor == "" {
			out.Body.TotalEst, out.Body.TotalIsExact = &page.Total, &page.TotalExact
		}
		return err
	})
}

func (a *API) dealResponse(tx *store.Tx, p crm.Principal, d deals.Deal, only map[string]bool) (*dealOutput, error) {
	defs, err := records.ListFields(tx, p.WorkspaceID, "deal", false)
	return &dealOutput{ETag: fmt.Sprintf(`"%d"`, d.Version), Body: dealOut(d, defs, tx.Now, only)}, err
}

func (a *API) getDeal(ctx context.Context, in *dealGetInput) (*dealOutput, error) {
	id, err := a.id(ctx, in.ID, false)
	if err != nil {
		return nil, err
	}
	var out *dealOutput
	err = a.read(ctx, func(tx *store.Tx) error {
		d, err := deals.ViewDeal(tx, principal(ctx), id)
		if err != nil {
			return err
		}
		out, err = a.dealResponse(tx, principal(ctx), d, fieldSet(in.Fields))
		return err
	})
	if err == nil {
		a.viewed(ctx, audit.RecordViewed, "deal", id, nil)
	}
	return out, err
}

func (a *API) createDeal(ctx context.Context, in *dealCreateInput) (*dealOutput, error) {
	if err := in.Body.check(); err != nil {
		return nil, a.fail(ctx, err)
	}
	var out *dealOutput
	err := a.write(ctx, func(tx *store.Tx) error {
		d, err := deals.CreateDeal(tx, principal(ctx), in.Body.create())
		if err != nil {
			return err
		}
		out, err = a.dealResponse(tx, principal(ctx), d, nil)
		return err
	})
	return out, err
}

// change runs one deal-changing operation with If-Match; a version
// conflict is 412.
func (a *API) change(ctx context.Context, idStr, ifMatch string, fn func(tx *store.Tx, id crm.ID, version int64) (deals.Deal, error)) (*dealOutput, error) {
	id, err := a.id(ctx, idStr, false)
	if err != nil {
		return nil, err
	}
	version, err := parseIfMatch(ifMatch)
	if err != nil {
		return nil, err
	}
	var out *dealOutput
	err = a.DB.Write(ctx, func(tx *store.Tx) error {
		d, err := fn(tx, id, version)
		if err != nil {
			return err
		}
		out, err = a.dealResponse(tx, principal(ctx), d, nil)
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

func (a *API) updateDeal(ctx context.Context, in *dealPatchInput) (*dealOutput, error) {
	if err := in.Body.check(); err != nil {
		return nil, a.fail(ctx, err)
	}
	return a.change(ctx, in.ID, in.IfMatch, func(tx *store.Tx, id crm.ID, v int64) (deals.Deal, error) {
		return deals.UpdateDeal(tx, principal(ctx), id, in.Body.patch(), v)
	})
}

func (a *API) deleteDeal(ctx context.Context, in *pathID) (*struct{}, error) {
	id, err := a.id(ctx, in.ID, false)
	if err != nil {
		return nil, err
	}
	return nil, a.write(ctx, func(tx *store.Tx) error { return deals.DeleteDeal(tx, principal(ctx), id) })
}

func (a *API) moveDeal(ctx context.Context, in *dealMoveInput) (*dealOutput, error) {
	return a.change(ctx, in.ID, in.IfMatch, func(tx *store.Tx, id crm.ID, v int64) (deals.Deal, error) {
		return deals.Move(tx, principal(ctx), id, in.Body.StageID, v)
	})
}

func (a *API) winDeal(ctx context.Context, in *dealActInput) (*dealOutput, error) {
	return a.change(ctx, in.ID, in.IfMatch, func(tx *store.Tx, id crm.ID, v int64) (deals.Deal, error) {
		return deals.Win(tx, principal(ctx), id, v)
	})
}

func (a *API) loseDeal(ctx context.Context, in *dealLostInput) (*dealOutput, error) {
	return a.change(ctx, in.ID, in.IfMatch, func(tx *store.Tx, id crm.ID, v int64) (deals.Deal, error) {
		return deals.Lose(tx, principal(ctx), id, in.Body.Reason, v)
	})
}

func (a *API) reopenDeal(ctx context.Context, in *dealActInput) (*dealOutput, error) {
	return a.change(ctx, in.ID, in.IfMatch, func(tx *store.Tx, id crm.ID, v int64) (deals.Deal, error) {
		return deals.Reopen(tx, principal(ctx), id, v)
	})
}

func (a *API) undoDeal(ctx context.Context, in *dealActInput) (*dealOutput, error) {
	if strings.TrimSpace(in.IfMatch) == "" {
		// Another workspace's deal, or one p may not see, is a 404 first.
		id, err := a.id(ctx, in.ID, false)
		if err != nil {
			return nil, err
		}
		if err := a.read(ctx, func(tx *store.Tx) error { _, err := deals.ViewDeal(tx, principal(ctx), id); return err }); err != nil {
			return nil, err
		}
		return nil, huma.Error428PreconditionRequired("Send If-Match with the version the move or decision gave the deal.")
	}
	return a.change(ctx, in.ID, in.IfMatch, func(tx *store.Tx, id crm.ID, v int64) (deals.Deal, error) {
		return deals.Undo(tx, principal(ctx), id, v)
	})
}

func (a *API) dealHistory(ctx context.Context, in *pathID) (*historyOutput, error) {
	id, err := a.id(ctx, in.ID, false)
	if err != nil {
		return nil, err
	}
	out := &historyOutput{}
	out.Body.Data = []StageVisit{}
	return out, a.read(ctx, func(tx *store.Tx) error {
		h, err := deals.History(tx, principal(ctx), id)
		for _, v := range h {
			sv := StageVisit{StageID: v.StageID, Stage: v.StageName, EnteredAt: v.EnteredAt}
			if !v.LeftAt.IsZero() {
				t := v.LeftAt
				sv.LeftAt = &t
			}
			out.Body.Data = append(out.Body.Data, sv)
		}
		return err
	})
}

// applyDealView fills a deal list's filter and sort from saved view id
// where the request leaves them empty.
func applyDealView(tx *store.Tx, p crm.Principal, id string, q *records.ListQuery) error {
	if id == "" {
		return nil
	}
	vid, err := crm.ParseID(id)
	if err != nil {
		return crm.Errorf(crm.NotFound, "No such view.")
	}
	v, err := views.Get(tx, p, vid)
	if err != nil {
		return err
	}
	if v.Object != "deal" {
		return (crm.FieldErrors{"view": "This view lists " + v.Object + " records, not deals."}).Err()
	}
	if q.Filter == "" {
		q.Filter = v.Filter
	}
	if q.Sort == "" {
		q.Sort = v.Sort
	}
	return nil
}

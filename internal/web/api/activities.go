package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
	"github.com/riverqueue/river"

	"github.com/tandemcrm/tandem/internal/activities"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

type activityList struct {
	Data         []Activity `json:"data"`
	NextCursor   string     `json:"next_cursor,omitempty" doc:"Absent on the last page"`
	TotalEst     *int       `json:"total_estimate,omitempty" doc:"Matches on the first page's query, counted up to 1,000 within a time budget (a lower bound when it ran out)"`
	TotalIsExact *bool      `json:"total_is_exact,omitempty"`
}

type activityListOutput struct{ Body activityList }

type activityOutput struct {
	ETag string `header:"ETag"`
	Body Activity
}

type activityIDInput struct {
	ID     string `path:"id" doc:"Activity id"`
	Fields string `query:"fields"`
}

type activityCreateInput struct{ Body ActivityInput }

type activityPatchInput struct {
	ID      string `path:"id"`
	IfMatch string `header:"If-Match" doc:"The version from the ETag or the version field; the update fails with 412 if the activity changed since"`
	Body    ActivityInput
}

type activityDoneInput struct {
	ID   string `path:"id"`
	Body *struct {
		Outcome *string `json:"outcome,omitempty" maxLength:"2000" doc:"What came of it; left out keeps the current outcome"`
	}
}

type myDayInput struct {
	Bucket string `query:"bucket" enum:"overdue,today,upcoming" default:"today"`
	Limit  int    `query:"limit" minimum:"1" maximum:"200" default:"50"`
	Cursor string `query:"cursor" doc:"next_cursor of the previous page of the same bucket"`
}

func (a *API) activityRoutes() {
	tags := []string{"Activities"}
	reg := func(op huma.Operation) huma.Operation { op.Tags = tags; return op }
	huma.Register(a.huma, reg(huma.Operation{OperationID: "list-activities", Method: http.MethodGet, Path: "/activities",
		Summary: "List activities", Description: "Filter, sort (default due_at) and page through the activities the key's user may see."}), a.listActivities)
	huma.Register(a.huma, reg(huma.Operation{OperationID: "my-day", Method: http.MethodGet, Path: "/activities/my-day",
		Summary: "My day", Description: "The key's user's open activities that are overdue, due today or upcoming, in their time zone, soonest first."}), a.myDay)
	huma.Register(a.huma, reg(huma.Operation{OperationID: "create-activity", Method: http.MethodPost, Path: "/activities",
		Summary: "Create an activity", DefaultStatus: http.StatusCreated}), a.createActivity)
	huma.Register(a.huma, reg(huma.Operation{OperationID: "get-activity", Method: http.MethodGet, Path: "/activities/{id}",
		Summary: "Get an activity"}), a.getActivity)
	huma.Register(a.huma, reg(huma.Operation{OperationID: "update-activity", Method: http.MethodPatch, Path: "/activities/{id}",
		Summary: "Update an activity", Description: "Partial update. Send If-Match for optimistic concurrency."}), a.updateActivity)
	huma.Register(a.huma, reg(huma.Operation{OperationID: "delete-activity", Method: http.MethodDelete, Path: "/activities/{id}",
		Summary: "Delete an activity", Description: "Moves it to the trash.", DefaultStatus: http.StatusNoContent}), a.deleteActivity)
	huma.Register(a.huma, reg(huma.Operation{OperationID: "activity-done", Method: http.MethodPost, Path: "/activities/{id}/done",
		Summary: "Mark an activity done", Description: "Optionally with an outcome. Marking a done activity done again changes nothing."}), a.activityDone)
	huma.Register(a.huma, reg(huma.Operation{OperationID: "activity-undone", Method: http.MethodPost, Path: "/activities/{id}/undone",
		Summary: "Open a done activity again", Description: "Its outcome stays."}), a.activityUndone)
	huma.Register(a.huma, reg(huma.Operation{OperationID: "activity-invite", Method: http.MethodPost, Path: "/activities/{id}/invite",
		Summary: "Email a meeting's invitation", Description: "Queues one email per contact with an address, with the meeting attached as invite.ics " +
			"(METHOD:REQUEST). Sending the same version again queues nothing. Meetings only."}), a.activityInvite)
	huma.Register(a.huma, reg(huma.Operation{OperationID: "bulk-create-activities", Method: http.MethodPost, Path: "/activities/bulk",
		Summary: "Create up to 1,000 activities", DefaultStatus: http.StatusCreated,
		Description: "All or nothing: errors are keyed items.N.field."}), a.bulkCreateActivities)
	huma.Register(a.huma, reg(huma.Operation{OperationID: "bulk-update-activities", Method: http.MethodPatch, Path: "/activities/bulk",
		Summary: "Update up to 1,000 activities", Description: "All or nothing. Each item carries its id and the fields to change."}), a.bulkUpdateActivities)
}

func (a *API) listActivities(ctx context.Context, in *listInput) (*activityListOutput, error) {
	p := principal(ctx)
	out := &activityListOutput{Body: activityList{Data: []Activity{}}}
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		page, err := activities.Query(tx, p, activities.ListQuery{Filter: in.Filter, Sort: in.Sort, Cursor: in.Cursor, Limit: in.Limit})
		if err != nil {
			return err
		}
		only := fieldSet(in.Fields)
		for _, it := range page.Items {
			out.Body.Data = append(out.Body.Data, activityOut(it, only))
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

func (a *API) myDay(ctx context.Context, in *myDayInput) (*activityListOutput, error) {
	p := principal(ctx)
	out := &activityListOutput{Body: activityList{Data: []Activity{}}}
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		loc, err := activities.Zone(tx, p)
		if err != nil {
			return err
		}
		page, err := activities.MyDay(tx, p, activities.Day{Now: tx.Now, Loc: loc}, activities.Bucket(in.Bucket), in.Cursor, in.Limit)
		for _, it := range page.Items {
			out.Body.Data = append(out.Body.Data, activityOut(it, nil))
		}
		out.Body.NextCursor = page.Next
		return err
	})
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	return out, nil
}

func activityResponse(it activities.Activity, only map[string]bool) *activityOutput {
	return &activityOutput{ETag: fmt.Sprintf(`"%d"`, it.Version), Body: activityOut(it, only)}
}

// activityWrite runs one change of one activity and answers with it.
func (a *API) activityWrite(ctx context.Context, rawID string, fn func(*store.Tx, crm.Principal, crm.ID) (activities.Activity, error)) (*activityOutput, error) {
	p := principal(ctx)
	var id crm.ID
	var err error
	if rawID != "" {
		if id, err = crm.ParseID(rawID); err != nil {
			return nil, a.fail(ctx, crm.Errorf(crm.NotFound, "No such activity."))
		}
	}
	var out *activityOutput
	err = a.DB.Write(ctx, func(tx *store.Tx) error {
		it, err := fn(tx, p, id)
		if err == nil {
			out = activityResponse(it, nil)
		}
		return err
	})
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	return out, nil
}

func (a *API) getActivity(ctx context.Context, in *activityIDInput) (*activityOutput, error) {
	p := principal(ctx)
	id, err := crm.ParseID(in.ID)
	if err != nil {
		return nil, a.fail(ctx, crm.Errorf(crm.NotFound, "No such activity."))
	}
	var out *activityOutput
	err = a.DB.Read(ctx, func(tx *store.Tx) error {
		it, err := activities.View(tx, p, id)
		out = activityResponse(it, fieldSet(in.Fields))
		return err
	})
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	return out, nil
}

func (a *API) createActivity(ctx context.Context, in *activityCreateInput) (*activityOutput, error) {
	return a.activityWrite(ctx, "", func(tx *store.Tx, p crm.Principal, _ crm.ID) (activities.Activity, error) {
		return activities.Create(tx, p, in.Body.domain())
	})
}

func (a *API) updateActivity(ctx context.Context, in *activityPatchInput) (*activityOutput, error) {
	version, err := parseIfMatch(in.IfMatch)
	if err != nil {
		return nil, err
	}
	out, err := a.activityWrite(ctx, in.ID, func(tx *store.Tx, p crm.Principal, id crm.ID) (activities.Activity, error) {
		return activities.Update(tx, p, id, in.Body.domain(), version)
	})
	var pr *problem
	if version != 0 && errors.As(err, &pr) && pr.Code == crm.Conflict {
		return nil, huma.Error412PreconditionFailed(pr.Detail)
	}
	return out, err
}

func (a *API) deleteActivity(ctx context.Context, in *activityIDInput) (*struct{}, error) {
	_, err := a.activityWrite(ctx, in.ID, func(tx *store.Tx, p crm.Principal, id crm.ID) (activities.Activity, error) {
		return activities.Activity{}, activities.Delete(tx, p, id)
	})
	return nil, err
}

func (a *API) activityDone(ctx context.Context, in *activityDoneInput) (*activityOutput, error) {
	var outcome *string
	if in.Body != nil {
		outcome = in.Body.Outcome
	}
	return a.activityWrite(ctx, in.ID, func(tx *store.Tx, p crm.Principal, id crm.ID) (activities.Activity, error) {
		return activities.MarkDone(tx, p, id, outcome)
	})
}

func (a *API) activityUndone(ctx context.Context, in *activityIDInput) (*activityOutput, error) {
	return a.activityWrite(ctx, in.ID, func(tx *store.Tx, p crm.Principal, id crm.ID) (activities.Activity, error) {
		return activities.MarkUndone(tx, p, id)
	})
}

type activityBulkCreateInput struct {
	Body struct {
		Items []ActivityInput `json:"items" minItems:"1" maxItems:"1000"`
	}
}

type activityBulkUpdateItem struct {
	ID crm.ID `json:"id"`
	ActivityInput
}

type activityBulkUpdateInput struct {
	Body struct {
		Items []activityBulkUpdateItem `json:"items" minItems:"1" maxItems:"1000"`
	}
}

func presentActivities(_ *store.Tx, _ crm.Principal, as []activities.Activity) ([]Activity, error) {
	out := make([]Activity, 0, len(as))
	for _, it := range as {
		out = append(out, activityOut(it, nil))
	}
	return out, nil
}

func (a *API) bulkCreateActivities(ctx context.Context, in *activityBulkCreateInput) (*bulkOutput[Activity], error) {
	p := principal(ctx)
	return bulk(a, ctx, len(in.Body.Items), func(tx *store.Tx, i int) (activities.Activity, error) {
		return activities.Create(tx, p, in.Body.Items[i].domain())
	}, presentActivities)
}

func (a *API) bulkUpdateActivities(ctx context.Context, in *activityBulkUpdateInput) (*bulkOutput[Activity], error) {
	p := principal(ctx)
	return bulk(a, ctx, len(in.Body.Items), func(tx *store.Tx, i int) (activities.Activity, error) {
		it := in.Body.Items[i]
		return activities.Update(tx, p, it.ID, it.domain(), 0)
	}, presentActivities)
}

type inviteOutput struct {
	Body struct {
		Queued int `json:"queued" doc:"Invitations queued now (0 when this version was sent already)"`
	}
}

// noQueue keeps mail in the outbox without delivering it (tests).
type noQueue struct{}

func (noQueue) Enqueue(*store.Tx, river.JobArgs, *river.InsertOpts) error { return nil }

func (a *API) activityInvite(ctx context.Context, in *activityIDInput) (*inviteOutput, error) {
	p := principal(ctx)
	id, err := crm.ParseID(in.ID)
	if err != nil {
		return nil, a.fail(ctx, crm.Errorf(crm.NotFound, "No such activity."))
	}
	q := a.Queue
	if q == nil {
		q = noQueue{}
	}
	out := &inviteOutput{}
	err = a.DB.Write(ctx, func(tx *store.Tx) (err error) {
		out.Body.Queued, err = activities.Invite(tx, q, p, id, a.BaseURL)
		return err
	})
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	return out, nil
}

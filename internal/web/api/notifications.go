package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/tandemcrm/tandem/internal/activities"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// Notification is one entry of the key's user's notification centre.
type Notification struct {
	ID        crm.ID     `json:"id"`
	Kind      string     `json:"kind" doc:"reminder"`
	Title     string     `json:"title"`
	Body      string     `json:"body"`
	URL       string     `json:"url" doc:"Path of what it is about, e.g. /activities/123"`
	CreatedAt time.Time  `json:"created_at"`
	ReadAt    *time.Time `json:"read_at"`
}

type notificationsInput struct {
	Before string `query:"before" doc:"Only notifications older than this id (the last id of the previous page)"`
	Limit  int    `query:"limit" minimum:"1" maximum:"200" default:"50"`
}

type notificationsOutput struct {
	Body struct {
		Data   []Notification `json:"data"`
		Unread int            `json:"unread" doc:"Unread notifications, counted up to 100"`
	}
}

type notificationIDInput struct {
	ID string `path:"id"`
}

func (a *API) notificationRoutes() {
	tags := []string{"Notifications"}
	huma.Register(a.huma, huma.Operation{OperationID: "list-notifications", Method: http.MethodGet, Path: "/notifications", Tags: tags,
		Summary: "List notifications", Description: "The key's user's notifications in this workspace, newest first."}, a.listNotifications)
	huma.Register(a.huma, huma.Operation{OperationID: "read-notification", Method: http.MethodPost, Path: "/notifications/{id}/read", Tags: tags,
		Summary: "Mark a notification read", DefaultStatus: http.StatusNoContent}, a.readNotification)
	huma.Register(a.huma, huma.Operation{OperationID: "read-all-notifications", Method: http.MethodPost, Path: "/notifications/read-all", Tags: tags,
		Summary: "Mark every notification read", DefaultStatus: http.StatusNoContent}, a.readAllNotifications)
}

func (a *API) listNotifications(ctx context.Context, in *notificationsInput) (*notificationsOutput, error) {
	p := principal(ctx)
	out := &notificationsOutput{}
	out.Body.Data = []Notification{}
	var before crm.ID
	if in.Before != "" {
		var err error
		if before, err = crm.ParseID(in.Before); err != nil {
			return nil, a.fail(ctx, (crm.FieldErrors{"before": "Use the id of a notification."}).Err())
		}
	}
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		ns, err := activities.Notifications(tx, p, before, in.Limit)
		if err != nil {
			return err
		}
		for _, n := range ns {
			it := Notification{ID: n.ID, Kind: n.Kind, Title: n.Title, Body: n.Body, URL: n.URL, CreatedAt: n.CreatedAt}
			if !n.ReadAt.IsZero() {
				r := n.ReadAt
				it.ReadAt = &r
			}
			out.Body.Data = append(out.Body.Data, it)
		}
		out.Body.Unread, err = activities.Unread(tx, p)
		return err
	})
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	return out, nil
}

func (a *API) readNotification(ctx context.Context, in *notificationIDInput) (*struct{}, error) {
	p := principal(ctx)
	id, err := crm.ParseID(in.ID)
	if err != nil {
		err = crm.Errorf(crm.NotFound, "No such notification.")
	} else {
		err = a.DB.Write(ctx, func(tx *store.Tx) error { return activities.MarkRead(tx, p, id) })
	}
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	return nil, nil
}

func (a *API) readAllNotifications(ctx context.Context, _ *struct{}) (*struct{}, error) {
	p := principal(ctx)
	if err := a.DB.Write(ctx, func(tx *store.Tx) error { return activities.MarkAllRead(tx, p) }); err != nil {
		return nil, a.fail(ctx, err)
	}
	return nil, nil
}

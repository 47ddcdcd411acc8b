package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/views"
)

// View is a saved list view.
type View struct {
	ID      crm.ID   `json:"id"`
	Object  string   `json:"object" enum:"contact,company,deal"`
	Name    string   `json:"name"`
	Filter  string   `json:"filter" doc:"Filter-language text, in canonical form"`
	Sort    string   `json:"sort" doc:"e.g. -created_at,last_name"`
	Columns []string `json:"columns" doc:"Column keys: name, email, custom.region, …"`
	OwnerID crm.ID   `json:"owner_id"`
	Shared  bool     `json:"shared" doc:"Visible to the whole workspace; otherwise only to its owner"`
}

func viewOut(v views.View) View {
	out := View{ID: v.ID, Object: v.Object, Name: v.Name, Filter: v.Filter, Sort: v.Sort, Columns: v.Columns,
		OwnerID: v.OwnerID, Shared: v.Shared}
	if out.Columns == nil {
		out.Columns = []string{}
	}
	return out
}

type viewsInput struct {
	Object string `query:"object" enum:"contact,company,deal" doc:"Only this object's views"`
}

type viewsOutput struct {
	Body struct {
		Data []View `json:"data"`
	}
}

type viewBody struct {
	Name    *string   `json:"name,omitempty" maxLength:"80"`
	Filter  *string   `json:"filter,omitempty" maxLength:"8192"`
	Sort    *string   `json:"sort,omitempty" maxLength:"200"`
	Columns *[]string `json:"columns,omitempty" maxItems:"40"`
	Shared  *bool     `json:"shared,omitempty"`
}

type viewCreateInput struct {
	Body struct {
		Object  string    `json:"object" enum:"contact,company,deal"`
		Name    string    `json:"name" maxLength:"80"`
		Filter  *string   `json:"filter,omitempty" maxLength:"8192"`
		Sort    *string   `json:"sort,omitempty" maxLength:"200"`
		Columns *[]string `json:"columns,omitempty" maxItems:"40"`
		Shared  *bool     `json:"shared,omitempty"`
	}
}

type viewIDInput struct {
	ID string `path:"id" doc:"View id"`
}

type viewPatchInput struct {
	ID   string `path:"id"`
	Body viewBody
}

type viewOutput struct{ Body View }

func (a *API) viewRoutes() {
	tags := []string{"Saved views"}
	huma.Register(a.huma, huma.Operation{OperationID: "list-views", Method: http.MethodGet, Path: "/views", Tags: tags,
		Summary: "List saved views", Description: "The workspace's shared views and your own private ones."}, a.listViews)
	huma.Register(a.huma, huma.Operation{OperationID: "create-view", Method: http.MethodPost, Path: "/views", Tags: tags,
		Summary: "Save a view", DefaultStatus: http.StatusCreated,
		Description: "The filter and sort are checked against the object's fields (custom ones included)."}, a.createView)
	huma.Register(a.huma, huma.Operation{OperationID: "get-view", Method: http.MethodGet, Path: "/views/{id}", Tags: tags,
		Summary: "Get a saved view"}, a.getView)
	huma.Register(a.huma, huma.Operation{OperationID: "update-view", Method: http.MethodPatch, Path: "/views/{id}", Tags: tags,
		Summary: "Change a saved view", Description: "Its owner may change it; admins may change shared views."}, a.updateView)
	huma.Register(a.huma, huma.Operation{OperationID: "delete-view", Method: http.MethodDelete, Path: "/views/{id}", Tags: tags,
		Summary: "Delete a saved view", DefaultStatus: http.StatusNoContent}, a.deleteView)
}

func (a *API) listViews(ctx context.Context, in *viewsInput) (*viewsOutput, error) {
	out := &viewsOutput{}
	out.Body.Data = []View{}
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		vs, err := views.List(tx, principal(ctx), in.Object)
		for _, v := range vs {
			out.Body.Data = append(out.Body.Data, viewOut(v))
		}
		return err
	})
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	return out, nil
}

func (a *API) createView(ctx context.Context, in *viewCreateInput) (*viewOutput, error) {
	b := in.Body
	var v views.View
	err := a.DB.Write(ctx, func(tx *store.Tx) (err error) {
		v, err = views.Create(tx, principal(ctx), views.Input{Object: b.Object, Name: &b.Name, Filter: b.Filter, Sort: b.Sort,
			Columns: b.Columns, Shared: b.Shared})
		return err
	})
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	return &viewOutput{Body: viewOut(v)}, nil
}

func (a *API) getView(ctx context.Context, in *viewIDInput) (*viewOutput, error) {
	id, err := viewID(in.ID)
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	var v views.View
	if err := a.DB.Read(ctx, func(tx *store.Tx) (err error) { v, err = views.Get(tx, principal(ctx), id); return err }); err != nil {
		return nil, a.fail(ctx, err)
	}
	return &viewOutput{Body: viewOut(v)}, nil
}

func (a *API) updateView(ctx context.Context, in *viewPatchInput) (*viewOutput, error) {
	id, err := viewID(in.ID)
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	b := in.Body
	var v views.View
	err = a.DB.Write(ctx, func(tx *store.Tx) (err error) {
		v, err = views.Update(tx, principal(ctx), id, views.Input{Name: b.Name, Filter: b.Filter, Sort: b.Sort, Columns: b.Columns, Shared: b.Shared})
		return err
	})
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	return &viewOutput{Body: viewOut(v)}, nil
}

func (a *API) deleteView(ctx context.Context, in *viewIDInput) (*struct{}, error) {
	id, err := viewID(in.ID)
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	if err := a.DB.Write(ctx, func(tx *store.Tx) error { return views.Delete(tx, principal(ctx), id) }); err != nil {
		return nil, a.fail(ctx, err)
	}
	return nil, nil
}

func viewID(s string) (crm.ID, error) {
	id, err := crm.ParseID(s)
	if err != nil {
		return 0, crm.Errorf(crm.NotFound, "No such view.")
	}
	return id, nil
}

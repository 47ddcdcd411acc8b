package api

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/notes"
	"github.com/tandemcrm/tandem/internal/store"
)

// Note is a note on a record.
type Note struct {
	ID         crm.ID    `json:"id"`
	ObjectType string    `json:"object_type" enum:"contact,company,deal"`
	ObjectID   crm.ID    `json:"object_id"`
	Body       string    `json:"body" doc:"Markdown; mention a teammate as @their@email"`
	HTML       string    `json:"html" doc:"The body rendered and sanitised (no raw HTML, scripts or images)"`
	Pinned     bool      `json:"pinned"`
	AuthorID   crm.ID    `json:"author_id"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
	Version    int64     `json:"version"`
}

func noteOut(n notes.Note) Note {
	return Note{ID: n.ID, ObjectType: n.ObjectType, ObjectID: n.ObjectID, Body: n.Body, HTML: n.HTML, Pinned: n.Pinned,
		AuthorID: n.AuthorID, CreatedAt: n.CreatedAt, UpdatedAt: n.UpdatedAt, Version: n.Version}
}

type notesListInput struct {
	ObjectType string `query:"object_type" required:"true" enum:"contact,company,deal"`
	ObjectID   string `query:"object_id" required:"true"`
	Limit      int    `query:"limit" minimum:"1" maximum:"200" default:"100"`
}

type notesListOutput struct {
	Body struct {
		Data []Note `json:"data"`
	}
}

type noteCreateInput struct {
	Body struct {
		ObjectType string `json:"object_type" enum:"contact,company,deal"`
		ObjectID   crm.ID `json:"object_id"`
		Body       string `json:"body" maxLength:"50000"`
		Pinned     bool   `json:"pinned,omitempty"`
	}
}

type notePatchInput struct {
	ID      string `path:"id"`
	IfMatch string `header:"If-Match"`
	Body    struct {
		Body   *string `json:"body,omitempty" maxLength:"50000"`
		Pinned *bool   `json:"pinned,omitempty"`
	}
}

type noteOutput struct {
	ETag string `header:"ETag"`
	Body Note
}

type noteIDInput struct {
	ID string `path:"id"`
}

func (a *API) noteRoutes() {
	op := func(id, method, path, summary string, status int) huma.Operation {
		return huma.Operation{OperationID: id, Method: method, Path: path, Summary: summary, DefaultStatus: status, Tags: []string{"Notes"}}
	}
	huma.Register(a.huma, op("list-notes", http.MethodGet, "/notes", "List a record's notes (pinned first, then newest)", 0), a.listNotes)
	huma.Register(a.huma, op("create-note", http.MethodPost, "/notes", "Add a note to a record", http.StatusCreated), a.createNote)
	huma.Register(a.huma, op("update-note", http.MethodPatch, "/notes/{id}", "Edit or pin a note", 0), a.updateNote)
	huma.Register(a.huma, op("delete-note", http.MethodDelete, "/notes/{id}", "Delete a note", http.StatusNoContent), a.deleteNote)
}

func (a *API) listNotes(ctx context.Context, in *notesListInput) (*notesListOutput, error) {
	p := principal(ctx)
	id, err := crm.ParseID(in.ObjectID)
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	out := &notesListOutput{}
	out.Body.Data = []Note{}
	err = a.DB.Read(ctx, func(tx *store.Tx) error {
		ns, err := notes.List(tx, p.WorkspaceID, in.ObjectType, id, in.Limit)
		for _, n := range ns {
			out.Body.Data = append(out.Body.Data, noteOut(n))
		}
		return err
	})
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	return out, nil
}

func (a *API) createNote(ctx context.Context, in *noteCreateInput) (*noteOutput, error) {
	p := principal(ctx)
	var n notes.Note
	err := a.DB.Write(ctx, func(tx *store.Tx) (err error) {
		n, err = a.notes.Create(tx, p, in.Body.ObjectType, in.Body.ObjectID, in.Body.Body, in.Body.Pinned)
		return err
	})
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	return &noteOutput{ETag: fmt.Sprintf(`"%d"`, n.Version), Body: noteOut(n)}, nil
}

func (a *API) updateNote(ctx context.Context, in *notePatchInput) (*noteOutput, error) {
	p := principal(ctx)
	id, err := crm.ParseID(in.ID)
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	version, err := parseIfMatch(in.IfMatch)
	if err != nil {
		return nil, err
	}
	var n notes.Note
	err = a.DB.Write(ctx, func(tx *store.Tx) (err error) {
		n, err = a.notes.Update(tx, p, id, in.Body.Body, in.Body.Pinned, version)
		return err
	})
	if crm.ErrorCode(err) == crm.Conflict && version != 0 {
		return nil, huma.Error412PreconditionFailed(crm.ErrorMessage(err))
	}
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	return &noteOutput{ETag: fmt.Sprintf(`"%d"`, n.Version), Body: noteOut(n)}, nil
}

func (a *API) deleteNote(ctx context.Context, in *noteIDInput) (*struct{}, error) {
	p := principal(ctx)
	id, err := crm.ParseID(in.ID)
	if err == nil {
		err = a.DB.Write(ctx, func(tx *store.Tx) error { return notes.Delete(tx, p, id) })
	}
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	return nil, nil
}

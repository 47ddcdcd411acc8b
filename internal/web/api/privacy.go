package api

import (
	"bytes"
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/privacy"
	"github.com/tandemcrm/tandem/internal/store"
)

// Access, portability and erasure of one person; legal holds.

type contactIDInput struct {
	ID string `path:"id" doc:"Contact id"`
}

type zipOutput struct {
	ContentType        string `header:"Content-Type"`
	ContentDisposition string `header:"Content-Disposition"`
	Body               []byte
}

type reportOutput struct{ Body privacy.Report }

type holdInput struct {
	ID   string    `path:"id" doc:"Contact id"`
	Body *holdBody // absent: lift the hold
}

type holdBody struct {
	Reason string `json:"reason,omitempty" maxLength:"500" doc:"Why the person must be kept; empty lifts the hold"`
}

func (a *API) privacyRoutes() {
	op := func(id, method, path, summary string, status int) huma.Operation {
		return huma.Operation{OperationID: id, Method: method, Path: path, Summary: summary, DefaultStatus: status, Tags: []string{"Privacy"}}
	}
	exp := "Everything held about the person, as a zip: JSON and CSV per kind of data, the attachments and a README. Audited."
	o := op("export-contact", http.MethodGet, "/contacts/{id}/export", "Download a person's data (access / portability)", 0)
	o.Description = exp
	huma.Register(a.huma, o, a.exportContact)
	o = op("export-contact-post", http.MethodPost, "/contacts/{id}/export", "Download a person's data (access / portability)", 0)
	o.Description = exp
	huma.Register(a.huma, o, a.exportContact)
	huma.Register(a.huma, op("preview-erase-contact", http.MethodGet, "/contacts/{id}/erase",
		"Preview erasure: per kind of data, how many rows would be deleted or anonymised", 0), a.previewErase)
	o = op("erase-contact", http.MethodPost, "/contacts/{id}/erase", "Erase a person everywhere (irreversible)", 0)
	o.Description = "Deletes or irreversibly anonymises everything registered about the person and adds their addresses " +
		"and numbers to the suppression list. Owners and admins. 409 under legal hold. Afterwards the contact is 404."
	huma.Register(a.huma, o, a.eraseContact)
	huma.Register(a.huma, op("set-legal-hold", http.MethodPut, "/contacts/{id}/legal-hold",
		"Put a person under legal hold (no erasure) or lift it with an empty reason", http.StatusNoContent), a.setHold)
	a.privacyRequestRoutes()
}

func (a *API) exportContact(ctx context.Context, in *contactIDInput) (*zipOutput, error) {
	p := principal(ctx)
	id, err := crm.ParseID(in.ID)
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	var buf bytes.Buffer
	err = a.DB.Write(ctx, func(tx *store.Tx) error { _, err := a.Privacy.Export(tx, p, id, &buf); return err })
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	return &zipOutput{ContentType: "application/zip", ContentDisposition: `attachment; filename="contact-` + id.String() + `.zip"`,
		Body: buf.Bytes()}, nil
}

func (a *API) previewErase(ctx context.Context, in *contactIDInput) (*reportOutput, error) {
	p := principal(ctx)
	id, err := crm.ParseID(in.ID)
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	out := &reportOutput{}
	err = a.DB.Read(ctx, func(tx *store.Tx) (err error) { out.Body, err = a.Privacy.Preview(tx, p, id); return err })
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	return out, nil
}

func (a *API) eraseContact(ctx context.Context, in *contactIDInput) (*reportOutput, error) {
	p := principal(ctx)
	id, err := crm.ParseID(in.ID)
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	out := &reportOutput{}
	err = a.DB.Write(ctx, func(tx *store.Tx) (err error) { out.Body, err = a.Privacy.Erase(tx, p, id); return err })
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	return out, nil
}

func (a *API) setHold(ctx context.Context, in *holdInput) (*struct{}, error) {
	p := principal(ctx)
	id, err := crm.ParseID(in.ID)
	if err == nil {
		err = a.DB.Write(ctx, func(tx *store.Tx) error {
			reason := ""
			if in.Body != nil {
				reason = in.Body.Reason
			}
			return privacy.SetHold(tx, p, id, reason)
		})
	}
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	return nil, nil
}

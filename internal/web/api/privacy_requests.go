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

// The privacy-requests register, retention policies and the data inventory.

type requestListInput struct {
	Overdue bool `query:"overdue" doc:"Only open requests past their due date"`
	Limit   int  `query:"limit" minimum:"1" maximum:"500" default:"100"`
}

type requestListOutput struct {
	Body struct {
		Data []privacy.Request `json:"data"`
	}
}

type requestCreateInput struct {
	Body struct {
		Type       string `json:"type" enum:"access,portability,rectification,erasure,restriction,objection"`
		Regime     string `json:"regime,omitempty" enum:"gdpr,ccpa" doc:"Sets the due date: GDPR one month (extendable by two), CCPA 45 days (extendable once by 45). Default gdpr"`
		Email      string `json:"email" maxLength:"254" doc:"The address the request is about"`
		Name       string `json:"name,omitempty" maxLength:"200"`
		AgentName  string `json:"agent_name,omitempty" maxLength:"200" doc:"An authorised agent acting for the person"`
		AgentEmail string `json:"agent_email,omitempty" maxLength:"254"`
		Details    string `json:"details,omitempty" maxLength:"5000"`
	}
}

type requestOutput struct{ Body privacy.Request }

type requestIDInput struct {
	ID string `path:"id" doc:"Request id"`
}

type requestVerifyInput struct {
	ID   string `path:"id"`
	Body struct {
		Evidence  string `json:"evidence,omitempty" maxLength:"2000" doc:"How identity was checked; verifies at once"`
		SendEmail bool   `json:"send_email,omitempty" doc:"Instead, email a single-use confirmation link to the address"`
	}
}

type requestTextInput struct {
	ID   string    `path:"id"`
	Body *textBody // optional
}

type textBody struct {
	Text string `json:"text,omitempty" maxLength:"2000" doc:"Outcome (fulfil) or reason (extend, reject)"`
}

func (in *requestTextInput) text() string {
	if in.Body == nil {
		return ""
	}
	return in.Body.Text
}

type requestFulfilOutput struct {
	Body struct {
		Request privacy.Request `json:"request"`
		Erased  privacy.Report  `json:"erased"`
	}
}

type retentionOutput struct {
	Body struct {
		Data []privacy.Policy `json:"data" doc:"due: what the next run of the retention job would remove (dry run)"`
	}
}

type retentionSetInput struct {
	Kind string         `path:"kind"`
	Body *retentionBody // required in practice; optional so an unknown kind is a 404 first
}

type retentionBody struct {
	Days *int `json:"days,omitempty" minimum:"0" maximum:"36500" doc:"Required. 0 keeps the data forever"`
}

type inventoryItem struct {
	Kind          string   `json:"kind"`
	Title         string   `json:"title"`
	About         string   `json:"about" enum:"contacts,staff"`
	Tables        []string `json:"tables"`
	Description   string   `json:"description"`
	RetentionDays int      `json:"retention_days,omitempty"`
}

type inventoryOutput struct {
	Body struct {
		Data []inventoryItem `json:"data"`
	}
}

func (a *API) privacyRequestRoutes() {
	op := func(id, method, path, summary string, status int) huma.Operation {
		return huma.Operation{OperationID: id, Method: method, Path: path, Summary: summary, DefaultStatus: status, Tags: []string{"Privacy"}}
	}
	huma.Register(a.huma, op("list-privacy-requests", http.MethodGet, "/privacy-requests", "The privacy-requests register, open first by due date", 0), a.listRequests)
	huma.Register(a.huma, op("create-privacy-request", http.MethodPost, "/privacy-requests", "Register a request received by the team", http.StatusCreated), a.createRequest)
	huma.Register(a.huma, op("get-privacy-request", http.MethodGet, "/privacy-requests/{id}", "One request", 0), a.getRequest)
	huma.Register(a.huma, op("verify-privacy-request", http.MethodPost, "/privacy-requests/{id}/verify", "Verify identity: by evidence, or by emailing a confirmation link", 0), a.verifyRequest)
	huma.Register(a.huma, op("extend-privacy-request", http.MethodPost, "/privacy-requests/{id}/extend", "Extend the due date once, with the reason", 0), a.extendRequest)
	huma.Register(a.huma, op("fulfil-privacy-request", http.MethodPost, "/privacy-requests/{id}/fulfil", "Fulfil a verified request (erasure requests erase the person)", 0), a.fulfilRequest)
	huma.Register(a.huma, op("reject-privacy-request", http.MethodPost, "/privacy-requests/{id}/reject", "Refuse a request, with the reason", 0), a.rejectRequest)
	huma.Register(a.huma, op("download-privacy-request", http.MethodGet, "/privacy-requests/{id}/download", "The bundle answering a verified access or portability request (zip)", 0), a.downloadRequest)
	huma.Register(a.huma, op("list-retention-policies", http.MethodGet, "/privacy/retention", "Retention per kind of data, with a dry run of the next enforcement", 0), a.listRetention)
	huma.Register(a.huma, op("set-retention-policy", http.MethodPut, "/privacy/retention/{kind}", "Change how long a kind of data is kept", 0), a.setRetention)
	huma.Register(a.huma, op("privacy-inventory", http.MethodGet, "/privacy/inventory", "The data inventory: every kind of personal data held, where and for how long", 0), a.inventory)
}

func (a *API) listRequests(ctx context.Context, in *requestListInput) (*requestListOutput, error) {
	out := &requestListOutput{}
	err := a.DB.Read(ctx, func(tx *store.Tx) (err error) {
		out.Body.Data, err = a.Privacy.ListRequests(tx, principal(ctx), in.Overdue, in.Limit)
		return err
	})
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	if out.Body.Data == nil {
		out.Body.Data = []privacy.Request{}
	}
	return out, nil
}

func (a *API) createRequest(ctx context.Context, in *requestCreateInput) (*requestOutput, error) {
	b := in.Body
	out := &requestOutput{}
	err := a.DB.Write(ctx, func(tx *store.Tx) (err error) {
		out.Body, err = a.Privacy.CreateRequest(tx, principal(ctx), privacy.NewRequest{Type: b.Type, Regime: b.Regime, Email: b.Email,
			Name: b.Name, AgentName: b.AgentName, AgentEmail: b.AgentEmail, Details: b.Details, Source: "api"})
		return err
	})
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	return out, nil
}

// withRequest parses the id and runs fn in a write transaction.
func (a *API) withRequest(ctx context.Context, raw string, write bool, fn func(tx *store.Tx, p crm.Principal, id crm.ID) error) error {
	id, err := crm.ParseID(raw)
	if err != nil {
		return a.fail(ctx, err)
	}
	run := a.DB.Read
	if write {
		run = a.DB.Write
	}
	if err := run(ctx, func(tx *store.Tx) error { return fn(tx, principal(ctx), id) }); err != nil {
		return a.fail(ctx, err)
	}
	return nil
}

func (a *API) getRequest(ctx context.Context, in *requestIDInput) (*requestOutput, error) {
	out := &requestOutput{}
	return out, a.withRequest(ctx, in.ID, false, func(tx *store.Tx, p crm.Principal, id crm.ID) (err error) {
		out.Body, err = a.Privacy.GetRequest(tx, p, id)
		return err
	})
}

func (a *API) verifyRequest(ctx context.Context, in *requestVerifyInput) (*requestOutput, error) {
	out := &requestOutput{}
	return out, a.withRequest(ctx, in.ID, true, func(tx *store.Tx, p crm.Principal, id crm.ID) (err error) {
		if in.Body.SendEmail {
			out.Body, err = a.Privacy.SendVerification(tx, p, id)
		} else {
			out.Body, err = a.Privacy.VerifyWithEvidence(tx, p, id, in.Body.Evidence)
		}
		return err
	})
}

func (a *API) extendRequest(ctx context.Context, in *requestTextInput) (*requestOutput, error) {
	out := &requestOutput{}
	return out, a.withRequest(ctx, in.ID, true, func(tx *store.Tx, p crm.Principal, id crm.ID) (err error) {
		out.Body, err = a.Privacy.Extend(tx, p, id, in.text())
		return err
	})
}

func (a *API) fulfilRequest(ctx context.Context, in *requestTextInput) (*requestFulfilOutput, error) {
	out := &requestFulfilOutput{}
	return out, a.withRequest(ctx, in.ID, true, func(tx *store.Tx, p crm.Principal, id crm.ID) (err error) {
		out.Body.Request, out.Body.Erased, err = a.Privacy.Fulfil(tx, p, id, in.text())
		return err
	})
}

func (a *API) rejectRequest(ctx context.Context, in *requestTextInput) (*requestOutput, error) {
	out := &requestOutput{}
	return out, a.withRequest(ctx, in.ID, true, func(tx *store.Tx, p crm.Principal, id crm.ID) (err error) {
		out.Body, err = a.Privacy.Reject(tx, p, id, in.text())
		return err
	})
}

func (a *API) downloadRequest(ctx context.Context, in *requestIDInput) (*zipOutput, error) {
	var buf bytes.Buffer
	err := a.withRequest(ctx, in.ID, true, func(tx *store.Tx, p crm.Principal, id crm.ID) error {
		_, err := a.Privacy.DownloadRequest(tx, p, id, &buf)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &zipOutput{ContentType: "application/zip", ContentDisposition: `attachment; filename="privacy-request-` + in.ID + `.zip"`,
		Body: buf.Bytes()}, nil
}

func (a *API) listRetention(ctx context.Context, _ *struct{}) (*retentionOutput, error) {
	out := &retentionOutput{}
	err := a.DB.Read(ctx, func(tx *store.Tx) (err error) {
		p := principal(ctx)
		if err := requireAdmin(p); err != nil {
			return err
		}
		out.Body.Data, err = a.Privacy.Policies(tx, p.WorkspaceID)
		return err
	})
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	return out, nil
}

func (a *API) setRetention(ctx context.Context, in *retentionSetInput) (*retentionOutput, error) {
	out := &retentionOutput{}
	err := a.DB.Write(ctx, func(tx *store.Tx) (err error) {
		p := principal(ctx)
		days := -1 // no body: the domain names the range
		if in.Body != nil && in.Body.Days != nil {
			days = *in.Body.Days
		}
		if err := a.Privacy.SetPolicy(tx, p, in.Kind, days); err != nil {
			return err
		}
		out.Body.Data, err = a.Privacy.Policies(tx, p.WorkspaceID)
		return err
	})
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	return out, nil
}

func (a *API) inventory(ctx context.Context, _ *struct{}) (*inventoryOutput, error) {
	if err := requireAdmin(principal(ctx)); err != nil {
		return nil, a.fail(ctx, err)
	}
	out := &inventoryOutput{}
	for _, k := range a.Privacy.Registry.Kinds() {
		it := inventoryItem{Kind: k.Name, Title: k.Title, About: k.About, Tables: k.Tables, Description: k.Description}
		if k.Retention != nil {
			it.RetentionDays = k.Retention.Days
		}
		out.Body.Data = append(out.Body.Data, it)
	}
	return out, nil
}

func requireAdmin(p crm.Principal) error {
	if p.Role.Rank() < crm.RoleAdmin.Rank() {
		return crm.Errorf(crm.Forbidden, "Only owners and admins manage privacy settings.")
	}
	return nil
}

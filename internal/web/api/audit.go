package api

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/audit"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// The audit log for owners and admins: search a page at a time, or
// download as CSV.

type auditFilterInput struct {
	Action     string `query:"action" doc:"e.g. record.viewed, record.updated, data.exported, data.erased, signin.failed"`
	Actor      string `query:"actor" doc:"Id of the user or API key that acted"`
	ActorType  string `query:"actor_type" doc:"Kind of actor: user, apikey or system"`
	ObjectType string `query:"object_type" doc:"e.g. contact, company, deal, note, privacy_request"`
	ObjectID   string `query:"object_id" doc:"The record's id"`
	Since      string `query:"since" doc:"From this time (RFC 3339) or day (YYYY-MM-DD, UTC), inclusive"`
	Until      string `query:"until" doc:"Before this time (RFC 3339), or up to and including this day (YYYY-MM-DD)"`
}

// auditListInput repeats the filters: huma reads parameters from the
// input struct's own fields, not from an embedded one.
type auditListInput struct {
	Action     string `query:"action" doc:"e.g. record.viewed, record.updated, data.exported, data.erased, signin.failed"`
	Actor      string `query:"actor" doc:"Id of the user or API key that acted"`
	ActorType  string `query:"actor_type" doc:"Kind of actor: user, apikey or system"`
	ObjectType string `query:"object_type" doc:"e.g. contact, company, deal, note, privacy_request"`
	ObjectID   string `query:"object_id" doc:"The record's id"`
	Since      string `query:"since" doc:"From this time (RFC 3339) or day (YYYY-MM-DD, UTC), inclusive"`
	Until      string `query:"until" doc:"Before this time (RFC 3339), or up to and including this day (YYYY-MM-DD)"`
	Limit      int    `query:"limit" minimum:"1" maximum:"500" default:"100"`
	Cursor     string `query:"cursor" doc:"next_cursor of the previous page"`
}

type auditEntry struct {
	ID         crm.ID         `json:"id"`
	Seq        int64          `json:"seq" doc:"Position in the workspace's hash chain"`
	At         time.Time      `json:"at"`
	ActorType  string         `json:"actor_type"`
	ActorID    crm.ID         `json:"actor_id"`
	Action     string         `json:"action"`
	ObjectType string         `json:"object_type,omitempty"`
	ObjectID   crm.ID         `json:"object_id,omitempty"`
	IP         string         `json:"ip,omitempty" doc:"Truncated to /24 (IPv4) or /48 (IPv6)"`
	UserAgent  string         `json:"user_agent,omitempty"`
	Details    map[string]any `json:"details,omitempty" doc:"For changes: the names of the fields changed, never their values"`
	Erased     bool           `json:"erased,omitempty" doc:"Personal fields were blanked by erasure or retention"`
	Hash       string         `json:"hash"`
}

type auditListOutput struct {
	Body struct {
		Data       []auditEntry `json:"data"`
		NextCursor string       `json:"next_cursor,omitempty"`
	}
}

func (a *API) auditRoutes() {
	tags := []string{"Audit log"}
	huma.Register(a.huma, huma.Operation{OperationID: "list-audit-entries", Method: http.MethodGet, Path: "/audit", Tags: tags,
		Summary: "Search the audit log",
		Description: "Who viewed, exported, changed or deleted personal data, and every security and privacy action, newest first. " +
			"Owners and admins only. Check the chain with `tandem audit verify`."}, a.listAudit)
	huma.Register(a.huma, huma.Operation{OperationID: "export-audit-entries", Method: http.MethodGet, Path: "/audit/export", Tags: tags,
		Summary:     "Export the audit log as CSV",
		Description: "The entries matching the filters (newest first, at most 50,000) as CSV. The export is itself recorded (audit.exported).",
		Responses:   map[string]*huma.Response{"200": {Description: "The file", Content: map[string]*huma.MediaType{"text/csv": {}}}},
	}, a.exportAudit)
}

func (in auditFilterInput) filter() (audit.Filter, error) {
	f := audit.Filter{Action: in.Action, ObjectType: in.ObjectType, Actor: crm.Actor{Type: in.ActorType}}
	bad := crm.FieldErrors{}
	if in.Actor != "" {
		id, err := crm.ParseID(in.Actor)
		if err != nil || id == 0 {
			bad.Add("actor", "Not an id.")
		}
		f.Actor.ID = id
	}
	if in.ObjectID != "" {
		id, err := crm.ParseID(in.ObjectID)
		if err != nil || id == 0 {
			bad.Add("object_id", "Not an id.")
		}
		f.ObjectID = id
	}
	var ok bool
	if f.Since, ok = auditTime(in.Since, false); !ok {
		bad.Add("since", "Use RFC 3339 (2026-11-30T09:00:00Z) or a day (2026-11-30).")
	}
	if f.Until, ok = auditTime(in.Until, true); !ok {
		bad.Add("until", "Use RFC 3339 (2026-11-30T09:00:00Z) or a day (2026-11-30).")
	}
	return f, bad.Err()
}

// auditTime reads a time or a day; a day as an upper bound means its end.
func auditTime(s string, end bool) (time.Time, bool) {
	if s == "" {
		return time.Time{}, true
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, true
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return time.Time{}, false
	}
	if end {
		t = t.AddDate(0, 0, 1)
	}
	return t, true
}

func (a *API) listAudit(ctx context.Context, in *auditListInput) (*auditListOutput, error) {
	p := principal(ctx)
	f, err := auditFilterInput{Action: in.Action, Actor: in.Actor, ActorType: in.ActorType, ObjectType: in.ObjectType,
		ObjectID: in.ObjectID, Since: in.Since, Until: in.Until}.filter()
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	cursor, _ := strconv.ParseInt(in.Cursor, 10, 64)
	var entries []audit.Entry
	var next int64
	err = a.read(ctx, func(tx *store.Tx) (err error) {
		if err := account.Can(tx, p, account.ActAdmin, 0); err != nil {
			return err
		}
		entries, next, err = audit.List(tx, p.WorkspaceID, f, in.Limit, cursor)
		return err
	})
	if err != nil {
		return nil, err
	}
	out := &auditListOutput{}
	out.Body.Data = make([]auditEntry, 0, len(entries))
	for _, e := range entries {
		out.Body.Data = append(out.Body.Data, auditEntry{ID: e.ID, Seq: e.Seq, At: e.At, ActorType: e.Actor.Type, ActorID: e.Actor.ID,
			Action: e.Action, ObjectType: e.ObjectType, ObjectID: e.ObjectID, IP: e.IP, UserAgent: e.UserAgent,
			Details: e.Details, Erased: e.Erased, Hash: e.Hash})
	}
	if next > 0 {
		out.Body.NextCursor = strconv.FormatInt(next, 10)
	}
	return out, nil
}

func (a *API) exportAudit(ctx context.Context, in *auditFilterInput) (*huma.StreamResponse, error) {
	p := principal(ctx)
	f, err := in.filter()
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	var all []audit.Entry
	err = a.DB.Write(ctx, func(tx *store.Tx) (err error) {
		if err := account.Can(tx, p, account.ActAdmin, 0); err != nil {
			return err
		}
		if all, err = audit.Export(tx, p.WorkspaceID, f); err != nil {
			return err
		}
		_, err = audit.Record(tx, audit.Entry{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), Action: "audit.exported",
			ObjectType: "audit_log", Details: map[string]any{"entries": len(all)}})
		return err
	})
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	return &huma.StreamResponse{Body: func(hctx huma.Context) {
		hctx.SetHeader("Content-Type", "text/csv; charset=utf-8")
		hctx.SetHeader("Content-Disposition", `attachment; filename="audit-log.csv"`)
		hctx.SetHeader("Cache-Control", "no-store")
		hctx.SetStatus(http.StatusOK)
		_ = audit.WriteCSV(hctx.BodyWriter(), all)
	}}, nil
}

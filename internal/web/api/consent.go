package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/tandemcrm/tandem/internal/consent"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// ConsentEntry is one entry of a contact's consent ledger.
type ConsentEntry struct {
	ID            crm.ID    `json:"id"`
	ContactID     crm.ID    `json:"contact_id"`
	Purpose       string    `json:"purpose"`
	Status        string    `json:"status" enum:"granted,withdrawn,denied,reverted" doc:"reverted: an undone import's entry for this purpose was taken back (source import_undo); the state before the import applies again"`
	Basis         string    `json:"basis"`
	Source        string    `json:"source"`
	NoticeVersion string    `json:"notice_version"`
	IP            string    `json:"ip" doc:"Truncated to /24 (IPv4) or /48 (IPv6)"`
	UserAgent     string    `json:"user_agent"`
	At            time.Time `json:"at" doc:"When the person decided"`
	RecordedBy    string    `json:"recorded_by" doc:"user:ID, apikey:ID or system"`
	CreatedAt     time.Time `json:"created_at"`
}

// ConsentState is the current consent of one purpose.
type ConsentState struct {
	Purpose         string `json:"purpose"`
	Label           string `json:"label"`
	RequiresConsent bool   `json:"requires_consent"`
	Status          string `json:"status" doc:"granted, withdrawn, denied, or empty when nothing is recorded"`
}

func consentOut(c consent.Consent) ConsentEntry {
	by := c.Actor.Type
	if c.Actor.ID != 0 {
		by += ":" + c.Actor.ID.String()
	}
	return ConsentEntry{ID: c.ID, ContactID: c.ContactID, Purpose: c.Purpose, Status: c.Status, Basis: c.Basis, Source: c.Source,
		NoticeVersion: c.NoticeVersion, IP: c.IP, UserAgent: c.UserAgent, At: c.At, RecordedBy: by, CreatedAt: c.CreatedAt}
}

type consentsListInput struct {
	ContactID string `query:"contact_id" required:"true"`
	Limit     int    `query:"limit" minimum:"1" maximum:"500" default:"100"`
}

type consentsListOutput struct {
	Body struct {
		Current []ConsentState `json:"current" doc:"Every purpose of the workspace, in order"`
		Data    []ConsentEntry `json:"data" doc:"The ledger, newest first"`
	}
}

type consentCreateInput struct {
	Body struct {
		ContactID     crm.ID     `json:"contact_id"`
		Purpose       string     `json:"purpose" maxLength:"40"`
		Status        string     `json:"status" enum:"granted,withdrawn,denied"`
		Basis         string     `json:"basis,omitempty" enum:"consent,contract,legal_obligation,vital_interest,public_task,legitimate_interest" doc:"Default consent"`
		Source        string     `json:"source,omitempty" enum:"form,import,api,manual,email_reply,preference_centre" doc:"Default api"`
		NoticeVersion string     `json:"notice_version,omitempty" maxLength:"100"`
		IP            string     `json:"ip,omitempty" maxLength:"64" doc:"Stored truncated"`
		UserAgent     string     `json:"user_agent,omitempty" maxLength:"1000"`
		At            *time.Time `json:"at,omitempty" doc:"When the person decided; default now"`
	}
}

type consentOutput struct{ Body ConsentEntry }

type consentCheckInput struct {
	Body struct {
		Channel string `json:"channel" enum:"email,sms,phone"`
		Address string `json:"address" maxLength:"320" doc:"The email address or phone number (with country code)"`
		Purpose string `json:"purpose" maxLength:"40"`
	}
}

type consentCheckOutput struct {
	Body struct {
		Allowed bool   `json:"allowed"`
		Reason  string `json:"reason"`
	}
}

// SuppressionEntry is one entry of the suppression list. The value itself is
// never stored, so it is never shown.
type SuppressionEntry struct {
	ID        crm.ID    `json:"id"`
	Kind      string    `json:"kind" enum:"email,phone,domain"`
	Reason    string    `json:"reason" enum:"unsubscribed,erased,bounced,manual"`
	CreatedAt time.Time `json:"created_at"`
}

func suppressionOut(s consent.Suppression) SuppressionEntry {
	return SuppressionEntry{ID: s.ID, Kind: string(s.Kind), Reason: s.Reason, CreatedAt: s.CreatedAt}
}

type suppressionsListInput struct {
	Kind   string `query:"kind" enum:"email,phone,domain" doc:"Only this kind"`
	Before string `query:"before" doc:"An id: entries older than it (next_before of the previous page)"`
	Limit  int    `query:"limit" minimum:"1" maximum:"500" default:"100"`
}

type suppressionsListOutput struct {
	Body struct {
		Data       []SuppressionEntry `json:"data"`
		NextBefore string             `json:"next_before,omitempty" doc:"Absent on the last page"`
	}
}

type suppressionValue struct {
	Kind  string `json:"kind" enum:"email,phone,domain"`
	Value string `json:"value" maxLength:"320" doc:"The address, number (with country code) or domain; normalised, then hashed"`
}

type suppressionCreateInput struct {
	Body struct {
		Kind   string `json:"kind" enum:"email,phone,domain"`
		Value  string `json:"value" maxLength:"320" doc:"The address, number (with country code) or domain; normalised, then hashed"`
		Reason string `json:"reason,omitempty" enum:"unsubscribed,erased,bounced,manual" doc:"Default manual"`
	}
}

type suppressionRemoveInput struct{ Body suppressionValue }

type suppressionOutput struct{ Body SuppressionEntry }

func (a *API) consentRoutes() {
	op := func(id, method, path, summary, desc string, status int, tag string) huma.Operation {
		return huma.Operation{OperationID: id, Method: method, Path: path, Summary: summary, Description: desc,
			DefaultStatus: status, Tags: []string{tag}}
	}
	huma.Register(a.huma, op("list-consents", http.MethodGet, "/consents", "A contact's consent: current state and ledger",
		"", 0, "Consent"), a.listConsents)
	huma.Register(a.huma, op("record-consent", http.MethodPost, "/consents", "Record consent for a contact",
		"Appends to the contact's ledger (never rewrites it) and makes the entry the current state of its purpose.",
		http.StatusCreated, "Consent"), a.recordConsent)
	huma.Register(a.huma, op("check-consent", http.MethodPost, "/consents/check", "May we contact this address for this purpose now?",
		"The same answer every Tandem sender obeys: suppressed address or domain, then withdrawn or denied consent, then whether the purpose requires consent.",
		0, "Consent"), a.checkConsent)
	huma.Register(a.huma, op("list-suppressions", http.MethodGet, "/suppressions", "List the suppression list",
		"Kinds, reasons and dates; the values are stored only as keyed hashes and are never shown.", 0, "Consent"), a.listSuppressions)
	huma.Register(a.huma, op("add-suppression", http.MethodPost, "/suppressions", "Suppress an email, phone or domain",
		"Idempotent: a value already on the list keeps its entry and first reason.", http.StatusCreated, "Consent"), a.addSuppression)
	huma.Register(a.huma, op("remove-suppression", http.MethodPost, "/suppressions/remove", "Lift a suppression (owners and admins)",
		"By value, since the list holds no values to point at.", http.StatusNoContent, "Consent"), a.removeSuppression)
}

func (a *API) listConsents(ctx context.Context, in *consentsListInput) (*consentsListOutput, error) {
	p := principal(ctx)
	id, err := crm.ParseID(in.ContactID)
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	out := &consentsListOutput{}
	out.Body.Data, out.Body.Current = []ConsentEntry{}, []ConsentState{}
	err = a.DB.Read(ctx, func(tx *store.Tx) error {
		st, h, err := consent.ViewAs(tx, p, id, in.Limit)
		for _, s := range st {
			out.Body.Current = append(out.Body.Current, ConsentState{Purpose: s.Purpose.Key, Label: s.Purpose.Label,
				RequiresConsent: s.Purpose.RequiresConsent, Status: s.Status})
		}
		for _, c := range h {
			out.Body.Data = append(out.Body.Data, consentOut(c))
		}
		return err
	})
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	return out, nil
}

func (a *API) recordConsent(ctx context.Context, in *consentCreateInput) (*consentOutput, error) {
	p := principal(ctx)
	b := in.Body
	e := consent.Entry{Purpose: b.Purpose, Status: b.Status, Basis: b.Basis, Source: b.Source, NoticeVersion: b.NoticeVersion,
		IP: b.IP, UserAgent: b.UserAgent}
	if e.Source == "" {
		e.Source = "api"
	}
	if b.At != nil {
		e.At = *b.At
	}
	var c consent.Consent
	err := a.DB.Write(ctx, func(tx *store.Tx) (err error) {
		c, err = consent.RecordAs(tx, p, b.ContactID, e)
		return err
	})
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	return &consentOutput{Body: consentOut(c)}, nil
}

func (a *API) checkConsent(ctx context.Context, in *consentCheckInput) (*consentCheckOutput, error) {
	p := principal(ctx)
	out := &consentCheckOutput{}
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		d, err := consent.CheckAs(tx, p, in.Body.Channel, in.Body.Address, in.Body.Purpose)
		out.Body.Allowed, out.Body.Reason = d.Allowed, d.Reason
		return err
	})
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	return out, nil
}

func (a *API) listSuppressions(ctx context.Context, in *suppressionsListInput) (*suppressionsListOutput, error) {
	p := principal(ctx)
	var before crm.ID
	if in.Before != "" {
		id, err := crm.ParseID(in.Before)
		if err != nil {
			return nil, a.fail(ctx, &crm.Error{Code: crm.Invalid, Message: "before must be an id from next_before.",
				Fields: map[string]string{"before": "Use the next_before of the previous page."}})
		}
		before = id
	}
	out := &suppressionsListOutput{}
	out.Body.Data = []SuppressionEntry{}
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		list, err := consent.ListAs(tx, p, consent.Kind(in.Kind), before, in.Limit+1)
		for i, s := range list {
			if i == in.Limit {
				out.Body.NextBefore = list[i-1].ID.String()
				break
			}
			out.Body.Data = append(out.Body.Data, suppressionOut(s))
		}
		return err
	})
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	return out, nil
}

func (a *API) addSuppression(ctx context.Context, in *suppressionCreateInput) (*suppressionOutput, error) {
	p := principal(ctx)
	reason := in.Body.Reason
	if reason == "" {
		reason = "manual"
	}
	var s consent.Suppression
	err := a.DB.Write(ctx, func(tx *store.Tx) (err error) {
		s, err = consent.SuppressAs(tx, p, consent.Kind(in.Body.Kind), in.Body.Value, reason)
		return err
	})
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	return &suppressionOutput{Body: suppressionOut(s)}, nil
}

func (a *API) removeSuppression(ctx context.Context, in *suppressionRemoveInput) (*struct{}, error) {
	p := principal(ctx)
	err := a.DB.Write(ctx, func(tx *store.Tx) error {
		return consent.UnsuppressAs(tx, p, consent.Kind(in.Body.Kind), in.Body.Value)
	})
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	return nil, nil
}

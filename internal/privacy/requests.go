package privacy

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/audit"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/ids"
	"github.com/tandemcrm/tandem/internal/store"
)

// Request types, as the register and the API name them.
var RequestTypes = []string{"access", "portability", "rectification", "erasure", "restriction", "objection"}

// Regimes set the due date: GDPR one month, extendable by two more; CCPA 45
// days, extendable once by 45.
var Regimes = []string{"gdpr", "ccpa"}

// Request statuses.
const (
	Received  = "received"  // waiting for identity verification
	Verified  = "verified"  // identity confirmed: to be fulfilled
	Fulfilled = "fulfilled" // done
	Rejected  = "rejected"  // refused, with the reason in Outcome
)

// verifyFor is how long a confirmation link works.
const verifyFor = 7 * 24 * time.Hour

// Request is one entry of the privacy-requests register.
type Request struct {
	ID           crm.ID     `json:"id"`
	Type         string     `json:"type"`
	Regime       string     `json:"regime"`
	Status       string     `json:"status"`
	SubjectEmail string     `json:"subject_email"`
	SubjectName  string     `json:"subject_name"`
	AgentName    string     `json:"agent_name,omitempty"`
	AgentEmail   string     `json:"agent_email,omitempty"`
	Source       string     `json:"source"`
	Details      string     `json:"details,omitempty"`
	ContactID    crm.ID     `json:"contact_id,omitempty"`
	VerifyMethod string     `json:"verify_method,omitempty"`
	Evidence     string     `json:"evidence,omitempty"`
	ReceivedAt   time.Time  `json:"received_at"`
	DueAt        time.Time  `json:"due_at"`
	Extended     bool       `json:"extended"`
	VerifiedAt   *time.Time `json:"verified_at,omitempty"`
	ClosedAt     *time.Time `json:"closed_at,omitempty"`
	Outcome      string     `json:"outcome,omitempty"`
	Overdue      bool       `json:"overdue"`
	Version      int64      `json:"version"`
}

// NewRequest is what registering a request takes.
type NewRequest struct {
	Type, Regime, Email, Name string
	AgentName, AgentEmail     string // when an authorised agent acts for the person
	Details, Source           string // Source: form, api, manual
}

// Mailer queues a system email in the caller's transaction (sysmail.Queue
// bound to the job runner).
type Mailer func(tx *store.Tx, ws crm.ID, to, subject, text, key string) error

// dueDate is the deadline of a request received at t under regime.
func dueDate(regime string, t time.Time, extended bool) time.Time {
	if regime == "ccpa" {
		d := t.AddDate(0, 0, 45)
		if extended {
			d = d.AddDate(0, 0, 45)
		}
		return d
	}
	if extended {
		return addMonths(t, 3)
	}
	return addMonths(t, 1)
}

// addMonths adds calendar months the way EU law counts them (Regulation
// 1182/71): the same day n months later, or the month's last day when it has
// no such day (31 January + 1 month = 28 February), never spilling over.
func addMonths(t time.Time, n int) time.Time {
	y, m, d := t.Date()
	last := time.Date(y, m+time.Month(n)+1, 0, 0, 0, 0, 0, t.Location()).Day()
	return time.Date(y, m+time.Month(n), min(d, last), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), t.Location())
}

func (in *NewRequest) validate() error {
	fe := crm.FieldErrors{}
	in.Type, in.Regime = strings.ToLower(strings.TrimSpace(in.Type)), strings.ToLower(strings.TrimSpace(in.Regime))
	in.Email, in.Name = strings.ToLower(strings.TrimSpace(in.Email)), strings.TrimSpace(in.Name)
	in.AgentName, in.AgentEmail = strings.TrimSpace(in.AgentName), strings.ToLower(strings.TrimSpace(in.AgentEmail))
	in.Details = strings.TrimSpace(in.Details)
	if in.Regime == "" {
		in.Regime = "gdpr"
	}
	if !slices.Contains(RequestTypes, in.Type) {
		fe.Add("type", "Choose one of: "+strings.Join(RequestTypes, ", ")+".")
	}
	if !slices.Contains(Regimes, in.Regime) {
		fe.Add("regime", "Choose gdpr or ccpa.")
	}
	if a, err := mail.ParseAddress(in.Email); err != nil || a.Address != in.Email || len(in.Email) > 254 {
		fe.Add("email", "Give the email address the request is about.")
	}
	if in.AgentEmail != "" {
		if a, err := mail.ParseAddress(in.AgentEmail); err != nil || a.Address != in.AgentEmail {
			fe.Add("agent_email", "Give a valid email address for the agent.")
		}
	}
	if len(in.Name) > 200 || len(in.AgentName) > 200 {
		fe.Add("name", "Keep names under 200 characters.")
	}
	if len(in.Details) > 5000 {
		fe.Add("details", "Keep the details under 5,000 characters.")
	}
	return fe.Err()
}

// CreateRequest registers a request received by the team (owners and admins).
func (sv Service) CreateRequest(tx *store.Tx, p crm.Principal, in NewRequest) (Request, error) {
	if err := account.Can(tx, p, account.ActAdmin, 0); err != nil {
		return Request{}, err
	}
	if in.Source == "" {
		in.Source = "manual"
	}
	return sv.createRequest(tx, p.WorkspaceID, p.Actor(), p.UserID, in)
}

func (sv Service) createRequest(tx *store.Tx, ws crm.ID, actor crm.Actor, by crm.ID, in NewRequest) (Request, error) {
	if err := in.validate(); err != nil {
		return Request{}, err
	}
	matches, err := FindContacts(tx, ws, in.Email)
	if err != nil {
		return Request{}, err
	}
	r := Request{ID: tx.NewID(), Type: in.Type, Regime: in.Regime, Status: Received, SubjectEmail: in.Email,
		SubjectName: in.Name, AgentName: in.AgentName, AgentEmail: in.AgentEmail, Source: in.Source, Details: in.Details,
		ReceivedAt: tx.Now, DueAt: dueDate(in.Regime, tx.Now, false), Version: 1}
	if len(matches) > 0 {
		r.ContactID = matches[0]
	}
	now := store.Micros(tx.Now)
	if _, err := tx.Exec(`INSERT INTO privacy_requests (id, workspace_id, type, regime, status, subject_email, subject_name,
		subject_hash, agent_name, agent_email, source, details, contact_id, received_at, due_at, created_by, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.ID, ws, r.Type, r.Regime, r.Status, r.SubjectEmail, r.SubjectName, sv.hash(in.Email), r.AgentName, r.AgentEmail,
		r.Source, r.Details, r.ContactID, now, store.Micros(r.DueAt), by, now); err != nil {
		return r, fmt.Errorf("privacy: create request: %w", err)
	}
	return r, sv.logStep(tx, ws, actor, r, crm.Created, "", map[string]any{"type": r.Type, "regime": r.Regime, "source": r.Source})
}

func (sv Service) hash(email string) string {
	if sv.Key == nil {
		return ""
	}
	h, err := sv.Key.Hash("privacy-request", email)
	if err != nil {
		return ""
	}
	return h
}

// logStep writes the event and the audit entry of one step. Neither carries
// the requester's identifiers: the register row does, and erasure
// pseudonymises it.
func (sv Service) logStep(tx *store.Tx, ws crm.ID, actor crm.Actor, r Request, a crm.Action, before string, details map[string]any) error {
	ch := map[string]crm.Change{"status": {Before: before, After: r.Status}}
	if before == r.Status {
		ch = map[string]crm.Change{}
	}
	for k, v := range details {
		ch[k] = crm.Change{After: v}
	}
	if err := tx.Emit(crm.Event{WorkspaceID: ws, Actor: actor, ObjectType: "privacy_request", ObjectID: r.ID, Action: a, Changes: ch}); err != nil {
		return err
	}
	if details == nil {
		details = map[string]any{}
	}
	details["status"] = r.Status
	_, err := audit.Record(tx, audit.Entry{WorkspaceID: ws, Actor: actor, Action: "privacy_request." + r.Status,
		ObjectType: "privacy_request", ObjectID: r.ID, Details: details})
	return err
}

const requestCols = `id, type, regime, status, subject_email, subject_name, agent_name, agent_email, source, details, contact_id,
	verify_method, evidence, received_at, due_at, extended, verified_at, closed_at, outcome, version`

// GetRequest returns one request of the workspace (owners and admins).
func (sv Service) GetRequest(tx *store.Tx, p crm.Principal, id crm.ID) (Request, error) {
	if err := account.Can(tx, p, account.ActAdmin, 0); err != nil {
		return Request{}, err
	}
	return getRequest(tx, p.WorkspaceID, id)
}

func getRequest(tx *store.Tx, ws, id crm.ID) (Request, error) {
	rs, err := queryRequests(tx, tx.Now, `SELECT `+requestCols+` FROM privacy_requests WHERE workspace_id = ? AND id = ?`, ws, id)
	if err != nil {
		return Request{}, err
	}
	if len(rs) == 0 {
		return Request{}, crm.Errorf(crm.NotFound, "No such privacy request.")
	}
	return rs[0], nil
}

// ListRequests returns the register, open requests first by due date; with
// overdue set, only open requests past their due date.
func (sv Service) ListRequests(tx *store.Tx, p crm.Principal, overdue bool, limit int) ([]Request, error) {
	if err := account.Can(tx, p, account.ActAdmin, 0); err != nil {
		return nil, err
	}
	limit = min(max(limit, 1), 500)
	q := `SELECT ` + requestCols + ` FROM privacy_requests WHERE workspace_id = ?`
	args := []any{p.WorkspaceID}
	if overdue {
		q += ` AND status IN ('received', 'verified') AND due_at < ?`
		args = append(args, store.Micros(tx.Now))
	}
	q += ` ORDER BY CASE WHEN status IN ('received', 'verified') THEN 0 ELSE 1 END, due_at, id LIMIT ?`
	return queryRequests(tx, tx.Now, q, append(args, limit)...)
}

func queryRequests(tx *store.Tx, now time.Time, q string, args ...any) ([]Request, error) {
	rows, err := tx.Query(q, args...)
	if err != nil {
		return nil, fmt.Errorf("privacy: requests: %w", err)
	}
	defer rows.Close()
	var out []Request
	for rows.Next() {
		var r Request
		var received, due int64
		var verified, closed *int64
		if err := rows.Scan(&r.ID, &r.Type, &r.Regime, &r.Status, &r.SubjectEmail, &r.SubjectName, &r.AgentName, &r.AgentEmail,
			&r.Source, &r.Details, &r.ContactID, &r.VerifyMethod, &r.Evidence, &received, &due, &r.Extended, &verified, &closed,
			&r.Outcome, &r.Version); err != nil {
			return nil, err
		}
		r.ReceivedAt, r.DueAt = store.FromMicros(received), store.FromMicros(due)
		if verified != nil {
			t := store.FromMicros(*verified)
			r.VerifiedAt = &t
		}
		if closed != nil {
			t := store.FromMicros(*closed)
			r.ClosedAt = &t
		}
		r.Overdue = r.ClosedAt == nil && now.After(r.DueAt)
		out = append(out, r)
	}
	return out, rows.Err()
}

// update moves a request on and logs the step.
func (sv Service) update(tx *store.Tx, ws crm.ID, actor crm.Actor, r Request, before string, set string, args []any, details map[string]any) (Request, error) {
	n, err := tx.Exec(`UPDATE privacy_requests SET `+set+`, updated_at = ?, version = version + 1 WHERE workspace_id = ? AND id = ? AND version = ?`,
		append(args, store.Micros(tx.Now), ws, r.ID, r.Version)...)
	if err != nil {
		return r, err
	}
	if n == 0 {
		return r, crm.Errorf(crm.Conflict, "This request was changed meanwhile. Reload and try again.")
	}
	now, err := getRequest(tx, ws, r.ID)
	if err != nil {
		return r, err
	}
	return now, sv.logStep(tx, ws, actor, now, crm.Updated, before, details)
}

func open(r Request) error {
	if r.Status == Fulfilled || r.Status == Rejected {
		return crm.Errorf(crm.Conflict, "This request is closed (%s).", r.Status)
	}
	return nil
}

// SendVerification emails the requester a single-use confirmation link
// (owners and admins; the public form does it by itself). The link is
// base + "/privacy-verify/" + token.
func (sv Service) SendVerification(tx *store.Tx, p crm.Principal, id crm.ID) (Request, error) {
	r, err := sv.GetRequest(tx, p, id)
	if err != nil {
		return r, err
	}
	return sv.sendVerification(tx, p.WorkspaceID, p.Actor(), r)
}

func (sv Service) sendVerification(tx *store.Tx, ws crm.ID, actor crm.Actor, r Request) (Request, error) {
	if err := open(r); err != nil {
		return r, err
	}
	if r.Status != Received {
		return r, crm.Errorf(crm.Conflict, "This request is already verified.")
	}
	if sv.Mail == nil {
		return r, crm.Errorf(crm.Invalid, "System email is not set up on this server; verify with a note of the evidence instead.")
	}
	token := ids.Token(24)
	link := sv.BaseURL + "/privacy-verify/" + token
	body := fmt.Sprintf("Hello,\n\nWe received a privacy request (%s) about this email address. "+
		"If you made it, confirm it here within 7 days:\n\n%s\n\nIf you did not, ignore this message and nothing will happen.\n", r.Type, link)
	if err := sv.Mail(tx, ws, r.SubjectEmail, "Confirm your privacy request", body, "privacy-verify:"+r.ID.String()+":"+tokenHash(token)[:12]); err != nil {
		return r, err
	}
	return sv.update(tx, ws, actor, r, r.Status, `verify_method = 'email', verify_token = ?, verify_expires = ?`,
		[]any{tokenHash(token), store.Micros(tx.Now.Add(verifyFor))}, map[string]any{"verification": "email sent"})
}

func tokenHash(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// CheckToken reports whether token is a live confirmation link, without
// using it (the page that shows the confirm button).
func CheckToken(tx *store.Tx, token string) error {
	var n int
	if len(token) >= 16 && len(token) <= 100 {
		// Instance-wide lookup by a secret: the workspace is not known yet.
		if err := tx.Unscoped().QueryRow(`SELECT COUNT(*) FROM privacy_requests WHERE verify_token = ? AND verify_expires > ? AND status = 'received'`,
			tokenHash(token), store.Micros(tx.Now)).Scan(&n); err != nil {
			return err
		}
	}
	if n == 0 {
		return crm.Errorf(crm.NotFound, "This confirmation link is not valid any more. Links work once, for 7 days.")
	}
	return nil
}

// VerifyToken confirms the request whose link carries token. Links are
// single use and expire; every failure reads the same, so a guessed token
// learns nothing.
func (sv Service) VerifyToken(tx *store.Tx, token string) (Request, error) {
	bad := crm.Errorf(crm.NotFound, "This confirmation link is not valid any more. Links work once, for 7 days.")
	if len(token) < 16 || len(token) > 100 {
		return Request{}, bad
	}
	var ws, id crm.ID
	var expires int64
	// Instance-wide lookup by a secret: the workspace is not known yet.
	err := tx.Unscoped().QueryRow(`SELECT workspace_id, id, verify_expires FROM privacy_requests WHERE verify_token = ?`, tokenHash(token)).
		Scan(&ws, &id, &expires)
	if errors.Is(err, store.ErrNoRows) || (err == nil && store.Micros(tx.Now) > expires) {
		return Request{}, bad
	}
	if err != nil {
		return Request{}, err
	}
	r, err := getRequest(tx, ws, id)
	if err != nil || r.Status != Received {
		return r, bad
	}
	return sv.update(tx, ws, crm.System, r, r.Status, `status = 'verified', verify_token = '', verified_at = ?`,
		[]any{store.Micros(tx.Now)}, map[string]any{"verification": "email link"})
}

// VerifyWithEvidence records how the requester's identity was checked
// (a call back, a document seen) and marks the request verified.
func (sv Service) VerifyWithEvidence(tx *store.Tx, p crm.Principal, id crm.ID, evidence string) (Request, error) {
	r, err := sv.GetRequest(tx, p, id)
	if err != nil {
		return r, err
	}
	if err := open(r); err != nil {
		return r, err
	}
	evidence = strings.TrimSpace(evidence)
	if evidence == "" || len(evidence) > 2000 {
		return r, (crm.FieldErrors{"evidence": "Say how you checked who is asking (up to 2,000 characters)."}).Err()
	}
	return sv.update(tx, p.WorkspaceID, p.Actor(), r, r.Status,
		`status = 'verified', verify_method = 'evidence', evidence = ?, verify_token = '', verified_at = ?`,
		[]any{evidence, store.Micros(tx.Now)}, map[string]any{"verification": "evidence"})
}

// Extend pushes the due date once, by the regime's extension.
func (sv Service) Extend(tx *store.Tx, p crm.Principal, id crm.ID, reason string) (Request, error) {
	r, err := sv.GetRequest(tx, p, id)
	if err != nil {
		return r, err
	}
	if err := open(r); err != nil {
		return r, err
	}
	if r.Extended {
		return r, crm.Errorf(crm.Conflict, "The due date was already extended once.")
	}
	if strings.TrimSpace(reason) == "" {
		return r, (crm.FieldErrors{"reason": "Say why more time is needed: the person must be told."}).Err()
	}
	return sv.update(tx, p.WorkspaceID, p.Actor(), r, r.Status, `extended = ?, due_at = ?`,
		[]any{true, store.Micros(dueDate(r.Regime, r.ReceivedAt, true))}, map[string]any{"extended": strings.TrimSpace(reason)})
}

// Fulfil closes a verified request. An erasure request erases every contact
// with the address (refused under legal hold); access and portability are
// answered by the download; the others record what was done in outcome.
func (sv Service) Fulfil(tx *store.Tx, p crm.Principal, id crm.ID, outcome string) (Request, Report, error) {
	r, err := sv.GetRequest(tx, p, id)
	if err != nil {
		return r, Report{}, err
	}
	if err := open(r); err != nil {
		return r, Report{}, err
	}
	if r.Status != Verified {
		return r, Report{}, crm.Errorf(crm.Conflict, "Verify who is asking before fulfilling the request.")
	}
	outcome = strings.TrimSpace(outcome)
	var rep Report
	if r.Type == "erasure" {
		matches, err := FindContacts(tx, p.WorkspaceID, r.SubjectEmail)
		if err != nil {
			return r, rep, err
		}
		for _, c := range matches {
			one, err := sv.EraseContact(tx, p.WorkspaceID, c, p.Actor())
			if err != nil {
				return r, rep, err
			}
			rep.Counts = append(rep.Counts, one.Counts...)
			rep.Suppressed += one.Suppressed
		}
		if outcome == "" {
			outcome = fmt.Sprintf("Erased %d record(s).", len(matches))
		}
	}
	if outcome == "" {
		outcome = "Fulfilled."
	}
	if len(outcome) > 2000 {
		return r, rep, (crm.FieldErrors{"outcome": "Keep the outcome under 2,000 characters."}).Err()
	}
	r, err = sv.update(tx, p.WorkspaceID, p.Actor(), r, r.Status, `status = 'fulfilled', closed_at = ?, outcome = ?`,
		[]any{store.Micros(tx.Now), outcome}, map[string]any{"rows": rep.Total()})
	return r, rep, err
}

// Reject closes a request without fulfilling it, with the reason.
func (sv Service) Reject(tx *store.Tx, p crm.Principal, id crm.ID, reason string) (Request, error) {
	r, err := sv.GetRequest(tx, p, id)
	if err != nil {
		return r, err
	}
	if err := open(r); err != nil {
		return r, err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" || len(reason) > 2000 {
		return r, (crm.FieldErrors{"reason": "Say why the request is refused (the person must be told)."}).Err()
	}
	return sv.update(tx, p.WorkspaceID, p.Actor(), r, r.Status, `status = 'rejected', closed_at = ?, outcome = ?`,
		[]any{store.Micros(tx.Now), reason}, nil)
}

// DownloadRequest writes the bundle answering a verified access or
// portability request: everything about every contact with the address.
func (sv Service) DownloadRequest(tx *store.Tx, p crm.Principal, id crm.ID, w interface{ Write([]byte) (int, error) }) (Request, error) {
	r, err := sv.GetRequest(tx, p, id)
	if err != nil {
		return r, err
	}
	if r.Type != "access" && r.Type != "portability" {
		return r, crm.Errorf(crm.Invalid, "Only access and portability requests have a download.")
	}
	if r.Status != Verified && r.Status != Fulfilled {
		return r, crm.Errorf(crm.Conflict, "Verify who is asking before handing out their data.")
	}
	matches, err := FindContacts(tx, p.WorkspaceID, r.SubjectEmail)
	if err != nil {
		return r, err
	}
	var subjects []*Subject
	for _, c := range matches {
		s, err := LoadSubject(tx, p.WorkspaceID, c)
		if err != nil {
			return r, err
		}
		subjects = append(subjects, s)
	}
	_, err = sv.ExportSubjects(tx, p.WorkspaceID, p.Actor(), subjects, w)
	return r, err
}

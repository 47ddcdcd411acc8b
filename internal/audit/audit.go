package audit

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// Actions recorded by the security and privacy features. Others may be added;
// keep them "noun.verb" in the past tense.
const (
	SignInSucceeded  = "signin.succeeded"
	SignInFailed     = "signin.failed"
	SignedOut        = "signin.signed_out"
	PasswordChanged  = "password.changed"
	PasswordReset    = "password.reset"
	TwoFactorEnabled = "2fa.enabled"
	TwoFactorDisable = "2fa.disabled"
	APIKeyCreated    = "apikey.created"
	APIKeyRevoked    = "apikey.revoked"
	SessionRevoked   = "session.revoked"
	RecordViewed     = "record.viewed"
	RecordCreated    = "record.created"
	RecordUpdated    = "record.updated"
	RecordDeleted    = "record.deleted"
	DataExported     = "data.exported"
	DataErased       = "data.erased"
)

// maxUserAgent bounds what a client can make us store per entry.
const maxUserAgent = 512

// Entry is one audit record. Record fills ID, Seq, At and the hashes.
type Entry struct {
	ID          crm.ID
	WorkspaceID crm.ID // 0 for instance-level events
	Seq         int64  // position in the workspace's chain, from 1
	At          time.Time
	Actor       crm.Actor
	Action      string
	ObjectType  string
	ObjectID    crm.ID
	IP          string // truncated to /24 (IPv4) or /48 (IPv6) by Record
	UserAgent   string
	Details     map[string]any
	Erased      bool // personal fields were blanked by ErasePersonal
	PrevHash    string
	Hash        string
}

// row is an entry as stored: the exact bytes the hash covers.
type row struct {
	id, ws, seq, at  int64
	actorType        string
	actorID          int64
	action           string
	objectType       string
	objectID         int64
	ip, userAgent    string
	details          string
	pdSalt, pdDigest string
	prevHash, hash   string
}

// Record appends e to its workspace's chain in tx and returns its id. The
// time is e.At when set (a view recorded a moment later), else tx.Now. The
// caller's IP is truncated before it is stored; an entry without IP and
// user agent, by a member or an API key, takes those of the request that
// started the transaction (see WithClient), if any.
func Record(tx *store.Tx, e Entry) (crm.ID, error) {
	r, err := newRow(tx, e)
	if err != nil {
		return 0, err
	}
	if err := appendRows(tx, []*row{r}); err != nil {
		return 0, fmt.Errorf("audit: record %s: %w", e.Action, err)
	}
	return crm.ID(r.id), nil
}

// newRow turns e into a row ready to be linked (everything but seq and the
// chain hashes).
func newRow(tx *store.Tx, e Entry) (*row, error) {
	if e.Action == "" {
		return nil, errors.New("audit: an entry needs an action")
	}
	if e.Actor.Type == "" {
		e.Actor = crm.System
	}
	// Only a member's or an API key's own client: a data subject using a
	// public page leaves no network trace in the log.
	if e.IP == "" && e.UserAgent == "" && (e.Actor.Type == "user" || e.Actor.Type == "apikey") {
		c := ClientFrom(tx.Context())
		e.IP, e.UserAgent = c.IP, c.UserAgent
	}
	details := []byte("{}")
	if len(e.Details) > 0 {
		var err error
		// encoding/json sorts map keys, but the hash covers the stored text
		// anyway, so a different encoder later cannot break old entries.
		if details, err = json.Marshal(e.Details); err != nil {
			return nil, fmt.Errorf("audit: encode details: %w", err)
		}
	}
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return nil, fmt.Errorf("audit: salt: %w", err)
	}
	at := tx.Now
	if !e.At.IsZero() {
		at = e.At
	}
	r := &row{
		id: int64(tx.NewID()), ws: int64(e.WorkspaceID), at: store.Micros(at),
		actorType: e.Actor.Type, actorID: int64(e.Actor.ID), action: e.Action,
		objectType: e.ObjectType, objectID: int64(e.ObjectID),
		ip: TruncateIP(e.IP), userAgent: clip(e.UserAgent, maxUserAgent),
		details: string(details), pdSalt: base64.RawURLEncoding.EncodeToString(salt),
	}
	r.pdDigest = r.personalDigest()
	return r, nil
}

// appendRows links rows, in order, to the ends of their chains. For each
// workspace it locks the head once, so the (seq, prev_hash) pair it reads is
// still the end when it writes, and moves the head once at the end.
func appendRows(tx *store.Tx, rows []*row) error {
	var order []int64
	byWS := map[int64][]*row{}
	for _, r := range rows {
		if _, ok := byWS[r.ws]; !ok {
			order = append(order, r.ws)
		}
		byWS[r.ws] = append(byWS[r.ws], r)
	}
	for _, ws := range order {
		if err := appendChain(tx, ws, byWS[ws]); err != nil {
			return err
		}
	}
	return nil
}

func appendChain(tx *store.Tx, ws int64, rows []*row) error {
	if _, err := tx.Exec(`INSERT INTO audit_heads (workspace_id, seq, last_id, hash) VALUES (?, 0, 0, '')
		ON CONFLICT (workspace_id) DO NOTHING`, ws); err != nil {
		return err
	}
	q := `SELECT seq, hash FROM audit_heads WHERE workspace_id = ?`
	if tx.Dialect() == store.Postgres {
		q += ` FOR UPDATE`
	}
	var seq int64
	var prev string
	if err := tx.QueryRow(q, ws).Scan(&seq, &prev); err != nil {
		return fmt.Errorf("lock head: %w", err)
	}
	for _, r := range rows {
		seq++
		r.seq, r.prevHash = seq, prev
		r.hash = r.chainHash()
		prev = r.hash
		if _, err := tx.Exec(`INSERT INTO audit_log (id, workspace_id, seq, at, actor_type, actor_id, action,
		object_type, object_id, ip, user_agent, details, pd_salt, pd_digest, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			r.id, r.ws, r.seq, r.at, r.actorType, r.actorID, r.action, r.objectType, r.objectID,
			r.ip, r.userAgent, r.details, r.pdSalt, r.pdDigest, r.prevHash, r.hash); err != nil {
			return err
		}
	}
	last := rows[len(rows)-1]
	_, err := tx.Exec(`UPDATE audit_heads SET seq = ?, last_id = ?, hash = ? WHERE workspace_id = ?`,
		last.seq, last.id, last.hash, ws)
	return err
}

// clip shortens s to at most n bytes without splitting a UTF-8 sequence.
func clip(s string, n int) string {
	s = strings.ToValidUTF8(s, "")
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

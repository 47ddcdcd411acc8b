package sysmail

import (
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/ids"
	"github.com/tandemcrm/tandem/internal/store"
)

// Message is one system email. WorkspaceID is 0 for instance-level mail
// (for example a password reset, which belongs to a user, not a workspace).
type Message struct {
	WorkspaceID crm.ID
	To          string
	Subject     string
	Text        string
	HTML        string // optional alternative
	// Attachment is one optional text file (an .ics invitation).
	Attachment *Attachment
}

// Attachment is a small text file sent with a message.
type Attachment struct {
	Name        string // "invite.ics"
	ContentType string // "text/calendar; method=REQUEST; charset=UTF-8"
	Body        string
}

// Status of an outbox row.
const (
	Queued  = "queued"  // waiting for the delivery job
	Sending = "sending" // claimed by a worker that is talking to the server
	Sent    = "sent"    // accepted by the SMTP server
	Failed  = "failed"  // last attempt failed; the job retries with backoff
	Logged  = "logged"  // no SMTP configured: written to the log instead
)

// Enqueuer inserts a job in the caller's transaction; *jobs.Runner is one.
type Enqueuer interface {
	Enqueue(tx *store.Tx, args river.JobArgs, opts *river.InsertOpts) error
}

// Item is an outbox row as the outbox page shows it.
type Item struct {
	ID          crm.ID
	WorkspaceID crm.ID
	To          string
	Subject     string
	Text        string
	HTML        string
	Status      string
	Error       string
	Attempts    int
	CreatedAt   time.Time
	SentAt      time.Time
}

// Queue records msg in the outbox and enqueues its delivery, both in tx. The
// idempotency key names the reason for the message ("invite:123",
// "reset:456"): queuing the same key again in the same workspace returns the
// first message's id and sends nothing more. An empty key never matches.
func Queue(tx *store.Tx, jobs Enqueuer, msg Message, idempotencyKey string) (crm.ID, error) {
	if err := msg.validate(); err != nil {
		return 0, err
	}
	if idempotencyKey == "" {
		idempotencyKey = "random:" + ids.Token(16)
	}
	id := tx.NewID()
	var att Attachment
	if msg.Attachment != nil {
		att = *msg.Attachment
	}
	n, err := tx.Exec(`INSERT INTO outbox (id, workspace_id, idempotency_key, recipient, subject,
		text_body, html_body, status, created_at, attach_name, attach_type, attach_body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (workspace_id, idempotency_key) DO NOTHING`,
		id, msg.WorkspaceID, idempotencyKey, msg.To, msg.Subject, msg.Text, msg.HTML, Queued, store.Micros(tx.Now),
		att.Name, att.ContentType, att.Body)
	if err != nil {
		return 0, fmt.Errorf("sysmail: queue: %w", err)
	}
	if n == 0 {
		err := tx.QueryRow(`SELECT id FROM outbox WHERE workspace_id = ? AND idempotency_key = ?`,
			msg.WorkspaceID, idempotencyKey).Scan(&id)
		if err != nil {
			return 0, fmt.Errorf("sysmail: queue: find existing message: %w", err)
		}
		return id, nil
	}
	if err := jobs.Enqueue(tx, DeliverArgs{OutboxID: id, WorkspaceID: msg.WorkspaceID}, nil); err != nil {
		return 0, fmt.Errorf("sysmail: queue: %w", err)
	}
	return id, nil
}

func (m Message) validate() error {
	if _, err := mail.ParseAddress(m.To); err != nil {
		return crm.Errorf(crm.Invalid, "%q is not an e-mail address.", m.To)
	}
	if strings.ContainsAny(m.To+m.Subject, "\r\n") {
		return crm.Errorf(crm.Invalid, "Recipient and subject must be one line.")
	}
	if m.Subject == "" || m.Text == "" {
		return errors.New("sysmail: a message needs a subject and a text body")
	}
	if a := m.Attachment; a != nil && (a.Name == "" || a.ContentType == "" || strings.ContainsAny(a.Name+a.ContentType, "\r\n\"")) {
		return errors.New("sysmail: an attachment needs a one-line name and content type")
	}
	return nil
}

// List returns the newest outbox messages of workspace ws (0: instance-level
// mail), at most limit. Bodies may hold sign-in links: show them only to the
// workspace's owner (for ws 0, only to the instance operator).
func List(tx *store.Tx, ws crm.ID, limit int) ([]Item, error) {
	limit = min(max(limit, 1), 500)
	rows, err := tx.Query(`SELECT id, workspace_id, recipient, subject, text_body, html_body, status, error,
		attempts, created_at, sent_at FROM outbox WHERE workspace_id = ? ORDER BY id DESC LIMIT ?`, ws, limit)
	if err != nil {
		return nil, fmt.Errorf("sysmail: list: %w", err)
	}
	defer rows.Close()
	var out []Item
	for rows.Next() {
		var it Item
		var created, sent int64
		if err := rows.Scan(&it.ID, &it.WorkspaceID, &it.To, &it.Subject, &it.Text, &it.HTML, &it.Status,
			&it.Error, &it.Attempts, &created, &sent); err != nil {
			return nil, fmt.Errorf("sysmail: list: %w", err)
		}
		it.CreatedAt, it.SentAt = store.FromMicros(created), store.FromMicros(sent)
		out = append(out, it)
	}
	return out, rows.Err()
}

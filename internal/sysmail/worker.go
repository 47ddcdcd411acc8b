package sysmail

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/jobs"
	"github.com/tandemcrm/tandem/internal/store"
)

// claimLease is how long a worker owns a row it is sending. Longer than the
// job timeout, so a live worker is never overtaken; after it, a crashed
// worker's row is sent again.
const claimLease = 15 * time.Minute

// DeliverArgs asks for one outbox row to be delivered.
type DeliverArgs struct {
	OutboxID    crm.ID `json:"outbox_id"`
	WorkspaceID crm.ID `json:"workspace_id"`
}

// Kind names the job.
func (DeliverArgs) Kind() string { return "sysmail.deliver" }

// Register adds the delivery worker. sender is nil when no SMTP server is
// configured: messages are then logged to log and marked "logged".
func Register(reg *jobs.Registry, db *store.DB, sender Sender, log *slog.Logger) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	jobs.Register(reg, &worker{db: db, sender: sender, log: log})
}

type worker struct {
	river.WorkerDefaults[DeliverArgs]
	db     *store.DB
	sender Sender
	log    *slog.Logger
}

// errBusy means another worker holds a fresh claim on the row; errDone that
// the row was sent or logged already.
var (
	errBusy = errors.New("sysmail: message is being sent by another worker")
	errDone = errors.New("sysmail: message already delivered")
)

// Work delivers one row. Running it again for the same row is harmless.
func (w *worker) Work(ctx context.Context, job *river.Job[DeliverArgs]) error {
	var msg Message
	err := w.db.Write(ctx, func(tx *store.Tx) error {
		var err error
		if msg, err = w.claim(tx, job.Args); err != nil || w.sender != nil {
			return err
		}
		return w.logInstead(tx, job, msg) // commits the "logged" row and the job
	})
	switch {
	case errors.Is(err, errDone):
		return nil
	case errors.Is(err, errBusy):
		return river.JobSnooze(claimLease)
	case err != nil || w.sender == nil:
		return err
	}
	id := fmt.Sprintf("%d.outbox", job.Args.OutboxID)
	sendErr := w.sender.Send(ctx, msg, id)
	// Record the outcome even when ctx ends (shutdown): the mail has gone.
	err = w.db.Write(context.WithoutCancel(ctx), func(tx *store.Tx) error {
		return w.finish(tx, job, sendErr)
	})
	return errors.Join(sendErr, err) // an error makes River retry with backoff
}

// claim marks the row "sending" and loads it, unless it is finished
// already (errDone) or another worker's claim is still fresh (errBusy). The
// claim is one conditional UPDATE: on PostgreSQL a second worker's UPDATE
// waits for the first to commit and then no longer matches, so two workers
// can never both send.
func (w *worker) claim(tx *store.Tx, a DeliverArgs) (Message, error) {
	m := Message{WorkspaceID: a.WorkspaceID}
	now := store.Micros(tx.Now)
	n, err := tx.Exec(`UPDATE outbox SET status = ?, claimed_at = ?, attempts = attempts + 1
		WHERE workspace_id = ? AND id = ? AND (status IN (?, ?) OR (status = ? AND claimed_at < ?))`,
		Sending, now, a.WorkspaceID, a.OutboxID, Queued, Failed, Sending, now-claimLease.Microseconds())
	if err != nil {
		return m, err
	}
	if n == 0 {
		return m, w.unclaimable(tx, a)
	}
	var att Attachment
	err = tx.QueryRow(`SELECT recipient, subject, text_body, html_body, attach_name, attach_type, attach_body FROM outbox
		WHERE workspace_id = ? AND id = ?`, a.WorkspaceID, a.OutboxID).Scan(&m.To, &m.Subject, &m.Text, &m.HTML,
		&att.Name, &att.ContentType, &att.Body)
	if att.Name != "" {
		m.Attachment = &att
	}
	return m, err
}

// unclaimable tells why a row could not be claimed: errDone when there is
// nothing left to do, errBusy when another worker is sending it.
func (w *worker) unclaimable(tx *store.Tx, a DeliverArgs) error {
	var status string
	err := tx.QueryRow(`SELECT status FROM outbox WHERE workspace_id = ? AND id = ?`,
		a.WorkspaceID, a.OutboxID).Scan(&status)
	switch {
	case errors.Is(err, store.ErrNoRows):
		w.log.Warn("system email job for a missing outbox row", "outbox_id", a.OutboxID)
		return errDone
	case err != nil:
		return err
	case status == Sending:
		return errBusy
	}
	return errDone
}

// logInstead finishes a row when there is no SMTP server: the message goes
// to the log (the operator can still pass on an invitation link) and the row
// says so.
func (w *worker) logInstead(tx *store.Tx, job *river.Job[DeliverArgs], m Message) error {
	if err := w.mark(tx, job.Args, Logged, ""); err != nil {
		return err
	}
	tx.AfterCommit(func() {
		w.log.Info("system email not sent (no TANDEM_SMTP_URL); recorded in the outbox",
			"outbox_id", job.Args.OutboxID, "to", m.To, "subject", m.Subject, "text", m.Text)
	})
	return jobs.CompleteTx(tx, job)
}

// finish records the outcome of a send; on success it completes the job in
// the same transaction. A failure is committed too (and releases the claim),
// so the retry may start at once and the outbox page shows the error.
func (w *worker) finish(tx *store.Tx, job *river.Job[DeliverArgs], sendErr error) error {
	if sendErr != nil {
		return w.mark(tx, job.Args, Failed, sendErr.Error())
	}
	if err := w.mark(tx, job.Args, Sent, ""); err != nil {
		return err
	}
	return jobs.CompleteTx(tx, job)
}

func (w *worker) mark(tx *store.Tx, a DeliverArgs, status, errText string) error {
	sentAt := int64(0)
	if status == Sent || status == Logged {
		sentAt = store.Micros(tx.Now)
	}
	if len(errText) > 1000 {
		errText = strings.ToValidUTF8(errText[:1000], "")
	}
	_, err := tx.Exec(`UPDATE outbox SET status = ?, error = ?, sent_at = ?, claimed_at = 0
		WHERE workspace_id = ? AND id = ?`, status, errText, sentAt, a.WorkspaceID, a.OutboxID)
	return err
}

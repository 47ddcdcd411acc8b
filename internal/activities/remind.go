package activities

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/jobs"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/sysmail"
)

// RemindArgs asks for the reminders whose time has come to go out.
type RemindArgs struct{}

// Kind names the job.
func (RemindArgs) Kind() string { return "activities.remind" }

// Reminders sends due reminders. Queue is set once the job runner exists
// (it is built after the registry); Mail says whether SMTP is configured.
type Reminders struct {
	DB      *store.DB
	Queue   sysmail.Enqueuer
	Mail    bool
	BaseURL string
}

// RemindEvery is how often the reminder job looks for due reminders.
const RemindEvery = time.Minute

// Register adds the reminder worker and its periodic job.
func (r *Reminders) Register(reg *jobs.Registry) {
	jobs.Register(reg, &remindWorker{r: r})
	reg.Every(RemindEvery, true, func() river.JobArgs { return RemindArgs{} })
}

type remindWorker struct {
	river.WorkerDefaults[RemindArgs]
	r *Reminders
}

// Work sends every due reminder and completes the job in the same
// transaction.
func (w *remindWorker) Work(ctx context.Context, job *river.Job[RemindArgs]) error {
	return w.r.DB.Write(ctx, func(tx *store.Tx) error {
		if _, err := w.r.SendDue(tx, 500); err != nil {
			return err
		}
		return jobs.CompleteTx(tx, job)
	})
}

// SendDue turns up to limit due reminders into notifications (and, with
// SMTP, emails through the outbox) and reports how many it sent. Each is
// claimed by setting reminded_at with a conditional UPDATE, so two runs —
// a retried job, two replicas — never both send one; the notification's
// dedupe key and the outbox's idempotency key say the same again.
func (r *Reminders) SendDue(tx *store.Tx, limit int) (int, error) {
	// Reminders of every workspace are due at the same clock: this sweep is
	// instance-wide by design, over the partial index activities_remind.
	rows, err := tx.Unscoped().Query(`SELECT workspace_id, id FROM activities
		WHERE remind_at <= ? AND reminded_at IS NULL AND remind_at IS NOT NULL AND deleted_at IS NULL
		ORDER BY remind_at LIMIT ?`, store.Micros(tx.Now), limit)
	if err != nil {
		return 0, fmt.Errorf("activities: due reminders: %w", err)
	}
	type due struct{ ws, id crm.ID }
	var list []due
	for rows.Next() {
		var d due
		if err := rows.Scan(&d.ws, &d.id); err != nil {
			rows.Close()
			return 0, err
		}
		list = append(list, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	sent := 0
	for _, d := range list {
		ok, err := r.remind(tx, d.ws, d.id)
		if err != nil {
			return sent, err
		}
		if ok {
			sent++
		}
	}
	return sent, nil
}

func (r *Reminders) remind(tx *store.Tx, ws, id crm.ID) (bool, error) {
	n, err := tx.Exec(`UPDATE activities SET reminded_at = ? WHERE workspace_id = ? AND id = ? AND reminded_at IS NULL`,
		store.Micros(tx.Now), ws, id)
	if err != nil || n == 0 {
		return false, err
	}
	a, err := Get(tx, ws, id)
	if err != nil {
		return false, err
	}
	if a.Done() {
		return false, nil // done before its reminder: nothing to remind of
	}
	p := crm.Principal{WorkspaceID: ws, UserID: a.OwnerID}
	loc, err := Zone(tx, p)
	if err != nil {
		return false, err
	}
	when := FormatDue(a, loc)
	title := titleCase(a.Type) + ": " + a.Title
	key := fmt.Sprintf("reminder:%d:%d", a.ID, store.Micros(a.RemindAt))
	url := "/activities/" + a.ID.String()
	added, err := Notify(tx, ws, a.OwnerID, "reminder", title, "Due "+when, url, key)
	if err != nil || !added || !r.Mail {
		return added, err
	}
	var email string
	if err := tx.QueryRow(`SELECT email FROM users WHERE id = ?`, a.OwnerID).Scan(&email); err != nil || email == "" {
		return added, err
	}
	text := fmt.Sprintf("Reminder: %s\nDue %s\n", title, when)
	if a.ContactName != "" || a.CompanyName != "" {
		text += "With: " + strings.Trim(a.ContactName+", "+a.CompanyName, ", ") + "\n"
	}
	if r.BaseURL != "" {
		text += "\n" + strings.TrimRight(r.BaseURL, "/") + url + "\n"
	}
	_, err = sysmail.Queue(tx, r.Queue, sysmail.Message{WorkspaceID: ws, To: email, Subject: "Reminder: " + a.Title, Text: text}, key)
	return added, err
}

// FormatDue says when an activity is due, in loc ("Tue Dec 3, 15:00";
// all-day ones by their date).
func FormatDue(a Activity, loc *time.Location) string {
	if a.DueAt.IsZero() {
		return "—"
	}
	if a.AllDay {
		return a.DueAt.UTC().Format("Mon Jan 2, 2006") + " (all day)"
	}
	return a.DueAt.In(loc).Format("Mon Jan 2, 2006 15:04 MST")
}

func titleCase(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

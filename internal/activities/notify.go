package activities

import (
	"fmt"
	"time"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// Notification is one entry of a user's notification centre.
type Notification struct {
	ID        crm.ID
	Kind      string
	Title     string
	Body      string
	URL       string
	CreatedAt time.Time
	ReadAt    time.Time
}

// Notify adds a notification for user unless one with the same dedupe key
// exists: it reports whether it added one. Reasons that may recur carry
// what makes them new in the key.
func Notify(tx *store.Tx, ws, user crm.ID, kind, title, body, url, dedupe string) (bool, error) {
	n, err := tx.Exec(`INSERT INTO notifications (id, workspace_id, user_id, kind, title, body, url, dedupe_key, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (workspace_id, user_id, dedupe_key) DO NOTHING`,
		tx.NewID(), ws, user, kind, title, body, url, dedupe, store.Micros(tx.Now))
	if err != nil {
		return false, fmt.Errorf("activities: notify: %w", err)
	}
	return n == 1, nil
}

// Notifications returns p's newest notifications, before id `before` when
// not 0 (keyset), at most limit.
func Notifications(tx *store.Tx, p crm.Principal, before crm.ID, limit int) ([]Notification, error) {
	q := `SELECT id, kind, title, body, url, created_at, COALESCE(read_at, 0) FROM notifications WHERE workspace_id = ? AND user_id = ?`
	args := []any{p.WorkspaceID, p.UserID}
	if before != 0 {
		q += ` AND id < ?`
		args = append(args, before)
	}
	rows, err := tx.Query(q+` ORDER BY id DESC LIMIT ?`, append(args, clamp(limit))...)
	if err != nil {
		return nil, fmt.Errorf("activities: notifications: %w", err)
	}
	defer rows.Close()
	var out []Notification
	for rows.Next() {
		var n Notification
		var created, read int64
		if err := rows.Scan(&n.ID, &n.Kind, &n.Title, &n.Body, &n.URL, &created, &read); err != nil {
			return nil, err
		}
		n.CreatedAt, n.ReadAt = store.FromMicros(created), store.FromMicros(read)
		out = append(out, n)
	}
	return out, rows.Err()
}

// Unread counts p's unread notifications, up to 100 (the bell shows 99+).
func Unread(tx *store.Tx, p crm.Principal) (int, error) {
	var n int
	err := tx.QueryRow(`SELECT count(*) FROM (SELECT 1 FROM notifications WHERE workspace_id = ? AND user_id = ? AND read_at IS NULL LIMIT 100) x`,
		p.WorkspaceID, p.UserID).Scan(&n)
	return n, err
}

// MarkRead marks one of p's notifications read; another user's or
// workspace's is not found.
func MarkRead(tx *store.Tx, p crm.Principal, id crm.ID) error {
	n, err := tx.Exec(`UPDATE notifications SET read_at = COALESCE(read_at, ?) WHERE workspace_id = ? AND user_id = ? AND id = ?`,
		store.Micros(tx.Now), p.WorkspaceID, p.UserID, id)
	if err != nil {
		return err
	}
	if n == 0 {
		return crm.Errorf(crm.NotFound, "No such notification.")
	}
	return nil
}

// MarkAllRead marks every notification of p read.
func MarkAllRead(tx *store.Tx, p crm.Principal) error {
	_, err := tx.Exec(`UPDATE notifications SET read_at = ? WHERE workspace_id = ? AND user_id = ? AND read_at IS NULL`,
		store.Micros(tx.Now), p.WorkspaceID, p.UserID)
	return err
}

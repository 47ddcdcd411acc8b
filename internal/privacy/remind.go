package privacy

import (
	"fmt"
	"time"

	"github.com/tandemcrm/tandem/internal/activities"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// remindAhead is how long before its due date an open request is brought to
// the owners' and admins' attention.
const remindAhead = 7 * 24 * time.Hour

// RemindDue notifies the workspace's owners and admins (the notification
// centre) of open requests due within a week, and again once overdue: at
// most two reminders per request and person, whatever how often it runs. It
// returns how many notifications it added.
func RemindDue(tx *store.Tx, ws crm.ID) (int, error) {
	type due struct {
		id    crm.ID
		kind  string
		dueAt time.Time
	}
	rows, err := tx.Query(`SELECT id, type, due_at FROM privacy_requests
		WHERE workspace_id = ? AND status IN ('received', 'verified') AND due_at < ? ORDER BY due_at, id`,
		ws, store.Micros(tx.Now.Add(remindAhead)))
	if err != nil {
		return 0, fmt.Errorf("privacy: due requests: %w", err)
	}
	var list []due
	for rows.Next() {
		var d due
		var at int64
		if err := rows.Scan(&d.id, &d.kind, &at); err != nil {
			rows.Close()
			return 0, err
		}
		d.dueAt = store.FromMicros(at)
		list = append(list, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(list) == 0 {
		return 0, err
	}
	admins, err := tx.IDs(`SELECT user_id FROM memberships WHERE workspace_id = ? AND role IN ('owner', 'admin')
		AND deactivated_at IS NULL ORDER BY user_id`, ws)
	if err != nil {
		return 0, err
	}
	added := 0
	for _, d := range list {
		stage, title := "soon", fmt.Sprintf("Privacy request (%s) due %s", d.kind, d.dueAt.Format("Jan 2"))
		if !tx.Now.Before(d.dueAt) {
			stage, title = "overdue", fmt.Sprintf("Privacy request (%s) is overdue since %s", d.kind, d.dueAt.Format("Jan 2"))
		}
		for _, u := range admins {
			ok, err := activities.Notify(tx, ws, u, "privacy_due", title, "Answer it, extend it or refuse it with a reason.",
				"/settings/privacy/requests/"+d.id.String(), fmt.Sprintf("privacy-due:%d:%s", d.id, stage))
			if err != nil {
				return added, err
			}
			if ok {
				added++
			}
		}
	}
	return added, nil
}

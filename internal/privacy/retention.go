package privacy

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/audit"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/jobs"
	"github.com/tandemcrm/tandem/internal/store"
)

// Retention is how long a kind keeps data and how the periodic job removes
// what is older. Due counts what a run with this cutoff would remove (the
// dry run); Apply removes it.
type Retention struct {
	Days  int    // default period; a workspace may change it (0: keep forever)
	Rule  string // what the period runs from and what happens after it
	Due   func(tx *store.Tx, ws crm.ID, cutoff time.Time) (int, error)
	Apply func(tx *store.Tx, ws crm.ID, cutoff time.Time, sv Service) (int, error)
}

func trashRetention() *Retention {
	// Held people stay, whatever the period.
	q := ` FROM contacts c WHERE c.workspace_id = ? AND c.deleted_at IS NOT NULL AND c.deleted_at < ? AND c.merged_into = 0
		AND NOT EXISTS (SELECT 1 FROM legal_holds h WHERE h.workspace_id = c.workspace_id AND h.contact_id = c.id)`
	return &Retention{Days: 30, Rule: "People deleted (in the trash) longer than this are erased everywhere.",
		Due: func(tx *store.Tx, ws crm.ID, cutoff time.Time) (int, error) {
			return count(tx, `SELECT COUNT(*)`+q, ws, store.Micros(cutoff))
		},
		Apply: func(tx *store.Tx, ws crm.ID, cutoff time.Time, sv Service) (int, error) {
			ids, err := tx.IDs(`SELECT c.id`+q+` ORDER BY c.id LIMIT 500`, ws, store.Micros(cutoff))
			if err != nil {
				return 0, err
			}
			// Purging the trash is housekeeping, not the person's wish: their
			// addresses are not added to the suppression list.
			sv.Suppress = nil
			for _, id := range ids {
				if _, err := sv.EraseContact(tx, ws, id, crm.System); err != nil {
					return 0, err
				}
			}
			return len(ids), nil
		}}
}

func auditRetention() *Retention {
	q := ` FROM audit_log WHERE workspace_id = ? AND at < ? AND pd_salt <> ''`
	return &Retention{Days: 730, Rule: "Entries older than this are pseudonymised (IP, browser and details blanked); the hash chain stays verifiable.",
		Due: func(tx *store.Tx, ws crm.ID, cutoff time.Time) (int, error) {
			return count(tx, `SELECT COUNT(*)`+q, ws, store.Micros(cutoff))
		},
		Apply: func(tx *store.Tx, ws crm.ID, cutoff time.Time, _ Service) (int, error) {
			ids, err := tx.IDs(`SELECT id`+q+` ORDER BY id LIMIT 5000`, ws, store.Micros(cutoff))
			if err != nil {
				return 0, err
			}
			return audit.ErasePersonal(tx, ws, ids...)
		}}
}

func outboxRetention() *Retention {
	q := ` FROM outbox WHERE workspace_id = ? AND created_at < ? AND status IN ('sent', 'logged', 'failed')`
	return &Retention{Days: 90, Rule: "Sent system email older than this is deleted, body and recipient.",
		Due: func(tx *store.Tx, ws crm.ID, cutoff time.Time) (int, error) {
			return count(tx, `SELECT COUNT(*)`+q, ws, store.Micros(cutoff))
		},
		Apply: func(tx *store.Tx, ws crm.ID, cutoff time.Time, _ Service) (int, error) {
			n, err := tx.Exec(`DELETE`+q, ws, store.Micros(cutoff))
			return int(n), err
		}}
}

// Policy is one kind's retention in a workspace, with the dry run.
type Policy struct {
	Kind        string `json:"kind"`
	Title       string `json:"title"`
	Rule        string `json:"rule"`
	Days        int    `json:"days"` // in force; 0: kept forever
	DefaultDays int    `json:"default_days"`
	Due         int    `json:"due"` // what the next run would remove
}

// Policies returns the retention in force per kind and what the next run
// would remove (the dry run).
func (sv Service) Policies(tx *store.Tx, ws crm.ID) ([]Policy, error) {
	set := map[string]int{}
	rows, err := tx.Query(`SELECT kind, days FROM retention_policies WHERE workspace_id = ?`, ws)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var k string
		var d int
		if err := rows.Scan(&k, &d); err != nil {
			rows.Close()
			return nil, err
		}
		set[k] = d
	}
	rows.Close()
	var out []Policy
	for _, k := range sv.Registry.Kinds() {
		if k.Retention == nil {
			continue
		}
		p := Policy{Kind: k.Name, Title: k.Title, Rule: k.Retention.Rule, Days: k.Retention.Days, DefaultDays: k.Retention.Days}
		if d, ok := set[k.Name]; ok {
			p.Days = d
		}
		if p.Days > 0 {
			if p.Due, err = k.Retention.Due(tx, ws, tx.Now.AddDate(0, 0, -p.Days)); err != nil {
				return nil, fmt.Errorf("privacy: dry run %s: %w", k.Name, err)
			}
		}
		out = append(out, p)
	}
	return out, nil
}

// SetPolicy changes how long a kind is kept (owners and admins; 0 keeps it
// forever).
func (sv Service) SetPolicy(tx *store.Tx, p crm.Principal, kind string, days int) error {
	if err := account.Can(tx, p, account.ActAdmin, 0); err != nil {
		return err
	}
	k, ok := sv.Registry.Kind(kind)
	if !ok || k.Retention == nil {
		return crm.Errorf(crm.NotFound, "No retention policy for this kind of data.")
	}
	if days < 0 || days > 36500 {
		return (crm.FieldErrors{"days": "Give a number of days between 0 (keep forever) and 36500."}).Err()
	}
	if _, err := tx.Exec(`DELETE FROM retention_policies WHERE workspace_id = ? AND kind = ?`, p.WorkspaceID, kind); err != nil {
		return err
	}
	if _, err := tx.Exec(`INSERT INTO retention_policies (workspace_id, kind, days, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)`,
		p.WorkspaceID, kind, days, p.UserID, store.Micros(tx.Now)); err != nil {
		return err
	}
	if err := tx.Emit(crm.Event{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), ObjectType: "retention_policy", ObjectID: p.WorkspaceID,
		Action: crm.Updated, Changes: map[string]crm.Change{kind: {After: days}}}); err != nil {
		return err
	}
	_, err := audit.Record(tx, audit.Entry{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), Action: "retention.changed",
		ObjectType: "retention_policy", Details: map[string]any{"kind": kind, "days": days}})
	return err
}

// Enforce applies every policy of workspace ws once and says what it removed.
func (sv Service) Enforce(tx *store.Tx, ws crm.ID) ([]Count, error) {
	ps, err := sv.Policies(tx, ws)
	if err != nil {
		return nil, err
	}
	var out []Count
	for _, p := range ps {
		if p.Days == 0 || p.Due == 0 {
			continue
		}
		k, _ := sv.Registry.Kind(p.Kind)
		n, err := k.Retention.Apply(tx, ws, tx.Now.AddDate(0, 0, -p.Days), sv)
		if err != nil {
			return out, fmt.Errorf("privacy: retention %s: %w", p.Kind, err)
		}
		out = append(out, Count{Kind: p.Kind, Title: p.Title, Rows: n})
	}
	if len(out) > 0 {
		details := map[string]any{}
		for _, c := range out {
			details[c.Kind] = c.Rows
		}
		if _, err := audit.Record(tx, audit.Entry{WorkspaceID: ws, Action: "retention.enforced", ObjectType: "workspace",
			ObjectID: ws, Details: details}); err != nil {
			return out, err
		}
	}
	return out, nil
}

// RetentionArgs asks for every workspace's retention policies to be applied.
type RetentionArgs struct{}

// Kind names the job.
func (RetentionArgs) Kind() string { return "privacy.retention" }

type retentionWorker struct {
	river.WorkerDefaults[RetentionArgs]
	db  *store.DB
	sv  Service
	log *slog.Logger
}

// RegisterJobs adds the retention job, run daily on one instance; it also
// reminds owners and admins of privacy requests coming due (RemindDue).
func RegisterJobs(reg *jobs.Registry, db *store.DB, sv Service, log *slog.Logger) {
	jobs.Register(reg, &retentionWorker{db: db, sv: sv, log: log})
	reg.Every(24*time.Hour, false, func() river.JobArgs { return RetentionArgs{} })
}

// Work enforces each workspace in its own transaction; running it twice is
// harmless (the second run finds nothing due).
func (w *retentionWorker) Work(ctx context.Context, job *river.Job[RetentionArgs]) error {
	var wss []crm.ID
	err := w.db.Read(ctx, func(tx *store.Tx) (err error) {
		wss, err = tx.IDs(`SELECT id FROM workspaces ORDER BY id`)
		return err
	})
	if err != nil {
		return err
	}
	for _, ws := range wss {
		var done []Count
		if err := w.db.Write(ctx, func(tx *store.Tx) (err error) { done, err = w.sv.Enforce(tx, ws); return err }); err != nil {
			return fmt.Errorf("retention of workspace %d: %w", ws, err)
		}
		if err := w.db.Write(ctx, func(tx *store.Tx) error { _, err := RemindDue(tx, ws); return err }); err != nil {
			return fmt.Errorf("privacy reminders of workspace %d: %w", ws, err)
		}
		if len(done) > 0 && w.log != nil {
			w.log.Info("retention enforced", "workspace", ws, "removed", done)
		}
	}
	return nil
}

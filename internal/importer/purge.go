package importer

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"github.com/riverqueue/river"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// PurgeArgs asks for the leftovers of imports whose undo window has ended
// to be deleted: before-images, the line-by-line report (it quotes the
// file's values) and uploaded files. The import rows and their counts stay.
type PurgeArgs struct{}

// Kind names the job.
func (PurgeArgs) Kind() string { return "import.purge" }

// PurgeWorker runs PurgeArgs; running it twice is harmless.
type PurgeWorker struct {
	river.WorkerDefaults[PurgeArgs]
	DB *store.DB
}

// uploadRE names the files the server saved for uploads
// (<workspace>-<token>.csv); files the CLI imported from elsewhere are
// never deleted.
var uploadRE = regexp.MustCompile(`^[0-9]+-[A-Za-z0-9_-]{16,64}\.csv$`)

// Work purges.
func (w *PurgeWorker) Work(ctx context.Context, _ *river.Job[PurgeArgs]) error {
	_, err := Purge(ctx, w.DB, w.DB.Now())
	return err
}

// Purge deletes what imports past their undo window left behind, and
// returns how many imports it cleaned.
func Purge(ctx context.Context, db *store.DB, now time.Time) (int, error) {
	type done struct {
		ws, id crm.ID
		path   string
	}
	var list []done
	err := db.Read(ctx, func(tx *store.Tx) error {
		// Instance-wide on purpose: a maintenance job over all workspaces.
		rows, err := tx.Unscoped().Query(`SELECT workspace_id, id, file_path FROM imports
			WHERE undo_until < ? AND status NOT IN ('queued', 'running') AND file_path <> '' ORDER BY id LIMIT 1000`, store.Micros(now))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var d done
			if err := rows.Scan(&d.ws, &d.id, &d.path); err != nil {
				return err
			}
			list = append(list, d)
		}
		return rows.Err()
	})
	if err != nil {
		return 0, errf("purge: %w", err)
	}
	for _, d := range list {
		err := db.Write(ctx, func(tx *store.Tx) error {
			for _, q := range []string{
				`DELETE FROM import_before WHERE workspace_id = ? AND import_id = ?`,
				`DELETE FROM import_issues WHERE workspace_id = ? AND import_id = ?`,
				`UPDATE imports SET file_path = '' WHERE workspace_id = ? AND id = ?`,
			} {
				if _, err := tx.Exec(q, d.ws, d.id); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return 0, errf("purge import %d: %w", d.id, err)
		}
		if uploadRE.MatchString(filepath.Base(d.path)) {
			_ = os.Remove(d.path)
		}
	}
	return len(list), nil
}

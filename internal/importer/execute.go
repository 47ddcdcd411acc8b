package importer

import (
	"context"
	"errors"
	"io"
	"os"
	"time"

	"github.com/tandemcrm/tandem/internal/audit"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// Options tune Execute.
type Options struct {
	// TxRows is how many rows one transaction (and one checkpoint) covers;
	// default 20,000.
	TxRows int
	// OnProgress is called after every committed batch.
	OnProgress func(Import)
	// OnRow is called with every row's outcome (the CLI's --report), its
	// Field the column's header in the file, as the stored report has it.
	OnRow func(line int, o Outcome)
	// MaxPlanLines bounds how many "would create/update" lines a dry run
	// stores in the report (errors and skips are always stored); default 10,000.
	MaxPlanLines int
	// Overlap decides the rows of a batch while the batch before commits
	// (contacts; see run): the import then uses both cores. The command
	// line sets it; the server's import job leaves it off, so that requests
	// keep a core to themselves (issue 8's budget for the API during an
	// import: bench/import-api.sh put the list's p95 at 1.7–2.0x idle
	// with it, 1.65x without).
	Overlap bool
	// RowsDone, when set, is called once every row is committed, before
	// the staged records are moved in and the search documents written:
	// what deciding rows needed is garbage from then on (the command line
	// lowers its soft memory limit there).
	RowsDone func()
	// StaleAfter is how long a running import must have made no progress
	// before another process may take it over (after a crash); default
	// StaleAfter. A live run commits every few seconds.
	StaleAfter time.Duration
}

// StaleAfter is the default time without progress after which a running
// import counts as abandoned. River's rescuer retries jobs it thinks are
// stuck; without this, a long import could run twice at once.
const StaleAfter = 2 * time.Minute

// errStopped means the import stopped because it was cancelled.
var errStopped = errors.New("importer: cancelled")

// Execute runs (or continues, from its checkpoint) a queued or running
// import until the file ends, it is cancelled, or it fails. Each batch of
// rows commits together with the checkpoint after it, so a crash at any
// moment loses only the uncommitted batch, which a resumed run reads again:
// nothing is imported twice and nothing is lost.
func Execute(ctx context.Context, db *store.DB, ws, id crm.ID, o Options) (Import, error) {
	if o.TxRows <= 0 {
		o.TxRows = 20_000
	}
	if o.MaxPlanLines == 0 {
		o.MaxPlanLines = 10_000
	}
	if o.StaleAfter == 0 {
		o.StaleAfter = StaleAfter
	}
	var imp Import
	err := db.Write(ctx, func(tx *store.Tx) error {
		var err error
		if imp, err = load(tx, ws, id); err != nil {
			return err
		}
		if imp.Status != Queued && imp.Status != Running {
			return nil
		}
		if imp.Status == Running && tx.Now.Sub(imp.UpdatedAt) < o.StaleAfter {
			return crm.Errorf(crm.Conflict, "This import is running elsewhere (last progress at %s).", imp.UpdatedAt.Format(time.TimeOnly))
		}
		imp.Status = Running
		_, err = tx.Exec(`UPDATE imports SET status = ?, started_at = COALESCE(started_at, ?), updated_at = ? WHERE workspace_id = ? AND id = ?`,
			Running, store.Micros(tx.Now), store.Micros(tx.Now), ws, id)
		if imp.StartedAt.IsZero() {
			imp.StartedAt = tx.Now
		}
		return err
	})
	if err != nil || imp.Status != Running {
		return imp, err
	}
	if db.Dialect() == store.SQLite {
		// Each multi-row INSERT in a transaction keeps a statement journal
		// of the pages it changes; in a temporary file that cost a fifth of
		// an import's time in writes (measured). temp_store cannot change
		// inside a transaction, hence the raw handle of the one writer
		// connection, which keeps the setting.
		if _, err := db.SQLDB().ExecContext(ctx, `PRAGMA temp_store = MEMORY`); err != nil {
			return imp, errf("temp store: %w", err)
		}
	}
	ex := &execution{db: db, imp: imp, o: o}
	err = ex.run(ctx)
	switch {
	case errors.Is(err, errStopped):
		return ex.reload(ctx)
	case err != nil && ctx.Err() != nil:
		// Shutdown: leave the import running; the job is retried and
		// continues from the checkpoint.
		return ex.imp, err
	case err != nil:
		// What was committed stays, as with a cancel: staged records move
		// in (if that fails too, a resumed run moves them).
		// Records that moved in get their search documents.
		if ex.merge(context.WithoutCancel(ctx)) == nil {
			_ = ex.index(context.WithoutCancel(ctx))
		}
		ex.failWith(err)
		imp, _ := ex.reload(context.WithoutCancel(ctx))
		return imp, err
	}
	return ex.reload(ctx)
}

type execution struct {
	db      *store.DB
	imp     Import
	o       Options
	rn      *Run // what the kind's batch resolves rows with
	kind    Kind
	plan    Plan
	headers map[string]string // field → column header, for the report
	cols    []string          // column index → header
	planned int               // dry-run lines stored so far
}

func (ex *execution) reload(ctx context.Context) (Import, error) {
	err := ex.db.Read(ctx, func(tx *store.Tx) (err error) {
		ex.imp, err = load(tx, ex.imp.WorkspaceID, ex.imp.ID)
		return err
	})
	return ex.imp, err
}

func (ex *execution) failWith(cause error) {
	msg := crm.ErrorMessage(cause)
	if crm.ErrorCode(cause) == crm.Internal {
		msg = "internal error: " + cause.Error()
	}
	_ = ex.db.Write(context.Background(), func(tx *store.Tx) error {
		_, err := tx.Exec(`UPDATE imports SET status = ?, error = ?, updated_at = ?, undo_until = ? WHERE workspace_id = ? AND id = ?`,
			StatusFailed, msg, store.Micros(tx.Now), store.Micros(tx.Now.Add(UndoWindow)), ex.imp.WorkspaceID, ex.imp.ID)
		return err
	})
}

// principal is the person who started the import, with their role now.
func principal(tx *store.Tx, ws, user crm.ID) (crm.Principal, error) {
	var role string
	var deactivated *int64
	err := tx.QueryRow(`SELECT role, deactivated_at FROM memberships WHERE workspace_id = ? AND user_id = ?`, ws, user).Scan(&role, &deactivated)
	if errors.Is(err, store.ErrNoRows) || deactivated != nil {
		return crm.Principal{}, crm.Errorf(crm.Forbidden, "The person who started this import is no longer a member of the workspace.")
	}
	if err != nil {
		return crm.Principal{}, err
	}
	return crm.Principal{UserID: user, WorkspaceID: ws, Role: crm.Role(role)}, nil
}

func (ex *execution) prepare(tx *store.Tx, header []string) error {
	imp := ex.imp
	p, err := principal(tx, imp.WorkspaceID, imp.CreatedBy)
	if err != nil {
		return err
	}
	if ex.kind, err = KindNamed(imp.Kind); err != nil {
		return err
	}
	defs, err := LoadDefs(tx, imp.WorkspaceID, ex.kind)
	if err != nil {
		return err
	}
	if ex.plan, err = Resolve(ex.kind, imp.Template, header, defs); err != nil {
		return err
	}
	ex.headers, ex.cols = map[string]string{}, header
	for i, f := range ex.plan.Fields {
		if f != "" {
			ex.headers[f] = header[i]
		}
	}
	ex.rn = &Run{ID: imp.ID, WorkspaceID: imp.WorkspaceID, Principal: p, Plan: ex.plan, DryRun: imp.DryRun,
		Custom: defs.Custom, Now: tx.Now, NewID: ex.db.NewID}
	return ex.rn.load(tx)
}

// open reads the header and positions a reader at the checkpoint.
func (ex *execution) open() (*os.File, RowSource, []string, error) {
	f, err := os.Open(ex.imp.FilePath)
	if err != nil {
		return nil, nil, nil, crm.Errorf(crm.Invalid, "The imported file is gone (%s); start a new import.", ex.imp.FileName)
	}
	st, err := f.Stat()
	if err == nil && st.Size() != ex.imp.FileSize {
		err = crm.Errorf(crm.Invalid, "The imported file changed size since the import began; start a new import.")
	}
	if err != nil {
		f.Close()
		return nil, nil, nil, err
	}
	rd, header, err := resumeSource(f, ex.imp) // CSV, XLSX or vCard (source.go)
	if err != nil {
		f.Close()
		return nil, nil, nil, err
	}
	return f, rd, header, nil
}

func (ex *execution) run(ctx context.Context) error {
	f, rd, header, err := ex.open()
	if err != nil {
		return err
	}
	defer f.Close()
	var batch Batch
	err = ex.db.Write(ctx, func(tx *store.Tx) error {
		if tx.Dialect() == store.SQLite {
			// A bigger page cache than the default 2 MB for the writer:
			// index pages of a big table are read again less often. 16 MB,
			// not 64: measured on 1M rows, 64 MB saved ~15% CPU but cost
			// ~95 MB of peak memory (the budget is 300 MB). The writer
			// connection keeps this size.
			if _, err := tx.Exec(`PRAGMA cache_size = -16384`); err != nil {
				return err
			}
		}
		if err := ex.prepare(tx, header); err != nil {
			return err
		}
		batch, err = ex.kind.Start(tx, ex.rn)
		return err
	})
	if err != nil {
		return err
	}
	// With Overlap, a batch that can detach its writes (detacher) commits
	// on its own goroutine while the next rows are read and decided: the
	// two cores share the row phase, as deciding rows is memory work and
	// writing them the one SQLite writer's. Batches still commit one at a
	// time, in order, each with the checkpoint after its last row.
	var inflight chan committed
	defer func() {
		if inflight != nil {
			<-inflight // an error return leaves no write behind
		}
	}()
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		var c counts
		var issues [][]any
		eof := false
		for n := 0; n < ex.o.TxRows; n++ {
			row, err := rd.Read()
			if errors.Is(err, io.EOF) {
				eof = true
				break
			}
			if err != nil {
				return err
			}
			issues = ex.handle(row, batch, &c, issues)
		}
		if inflight != nil {
			// A cancel seen by the previous batch's commit drops the rows
			// just decided, as it drops a batch decided before the check.
			stop, err := ex.committed(<-inflight)
			inflight = nil
			if err != nil || stop {
				return ex.stopped(ctx, stop, err)
			}
		}
		w, overlap := batch, false
		if d, ok := batch.(detacher); ok {
			w, overlap = d.Detach(), !eof && ex.o.Overlap
		}
		if eof {
			// The last batch is what finishes the import; what deciding
			// rows needed (a big import's dedupe keys: tens of megabytes)
			// is garbage from here on, before the merge and the documents.
			batch = w
		}
		at := checkpoint{offset: rd.Offset(), line: rd.Line()}
		commit := func() committed {
			if commitStarting != nil {
				commitStarting()
			}
			return ex.commit(ctx, w, at, c, issues)
		}
		if overlap {
			done := make(chan committed, 1)
			go func() { done <- commit() }()
			inflight = done
			continue
		}
		stop, err := ex.committed(commit())
		if err != nil || stop {
			return ex.stopped(ctx, stop, err)
		}
		if eof {
			// Each phase's time is logged: where a big import spends it
			// (docs/BENCHMARKS.md) is read from these lines.
			log, t := ex.db.Logger(), time.Now()
			log.Info("import: rows done", "import", ex.imp.ID, "rows", ex.imp.RowsDone, "since_start", time.Since(ex.imp.StartedAt).Round(time.Millisecond))
			if ex.o.RowsDone != nil {
				ex.o.RowsDone()
			}
			if err := ex.merge(ctx); err != nil {
				return err
			}
			log.Info("import: staged records moved in", "import", ex.imp.ID, "took", time.Since(t).Round(time.Millisecond))
			t = time.Now()
			if err := ex.index(ctx); err != nil {
				return err
			}
			log.Info("import: search documents written", "import", ex.imp.ID, "took", time.Since(t).Round(time.Millisecond))
			err := ex.db.Write(ctx, func(tx *store.Tx) error { return ex.finish(tx, batch) })
			if err != nil {
				return err
			}
			if ex.o.OnProgress != nil {
				imp, _ := ex.reload(ctx)
				ex.o.OnProgress(imp)
			}
			return nil
		}
	}
}

// committed takes in a batch's commit: the import as it stands after it
// (reported to OnProgress), and whether it was cancelled meanwhile.
func (ex *execution) committed(c committed) (bool, error) {
	if c.err != nil {
		return false, c.err
	}
	ex.imp = c.imp
	if ex.o.OnProgress != nil {
		ex.o.OnProgress(ex.imp)
	}
	return c.stop, nil
}

// stopped ends a run after a failed or cancelled commit. Cancelled: what
// was committed stays, searchable like any record (a resumed run goes on
// from index_progress).
func (ex *execution) stopped(ctx context.Context, stop bool, err error) error {
	if err != nil {
		return err
	}
	if err := ex.merge(ctx); err != nil {
		return err
	}
	if err := ex.index(ctx); err != nil {
		return err
	}
	return errStopped
}

// merge moves the records the batches staged into their table (stage.go).
func (ex *execution) merge(ctx context.Context) error {
	st, ok := ex.kind.(stager)
	if !ok || ex.imp.DryRun || ex.rn == nil {
		return nil
	}
	return st.mergeStage(ctx, ex.db, ex.rn)
}

type counts struct{ rows, created, updated, skipped, errors int }

// handle decides one row and collects its report lines.
func (ex *execution) handle(row Row, batch Batch, c *counts, issues [][]any) [][]any {
	c.rows++
	add := func(o Outcome) {
		col := ex.headers[o.Field]
		if col == "" {
			col = o.Field
		}
		v := o.Value
		if len(v) > 200 {
			v = v[:200] + "…"
		}
		issues = append(issues, []any{ex.db.NewID(), ex.imp.WorkspaceID, ex.imp.ID, row.Line, string(o.Action), col, v, o.Message})
		if ex.o.OnRow != nil {
			o.Field = col // as the stored report names it: the file's header
			ex.o.OnRow(row.Line, o)
		}
	}
	var out Outcome
	for _, p := range row.Problems {
		col := ""
		if p.Column > 0 && p.Column <= len(ex.cols) {
			col = ex.cols[p.Column-1]
		}
		if p.Severity == Error {
			out = Outcome{Action: Errored, Message: p.Message}
			break
		}
		add(Outcome{Action: Warned, Field: col, Message: p.Message})
	}
	var vals map[string]string
	if out.Action == "" {
		vals = ex.plan.Values(row.Fields)
		if len(vals) == 0 {
			out = Outcome{Action: Skipped, Message: "the row has no values in mapped columns"}
		}
	}
	if out.Action == "" {
		out = batch.Row(row.Line, vals)
	}
	for _, n := range out.Notes {
		add(n)
	}
	out.Notes = nil
	switch out.Action {
	case Created, Updated:
		if out.Action == Created {
			c.created++
		} else {
			c.updated++
		}
		if ex.imp.DryRun && ex.planned < ex.o.MaxPlanLines {
			ex.planned++
			add(Outcome{Action: out.Action, Message: "would be " + string(out.Action)})
		} else if ex.o.OnRow != nil {
			ex.o.OnRow(row.Line, out)
		}
	case Skipped:
		c.skipped++
		add(out)
	default:
		c.errors++
		add(out)
	}
	return issues
}

var issueCols = []string{"id", "workspace_id", "import_id", "line", "action", "column_name", "value", "message"}

// commitStarting, when set (tests), is called before each batch's commit
// writes (on its own goroutine when it overlaps the next rows).
var commitStarting func()

// checkpoint is where the rows of a batch end in the file.
type checkpoint struct {
	offset int64
	line   int
}

// committed is the outcome of commit.
type committed struct {
	imp  Import
	stop bool
	err  error
}

// commit writes one batch with its report lines and the checkpoint after
// it, unless the import was cancelled meanwhile. It runs on a goroutine of
// its own while the next rows are decided, so it reads of ex only what
// does not change during a run.
func (ex *execution) commit(ctx context.Context, batch Batch, at checkpoint, c counts, issues [][]any) committed {
	stop := false
	ws, id := ex.imp.WorkspaceID, ex.imp.ID
	err := ex.db.Write(ctx, func(tx *store.Tx) error {
		var cancel int
		if err := tx.QueryRow(`SELECT cancel_requested FROM imports WHERE workspace_id = ? AND id = ?`, ws, id).Scan(&cancel); err != nil {
			return err
		}
		if cancel == 1 {
			stop = true
			_, err := tx.Exec(`UPDATE imports SET status = ?, updated_at = ?, undo_until = ? WHERE workspace_id = ? AND id = ?`,
				Cancelled, store.Micros(tx.Now), store.Micros(tx.Now.Add(UndoWindow)), ws, id)
			return err
		}
		audit.Bulk(tx, "import", id) // one audit entry per kind and action, not per row
		if err := batch.Flush(tx); err != nil {
			return err
		}
		if err := insertRows(tx, "import_issues", issueCols, issues); err != nil {
			return err
		}
		_, err := tx.Exec(`UPDATE imports SET checkpoint_offset = ?, checkpoint_line = ?, rows_done = rows_done + ?,
			created_count = created_count + ?, updated_count = updated_count + ?, skipped_count = skipped_count + ?,
			error_count = error_count + ?, updated_at = ? WHERE workspace_id = ? AND id = ?`,
			at.offset, at.line, c.rows, c.created, c.updated, c.skipped, c.errors, store.Micros(tx.Now), ws, id)
		if err != nil {
			return errf("checkpoint: %w", err)
		}
		return nil
	})
	if err != nil {
		return committed{err: err}
	}
	var imp Import
	err = ex.db.Read(ctx, func(tx *store.Tx) (err error) { imp, err = load(tx, ws, id); return err })
	return committed{imp: imp, stop: stop, err: err}
}

func (ex *execution) finish(tx *store.Tx, batch Batch) error {
	if err := batch.Finish(tx); err != nil {
		return err
	}
	ws, id := ex.imp.WorkspaceID, ex.imp.ID
	if _, err := tx.Exec(`UPDATE imports SET status = ?, finished_at = ?, undo_until = ?, updated_at = ? WHERE workspace_id = ? AND id = ?`,
		Done, store.Micros(tx.Now), store.Micros(tx.Now.Add(UndoWindow)), store.Micros(tx.Now), ws, id); err != nil {
		return err
	}
	imp, err := load(tx, ws, id)
	if err != nil {
		return err
	}
	return tx.Emit(crm.Event{WorkspaceID: ws, Actor: ex.rn.Principal.Actor(), ObjectType: "import", ObjectID: id, Action: crm.Updated,
		Changes: map[string]crm.Change{"status": {Before: string(Running), After: string(Done)},
			"summary": {After: imp.Summary()}}})
}

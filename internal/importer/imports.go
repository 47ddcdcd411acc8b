package importer

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/audit"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// Status is where an import is in its life.
type Status string

// Import statuses. queued → running → done | failed | cancelled; a
// cancelled or failed import can be resumed (running again) or undone; a
// done one can be undone within UndoWindow.
const (
	Queued       Status = "queued"
	Running      Status = "running"
	Done         Status = "done"
	StatusFailed Status = "failed"
	Cancelled    Status = "cancelled"
	Undone       Status = "undone"
)

// UndoWindow is how long after it stops an import can be undone; its
// before-images are kept that long.
const UndoWindow = 7 * 24 * time.Hour

// Import is one import job.
type Import struct {
	ID              crm.ID
	WorkspaceID     crm.ID
	Kind            string
	Status          Status
	DryRun          bool
	FileName        string
	FilePath        string
	FileSize        int64
	Encoding        string
	Delimiter       string
	Format          FileFormat // csv, xlsx or vcard
	Sheet           string     // the workbook's sheet read (XLSX)
	Template        Template
	Offset          int64 // checkpoint: byte offset of the next row
	Line            int   // and its line
	RowsDone        int
	Created         int
	Updated         int
	Skipped         int
	Errors          int
	CancelRequested bool
	Error           string
	CreatedBy       crm.ID
	CreatedAt       time.Time
	UpdatedAt       time.Time
	StartedAt       time.Time
	FinishedAt      time.Time
	UndoUntil       time.Time
	UndoneAt        time.Time
}

// Summary is the one-line result the CLI prints.
func (i Import) Summary() string {
	return fmt.Sprintf("created=%d updated=%d skipped=%d errors=%d", i.Created, i.Updated, i.Skipped, i.Errors)
}

// Progress is the share of the file read, 0..1.
func (i Import) Progress() float64 {
	switch {
	case i.Status == Done || i.Status == Undone:
		return 1
	case i.FileSize <= 0 || i.RowsDone == 0:
		return 0
	}
	return min(1, float64(i.Offset)/float64(i.FileSize))
}

// Rate is rows per second since the run started, and the estimated time
// left; zero when unknown.
func (i Import) Rate(now time.Time) (float64, time.Duration) {
	if i.StartedAt.IsZero() || i.RowsDone == 0 {
		return 0, 0
	}
	end := now
	if !i.FinishedAt.IsZero() {
		end = i.FinishedAt
	}
	secs := end.Sub(i.StartedAt).Seconds()
	if secs <= 0 {
		return 0, 0
	}
	rate := float64(i.RowsDone) / secs
	if p := i.Progress(); p > 0 && p < 1 && i.Status == Running {
		return rate, time.Duration(secs * (1 - p) / p * float64(time.Second))
	}
	return rate, 0
}

// NewImport is what starting an import takes.
type NewImport struct {
	Kind     string
	FileName string    // as the user named it
	FilePath string    // where the file is (the server's copy of an upload)
	Template *Template // nil: map automatically
	DryRun   bool
	Sheet    string // XLSX: the sheet's name or 1-based number; "" the first
}

// Preview is a file's first look: format, dialect, header and the
// automatic or given mapping, resolved (Err says what is wrong with it).
type Preview struct {
	Format   FileFormat
	Sheet    string
	Dialect  Dialect
	Header   []string
	Sample   []string // the first data row, if any
	Template Template
	Offset   int64 // where the first data row starts
	Line     int
	Size     int64
	Err      error
}

// PreviewFile reads a file's header and maps it.
func PreviewFile(tx *store.Tx, ws crm.ID, kind Kind, path string, t *Template) (Preview, error) {
	return PreviewSheet(tx, ws, kind, path, "", t)
}

// PreviewSheet is PreviewFile for a chosen sheet of a workbook.
func PreviewSheet(tx *store.Tx, ws crm.ID, kind Kind, path, sheet string, t *Template) (Preview, error) {
	var pv Preview
	f, err := os.Open(path)
	if err != nil {
		return pv, errf("open %s: %w", path, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return pv, err
	}
	pv.Size = st.Size()
	src, err := OpenSource(f, pv.Size, sheet)
	if err != nil {
		return pv, err
	}
	defer src.Close()
	if src.Format == FileVCard && kind.Name() != "contacts" {
		return pv, crm.Errorf(crm.Invalid, "A vCard file holds people: import it as contacts, not %s.", kind.Name())
	}
	pv.Format, pv.Sheet, pv.Dialect = src.Format, src.Sheet, src.Dialect
	pv.Header, pv.Offset, pv.Line = src.Header, src.Offset, src.Line
	if first, err := src.Rows.Read(); err == nil {
		pv.Sample = first.Fields
	} else if !errors.Is(err, io.EOF) && src.Format != FileCSV {
		return pv, err
	}
	defs, err := LoadDefs(tx, ws, kind)
	if err != nil {
		return pv, err
	}
	if t == nil {
		pv.Template = AutoMap(kind, pv.Header, defs)
	} else {
		pv.Template = *t
		if pv.Template.Kind == "" {
			pv.Template.Kind = kind.Name()
		}
	}
	_, pv.Err = Resolve(kind, pv.Template, pv.Header, defs)
	return pv, nil
}

// Create records a new import (queued), after checking the file and its
// mapping. The caller runs it (Execute) or enqueues the job that does.
func Create(tx *store.Tx, p crm.Principal, in NewImport) (Import, error) {
	kind, err := KindNamed(in.Kind)
	if err != nil {
		return Import{}, err
	}
	if err := account.Can(tx, p, account.ActCreate, p.UserID); err != nil {
		return Import{}, err
	}
	if in.Template != nil && len(in.Template.NewFields) > 0 {
		t := *in.Template
		t.Columns = append([]ColumnMap(nil), t.Columns...)
		if in.DryRun {
			t.NewFields = nil // a dry run changes nothing: those columns stay out
		} else if err := createFields(tx, p, kind, &t); err != nil {
			return Import{}, err
		}
		in.Template = &t
	}
	pv, err := PreviewSheet(tx, p.WorkspaceID, kind, in.FilePath, in.Sheet, in.Template)
	if err != nil {
		return Import{}, err
	}
	if pv.Err != nil {
		return Import{}, pv.Err
	}
	imp := Import{ID: tx.NewID(), WorkspaceID: p.WorkspaceID, Kind: kind.Name(), Status: Queued, DryRun: in.DryRun,
		FileName: in.FileName, FilePath: in.FilePath, FileSize: pv.Size, Encoding: string(pv.Dialect.Encoding),
		Delimiter: delimiterOf(pv.Dialect), Format: pv.Format, Sheet: pv.Sheet, Template: pv.Template, Offset: pv.Offset, Line: pv.Line,
		CreatedBy: p.UserID, CreatedAt: tx.Now, UpdatedAt: tx.Now}
	if pv.Dialect.BOM {
		imp.Encoding += "-bom"
	}
	tj, _ := json.Marshal(imp.Template)
	_, err = tx.Exec(`INSERT INTO imports (id, workspace_id, kind, status, dry_run, file_name, file_path, file_size, encoding,
		delimiter, format, sheet, template, checkpoint_offset, checkpoint_line, created_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		imp.ID, imp.WorkspaceID, imp.Kind, imp.Status, boolInt(imp.DryRun), imp.FileName, imp.FilePath, imp.FileSize,
		imp.Encoding, imp.Delimiter, string(imp.Format), imp.Sheet, string(tj), imp.Offset, imp.Line, imp.CreatedBy,
		store.Micros(tx.Now), store.Micros(tx.Now))
	if err != nil {
		return imp, errf("create import: %w", err)
	}
	return imp, tx.Emit(crm.Event{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), ObjectType: "import", ObjectID: imp.ID,
		Action: crm.Created, Changes: map[string]crm.Change{"kind": {After: imp.Kind}, "file_name": {After: imp.FileName},
			"dry_run": {After: imp.DryRun}}})
}

// delimiterOf is the delimiter stored with an import: a CSV's, none for
// other formats.
func delimiterOf(d Dialect) string {
	if d.Delimiter == 0 {
		return ""
	}
	return string(d.Delimiter)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

const importCols = `id, workspace_id, kind, status, dry_run, file_name, file_path, file_size, encoding, delimiter, format, sheet, template,
	checkpoint_offset, checkpoint_line, rows_done, created_count, updated_count, skipped_count, error_count, cancel_requested,
	error, created_by, created_at, updated_at, started_at, finished_at, undo_until, undone_at`

func scanImport(row interface{ Scan(...any) error }) (Import, error) {
	var i Import
	var dry, cancel int
	var tj string
	var created, updated int64
	var started, finished, until, undone *int64
	err := row.Scan(&i.ID, &i.WorkspaceID, &i.Kind, &i.Status, &dry, &i.FileName, &i.FilePath, &i.FileSize, &i.Encoding,
		&i.Delimiter, &i.Format, &i.Sheet, &tj, &i.Offset, &i.Line, &i.RowsDone, &i.Created, &i.Updated, &i.Skipped, &i.Errors, &cancel,
		&i.Error, &i.CreatedBy, &created, &updated, &started, &finished, &until, &undone)
	if err != nil {
		return i, err
	}
	i.DryRun, i.CancelRequested = dry == 1, cancel == 1
	i.CreatedAt, i.UpdatedAt = store.FromMicros(created), store.FromMicros(updated)
	for _, t := range []struct {
		src *int64
		dst *time.Time
	}{{started, &i.StartedAt}, {finished, &i.FinishedAt}, {until, &i.UndoUntil}, {undone, &i.UndoneAt}} {
		if t.src != nil {
			*t.dst = store.FromMicros(*t.src)
		}
	}
	return i, json.Unmarshal([]byte(tj), &i.Template)
}

var errNoImport = crm.Errorf(crm.NotFound, "No such import.")

// Get returns an import of the workspace that the principal may see: their
// own, or any for admins and owners.
func Get(tx *store.Tx, p crm.Principal, id crm.ID) (Import, error) {
	imp, err := load(tx, p.WorkspaceID, id)
	if err != nil {
		return imp, err
	}
	if imp.CreatedBy != p.UserID && p.Role.Rank() < crm.RoleAdmin.Rank() {
		return Import{}, errNoImport
	}
	return imp, nil
}

func load(tx *store.Tx, ws, id crm.ID) (Import, error) {
	imp, err := scanImport(tx.QueryRow(`SELECT `+importCols+` FROM imports WHERE workspace_id = ? AND id = ?`, ws, id))
	if errors.Is(err, store.ErrNoRows) {
		return imp, errNoImport
	}
	return imp, err
}

// List returns the workspace's imports the principal may see, newest first.
func List(tx *store.Tx, p crm.Principal, limit int) ([]Import, error) {
	q, args := `SELECT `+importCols+` FROM imports WHERE workspace_id = ?`, []any{p.WorkspaceID}
	if p.Role.Rank() < crm.RoleAdmin.Rank() {
		q += ` AND created_by = ?`
		args = append(args, p.UserID)
	}
	rows, err := tx.Query(q+` ORDER BY id DESC LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, errf("list: %w", err)
	}
	defer rows.Close()
	var out []Import
	for rows.Next() {
		imp, err := scanImport(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, imp)
	}
	return out, rows.Err()
}

// Cancel asks a queued or running import to stop after its current batch.
// What it committed stays (undo removes it); it can be resumed.
func Cancel(tx *store.Tx, p crm.Principal, id crm.ID) (Import, error) {
	imp, err := Get(tx, p, id)
	if err != nil {
		return imp, err
	}
	switch imp.Status {
	case Queued:
		_, err = tx.Exec(`UPDATE imports SET status = ?, cancel_requested = 1, updated_at = ?, undo_until = ? WHERE workspace_id = ? AND id = ?`,
			Cancelled, store.Micros(tx.Now), store.Micros(tx.Now.Add(UndoWindow)), p.WorkspaceID, id)
	case Running:
		_, err = tx.Exec(`UPDATE imports SET cancel_requested = 1, updated_at = ? WHERE workspace_id = ? AND id = ?`,
			store.Micros(tx.Now), p.WorkspaceID, id)
	default:
		return imp, crm.Errorf(crm.Conflict, "This import is %s; only a queued or running import can be cancelled.", imp.Status)
	}
	if err != nil {
		return imp, errf("cancel: %w", err)
	}
	return load(tx, p.WorkspaceID, id)
}

// Resume makes a cancelled or failed import runnable again from its
// checkpoint; the caller then runs it (Execute) or enqueues its job.
func Resume(tx *store.Tx, p crm.Principal, id crm.ID) (Import, error) {
	imp, err := Get(tx, p, id)
	if err != nil {
		return imp, err
	}
	switch imp.Status {
	case Cancelled, StatusFailed, Queued, Running:
	default:
		return imp, crm.Errorf(crm.Conflict, "This import is %s; there is nothing to resume.", imp.Status)
	}
	if imp.Status == Running && tx.Now.Sub(imp.UpdatedAt) < StaleAfter {
		return imp, crm.Errorf(crm.Conflict, "This import is still running (last progress at %s); a run that stopped can be resumed %s after its last progress.",
			imp.UpdatedAt.Format(time.TimeOnly), StaleAfter)
	}
	if _, err := tx.Exec(`UPDATE imports SET status = ?, cancel_requested = 0, error = '', updated_at = ? WHERE workspace_id = ? AND id = ?`,
		Queued, store.Micros(tx.Now), p.WorkspaceID, id); err != nil {
		return imp, errf("resume: %w", err)
	}
	return load(tx, p.WorkspaceID, id)
}

// UndoImport removes what an import created and restores what it updated,
// in one transaction. Only the person who ran it, or an admin, may.
func UndoImport(ctx context.Context, db *store.DB, p crm.Principal, id crm.ID) (Import, UndoResult, error) {
	var res UndoResult
	var imp Import
	err := db.Write(ctx, func(tx *store.Tx) error {
		var err error
		if imp, err = Get(tx, p, id); err != nil {
			return err
		}
		if err := account.Can(tx, p, account.ActCreate, p.UserID); err != nil {
			return err
		}
		audit.Bulk(tx, "import", id)
		switch {
		case imp.DryRun:
			return crm.Errorf(crm.Conflict, "A dry run changed nothing; there is nothing to undo.")
		case imp.Status == Undone:
			return crm.Errorf(crm.Conflict, "This import was undone already.")
		case imp.Status == Running || imp.Status == Queued:
			return crm.Errorf(crm.Conflict, "This import is still %s; cancel it first.", imp.Status)
		case !imp.UndoUntil.IsZero() && tx.Now.After(imp.UndoUntil):
			return crm.Errorf(crm.Conflict, "This import can no longer be undone: the %d-day window ended on %s.",
				int(UndoWindow.Hours()/24), imp.UndoUntil.Format(time.DateOnly))
		}
		kind, err := KindNamed(imp.Kind)
		if err != nil {
			return err
		}
		run := &Run{ID: imp.ID, WorkspaceID: imp.WorkspaceID, Principal: p, Now: tx.Now}
		if res, err = kind.Undo(tx, run); err != nil {
			return err
		}
		if _, err := tx.Exec(`UPDATE imports SET status = ?, undone_at = ?, updated_at = ? WHERE workspace_id = ? AND id = ?`,
			Undone, store.Micros(tx.Now), store.Micros(tx.Now), imp.WorkspaceID, imp.ID); err != nil {
			return err
		}
		// The before-images served their purpose.
		if _, err := tx.Exec(`DELETE FROM import_before WHERE workspace_id = ? AND import_id = ?`, imp.WorkspaceID, imp.ID); err != nil {
			return err
		}
		imp.Status, imp.UndoneAt = Undone, tx.Now
		return tx.Emit(crm.Event{WorkspaceID: imp.WorkspaceID, Actor: p.Actor(), ObjectType: "import", ObjectID: imp.ID,
			Action: crm.Updated, Changes: map[string]crm.Change{"status": {Before: "done", After: "undone"},
				"removed": {After: res.Removed}, "restored": {After: res.Restored}, "left_alone": {After: res.LeftAlone},
				"consents": {After: res.Consents}}})
	})
	return imp, res, err
}

// Issue is one line of an import's report.
type Issue struct {
	Line    int    `json:"line"`
	Action  Action `json:"action"`
	Column  string `json:"column,omitempty"`
	Value   string `json:"value,omitempty"`
	Message string `json:"message"`
}

// Issues returns an import's report lines after line `after`, in order.
func Issues(tx *store.Tx, p crm.Principal, id crm.ID, after, limit int) ([]Issue, error) {
	// After every issue of line `after`: the highest id there is.
	out, _, err := IssuesPage(tx, p, id, fmt.Sprintf("%d.%d", after, int64(math.MaxInt64)), limit)
	return out, err
}

// IssuesPage returns up to limit lines of an import's report after cursor
// ("" for the first page; else a next cursor), and the cursor of the page
// after ("" at the end). Unlike a line number, the cursor also tells apart
// the issues of one line, so a line with several is never cut at a page
// boundary. A malformed cursor is an invalid-input error on "cursor".
func IssuesPage(tx *store.Tx, p crm.Principal, id crm.ID, cursor string, limit int) ([]Issue, string, error) {
	var line int
	var last int64
	if cursor != "" {
		l, i, ok := strings.Cut(cursor, ".")
		var err1, err2 error
		line, err1 = strconv.Atoi(l)
		last, err2 = strconv.ParseInt(i, 10, 64)
		if !ok || err1 != nil || err2 != nil || line < 0 || last < 0 {
			return nil, "", (crm.FieldErrors{"cursor": "Use the next_cursor of the page before."}).Err()
		}
	}
	if _, err := Get(tx, p, id); err != nil {
		return nil, "", err
	}
	rows, err := tx.Query(`SELECT id, line, action, column_name, value, message FROM import_issues
		WHERE workspace_id = ? AND import_id = ? AND (line > ? OR line = ? AND id > ?) ORDER BY line, id LIMIT ?`,
		p.WorkspaceID, id, line, line, last, limit+1)
	if err != nil {
		return nil, "", errf("issues: %w", err)
	}
	defer rows.Close()
	out := []Issue{}
	var ids []int64
	for rows.Next() {
		var is Issue
		var rowID int64
		if err := rows.Scan(&rowID, &is.Line, &is.Action, &is.Column, &is.Value, &is.Message); err != nil {
			return nil, "", err
		}
		out, ids = append(out, is), append(ids, rowID)
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	next := ""
	if len(out) > limit {
		out = out[:limit]
		next = fmt.Sprintf("%d.%d", out[limit-1].Line, ids[limit-1])
	}
	return out, next, nil
}

// WriteReport streams an import's whole report to w as CSV — line, action,
// column, value, message — in line order, as `tandem import --report`
// writes it; it returns how many lines it wrote. Values are quoted from
// the file, so cells a spreadsheet would run as formulas are guarded as in
// exports.
func WriteReport(ctx context.Context, db *store.DB, p crm.Principal, id crm.ID, w io.Writer) (int, error) {
	n := 0
	err := db.Read(ctx, func(tx *store.Tx) error {
		if _, err := Get(tx, p, id); err != nil {
			return err
		}
		rows, err := tx.Query(`SELECT line, action, column_name, value, message FROM import_issues
			WHERE workspace_id = ? AND import_id = ? ORDER BY line, id`, p.WorkspaceID, id)
		if err != nil {
			return errf("report: %w", err)
		}
		defer rows.Close()
		cw := NewCSVWriter(bufio.NewWriterSize(w, 64<<10))
		if err := cw.Write(ReportHeader); err != nil {
			return err
		}
		for rows.Next() {
			var is Issue
			if err := rows.Scan(&is.Line, &is.Action, &is.Column, &is.Value, &is.Message); err != nil {
				return err
			}
			if err := cw.Write(is.Cells()); err != nil {
				return err
			}
			if n++; n%10_000 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
		}
		if err := rows.Err(); err != nil {
			return err
		}
		return cw.Flush()
	})
	return n, err
}

// ReportHeader is the header of a report file.
var ReportHeader = []string{"line", "action", "column", "value", "message"}

// Cells is the issue as a report file's row, its value and column guarded
// against spreadsheet formulas.
func (is Issue) Cells() []string {
	return []string{strconv.Itoa(is.Line), string(is.Action), safeCell(is.Column), safeCell(is.Value), safeCell(is.Message)}
}

package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/importer"
	"github.com/tandemcrm/tandem/internal/store"
)

const importUsage = "import contacts|companies|deals|products|activities FILE --workspace ID [--as EMAIL] [--sheet NAME|N] [--map TEMPLATE.json] [--new-fields \"Col A,Col B\"] [--dedupe email|phone|external_id|domain|name|sku|none] [--policy upsert|create|update] [--dry-run] [--report FILE] [--print-map]\n" +
	"       tandem import resume|undo|status IMPORT_ID --workspace ID [--as EMAIL]"

func runImport(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 {
		fmt.Fprintln(env.Stderr, "usage: tandem "+importUsage)
		return errUsage
	}
	sub := args[0]
	var ws, as, mapFile, dedupe, policy, report, sheet, newFields *string
	var dry, printMap *bool
	return withWriteDB(ctx, env, "import", importUsage, flagsFirst(args[1:], "dry-run", "print-map"),
		func(fs flagSet) {
			ws = fs.String("workspace", "", "workspace id")
			as = fs.String("as", "", "email of the member the import acts as (default: the workspace's first owner)")
			mapFile = fs.String("map", "", "mapping template (JSON); default: columns matched by their headers")
			dedupe = fs.String("dedupe", "", "field that finds existing records (email, phone, external_id; companies: domain, name); none: always create")
			policy = fs.String("policy", "", "what to do with matches: upsert (update them, create the rest; default), create (skip them), update (skip rows without one)")
			dry = fs.Bool("dry-run", false, "report what would happen, change nothing")
			report = fs.String("report", "", "write every line's outcome to this CSV file (line, action, column, value, message)")
			newFields = fs.String("new-fields", "", "headers of unmapped columns to import into new custom text fields, comma-separated")
			sheet = fs.String("sheet", "", "XLSX: the sheet to read, by name or number (default: the first)")
			printMap = fs.Bool("print-map", false, "print the mapping template for FILE (to edit and pass to --map) and stop")
		},
		func(db *store.DB, rest []string) error {
			wsID, err := crm.ParseID(*ws)
			if err != nil {
				return fmt.Errorf("--workspace %q is not a workspace id", *ws)
			}
			p, err := actingMember(ctx, db, wsID, *as)
			if err != nil {
				return describe(err)
			}
			switch sub {
			case "resume", "undo", "status":
				if len(rest) != 1 {
					return fmt.Errorf("usage: tandem import %s IMPORT_ID --workspace ID", sub)
				}
				id, err := crm.ParseID(rest[0])
				if err != nil {
					return fmt.Errorf("%q is not an import id", rest[0])
				}
				return importAgain(ctx, env, db, p, sub, id)
			}
			if len(rest) != 1 {
				return fmt.Errorf("usage: tandem %s", importUsage)
			}
			kind, err := importer.KindNamed(sub)
			if err != nil {
				return describe(err)
			}
			tmpl, err := buildTemplate(ctx, db, p, kind, rest[0], *sheet, *mapFile, *dedupe, *policy)
			if err != nil {
				return describe(err)
			}
			for _, h := range strings.Split(*newFields, ",") {
				if h = strings.TrimSpace(h); h != "" {
					tmpl.NewFields = append(tmpl.NewFields, importer.NewField{Header: h})
				}
			}
			if *printMap {
				b, _ := json.MarshalIndent(tmpl, "", "  ")
				fmt.Fprintln(env.Stdout, string(b))
				return nil
			}
			path, _ := filepath.Abs(rest[0])
			var imp importer.Import
			err = db.Write(ctx, func(tx *store.Tx) (err error) {
				imp, err = importer.Create(tx, p, importer.NewImport{Kind: kind.Name(), FileName: filepath.Base(path),
					FilePath: path, Template: &tmpl, DryRun: *dry, Sheet: *sheet})
				return err
			})
			if err != nil {
				return describe(err)
			}
			switch imp.Format {
			case importer.FileXLSX:
				fmt.Fprintf(env.Stderr, "import %s: workbook, sheet %q, mapped %s\n", imp.ID, imp.Sheet, mappedList(tmpl))
			case importer.FileVCard:
				fmt.Fprintf(env.Stderr, "import %s: vCard, %s, mapped %s\n", imp.ID, imp.Encoding, mappedList(tmpl))
			default:
				fmt.Fprintf(env.Stderr, "import %s: %s, %s-separated, mapped %s\n", imp.ID, imp.Encoding, delimName(imp.Delimiter), mappedList(tmpl))
			}
			return execute(ctx, env, db, imp, *report)
		})
}

// actingMember is the member an import or export acts as: the one named by
// email, or the workspace's first owner.
func actingMember(ctx context.Context, db *store.DB, ws crm.ID, email string) (crm.Principal, error) {
	var p crm.Principal
	err := db.Read(ctx, func(tx *store.Tx) error {
		if email == "" {
			err := tx.QueryRow(`SELECT u.email FROM memberships m JOIN users u ON u.id = m.user_id
				WHERE m.workspace_id = ? AND m.role = 'owner' AND m.deactivated_at IS NULL ORDER BY m.created_at, m.user_id LIMIT 1`, ws).Scan(&email)
			if errors.Is(err, store.ErrNoRows) {
				return crm.Errorf(crm.NotFound, "Workspace %s has no owner; say who acts with --as EMAIL.", ws)
			} else if err != nil {
				return err
			}
		}
		var err error
		p, err = memberPrincipal(tx, ws, email)
		return err
	})
	return p, err
}

// buildTemplate is the mapping for a file: from --map, or automatic, with
// --dedupe and --policy applied on top.
func buildTemplate(ctx context.Context, db *store.DB, p crm.Principal, kind importer.Kind, file, sheet, mapFile, dedupe, policy string) (importer.Template, error) {
	var given *importer.Template
	if mapFile != "" {
		f, err := os.Open(mapFile)
		if err != nil {
			return importer.Template{}, err
		}
		t, err := importer.ReadTemplate(f)
		f.Close()
		if err != nil {
			return t, err
		}
		given = &t
	}
	var pv importer.Preview
	err := db.Read(ctx, func(tx *store.Tx) (err error) {
		pv, err = importer.PreviewSheet(tx, p.WorkspaceID, kind, file, sheet, given)
		return err
	})
	if err != nil {
		return pv.Template, err
	}
	t := pv.Template
	switch dedupe {
	case "":
	case "none":
		t.Dedupe = importer.Dedupe{}
	default:
		t.Dedupe.Match = dedupe
		if t.Dedupe.Policy == importer.CreateAll {
			t.Dedupe.Policy = importer.CreateOrUpdate
		}
	}
	if policy != "" {
		t.Dedupe.Policy = importer.Policy(policy)
	}
	return t, nil
}

func mappedList(t importer.Template) string {
	n := 0
	for _, c := range t.Columns {
		if c.Field != "" {
			n++
		}
	}
	s := fmt.Sprintf("%d of %d columns", n, len(t.Columns))
	if t.Dedupe.Match != "" {
		s += fmt.Sprintf(", matching by %s (%s)", t.Dedupe.Match, t.Dedupe.Policy)
	}
	return s
}

func delimName(d string) string {
	return map[string]string{",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}[d]
}

// The soft memory limits of an import run from the command line: while
// its rows are read, and after (see importMemory).
const (
	rowsMemoryLimit = 200 << 20
	memoryLimit     = 150 << 20
)

// importMemory sets the soft memory limit of an import's rows and returns
// what lowers it when they are done (nil when GOMEMLIMIT is set: the
// environment wins). The import's maps and batches are a few hundred bytes
// a row; a soft limit makes the collector work harder instead of letting
// the heap double (the budget is 300 MB for a million rows, and SQLite's
// own memory comes on top). While rows are read the dedupe keys are most of
// the heap, and under 150 MiB the collector ran without pause at 1M rows
// (the heap after each cycle ~120 MB, its goal ~123 MB): the row phase took
// half again as long as with 200 MiB. The peak used to come later, when
// SQLite sorts the records' indexes, but by then the keys are garbage: the
// limit is 200 MiB for the rows and 150 MiB after, the memory the rows
// used handed back at once (docs/BENCHMARKS.md).
func importMemory(getenv func(string) string) func() {
	if getenv("GOMEMLIMIT") != "" {
		return nil
	}
	debug.SetMemoryLimit(rowsMemoryLimit)
	return func() {
		debug.SetMemoryLimit(memoryLimit)
		debug.FreeOSMemory()
	}
}

// execute runs an import in this process, printing progress to stderr and
// the summary line to stdout. Interrupted, it stops at a checkpoint and says
// how to resume.
func execute(ctx context.Context, env Env, db *store.DB, imp importer.Import, reportFile string) error {
	rowsDone := importMemory(env.Getenv)
	// Both cores: the row phase decides a batch while the one before
	// commits. (The server's import job does not, to leave requests a core.)
	o := importer.Options{Overlap: true, RowsDone: rowsDone, OnProgress: func(i importer.Import) {
		rate, eta := i.Rate(time.Now())
		fmt.Fprintf(env.Stderr, "\r%s rows (%.0f%%), %.0f rows/s, ETA %s   ", strconv.Itoa(i.RowsDone), 100*i.Progress(), rate, eta.Round(time.Second))
	}}
	var rep *importer.CSVWriter
	shown := 0
	if reportFile != "" {
		f, err := os.Create(reportFile)
		if err != nil {
			return err
		}
		defer f.Close()
		bw := bufio.NewWriter(f)
		rep = importer.NewCSVWriter(bw)
		_ = rep.Write(importer.ReportHeader)
		defer rep.Flush()
	}
	o.OnRow = func(line int, out importer.Outcome) {
		if rep != nil {
			_ = rep.Write(importer.Issue{Line: line, Action: out.Action, Column: out.Field, Value: out.Value, Message: out.Message}.Cells())
		} else if imp.DryRun && out.Action != importer.Created && out.Action != importer.Updated && shown < 50 {
			shown++
			fmt.Fprintf(env.Stderr, "\rline %d: %s %s %q: %s\n", line, out.Action, out.Field, out.Value, out.Message)
		}
	}
	done, err := importer.Execute(ctx, db, imp.WorkspaceID, imp.ID, o)
	fmt.Fprintln(env.Stderr)
	if err != nil {
		if ctx.Err() != nil {
			_ = importer.Interrupted(db, imp.WorkspaceID, imp.ID)
			return fmt.Errorf("interrupted at line %d; continue with: tandem import resume %s --workspace %s", done.Line, imp.ID, imp.WorkspaceID)
		}
		return describe(err)
	}
	if shown == 50 {
		fmt.Fprintln(env.Stderr, "(more lines: see --report FILE)")
	}
	if done.Status == importer.Cancelled {
		fmt.Fprintf(env.Stderr, "import %s was cancelled at line %d\n", imp.ID, done.Line)
	}
	fmt.Fprintln(env.Stdout, done.Summary())
	return nil
}

// importAgain resumes, undoes or shows an import.
func importAgain(ctx context.Context, env Env, db *store.DB, p crm.Principal, sub string, id crm.ID) error {
	switch sub {
	case "undo":
		_, res, err := importer.UndoImport(ctx, db, p, id)
		if err != nil {
			return describe(err)
		}
		fmt.Fprintf(env.Stdout, "removed=%d restored=%d left_alone=%d consents=%d\n", res.Removed, res.Restored, res.LeftAlone, res.Consents)
		return nil
	case "resume":
		var imp importer.Import
		err := db.Write(ctx, func(tx *store.Tx) (err error) { imp, err = importer.Resume(tx, p, id); return err })
		if err != nil {
			return describe(err)
		}
		fmt.Fprintf(env.Stderr, "resuming import %s at line %d\n", imp.ID, imp.Line)
		return execute(ctx, env, db, imp, "")
	}
	var imp importer.Import
	err := db.Read(ctx, func(tx *store.Tx) (err error) { imp, err = importer.Get(tx, p, id); return err })
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(env.Stdout, "%s %s %s line=%d %s\n", imp.ID, imp.Kind, imp.Status, imp.Line, imp.Summary())
	return nil
}

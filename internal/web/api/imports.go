package api

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"github.com/tandemcrm/tandem/internal/audit"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/ids"
	"github.com/tandemcrm/tandem/internal/importer"
	"github.com/tandemcrm/tandem/internal/store"
)

// MaxImportBytes bounds an uploaded import file.
const MaxImportBytes = 2 << 30

// ImportProgress is how far an import has got.
type ImportProgress struct {
	Rows       int     `json:"rows" doc:"Data rows read so far (committed)"`
	Percent    float64 `json:"percent" doc:"Share of the file read, 0 to 100"`
	RowsPerSec float64 `json:"rows_per_sec"`
	ETASeconds int     `json:"eta_seconds" doc:"Estimated seconds left while running; 0 otherwise"`
}

// ImportCounts are the outcomes so far.
type ImportCounts struct {
	Created int `json:"created"`
	Updated int `json:"updated"`
	Skipped int `json:"skipped"`
	Errors  int `json:"errors"`
}

// Import is an import job as the API shows it.
type Import struct {
	ID         crm.ID            `json:"id"`
	Kind       string            `json:"kind" enum:"contacts,companies,deals,products,activities"`
	Status     string            `json:"status" enum:"queued,running,done,failed,cancelled,undone"`
	DryRun     bool              `json:"dry_run"`
	FileName   string            `json:"file_name"`
	Encoding   string            `json:"encoding" doc:"utf-8 or latin-1 (-bom when the file had a byte order mark)"`
	Delimiter  string            `json:"delimiter"`
	Format     string            `json:"format" enum:"csv,xlsx,vcard"`
	Sheet      string            `json:"sheet,omitempty" doc:"The workbook's sheet read (XLSX)"`
	Progress   ImportProgress    `json:"progress"`
	Counts     ImportCounts      `json:"counts"`
	Summary    string            `json:"summary" doc:"created=N updated=N skipped=N errors=N"`
	Error      string            `json:"error,omitempty"`
	Template   importer.Template `json:"template" doc:"The mapping used (save it and send it back as template)"`
	CreatedAt  time.Time         `json:"created_at"`
	FinishedAt *time.Time        `json:"finished_at,omitempty"`
	UndoUntil  *time.Time        `json:"undo_until,omitempty" doc:"Until when POST /imports/{id}/undo works"`
}

func importBody(i importer.Import) Import {
	rate, eta := i.Rate(time.Now())
	out := Import{ID: i.ID, Kind: i.Kind, Status: string(i.Status), DryRun: i.DryRun, FileName: i.FileName,
		Encoding: i.Encoding, Delimiter: i.Delimiter, Format: string(i.Format), Sheet: i.Sheet, Summary: i.Summary(), Error: i.Error, Template: i.Template,
		CreatedAt: i.CreatedAt,
		Progress:  ImportProgress{Rows: i.RowsDone, Percent: 100 * i.Progress(), RowsPerSec: rate, ETASeconds: int(eta.Seconds())},
		Counts:    ImportCounts{Created: i.Created, Updated: i.Updated, Skipped: i.Skipped, Errors: i.Errors}}
	if !i.FinishedAt.IsZero() {
		out.FinishedAt = &i.FinishedAt
	}
	if !i.UndoUntil.IsZero() && i.Status != importer.Undone && !i.DryRun {
		out.UndoUntil = &i.UndoUntil
	}
	return out
}

type importOutput struct{ Body Import }

type importIDInput struct {
	ID string `path:"id" doc:"Import id"`
}

type undoOutput struct {
	Body struct {
		Import    Import `json:"import"`
		Removed   int    `json:"removed" doc:"Records the import created, now in the trash"`
		Restored  int    `json:"restored" doc:"Records the import updated, restored to before"`
		LeftAlone int    `json:"left_alone" doc:"Records the import updated that someone changed since; not restored"`
		Consents  int    `json:"consents" doc:"Consent entries taken back: purposes put back to their state before the import, and entries deleted with the contacts it created"`
	}
}

type issuesInput struct {
	ID     string `path:"id"`
	Cursor string `query:"cursor" doc:"The next_cursor of the page before (opaque)"`
	After  int    `query:"after" doc:"Instead of a cursor: lines after this line number (a page that ends inside a line with several issues loses the rest of them; use cursor)"`
	Limit  int    `query:"limit" minimum:"1" maximum:"1000" default:"100"`
}

type issuesOutput struct {
	Body struct {
		Data       []importer.Issue `json:"data"`
		NextCursor *string          `json:"next_cursor" doc:"null on the last page"`
	}
}

func (a *API) importRoutes() {
	tags := []string{"Import and export"}
	huma.Register(a.huma, huma.Operation{OperationID: "create-import", Method: http.MethodPost, Path: "/imports", Tags: tags,
		Summary: "Start an import",
		Description: "Upload a CSV, XLSX or vCard file (told apart by content) as multipart/form-data: the part `file`, and optionally `kind` (contacts, companies, deals, products, activities), " +
			"`dry_run` (true), `dedupe` (email, phone, external_id; companies: domain, name; none), `policy` (upsert, create, update) and " +
			"`template` (a mapping template as JSON) or `template_id` (a saved one; default: columns matched by header), `sheet` (XLSX), `new_fields` (headers of columns to put into new custom fields). The file streams to disk; the import runs in " +
			"the background. Poll GET /imports/{id} for progress.",
		DefaultStatus: http.StatusAccepted,
		RequestBody: &huma.RequestBody{Required: true, Content: map[string]*huma.MediaType{"multipart/form-data": {
			Schema: &huma.Schema{Type: "object", Required: []string{"file"}, Properties: map[string]*huma.Schema{
				"file":        {Type: "string", Format: "binary"},
				"kind":        {Type: "string", Enum: []any{"contacts", "companies", "deals", "products", "activities"}},
				"dry_run":     {Type: "boolean"},
				"dedupe":      {Type: "string"},
				"policy":      {Type: "string", Enum: []any{"upsert", "create", "update"}},
				"template":    {Type: "string", Description: "JSON mapping template"},
				"template_id": {Type: "string", Description: "id of a saved template (POST /import-templates)"},
				"sheet":       {Type: "string", Description: "XLSX: the sheet to read, by name or 1-based number (default: the first)"},
				"new_fields":  {Type: "string", Description: "headers of columns to import into new custom text fields, comma-separated (admins; other types through the template's new_fields)"},
			}}}}},
		Middlewares: huma.Middlewares{a.uploadImport}, SkipValidateBody: true,
	}, func(context.Context, *struct{}) (*importOutput, error) {
		return nil, errors.New("handled by uploadImport")
	})
	huma.Register(a.huma, huma.Operation{OperationID: "get-import", Method: http.MethodGet, Path: "/imports/{id}", Tags: tags,
		Summary: "Get an import", Description: "Status, progress (rows, percent, rows/s, ETA) and counts."}, a.getImport)
	huma.Register(a.huma, huma.Operation{OperationID: "list-import-issues", Method: http.MethodGet, Path: "/imports/{id}/issues", Tags: tags,
		Summary: "An import's report", Description: "Line by line: errors, skips and warnings with column, value and message " +
			"(and, for a dry run, what would be created or updated)."}, a.importIssues)
	huma.Register(a.huma, huma.Operation{OperationID: "cancel-import", Method: http.MethodPost, Path: "/imports/{id}/cancel", Tags: tags,
		Summary: "Cancel an import", Description: "Stops after the current batch; what was committed stays (undo removes it)."}, a.cancelImport)
	huma.Register(a.huma, huma.Operation{OperationID: "resume-import", Method: http.MethodPost, Path: "/imports/{id}/resume", Tags: tags,
		Summary: "Resume an import", Description: "Continues a cancelled or failed import from its last checkpoint."}, a.resumeImport)
	huma.Register(a.huma, huma.Operation{OperationID: "undo-import", Method: http.MethodPost, Path: "/imports/{id}/undo", Tags: tags,
		Summary: "Undo an import", Description: "Moves every record the import created to the trash and restores every record it " +
			"updated, in one transaction, within the undo window."}, a.undoImport)
	a.exportRoutes()
	a.importTemplateRoutes()
}

func (a *API) withImport(ctx context.Context, id string, write bool, fn func(tx *store.Tx, p crm.Principal, id crm.ID) error) error {
	iid, err := crm.ParseID(id)
	if err != nil {
		return a.fail(ctx, crm.Errorf(crm.NotFound, "No such import."))
	}
	run := a.DB.Read
	if write {
		run = a.DB.Write
	}
	if err := run(ctx, func(tx *store.Tx) error { return fn(tx, principal(ctx), iid) }); err != nil {
		return a.fail(ctx, err)
	}
	return nil
}

func (a *API) getImport(ctx context.Context, in *importIDInput) (*importOutput, error) {
	var imp importer.Import
	err := a.withImport(ctx, in.ID, false, func(tx *store.Tx, p crm.Principal, id crm.ID) (err error) {
		imp, err = importer.Get(tx, p, id)
		return err
	})
	return &importOutput{Body: importBody(imp)}, err
}

func (a *API) importIssues(ctx context.Context, in *issuesInput) (*issuesOutput, error) {
	out := &issuesOutput{}
	err := a.withImport(ctx, in.ID, false, func(tx *store.Tx, p crm.Principal, id crm.ID) (err error) {
		if in.Cursor == "" && in.After > 0 {
			out.Body.Data, err = importer.Issues(tx, p, id, in.After, in.Limit)
		} else {
			var next string
			out.Body.Data, next, err = importer.IssuesPage(tx, p, id, in.Cursor, in.Limit)
			if next != "" {
				out.Body.NextCursor = &next
			}
		}
		if err == nil && len(out.Body.Data) > 0 {
			// The report quotes the rows' values: personal data was seen.
			defer a.viewed(ctx, audit.RecordViewed, "import", id, nil)
		}
		return err
	})
	return out, err
}

func (a *API) cancelImport(ctx context.Context, in *importIDInput) (*importOutput, error) {
	var imp importer.Import
	err := a.withImport(ctx, in.ID, true, func(tx *store.Tx, p crm.Principal, id crm.ID) (err error) {
		imp, err = importer.Cancel(tx, p, id)
		return err
	})
	return &importOutput{Body: importBody(imp)}, err
}

func (a *API) resumeImport(ctx context.Context, in *importIDInput) (*importOutput, error) {
	var imp importer.Import
	err := a.withImport(ctx, in.ID, true, func(tx *store.Tx, p crm.Principal, id crm.ID) (err error) {
		if imp, err = importer.Resume(tx, p, id); err != nil {
			return err
		}
		return a.startImport(tx, imp)
	})
	return &importOutput{Body: importBody(imp)}, err
}

func (a *API) undoImport(ctx context.Context, in *importIDInput) (*undoOutput, error) {
	id, err := crm.ParseID(in.ID)
	if err != nil {
		return nil, a.fail(ctx, crm.Errorf(crm.NotFound, "No such import."))
	}
	imp, res, err := importer.UndoImport(ctx, a.DB, principal(ctx), id)
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	out := &undoOutput{}
	out.Body.Import, out.Body.Removed, out.Body.Restored, out.Body.LeftAlone = importBody(imp), res.Removed, res.Restored, res.LeftAlone
	out.Body.Consents = res.Consents
	return out, nil
}

// startImport runs imp in the background (see importer.Start).
func (a *API) startImport(tx *store.Tx, imp importer.Import) error {
	return importer.Start(tx, a.Queue, a.DB, imp, a.Log)
}

// uploadImport handles POST /imports: it streams the multipart upload to a
// file (never holding it in memory), then creates the import and starts it.
func (a *API) uploadImport(hctx huma.Context, _ func(huma.Context)) {
	r, w := humago.Unwrap(hctx)
	ctx := hctx.Context()
	imp, err := a.receiveImport(ctx, r)
	if err != nil {
		a.writeErr(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Location", Prefix+"/imports/"+imp.ID.String())
	w.WriteHeader(http.StatusAccepted)
	_ = json.NewEncoder(w).Encode(importBody(imp))
}

func (a *API) receiveImport(ctx context.Context, r *http.Request) (importer.Import, error) {
	var imp importer.Import
	p := principal(ctx)
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "multipart/form-data" {
		return imp, (crm.FieldErrors{"file": "Send the file as multipart/form-data, in a part named file."}).Err()
	}
	r.Body = http.MaxBytesReader(nil, r.Body, MaxImportBytes)
	mr, err := r.MultipartReader()
	if err != nil {
		return imp, (crm.FieldErrors{"file": "The upload is not valid multipart/form-data."}).Err()
	}
	dir := a.ImportDir
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "tandem-imports")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return imp, err
	}
	in := importer.NewImport{Kind: "contacts"}
	var dedupe, policy, tmpl, tmplID, newFields string
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return imp, (crm.FieldErrors{"file": "The upload was cut short or is too large (at most 2 GiB)."}).Err()
		}
		name := part.FormName()
		if name == "file" {
			if in.FilePath != "" {
				return imp, (crm.FieldErrors{"file": "Send one file per import."}).Err()
			}
			in.FileName = filepath.Base(part.FileName())
			in.FilePath = filepath.Join(dir, p.WorkspaceID.String()+"-"+ids.Token(12)+".csv")
			if err := saveUpload(in.FilePath, part); err != nil {
				return imp, (crm.FieldErrors{"file": "The upload was cut short or is too large (at most 2 GiB)."}).Err()
			}
			continue
		}
		v, err := io.ReadAll(io.LimitReader(part, 1<<20))
		if err != nil {
			return imp, err
		}
		switch name {
		case "kind":
			in.Kind = string(v)
		case "dry_run":
			in.DryRun = string(v) == "true" || string(v) == "1" || string(v) == "on"
		case "dedupe":
			dedupe = string(v)
		case "policy":
			policy = string(v)
		case "template":
			tmpl = string(v)
		case "template_id":
			tmplID = string(v)
		case "sheet":
			in.Sheet = string(v)
		case "new_fields":
			newFields = string(v)
		}
	}
	if in.FilePath == "" {
		return imp, (crm.FieldErrors{"file": "Attach the file (CSV, XLSX or vCard) in a part named file."}).Err()
	}
	keep := false
	defer func() {
		if !keep {
			os.Remove(in.FilePath)
		}
	}()
	if tmpl != "" {
		t, err := importer.ReadTemplate(strings.NewReader(tmpl))
		if err != nil {
			return imp, (crm.FieldErrors{"template": crm.ErrorMessage(err)}).Err()
		}
		in.Template = &t
	}
	err = a.DB.Write(ctx, func(tx *store.Tx) error {
		if tmplID != "" && in.Template == nil {
			id, _ := crm.ParseID(tmplID)
			st, err := importer.GetTemplate(tx, p, id)
			if err != nil {
				return (crm.FieldErrors{"template_id": crm.ErrorMessage(err)}).Err()
			}
			in.Template, in.Kind = &st.Template, st.Template.Kind
		}
		kind, err := importer.KindNamed(in.Kind)
		if err != nil {
			return (crm.FieldErrors{"kind": crm.ErrorMessage(err)}).Err()
		}
		pv, err := importer.PreviewSheet(tx, p.WorkspaceID, kind, in.FilePath, in.Sheet, in.Template)
		if err != nil {
			return (crm.FieldErrors{"file": crm.ErrorMessage(err)}).Err()
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
		for _, h := range strings.Split(newFields, ",") {
			if h = strings.TrimSpace(h); h != "" {
				t.NewFields = append(t.NewFields, importer.NewField{Header: h})
			}
		}
		in.Template = &t
		if imp, err = importer.Create(tx, p, in); err != nil {
			return err
		}
		return a.startImport(tx, imp)
	})
	keep = err == nil
	return imp, err
}

func saveUpload(path string, r io.Reader) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

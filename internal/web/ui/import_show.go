package ui

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/tandemcrm/tandem/internal/audit"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/importer"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/web/view"
)

// maxShownIssues bounds the report lines the page shows.
const maxShownIssues = 500

func (h *Handlers) loadImport(r *http.Request) (importer.Import, error) {
	p := principal(r)
	id, err := crm.ParseID(r.PathValue("id"))
	if err != nil {
		return importer.Import{}, crm.Errorf(crm.NotFound, "No such import.")
	}
	var imp importer.Import
	err = h.read(r.Context(), func(tx *store.Tx) (err error) { imp, err = importer.Get(tx, p, id); return err })
	return imp, err
}

// ImportReport downloads an import's whole report as CSV (the page shows
// its first lines). It quotes the file's values, so it is audited as the
// page is.
func (h *Handlers) ImportReport(w http.ResponseWriter, r *http.Request) {
	imp, err := h.loadImport(r)
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	h.viewed(r, audit.RecordViewed, "import", imp.ID, nil)
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="import-`+imp.ID.String()+`-report.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	if _, err := importer.WriteReport(r.Context(), h.DB, principal(r), imp.ID, w); err != nil {
		h.Log.WarnContext(r.Context(), "import report stopped", "err", err)
	}
}

// ImportShow is an import's progress and report.
func (h *Handlers) ImportShow(w http.ResponseWriter, r *http.Request) {
	imp, err := h.loadImport(r)
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	var issues []importer.Issue
	err = h.read(r.Context(), func(tx *store.Tx) (err error) {
		issues, err = importer.Issues(tx, principal(r), imp.ID, 0, maxShownIssues+1)
		return err
	})
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	if len(issues) > 0 { // the report quotes the rows' values
		h.viewed(r, audit.RecordViewed, "import", imp.ID, nil)
	}
	rate, eta := imp.Rate(time.Now())
	v := view.ImportShowView{ID: imp.ID.String(), Kind: imp.Kind, File: imp.FileName, Status: string(imp.Status), Summary: imp.Summary(),
		Error: imp.Error, Encoding: formatWords(imp), Delimiter: delimiterWord(imp.Delimiter), DryRun: imp.DryRun,
		Running:   imp.Status == importer.Running || imp.Status == importer.Queued,
		CanResume: imp.Status == importer.Cancelled || imp.Status == importer.StatusFailed,
		Percent:   int(100 * imp.Progress()), Rows: imp.RowsDone, Rate: rateText(rate), ETA: etaText(eta),
		Created: imp.Created, Updated: imp.Updated, Skipped: imp.Skipped, Errors: imp.Errors,
		MoreIssues: len(issues) > maxShownIssues}
	v.CanUndo = !imp.DryRun && !v.Running && imp.Status != importer.Undone && time.Now().Before(imp.UndoUntil)
	if v.CanUndo {
		v.UndoUntil = imp.UndoUntil.Format("Jan 2, 15:04")
	}
	for _, is := range issues[:min(len(issues), maxShownIssues)] {
		v.Issues = append(v.Issues, view.ImportIssueRow{Line: is.Line, Action: string(is.Action), Column: is.Column, Value: is.Value, Message: is.Message})
	}
	h.render(w, r, http.StatusOK, view.ImportShowPage(h.shell(w, r, "Import", "import"), v))
}

// formatWords says what the file was: its encoding, or the workbook's sheet.
func formatWords(imp importer.Import) string {
	switch imp.Format {
	case importer.FileXLSX:
		return "workbook, sheet " + imp.Sheet
	case importer.FileVCard:
		return "vCard, " + imp.Encoding
	}
	return imp.Encoding
}

func delimiterWord(d string) string {
	return map[string]string{",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}[d]
}

func rateText(rate float64) string {
	if rate <= 0 {
		return "—"
	}
	return fmt.Sprintf("%.0f rows/s", rate)
}

func etaText(eta time.Duration) string {
	if eta <= 0 {
		return ""
	}
	return "about " + eta.Round(time.Second).String() + " left"
}

// ImportEvents streams an import's progress as server-sent events, twice a
// second, until it stops running; the last event says final.
func (h *Handlers) ImportEvents(w http.ResponseWriter, r *http.Request) {
	imp, err := h.loadImport(r)
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	tick := time.NewTicker(500 * time.Millisecond)
	defer tick.Stop()
	for {
		rate, eta := imp.Rate(time.Now())
		final := imp.Status != importer.Running && imp.Status != importer.Queued
		b, _ := json.Marshal(map[string]any{"status": imp.Status, "percent": int(100 * imp.Progress()), "rows": imp.RowsDone,
			"rate": rateText(rate), "eta": etaText(eta), "summary": imp.Summary(), "final": final})
		if _, err := fmt.Fprintf(w, "event: progress\ndata: %s\n\n", b); err != nil {
			return
		}
		if err := rc.Flush(); err != nil || final {
			return
		}
		select {
		case <-r.Context().Done():
			return
		case <-tick.C:
		}
		if imp, err = h.loadImport(r); err != nil {
			return
		}
	}
}

// ImportAction cancels, resumes or undoes an import (plain form posts).
func (h *Handlers) ImportAction(action string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p := principal(r)
		id, err := crm.ParseID(r.PathValue("id"))
		if err != nil {
			h.Errs.Error(w, r, crm.Errorf(crm.NotFound, "No such import."))
			return
		}
		switch action {
		case "undo":
			var res importer.UndoResult
			if _, res, err = importer.UndoImport(r.Context(), h.DB, p, id); err == nil {
				msg := fmt.Sprintf("Undone: %d records removed, %d restored, %d left alone (changed since).", res.Removed, res.Restored, res.LeftAlone)
				if res.Consents > 0 {
					msg += fmt.Sprintf(" %d consent entries taken back.", res.Consents)
				}
				h.flash(w, "ok", msg)
			}
		case "cancel":
			err = h.write(r.Context(), func(tx *store.Tx) error { _, err := importer.Cancel(tx, p, id); return err })
		case "resume":
			err = h.write(r.Context(), func(tx *store.Tx) error {
				imp, err := importer.Resume(tx, p, id)
				if err != nil {
					return err
				}
				return importer.Start(tx, h.Queue, h.DB, imp, h.Log)
			})
		}
		if crm.ErrorCode(err) == crm.Conflict {
			h.flash(w, "error", crm.ErrorMessage(err))
		} else if err != nil {
			h.Errs.Error(w, r, err)
			return
		}
		http.Redirect(w, r, "/imports/"+id.String(), http.StatusSeeOther)
	}
}

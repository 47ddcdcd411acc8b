package ui

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/ids"
	"github.com/tandemcrm/tandem/internal/importer"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/web/view"
)

// maxImportUpload bounds an uploaded import file.
const maxImportUpload = 2 << 30

// ImportNew is the upload step, with the recent imports.
func (h *Handlers) ImportNew(w http.ResponseWriter, r *http.Request) {
	h.renderImportNew(w, r, http.StatusOK, "")
}

func (h *Handlers) renderImportNew(w http.ResponseWriter, r *http.Request, status int, msg string) {
	p := principal(r)
	v := view.ImportNewView{Error: msg}
	err := h.read(r.Context(), func(tx *store.Tx) error {
		list, err := importer.List(tx, p, 20)
		for _, i := range list {
			v.Recent = append(v.Recent, view.ImportListRow{ID: i.ID.String(), Kind: i.Kind, File: i.FileName, Status: string(i.Status),
				Summary: i.Summary(), When: i.CreatedAt.Format("Jan 2, 15:04"), DryRun: i.DryRun})
		}
		return err
	})
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	h.render(w, r, status, view.ImportNewPage(h.shell(w, r, "Import", "import"), v))
}

// importDir is where uploads wait for their mapping and their run.
func (h *Handlers) importDir() string {
	if h.ImportDir != "" {
		return h.ImportDir
	}
	return filepath.Join(os.TempDir(), "tandem-imports")
}

var tokenRE = regexp.MustCompile(`^[A-Za-z0-9_-]{16,64}$`)

// uploadPath is the file of an upload token in the principal's workspace;
// a token of another workspace names no file of this one.
func (h *Handlers) uploadPath(p crm.Principal, token string) (string, error) {
	if !tokenRE.MatchString(token) {
		return "", crm.Errorf(crm.NotFound, "No such upload.")
	}
	path := filepath.Join(h.importDir(), p.WorkspaceID.String()+"-"+token+".csv")
	if _, err := os.Stat(path); err != nil {
		return "", crm.Errorf(crm.NotFound, "This upload is gone; upload the file again.")
	}
	return path, nil
}

// ImportUpload streams the file to disk and goes on to the mapping step.
func (h *Handlers) ImportUpload(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	if p.Role == crm.RoleReadOnly {
		h.Errs.Error(w, r, crm.Errorf(crm.Forbidden, "Your role is read-only; ask an admin for write access."))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxImportUpload)
	mr, err := r.MultipartReader()
	if err != nil {
		h.renderImportNew(w, r, http.StatusUnprocessableEntity, "Choose a file (CSV, XLSX or vCard).")
		return
	}
	kind, token, name, sheet := "contacts", ids.Token(24), "", ""
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			h.renderImportNew(w, r, http.StatusUnprocessableEntity, "The upload was cut short or is larger than 2 GB.")
			return
		}
		switch part.FormName() {
		case "kind":
			b, _ := io.ReadAll(io.LimitReader(part, 64))
			kind = string(b)
		case "sheet":
			b, _ := io.ReadAll(io.LimitReader(part, 200))
			sheet = string(b)
		case "file":
			if err := os.MkdirAll(h.importDir(), 0o700); err != nil {
				h.Errs.Error(w, r, err)
				return
			}
			name = filepath.Base(part.FileName())
			path := filepath.Join(h.importDir(), p.WorkspaceID.String()+"-"+token+".csv")
			if err := saveFile(path, part); err != nil {
				h.renderImportNew(w, r, http.StatusUnprocessableEntity, "The upload was cut short or is larger than 2 GB.")
				return
			}
		}
	}
	if name == "" {
		h.renderImportNew(w, r, http.StatusUnprocessableEntity, "Choose a file (CSV, XLSX or vCard).")
		return
	}
	if _, err := importer.KindNamed(kind); err != nil {
		h.renderImportNew(w, r, http.StatusUnprocessableEntity, crm.ErrorMessage(err))
		return
	}
	q := url.Values{"kind": {kind}, "name": {name}}
	if sheet != "" {
		q.Set("sheet", sheet)
	}
	http.Redirect(w, r, "/import/map/"+token+"?"+q.Encode(), http.StatusSeeOther)
}

func saveFile(path string, r io.Reader) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	return f.Close()
}

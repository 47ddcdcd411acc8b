package ui

import (
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/files"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
)

// FileUpload attaches an uploaded file to a contact or company the user can see.
func (h *Handlers) FileUpload(object string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p := principal(r)
		back := "/" + object + "s/" + r.PathValue("id")
		id, err := crm.ParseID(r.PathValue("id"))
		if err != nil {
			h.Errs.Error(w, r, err)
			return
		}
		// The record first: another workspace's id is a 404 whatever was sent.
		if err := h.read(r.Context(), func(tx *store.Tx) error { return canSeeParent(tx, p, object, id) }); err != nil {
			h.Errs.Error(w, r, err)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, files.MaxSize+1<<20)
		part, header, err := r.FormFile("file")
		if err != nil {
			h.flash(w, "error", "Choose a file (up to 25 MB).")
			http.Redirect(w, r, back, http.StatusSeeOther)
			return
		}
		defer part.Close()
		var saved files.File
		err = h.write(r.Context(), func(tx *store.Tx) error {
			if err := canSeeParent(tx, p, object, id); err != nil {
				return err
			}
			saved, err = h.Files.Save(tx, p, object, id, header.Filename, part)
			return err
		})
		if err != nil {
			if saved.ID != 0 {
				h.Files.Discard(saved)
			}
			if crm.ErrorCode(err) == crm.Invalid {
				for _, m := range crm.ErrorFields(err) {
					h.flash(w, "error", m)
				}
				http.Redirect(w, r, back, http.StatusSeeOther)
				return
			}
			h.Errs.Error(w, r, err)
			return
		}
		h.flash(w, "ok", saved.Name+" attached.")
		http.Redirect(w, r, back, http.StatusSeeOther)
	}
}

func canSeeParent(tx *store.Tx, p crm.Principal, object string, id crm.ID) error {
	var err error
	switch object {
	case "contact":
		_, err = records.ViewContact(tx, p, id)
	case "company":
		_, err = records.ViewCompany(tx, p, id)
	default:
		err = crm.Errorf(crm.NotFound, "Not found.")
	}
	return err
}

// FileDownload serves an attachment so that it can never act as a page of
// ours: always as a download, with its sniffed type only when harmless, and
// a sandboxing Content-Security-Policy.
func (h *Handlers) FileDownload(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	id, err := crm.ParseID(r.PathValue("id"))
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	var f files.File
	var body io.ReadCloser
	err = h.read(r.Context(), func(tx *store.Tx) error {
		var err error
		ff, rd, err := h.Files.Open(tx, p.WorkspaceID, id)
		if err != nil {
			return err
		}
		f, body = ff, rd
		if err := canSeeParent(tx, p, f.ObjectType, f.ObjectID); err != nil {
			rd.Close()
			body = nil
			return err
		}
		return nil
	})
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	defer body.Close()
	ct := f.ContentType
	if strings.HasPrefix(ct, "text/html") || strings.Contains(ct, "xml") || strings.Contains(ct, "javascript") {
		ct = "application/octet-stream"
	}
	hd := w.Header()
	hd.Set("Content-Type", ct)
	hd.Set("Content-Length", strconv.FormatInt(f.Size, 10))
	hd.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": f.Name})+"; filename*=UTF-8''"+url.PathEscape(f.Name))
	hd.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Cache-Control", "private, no-store")
	_, _ = io.Copy(w, body)
}

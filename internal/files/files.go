// Package files keeps files attached to records: the bytes on disk under the
// data directory, streamed (never held in memory), size-limited, hashed, and
// typed by their content rather than by what the uploader claims; the rows
// in the files table. Serving them safely is the web layer's job.
package files

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/ids"
	"github.com/tandemcrm/tandem/internal/store"
)

// MaxSize is the largest file accepted.
const MaxSize = 25 << 20

// File is an attachment.
type File struct {
	ID                  crm.ID
	ObjectType, Name    string
	ObjectID            crm.ID
	ContentType, SHA256 string
	Size                int64
	UploadedBy          crm.ID
	CreatedAt           time.Time
	storageKey          string
}

// Store puts files under Dir (the data directory's files/ folder).
type Store struct{ Dir string }

var parents = map[string]string{"contact": "contacts", "company": "companies", "deal": "deals"}

// Save streams r to disk and records the file on a record in tx. When the
// transaction fails, the caller removes the bytes with Discard.
func (s Store) Save(tx *store.Tx, p crm.Principal, objectType string, objectID crm.ID, name string, r io.Reader) (File, error) {
	if p.Role == crm.RoleReadOnly {
		return File{}, crm.Errorf(crm.Forbidden, "Your role is read-only.")
	}
	table, ok := parents[objectType]
	if !ok {
		return File{}, (crm.FieldErrors{"object_type": "Files go on a contact, company or deal."}).Err()
	}
	var one int
	if err := tx.QueryRow(`SELECT 1 FROM `+table+` WHERE workspace_id = ? AND id = ? AND deleted_at IS NULL`, p.WorkspaceID, objectID).Scan(&one); err != nil {
		if errors.Is(err, store.ErrNoRows) {
			return File{}, crm.Errorf(crm.NotFound, "No such %s.", objectType)
		}
		return File{}, err
	}
	f := File{ID: tx.NewID(), ObjectType: objectType, ObjectID: objectID, Name: cleanName(name), UploadedBy: p.UserID, CreatedAt: tx.Now}
	f.storageKey = filepath.Join(p.WorkspaceID.String(), ids.Token(18))
	if err := s.write(&f, r); err != nil {
		return f, err
	}
	_, err := tx.Exec(`INSERT INTO files (id, workspace_id, object_type, object_id, name, content_type, size, sha256, storage_key, uploaded_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, f.ID, p.WorkspaceID, objectType, objectID, f.Name, f.ContentType, f.Size, f.SHA256,
		f.storageKey, p.UserID, store.Micros(tx.Now))
	if err != nil {
		s.Discard(f)
		return f, fmt.Errorf("files: record: %w", err)
	}
	return f, tx.Emit(crm.Event{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), ObjectType: objectType, ObjectID: objectID,
		Action: crm.Updated, Changes: map[string]crm.Change{"file": {After: f.Name}}})
}

// write streams r into the file's place, sniffing and hashing on the way.
func (s Store) write(f *File, r io.Reader) error {
	path := filepath.Join(s.Dir, f.storageKey)
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return err
	}
	out, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o640)
	if err != nil {
		return err
	}
	head := make([]byte, 512)
	n, _ := io.ReadFull(r, head)
	f.ContentType = http.DetectContentType(head[:n])
	h := sha256.New()
	size, err := io.Copy(io.MultiWriter(out, h), io.LimitReader(io.MultiReader(strings.NewReader(string(head[:n])), r), MaxSize+1))
	cerr := out.Close()
	if err == nil {
		err = cerr
	}
	if err == nil && size > MaxSize {
		err = (crm.FieldErrors{"file": fmt.Sprintf("Files are limited to %d MB.", MaxSize>>20)}).Err()
	}
	if err == nil && size == 0 {
		err = (crm.FieldErrors{"file": "The file is empty."}).Err()
	}
	if err != nil {
		os.Remove(path)
		return err
	}
	f.Size, f.SHA256 = size, hex.EncodeToString(h.Sum(nil))
	return nil
}

// Discard removes a file's bytes (after a failed transaction).
func (s Store) Discard(f File) { os.Remove(filepath.Join(s.Dir, f.storageKey)) }

// Open returns a live file of the workspace and its bytes.
func (s Store) Open(tx *store.Tx, ws, id crm.ID) (File, *os.File, error) {
	fs, err := list(tx, `AND id = ?`, ws, id)
	if err != nil {
		return File{}, nil, err
	}
	if len(fs) == 0 {
		return File{}, nil, crm.Errorf(crm.NotFound, "No such file.")
	}
	rd, err := os.Open(filepath.Join(s.Dir, fs[0].storageKey))
	return fs[0], rd, err
}

// List returns a record's files, newest first.
func List(tx *store.Tx, ws crm.ID, objectType string, objectID crm.ID) ([]File, error) {
	return list(tx, `AND object_type = ? AND object_id = ?`, ws, objectType, objectID)
}

func list(tx *store.Tx, where string, ws crm.ID, args ...any) ([]File, error) {
	rows, err := tx.Query(`SELECT id, object_type, object_id, name, content_type, size, sha256, storage_key, uploaded_by, created_at
		FROM files WHERE workspace_id = ? AND deleted_at IS NULL `+where+` ORDER BY id DESC LIMIT 200`, append([]any{ws}, args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []File
	for rows.Next() {
		var f File
		var created int64
		if err := rows.Scan(&f.ID, &f.ObjectType, &f.ObjectID, &f.Name, &f.ContentType, &f.Size, &f.SHA256, &f.storageKey, &f.UploadedBy, &created); err != nil {
			return nil, err
		}
		f.CreatedAt = store.FromMicros(created)
		out = append(out, f)
	}
	return out, rows.Err()
}

// cleanName keeps a display name safe to show and to offer as a download
// name: no path, no control characters, bounded.
func cleanName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	name = strings.Map(func(r rune) rune {
		if r < 32 || r == 127 || r == '"' {
			return -1
		}
		return r
	}, name)
	if !utf8.ValidString(name) || name == "" || name == "." || name == "/" {
		name = "file"
	}
	if len(name) > 200 {
		name = name[:200]
	}
	return name
}

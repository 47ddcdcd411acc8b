package notes

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// Note is a note on a record.
type Note struct {
	ID         crm.ID
	ObjectType string
	ObjectID   crm.ID
	Body       string // Markdown
	HTML       string // sanitised
	Pinned     bool
	AuthorID   crm.ID
	Mentions   []crm.ID
	CreatedAt  time.Time
	UpdatedAt  time.Time
	Version    int64
}

// MaxBody bounds a note.
const MaxBody = 50_000

// parents maps the objects notes may hang on to their tables.
var parents = map[string]string{"contact": "contacts", "company": "companies", "deal": "deals"}

// Service creates and changes notes.
type Service struct{ R *Renderer }

// Create adds a note to a record of the principal's workspace.
func (s Service) Create(tx *store.Tx, p crm.Principal, objectType string, objectID crm.ID, body string, pinned bool) (Note, error) {
	if p.Role == crm.RoleReadOnly {
		return Note{}, crm.Errorf(crm.Forbidden, "Your role is read-only.")
	}
	n := Note{ObjectType: objectType, ObjectID: objectID, Body: strings.TrimSpace(body), Pinned: pinned,
		AuthorID: p.UserID, CreatedAt: tx.Now, UpdatedAt: tx.Now, Version: 1}
	if err := s.prepare(tx, p.WorkspaceID, &n); err != nil {
		return n, err
	}
	n.ID = tx.NewID()
	now := store.Micros(tx.Now)
	if _, err := tx.Exec(`INSERT INTO notes (id, workspace_id, object_type, object_id, body, html, pinned, author_id, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, n.ID, p.WorkspaceID, n.ObjectType, n.ObjectID, n.Body, n.HTML, n.Pinned,
		n.AuthorID, now, now); err != nil {
		return n, fmt.Errorf("notes: create: %w", err)
	}
	if err := saveMentions(tx, p.WorkspaceID, n); err != nil {
		return n, err
	}
	return n, emit(tx, p, n, crm.Created, map[string]crm.Change{"body": {After: n.Body}})
}

// Update changes a note's text or pin. Authors may edit their notes;
// managers and above any note.
func (s Service) Update(tx *store.Tx, p crm.Principal, id crm.ID, body *string, pinned *bool, ifVersion int64) (Note, error) {
	old, err := Get(tx, p.WorkspaceID, id)
	if err != nil {
		return old, err
	}
	if err := canEdit(p, old); err != nil {
		return old, err
	}
	if ifVersion != 0 && ifVersion != old.Version {
		return old, crm.Errorf(crm.Conflict, "This note was changed by someone else. Reload and try again.")
	}
	n := old
	ch := map[string]crm.Change{}
	if body != nil && strings.TrimSpace(*body) != old.Body {
		n.Body = strings.TrimSpace(*body)
		if err := s.prepare(tx, p.WorkspaceID, &n); err != nil {
			return n, err
		}
		ch["body"] = crm.Change{Before: old.Body, After: n.Body}
	}
	if pinned != nil && *pinned != old.Pinned {
		n.Pinned, ch["pinned"] = *pinned, crm.Change{Before: old.Pinned, After: *pinned}
	}
	if len(ch) == 0 {
		return old, nil
	}
	n.Version, n.UpdatedAt = old.Version+1, tx.Now
	if _, err := tx.Exec(`UPDATE notes SET body = ?, html = ?, pinned = ?, updated_at = ?, version = ?
		WHERE workspace_id = ? AND id = ?`, n.Body, n.HTML, n.Pinned, store.Micros(tx.Now), n.Version, p.WorkspaceID, id); err != nil {
		return n, err
	}
	if _, err := tx.Exec(`DELETE FROM note_mentions WHERE workspace_id = ? AND note_id = ?`, p.WorkspaceID, id); err != nil {
		return n, err
	}
	if err := saveMentions(tx, p.WorkspaceID, n); err != nil {
		return n, err
	}
	return n, emit(tx, p, n, crm.Updated, ch)
}

// Delete moves a note to the trash.
func Delete(tx *store.Tx, p crm.Principal, id crm.ID) error {
	n, err := Get(tx, p.WorkspaceID, id)
	if err != nil {
		return err
	}
	if err := canEdit(p, n); err != nil {
		return err
	}
	if _, err := tx.Exec(`UPDATE notes SET deleted_at = ? WHERE workspace_id = ? AND id = ?`, store.Micros(tx.Now), p.WorkspaceID, id); err != nil {
		return err
	}
	return emit(tx, p, n, crm.Deleted, nil)
}

func canEdit(p crm.Principal, n Note) error {
	if p.Role == crm.RoleReadOnly || (n.AuthorID != p.UserID && p.Role.Rank() < crm.RoleManager.Rank()) {
		return crm.Errorf(crm.Forbidden, "Only the author (or a manager) can change this note.")
	}
	return nil
}

// prepare validates n, checks its record exists, resolves mentions and
// renders the HTML.
func (s Service) prepare(tx *store.Tx, ws crm.ID, n *Note) error {
	fe := crm.FieldErrors{}
	table, ok := parents[n.ObjectType]
	if !ok {
		fe.Add("object_type", "Notes go on a contact, company or deal.")
	}
	if n.Body == "" || len(n.Body) > MaxBody {
		fe.Add("body", fmt.Sprintf("Write the note (up to %d characters).", MaxBody))
	}
	if err := fe.Err(); err != nil {
		return err
	}
	var one int
	err := tx.QueryRow(`SELECT 1 FROM `+table+` WHERE workspace_id = ? AND id = ? AND deleted_at IS NULL`, ws, n.ObjectID).Scan(&one)
	if errors.Is(err, store.ErrNoRows) {
		return (crm.FieldErrors{"object_id": "No such " + n.ObjectType + "."}).Err()
	} else if err != nil {
		return err
	}
	names, ids, err := members(tx, ws, Mentions(n.Body))
	if err != nil {
		return err
	}
	n.Mentions = ids
	n.HTML, err = s.R.Render(n.Body, names)
	return err
}

// members resolves mentioned emails to the workspace's users.
func members(tx *store.Tx, ws crm.ID, emails []string) (map[string]string, []crm.ID, error) {
	names := map[string]string{}
	var ids []crm.ID
	for _, e := range emails {
		var id crm.ID
		var name string
		err := tx.QueryRow(`SELECT u.id, u.name FROM users u JOIN memberships m ON m.user_id = u.id AND m.workspace_id = ?
			WHERE u.email = ?`, ws, e).Scan(&id, &name)
		if errors.Is(err, store.ErrNoRows) {
			continue // not a teammate: stays plain text
		}
		if err != nil {
			return nil, nil, err
		}
		names[e] = name
		ids = append(ids, id)
	}
	return names, ids, nil
}

func saveMentions(tx *store.Tx, ws crm.ID, n Note) error {
	for _, u := range n.Mentions {
		if _, err := tx.Exec(`INSERT INTO note_mentions (workspace_id, note_id, user_id) VALUES (?, ?, ?)`, ws, n.ID, u); err != nil {
			return err
		}
	}
	return nil
}

// emit writes the note's event on the note and on its record, so the note
// shows on the record's timeline.
func emit(tx *store.Tx, p crm.Principal, n Note, a crm.Action, ch map[string]crm.Change) error {
	if err := tx.Emit(crm.Event{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), ObjectType: "note", ObjectID: n.ID, Action: a, Changes: ch}); err != nil {
		return err
	}
	return tx.Emit(crm.Event{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), ObjectType: n.ObjectType, ObjectID: n.ObjectID,
		Action: crm.Updated, Changes: map[string]crm.Change{"note": {After: string(a)}}})
}

const cols = `id, object_type, object_id, body, html, pinned, author_id, created_at, updated_at, version`

// Get returns one live note of the workspace.
func Get(tx *store.Tx, ws, id crm.ID) (Note, error) {
	ns, err := query(tx, `SELECT `+cols+` FROM notes WHERE workspace_id = ? AND id = ? AND deleted_at IS NULL`, ws, id)
	if err != nil {
		return Note{}, err
	}
	if len(ns) == 0 {
		return Note{}, crm.Errorf(crm.NotFound, "No such note.")
	}
	return ns[0], nil
}

// List returns a record's notes: pinned first, then newest first.
func List(tx *store.Tx, ws crm.ID, objectType string, objectID crm.ID, limit int) ([]Note, error) {
	return query(tx, `SELECT `+cols+` FROM notes WHERE workspace_id = ? AND object_type = ? AND object_id = ? AND deleted_at IS NULL
		ORDER BY pinned DESC, id DESC LIMIT ?`, ws, objectType, objectID, limit)
}

func query(tx *store.Tx, q string, args ...any) ([]Note, error) {
	rows, err := tx.Query(q, args...)
	if err != nil {
		return nil, fmt.Errorf("notes: %w", err)
	}
	defer rows.Close()
	var out []Note
	for rows.Next() {
		var n Note
		var created, updated int64
		if err := rows.Scan(&n.ID, &n.ObjectType, &n.ObjectID, &n.Body, &n.HTML, &n.Pinned, &n.AuthorID, &created, &updated, &n.Version); err != nil {
			return nil, err
		}
		n.CreatedAt, n.UpdatedAt = store.FromMicros(created), store.FromMicros(updated)
		out = append(out, n)
	}
	return out, rows.Err()
}

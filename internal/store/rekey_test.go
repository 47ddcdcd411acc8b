package store_test

import (
	"context"
	"io/fs"
	"strings"
	"testing"

	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

// TestSearchDocRekeyMigration runs migration 00034's statements on
// documents as imports used to write them (automatic rowids): a live
// record's document is re-keyed by its id, a record edited since keeps its
// keyed (current) document only, and the documents of trashed or missing
// records go.
func TestSearchDocRekeyMigration(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	src, err := fs.ReadFile(store.Migrations(store.SQLite), "00034_search_doc_keys.sql")
	if err != nil {
		t.Fatal(err)
	}
	up, _, _ := strings.Cut(string(src), "-- +goose Down")
	_, up, _ = strings.Cut(up, "-- +goose Up")
	err = db.Write(ctx, func(tx *store.Tx) error {
		u := tx.Unscoped()
		for _, q := range []string{
			`INSERT INTO workspaces (id, name, created_at, updated_at) VALUES (7, 'W', 0, 0)`,
			`INSERT INTO contacts (id, workspace_id, first_name, created_at, updated_at) VALUES (101, 7, 'Live', 0, 0), (102, 7, 'Edited', 0, 0), (104, 7, 'Trashed', 0, 0)`,
			`UPDATE contacts SET deleted_at = 1 WHERE id = 104`,
			`INSERT INTO companies (id, workspace_id, name, created_at, updated_at) VALUES (201, 7, 'Acme', 0, 0)`,
			// As imports wrote them: no rowid.
			`INSERT INTO search_index (workspace_id, object_type, object_id, title, body) VALUES
				(7, 'contact', 101, 'Live', ''), (7, 'contact', 102, 'Edited before', ''), (7, 'contact', 103, 'Missing', ''),
				(7, 'contact', 104, 'Trashed', ''), (7, 'company', 201, 'Acme', '')`,
			// The keyed document an edit wrote.
			`INSERT INTO search_index (rowid, workspace_id, object_type, object_id, title, body) VALUES (102, 7, 'contact', 102, 'Edited after', '')`,
		} {
			if _, err := u.Exec(q); err != nil {
				return err
			}
		}
		_, err := u.Exec(up)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	err = db.Read(ctx, func(tx *store.Tx) error {
		rows, err := tx.Unscoped().Query(`SELECT rowid, object_id, title FROM search_index ORDER BY rowid`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var rowid, id int64
			var title string
			if err := rows.Scan(&rowid, &id, &title); err != nil {
				return err
			}
			if rowid != id {
				t.Errorf("document %q: rowid %d, record %d", title, rowid, id)
			}
			got = append(got, title)
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, ",") != "Live,Edited after,Acme" {
		t.Fatalf("documents after the migration: %v", got)
	}
}

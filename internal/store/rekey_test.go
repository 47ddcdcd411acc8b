package store_test

import (
	"context"
	"fmt"
	"io/fs"
	"strings"
	"testing"

	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

// migrationUp is the Up part of one of SQLite's migration files.
func migrationUp(t *testing.T, name string) string {
	t.Helper()
	src, err := fs.ReadFile(store.Migrations(store.SQLite), name)
	if err != nil {
		t.Fatal(err)
	}
	up, _, _ := strings.Cut(string(src), "-- +goose Down")
	_, up, _ = strings.Cut(up, "-- +goose Up")
	return up
}

// TestSearchDocRekeyMigration runs migration 00034's statements on
// documents as imports used to write them (automatic rowids): a live
// record's document is re-keyed by its id, a record edited since keeps its
// keyed (current) document only, and the documents of trashed or missing
// records go. Then 00041 moves them into the plain table and its trigram
// index, where search finds them.
func TestSearchDocRekeyMigration(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	up := migrationUp(t, "00034_search_doc_keys.sql")
	err := db.Write(ctx, func(tx *store.Tx) error {
		u := tx.Unscoped()
		for _, q := range []string{
			// The documents' table as 00022 made it.
			`DROP TABLE search_index_fts`,
			`DROP TABLE search_index`,
			`CREATE VIRTUAL TABLE search_index USING fts5(workspace_id UNINDEXED, object_type UNINDEXED, object_id UNINDEXED, title, body,
				tokenize = 'trigram remove_diacritics 1')`,
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

	if err := db.Write(ctx, func(tx *store.Tx) error {
		_, err := tx.Unscoped().Exec(migrationUp(t, "00041_search_terms.sql"))
		return err
	}); err != nil {
		t.Fatal(err)
	}
	got = nil
	err = db.Read(ctx, func(tx *store.Tx) error {
		rows, err := tx.Unscoped().Query(`SELECT d.object_id, d.workspace_id, d.object_type, d.title FROM search_index_fts f
			JOIN search_index d ON d.object_id = f.rowid WHERE search_index_fts MATCH '("dit" AND "aft") OR "acm"'
			ORDER BY d.object_id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id, ws int64
			var typ, title string
			if err := rows.Scan(&id, &ws, &typ, &title); err != nil {
				return err
			}
			got = append(got, fmt.Sprintf("%d %d %s %s", id, ws, typ, title))
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, ",") != "102 7 contact Edited after,201 7 company Acme" {
		t.Fatalf("documents found after 00041: %v", got)
	}
}

package importer_test

import (
	"strings"
	"testing"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/importer"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/search"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

// TestImportedSearchDocsFollowTheirRecords: the search documents an import
// writes belong to their records like any other — after an imported
// contact is renamed, merged away or deleted, and after a second import
// updates one, search finds each record once, by its current values only.
// (Imports once wrote SQLite documents under an automatic rowid, which no
// later change could find: the old name stayed searchable.)
func TestImportedSearchDocsFollowTheirRecords(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		p := member(t, db, 0, crm.RoleAdmin, "docs@example.com")
		file := "Email,First Name,Last Name,Company\n" +
			"quill@example.com,Quentin,Quillfeather,Zephyrco\n" +
			"wren@example.com,Wendeline,Wrenfield,\n" +
			"dup@example.com,Dorothea,Duplessis,\n" +
			"gone@example.com,Gustavo,Gonebury,\n"
		imp := runImport(t, db, p, "contacts", file, nil, false)
		if imp.Summary() != "created=4 updated=0 skipped=0 errors=0" {
			t.Fatalf("import: %s", imp.Summary())
		}
		ids := map[string]crm.ID{}
		for _, h := range find(t, db, p, "example.com") {
			ids[h.Body[:4]] = h.ObjectID
		}
		if len(ids) != 4 {
			t.Fatalf("imported contacts found by email: %v", ids)
		}
		checkTerms(t, db)
		first, last := "Quinn", "Quarrington"
		keep := ids["dup@"]
		if err := db.Write(ctx, func(tx *store.Tx) error {
			if _, err := records.UpdateContact(tx, p, ids["quil"], records.ContactPatch{FirstName: &first, LastName: &last}, 0); err != nil {
				return err
			}
			if err := records.DeleteContact(tx, p, ids["gone"]); err != nil {
				return err
			}
			into, err := records.CreateContact(tx, p, records.NewContact{FirstName: "Dora", LastName: "Keeper", Email: "keeper@example.org"})
			keep = into.ID
			if err != nil {
				return err
			}
			_, err = records.MergeContacts(tx, p, into.ID, ids["dup@"], nil)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		// A second import updates Wendeline.
		imp2 := runImport(t, db, p, "contacts", "Email,First Name,Last Name\nwren@example.com,Wilhelmina,Wrenfield\n", nil, false)
		if imp2.Summary() != "created=0 updated=1 skipped=0 errors=0" {
			t.Fatalf("second import: %s", imp2.Summary())
		}
		for q, want := range map[string][]crm.ID{
			"Quillfeather": nil, "Quarrington": {ids["quil"]},
			"Gonebury":  nil,
			"Duplessis": nil, "Keeper": {keep},
			"Wendeline": nil, "Wilhelmina": {ids["wren"]}, "Wrenfield": {ids["wren"]},
		} {
			var got []crm.ID
			for _, h := range find(t, db, p, q) {
				if h.ObjectType == "contact" {
					got = append(got, h.ObjectID)
				}
			}
			if len(got) != len(want) || len(want) == 1 && got[0] != want[0] {
				t.Errorf("search %q: contacts %v, want %v", q, got, want)
			}
		}
	})
}

// TestImportedContactsFilteredByContains: a "contains" filter, which SQLite
// narrows by the search index, finds imported contacts by their current
// values (the documents an import writes must be keyed by record).
func TestImportedContactsFilteredByContains(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		p := member(t, db, 0, crm.RoleAdmin, "filter@example.com")
		imp := runImport(t, db, p, "contacts", "Email,First Name,Last Name\nxylo@rarehost.example,Xavier,Xylophone\nyork@common.example,Yuri,York\n", nil, false)
		if imp.Summary() != "created=2 updated=0 skipped=0 errors=0" {
			t.Fatalf("import: %s", imp.Summary())
		}
		for expr, want := range map[string]string{
			`email ~ "rarehost"`:   "Xylophone",
			`last_name ~ "lophon"`: "Xylophone",
			`name ~ "uri Yo"`:      "York",
			`email ~ "nowhere.ex"`: "",
		} {
			var got []string
			if err := db.Read(ctx, func(tx *store.Tx) error {
				page, err := records.QueryContacts(tx, p, records.ListQuery{Filter: expr})
				for _, c := range page.Items {
					got = append(got, c.LastName)
				}
				return err
			}); err != nil {
				t.Fatal(err)
			}
			if strings.Join(got, ",") != want {
				t.Errorf("%s: %v, want %q", expr, got, want)
			}
		}
	})
}

func find(t *testing.T, db *store.DB, p crm.Principal, q string) []search.Hit {
	t.Helper()
	var hits []search.Hit
	if err := db.Read(ctx, func(tx *store.Tx) error {
		var err error
		hits, err = search.Search(tx, p.WorkspaceID, q, 20, search.Scope{})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return hits
}

// TestBigImportUsesGINPendingLists (PostgreSQL): a big import writes its
// search documents with the trigram indexes' pending lists on, and turns
// them off and empties them at the end, so searches read the indexes alone
// again and find the new contacts.
func TestBigImportUsesGINPendingLists(t *testing.T) {
	db := testdb.Postgres(t)
	defer importer.SetRebuildMinRows(1)()
	fastupdate := func() string {
		return strings.Join(texts(t, db, `SELECT c.relname || ':' || array_to_string(c.reloptions, ',') FROM pg_class c
			WHERE c.relname IN ('search_index_ws_title', 'search_index_ws_body') ORDER BY c.relname`), " ")
	}
	var during []string
	defer importer.OnIndexChunk(func() { during = append(during, fastupdate()) })()
	p := member(t, db, 0, crm.RoleAdmin, "gin@example.com")
	imp := runImport(t, db, p, "contacts", "Email,First Name,Last Name\nquasar@example.com,Quincy,Quasarton\n", nil, false)
	if imp.Summary() != "created=1 updated=0 skipped=0 errors=0" {
		t.Fatalf("import: %s", imp.Summary())
	}
	const on, off = "search_index_ws_body:fastupdate=on search_index_ws_title:fastupdate=on",
		"search_index_ws_body:fastupdate=off search_index_ws_title:fastupdate=off"
	if len(during) == 0 || during[0] != on {
		t.Fatalf("while writing documents: %q", during)
	}
	if got := fastupdate(); got != off {
		t.Fatalf("after the import: %q", got)
	}
	if hits := find(t, db, p, "Quasarton"); len(hits) != 1 {
		t.Fatalf("search after the import: %v", hits)
	}
}

// TestBigImportDefersFTSMerges (SQLite): a big import writes its search
// documents with FTS5's automerge off and a 32 MB hashsize, and sets both
// back to FTS5's defaults (4, 1 MB) at the end; the documents are
// findable after it.
func TestBigImportDefersFTSMerges(t *testing.T) {
	db := testdb.New(t)
	defer importer.SetRebuildMinRows(1)()
	config := func(k string) string {
		var v string
		if err := db.Read(ctx, func(tx *store.Tx) error {
			err := tx.Unscoped().QueryRow(`SELECT v FROM search_index_fts_config WHERE k = ?`, k).Scan(&v)
			if err == store.ErrNoRows {
				v, err = "unset", nil
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return v
	}
	settings := func() string { return config("automerge") + " " + config("hashsize") }
	if got := settings(); got != "unset unset" {
		t.Fatalf("before any import: %q", got)
	}
	var during []string
	defer importer.OnIndexChunk(func() { during = append(during, settings()) })()
	p := member(t, db, 0, crm.RoleAdmin, "fts@example.com")
	imp := runImport(t, db, p, "contacts", "Email,First Name,Last Name\nquasar@example.com,Quincy,Quasarton\n", nil, false)
	if imp.Summary() != "created=1 updated=0 skipped=0 errors=0" {
		t.Fatalf("import: %s", imp.Summary())
	}
	if len(during) == 0 || during[0] != "0 33554432" {
		t.Fatalf("while writing documents: %q", during)
	}
	if got := settings(); got != "4 1048576" {
		t.Fatalf("after the import: %q", got)
	}
	if hits := find(t, db, p, "Quasarton"); len(hits) != 1 {
		t.Fatalf("search after the import: %v", hits)
	}
}

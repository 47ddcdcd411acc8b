// Command ftsexp times writing contact-shaped search documents into the
// FTS5 layouts Tandem has used or considered, each in a fresh SQLite file
// under /tmp, as a big import writes them (chunks of 25,000 in their own
// transactions, automerge off, a 32 MB hashsize), then a trigram query:
//
//	go run ./bench/cmd/ftsexp [-rows N] [layout ...]
//
// Layouts: full (FTS5 storing text and positions: search_index before
// migration 00041), none and column (the same with less detail), plain+none
// (a plain table and a contentless detail=none FTS5 table, written by two
// statements: the layout since 00041), plain+column, and plain+trigger
// (plain+none written by a trigger on the plain table).
package main

import (
	"database/sql"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"time"

	_ "modernc.org/sqlite"
)

var (
	firsts  = []string{"Anna", "Ben", "Carla", "David", "Elif", "Fatima", "Georg", "Hana", "Ivan", "Julia", "Kofi", "Lena", "Marco", "Nina", "Omar", "Paula"}
	lasts   = []string{"Schmidt", "Johnson", "Nguyen", "Garcia", "Müller", "Rossi", "Kowalski", "Dubois", "Andersson", "Tanaka", "Okafor", "Silva", "Hansen", "Novak"}
	domains = []string{"gmail.com", "yahoo.com", "outlook.com", "acme.io", "globex.com", "initech.net", "hooli.com", "umbrella.org"}
	titles  = []string{"Sales Manager", "CEO", "Head of Marketing", "Engineer", "Account Executive", "CFO", ""}
)

const trigram = "tokenize = 'trigram remove_diacritics 1'"

type layout struct {
	name, fts string
	plain     bool // documents in a plain table, trigrams in a contentless FTS5 table
	trigger   bool // the FTS5 table written by a trigger on the plain table
}

var layouts = []layout{
	{name: "full", fts: trigram},
	{name: "none", fts: trigram + ", detail=none"},
	{name: "column", fts: trigram + ", detail=column"},
	{name: "plain+none", fts: trigram + ", detail=none, content='', contentless_delete=1", plain: true},
	{name: "plain+column", fts: trigram + ", detail=column, content='', contentless_delete=1", plain: true},
	{name: "plain+trigger", fts: trigram + ", detail=none, content='', contentless_delete=1", plain: true, trigger: true},
}

func main() {
	rows := flag.Int("rows", 300000, "documents to write")
	flag.Parse()
	for _, l := range layouts {
		if flag.NArg() == 0 || slices.Contains(flag.Args(), l.name) {
			if err := run(l, *rows); err != nil {
				fmt.Fprintln(os.Stderr, l.name+":", err)
				os.Exit(1)
			}
		}
	}
}

func run(l layout, n int) error {
	path := "/tmp/ftsexp-" + strings.ReplaceAll(l.name, "+", "-") + ".db"
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		os.Remove(p)
	}
	defer func() {
		for _, p := range []string{path, path + "-wal", path + "-shm"} {
			os.Remove(p)
		}
	}()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)")
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	schema := []string{`CREATE VIRTUAL TABLE s USING fts5(workspace_id UNINDEXED, object_type UNINDEXED, object_id UNINDEXED, title, body, ` + l.fts + `)`}
	insert := []string{`INSERT INTO s (rowid, workspace_id, object_type, object_id, title, body) VALUES (?1, ?2, ?3, ?1, ?4, ?5)`}
	query := `SELECT count(*) FROM s WHERE s MATCH '"gmail"'`
	if l.plain {
		schema = []string{`CREATE VIRTUAL TABLE s USING fts5(title, body, ` + l.fts + `)`,
			`CREATE TABLE d (object_id INTEGER PRIMARY KEY, workspace_id INTEGER NOT NULL, object_type TEXT NOT NULL, title TEXT NOT NULL, body TEXT NOT NULL)`}
		insert = []string{`INSERT INTO d (object_id, workspace_id, object_type, title, body) VALUES (?1, ?2, ?3, ?4, ?5)`}
		if l.trigger {
			schema = append(schema, `CREATE TRIGGER d_terms AFTER INSERT ON d BEGIN INSERT INTO s (rowid, title, body) VALUES (new.object_id, new.title, new.body); END`)
		} else {
			insert = append(insert, `INSERT INTO s (rowid, title, body) VALUES (?1, ?4, ?5)`)
		}
		query = `SELECT count(*) FROM s JOIN d ON d.object_id = s.rowid WHERE s MATCH '"gma" AND "mai" AND "ail"' AND d.body LIKE '%gmail%'`
	}
	if l.fts == trigram+", detail=none" || l.fts == trigram+", detail=column" {
		query = `SELECT count(*) FROM s WHERE s MATCH '"gma" AND "mai" AND "ail"' AND body LIKE '%gmail%'`
	}
	schema = append(schema, `INSERT INTO s (s, rank) VALUES ('automerge', 0)`, `INSERT INTO s (s, rank) VALUES ('hashsize', 33554432)`)
	for _, q := range schema {
		if _, err := db.Exec(q); err != nil {
			return err
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	start := time.Now()
	for c := 0; c < n; c += 25000 {
		tx, err := db.Begin()
		if err != nil {
			return err
		}
		var sts []*sql.Stmt
		for _, q := range insert {
			st, err := tx.Prepare(q)
			if err != nil {
				return err
			}
			sts = append(sts, st)
		}
		for i := c; i < min(c+25000, n); i++ {
			f, last := firsts[rng.IntN(len(firsts))], lasts[rng.IntN(len(lasts))]
			body := fmt.Sprintf("%s.%s%d@%s 1555%07d 1556%07d %s", strings.ToLower(f), strings.ToLower(last), rng.IntN(1000),
				domains[rng.IntN(len(domains))], rng.IntN(10000000), rng.IntN(10000000), titles[rng.IntN(len(titles))])
			for _, st := range sts {
				if _, err := st.Exec(1000000+i, 7, "contact", f+" "+last, body); err != nil {
					return err
				}
			}
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	took := time.Since(start)
	if _, err := db.Exec(`INSERT INTO s (s, rank) VALUES ('automerge', 4)`); err != nil {
		return err
	}
	var found int
	q := time.Now()
	for range 20 {
		if err := db.QueryRow(query).Scan(&found); err != nil {
			return err
		}
	}
	var pages, size int64
	if err := db.QueryRow(`SELECT page_count, page_size FROM pragma_page_count, pragma_page_size`).Scan(&pages, &size); err != nil {
		return err
	}
	fmt.Printf("%-14s %d documents written in %6.2f s, %4d MB; \"gmail\" in %d of them, %v a query\n",
		l.name, n, took.Seconds(), pages*size>>20, found, (time.Since(q) / 20).Round(time.Microsecond))
	return nil
}

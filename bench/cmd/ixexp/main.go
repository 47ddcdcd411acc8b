// Command ixexp times building contacts indexes in an existing Tandem
// SQLite file (a big import's data directory: KEEP=1 bench/import-1m.sh)
// with SQLite's sorter on one thread and with helper threads, as a big
// import's merge builds them (16 MB page cache, sorts spilled to files).
// Each index is dropped and built again inside a transaction that is
// rolled back, so the file is left as it was.
//
//	go run ./bench/cmd/ixexp [-threads 0,2] [-rounds 3] DIR/tandem.db
package main

import (
	"database/sql"
	"flag"
	"fmt"
	"log"
	"strconv"
	"strings"
	"time"

	_ "modernc.org/sqlite"
)

func main() {
	threads := flag.String("threads", "0,2", "PRAGMA threads values to compare, comma-separated")
	rounds := flag.Int("rounds", 3, "rounds of every setting")
	// By default the six a big import's merge drops and builds again
	// (internal/importer/stage.go: all but contacts_recent and
	// contacts_updated_id).
	indexes := flag.String("indexes", "contacts_email,contacts_name,contacts_phone_digits,contacts_created_id,contacts_company_name,contacts_owner_created",
		"indexes to build, comma-separated")
	flag.Parse()
	if flag.NArg() != 1 {
		log.Fatal("usage: ixexp [flags] FILE")
	}
	db, err := sql.Open("sqlite", "file:"+flag.Arg(0)+"?_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)")
	if err != nil {
		log.Fatal(err)
	}
	db.SetMaxOpenConns(1) // the pragmas hold for one connection
	for _, q := range []string{"PRAGMA cache_size = -16384", "PRAGMA temp_store = FILE"} {
		if _, err := db.Exec(q); err != nil {
			log.Fatal(err)
		}
	}
	for range *rounds {
		for _, th := range strings.Split(*threads, ",") {
			n, err := strconv.Atoi(th)
			if err != nil {
				log.Fatalf("-threads: %v", err)
			}
			if _, err := db.Exec(fmt.Sprintf("PRAGMA threads = %d", n)); err != nil {
				log.Fatal(err)
			}
			took, err := build(db, strings.Split(*indexes, ","))
			if err != nil {
				log.Fatal(err)
			}
			fmt.Printf("threads=%d: %v\n", n, took.Round(time.Millisecond))
		}
	}
}

// build drops and creates each index in a transaction it rolls back, and
// returns the time the creations took together.
func build(db *sql.DB, indexes []string) (time.Duration, error) {
	var total time.Duration
	for _, ix := range indexes {
		var create string
		if err := db.QueryRow("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", ix).Scan(&create); err != nil {
			return 0, fmt.Errorf("%s: %w", ix, err)
		}
		tx, err := db.Begin()
		if err != nil {
			return 0, err
		}
		if _, err := tx.Exec("DROP INDEX " + ix); err != nil {
			tx.Rollback()
			return 0, err
		}
		t := time.Now()
		_, err = tx.Exec(create)
		total += time.Since(t)
		if rerr := tx.Rollback(); err == nil {
			err = rerr
		}
		if err != nil {
			return 0, fmt.Errorf("%s: %w", ix, err)
		}
	}
	return total, nil
}

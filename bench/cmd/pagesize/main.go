// Command pagesize sets the page size of a Tandem SQLite file, to compare
// page sizes on the same data (docs/BENCHMARKS.md, "Page size"). A file
// that does not exist yet is created empty with that page size, in WAL
// mode, so that `tandem migrate up` builds its schema on it; an existing
// file is rewritten (VACUUM: out of WAL mode and back, which needs no
// other connection open on it).
//
//	go run ./bench/cmd/pagesize -size 8192 DIR/tandem.db
package main

import (
	"database/sql"
	"flag"
	"fmt"
	"log"

	_ "modernc.org/sqlite"
)

func main() {
	size := flag.Int("size", 4096, "page size in bytes: a power of two from 512 to 65536")
	flag.Parse()
	if flag.NArg() != 1 {
		log.Fatal("usage: pagesize -size N FILE")
	}
	if *size < 512 || *size > 65536 || *size&(*size-1) != 0 {
		log.Fatalf("-size %d: a power of two from 512 to 65536", *size)
	}
	db, err := sql.Open("sqlite", "file:"+flag.Arg(0))
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1) // the pragmas hold for one connection
	for _, q := range []string{"PRAGMA journal_mode = DELETE", fmt.Sprintf("PRAGMA page_size = %d", *size), "VACUUM", "PRAGMA journal_mode = WAL"} {
		if _, err := db.Exec(q); err != nil {
			log.Fatalf("%s: %v", q, err)
		}
	}
	var got int
	if err := db.QueryRow("PRAGMA page_size").Scan(&got); err != nil {
		log.Fatal(err)
	}
	if got != *size {
		log.Fatalf("page size is %d, not %d", got, *size)
	}
	fmt.Printf("%s: page size %d\n", flag.Arg(0), got)
}

// Command contactscsv writes a generated contacts CSV (internal/seed's
// names, companies and titles; twelve columns; a share of duplicate emails)
// to standard output, for the import benchmark (bench/import-1m.sh).
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/tandemcrm/tandem/internal/seed"
)

func main() {
	rows := flag.Int("rows", 1_000_000, "data rows")
	dups := flag.Float64("duplicates", 0.10, "share of rows repeating an earlier email")
	s := flag.Uint64("seed", 1, "random seed")
	flag.Parse()
	if err := seed.ContactsCSV(os.Stdout, seed.CSVOptions{Rows: *rows, Seed: *s, Duplicates: *dups}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

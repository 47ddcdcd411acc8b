// Command listprobe times the contact list's five bench filters (or, with
// -search, search-global's queries; with -pick, the company picker's)
// (bench/load: list-contacts-filtered) in-process against a seeded data
// directory, one at a time, three rounds: server time without HTTP or
// queueing. -count-budget 1µs leaves out the first page's count; -filter N
// times one filter only and -cpuprofile FILE profiles the rounds; -db
// reads a PostgreSQL database instead of the data directory's SQLite one.
//
//	go run ./bench/cmd/listprobe -data /tmp/l-sqlite -as demo@tandem.local
//	go run ./bench/cmd/listprobe -db postgres://postgres@127.0.0.1:5432/tandem_l
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
	"time"

	"github.com/tandemcrm/tandem/bench/load"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
)

func main() {
	data := flag.String("data", "data", "data directory (SQLite)")
	dbURL := flag.String("db", "", "database URL (postgres://…) instead of the data directory's SQLite")
	as := flag.String("as", "demo@tandem.local", "the member's email")
	budget := flag.Duration("count-budget", store.DefaultCountBudget, "time budget of the first page's count")
	rounds := flag.Int("rounds", 3, "rounds over the filters")
	searches := flag.Bool("search", false, "time search-global's queries instead of the filters")
	picks := flag.Bool("pick", false, "time the company picker's answers (records.PickCompanies) to pickQueries instead")
	only := flag.Int("filter", -1, "time only this filter (0–4, in the order of load.ContactFilters)")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the timed rounds to this file")
	flag.Parse()
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "listprobe:", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	mode := "filters"
	switch {
	case *searches:
		mode = "search"
	case *picks:
		mode = "pick"
	}
	if err := run(store.Options{DataDir: *data, URL: *dbURL, CountBudget: *budget}, *as, *rounds, mode, *only); err != nil {
		pprof.StopCPUProfile()
		fmt.Fprintln(os.Stderr, "listprobe:", err)
		os.Exit(1)
	}
}

// pickQueries are typed into the company picker: nothing, prefixes,
// substrings, a typo, and words that many contacts and no company hold.
var pickQueries = []string{"", "o", "oakr", "zq", "consult", "acme corp", "nortwind", "john", "hoffman"}

func run(opts store.Options, as string, rounds int, mode string, only int) error {
	ctx := context.Background()
	db, err := store.Open(ctx, opts)
	if err != nil {
		return err
	}
	defer db.Close()
	var p crm.Principal
	err = db.Read(ctx, func(tx *store.Tx) error {
		// Instance-wide on purpose: the member is found by email.
		return tx.Unscoped().QueryRow(`SELECT m.workspace_id, m.user_id, m.role FROM memberships m JOIN users u ON u.id = m.user_id
			WHERE u.email = ?`, as).Scan(&p.WorkspaceID, &p.UserID, &p.Role)
	})
	if err != nil {
		return fmt.Errorf("member %s: %w", as, err)
	}
	for range rounds {
		switch mode {
		case "pick":
			err = timeResults(ctx, db, "pick", pickQueries, func(tx *store.Tx, q string) ([]records.Result, error) {
				return records.PickCompanies(tx, p, q, 12)
			})
		case "search":
			err = timeResults(ctx, db, "search", load.SearchQueries(), func(tx *store.Tx, q string) ([]records.Result, error) {
				return records.Search(tx, p, q, 20)
			})
		}
		if err != nil {
			return err
		}
		if mode != "filters" {
			continue
		}
		for i, f := range load.ContactFilters() {
			if only >= 0 && i != only {
				continue
			}
			start := time.Now()
			var page records.Page[records.Contact]
			err := db.Read(ctx, func(tx *store.Tx) (err error) {
				page, err = records.QueryContacts(tx, p, records.ListQuery{Filter: f[0], Sort: f[1], Limit: 50})
				return err
			})
			if err != nil {
				return err
			}
			fmt.Printf("%-58s %-22s %3d rows, total %6d  %v\n", f[0], f[1], len(page.Items), page.Total, time.Since(start).Round(time.Microsecond))
		}
	}
	return nil
}

// timeResults times find for each query, one read transaction each, and
// prints how many results it gave.
func timeResults(ctx context.Context, db *store.DB, label string, queries []string, find func(*store.Tx, string) ([]records.Result, error)) error {
	for _, q := range queries {
		start := time.Now()
		var hits []records.Result
		err := db.Read(ctx, func(tx *store.Tx) (err error) {
			hits, err = find(tx, q)
			return err
		})
		if err != nil {
			return err
		}
		fmt.Printf("%s %-20q %3d results  %v\n", label, q, len(hits), time.Since(start).Round(time.Microsecond))
	}
	return nil
}

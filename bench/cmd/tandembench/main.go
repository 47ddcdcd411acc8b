// Command tandembench measures Tandem: it seeds a deterministic workspace of
// a given size, starts the real `tandem serve`, drives named workloads over
// HTTP at a fixed concurrency, and writes the figures as JSON.
//
//	tandembench run   [--size S] [--dialect sqlite|postgres|both] [--workloads a,b] ...
//	tandembench check [--results DIR] [--budgets bench/budgets.json]
//
// See bench/README.md.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: tandembench run|check [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "run":
		err = runCmd(ctx, os.Args[2:])
	case "check":
		err = checkCmd(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q: use run or check", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "tandembench:", err)
		os.Exit(1)
	}
}

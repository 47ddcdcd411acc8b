// Command tandem is the whole of Tandem, the self-hosted sales CRM: the web
// server, the job runner and the operator's tools. See `tandem help`.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/tandemcrm/tandem/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

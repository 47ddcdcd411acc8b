package cli

import (
	"context"
	"fmt"

	"github.com/tandemcrm/tandem/internal/store"
)

// runConfig prints the configuration serve would use, after defaults, the
// config file, TANDEM_* variables and flags are combined. Secrets are
// masked: the output is meant to be pasted into bug reports.
func runConfig(ctx context.Context, env Env, args []string) error {
	fs := flags(env, "config", "config [--data-dir DIR] [--config FILE]")
	c, err := loadConfig(env, fs, args)
	if err != nil {
		return err
	}
	c.Redacted(env.Stdout)
	kind, target, err := store.ParseURL(c.DatabaseURL, c.DataDir)
	if err != nil {
		return err
	}
	if kind == store.SQLite {
		fmt.Fprintf(env.Stdout, "# database: SQLite file %s\n", target)
	} else {
		fmt.Fprintf(env.Stdout, "# database: PostgreSQL at %s\n", store.RedactURL(target))
	}
	fmt.Fprintf(env.Stdout, "# public URL: %s\n", c.PublicURL())
	return nil
}

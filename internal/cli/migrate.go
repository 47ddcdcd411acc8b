package cli

import (
	"context"
	"fmt"
)

func runMigrate(ctx context.Context, env Env, args []string) error {
	fs := flags(env, "migrate", "migrate up|status [flags]")
	if len(args) == 0 || (args[0] != "up" && args[0] != "status") {
		fs.Usage()
		return fmt.Errorf("say up or status")
	}
	action := args[0]
	c, err := loadConfig(env, fs, args[1:])
	if err != nil {
		return err
	}
	db, err := openDB(ctx, c, newLogger(c, env.Stderr))
	if err != nil {
		return err
	}
	defer db.Close()
	if action == "up" {
		applied, err := db.Migrate(ctx)
		for _, a := range applied {
			fmt.Fprintf(env.Stdout, "applied %s\n", a)
		}
		if err != nil {
			return err
		}
		if len(applied) == 0 {
			fmt.Fprintln(env.Stdout, "database is up to date")
		}
	}
	st, err := db.Status(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "dialect: %s\nschema version: %d of %d\n", db.Dialect(), st.Current, st.Latest)
	for _, p := range st.Pending {
		fmt.Fprintf(env.Stdout, "pending: %s\n", p)
	}
	if st.RiverPending > 0 {
		fmt.Fprintf(env.Stdout, "pending: %d job-queue (River) migrations\n", st.RiverPending)
	}
	if !st.UpToDate() {
		fmt.Fprintln(env.Stdout, "run `tandem migrate up` to apply them")
	}
	return nil
}

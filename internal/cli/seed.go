package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/tandemcrm/tandem/internal/search"
	"github.com/tandemcrm/tandem/internal/seed"
)

func runSeed(ctx context.Context, env Env, args []string) error {
	fs := flags(env, "seed", "seed --demo | --size S|M|L [--seed N] [--workspace-name NAME] [--force]")
	demo := fs.Bool("demo", false, "a demo workspace: 8 users, 300 companies, 3,000 contacts, 1,500 deals, 6,000 activities")
	size := fs.String("size", "", "a benchmark size instead: S (10k contacts), M (100k) or L (1M)")
	n := fs.Uint64("seed", 1, "random seed: the same seed gives the same data")
	name := fs.String("workspace-name", "", "name of the new workspace (default Demo, or Seed S/M/L)")
	force := fs.Bool("force", false, "create the workspace even if one with this name exists")
	c, err := loadConfig(env, fs, flagsFirst(args, "demo", "force"))
	if err != nil {
		return err
	}
	preset := *size
	if *demo {
		preset = "demo"
	}
	if preset == "" || (*demo && *size != "") {
		fs.Usage()
		return errors.New("say --demo or --size S|M|L (one of them)")
	}
	opts, err := seed.Size(preset)
	if err != nil {
		return err
	}
	opts.Seed, opts.Force = *n, *force
	if *name != "" {
		opts.WorkspaceName = *name
	}
	lock, err := lockShared(c)
	if err != nil {
		return err
	}
	defer lock.Unlock()
	db, err := openDB(ctx, c, newLogger(c, env.Stderr))
	if err != nil {
		return err
	}
	defer db.Close()
	// Like serve, bring the schema up to date unless told not to, so that
	// `tandem seed --demo` works on a fresh data directory.
	if err := prepareSchema(ctx, c, db, newLogger(c, env.Stderr)); err != nil {
		return err
	}
	if err := db.ClaimNode(ctx); err != nil {
		return err
	}
	fmt.Fprintf(env.Stderr, "seeding %q (%s, seed %d) on %s…\n", opts.WorkspaceName, preset, opts.Seed, db.Dialect())
	res, err := seed.Generate(ctx, db, opts)
	if errors.Is(err, seed.ErrExists) {
		return fmt.Errorf("a workspace named %q exists already: pick another --workspace-name, or add --force for a second one", opts.WorkspaceName)
	}
	if err != nil {
		return describe(err)
	}
	// Bulk-loaded rows bypass the per-record index writes: build the
	// workspace's search index in one set-based pass.
	start := time.Now()
	if err := search.Reindex(ctx, db, res.WorkspaceID); err != nil {
		return err
	}
	fmt.Fprintf(env.Stderr, "search index built in %s\n", time.Since(start).Round(time.Millisecond))
	// Fresh statistics, so the planner knows the tables' new sizes at once.
	start = time.Now()
	if err := db.Analyze(ctx); err != nil {
		return err
	}
	fmt.Fprintf(env.Stderr, "statistics refreshed in %s\n", time.Since(start).Round(time.Millisecond))
	fmt.Fprintf(env.Stdout, "workspace %q (%s): %d users, %d companies, %d contacts, %d deals, %d activities in %s\n",
		opts.WorkspaceName, res.WorkspaceID, res.Users, res.Companies, res.Contacts, res.Deals, res.Activities,
		res.Elapsed.Round(time.Millisecond))
	fmt.Fprintf(env.Stdout, "sign in as %s with password %s (every seeded user has this password)\n", res.OwnerEmail, res.Password)
	return nil
}

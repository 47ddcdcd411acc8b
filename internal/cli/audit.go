package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/tandemcrm/tandem/internal/audit"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// runAudit checks the audit log's hash chains: every workspace's, and the
// instance-level one (workspace 0), or just --workspace ID.
func runAudit(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 || args[0] != "verify" {
		return fmt.Errorf("usage: tandem audit verify [--workspace ID]")
	}
	fs := flags(env, "audit verify", "audit verify [--workspace ID]")
	only := fs.String("workspace", "", "verify only this workspace")
	c, err := loadConfig(env, fs, args[1:])
	if err != nil {
		return err
	}
	db, err := openDB(ctx, c, newLogger(c, env.Stderr))
	if err != nil {
		return err
	}
	defer db.Close()
	var wss []crm.ID
	if *only != "" {
		id, err := crm.ParseID(*only)
		if err != nil {
			return fmt.Errorf("--workspace %q is not a workspace id", *only)
		}
		wss = []crm.ID{id}
	} else if wss, err = allWorkspaces(ctx, db); err != nil {
		return err
	}
	bad := 0
	for _, ws := range wss {
		var n int
		var first crm.ID
		err := db.Read(ctx, func(tx *store.Tx) (err error) { n, first, err = audit.Verify(tx, ws); return err })
		switch {
		case errors.Is(err, audit.ErrBroken):
			bad++
			fmt.Fprintf(env.Stdout, "FAIL  workspace %s: chain broken at entry %s after %d good entries: %v\n", ws, first, n, err)
		case err != nil:
			return err
		default:
			fmt.Fprintf(env.Stdout, "ok    workspace %s: %d entries, chain intact\n", ws, n)
		}
	}
	if bad > 0 {
		return fmt.Errorf("%d audit chain(s) broken: the log was edited outside Tandem", bad)
	}
	return nil
}

func allWorkspaces(ctx context.Context, db *store.DB) ([]crm.ID, error) {
	var ids []crm.ID
	err := db.Read(ctx, func(tx *store.Tx) (err error) {
		ids, err = tx.IDs(`SELECT id FROM workspaces ORDER BY id`)
		return err
	})
	return append([]crm.ID{0}, ids...), err
}

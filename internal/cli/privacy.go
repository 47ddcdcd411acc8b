package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/tandemcrm/tandem/internal/config"
	"github.com/tandemcrm/tandem/internal/consent"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/privacy"
	"github.com/tandemcrm/tandem/internal/secrets"
	"github.com/tandemcrm/tandem/internal/store"
)

// privacyService is the one place the privacy service is assembled for the
// server and the CLI: erasure suppresses through the consent package.
func privacyService(c config.Config) privacy.Service {
	return privacy.Service{Registry: privacy.Default(), FilesDir: filepath.Join(c.DataDir, "files"), Suppress: privacy.ConsentSuppress}
}

// runPrivacy answers access and erasure requests from the command line:
//
//	tandem privacy export --workspace ID --email E --out FILE.zip
//	tandem privacy erase  --workspace ID --email E [--yes]
func runPrivacy(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 || (args[0] != "export" && args[0] != "erase") {
		return fmt.Errorf("usage: tandem privacy export|erase --workspace ID --email E (export: --out FILE.zip; erase: --yes)")
	}
	sub := args[0]
	fs := flags(env, "privacy "+sub, "privacy "+sub+" --workspace ID --email E [--out FILE.zip | --yes]")
	wsFlag := fs.String("workspace", "", "workspace id")
	email := fs.String("email", "", "the person's email address")
	out := fs.String("out", "", "export: the zip file to write")
	yes := fs.Bool("yes", false, "erase: really erase (without it, only the preview is shown)")
	c, err := loadConfig(env, fs, args[1:])
	if err != nil {
		return err
	}
	ws, err := crm.ParseID(*wsFlag)
	if err != nil || ws == 0 {
		return fmt.Errorf("--workspace must be a workspace id")
	}
	if strings.TrimSpace(*email) == "" {
		return fmt.Errorf("--email is required")
	}
	db, err := openDB(ctx, c, newLogger(c, env.Stderr))
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.ClaimNode(ctx); err != nil { // audit entries and events need ids
		return err
	}
	key, err := secrets.LoadOrCreateKey(c.DataDir, c.SecretKey) // keys the suppression list's hashes
	if err != nil {
		return err
	}
	consent.SetKey(key)
	sv := privacyService(c)
	if sub == "export" {
		return privacyExport(ctx, env, db, sv, ws, *email, *out)
	}
	return privacyErase(ctx, env, db, sv, ws, *email, *yes)
}

func privacyExport(ctx context.Context, env Env, db *store.DB, sv privacy.Service, ws crm.ID, email, out string) error {
	if out == "" {
		return fmt.Errorf("--out FILE.zip is required")
	}
	f, err := os.OpenFile(out, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("cannot create %s (it must not exist yet): %w", out, err)
	}
	var rep privacy.Report
	var found int
	err = db.Write(ctx, func(tx *store.Tx) error {
		subjects, err := findSubjects(tx, ws, email)
		if err != nil {
			return err
		}
		found = len(subjects)
		rep, err = sv.ExportSubjects(tx, ws, crm.System, subjects, f)
		return err
	})
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(out)
		return err
	}
	fmt.Fprintf(env.Stdout, "%d contact(s) with %s; %d row(s) written to %s\n", found, email, rep.Total(), out)
	return nil
}

func findSubjects(tx *store.Tx, ws crm.ID, email string) ([]*privacy.Subject, error) {
	ids, err := privacy.FindContacts(tx, ws, email)
	if err != nil {
		return nil, err
	}
	var out []*privacy.Subject
	for _, id := range ids {
		s, err := privacy.LoadSubject(tx, ws, id)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

func privacyErase(ctx context.Context, env Env, db *store.DB, sv privacy.Service, ws crm.ID, email string, yes bool) error {
	var reps []privacy.Report
	write := db.Read
	if yes {
		write = db.Write
	}
	err := write(ctx, func(tx *store.Tx) error {
		ids, err := privacy.FindContacts(tx, ws, email)
		if err != nil {
			return err
		}
		for _, id := range ids {
			var r privacy.Report
			if yes {
				r, err = sv.EraseContact(tx, ws, id, crm.System)
			} else {
				r, err = sv.PreviewContact(tx, ws, id)
			}
			if err != nil {
				return fmt.Errorf("contact %s: %w", id, err)
			}
			reps = append(reps, r)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if len(reps) == 0 {
		fmt.Fprintf(env.Stdout, "No contact with %s in workspace %s: nothing to erase.\n", email, ws)
		return nil
	}
	verb := "erased"
	if !yes {
		verb = "would erase"
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	for _, r := range reps {
		fmt.Fprintf(tw, "contact %s (%s %d rows):\n", r.ContactID, verb, r.Total())
		for _, c := range r.Counts {
			fmt.Fprintf(tw, "  %s\t%d\n", c.Kind, c.Rows)
		}
		if yes {
			fmt.Fprintf(tw, "  suppressed identifiers\t%d\n", r.Suppressed)
		}
	}
	tw.Flush()
	if !yes {
		return fmt.Errorf("nothing erased: run again with --yes to erase")
	}
	return nil
}

package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"github.com/tandemcrm/tandem/internal/consent"
	"github.com/tandemcrm/tandem/internal/secrets"
	"os"
	"strings"
	"time"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/config"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// withWriteDB opens the configured database, checks its schema is current,
// leases a node for ids, and runs fn.
func withWriteDB(ctx context.Context, env Env, name, usageLine string, args []string,
	define func(fs flagSet), fn func(db *store.DB, rest []string) error) error {
	return withWriteDBConfig(ctx, env, name, usageLine, args, define, func(_ config.Config, db *store.DB, rest []string) error {
		return fn(db, rest)
	})
}

// withWriteDBConfig is withWriteDB for commands that also need the configuration.
func withWriteDBConfig(ctx context.Context, env Env, name, usageLine string, args []string,
	define func(fs flagSet), fn func(c config.Config, db *store.DB, rest []string) error) error {
	fs := flags(env, name, usageLine)
	if define != nil {
		define(fs)
	}
	c, err := loadConfig(env, fs, args)
	if err != nil {
		return err
	}
	db, err := openDB(ctx, c, newLogger(c, env.Stderr))
	if err != nil {
		return err
	}
	defer db.Close()
	st, err := db.Status(ctx)
	if err != nil {
		return err
	}
	if !st.UpToDate() {
		return errors.New("the database schema is not current: run `tandem migrate up` first")
	}
	if err := db.ClaimNode(ctx); err != nil {
		return err
	}
	// The instance key keys the suppression list's hashes: a command that
	// creates contacts (an import) must check them as the server does.
	key, err := secrets.LoadOrCreateKey(c.DataDir, c.SecretKey)
	if err != nil {
		return err
	}
	consent.SetKey(key)
	return fn(c, db, fs.Args())
}

// flagSet is the subset of *flag.FlagSet that commands define flags with.
type flagSet interface {
	String(name, value, usage string) *string
	Bool(name string, value bool, usage string) *bool
	Duration(name string, value time.Duration, usage string) *time.Duration
}

func runWorkspace(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 || args[0] != "create" {
		return fmt.Errorf("usage: tandem workspace create NAME")
	}
	return withWriteDB(ctx, env, "workspace create", "workspace create NAME", args[1:], nil,
		func(db *store.DB, rest []string) error {
			name := strings.TrimSpace(strings.Join(rest, " "))
			var ws crm.Workspace
			err := db.Write(ctx, func(tx *store.Tx) (err error) {
				ws, err = account.CreateWorkspace(tx, name, crm.System)
				return err
			})
			if err != nil {
				return describe(err)
			}
			fmt.Fprintf(env.Stdout, "created workspace %q\n%s\n", ws.Name, ws.ID)
			return nil
		})
}

func runUser(ctx context.Context, env Env, args []string) error {
	if len(args) > 0 && args[0] == "create" {
		return runUserCreate(ctx, env, args[1:])
	}
	if len(args) > 0 && args[0] == "reset-password" {
		return runUserReset(ctx, env, args[1:])
	}
	return fmt.Errorf("usage: tandem user create --workspace ID --email E --role R [--name N] [--password-file F] | tandem user reset-password EMAIL")
}

func runUserCreate(ctx context.Context, env Env, args []string) error {
	var ws, email, role, name, pwFile *string
	return withWriteDB(ctx, env, "user create", "user create --workspace ID --email E --role owner|admin|manager|member|readonly [--name N] [--password-file F]", args,
		func(fs flagSet) {
			ws = fs.String("workspace", "", "workspace id")
			email = fs.String("email", "", "email address (the sign-in name)")
			role = fs.String("role", "member", "owner, admin, manager, member or readonly")
			name = fs.String("name", "", "display name (default: from the email)")
			pwFile = fs.String("password-file", "", "read the password from this file (default: prompt on stdin)")
		},
		func(db *store.DB, _ []string) error {
			wsID, err := crm.ParseID(*ws)
			if err != nil {
				return fmt.Errorf("--workspace %q is not a workspace id", *ws)
			}
			pw, err := readPassword(env, *pwFile)
			if err != nil {
				return err
			}
			n := *name
			if n == "" {
				n, _, _ = strings.Cut(*email, "@")
			}
			var u crm.User
			err = db.Write(ctx, func(tx *store.Tx) error {
				if err := workspaceExists(tx, wsID); err != nil {
					return err
				}
				if u, err = account.CreateUser(tx, account.NewUser{Email: *email, Name: n, Password: pw}); err != nil {
					return err
				}
				return account.AddMember(tx, wsID, u.ID, crm.Role(*role), crm.System)
			})
			if err != nil {
				return describe(err)
			}
			fmt.Fprintf(env.Stdout, "created user %s (%s) in workspace %s\n%s\n", u.Email, *role, wsID, u.ID)
			return nil
		})
}

// runUserReset prints a single-use reset link for an operator to hand over;
// it never prints or sets a password itself.
func runUserReset(ctx context.Context, env Env, args []string) error {
	return withWriteDBConfig(ctx, env, "user reset-password", "user reset-password EMAIL", flagsFirst(args),
		nil, func(c config.Config, db *store.DB, rest []string) error {
			if len(rest) != 1 {
				return errors.New("name the account's email: tandem user reset-password EMAIL")
			}
			var token string
			err := db.Write(ctx, func(tx *store.Tx) (err error) {
				token, _, err = account.RequestPasswordReset(tx, rest[0])
				return err
			})
			if err != nil {
				return err
			}
			if token == "" {
				return fmt.Errorf("no account with the email %s", rest[0])
			}
			fmt.Fprintf(env.Stdout, "Single-use link to choose a new password (valid for an hour):\n%s/reset?token=%s\n", c.PublicURL(), token)
			return nil
		})
}

func readPassword(env Env, file string) (string, error) {
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return "", fmt.Errorf("--password-file: %w", err)
		}
		return strings.TrimRight(string(b), "\r\n"), nil
	}
	fmt.Fprint(env.Stderr, "Password (input is not hidden; prefer --password-file): ")
	line, err := bufio.NewReader(env.Stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", errors.New("no password given: use --password-file or type one on stdin")
	}
	return strings.TrimRight(line, "\r\n"), nil
}

func workspaceExists(tx *store.Tx, ws crm.ID) error {
	var name string
	if err := tx.QueryRow(`SELECT name FROM workspaces WHERE id = ?`, ws).Scan(&name); err != nil {
		if errors.Is(err, store.ErrNoRows) {
			return crm.Errorf(crm.NotFound, "No workspace with id %s.", ws)
		}
		return err
	}
	return nil
}

func runAPIKey(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 || args[0] != "create" {
		return fmt.Errorf("usage: tandem apikey create --workspace ID --user EMAIL --name N")
	}
	var ws, user, name, role *string
	var ttl *time.Duration
	return withWriteDB(ctx, env, "apikey create", "apikey create --workspace ID --user EMAIL --name N [--role R] [--expires-in 720h]", args[1:],
		func(fs flagSet) {
			ws = fs.String("workspace", "", "workspace id")
			user = fs.String("user", "", "email of the user the key acts for")
			name = fs.String("name", "", "what the key is for, e.g. \"zapier\"")
			role = fs.String("role", "", "role of the key (default: the user's; never higher)")
			ttl = fs.Duration("expires-in", 0, "expire the key after this long (default: never)")
		},
		func(db *store.DB, _ []string) error {
			wsID, err := crm.ParseID(*ws)
			if err != nil {
				return fmt.Errorf("--workspace %q is not a workspace id", *ws)
			}
			var secret string
			err = db.Write(ctx, func(tx *store.Tx) error {
				p, err := memberPrincipal(tx, wsID, *user)
				if err != nil {
					return err
				}
				in := account.NewAPIKey{Name: *name, Role: crm.Role(*role)}
				if *ttl > 0 {
					in.ExpiresAt = tx.Now.Add(*ttl)
				}
				_, secret, err = account.CreateAPIKey(tx, p, in)
				return err
			})
			if err != nil {
				return describe(err)
			}
			fmt.Fprintf(env.Stdout, "API key %q created; it is shown only once:\n%s\n", *name, secret)
			return nil
		})
}

// memberPrincipal acts as the user with email in workspace ws.
func memberPrincipal(tx *store.Tx, ws crm.ID, email string) (crm.Principal, error) {
	email, _ = account.NormalizeEmail(email)
	p := crm.Principal{WorkspaceID: ws, Email: email}
	var role string
	err := tx.QueryRow(`SELECT u.id, u.name, m.role FROM users u
		JOIN memberships m ON m.user_id = u.id AND m.workspace_id = ?
		WHERE u.email = ?`, ws, email).Scan(&p.UserID, &p.Name, &role)
	if errors.Is(err, store.ErrNoRows) {
		return p, crm.Errorf(crm.NotFound, "No user %s in workspace %s.", email, ws)
	}
	p.Role = crm.Role(role)
	return p, err
}

// describe turns a domain error into one line naming the fields at fault.
func describe(err error) error {
	fields := crm.ErrorFields(err)
	if len(fields) == 0 {
		if crm.ErrorCode(err) == crm.Internal {
			return err
		}
		return errors.New(crm.ErrorMessage(err))
	}
	parts := make([]string, 0, len(fields))
	for k, v := range fields {
		parts = append(parts, k+": "+v)
	}
	return errors.New(strings.Join(parts, "; "))
}

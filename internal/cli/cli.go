// Package cli is the tandem command: one file per subcommand. Main takes
// everything from outside as arguments (args, environment, standard streams)
// so tests can run any command in-process.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sort"
	"strings"

	"github.com/tandemcrm/tandem/internal/audit"
	"github.com/tandemcrm/tandem/internal/config"
	"github.com/tandemcrm/tandem/internal/store"
)

// Env is what a command gets from the outside world.
type Env struct {
	Getenv func(string) string
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
}

type command struct {
	summary string
	run     func(ctx context.Context, env Env, args []string) error
}

func commands() map[string]command {
	return map[string]command{
		"serve":     {"run the web server and background jobs", runServe},
		"migrate":   {"apply (up) or show (status) database migrations", runMigrate},
		"version":   {"print the version", runVersion},
		"workspace": {"create a workspace: workspace create NAME", runWorkspace},
		"user":      {"manage users: user create, user reset-password", runUser},
		"apikey":    {"create an API key for scripts: apikey create", runAPIKey},
		"audit":     {"check the audit log's hash chains: audit verify", runAudit},
		"doctor":    {"check configuration, data directory, disk and database", runDoctor},
		"config":    {"print the effective configuration, secrets hidden", runConfig},
		"backup":    {"write a consistent copy of the SQLite database: backup FILE", runBackup},
		"restore":   {"replace the SQLite database with a backup: restore FILE", runRestore},
		"seed":      {"create a demo workspace with generated data: seed --demo", runSeed},
		"privacy":   {"export or erase a person: privacy export|erase --workspace ID --email E", runPrivacy},

		"import": {"import contacts or companies from CSV: import contacts FILE --workspace ID", runImport},
		"export": {"export contacts (CSV, XLSX, vCard), companies or deals (CSV, XLSX): export contacts|companies|deals --workspace ID", runExport},
	}
}

// errUsage marks errors that come with usage text already printed.
var errUsage = errors.New("usage")

// Main runs the command named by args[0] and returns the exit status.
func Main(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	env := Env{Getenv: getenv, Stdin: stdin, Stdout: stdout, Stderr: stderr}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout)
		return 0
	}
	cmd, ok := commands()[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "tandem: unknown command %q (try tandem help)\n", args[0])
		return 2
	}
	stopProfile, err := startProfiles(getenv, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "tandem %s: %s\n", args[0], oneLine(err))
		return 1
	}
	err = cmd.run(ctx, env, args[1:])
	stopProfile()
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		if errors.Is(err, errUsage) {
			return 2
		}
		fmt.Fprintf(stderr, "tandem %s: %s\n", args[0], oneLine(err))
		return 1
	}
	return 0
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Tandem, the self-hosted sales CRM.\n\nUsage: tandem COMMAND [flags]\n\nCommands:")
	cmds := commands()
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, cmds[n].summary)
	}
	fmt.Fprintln(w, "\nRun tandem COMMAND --help for a command's flags. Configuration: flags, TANDEM_* environment\nvariables and an optional --config file; see docs/CONFIGURATION.md.")
}

func oneLine(err error) string {
	return strings.ReplaceAll(strings.TrimSpace(err.Error()), "\n", "; ")
}

// flags returns a flag set for a subcommand that reports errors to stderr.
func flags(env Env, name, usageLine string) *flag.FlagSet {
	fs := flag.NewFlagSet("tandem "+name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(env.Stderr, "Usage: tandem %s\n\nFlags:\n", usageLine)
		fs.PrintDefaults()
	}
	return fs
}

// loadConfig parses a command's flags and the configuration.
func loadConfig(env Env, fs *flag.FlagSet, args []string) (config.Config, error) {
	c, err := config.Load(fs, args, env.Getenv)
	if errors.Is(err, flag.ErrHelp) {
		return c, err
	}
	if err != nil && fs.Parsed() {
		return c, fmt.Errorf("configuration: %w", err)
	}
	if err != nil {
		return c, errUsage
	}
	return c, nil
}

func newLogger(c config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(c.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if c.LogFormat == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

// openDB opens the configured database. Changes to personal data made
// through it are written to the audit log (audit.Install).
func openDB(ctx context.Context, c config.Config, log *slog.Logger) (*store.DB, error) {
	db, err := store.Open(ctx, store.Options{URL: c.DatabaseURL, DataDir: c.DataDir, Logger: log, CountBudget: c.CountBudget})
	if err == nil {
		audit.Install(db)
	}
	return db, err
}

var _ = os.Stdout

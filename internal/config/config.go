// Package config is Tandem's one typed configuration: defaults, then an
// optional file, then TANDEM_* environment variables, then command-line
// flags, each overriding the one before. Secrets may also be read from a file
// named by KEY_FILE, and Redacted prints the result without them.
package config

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tandemcrm/tandem/internal/store"
)

// Config is everything an operator can set.
type Config struct {
	Addr             string        // TANDEM_ADDR, --addr
	DataDir          string        // TANDEM_DATA_DIR, --data-dir
	DatabaseURL      string        // DATABASE_URL (secret: may hold a password)
	BaseURL          string        // TANDEM_BASE_URL: public URL used in links; default http://ADDR
	LogLevel         string        // TANDEM_LOG_LEVEL: debug, info, warn, error
	LogFormat        string        // TANDEM_LOG_FORMAT: json or text
	SecretKey        string        // TANDEM_SECRET_KEY (secret): the instance key for secrets at rest
	SMTPURL          string        // TANDEM_SMTP_URL (secret): smtp://user:pass@host:port
	OIDCIssuer       string        // TANDEM_OIDC_ISSUER: OpenID Connect provider for sign-in (optional)
	OIDCClientID     string        // TANDEM_OIDC_CLIENT_ID
	OIDCClientSecret string        // TANDEM_OIDC_CLIENT_SECRET (secret)
	OIDCName         string        // TANDEM_OIDC_NAME: the provider's name on the sign-in button
	PprofAddr        string        // TANDEM_PPROF_ADDR: loopback address for Go profiles; off when empty
	ShutdownTimeout  time.Duration // TANDEM_SHUTDOWN_TIMEOUT
	CountBudget      time.Duration // TANDEM_COUNT_BUDGET: how long a list's first page may count its matches
	Migrate          bool          // TANDEM_MIGRATE: apply pending migrations at serve start
	File             string        // TANDEM_CONFIG, --config: optional KEY=VALUE file
}

// Defaults are what `make run` gets.
func Defaults() Config {
	return Config{
		Addr:            "127.0.0.1:8080",
		DataDir:         "data",
		LogLevel:        "info",
		LogFormat:       "json",
		ShutdownTimeout: 30 * time.Second,
		CountBudget:     10 * time.Millisecond,
		Migrate:         true,
	}
}

// setting ties one config field to its environment key.
type setting struct {
	env    string
	help   string
	secret bool
	get    func(*Config) string
	set    func(*Config, string) error
}

func str(p func(*Config) *string) (func(*Config) string, func(*Config, string) error) {
	return func(c *Config) string { return *p(c) }, func(c *Config, v string) error { *p(c) = v; return nil }
}

func settings() []setting {
	s := func(env, help string, secret bool, p func(*Config) *string) setting {
		g, st := str(p)
		return setting{env: env, help: help, secret: secret, get: g, set: st}
	}
	return []setting{
		s("TANDEM_ADDR", "address to listen on, HOST:PORT", false, func(c *Config) *string { return &c.Addr }),
		s("TANDEM_DATA_DIR", "directory for the SQLite database, files and keys", false, func(c *Config) *string { return &c.DataDir }),
		s("DATABASE_URL", "sqlite:PATH or postgres://USER@HOST/DB (default: SQLite in the data directory)", true, func(c *Config) *string { return &c.DatabaseURL }),
		s("TANDEM_BASE_URL", "public URL of this instance, used in links and emails", false, func(c *Config) *string { return &c.BaseURL }),
		s("TANDEM_LOG_LEVEL", "debug, info, warn or error", false, func(c *Config) *string { return &c.LogLevel }),
		s("TANDEM_LOG_FORMAT", "json or text", false, func(c *Config) *string { return &c.LogFormat }),
		s("TANDEM_SECRET_KEY", "instance key that encrypts secrets at rest (default: generated into the data directory)", true, func(c *Config) *string { return &c.SecretKey }),
		s("TANDEM_SMTP_URL", "smtp://USER:PASS@HOST:PORT for system email (default: log and outbox page)", true, func(c *Config) *string { return &c.SMTPURL }),
		s("TANDEM_OIDC_ISSUER", "OpenID Connect issuer URL for single sign-on, e.g. https://accounts.google.com", false, func(c *Config) *string { return &c.OIDCIssuer }),
		s("TANDEM_OIDC_CLIENT_ID", "client id registered with the OpenID Connect provider", false, func(c *Config) *string { return &c.OIDCClientID }),
		s("TANDEM_OIDC_CLIENT_SECRET", "client secret of that registration", true, func(c *Config) *string { return &c.OIDCClientSecret }),
		s("TANDEM_OIDC_NAME", "name of the provider on the sign-in button (default: single sign-on)", false, func(c *Config) *string { return &c.OIDCName }),
		s("TANDEM_PPROF_ADDR", "loopback HOST:PORT serving Go profiles at /debug/pprof/ (default: off)", false, func(c *Config) *string { return &c.PprofAddr }),
		{env: "TANDEM_SHUTDOWN_TIMEOUT", help: "how long shutdown waits for requests and jobs, e.g. 30s",
			get: func(c *Config) string { return c.ShutdownTimeout.String() },
			set: func(c *Config, v string) error {
				d, err := time.ParseDuration(v)
				if err != nil {
					return fmt.Errorf("is not a duration such as 30s")
				}
				c.ShutdownTimeout = d
				return nil
			}},
		{env: "TANDEM_COUNT_BUDGET", help: "how long a list's first page may spend counting its matches before it shows a lower bound (\"300+\"), e.g. 10ms",
			get: func(c *Config) string { return c.CountBudget.String() },
			set: func(c *Config, v string) error {
				d, err := time.ParseDuration(v)
				if err != nil || d <= 0 {
					return fmt.Errorf("is not a positive duration such as 10ms")
				}
				c.CountBudget = d
				return nil
			}},
		{env: "TANDEM_MIGRATE", help: "apply pending migrations when serve starts (true/false)",
			get: func(c *Config) string { return strconv.FormatBool(c.Migrate) },
			set: func(c *Config, v string) error {
				b, err := strconv.ParseBool(v)
				if err != nil {
					return fmt.Errorf("is not true or false")
				}
				c.Migrate = b
				return nil
			}},
	}
}

// Load builds the configuration for a command: it adds --addr, --data-dir
// and --config to the command's own flag set fs and parses args.
func Load(fs *flag.FlagSet, args []string, getenv func(string) string) (Config, error) {
	c := Defaults()
	flags := bindFlags(fs)
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	file := getenv("TANDEM_CONFIG")
	if *flags.config != "" {
		file = *flags.config
	}
	c.File = file
	if file != "" {
		if err := c.loadFile(file); err != nil {
			return c, err
		}
	}
	for _, s := range settings() {
		v, ok, err := lookup(s.env, getenv)
		if err != nil {
			return c, err
		}
		if ok {
			if err := s.set(&c, v); err != nil {
				return c, fmt.Errorf("%s=%q %v", s.env, v, err)
			}
		}
	}
	if *flags.addr != "" {
		c.Addr = *flags.addr
	}
	if *flags.dataDir != "" {
		c.DataDir = *flags.dataDir
	}
	return c, c.Validate()
}

type boundFlags struct{ addr, dataDir, config *string }

func bindFlags(fs *flag.FlagSet) boundFlags {
	return boundFlags{
		addr:    fs.String("addr", "", "address to listen on, HOST:PORT (env TANDEM_ADDR)"),
		dataDir: fs.String("data-dir", "", "data directory (env TANDEM_DATA_DIR)"),
		config:  fs.String("config", "", "optional configuration file of KEY=VALUE lines (env TANDEM_CONFIG)"),
	}
}

// lookup reads KEY, or the contents of the file named by KEY_FILE.
func lookup(key string, getenv func(string) string) (string, bool, error) {
	if v := getenv(key); v != "" {
		return v, true, nil
	}
	if path := getenv(key + "_FILE"); path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return "", false, fmt.Errorf("%s_FILE: %w", key, err)
		}
		return strings.TrimSpace(string(b)), true, nil
	}
	return "", false, nil
}

func (c *Config) loadFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("config file: %w", err)
	}
	defer f.Close()
	return c.parseFile(path, f)
}

func (c *Config) parseFile(name string, r io.Reader) error {
	byKey := map[string]setting{}
	for _, s := range settings() {
		byKey[s.env] = s
	}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		k, v = strings.TrimSpace(k), strings.Trim(strings.TrimSpace(v), `"`)
		s, known := byKey[k]
		if !ok || !known {
			return fmt.Errorf("%s:%d: expected KEY=VALUE with a known key, got %q", name, n, line)
		}
		if err := s.set(c, v); err != nil {
			return fmt.Errorf("%s:%d: %s %v", name, n, k, err)
		}
	}
	return sc.Err()
}

// Validate reports the first value that cannot work, in plain words.
func (c Config) Validate() error {
	var errs []error
	if _, port, err := net.SplitHostPort(c.Addr); err != nil || port == "" {
		errs = append(errs, fmt.Errorf("TANDEM_ADDR=%q is not HOST:PORT (for example 127.0.0.1:8080)", c.Addr))
	}
	if strings.TrimSpace(c.DataDir) == "" {
		errs = append(errs, errors.New("TANDEM_DATA_DIR is empty"))
	}
	if _, _, err := store.ParseURL(c.DatabaseURL, c.DataDir); err != nil {
		errs = append(errs, err)
	}
	if c.BaseURL != "" {
		if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("TANDEM_BASE_URL=%q is not an http(s) URL", c.BaseURL))
		}
	}
	if !slices.Contains([]string{"debug", "info", "warn", "error"}, c.LogLevel) {
		errs = append(errs, fmt.Errorf("TANDEM_LOG_LEVEL=%q: use debug, info, warn or error", c.LogLevel))
	}
	if c.LogFormat != "json" && c.LogFormat != "text" {
		errs = append(errs, fmt.Errorf("TANDEM_LOG_FORMAT=%q: use json or text", c.LogFormat))
	}
	if c.ShutdownTimeout <= 0 {
		errs = append(errs, errors.New("TANDEM_SHUTDOWN_TIMEOUT must be positive"))
	}
	if c.PprofAddr != "" {
		// Profiles show memory contents: never on a public interface.
		host, port, err := net.SplitHostPort(c.PprofAddr)
		ip := net.ParseIP(host)
		if err != nil || port == "" || (host != "localhost" && (ip == nil || !ip.IsLoopback())) {
			errs = append(errs, fmt.Errorf("TANDEM_PPROF_ADDR=%q must be a loopback HOST:PORT such as 127.0.0.1:6060", c.PprofAddr))
		}
	}
	if c.OIDCIssuer != "" {
		if u, err := url.Parse(c.OIDCIssuer); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			errs = append(errs, fmt.Errorf("TANDEM_OIDC_ISSUER=%q is not an https URL", c.OIDCIssuer))
		}
		if c.OIDCClientID == "" {
			errs = append(errs, errors.New("TANDEM_OIDC_ISSUER is set but TANDEM_OIDC_CLIENT_ID is not"))
		}
	}
	if c.SMTPURL != "" {
		if u, err := url.Parse(c.SMTPURL); err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Host == "" {
			errs = append(errs, errors.New("TANDEM_SMTP_URL is not smtp://USER:PASS@HOST:PORT"))
		}
	}
	return errors.Join(errs...)
}

// PublicURL is the base of links Tandem prints and mails.
func (c Config) PublicURL() string {
	if c.BaseURL != "" {
		return strings.TrimRight(c.BaseURL, "/")
	}
	host, port, _ := net.SplitHostPort(c.Addr)
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	if host == "127.0.0.1" {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// DataPath joins name to the data directory.
func (c Config) DataPath(name string) string { return filepath.Join(c.DataDir, name) }

// Redacted writes every setting as KEY=VALUE with secrets masked.
func (c Config) Redacted(w io.Writer) {
	for _, s := range settings() {
		v := s.get(&c)
		if s.secret && v != "" {
			if s.env == "DATABASE_URL" {
				v = store.RedactURL(v)
			} else {
				v = "[redacted]"
			}
		}
		fmt.Fprintf(w, "%s=%s\n", s.env, v)
	}
	if c.File != "" {
		fmt.Fprintf(w, "# read from %s\n", c.File)
	}
}

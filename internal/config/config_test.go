package config

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestPrecedence(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "tandem.conf")
	os.WriteFile(file, []byte("# comment\nTANDEM_ADDR=127.0.0.1:7000\nTANDEM_LOG_LEVEL=debug\nTANDEM_SHUTDOWN_TIMEOUT=5s\n"), 0o600)
	secret := filepath.Join(dir, "key")
	os.WriteFile(secret, []byte("s3cret\n"), 0o600)

	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	c, err := Load(fs, []string{"--addr", "127.0.0.1:9000"}, env(map[string]string{
		"TANDEM_CONFIG":          file,
		"TANDEM_ADDR":            "127.0.0.1:8000",
		"TANDEM_DATA_DIR":        dir,
		"TANDEM_SECRET_KEY_FILE": secret,
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:9000" {
		t.Errorf("flag should win: Addr = %q", c.Addr)
	}
	if c.LogLevel != "debug" || c.ShutdownTimeout != 5*time.Second {
		t.Errorf("file values lost: %+v", c)
	}
	if c.DataDir != dir || c.SecretKey != "s3cret" {
		t.Errorf("env values lost: %+v", c)
	}
	var out bytes.Buffer
	c.Redacted(&out)
	if strings.Contains(out.String(), "s3cret") || !strings.Contains(out.String(), "TANDEM_SECRET_KEY=[redacted]") {
		t.Errorf("secret shown in dump:\n%s", out.String())
	}
}

func TestValidateSaysWhatIsWrong(t *testing.T) {
	cases := map[string]string{
		"TANDEM_ADDR":       "localhost",
		"TANDEM_LOG_LEVEL":  "loud",
		"DATABASE_URL":      "mysql://x",
		"TANDEM_BASE_URL":   "ftp://x",
		"TANDEM_LOG_FORMAT": "xml",
	}
	for k, v := range cases {
		_, err := Load(flag.NewFlagSet("x", flag.ContinueOnError), nil, env(map[string]string{k: v}))
		if err == nil || !strings.Contains(err.Error(), strings.SplitN(k, "_", 2)[0]) {
			t.Errorf("%s=%s: err = %v", k, v, err)
		}
	}
	_, err := Load(flag.NewFlagSet("x", flag.ContinueOnError), nil, env(map[string]string{"TANDEM_SHUTDOWN_TIMEOUT": "soon"}))
	if err == nil || !strings.Contains(err.Error(), "duration") {
		t.Errorf("bad duration: %v", err)
	}
}

func TestBadFileLine(t *testing.T) {
	file := filepath.Join(t.TempDir(), "c")
	os.WriteFile(file, []byte("TANDEM_ADDR=127.0.0.1:1\nNOPE=1\n"), 0o600)
	_, err := Load(flag.NewFlagSet("x", flag.ContinueOnError), []string{"--config", file}, env(nil))
	if err == nil || !strings.Contains(err.Error(), ":2:") {
		t.Fatalf("err = %v, want line 2 named", err)
	}
}

func TestPublicURL(t *testing.T) {
	c := Defaults()
	if got := c.PublicURL(); got != "http://localhost:8080" {
		t.Errorf("PublicURL = %q", got)
	}
	c.BaseURL = "https://crm.example.com/"
	if got := c.PublicURL(); got != "https://crm.example.com" {
		t.Errorf("PublicURL = %q", got)
	}
}

// TestPprofOnlyOnLoopback: profiles show memory contents, so the profiling
// listener is refused anywhere but on a loopback address.
func TestPprofOnlyOnLoopback(t *testing.T) {
	for v, ok := range map[string]bool{"127.0.0.1:6060": true, "[::1]:0": true, "localhost:6060": true,
		"0.0.0.0:6060": false, ":6060": false, "10.0.0.5:6060": false, "127.0.0.1": false} {
		_, err := Load(flag.NewFlagSet("x", flag.ContinueOnError), nil, env(map[string]string{"TANDEM_PPROF_ADDR": v}))
		if ok != (err == nil) || (err != nil && !strings.Contains(err.Error(), "TANDEM_PPROF_ADDR")) {
			t.Errorf("TANDEM_PPROF_ADDR=%s: err = %v", v, err)
		}
	}
}

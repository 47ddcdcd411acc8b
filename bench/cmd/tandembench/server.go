package main

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"time"
)

// instance is one seeded, running Tandem.
type instance struct {
	bin, dataDir, dbURL string
	cmd                 *exec.Cmd
	base                string
	workspace           string
	password            string
	key, session        string
	pprof               string // http://127.0.0.1:PORT of the profiling listener, when asked for
	wantPprof           bool
}

func (in *instance) env() []string {
	e := append(os.Environ(), "TANDEM_DATA_DIR="+in.dataDir, "TANDEM_LOG_LEVEL=warn")
	if in.dbURL != "" {
		e = append(e, "DATABASE_URL="+in.dbURL)
	}
	if in.wantPprof {
		e = append(e, "TANDEM_PPROF_ADDR=127.0.0.1:0")
	}
	return e
}

func (in *instance) tandem(ctx context.Context, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, in.bin, args...)
	cmd.Env = in.env()
	out, err := cmd.Output()
	if ee, ok := err.(*exec.ExitError); ok {
		return string(out), fmt.Errorf("tandem %s: %v: %s", strings.Join(args, " "), err, ee.Stderr)
	}
	return string(out), err
}

var seededRE = regexp.MustCompile(`workspace "[^"]*" \((\d+)\)`)
var passwordRE = regexp.MustCompile(`with password (\S+)`)

// seed fills the database with a generated workspace of the given size.
func (in *instance) seed(ctx context.Context, size string, seed uint64) (time.Duration, error) {
	start := time.Now()
	out, err := in.tandem(ctx, "seed", "--size", size, "--seed", fmt.Sprint(seed), "--workspace-name", "Bench "+size)
	if err != nil {
		return 0, err
	}
	m, p := seededRE.FindStringSubmatch(out), passwordRE.FindStringSubmatch(out)
	if m == nil || p == nil {
		return 0, fmt.Errorf("unexpected seed output: %s", out)
	}
	in.workspace, in.password = m[1], p[1]
	// What reuse reads back when the data directory is kept (--data).
	err = os.WriteFile(filepath.Join(in.dataDir, seedFile), []byte(fmt.Sprintf("%s %d\n%s", size, seed, out)), 0o600)
	return time.Since(start), err
}

// seedFile, in a data directory, records the seed that filled it.
const seedFile = "tandembench-seed.txt"

// reuse picks up a data directory an earlier run seeded with the same size
// and seed; false when there is none.
func (in *instance) reuse(size string, seed uint64) (bool, error) {
	b, err := os.ReadFile(filepath.Join(in.dataDir, seedFile))
	if os.IsNotExist(err) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	head, out, _ := strings.Cut(string(b), "\n")
	if head != fmt.Sprintf("%s %d", size, seed) {
		return false, fmt.Errorf("%s was seeded as %q, not size %s seed %d: use another --data folder", in.dataDir, head, size, seed)
	}
	m, p := seededRE.FindStringSubmatch(out), passwordRE.FindStringSubmatch(out)
	if m == nil || p == nil {
		return false, fmt.Errorf("%s: unreadable %s", in.dataDir, seedFile)
	}
	in.workspace, in.password = m[1], p[1]
	return true, nil
}

// start runs `tandem serve` on a free port and signs in.
func (in *instance) start(ctx context.Context) error {
	in.cmd = exec.Command(in.bin, "serve", "--addr", "127.0.0.1:0")
	in.cmd.Env = in.env()
	stdout, _ := in.cmd.StdoutPipe()
	in.cmd.Stderr = os.Stderr
	if err := in.cmd.Start(); err != nil {
		return err
	}
	sc := bufio.NewScanner(stdout)
	re := regexp.MustCompile(`Tandem is running at (http://\S+)`)
	prof := regexp.MustCompile(`Profiling endpoints at (http://[^/\s]+)/debug/pprof/`)
	for sc.Scan() {
		if m := prof.FindStringSubmatch(sc.Text()); m != nil {
			in.pprof = m[1]
		}
		if m := re.FindStringSubmatch(sc.Text()); m != nil {
			in.base = strings.Fields(m[1])[0]
			break
		}
	}
	go func() {
		for sc.Scan() {
		}
	}()
	if in.base == "" {
		return fmt.Errorf("tandem serve did not start")
	}
	out, err := in.tandem(ctx, "apikey", "create", "--workspace", in.workspace, "--user", "demo@tandem.local", "--name", "bench")
	if err != nil {
		return err
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	in.key = lines[len(lines)-1]
	return in.signIn()
}

func (in *instance) signIn() error {
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.PostForm(in.base+"/login", url.Values{"email": {"demo@tandem.local"}, "password": {in.password}})
	if err != nil {
		return err
	}
	resp.Body.Close()
	for _, ck := range resp.Cookies() {
		if ck.Name == "tandem_session" {
			in.session = ck.Value
			return nil
		}
	}
	return fmt.Errorf("sign in failed: %s", resp.Status)
}

func (in *instance) stop() {
	if in.cmd != nil && in.cmd.Process != nil {
		_ = in.cmd.Process.Signal(syscall.SIGTERM)
		_ = in.cmd.Wait()
	}
}

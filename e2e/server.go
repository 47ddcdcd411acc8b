package e2e

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// Binary builds ./cmd/tandem once per test process and returns its path.
func Binary(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "tandem-e2e-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "tandem")
		cmd := exec.Command("go", "build", "-o", binPath, "./cmd/tandem")
		cmd.Dir = repoRoot()
		out, err := cmd.CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// Cleanup removes the built binary; call it from TestMain.
func Cleanup() {
	if binPath != "" {
		os.RemoveAll(filepath.Dir(binPath))
	}
}

func repoRoot() string {
	wd, _ := os.Getwd()
	for d := wd; d != "/"; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
	}
	return wd
}

// Options start a server.
type Options struct {
	DataDir string            // default: a new temp dir
	Env     map[string]string // extra environment, e.g. DATABASE_URL
}

// Server is a running `tandem serve` process.
type Server struct {
	t        testing.TB
	cmd      *exec.Cmd
	opts     Options
	BaseURL  string // http://localhost:PORT
	SetupURL string // printed on a fresh instance, else ""
	mu       sync.Mutex
	output   strings.Builder
	exited   chan struct{}
}

var runningRE = regexp.MustCompile(`Tandem is running at (http://\S+)`)
var setupRE = regexp.MustCompile(`(http://\S+/setup\?token=\S+)`)

// StartServer starts `tandem serve` on a free port and waits until /healthz
// answers. The process is stopped when the test ends.
func StartServer(t testing.TB, o Options) *Server {
	t.Helper()
	if o.DataDir == "" {
		o.DataDir = t.TempDir()
	}
	s := &Server{t: t, opts: o, exited: make(chan struct{})}
	cmd := exec.Command(Binary(t), "serve", "--addr", "127.0.0.1:0", "--data-dir", o.DataDir)
	cmd.Env = append(os.Environ(), "TANDEM_LOG_LEVEL=warn", "TANDEM_SHUTDOWN_TIMEOUT=10s",
		"TANDEM_COUNT_BUDGET=1m") // exact totals on a loaded test machine
	for k, v := range o.Env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = &lockedWriter{s: s}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start tandem serve: %v", err)
	}
	s.cmd = cmd
	urls := make(chan [2]string, 1)
	go s.scan(stdout, urls)
	go func() { _ = cmd.Wait(); close(s.exited) }()
	t.Cleanup(func() { s.Stop() })
	select {
	case u := <-urls:
		s.BaseURL, s.SetupURL = u[0], u[1]
	case <-s.exited:
		t.Fatalf("tandem serve exited early:\n%s", s.Output())
	case <-time.After(60 * time.Second):
		t.Fatalf("tandem serve did not start within 60s:\n%s", s.Output())
	}
	s.waitHealthy()
	return s
}

// scan copies stdout into the output log and reports the printed URLs.
func (s *Server) scan(r io.Reader, urls chan<- [2]string) {
	sc := bufio.NewScanner(r)
	var base, setup string
	sent := false
	for sc.Scan() {
		line := sc.Text()
		s.mu.Lock()
		s.output.WriteString(line + "\n")
		s.mu.Unlock()
		if m := runningRE.FindStringSubmatch(line); m != nil {
			base = strings.TrimSuffix(m[1], "/")
			if i := strings.Index(base, " "); i > 0 {
				base = base[:i]
			}
		}
		if m := setupRE.FindStringSubmatch(line); m != nil {
			setup = m[1]
		}
		// The sign-in hint ends the banner: either the setup link or "sign in at".
		if !sent && base != "" && (setup != "" || strings.Contains(line, "sign in at")) {
			urls <- [2]string{base, setup}
			sent = true
		}
	}
}

type lockedWriter struct{ s *Server }

func (w *lockedWriter) Write(b []byte) (int, error) {
	w.s.mu.Lock()
	defer w.s.mu.Unlock()
	return w.s.output.Write(b)
}

// Output is everything the process printed so far.
func (s *Server) Output() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.output.String()
}

func (s *Server) waitHealthy() {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(s.BaseURL + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.t.Fatalf("/healthz never answered:\n%s", s.Output())
}

// Kill ends the process with SIGKILL, as a crash or power loss would.
func (s *Server) Kill() {
	_ = s.cmd.Process.Signal(syscall.SIGKILL)
	<-s.exited
}

// Stop asks the process to shut down (SIGTERM) and waits; it returns the exit code.
func (s *Server) Stop() int {
	select {
	case <-s.exited:
	default:
		_ = s.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-s.exited:
		case <-time.After(30 * time.Second):
			_ = s.cmd.Process.Kill()
			<-s.exited
		}
	}
	return s.cmd.ProcessState.ExitCode()
}

// Restart starts a new process on the same data directory and environment.
func (s *Server) Restart(t testing.TB) *Server {
	return StartServer(t, s.opts)
}

// Run executes another tandem command against the same data and environment.
func (s *Server) Run(ctx context.Context, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, Binary(s.t), args...)
	cmd.Env = append(os.Environ(), "TANDEM_DATA_DIR="+s.opts.DataDir, "TANDEM_LOG_LEVEL=warn")
	for k, v := range s.opts.Env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	out, err := cmd.CombinedOutput()
	return string(out), err
}

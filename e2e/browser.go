package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Browser starts a headless Debian Chromium for one test and returns its
// context. It skips the test when Chromium is missing, except in CI. When
// the test fails, a screenshot of the page is saved and its path logged.
func Browser(t *testing.T) context.Context {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("chromium is not installed; in CI the browser tests must run (apt-get install chromium)")
		}
		t.Skip("browser test skipped: install Debian's chromium to run it")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.WindowSize(1280, 800),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	problems := watchConsole(ctx)
	t.Cleanup(func() {
		for _, m := range problems() {
			t.Errorf("browser console: %s (%s:%d)", m, m.URL, m.Line)
		}
		if t.Failed() {
			saveFailure(t, ctx)
		}
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
	})
	return ctx
}

// watchConsole collects what would make a developer frown in DevTools:
// uncaught exceptions, console.error calls and Content-Security-Policy
// violations (a sign that something inline slipped in). Failed loads are
// left out: tests visit 404 pages on purpose.
func watchConsole(ctx context.Context) func() []chromedp.ConsoleMessage {
	var mu sync.Mutex
	var bad []chromedp.ConsoleMessage
	msgs := chromedp.Console(ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			if os.Getenv("TANDEM_E2E_CONSOLE") != "" {
				fmt.Fprintf(os.Stderr, "console: %s [%s] %s:%d\n", m, m.Source, m.URL, m.Line)
			}
			if m.IsException() || (m.Type == chromedp.ConsoleError && (m.Source == "" || m.Source == "security" ||
				strings.Contains(m.Text, "Content Security Policy"))) {
				mu.Lock()
				bad = append(bad, m)
				mu.Unlock()
			}
		}
	}()
	return func() []chromedp.ConsoleMessage {
		time.Sleep(50 * time.Millisecond) // let messages in flight arrive
		mu.Lock()
		defer mu.Unlock()
		return append([]chromedp.ConsoleMessage(nil), bad...)
	}
}

func saveFailure(t *testing.T, ctx context.Context) {
	sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	// Where the page is and which document load brought it there: a URL
	// that differs from the document's means htmx swapped it in; the same
	// URL after an htmx page means a whole page loaded under the test.
	where, err := chromedp.Run(sctx, chromedp.Poll[string](`document.readyState === "complete" && location.href + " (document loaded as " + performance.getEntriesByType("navigation")[0].name + ")"`))
	if err != nil {
		t.Logf("page at failure: unknown (%v)", err)
	} else {
		t.Logf("page at failure: %s", where)
	}
	png, err := chromedp.Run(sctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Logf("no failure screenshot: %v", err)
		return
	}
	dir := filepath.Join(os.TempDir(), "tandem-e2e-failures")
	_ = os.MkdirAll(dir, 0o755)
	name := filepath.Join(dir, strings.NewReplacer("/", "_", " ", "_").Replace(t.Name())+".png")
	if err := os.WriteFile(name, png, 0o644); err == nil {
		t.Logf("failure screenshot: %s", name)
	}
}

// Screenshot saves the current page as a PNG (for looking at pages).
func Screenshot(t *testing.T, ctx context.Context, path string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// Do runs browser steps and fails the test on the first error.
func Do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// Text returns the visible text of the first element matching a CSS selector.
func Text(t *testing.T, ctx context.Context, css string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(css)))
	if err != nil {
		t.Fatalf("text of %s: %v", css, err)
	}
	return s
}

// Eval evaluates JavaScript and returns its result.
func Eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("eval %s: %v", js, err)
	}
	return v
}

// Fits reports whether the page has no horizontal overflow.
func Fits(t *testing.T, ctx context.Context) bool {
	return Eval[bool](t, ctx, `document.documentElement.scrollWidth <= window.innerWidth`)
}

// Settled waits until htmx has no request, swap or settle in flight. An
// editor swapped in is focused and its text selected as it settles
// (app.js), so keys sent before that are typed over; forms swapped in are
// boosted as they settle.
func Settled() chromedp.Action[chromedp.Void] {
	return chromedp.Poll[chromedp.Void](`typeof htmx !== "undefined" && document.readyState === "complete" && !document.querySelector(".htmx-request, .htmx-swapping, .htmx-settling")`)
}

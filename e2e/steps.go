package e2e

import (
	"context"
	"encoding/json"
	"net/url"
	"testing"

	cd "github.com/chromedp/chromedp"
)

// Owner is who SetUpWorkspace creates.
type Owner struct {
	Workspace, Name, Email, Password string
}

// SetUpWorkspace completes the first-run form of a fresh server in the
// browser and waits for the home page.
func SetUpWorkspace(t *testing.T, ctx context.Context, srv *Server, o Owner) {
	t.Helper()
	if srv.SetupURL == "" {
		t.Fatalf("the server printed no setup link (is it already set up?):\n%s", srv.Output())
	}
	Do(t, ctx,
		cd.Navigate(srv.SetupURL),
		cd.WaitVisible(cd.CSS(`#f-workspace`)),
		cd.SendKeys(cd.CSS(`#f-workspace`), o.Workspace),
		cd.SendKeys(cd.CSS(`#f-name`), o.Name),
		cd.SendKeys(cd.CSS(`#f-email`), o.Email),
		cd.SendKeys(cd.CSS(`#f-password`), o.Password),
		cd.Click(cd.CSS(`button[type=submit]`)),
		cd.WaitVisible(cd.CSS(`.stats`)),
	)
}

// Post submits a form to path from the page, as the signed-in user would,
// and fails the test unless the server accepts it. It is for arranging data
// quickly; flows under test should click through the real forms.
func Post(t *testing.T, ctx context.Context, path string, form url.Values) {
	t.Helper()
	js := `fetch(` + jsString(path) + `, {method: "POST", body: new URLSearchParams(` + jsString(form.Encode()) +
		`), headers: {"HX-Request": "true"}}).then(r => r.status)`
	// As an htmx request: the answer is a fragment, with no flash message
	// left over for the next page.
	status, err := cd.Run(ctx, cd.Evaluate[int](js, cd.EvalAwaitPromise))
	if err != nil || status >= 300 {
		t.Fatalf("POST %s %s: status %d, %v", path, form.Encode(), status, err)
	}
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

package e2e

import (
	"os"
	"path/filepath"
	"testing"

	cd "github.com/chromedp/chromedp"
)

// TestLookAtSettings saves screenshots of the settings pages when
// TANDEM_LOOK names a folder; it checks only that they fit a phone.
func TestLookAtSettings(t *testing.T) {
	dir := os.Getenv("TANDEM_LOOK")
	if dir == "" {
		t.Skip("set TANDEM_LOOK=<dir> to take screenshots of the settings pages")
	}
	srv := StartServer(t, Options{})
	ctx := Browser(t)
	SetUpWorkspace(t, ctx, srv, Owner{Workspace: "Look Co", Name: "Lou Look", Email: "lou@look.test", Password: "correct horse battery"})
	Post(t, ctx, "/settings/invitations", map[string][]string{"email": {"sam@look.test"}, "role": {"member"}})
	Post(t, ctx, "/settings/teams", map[string][]string{"name": {"EMEA sales"}, "manager_id": {"0"}})
	for _, page := range []string{"security", "members", "api-keys", "outbox"} {
		for _, w := range []int64{1280, 390} {
			Do(t, ctx, cd.EmulateViewport(w, 900), cd.Navigate(srv.BaseURL+"/settings/"+page), cd.WaitVisible(cd.CSS(`.tabs`)))
			if w == 390 && !Fits(t, ctx) {
				t.Errorf("/settings/%s overflows at 390px", page)
			}
			Screenshot(t, ctx, filepath.Join(dir, page+"-"+map[int64]string{1280: "desktop", 390: "phone"}[w]+".png"))
		}
	}
}

package e2e

import (
	"archive/zip"
	"encoding/base64"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cd "github.com/chromedp/chromedp"
)

// TestPrivacyRequestAndErasure is the privacy centre end to end: a person
// sends an access request through the public form, confirms it from the
// emailed link, the owner fulfils it and downloads the bundle; then the
// owner erases the person after looking at the preview; the audit log,
// searched by the person's record id, shows who created, viewed, exported
// and erased them.
func TestPrivacyRequestAndErasure(t *testing.T) {
	srv := StartServer(t, Options{})
	ctx := Browser(t)
	SetUpWorkspace(t, ctx, srv, Owner{Workspace: "Privacy Co", Name: "Pam Owner", Email: "pam@privacy.test", Password: "correct horse battery"})
	Post(t, ctx, "/contacts", map[string][]string{"first_name": {"Pat"}, "last_name": {"Private"}, "email": {"pat@private.test"}, "phone": {"+1 555 0199"}})

	// The public form's address is on Settings → Privacy.
	Do(t, ctx, cd.Navigate(srv.BaseURL+"/settings/privacy"), cd.WaitVisible(cd.CSS(`#retention`)))
	look(t, ctx, "privacy-settings-empty")
	Do(t, ctx, cd.Click(cd.CSS(`#enable-form`)), cd.WaitVisible(cd.CSS(`.form-url`)))
	form := Eval[string](t, ctx, `[...document.querySelectorAll('a')].map(a => a.href).find(h => /\/privacy\/[^/]+\/request$/.test(h))`)
	if form == "" {
		t.Fatal("no public form link on Settings → Privacy")
	}

	// The person asks for their data (as a visitor: the form needs no sign-in).
	Do(t, ctx,
		cd.Navigate(form),
		cd.WaitVisible(cd.CSS(`#f-email`)),
		cd.SetValue(cd.CSS(`#f-type`), "access"),
		cd.SendKeys(cd.CSS(`#f-email`), "pat@private.test"),
		cd.SendKeys(cd.CSS(`#f-name`), "Pat Private"),
	)
	look(t, ctx, "privacy-public-form")
	Do(t, ctx, cd.Click(cd.CSS(`button[type=submit]`)), cd.WaitVisible(cd.CSS(`#request-sent`)))

	// No SMTP here: the confirmation email waits in the outbox.
	Do(t, ctx, cd.Navigate(srv.BaseURL+"/settings/outbox"), cd.WaitVisible(cd.CSS(`.tabs`)))
	link := Eval[string](t, ctx, `(document.body.textContent.match(/https?:\/\/\S+\/privacy-verify\/\S+/) || [""])[0]`)
	if link == "" {
		t.Fatalf("no confirmation link in the outbox:\n%.600s", Text(t, ctx, "body"))
	}
	Do(t, ctx, cd.Navigate(link), cd.WaitVisible(cd.CSS(`#confirm-request`)))
	look(t, ctx, "privacy-confirm")
	Do(t, ctx, cd.Click(cd.CSS(`#confirm-request`)), cd.WaitVisible(cd.CSS(`#verified`)))

	// The owner sees it verified in the register, downloads the bundle and
	// marks the request fulfilled.
	Do(t, ctx,
		cd.Navigate(srv.BaseURL+"/settings/privacy"),
		cd.WaitVisible(cd.CSS(`#privacy-requests`)),
	)
	look(t, ctx, "privacy-settings")
	Do(t, ctx,
		cd.Click(cd.CSS(`#privacy-requests a`)),
		cd.WaitVisible(cd.CSS(`#download-bundle`)),
	)
	requestID := Eval[string](t, ctx, `location.pathname.split("/").pop()`)
	if s := Text(t, ctx, `#request-status`); s != "verified" {
		t.Fatalf("request status %q, want verified", s)
	}
	look(t, ctx, "privacy-request")
	// The download button posts a form; headless Chromium's download
	// folder is unreliable, so the page fetches the same form and hands the
	// bytes over. The session, the route and the bundle are the real ones.
	b64, err := cd.Run(ctx, cd.Evaluate[string](`fetch(document.querySelector('#download-bundle').form.action, {method: 'POST'})
		.then(r => r.headers.get('content-type') === 'application/zip' ? r.blob() : Promise.reject(r.status))
		.then(b => new Promise(res => { const f = new FileReader(); f.onload = () => res(f.result.split(',')[1]); f.readAsDataURL(b) }))`,
		cd.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("download the bundle: %v", err)
	}
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatal(err)
	}
	bundle := filepath.Join(t.TempDir(), "bundle.zip")
	if err := os.WriteFile(bundle, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(zipEntry(t, bundle, "contacts.json"), "pat@private.test") || zipEntry(t, bundle, "README.txt") == "" {
		t.Fatal("the downloaded bundle lacks the person's record or the README")
	}
	Do(t, ctx,
		cd.SendKeys(cd.CSS(`#f-text`), "Bundle sent by email."),
		cd.Click(cd.CSS(`#fulfil`)),
		cd.WaitVisible(cd.CSS(`.flash-ok`)),
	)
	if s := Text(t, ctx, `#request-status`); s != "fulfilled" {
		t.Fatalf("request status %q, want fulfilled", s)
	}

	// Erasure: the preview first, then the real thing.
	Do(t, ctx,
		cd.Navigate(srv.BaseURL+"/contacts"),
		cd.WaitVisible(cd.CSS(`a[href^="/contacts/"]`)),
		cd.Click(cd.CSS(`td a[href^="/contacts/"]`)),
		cd.WaitVisible(cd.CSS(`a[href$="/erase"]`)),
	)
	contactURL := Eval[string](t, ctx, `location.href`)
	Do(t, ctx, cd.Click(cd.CSS(`a[href$="/erase"]`)), cd.WaitVisible(cd.CSS(`#erase-preview`)))
	preview := Text(t, ctx, `#erase-preview`)
	if !strings.Contains(preview, "Person records") || !strings.Contains(preview, "Privacy requests") {
		t.Fatalf("erasure preview: %q", preview)
	}
	look(t, ctx, "privacy-erase")
	Do(t, ctx,
		cd.Click(cd.CSS(`#erase-confirm`)),
		cd.Click(cd.CSS(`#erase-submit`)),
		cd.WaitVisible(cd.CSS(`.flash-ok`)),
	)
	if msg := Text(t, ctx, `.flash-ok`); !strings.Contains(msg, "Erased") {
		t.Fatalf("after erasure: %q", msg)
	}
	Do(t, ctx, cd.Navigate(contactURL), cd.WaitVisible(cd.CSS(`body`)))
	if page := Text(t, ctx, `body`); !strings.Contains(page, "Page not found") {
		t.Fatalf("the erased contact's page still answers:\n%.400s", page)
	}

	// The audit log shows the export and the erasure; the pages fit a phone.
	Do(t, ctx, cd.Navigate(srv.BaseURL+"/settings/audit"), cd.WaitVisible(cd.CSS(`#audit-log`)))
	if log := Text(t, ctx, `#audit-log`); !strings.Contains(log, "data.exported") || !strings.Contains(log, "data.erased") {
		t.Fatalf("audit log:\n%.600s", log)
	}
	look(t, ctx, "audit-log")

	// Searching the log for the person's record id finds who created,
	// viewed and erased it (record views are written in batches a moment
	// after the view, so wait for them), pseudonymised since the erasure.
	contactID := contactURL[strings.LastIndex(contactURL, "/")+1:]
	var byRecord string
	for range 20 {
		Do(t, ctx, cd.Navigate(srv.BaseURL+"/settings/audit?object_id="+contactID), cd.WaitVisible(cd.CSS(`main`)))
		if byRecord = Text(t, ctx, `main`); strings.Contains(byRecord, "record.viewed") {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	for _, want := range []string{"record.created", "record.viewed", "data.exported", "data.erased", "pseudonymised"} {
		if !strings.Contains(byRecord, want) {
			t.Errorf("audit log for contact %s lacks %s:\n%.800s", contactID, want, byRecord)
		}
	}
	for _, path := range []string{"/settings/privacy", "/settings/audit", "/settings/privacy/requests/" + requestID} {
		Do(t, ctx, cd.EmulateViewport(390, 844), cd.Navigate(srv.BaseURL+path), cd.WaitVisible(cd.CSS(`main`)))
		if !Fits(t, ctx) {
			wide := Eval[string](t, ctx, `[...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest(".table-wrap")).slice(0, 5).map(e => e.tagName + "." + e.className + "#" + e.id).join(" | ")`)
			t.Errorf("%s overflows at 390px: %s", path, wide)
		}
	}
}

func zipEntry(t *testing.T, path, name string) string {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		if f.Name == name {
			r, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			b, _ := io.ReadAll(r)
			return string(b)
		}
	}
	return ""
}

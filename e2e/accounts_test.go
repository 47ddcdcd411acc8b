package e2e

import (
	"strings"
	"testing"
	"time"

	cd "github.com/chromedp/chromedp"
	"github.com/pquerna/otp/totp"
)

// TestInviteTwoFactorRevoke is the accounts story end to end in real
// browsers: the owner sets up and invites; the invitee accepts, turns on
// two-factor sign-in, signs in on a second device with a code, and signs the
// first device out, which is then signed out.
func TestInviteTwoFactorRevoke(t *testing.T) {
	srv := StartServer(t, Options{})
	owner := Browser(t)
	SetUpWorkspace(t, owner, srv, Owner{Workspace: "Story Co", Name: "Olive Owner", Email: "olive@story.test", Password: "correct horse battery"})

	// The owner invites Nina from Settings → Members.
	Do(t, owner,
		cd.Navigate(srv.BaseURL+"/settings/members"),
		cd.WaitVisible(cd.CSS(`#f-invite-email`)),
		cd.SendKeys(cd.CSS(`#f-invite-email`), "nina@story.test"),
		cd.Click(cd.CSS(`form[action="/settings/invitations"] button[type=submit]`)),
		cd.WaitVisible(cd.CSS(`.invite-link input`)),
	)
	link, err := cd.Run(owner, cd.Value(cd.CSS(`.invite-link input`)))
	if err != nil || !strings.Contains(link, "/invite?token=") {
		t.Fatalf("invitation link %q: %v", link, err)
	}

	// Nina accepts on her laptop and turns on two-factor sign-in.
	laptop := Browser(t)
	Do(t, laptop,
		cd.Navigate(link),
		cd.WaitVisible(cd.CSS(`#f-name`)),
		cd.SendKeys(cd.CSS(`#f-name`), "Nina New"),
		cd.SendKeys(cd.CSS(`#f-password`), "nina's long password"),
		cd.Click(cd.CSS(`button[type=submit]`)),
		cd.WaitVisible(cd.CSS(`.stats`)),
		cd.Navigate(srv.BaseURL+"/settings/security"),
		cd.WaitVisible(cd.CSS(`form[action="/settings/2fa/start"] button`)),
		cd.Click(cd.CSS(`form[action="/settings/2fa/start"] button`)),
		cd.WaitVisible(cd.CSS(`.enrol code`)),
	)
	secret := Text(t, laptop, `.enrol code`)
	code, err := totp.GenerateCode(secret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	Do(t, laptop,
		cd.SendKeys(cd.CSS(`#f-code`), code),
		cd.Click(cd.CSS(`form[action="/settings/2fa/confirm"] button`)),
		cd.WaitVisible(cd.CSS(`#recovery-codes`)),
	)
	if n := strings.Count(Text(t, laptop, `#recovery-codes`), "-"); n != 10 {
		t.Fatalf("%d recovery codes shown", n)
	}

	// On her phone she signs in: password, then the next code of her app.
	phone := Browser(t)
	Do(t, phone,
		cd.Navigate(srv.BaseURL+"/login"),
		cd.WaitVisible(cd.CSS(`#f-email`)),
		cd.SendKeys(cd.CSS(`#f-email`), "nina@story.test"),
		cd.SendKeys(cd.CSS(`#f-password`), "nina's long password"),
		cd.Click(cd.CSS(`button[type=submit]`)),
		cd.WaitVisible(cd.CSS(`form[action="/login/2fa"]`)),
	)
	next, err := totp.GenerateCode(secret, time.Now().Add(30*time.Second)) // the current step was spent confirming
	if err != nil {
		t.Fatal(err)
	}
	Do(t, phone,
		cd.SendKeys(cd.CSS(`#f-code`), next),
		cd.Click(cd.CSS(`form[action="/login/2fa"] button`)),
		cd.WaitVisible(cd.CSS(`.stats`)),
		cd.Navigate(srv.BaseURL+"/settings/security"),
		cd.WaitVisible(cd.CSS(`form[action$="/revoke"] button`)),
	)
	if rows := Eval[int](t, phone, `document.querySelectorAll('table.data tbody tr').length`); rows != 2 {
		t.Fatalf("%d sessions listed, want 2", rows)
	}
	// From the phone she signs out the laptop…
	Do(t, phone, cd.Click(cd.CSS(`form[action$="/revoke"] button`)), cd.WaitVisible(cd.CSS(`.flash-ok`)))
	// …and the laptop is signed out.
	Do(t, laptop, cd.Navigate(srv.BaseURL+"/contacts"), cd.WaitVisible(cd.CSS(`form[action="/login"]`)))
	if u := Eval[string](t, laptop, `location.pathname`); u != "/login" {
		t.Fatalf("laptop is at %s, want /login", u)
	}
}

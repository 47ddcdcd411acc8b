package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

// contactIDs adds contacts by first name through the form and returns
// their ids by name.
func contactIDs(t *testing.T, b *browser, names ...string) map[string]string {
	t.Helper()
	for _, n := range names {
		must(t, b.do("POST", "/contacts", url.Values{"first_name": {n}}), 303, "")
	}
	ids := map[string]string{}
	body := b.do("GET", "/contacts", nil).Body.String()
	for _, m := range regexp.MustCompile(`id="contact-(\d+)"[\s\S]*?href="/contacts/\d+"[^>]*>([^<]+)<`).FindAllStringSubmatch(body, -1) {
		ids[strings.TrimSpace(m[2])] = m[1]
	}
	for _, n := range names {
		if ids[n] == "" {
			t.Fatalf("no id for %s in %v", n, ids)
		}
	}
	return ids
}

// newDeal creates a deal through the list's form and returns its id.
func newDeal(t *testing.T, b *browser, form url.Values) string {
	t.Helper()
	rec := b.do("POST", "/deals", form)
	must(t, rec, 303, rec.Body.String())
	return strings.TrimPrefix(rec.Header().Get("Location"), "/deals/")
}

// dealVersion is the version the deal page's contact forms carry.
func dealVersion(t *testing.T, b *browser, id string) string {
	t.Helper()
	m := regexp.MustCompile(`name="version" value="(\d+)" data-deal-version`).FindStringSubmatch(b.do("GET", "/deals/"+id, nil).Body.String())
	if m == nil {
		t.Fatal("the deal page has no version in its contact forms")
	}
	return m[1]
}

// panelRows are the names in the Contacts panel, primary first, with their
// roles: "Ada (primary)", "Cy: Champion".
func panelRows(body string) []string {
	panel := body
	if i := strings.Index(panel, `id="deal-contacts"`); i >= 0 {
		panel = panel[i:]
	}
	if i := strings.Index(panel, `class="dc-add"`); i >= 0 {
		panel = panel[:i]
	}
	var out []string
	for _, m := range regexp.MustCompile(`class="dc-name"[^>]*>([^<]+)</a>\s*(<span class="badge dc-primary">|<a class="dc-role"[^>]*>\s*(?:<span class="empty-value">add role</span>|([^<]*)))`).FindAllStringSubmatch(panel, -1) {
		switch {
		case strings.Contains(m[2], "dc-primary"):
			out = append(out, m[1]+" (primary)")
		default:
			out = append(out, m[1]+": "+strings.TrimSpace(m[3]))
		}
	}
	return out
}

func wantRows(t *testing.T, body string, want ...string) {
	t.Helper()
	if got := panelRows(body); strings.Join(got, " | ") != strings.Join(want, " | ") {
		t.Fatalf("contacts panel %q, want %q\n%.3000s", got, want, body)
	}
}

// TestDealContactsUI drives a deal's contacts: a contact and company on
// the quick-add form, the primary contact edited in place, and the
// Contacts panel adding, re-roling, promoting and removing others, with
// refusals (an unknown contact, a stale version) said in place.
func TestDealContactsUI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		b := signedIn(t, db)
		ids := contactIDs(t, b, "Ada", "Bob", "Cy")
		must(t, b.do("POST", "/companies", url.Values{"name": {"Initech"}}), 303, "")
		co := regexp.MustCompile(`id="company-(\d+)"`).FindStringSubmatch(b.do("GET", "/companies", nil).Body.String())[1]

		// The quick-add form: a refusal keeps the chosen contact and
		// company by name; an unknown contact is a field error.
		rec := b.do("POST", "/deals", url.Values{"title": {""}, "value": {"10"}, "contact_id": {ids["Ada"]}, "company_id": {co}})
		must(t, rec, 422, rec.Body.String(), "Give the deal a title", `value="`+ids["Ada"]+`" data-picker-value`, `data-chosen="Ada"`, `data-chosen="Initech"`)
		rec = b.do("POST", "/deals", url.Values{"title": {"Nope"}, "contact_id": {"424242"}})
		must(t, rec, 422, rec.Body.String(), "No such contact.")
		rec = b.do("POST", "/deals", url.Values{"title": {"Nope"}, "company_id": {"x"}})
		must(t, rec, 422, rec.Body.String(), "Choose from the list.")
		id := newDeal(t, b, url.Values{"title": {"Rollout"}, "value": {"5000"}, "contact_id": {ids["Ada"]}, "company_id": {co}})
		rec = b.do("GET", "/deals/"+id, nil)
		body := rec.Body.String()
		must(t, rec, 200, body, `data-fact="contact"`, `hx-get="/deals/`+id+`/edit?field=contact"`,
			// Linked facts open their record from an arrow beside the value.
			`class="fact-open" href="/contacts/`+ids["Ada"]+`"`, `class="fact-open" href="/companies/`+co+`"`)
		wantRows(t, body, "Ada (primary)")

		// The primary contact in place: its editor is a contact picker.
		rec = b.do("GET", "/deals/"+id+"/edit?field=contact", nil, "HX-Request", "true")
		must(t, rec, 200, rec.Body.String(), `data-picker="/contacts/pick"`, `data-chosen="Ada"`)
		v := dealVersion(t, b, id)
		for _, c := range []struct{ value, version, want string }{
			{"424242", v, "No such contact."},
			{"abc", v, "Choose one of the options."},
			{ids["Bob"], "1" + v, "Someone else changed this deal"},
		} {
			rec = b.do("POST", "/deals/"+id+"/edit", url.Values{"field": {"contact"}, "value": {c.value}, "version": {c.version}}, "HX-Request", "true")
			must(t, rec, 422, rec.Body.String(), c.want)
		}
		// The refused choice stays in the picker, by name.
		must(t, rec, 422, rec.Body.String(), `data-chosen="Bob"`)
		rec = b.do("POST", "/deals/"+id+"/edit", url.Values{"field": {"contact"}, "value": {ids["Bob"]}, "version": {v}}, "HX-Request", "true")
		body = rec.Body.String()
		must(t, rec, 200, body, ">Bob", `id="deal-contacts" hx-swap-oob="true"`, `id="deal-summary" hx-swap-oob="true"`, `hx-swap-oob="outerHTML:[data-deal-version]"`)
		wantRows(t, body, "Bob (primary)")

		// The panel: add Cy as a champion and Ada without a role.
		v = dealVersion(t, b, id)
		rec = b.do("POST", "/deals/"+id+"/contacts", url.Values{"contact_id": {ids["Cy"]}, "role": {"Champion"}, "version": {v}}, "HX-Request", "true")
		must(t, rec, 200, rec.Body.String())
		wantRows(t, rec.Body.String(), "Bob (primary)", "Cy: Champion")
		v = dealVersion(t, b, id)
		for _, c := range []struct{ contact, version, want string }{
			{"", v, "Choose a contact to add."},
			{"424242", v, "No such contact."},
			{ids["Cy"], v, "Give each contact once"},
			{ids["Bob"], v, "not the primary contact again"},
			{ids["Ada"], "1", "Someone else changed this deal meanwhile"},
		} {
			rec = b.do("POST", "/deals/"+id+"/contacts", url.Values{"contact_id": {c.contact}, "role": {"Legal"}, "version": {c.version}}, "HX-Request", "true")
			must(t, rec, 422, rec.Body.String(), c.want, `name="role" value="Legal"`)
		}
		// A stale add keeps the chosen contact, by name, to add again.
		must(t, rec, 422, rec.Body.String(), `value="`+ids["Ada"]+`" data-picker-value`, `data-chosen="Ada"`)
		rec = b.do("POST", "/deals/"+id+"/contacts", url.Values{"contact_id": {ids["Ada"]}, "version": {v}}, "HX-Request", "true")
		must(t, rec, 200, rec.Body.String())
		wantRows(t, rec.Body.String(), "Bob (primary)", "Cy: Champion", "Ada: ")

		// A role in place: its editor, a refusal, then saved.
		rec = b.do("GET", "/deals/"+id+"/contacts?edit="+ids["Ada"], nil, "HX-Request", "true")
		must(t, rec, 200, rec.Body.String(), `aria-label="Role of Ada"`, "data-inline-form")
		v = dealVersion(t, b, id)
		rec = b.do("POST", "/deals/"+id+"/contacts/"+ids["Ada"], url.Values{"value": {strings.Repeat("x", 61)}, "version": {v}}, "HX-Request", "true")
		must(t, rec, 422, rec.Body.String(), "Use at most 60 characters.", `aria-label="Role of Ada"`)
		rec = b.do("POST", "/deals/"+id+"/contacts/"+ids["Ada"], url.Values{"value": {"Legal"}, "version": {"1"}}, "HX-Request", "true")
		must(t, rec, 422, rec.Body.String(), "Someone else changed this deal meanwhile")
		rec = b.do("POST", "/deals/"+id+"/contacts/"+ids["Ada"], url.Values{"value": {"Legal"}, "version": {v}}, "HX-Request", "true")
		must(t, rec, 200, rec.Body.String())
		wantRows(t, rec.Body.String(), "Bob (primary)", "Cy: Champion", "Ada: Legal")

		// Cy becomes the primary contact; Bob takes Cy's place, without a
		// role, and the facts follow out of band.
		v = dealVersion(t, b, id)
		rec = b.do("POST", "/deals/"+id+"/contacts/"+ids["Cy"]+"/primary", url.Values{"version": {v}}, "HX-Request", "true")
		body = rec.Body.String()
		must(t, rec, 200, body, `id="deal-facts" hx-swap-oob="true"`)
		wantRows(t, body, "Cy (primary)", "Bob: ", "Ada: Legal")
		// Choosing Ada as the primary contact in place moves her up too.
		v = dealVersion(t, b, id)
		rec = b.do("POST", "/deals/"+id+"/edit", url.Values{"field": {"contact"}, "value": {ids["Ada"]}, "version": {v}}, "HX-Request", "true")
		must(t, rec, 200, rec.Body.String())
		wantRows(t, rec.Body.String(), "Ada (primary)", "Bob: ")

		// Remove Bob; a removal at a stale version, or of someone no longer
		// on the deal, says so and shows the panel as it is.
		v = dealVersion(t, b, id)
		rec = b.do("POST", "/deals/"+id+"/contacts/"+ids["Bob"]+"/delete", url.Values{"version": {v}}, "HX-Request", "true")
		must(t, rec, 200, rec.Body.String())
		wantRows(t, rec.Body.String(), "Ada (primary)")
		rec = b.do("POST", "/deals/"+id+"/contacts/"+ids["Bob"]+"/delete", url.Values{"version": {v}}, "HX-Request", "true")
		must(t, rec, 422, rec.Body.String(), "Someone else changed this deal meanwhile")

		// Without htmx: a redirect to the deal, the outcome in a flash.
		v = dealVersion(t, b, id)
		rec = b.do("POST", "/deals/"+id+"/contacts", url.Values{"contact_id": {ids["Cy"]}, "role": {"User"}, "version": {v}})
		must(t, rec, 303, "")
		if loc := rec.Header().Get("Location"); loc != "/deals/"+id {
			t.Fatalf("plain add goes to %q", loc)
		}
		rec = b.do("GET", "/deals/"+id+"?edit_role="+ids["Cy"], nil)
		must(t, rec, 200, rec.Body.String(), `aria-label="Role of Cy"`)
		wantRows(t, b.do("GET", "/deals/"+id, nil).Body.String(), "Ada (primary)", "Cy: User")

		// Every change went through the domain: the deal's events name them.
		var changes []string
		if err := db.Read(context.Background(), func(tx *store.Tx) error {
			var ws crm.ID
			if err := tx.Unscoped().QueryRow(`SELECT workspace_id FROM deals WHERE id = ?`, id).Scan(&ws); err != nil {
				return err
			}
			did, _ := crm.ParseID(id)
			evs, err := tx.Events(ws, "deal", did, 100)
			for _, e := range evs {
				for k := range e.Changes {
					changes = append(changes, k)
				}
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(strings.Join(changes, " "), "contacts"); n < 7 {
			t.Fatalf("%d events change the deal's contacts: %v", n, changes)
		}
	})
}

// TestDealContactsVisibility: a member who sees only their own records
// cannot attach a contact hidden from them, by the panel, the primary
// contact or the quick-add form; the refusal does not name it.
func TestDealContactsVisibility(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		owner := signedIn(t, db)
		var hidden crm.ID
		if err := db.Write(context.Background(), func(tx *store.Tx) error {
			var p crm.Principal
			if err := tx.Unscoped().QueryRow(`SELECT user_id, workspace_id FROM memberships`).Scan(&p.UserID, &p.WorkspaceID); err != nil {
				return err
			}
			p.Role = crm.RoleOwner
			u, err := account.CreateUser(tx, account.NewUser{Email: "mo@acme.test", Name: "Mo", Password: "a long enough phrase"})
			if err != nil {
				return err
			}
			if err := account.AddMember(tx, p.WorkspaceID, u.ID, crm.RoleMember, crm.System); err != nil {
				return err
			}
			if err := account.SetMemberVisibility(tx, p, account.SeeOwn); err != nil {
				return err
			}
			c, err := records.CreateContact(tx, p, records.NewContact{FirstName: "Hidden", LastName: "Harriet"})
			hidden = c.ID
			return err
		}); err != nil {
			t.Fatal(err)
		}
		mo := &browser{t: t, h: owner.h, cookies: map[string]*http.Cookie{}}
		must(t, mo.do("POST", "/login", url.Values{"email": {"mo@acme.test"}, "password": {"a long enough phrase"}}), 303, "")
		mine := contactIDs(t, mo, "Mina")
		id := newDeal(t, mo, url.Values{"title": {"Mo's deal"}, "contact_id": {mine["Mina"]}})
		v := dealVersion(t, mo, id)
		h := hidden.String()
		for _, rec := range []*httptest.ResponseRecorder{
			mo.do("POST", "/deals/"+id+"/contacts", url.Values{"contact_id": {h}, "version": {v}}, "HX-Request", "true"),
			mo.do("POST", "/deals/"+id+"/edit", url.Values{"field": {"contact"}, "value": {h}, "version": {v}}, "HX-Request", "true"),
			mo.do("POST", "/deals", url.Values{"title": {"Peek"}, "contact_id": {h}}),
		} {
			must(t, rec, 422, rec.Body.String(), "No such contact.")
			if strings.Contains(rec.Body.String(), "Harriet") {
				t.Fatal("a refusal names the hidden contact")
			}
		}
		wantRows(t, mo.do("GET", "/deals/"+id, nil).Body.String(), "Mina (primary)")
	})
}

// TestDealContactsReadOnly: a read-only member sees a deal's contacts and
// their roles but no way to change them, and every change they post
// anyway is refused without touching the deal.
func TestDealContactsReadOnly(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		owner := signedIn(t, db)
		ids := contactIDs(t, owner, "Ada", "Bob", "Cy")
		id := newDeal(t, owner, url.Values{"title": {"Rollout"}, "contact_id": {ids["Ada"]}})
		rec := owner.do("POST", "/deals/"+id+"/contacts", url.Values{"contact_id": {ids["Bob"]}, "role": {"Champion"},
			"version": {dealVersion(t, owner, id)}}, "HX-Request", "true")
		must(t, rec, 200, rec.Body.String())
		if err := db.Write(context.Background(), func(tx *store.Tx) error {
			var ws crm.ID
			if err := tx.Unscoped().QueryRow(`SELECT workspace_id FROM memberships`).Scan(&ws); err != nil {
				return err
			}
			u, err := account.CreateUser(tx, account.NewUser{Email: "reader@acme.test", Name: "Reader", Password: "a long enough phrase"})
			if err != nil {
				return err
			}
			return account.AddMember(tx, ws, u.ID, crm.RoleReadOnly, crm.System)
		}); err != nil {
			t.Fatal(err)
		}
		reader := &browser{t: t, h: owner.h, cookies: map[string]*http.Cookie{}}
		must(t, reader.do("POST", "/login", url.Values{"email": {"reader@acme.test"}, "password": {"a long enough phrase"}}), 303, "")

		rec = reader.do("GET", "/deals/"+id, nil)
		body := rec.Body.String()
		must(t, rec, 200, body, `id="deal-contacts"`, ">Ada<", ">Bob<", `<span class="muted dc-role">Champion</span>`)
		for _, no := range []string{`class="dc-add"`, "?edit_role=", "/contacts/" + ids["Bob"] + "/delete", "/contacts/" + ids["Bob"] + "/primary",
			`hx-get="/deals/` + id + `/edit?field=contact"`} {
			if strings.Contains(body, no) {
				t.Errorf("the read-only page offers a change: %q", no)
			}
		}
		v := dealVersion(t, owner, id)
		for _, c := range []struct{ path, form string }{
			{"/deals/" + id + "/contacts", "contact_id=" + ids["Cy"] + "&role=Legal"},
			{"/deals/" + id + "/contacts/" + ids["Bob"], "value=Legal"},
			{"/deals/" + id + "/contacts/" + ids["Bob"] + "/primary", ""},
			{"/deals/" + id + "/contacts/" + ids["Bob"] + "/delete", ""},
			{"/deals/" + id + "/edit", "field=contact&value=" + ids["Cy"]},
		} {
			form, _ := url.ParseQuery(c.form + "&version=" + v)
			rec := reader.do("POST", c.path, form, "HX-Request", "true")
			must(t, rec, 403, rec.Body.String())
		}
		if got := dealVersion(t, owner, id); got != v {
			t.Fatalf("refused changes moved the deal's version %s → %s", v, got)
		}
		wantRows(t, owner.do("GET", "/deals/"+id, nil).Body.String(), "Ada (primary)", "Bob: Champion")
	})
}

package web_test

import (
	"context"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

// addressForm is what the address editor posts: every part, changed or not.
func addressForm(version, street, city, state, postal, country string) url.Values {
	return url.Values{"field": {"address"}, "version": {version}, "street": {street}, "city": {city},
		"state": {state}, "postal_code": {postal}, "country": {country}}
}

// firstID is the id of the first record linked from a list page.
func firstID(t *testing.T, b *browser, path string) string {
	t.Helper()
	m := regexp.MustCompile(`href="` + path + `/(\d+)"`).FindStringSubmatch(b.do("GET", path, nil).Body.String())
	if m == nil {
		t.Fatalf("no record on %s", path)
	}
	return m[1]
}

// TestContactAddressInPlace: the address is edited in place as one small
// form of parts; a part too long is refused beside its box with what was
// typed kept; the page shows the address as envelope lines; the list shows
// it by column and sorts by city, and the filter builder offers the parts.
func TestContactAddressInPlace(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		b := signedIn(t, db)
		_, base := newContact(t, b, url.Values{"first_name": {"Ada"}, "last_name": {"King"}})

		rec := b.do("GET", base+"/edit?field=address", nil, "HX-Request", "true")
		must(t, rec, 200, rec.Body.String(), `name="street"`, `name="city"`, `name="state"`, `name="postal_code"`, `name="country"`, "Postal code")

		rec = b.do("POST", base+"/edit", addressForm("1", "Hauptstraße 1\r\nHinterhaus", "Berlin", "", "10115", "Germany"), "HX-Request", "true")
		must(t, rec, 200, rec.Body.String(), `<span class="fact-line">Hauptstraße 1</span>`, `<span class="fact-line">Hinterhaus</span>`,
			`<span class="fact-line">10115 Berlin</span>`, `<span class="fact-line">Germany</span>`, `id="timeline" hx-swap-oob="true"`)

		// One part changed; the others stay as they were.
		rec = b.do("POST", base+"/edit", addressForm("2", "Hauptstraße 1\nHinterhaus", "Potsdam", "Brandenburg", "14467", "Germany"), "HX-Request", "true")
		must(t, rec, 200, rec.Body.String(), "14467 Potsdam", "Brandenburg, Germany", "Hinterhaus",
			`<span class="record-stamps" id="record-stamps" hx-swap-oob="true">Created`, "by Ann · changed")

		// Too long: the message is beside the city, what was typed is kept.
		long := strings.Repeat("x", 101)
		rec = b.do("POST", base+"/edit", addressForm("3", "Am Markt 2", long, "", "14467", "Germany"), "HX-Request", "true")
		must(t, rec, 422, rec.Body.String(), `value="`+long+`"`, ">Am Markt 2</textarea>", `aria-invalid="true"`,
			`<span class="field-error" role="alert">Use at most 100 characters.</span>`)
		if strings.Contains(rec.Body.String(), `<p class="field-error"`) {
			t.Fatal("the city's message is also said once more under the form")
		}
		page := b.do("GET", base, nil).Body.String()
		must(t, httptest.NewRecorder(), 200, page, "14467 Potsdam")
		// The header's initials, and who created and last changed it.
		must(t, httptest.NewRecorder(), 200, page, `<span class="avatar record-avatar" aria-hidden="true">AK</span>`)
		if !regexp.MustCompile(`<span class="record-stamps" id="record-stamps">Created \w{3} \d{1,2}, \d{4} by Ann · changed \w{3} \d{1,2}, \d{4} by Ann\.</span>`).MatchString(page) {
			t.Fatal("the page does not say who created and changed the contact")
		}
		if strings.Contains(page, "Am Markt") {
			t.Fatal("a refused address was saved")
		}

		// Without JavaScript the same post saves and goes back to the page.
		rec = b.do("POST", base+"/edit", addressForm("3", "Am Markt 2", "Potsdam", "", "14467", "Germany"))
		must(t, rec, 303, rec.Body.String())
		if loc := rec.Header().Get("Location"); loc != base {
			t.Fatalf("after a plain save: %s", loc)
		}

		must(t, b.do("POST", "/contacts", url.Values{"first_name": {"Bea"}}), 303, "")
		rec = b.do("GET", "/contacts?columns=city,postal_code,country,street&sort=city", nil)
		must(t, rec, 200, rec.Body.String(), ">City<", ">Postal code<", ">Country<", ">Potsdam</td>", ">14467</td>", ">Am Markt 2</td>",
			"sort=-city")
		rec = b.do("GET", "/contacts?filter="+url.QueryEscape(`city = "Potsdam"`), nil)
		must(t, rec, 200, rec.Body.String(), `data-total>1 contact<`, `<option value="postal_code" data-type="text"`,
			`<option value="time_zone" data-type="text"`, "Postal code", "Company › City")
		for _, f := range []string{`city ~ "pots"`, `country = "Germany"`, `time_zone = "Europe/Berlin"`, `company.city = "London"`} {
			if strings.Contains(b.do("GET", "/contacts?filter="+url.QueryEscape(f), nil).Body.String(), `id="filter-error"`) {
				t.Errorf("the filter %s (docs/USING.md) is refused", f)
			}
		}
	})
}

// TestContactTimeZoneInPlace: a time zone shows the time it is there; a
// city of a common zone is understood; a name that is no time zone is
// refused beside the box.
func TestContactTimeZoneInPlace(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		b := signedIn(t, db)
		_, base := newContact(t, b, url.Values{"first_name": {"Ada"}})

		rec := b.do("GET", base+"/edit?field=time_zone", nil, "HX-Request", "true")
		must(t, rec, 200, rec.Body.String(), `list="fact-time_zone-zones"`, `<datalist id="fact-time_zone-zones">`, `<option value="Asia/Tokyo">`)

		rec = b.do("POST", base+"/edit", url.Values{"field": {"time_zone"}, "value": {"Mars/Olympus"}, "version": {"1"}}, "HX-Request", "true")
		must(t, rec, 422, rec.Body.String(), `value="Mars/Olympus"`,
			`<p class="field-error" role="alert">Choose a time zone such as Europe/Berlin or America/New_York.</p>`)

		rec = b.do("POST", base+"/edit", url.Values{"field": {"time_zone"}, "value": {"new york"}, "version": {"1"}}, "HX-Request", "true")
		must(t, rec, 200, rec.Body.String(), "America/New_York")
		local := regexp.MustCompile(`America/New_York\s*<span class="fact-note">· (\w{3} )?\d\d:\d\d local</span>`)
		if !local.MatchString(b.do("GET", base, nil).Body.String()) {
			t.Fatalf("the page lacks the local time:\n%s", rec.Body.String())
		}
		rec = b.do("GET", "/contacts?columns=time_zone", nil)
		must(t, rec, 200, rec.Body.String(), ">Time zone<", ">America/New_York</td>")

		// Cleared: no zone, no time.
		rec = b.do("POST", base+"/edit", url.Values{"field": {"time_zone"}, "value": {""}, "version": {"2"}}, "HX-Request", "true")
		must(t, rec, 200, rec.Body.String())
		if strings.Contains(rec.Body.String(), "local</span>") {
			t.Fatal("a cleared zone still shows a local time")
		}
	})
}

// TestContactLinksInPlace: links are added from the editor's empty row
// and shown as links that open a new tab and tell the site nothing; an
// address that is not a web page (javascript:) is refused beside its row
// and never becomes a link; a site's name follows a changed address; the
// remove button removes one and leaves the editor open.
func TestContactLinksInPlace(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		b := signedIn(t, db)
		_, base := newContact(t, b, url.Values{"first_name": {"Ada"}})
		links := func(version string, rows [][3]string, extra ...string) url.Values {
			f := url.Values{"field": {"links"}, "version": {version}}
			for _, r := range rows {
				f.Add("link_url", r[0])
				f.Add("link_label", r[1])
				f.Add("link_was", r[2])
			}
			for i := 0; i+1 < len(extra); i += 2 {
				f.Set(extra[i], extra[i+1])
			}
			return f
		}

		rec := b.do("GET", base+"/edit?field=links", nil, "HX-Request", "true")
		must(t, rec, 200, rec.Body.String(), `name="link_url"`, `placeholder="Add a link…"`)

		rec = b.do("POST", base+"/edit", links("1", [][3]string{{"linkedin.com/in/ada", "", ""}, {"", "", ""}}), "HX-Request", "true")
		must(t, rec, 200, rec.Body.String(),
			`<a href="https://linkedin.com/in/ada" target="_blank" rel="noopener noreferrer nofollow" title="https://linkedin.com/in/ada">LinkedIn</a>`)

		for _, bad := range []string{"javascript:alert(1)", "javascript://example.com/%0aalert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<script>alert(1)</script>"} {
			rec = b.do("POST", base+"/edit", links("2", [][3]string{{"https://linkedin.com/in/ada", "LinkedIn", "https://linkedin.com/in/ada"},
				{bad, "Blog", ""}}), "HX-Request", "true")
			must(t, rec, 422, rec.Body.String(), "Enter a web address, like https://example.com or linkedin.com/in/name.", `aria-invalid="true"`)
			if strings.Contains(strings.ToLower(rec.Body.String()), `href="javascript`) || strings.Contains(rec.Body.String(), `href="data:`) {
				t.Fatalf("%s became a link:\n%s", bad, rec.Body.String())
			}
		}
		page := b.do("GET", base, nil).Body.String()
		if strings.Contains(page, ">Blog</a>") || strings.Contains(strings.ToLower(page), "javascript:") {
			t.Fatal("a refused link was saved")
		}

		// A changed address: the site's name follows; a typed label stays.
		rec = b.do("POST", base+"/edit", links("2", [][3]string{{"github.com/ada", "LinkedIn", "https://linkedin.com/in/ada"},
			{"ada.example/blog", "Blog", ""}}), "HX-Request", "true")
		must(t, rec, 200, rec.Body.String(), `>GitHub</a>`, `href="https://ada.example/blog"`, `>Blog</a>`)
		if strings.Contains(rec.Body.String(), ">LinkedIn</a>") {
			t.Fatal("the old site's name stayed on a changed address")
		}

		// Remove the first: saved, and the editor stays open.
		rec = b.do("POST", base+"/edit", links("3", [][3]string{{"https://github.com/ada", "GitHub", "https://github.com/ada"},
			{"https://ada.example/blog", "Blog", "https://ada.example/blog"}, {"", "", ""}}, "remove", "0"), "HX-Request", "true")
		must(t, rec, 200, rec.Body.String(), `data-inline-form`, `value="https://ada.example/blog"`, `name="version" value="4"`)
		if strings.Contains(rec.Body.String(), `value="https://github.com/ada"`) {
			t.Fatal("the removed link is still there")
		}
	})
}

// TestCompanyAddressInPlace: a company's address is edited in place like a
// contact's and shown in the companies list.
func TestCompanyAddressInPlace(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		b := signedIn(t, db)
		must(t, b.do("POST", "/companies", url.Values{"name": {"Initech"}}), 303, "")
		id := firstID(t, b, "/companies")
		base := "/companies/" + id
		rec := b.do("POST", base+"/edit", addressForm("1", "1 Infinite Loop", "Austin", "TX", "78701", "USA"), "HX-Request", "true")
		must(t, rec, 200, rec.Body.String(), `data-fact="address"`, "1 Infinite Loop", "78701 Austin", "TX, USA")
		page := b.do("GET", base, nil)
		must(t, page, 200, page.Body.String(), `<span class="avatar record-avatar record-avatar-company" aria-hidden="true">I</span>`,
			"by Ann · changed")
		rec = b.do("POST", base+"/edit", addressForm("2", "", "", "", strings.Repeat("9", 101), "USA"), "HX-Request", "true")
		must(t, rec, 422, rec.Body.String(), "Use at most 100 characters.")
		if strings.Contains(b.do("GET", base, nil).Body.String(), `data-fact="time_zone"`) {
			t.Fatal("a company has no time zone")
		}
		rec = b.do("GET", "/companies?columns=city,state,country&sort=-country", nil)
		must(t, rec, 200, rec.Body.String(), ">City<", ">State<", ">Austin</td>", ">TX</td>", ">USA</td>")
	})
}

// TestMergeOffersAddress: the merge screens offer the address (on one line
// each side) and, for contacts, the time zone; taking them works.
func TestMergeOffersAddress(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		b := signedIn(t, db)
		for _, e := range []string{"ada@one.test", "ada@two.test"} {
			must(t, b.do("POST", "/contacts", url.Values{"first_name": {"Ada"}, "last_name": {"King"}, "email": {e}}), 303, "")
		}
		ids := regexp.MustCompile(`id="contact-(\d+)"`).FindAllStringSubmatch(b.do("GET", "/contacts", nil).Body.String(), -1)
		if len(ids) != 2 {
			t.Fatalf("contacts: %v", ids)
		}
		into, from := ids[0][1], ids[1][1]
		must(t, b.do("POST", "/contacts/"+into+"/edit", addressForm("1", "Old Road 1", "Leeds", "", "LS1", "UK"), "HX-Request", "true"), 200, "")
		must(t, b.do("POST", "/contacts/"+from+"/edit", addressForm("1", "New Street 2", "York", "", "YO1", "UK"), "HX-Request", "true"), 200, "")
		must(t, b.do("POST", "/contacts/"+from+"/edit", url.Values{"field": {"time_zone"}, "value": {"Europe/London"}, "version": {"2"}}, "HX-Request", "true"), 200, "")
		bob := addSignedInMember(t, db, b, "Bob", crm.RoleMember)
		must(t, b.do("POST", "/contacts/"+from+"/edit", url.Values{"field": {"owner"}, "value": {bob.u.String()}, "version": {"3"}}, "HX-Request", "true"), 200, "")
		rec := b.do("GET", "/contacts/"+into+"/merge?from="+from, nil)
		must(t, rec, 200, rec.Body.String(), `name="take_address"`, "Old Road 1, LS1 Leeds, UK", "New Street 2, YO1 York, UK",
			`name="take_time_zone"`, "Europe/London", "links", `name="take_owner_id"`, "Bob")
		must(t, b.do("POST", "/contacts/"+into+"/merge", url.Values{"from": {from}, "take_address": {"1"}, "take_time_zone": {"1"}}), 303, "")
		page := b.do("GET", "/contacts/"+into, nil).Body.String()
		must(t, httptest.NewRecorder(), 200, page, "YO1 York", "Europe/London")

		for _, n := range []string{"Globex", "Globex Corp"} {
			must(t, b.do("POST", "/companies", url.Values{"name": {n}, "domain": {"globex.example"}}), 303, "")
		}
		cos := map[string]string{}
		for _, m := range regexp.MustCompile(`href="/companies/(\d+)"[^>]*>([^<]+)<`).FindAllStringSubmatch(b.do("GET", "/companies", nil).Body.String(), -1) {
			cos[m[2]] = m[1]
		}
		must(t, b.do("POST", "/companies/"+cos["Globex Corp"]+"/edit", addressForm("1", "", "Springfield", "", "", "USA"), "HX-Request", "true"), 200, "")
		rec = b.do("GET", "/companies/"+cos["Globex"]+"/merge?from="+cos["Globex Corp"], nil)
		must(t, rec, 200, rec.Body.String(), `name="take_address"`, "Springfield, USA")
		must(t, b.do("POST", "/companies/"+cos["Globex"]+"/merge", url.Values{"from": {cos["Globex Corp"]}, "take_address": {"1"}}), 303, "")
		must(t, b.do("GET", "/companies/"+cos["Globex"], nil), 200, "")
		if page := b.do("GET", "/companies/"+cos["Globex"], nil).Body.String(); !strings.Contains(page, "Springfield") {
			t.Fatal("the merged company lacks the address taken")
		}
	})
}

// TestRecordTimesInTheViewersZone: the timeline and the "created" line
// show times in the viewer's time zone, not in UTC.
func TestRecordTimesInTheViewersZone(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		b := signedIn(t, db)
		if err := db.Write(context.Background(), func(tx *store.Tx) error {
			_, err := tx.Exec(`UPDATE users SET time_zone = 'Asia/Kathmandu' WHERE email = 'ann@acme.test'`)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		before := time.Now()
		must(t, b.do("POST", "/contacts", url.Values{"first_name": {"Ada"}}), 303, "")
		page := b.do("GET", "/contacts/"+firstID(t, b, "/contacts"), nil).Body.String()
		ktm, _ := time.LoadLocation("Asia/Kathmandu") // UTC+5:45: no other zone shares its minutes
		found := false
		for at := before.Add(-time.Minute); !at.After(time.Now().Add(time.Minute)); at = at.Add(time.Minute) {
			found = found || strings.Contains(page, `<span class="when">`+at.In(ktm).Format("Jan 2, 2006 15:04")+`</span>`)
		}
		if !found {
			t.Fatalf("the timeline's time is not in the viewer's zone (Kathmandu, %s):\n%s", before.In(ktm).Format("15:04"),
				regexp.MustCompile(`<span class="when">[^<]*</span>`).FindString(page))
		}
	})
}

// TestPrimaryPhoneEditKeepsTheOthers: changing a contact's phone on its
// page keeps its other numbers (it used to drop them all) and the
// primary's label, unless a new one is typed.
func TestPrimaryPhoneEditKeepsTheOthers(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		b := signedIn(t, db)
		id, base := newContact(t, b, url.Values{"first_name": {"Ada"}, "email": {"ada@example.com"}})
		if err := db.Write(context.Background(), func(tx *store.Tx) error {
			_, err := tx.Exec(`UPDATE contacts SET phone = '+44 20 7946 0001', phone_digits = '442079460001', phones = ?
				WHERE workspace_id = (SELECT workspace_id FROM contacts WHERE id = ?) AND id = ?`,
				`[{"phone":"+44 20 7946 0001","label":"work"},{"phone":"+44 7700 900001","label":"mobile"}]`, id, id)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		phones := func() string {
			t.Helper()
			var s string
			if err := db.Read(context.Background(), func(tx *store.Tx) error {
				return tx.Unscoped().QueryRow(`SELECT phones FROM contacts WHERE id = ?`, id).Scan(&s)
			}); err != nil {
				t.Fatal(err)
			}
			return strings.ReplaceAll(s, " ", "")
		}
		rec := b.do("POST", base+"/edit", url.Values{"field": {"phone"}, "value": {"+44 20 7946 0002"}, "version": {"1"}}, "HX-Request", "true")
		must(t, rec, 200, rec.Body.String(), "+44 20 7946 0002 (work)")
		if got, want := phones(), `[{"label":"work","phone":"+442079460002"},{"label":"mobile","phone":"+447700900001"}]`; got != want &&
			got != `[{"phone":"+442079460002","label":"work"},{"phone":"+447700900001","label":"mobile"}]` {
			t.Fatalf("phones after the edit: %s, want %s", got, want)
		}
		rec = b.do("POST", base+"/edit", url.Values{"field": {"phone"}, "value": {"+44 20 7946 0003 (home)"}, "version": {"2"}}, "HX-Request", "true")
		must(t, rec, 200, rec.Body.String(), "+44 20 7946 0003 (home)")
		if got := phones(); !strings.Contains(got, `"+447700900001"`) || !strings.Contains(got, `"home"`) {
			t.Fatalf("phones after a labelled edit: %s", got)
		}
		// A contact a bulk load wrote with the phone column only: its
		// number is the primary the others are added to.
		if err := db.Write(context.Background(), func(tx *store.Tx) error {
			_, err := tx.Exec(`UPDATE contacts SET phones = '[]' WHERE workspace_id = (SELECT workspace_id FROM contacts WHERE id = ?) AND id = ?`, id, id)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		rec = b.do("POST", base+"/edit", url.Values{"field": {"phones"}, "value": {"+44 7700 900009 (mobile)"}, "version": {"3"}}, "HX-Request", "true")
		must(t, rec, 200, rec.Body.String(), "+44 7700 900009 (mobile)")
		if got := phones(); !strings.HasPrefix(got, `[{"phone":"+442079460003"`) && !strings.HasPrefix(got, `[{"label":"home","phone":"+442079460003"`) &&
			!strings.HasPrefix(got, `[{"phone":"+442079460003","label":"home"`) {
			t.Fatalf("phones after adding to a bulk-loaded contact: %s", got)
		}
	})
}

// TestContactOtherEmailsAndPhonesInPlace: a contact's other emails and
// phones are shown with their labels and edited as one text; the primary
// goes out beside them (a change may move one); a bad number is refused in
// place.
func TestContactOtherEmailsAndPhonesInPlace(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		b := signedIn(t, db)
		_, base := newContact(t, b, url.Values{"first_name": {"Ada"}, "email": {"ada@example.com"}})
		edit := func(field, value, version string, code int, want ...string) {
			t.Helper()
			rec := b.do("POST", base+"/edit", url.Values{"field": {field}, "value": {value}, "version": {version}}, "HX-Request", "true")
			must(t, rec, code, rec.Body.String(), want...)
		}
		// With no phone yet, the first of the others becomes the phone.
		edit("phones", "+44 20 7946 0001 (work); +44 7700 900001 (mobile); (757) 555-0188", "1", 200,
			`id="fact-phone" data-fact="phone" hx-swap-oob="true"`, "+44 20 7946 0001 (work)", "+44 7700 900001 (mobile)", "(757) 555-0188")
		edit("emails", "ada@home.example (home), ada@work.example", "2", 200, "ada@home.example (home)", "ada@work.example",
			`id="fact-email" data-fact="email" hx-swap-oob="true"`)
		edit("phone", "+44 20 7946 0003", "3", 200, "+44 20 7946 0003 (work)")
		edit("phones", "+44 77 (mobile)", "4", 422, `role="alert"`, "a phone number")
		page := b.do("GET", base, nil).Body.String()
		for _, s := range []string{">Other phones<", ">Other emails<", "+44 20 7946 0003 (work)", `<span class="tag">+44 7700 900001 (mobile)</span>`,
			`<span class="tag">(757) 555-0188</span>`, "ada@example.com", `<span class="tag">ada@home.example (home)</span>`} {
			if !strings.Contains(page, s) {
				t.Errorf("the page lacks %q", s)
			}
		}
	})
}

// newContact creates a contact from the new-contact form's values and
// returns its id and page.
func newContact(t *testing.T, b *browser, form url.Values) (id, base string) {
	t.Helper()
	must(t, b.do("POST", "/contacts", form), 303, "")
	id = firstID(t, b, "/contacts")
	return id, "/contacts/" + id
}

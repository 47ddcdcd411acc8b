package records_test

import (
	"context"
	"strings"
	"testing"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

func TestNormalizeLink(t *testing.T) {
	for _, c := range []struct{ in, label, url string }{
		{"linkedin.com/in/ada", "LinkedIn", "https://linkedin.com/in/ada"},
		{"https://www.LinkedIn.com/in/ada", "LinkedIn", "https://www.linkedin.com/in/ada"},
		{"http://twitter.com/ada", "X", "http://twitter.com/ada"},
		{"https://x.com/ada", "X", "https://x.com/ada"},
		{"ada.example", "Website", "https://ada.example"},
		{"  https://gist.github.com/ada  ", "GitHub", "https://gist.github.com/ada"},
		{"https://notlinkedin.com/x", "Website", "https://notlinkedin.com/x"},
		{"javascript:alert(1)", "", ""},
		{"ftp://files.example", "", ""},
		{"https://user:pw@evil.example", "", ""},
		{"localhost", "", ""},
		{"two words.example", "", ""},
		{"", "", ""},
	} {
		got, ok := records.NormalizeLink(records.Link{URL: c.in})
		if ok != (c.url != "") || (ok && (got.URL != c.url || got.Label != c.label)) {
			t.Errorf("NormalizeLink(%q) = %+v, %v; want %q %q", c.in, got, ok, c.label, c.url)
		}
	}
	if got, _ := records.NormalizeLink(records.Link{Label: " My  blog ", URL: "ada.example/blog"}); got.Label != "My blog" {
		t.Errorf("a given label is kept (spaces tidied): %+v", got)
	}
}

func TestAddressLines(t *testing.T) {
	a := records.Address{Street: "Unter den Linden 1\nHof 2", City: "Berlin", PostalCode: "10117", Country: "Germany"}
	if got := strings.Join(a.Lines(), " | "); got != "Unter den Linden 1 | Hof 2 | 10117 Berlin | Germany" {
		t.Errorf("lines: %q", got)
	}
	b := records.Address{City: "Austin", State: "TX", Country: "USA"}
	if got := strings.Join(b.Lines(), " | "); got != "Austin | TX, USA" {
		t.Errorf("lines: %q", got)
	}
	if !(records.Address{}).IsZero() || a.IsZero() {
		t.Error("IsZero")
	}
}

// TestContactAddressZoneLinks: a person's address, time zone and links are
// stored tidied, checked field by field, changed part by part (each part
// its own change in the timeline's event), filterable, and a merge takes
// the address whole and unites the links.
func TestContactAddressZoneLinks(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		p := owner(t, db, crm.RoleAdmin)
		var ada, dup records.Contact
		err := db.Write(ctx, func(tx *store.Tx) (err error) {
			ada, err = records.CreateContact(tx, p, records.NewContact{FirstName: "Ada", Email: "ada@example.com",
				Address:  records.Address{Street: " Unter den Linden 1 \r\n\r\n Hof 2", City: "  Berlin ", PostalCode: "10117", Country: "Germany"},
				TimeZone: "Europe/Berlin", Links: []records.Link{{URL: "linkedin.com/in/ada"}, {URL: "https://linkedin.com/in/ada"}}})
			if err != nil {
				return err
			}
			dup, err = records.CreateContact(tx, p, records.NewContact{FirstName: "Ada", LastName: "L.", Email: "ada@work.example",
				Address: records.Address{City: "London", Country: "UK"}, Links: []records.Link{{URL: "ada.example"}}})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		var got records.Contact
		db.Read(ctx, func(tx *store.Tx) (err error) { got, err = records.GetContact(tx, p.WorkspaceID, ada.ID); return err })
		if got.Address != (records.Address{Street: "Unter den Linden 1\nHof 2", City: "Berlin", PostalCode: "10117", Country: "Germany"}) ||
			got.TimeZone != "Europe/Berlin" || len(got.Links) != 1 || got.Links[0] != (records.Link{Label: "LinkedIn", URL: "https://linkedin.com/in/ada"}) {
			t.Fatalf("stored: %+v %q %+v", got.Address, got.TimeZone, got.Links)
		}
		if got.CreatedBy != p.UserID || got.UpdatedBy != p.UserID {
			t.Errorf("created/updated by %d/%d, want %d", got.CreatedBy, got.UpdatedBy, p.UserID)
		}

		// Bad values are refused field by field, and nothing changes.
		bad := "Mars/Olympus"
		long := strings.Repeat("x", 101)
		err = db.Write(ctx, func(tx *store.Tx) error {
			_, err := records.UpdateContact(tx, p, ada.ID, records.ContactPatch{TimeZone: &bad, Address: records.AddressPatch{City: &long},
				Links: &[]records.Link{{URL: "https://ok.example"}, {URL: "javascript:alert(1)"}}}, 0)
			return err
		})
		f := crm.ErrorFields(err)
		if f["time_zone"] == "" || f["city"] == "" || f["links.1"] == "" || f["links.0"] != "" {
			t.Errorf("errors: %v", err)
		}

		// Limits count characters, not bytes.
		umlauts := strings.Repeat("ü", 100)
		err = db.Write(ctx, func(tx *store.Tx) error {
			_, err := records.UpdateContact(tx, p, ada.ID, records.ContactPatch{Address: records.AddressPatch{State: &umlauts}}, 0)
			return err
		})
		if err != nil {
			t.Errorf("100 characters of two bytes each: %v", err)
		}
		name := strings.Repeat("ö", 100)
		err = db.Write(ctx, func(tx *store.Tx) error {
			_, err := records.UpdateContact(tx, p, dup.ID, records.ContactPatch{FirstName: &name}, 0)
			return err
		})
		if err != nil {
			t.Errorf("a name of 100 characters of two bytes each: %v", err)
		}
		name = "Ada"
		db.Write(ctx, func(tx *store.Tx) error {
			_, err := records.UpdateContact(tx, p, dup.ID, records.ContactPatch{FirstName: &name}, 0)
			return err
		})

		// One part changes; the others stay.
		city := "Potsdam"
		err = db.Write(ctx, func(tx *store.Tx) error {
			_, err := records.UpdateContact(tx, p, ada.ID, records.ContactPatch{Address: records.AddressPatch{City: &city}}, 0)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		var changes string
		db.Read(ctx, func(tx *store.Tx) error {
			return tx.QueryRow(`SELECT changes FROM events WHERE workspace_id = ? AND object_id = ? ORDER BY id DESC LIMIT 1`,
				p.WorkspaceID, ada.ID).Scan(&changes)
		})
		if !strings.Contains(changes, `"city"`) || !strings.Contains(changes, "Potsdam") || strings.Contains(changes, "street") {
			t.Errorf("the event's changes: %s", changes)
		}

		// Filters see every part.
		for filter, want := range map[string]string{
			`city = "Potsdam"`:                           "Ada",
			`country = "UK" and city ~ "lond"`:           "Ada L.",
			`time_zone = "Europe/Berlin"`:                "Ada",
			`postal_code is empty and city is not empty`: "Ada L.",
			`street ~ "linden"`:                          "Ada",
		} {
			var page records.Page[records.Contact]
			if err := db.Read(ctx, func(tx *store.Tx) (err error) {
				page, err = records.QueryContacts(tx, p, records.ListQuery{Filter: filter, Limit: 10})
				return err
			}); err != nil {
				t.Fatalf("%s: %v", filter, err)
			}
			var names []string
			for _, c := range page.Items {
				names = append(names, c.Name())
			}
			if strings.Join(names, ",") != want {
				t.Errorf("%s: %v, want %s", filter, names, want)
			}
		}

		// Lists sort by city and country.
		var sorted records.Page[records.Contact]
		if err := db.Read(ctx, func(tx *store.Tx) (err error) {
			sorted, err = records.QueryContacts(tx, p, records.ListQuery{Sort: "-city", Limit: 1})
			if err != nil || sorted.Next == "" {
				return err
			}
			next, err := records.QueryContacts(tx, p, records.ListQuery{Sort: "-city", Limit: 1, Cursor: sorted.Next})
			sorted.Items = append(sorted.Items, next.Items...)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if len(sorted.Items) != 2 || sorted.Items[0].Address.City != "Potsdam" || sorted.Items[1].Address.City != "London" {
			t.Errorf("sorted by -city: %+v", sorted.Items)
		}

		// A merge takes the other's address whole when asked, keeps the
		// survivor's time zone, and unites the links.
		// A misspelt field to take is refused, not ignored.
		err = db.Write(ctx, func(tx *store.Tx) error {
			_, err := records.MergeContacts(tx, p, ada.ID, dup.ID, map[string]bool{"adress": true})
			return err
		})
		if msg := crm.ErrorFields(err)["take"]; !strings.Contains(msg, `"adress" is not a field to take`) {
			t.Errorf("take adress: %v", err)
		}
		var merged records.Contact
		if err := db.Write(ctx, func(tx *store.Tx) (err error) {
			merged, err = records.MergeContacts(tx, p, ada.ID, dup.ID, map[string]bool{"address": true})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if merged.Address != (records.Address{City: "London", Country: "UK"}) || merged.TimeZone != "Europe/Berlin" ||
			len(merged.Links) != 2 || merged.Links[1].URL != "https://ada.example" {
			t.Errorf("merged: %+v %q %+v", merged.Address, merged.TimeZone, merged.Links)
		}
	})
}

// TestCompanyAddress: a company's address is stored, changed and merged
// like a person's, and a contact list filters by its company's city.
func TestCompanyAddress(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		p := owner(t, db, crm.RoleAdmin)
		var acme, other records.Company
		err := db.Write(ctx, func(tx *store.Tx) (err error) {
			if acme, err = records.CreateCompany(tx, p, records.NewCompany{Name: "Acme", Address: records.Address{City: "Paris", Country: "France"}}); err != nil {
				return err
			}
			if other, err = records.CreateCompany(tx, p, records.NewCompany{Name: "Acme SA",
				Address: records.Address{Street: "1 rue de Rivoli", City: "Lyon", Country: "France"}}); err != nil {
				return err
			}
			_, err = records.CreateContact(tx, p, records.NewContact{FirstName: "Marie", CompanyID: acme.ID})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		var page records.Page[records.Contact]
		db.Read(ctx, func(tx *store.Tx) (err error) {
			page, err = records.QueryContacts(tx, p, records.ListQuery{Filter: `company.city = "Paris"`, Limit: 10})
			return err
		})
		if len(page.Items) != 1 || page.Items[0].FirstName != "Marie" {
			t.Errorf("contacts by their company's city: %+v", page.Items)
		}
		zip := "75001"
		var got records.Company
		err = db.Write(ctx, func(tx *store.Tx) (err error) {
			got, err = records.UpdateCompany(tx, p, acme.ID, records.CompanyPatch{Address: records.AddressPatch{PostalCode: &zip}}, 0)
			return err
		})
		if err != nil || got.Address != (records.Address{City: "Paris", PostalCode: "75001", Country: "France"}) {
			t.Fatalf("update: %+v %v", got.Address, err)
		}
		if got.CreatedBy != p.UserID || got.UpdatedBy != p.UserID {
			t.Errorf("company created/updated by %d/%d, want %d", got.CreatedBy, got.UpdatedBy, p.UserID)
		}
		err = db.Write(ctx, func(tx *store.Tx) error {
			_, err := records.MergeCompanies(tx, p, acme.ID, other.ID, map[string]bool{"custom.nope": true})
			return err
		})
		if crm.ErrorFields(err)["take"] == "" {
			t.Errorf("take custom.nope: %v", err)
		}
		// Without "address" in take the survivor keeps its own whole.
		err = db.Write(ctx, func(tx *store.Tx) (err error) {
			got, err = records.MergeCompanies(tx, p, acme.ID, other.ID, nil)
			return err
		})
		if err != nil || got.Address != (records.Address{City: "Paris", PostalCode: "75001", Country: "France"}) {
			t.Fatalf("merge: %+v %v", got.Address, err)
		}
		db.Read(ctx, func(tx *store.Tx) (err error) { got, err = records.GetCompany(tx, p.WorkspaceID, acme.ID); return err })
		if got.Address.PostalCode != "75001" {
			t.Errorf("read back: %+v", got.Address)
		}
	})
}

package records_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

// TestEachContact: every matching contact once, in order, with its
// company's name and domain and its owner's email, across the batches the
// reading and the writing goroutines pass; an error from fn stops the
// export and is what it returns, with fn not called again.
func TestEachContact(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		p := owner(t, db, crm.RoleAdmin)
		const n = 1300 // more than two batches
		place := records.Address{Street: "12:3 Rue de l'Été\n4: étage", City: "Zürich", PostalCode: "8000", Country: "CH:"}
		if err := db.Write(ctx, func(tx *store.Tx) error {
			co, err := records.CreateCompany(tx, p, records.NewCompany{Name: "Acme", Domain: "acme.example"})
			if err != nil {
				return err
			}
			gone, err := records.CreateCompany(tx, p, records.NewCompany{Name: "Gone Ltd"})
			if err != nil {
				return err
			}
			for i := range n {
				in := records.NewContact{FirstName: fmt.Sprint("P", i), LastName: "Doe", Tags: []string{"t"}}
				if i%5 == 0 { // what the export packs into one column, with its separators in the text
					in.Address = place
					in.TimeZone, in.Links = "Europe/Zurich", []records.Link{{Label: "a: b", URL: "https://x.example/1:2"}}
				}
				switch i % 3 {
				case 0:
					in.CompanyID = co.ID
				case 1:
					in.CompanyID = gone.ID
				}
				if _, err := records.CreateContact(tx, p, in); err != nil {
					return err
				}
			}
			return records.DeleteCompany(tx, p, gone.ID)
		}); err != nil {
			t.Fatal(err)
		}
		var got []records.ExportRow
		err := db.Read(ctx, func(tx *store.Tx) error {
			return records.EachContact(tx, p, records.ListQuery{Filter: `last_name = "Doe"`, Sort: "first_name"}, func(r records.ExportRow) error {
				got = append(got, r)
				return nil
			})
		})
		if err != nil || len(got) != n {
			t.Fatalf("%d rows, %v", len(got), err)
		}
		for i, r := range got {
			if i > 0 && r.FirstName < got[i-1].FirstName {
				t.Fatalf("row %d out of order: %s after %s", i, r.FirstName, got[i-1].FirstName)
			}
			var num int
			fmt.Sscanf(r.FirstName, "P%d", &num)
			want := ""
			if num%3 == 0 {
				want = "Acme acme.example"
			}
			if r.CompanyName+" "+r.CompanyDomain != want && !(want == "" && r.CompanyName == "" && r.CompanyDomain == "") {
				t.Fatalf("%s: company %q %q", r.FirstName, r.CompanyName, r.CompanyDomain)
			}
			if (num%5 == 0) != (r.Address == place && r.TimeZone == "Europe/Zurich" && len(r.Links) == 1 && r.Links[0].Label == "a: b" &&
				r.Links[0].URL == "https://x.example/1:2") || (num%5 != 0 && (!r.Address.IsZero() || r.TimeZone != "" || len(r.Links) != 0)) {
				t.Fatalf("%s: address %+v, zone %q, links %+v", r.FirstName, r.Address, r.TimeZone, r.Links)
			}
			if r.OwnerEmail == "" || len(r.Tags) != 1 || r.CreatedAt.IsZero() {
				t.Fatalf("%s: owner %q tags %v created %v", r.FirstName, r.OwnerEmail, r.Tags, r.CreatedAt)
			}
		}
		stop := errors.New("disk full")
		calls := 0
		err = db.Read(ctx, func(tx *store.Tx) error {
			return records.EachContact(tx, p, records.ListQuery{}, func(records.ExportRow) error {
				calls++
				if calls == 700 {
					return stop
				}
				return nil
			})
		})
		if !errors.Is(err, stop) || calls != 700 {
			t.Fatalf("after an error: %v, %d calls", err, calls)
		}
		// A panic in fn is an error of the export, not a crash.
		err = db.Read(ctx, func(tx *store.Tx) error {
			return records.EachContact(tx, p, records.ListQuery{}, func(records.ExportRow) error { panic("broken sink") })
		})
		if err == nil || !strings.Contains(err.Error(), "broken sink") {
			t.Fatalf("after a panic: %v", err)
		}
	})
}

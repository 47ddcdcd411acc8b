package records_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/consent"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/secrets"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

func TestMain(m *testing.M) {
	// Consent decisions hash addresses with the instance key (consent.SetKey).
	k, err := secrets.ParseKey(strings.Repeat("k", 40))
	if err != nil {
		panic(err)
	}
	consent.SetKey(k)
	testdb.Main(m)
}

func owner(t *testing.T, db *store.DB, role crm.Role) crm.Principal {
	t.Helper()
	var p crm.Principal
	err := db.Write(context.Background(), func(tx *store.Tx) error {
		ws, err := account.CreateWorkspace(tx, "W", crm.System)
		if err != nil {
			return err
		}
		u, err := account.CreateUser(tx, account.NewUser{Email: fmt.Sprintf("u%d@example.com", ws.ID), Name: "U", Password: "a long enough phrase"})
		if err != nil {
			return err
		}
		p = crm.Principal{UserID: u.ID, WorkspaceID: ws.ID, Role: role}
		return account.AddMember(tx, ws.ID, u.ID, role, crm.System)
	})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCompanies(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		p := owner(t, db, crm.RoleMember)
		create := func(in records.NewCompany) (records.Company, error) {
			var c records.Company
			err := db.Write(ctx, func(tx *store.Tx) (err error) { c, err = records.CreateCompany(tx, p, in); return err })
			return c, err
		}
		_, err := create(records.NewCompany{Name: " ", Domain: "nope"})
		if f := crm.ErrorFields(err); f["name"] == "" || f["domain"] == "" {
			t.Fatalf("validation: %v", err)
		}
		c, err := create(records.NewCompany{Name: " Initech ", Domain: "HTTPS://www.Initech.example/careers"})
		if err != nil || c.Name != "Initech" || c.Domain != "initech.example" || c.OwnerID != p.UserID {
			t.Fatalf("create: %+v %v", c, err)
		}
		// Keyset pagination walks every row once, newest first.
		for i := 0; i < 7; i++ {
			if _, err := create(records.NewCompany{Name: fmt.Sprintf("Co %d", i)}); err != nil {
				t.Fatal(err)
			}
		}
		var seen []crm.ID
		var after crm.ID
		for {
			var page []records.Company
			db.Read(ctx, func(tx *store.Tx) (err error) {
				page, err = records.ListCompanies(tx, p.WorkspaceID, after, 3)
				return err
			})
			if len(page) == 0 {
				break
			}
			for _, c := range page {
				if len(seen) > 0 && c.ID >= seen[len(seen)-1] {
					t.Fatalf("not newest first: %d after %d", c.ID, seen[len(seen)-1])
				}
				seen = append(seen, c.ID)
			}
			after = page[len(page)-1].ID
		}
		if len(seen) != 8 {
			t.Fatalf("paged through %d companies, want 8", len(seen))
		}
		// Read-only users cannot write; another workspace's company is not found.
		ro := owner(t, db, crm.RoleReadOnly)
		err = db.Write(ctx, func(tx *store.Tx) error {
			_, err := records.CreateCompany(tx, ro, records.NewCompany{Name: "X"})
			return err
		})
		if crm.ErrorCode(err) != crm.Forbidden {
			t.Fatalf("readonly create: %v", err)
		}
		err = db.Read(ctx, func(tx *store.Tx) error { _, err := records.GetCompany(tx, ro.WorkspaceID, c.ID); return err })
		if crm.ErrorCode(err) != crm.NotFound {
			t.Fatalf("cross-workspace get: %v", err)
		}
		// Contacts: email checked, company must be in the same workspace.
		err = db.Write(ctx, func(tx *store.Tx) error {
			_, err := records.CreateContact(tx, p, records.NewContact{FirstName: "A", Email: "a@@x"})
			return err
		})
		if crm.ErrorFields(err)["email"] == "" {
			t.Fatalf("bad email accepted: %v", err)
		}
		var other records.Company
		admin := owner(t, db, crm.RoleAdmin) // not inside Write: one writer at a time
		db.Write(ctx, func(tx *store.Tx) (err error) {
			other, err = records.CreateCompany(tx, admin, records.NewCompany{Name: "Elsewhere"})
			return err
		})
		err = db.Write(ctx, func(tx *store.Tx) error {
			_, err := records.CreateContact(tx, p, records.NewContact{FirstName: "B", CompanyID: other.ID})
			return err
		})
		if crm.ErrorFields(err)["company_id"] == "" {
			t.Fatalf("contact linked to another workspace's company: %v", err)
		}
		var tl []records.Entry
		db.Read(ctx, func(tx *store.Tx) (err error) {
			tl, err = records.Timeline(tx, p.WorkspaceID, "company", c.ID, 10)
			return err
		})
		if len(tl) != 1 || tl[0].Action != crm.Created || tl[0].Who != "U" {
			t.Fatalf("timeline %+v", tl)
		}
	})
}

func TestTimelineNamesIDs(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	p := owner(t, db, crm.RoleAdmin)
	var c records.Contact
	var co records.Company
	db.Write(ctx, func(tx *store.Tx) (err error) {
		if co, err = records.CreateCompany(tx, p, records.NewCompany{Name: "Named Co"}); err != nil {
			return err
		}
		c, err = records.CreateContact(tx, p, records.NewContact{FirstName: "Ida", CompanyID: co.ID})
		return err
	})
	var tl []records.Entry
	db.Read(ctx, func(tx *store.Tx) (err error) {
		tl, err = records.Timeline(tx, p.WorkspaceID, "contact", c.ID, 5)
		return err
	})
	if len(tl) != 1 || !strings.Contains(tl[0].Summary, "company: Named Co") || !strings.Contains(tl[0].Summary, "owner: U") {
		t.Fatalf("timeline: %+v", tl)
	}
}

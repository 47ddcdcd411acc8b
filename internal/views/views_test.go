package views_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
	"github.com/tandemcrm/tandem/internal/views"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// member adds a user with role to workspace ws (0: a new workspace).
func member(t *testing.T, db *store.DB, ws crm.ID, role crm.Role) crm.Principal {
	t.Helper()
	var p crm.Principal
	err := db.Write(context.Background(), func(tx *store.Tx) error {
		if ws == 0 {
			w, err := account.CreateWorkspace(tx, "W", crm.System)
			if err != nil {
				return err
			}
			ws = w.ID
		}
		u, err := account.CreateUser(tx, account.NewUser{Email: fmt.Sprintf("u%d@example.com", tx.NewID()), Name: "U", Password: "a long enough phrase"})
		if err != nil {
			return err
		}
		p = crm.Principal{UserID: u.ID, WorkspaceID: ws, Role: role}
		return account.AddMember(tx, ws, u.ID, role, crm.System)
	})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func ptr[T any](v T) *T { return &v }

func TestViews(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ann := member(t, db, 0, crm.RoleMember)
		bob := member(t, db, ann.WorkspaceID, crm.RoleMember)
		boss := member(t, db, ann.WorkspaceID, crm.RoleAdmin)
		stranger := member(t, db, 0, crm.RoleOwner)
		db.Write(ctx, func(tx *store.Tx) error {
			_, err := records.CreateField(tx, boss, records.FieldInput{Object: "contact", Label: ptr("Region"), Type: records.FieldText})
			return err
		})
		write := func(fn func(tx *store.Tx) error) error { return db.Write(ctx, fn) }

		var v views.View
		// Invalid: bad name, unknown column, unknown field in the filter, bad sort.
		err := write(func(tx *store.Tx) (err error) {
			_, err = views.Create(tx, ann, views.Input{Object: "contact", Name: ptr(" "), Columns: &[]string{"nope"}})
			return err
		})
		if f := crm.ErrorFields(err); f["name"] == "" || f["columns"] == "" {
			t.Fatalf("invalid view: %v", err)
		}
		err = write(func(tx *store.Tx) (err error) {
			_, err = views.Create(tx, ann, views.Input{Object: "contact", Name: ptr("X"), Filter: ptr("ownr = me()")})
			return err
		})
		if f := crm.ErrorFields(err); !strings.Contains(f["filter"], "did you mean 'owner'") {
			t.Fatalf("bad filter: %v", err)
		}
		err = write(func(tx *store.Tx) (err error) {
			_, err = views.Create(tx, ann, views.Input{Object: "company", Name: ptr("X"), Sort: ptr("-lifecycle")})
			return err
		})
		if crm.ErrorFields(err)["sort"] == "" {
			t.Fatalf("bad sort: %v", err)
		}
		// A private view with the filter in canonical form.
		err = write(func(tx *store.Tx) (err error) {
			v, err = views.Create(tx, ann, views.Input{Object: "contact", Name: ptr("My EMEA leads"),
				Filter: ptr(`LIFECYCLE = "lead"  AND custom.region = "EMEA"`), Sort: ptr("-created_at"),
				Columns: &[]string{"email", "custom.region", "email"}})
			return err
		})
		if err != nil || v.Filter != `lifecycle = "lead" and custom.region = "EMEA"` || len(v.Columns) != 2 {
			t.Fatalf("create: %+v %v", v, err)
		}
		get := func(p crm.Principal) ([]views.View, error) {
			var vs []views.View
			err := db.Read(ctx, func(tx *store.Tx) (err error) {
				if _, err = views.Get(tx, p, v.ID); err != nil {
					return err
				}
				vs, err = views.List(tx, p, "contact")
				return err
			})
			return vs, err
		}
		for _, p := range []crm.Principal{bob, boss, stranger} {
			if _, err := get(p); crm.ErrorCode(err) != crm.NotFound {
				t.Fatalf("private view seen by %d: %v", p.UserID, err)
			}
		}
		if vs, err := get(ann); err != nil || len(vs) != 1 {
			t.Fatalf("own view: %v %v", vs, err)
		}
		// Shared: the workspace sees it; only its owner or an admin changes it.
		if err := write(func(tx *store.Tx) (err error) {
			v, err = views.Update(tx, ann, v.ID, views.Input{Shared: ptr(true)})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if vs, err := get(bob); err != nil || len(vs) != 1 {
			t.Fatalf("shared view for bob: %v %v", vs, err)
		}
		if _, err := get(stranger); crm.ErrorCode(err) != crm.NotFound {
			t.Fatalf("other workspace: %v", err)
		}
		err = write(func(tx *store.Tx) error {
			_, err := views.Update(tx, bob, v.ID, views.Input{Name: ptr("Mine")})
			return err
		})
		if crm.ErrorCode(err) != crm.Forbidden {
			t.Fatalf("bob renames: %v", err)
		}
		if err := write(func(tx *store.Tx) error {
			_, err := views.Update(tx, boss, v.ID, views.Input{Name: ptr("EMEA leads")})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if err := write(func(tx *store.Tx) error { return views.Delete(tx, stranger, v.ID) }); crm.ErrorCode(err) != crm.NotFound {
			t.Fatalf("stranger deletes: %v", err)
		}
		if err := write(func(tx *store.Tx) error { return views.Delete(tx, ann, v.ID) }); err != nil {
			t.Fatal(err)
		}
		if _, err := get(ann); crm.ErrorCode(err) != crm.NotFound {
			t.Fatalf("deleted: %v", err)
		}
	})
}

func TestPickColumns(t *testing.T) {
	all := views.Columns("contact", []records.FieldDef{{Key: "region", Label: "Region", Type: records.FieldText}})
	got := views.Pick("contact", all, []string{"custom.region", "bogus", "email"})
	if len(got) != 3 || got[0].Key != "name" || got[1].Key != "custom.region" || got[2].Key != "email" {
		t.Fatalf("pick: %+v", got)
	}
	if d := views.Pick("company", views.Columns("company", nil), nil); len(d) != len(views.DefaultColumns["company"]) {
		t.Fatalf("defaults: %+v", d)
	}
}

func TestDealViews(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ann := member(t, db, 0, crm.RoleMember)
		bob := member(t, db, ann.WorkspaceID, crm.RoleMember)
		write := func(p crm.Principal, in views.Input) (v views.View, err error) {
			err = db.Write(ctx, func(tx *store.Tx) (err error) { v, err = views.Create(tx, p, in); return err })
			return v, err
		}
		in := views.Input{Object: "deal", Name: ptr("X"), Filter: ptr("vaule >= 5000")}
		if _, err := write(ann, in); !strings.Contains(crm.ErrorFields(err)["filter"], "did you mean 'value'") {
			t.Fatalf("bad deal filter: %v", err)
		}
		in = views.Input{Object: "deal", Name: ptr("X"), Sort: ptr("-lifecycle")}
		if _, err := write(ann, in); crm.ErrorFields(err)["sort"] == "" {
			t.Fatalf("bad deal sort: %v", err)
		}
		in = views.Input{Object: "deal", Name: ptr("X"), Columns: &[]string{"stage", "email"}}
		if _, err := write(ann, in); !strings.Contains(crm.ErrorFields(err)["columns"], `"email"`) {
			t.Fatalf("contact column on a deal view: %v", err)
		}
		v, err := write(ann, views.Input{Object: "deal", Name: ptr("Big proposals"), Shared: ptr(true),
			Filter: ptr(`VALUE >= 5000  and stage = "Proposal"`), Sort: ptr("-value"), Columns: &[]string{"value", "stage"}})
		if err != nil || v.Object != "deal" || v.Filter != `value >= 5000 and stage = "Proposal"` {
			t.Fatalf("deal view: %+v %v", v, err)
		}
		err = db.Read(ctx, func(tx *store.Tx) error {
			vs, err := views.List(tx, bob, "deal")
			if err != nil || len(vs) != 1 || vs[0].ID != v.ID {
				return fmt.Errorf("bob's deal views: %v %v", vs, err)
			}
			if vs, err := views.List(tx, bob, "contact"); err != nil || len(vs) != 0 {
				return fmt.Errorf("deal view among contact views: %v %v", vs, err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		cols := views.Pick("deal", views.Columns("deal", nil), v.Columns)
		if len(cols) != 3 || cols[0].Key != "title" || cols[1].Key != "value" {
			t.Fatalf("deal columns: %+v", cols)
		}
	})
}

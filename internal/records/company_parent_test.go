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

// chain creates companies each under the one before, by name.
func chain(t *testing.T, db *store.DB, p crm.Principal, names ...string) map[string]crm.ID {
	t.Helper()
	ids := map[string]crm.ID{}
	err := db.Write(context.Background(), func(tx *store.Tx) error {
		var parent crm.ID
		for _, n := range names {
			c, err := records.CreateCompany(tx, p, records.NewCompany{Name: n, ParentID: parent})
			if err != nil {
				return err
			}
			ids[n], parent = c.ID, c.ID
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// TestCompanyParentLoops: a company cannot be put under one of its own
// subsidiaries, however deep; moving within the tree otherwise works.
func TestCompanyParentLoops(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		p := owner(t, db, crm.RoleAdmin)
		ids := chain(t, db, p, "Holding", "Europe", "Germany", "Berlin")
		setParent := func(child, parent string) error {
			return db.Write(ctx, func(tx *store.Tx) error {
				id := ids[parent]
				_, err := records.UpdateCompany(tx, p, ids[child], records.CompanyPatch{ParentID: &id}, 0)
				return err
			})
		}
		for _, parent := range []string{"Europe", "Berlin", "Holding"} {
			err := setParent("Holding", parent)
			if msg := crm.ErrorFields(err)["parent_id"]; msg == "" || (parent != "Holding" && !strings.Contains(msg, "subsidiary")) {
				t.Errorf("Holding under %s: %v", parent, err)
			}
		}
		if err := setParent("Berlin", "Europe"); err != nil {
			t.Errorf("moving Berlin up the tree: %v", err)
		}
		if err := setParent("Germany", "Berlin"); err != nil {
			t.Errorf("Germany under Berlin once Berlin is no longer under it: %v", err)
		}
	})
}

// TestMergeKeepsTheTreeLoopFree: merging a company into one that sat under
// it, further down, moves the child in between up to the merged company's
// parent; nothing ends up above itself.
func TestMergeKeepsTheTreeLoopFree(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		p := owner(t, db, crm.RoleAdmin)
		ids := chain(t, db, p, "Group", "Holding", "Europe", "Germany")
		err := db.Write(ctx, func(tx *store.Tx) error {
			_, err := records.MergeCompanies(tx, p, ids["Germany"], ids["Holding"], nil)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		parentOf := map[crm.ID]crm.ID{}
		db.Read(ctx, func(tx *store.Tx) error {
			for _, n := range []string{"Group", "Europe", "Germany"} {
				c, err := records.GetCompany(tx, p.WorkspaceID, ids[n])
				if err != nil {
					return err
				}
				parentOf[ids[n]] = c.ParentID
				if loop, err := records.IsUnder(tx, p.WorkspaceID, ids[n], ids[n]); err != nil || loop {
					t.Errorf("%s is above itself (%v)", n, err)
				}
			}
			return nil
		})
		if parentOf[ids["Europe"]] != ids["Group"] || parentOf[ids["Germany"]] != ids["Europe"] {
			t.Errorf("Europe under %d (want Group %d), Germany under %d (want Europe %d)",
				parentOf[ids["Europe"]], ids["Group"], parentOf[ids["Germany"]], ids["Europe"])
		}
	})
}

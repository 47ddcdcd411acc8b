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

// TestCompanyParentLoops: a company cannot be put under one of its own
// subsidiaries, however deep; moving within the tree otherwise works.
func TestCompanyParentLoops(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		p := owner(t, db, crm.RoleAdmin)
		ids := map[string]crm.ID{}
		err := db.Write(ctx, func(tx *store.Tx) error {
			var parent crm.ID
			for _, n := range []string{"Holding", "Europe", "Germany", "Berlin"} {
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

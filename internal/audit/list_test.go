package audit_test

import (
	"context"
	"testing"

	"github.com/tandemcrm/tandem/internal/audit"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

func TestListFiltersAndPages(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ws, other := db.NewID(), db.NewID()
		err := db.Write(ctx, func(tx *store.Tx) error {
			for i := range 7 {
				action := audit.SignInFailed
				if i%2 == 0 {
					action = audit.SignInSucceeded
				}
				if _, err := audit.Record(tx, audit.Entry{WorkspaceID: ws, Actor: crm.UserActor(crm.ID(i%3 + 1)),
					Action: action, ObjectType: "user", ObjectID: crm.ID(i%3 + 1)}); err != nil {
					return err
				}
			}
			_, err := audit.Record(tx, audit.Entry{WorkspaceID: other, Action: audit.SignInSucceeded})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		err = db.Read(ctx, func(tx *store.Tx) error {
			var seqs []int64
			cursor := int64(0)
			for page := 0; ; page++ {
				got, next, err := audit.List(tx, ws, audit.Filter{}, 3, cursor)
				if err != nil {
					return err
				}
				for _, e := range got {
					seqs = append(seqs, e.Seq)
				}
				if next == 0 {
					break
				}
				cursor = next
			}
			if len(seqs) != 7 || seqs[0] != 7 || seqs[6] != 1 {
				t.Errorf("paged seqs = %v, want 7..1", seqs)
			}
			got, _, err := audit.List(tx, ws, audit.Filter{Action: audit.SignInSucceeded}, 10, 0)
			if err != nil || len(got) != 4 {
				t.Errorf("by action: %d entries, %v; want 4", len(got), err)
			}
			got, _, err = audit.List(tx, ws, audit.Filter{Actor: crm.UserActor(2), ObjectType: "user", ObjectID: 2}, 10, 0)
			if err != nil || len(got) != 2 {
				t.Errorf("by actor and object: %d entries, %v; want 2", len(got), err)
			}
			got, _, err = audit.List(tx, ws, audit.Filter{Since: tx.Now.Add(1)}, 10, 0)
			if err != nil || len(got) != 0 {
				t.Errorf("since the future: %d entries, %v", len(got), err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

func TestTruncateIP(t *testing.T) {
	for in, want := range map[string]string{
		"203.0.113.77":              "203.0.113.0",
		"203.0.113.77:4431":         "203.0.113.0",
		"::ffff:203.0.113.77":       "203.0.113.0",
		"2001:db8:abcd:12:1:2:3:4":  "2001:db8:abcd::",
		"[2001:db8:abcd:12::1]:443": "2001:db8:abcd::",
		"fe80::1%eth0":              "fe80::",
		"":                          "",
		"not an ip":                 "",
		"203.0.113.77, 10.0.0.1":    "",
	} {
		if got := audit.TruncateIP(in); got != want {
			t.Errorf("TruncateIP(%q) = %q, want %q", in, got, want)
		}
	}
}

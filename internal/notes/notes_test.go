package notes_test

import (
	"context"
	"strings"
	"testing"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/notes"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }

func TestNotes(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := notes.Service{R: notes.NewRenderer()}
		var author, other crm.Principal
		var contact records.Contact
		err := db.Write(ctx, func(tx *store.Tx) error {
			ws, _ := account.CreateWorkspace(tx, "N", crm.System)
			a, err := account.CreateUser(tx, account.NewUser{Email: "ann@n.test", Name: "Ann", Password: "a long enough phrase"})
			if err != nil {
				return err
			}
			b, _ := account.CreateUser(tx, account.NewUser{Email: "bob@n.test", Name: "Bob", Password: "a long enough phrase"})
			account.AddMember(tx, ws.ID, a.ID, crm.RoleMember, crm.System)
			account.AddMember(tx, ws.ID, b.ID, crm.RoleMember, crm.System)
			author = crm.Principal{UserID: a.ID, WorkspaceID: ws.ID, Role: crm.RoleMember}
			other = crm.Principal{UserID: b.ID, WorkspaceID: ws.ID, Role: crm.RoleMember}
			contact, err = records.CreateContact(tx, author, records.NewContact{FirstName: "Cy"})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		var n notes.Note
		err = db.Write(ctx, func(tx *store.Tx) (err error) {
			n, err = svc.Create(tx, author, "contact", contact.ID, "Call back **Monday**, @bob@n.test <script>x</script>", false)
			return err
		})
		if err != nil || !strings.Contains(n.HTML, "<strong>Monday</strong>") || !strings.Contains(n.HTML, `<span class="mention">@Bob</span>`) ||
			strings.Contains(n.HTML, "<script") || len(n.Mentions) != 1 || n.Mentions[0] != other.UserID {
			t.Fatalf("create: %+v %v", n, err)
		}
		// Someone else's note cannot be edited by a member; the author can.
		body := "Called. Follow up in a week."
		err = db.Write(ctx, func(tx *store.Tx) error { _, err := svc.Update(tx, other, n.ID, &body, nil, 0); return err })
		if crm.ErrorCode(err) != crm.Forbidden {
			t.Fatalf("other edits: %v", err)
		}
		pin := true
		err = db.Write(ctx, func(tx *store.Tx) (err error) { n, err = svc.Update(tx, author, n.ID, &body, &pin, 1); return err })
		if err != nil || n.Version != 2 || !n.Pinned || len(n.Mentions) != 0 {
			t.Fatalf("update: %+v %v", n, err)
		}
		err = db.Write(ctx, func(tx *store.Tx) error {
			_, err := svc.Create(tx, author, "contact", 12345, "x", false)
			return err
		})
		if crm.ErrorFields(err)["object_id"] == "" {
			t.Fatalf("note on a missing record: %v", err)
		}
		var list []notes.Note
		db.Read(ctx, func(tx *store.Tx) (err error) {
			list, err = notes.List(tx, author.WorkspaceID, "contact", contact.ID, 10)
			return err
		})
		if len(list) != 1 || list[0].Body != body {
			t.Fatalf("list: %+v", list)
		}
		var tl []records.Entry
		db.Read(ctx, func(tx *store.Tx) (err error) {
			tl, err = records.Timeline(tx, author.WorkspaceID, "contact", contact.ID, 10)
			return err
		})
		if len(tl) < 3 || !strings.Contains(tl[0].Summary, "note") {
			t.Fatalf("timeline lacks the note: %+v", tl)
		}
		if err := db.Write(ctx, func(tx *store.Tx) error { return notes.Delete(tx, author, n.ID) }); err != nil {
			t.Fatal(err)
		}
		if err := db.Read(ctx, func(tx *store.Tx) error { _, err := notes.Get(tx, author.WorkspaceID, n.ID); return err }); crm.ErrorCode(err) != crm.NotFound {
			t.Fatalf("deleted note: %v", err)
		}
	})
}

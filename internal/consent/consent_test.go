package consent_test

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
	k, err := secrets.ParseKey(strings.Repeat("k", 40))
	if err != nil {
		panic(err)
	}
	consent.SetKey(k)
	testdb.Main(m)
}

// member makes a workspace with one user of the given role.
func member(t *testing.T, db *store.DB, role crm.Role) crm.Principal {
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

func write(t *testing.T, db *store.DB, fn func(tx *store.Tx) error) {
	t.Helper()
	if err := db.Write(context.Background(), fn); err != nil {
		t.Fatal(err)
	}
}

func contact(t *testing.T, db *store.DB, p crm.Principal, email, phone string) records.Contact {
	t.Helper()
	var c records.Contact
	write(t, db, func(tx *store.Tx) (err error) {
		c, err = records.CreateContact(tx, p, records.NewContact{FirstName: "Ada", Email: email, Phone: phone})
		return err
	})
	return c
}

func TestNormalize(t *testing.T) {
	for _, tc := range []struct {
		kind      consent.Kind
		in, want  string
		wantError bool
	}{
		{consent.Email, "  Ada@Example.COM ", "ada@example.com", false},
		{consent.Email, "not an address", "", true},
		{consent.Email, "Ada <ada@example.com>", "", true},
		{consent.Phone, "+44 20 7946-0958", "442079460958", false},
		{consent.Phone, "0044 20 7946 0958", "442079460958", false},
		{consent.Phone, "(415) 555-0100", "4155550100", false},
		{consent.Phone, "12", "", true},
		{consent.Domain, "@Example.COM.", "example.com", false},
		{consent.Domain, "localhost", "", true},
		{consent.Domain, "bad_domain.com", "", true},
		{"fax", "1234567", "", true},
	} {
		got, err := consent.Normalize(tc.kind, tc.in)
		if (err != nil) != tc.wantError || got != tc.want {
			t.Errorf("Normalize(%s, %q) = %q, %v; want %q (error %v)", tc.kind, tc.in, got, err, tc.want, tc.wantError)
		}
		if err != nil && crm.ErrorCode(err) != crm.Invalid {
			t.Errorf("Normalize(%s, %q): error code %s, want invalid", tc.kind, tc.in, crm.ErrorCode(err))
		}
	}
}

func TestSuppress(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		p := member(t, db, crm.RoleAdmin)
		other := member(t, db, crm.RoleAdmin)
		ws := p.WorkspaceID
		write(t, db, func(tx *store.Tx) error {
			for i := 0; i < 2; i++ { // idempotent
				if err := consent.Suppress(tx, ws, consent.Email, " Gone@Example.com", "unsubscribed", p.Actor()); err != nil {
					return err
				}
			}
			if err := consent.Suppress(tx, ws, consent.Email, "gone@example.com", "erased", p.Actor()); err != nil {
				return err
			}
			if err := consent.Suppress(tx, ws, consent.Phone, "+44 20 7946 0958", "manual", crm.System); err != nil {
				return err
			}
			return consent.Suppress(tx, ws, consent.Domain, "spam.example", "bounced", crm.System)
		})
		err := db.Write(ctx, func(tx *store.Tx) error {
			return consent.Suppress(tx, ws, consent.Email, "x@example.com", "because", crm.System)
		})
		if crm.ErrorFields(err)["reason"] == "" {
			t.Fatalf("bad reason accepted: %v", err)
		}
		err = db.Read(ctx, func(tx *store.Tx) error {
			for _, tc := range []struct {
				ws    crm.ID
				kind  consent.Kind
				value string
				want  bool
			}{
				{ws, consent.Email, "GONE@example.com ", true},
				{ws, consent.Email, "other@example.com", false},
				{ws, consent.Phone, "0044 (20) 7946 0958", true},
				{ws, consent.Domain, "SPAM.example", true},
				{ws, consent.Domain, "example.com", false},
				{other.WorkspaceID, consent.Email, "gone@example.com", false}, // lists are per workspace
			} {
				got, err := consent.Suppressed(tx, tc.ws, tc.kind, tc.value)
				if err != nil || got != tc.want {
					t.Errorf("Suppressed(%s %q) = %v, %v; want %v", tc.kind, tc.value, got, err, tc.want)
				}
			}
			list, err := consent.ListSuppressions(tx, ws, "", 0, 10)
			if err != nil || len(list) != 3 {
				t.Fatalf("list: %+v %v", list, err)
			}
			if list[2].Kind != consent.Email || list[2].Reason != "unsubscribed" {
				t.Errorf("first reason should stay: %+v", list[2])
			}
			emails, err := consent.ListSuppressions(tx, ws, consent.Email, 0, 10)
			if err != nil || len(emails) != 1 {
				t.Fatalf("list of emails: %+v %v", emails, err)
			}
			var n int
			if err := tx.QueryRow(`SELECT count(*) FROM events WHERE workspace_id = ? AND object_type = 'suppression'`, ws).Scan(&n); err != nil || n != 3 {
				t.Errorf("one event per new suppression: %d %v", n, err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		assertNoClearValue(t, db, "gone@example.com", "442079460958", "spam.example", "GONE")

		write(t, db, func(tx *store.Tx) error {
			return consent.Unsuppress(tx, ws, consent.Email, "gone@EXAMPLE.com", p.Actor())
		})
		err = db.Write(ctx, func(tx *store.Tx) error {
			if ok, err := consent.Suppressed(tx, ws, consent.Email, "gone@example.com"); err != nil || ok {
				t.Errorf("still suppressed after removal: %v %v", ok, err)
			}
			return consent.Unsuppress(tx, ws, consent.Email, "gone@example.com", p.Actor())
		})
		if crm.ErrorCode(err) != crm.NotFound {
			t.Errorf("removing an absent value: %v", err)
		}
	})
}

// TestSuppressionSet: the in-memory list an import checks its rows against
// answers as Suppressed and CheckNewContact do — normalised values, per
// workspace, the first reason — and is nil when nothing is to be checked.
func TestSuppressionSet(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		p := member(t, db, crm.RoleAdmin)
		other := member(t, db, crm.RoleAdmin)
		ws := p.WorkspaceID
		load := func(ws crm.ID) (set *consent.SuppressionSet) {
			t.Helper()
			if err := db.Read(ctx, func(tx *store.Tx) (err error) { set, err = consent.LoadSuppressionSet(tx, ws); return err }); err != nil {
				t.Fatal(err)
			}
			return set
		}
		write(t, db, func(tx *store.Tx) error {
			return consent.Suppress(tx, ws, consent.Domain, "spam.example", "bounced", crm.System)
		})
		if set := load(ws); set != nil {
			t.Fatalf("a list of domains only gives a set of %d", set.Len())
		}
		write(t, db, func(tx *store.Tx) error {
			for _, s := range [][3]string{{"email", "gone@example.com", "erased"}, {"email", "gone@example.com", "unsubscribed"},
				{"email", "left@example.com", "unsubscribed"}, {"phone", "+44 20 7946 0958", "manual"}} {
				if err := consent.Suppress(tx, ws, consent.Kind(s[0]), s[1], s[2], crm.System); err != nil {
					return err
				}
			}
			return consent.Suppress(tx, other.WorkspaceID, consent.Email, "elsewhere@example.com", "bounced", crm.System)
		})
		set := load(ws)
		if set == nil || set.Len() != 3 {
			t.Fatalf("set: %v", set)
		}
		for _, tc := range []struct {
			kind  consent.Kind
			value string
			want  string // the reason, "" for none
		}{
			{consent.Email, " GONE@example.com", "erased"},
			{consent.Email, "left@example.com", "unsubscribed"},
			{consent.Email, "elsewhere@example.com", ""}, // another workspace's
			{consent.Email, "new@example.com", ""},
			{consent.Email, "not an address", ""},
			{consent.Phone, "0044 (20) 7946 0958", "manual"},
			{consent.Phone, "020 7946 0958", ""},  // without the country code: other digits
			{consent.Email, "x@spam.example", ""}, // a domain restricts sending only
		} {
			got := set.Reason(tc.kind, tc.value)
			if tc.want == "" && got != "" || tc.want != "" && !strings.Contains(got, "suppressed ("+tc.want+")") {
				t.Errorf("Reason(%s %q) = %q, want reason %q", tc.kind, tc.value, got, tc.want)
			}
			err := db.Read(ctx, func(tx *store.Tx) error {
				return consent.CheckNewContact(tx, ws, map[bool][]string{true: {tc.value}}[tc.kind == consent.Email],
					map[bool][]string{true: {tc.value}}[tc.kind == consent.Phone])
			})
			if msg := crm.ErrorMessage(err); err != nil && msg != got || err == nil && got != "" {
				t.Errorf("%s %q: CheckNewContact says %q, the set %q", tc.kind, tc.value, msg, got)
			}
		}
		if (*consent.SuppressionSet)(nil).Reason(consent.Email, "gone@example.com") != "" {
			t.Error("a nil set suppresses")
		}
		if set := load(other.WorkspaceID); set == nil || set.Reason(consent.Email, "elsewhere@example.com") == "" {
			t.Error("the other workspace's set misses its own entry")
		}
		write(t, db, func(tx *store.Tx) error {
			s, err := consent.Load(tx, ws)
			if err != nil {
				return err
			}
			s.AllowRecreate = true
			return consent.Save(tx, p, s)
		})
		if set := load(ws); set != nil {
			t.Fatal("re-creation allowed, yet a set to check against")
		}
	})
}

// assertNoClearValue proves that no column of the suppression table, nor
// the events written for it, holds any of the values in clear.
func assertNoClearValue(t *testing.T, db *store.DB, values ...string) {
	t.Helper()
	err := db.Read(context.Background(), func(tx *store.Tx) error {
		rows, err := tx.Unscoped().Query(`SELECT id, workspace_id, kind, hash, reason, actor_type, actor_id, created_at FROM suppressions`)
		if err != nil {
			return err
		}
		defer rows.Close()
		n := 0
		for rows.Next() {
			var id, ws, actor, at int64
			var kind, hash, reason, actorType string
			if err := rows.Scan(&id, &ws, &kind, &hash, &reason, &actorType, &actor, &at); err != nil {
				return err
			}
			n++
			row := strings.ToLower(fmt.Sprint(id, ws, kind, hash, reason, actorType, actor, at))
			for _, v := range values {
				if strings.Contains(row, strings.ToLower(v)) {
					t.Errorf("suppression row holds %q in clear: %s", v, row)
				}
			}
			if len(hash) != 43 {
				t.Errorf("hash %q is not an HMAC-SHA256 in base64url", hash)
			}
		}
		if n == 0 {
			t.Error("no suppression rows to check")
		}
		var changes string
		rows2, err := tx.Unscoped().Query(`SELECT changes FROM events WHERE object_type = 'suppression'`)
		if err != nil {
			return err
		}
		defer rows2.Close()
		for rows2.Next() {
			if err := rows2.Scan(&changes); err != nil {
				return err
			}
			for _, v := range values {
				if strings.Contains(strings.ToLower(changes), strings.ToLower(v)) {
					t.Errorf("suppression event holds %q: %s", v, changes)
				}
			}
		}
		return rows2.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
}

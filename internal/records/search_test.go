package records_test

import (
	"context"
	"strings"
	"testing"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/search"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

func TestSearch(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		p := owner(t, db, crm.RoleAdmin)
		other := owner(t, db, crm.RoleAdmin)
		err := db.Write(ctx, func(tx *store.Tx) error {
			co, err := records.CreateCompany(tx, p, records.NewCompany{Name: "Analytical Engines", Domain: "engines.example"})
			if err != nil {
				return err
			}
			for _, in := range []records.NewContact{
				{FirstName: "Ada", LastName: "Lovelace", Email: "ada@engines.example", Phone: "+44 20 7946 0001", CompanyID: co.ID},
				{FirstName: "John", LastName: "Smith", Email: "john@smith.example"},
				{FirstName: "Zoë", LastName: "Martin", Email: "zoe@example.com"},
			} {
				if _, err := records.CreateContact(tx, p, in); err != nil {
					return err
				}
			}
			_, err = records.CreateContact(tx, other, records.NewContact{FirstName: "Ada", LastName: "Elsewhere"})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		find := func(q string) string {
			var rs []records.Result
			if err := db.Read(ctx, func(tx *store.Tx) (err error) { rs, err = records.Search(tx, p, q, 10); return err }); err != nil {
				t.Fatal(err)
			}
			var ts []string
			for _, r := range rs {
				ts = append(ts, r.Title)
			}
			return strings.Join(ts, "|")
		}
		cases := map[string]string{
			"ada lov":         "Ada Lovelace", // prefixes of two words
			"Lovelase":        "Ada Lovelace", // a typo
			"Jonh Smith":      "John Smith",   // a typo in one of two words
			"ada@engines":     "Ada Lovelace", // email
			"020 7946-0001":   "Ada Lovelace", // phone digits, other formatting
			"engines.example": "Analytical Engines|Ada Lovelace",
			"analytical":      "Analytical Engines", // company name
		}
		for q, want := range cases {
			got := find(q)
			if !strings.HasPrefix(got, strings.Split(want, "|")[0]) || strings.Contains(got, "Elsewhere") {
				t.Errorf("search %q = %q, want %q first (and nothing of another workspace)", q, got, want)
			}
		}
		if got := find("zzzzqqq"); got != "" {
			t.Errorf("nonsense found %q", got)
		}
		// A bulk load is found after Reindex.
		db.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.Exec(`INSERT INTO contacts (id, workspace_id, first_name, last_name, email, created_at, updated_at)
				VALUES (?, ?, 'Grace', 'Hopper', 'grace@navy.example', 0, 0)`, tx.NewID(), p.WorkspaceID)
			if err != nil {
				return err
			}
			_, err = tx.Exec(`INSERT INTO companies (id, workspace_id, name, phone, created_at, updated_at)
				VALUES (?, ?, 'Navy Yard', '+1 (202) 555-0199 ext. 7', 0, 0)`, tx.NewID(), p.WorkspaceID)
			if err != nil {
				return err
			}
			// A second email and phone are in the document too, as records
			// writes it.
			_, err = tx.Exec(`INSERT INTO contacts (id, workspace_id, first_name, last_name, email, emails, phone, phone_digits, phones,
				created_at, updated_at) VALUES (?, ?, 'Mary', 'Jackson', 'mary@nasa.example', ?, '+1 757 555 0101', '17575550101', ?, 0, 0)`,
				tx.NewID(), p.WorkspaceID, `[{"email":"mary@nasa.example"},{"email":"mj@langley.example","label":"home"}]`,
				`[{"phone":"+1 757 555 0101"},{"phone":"(757) 555-0188","label":"mobile"}]`)
			return err
		})
		if err := search.Reindex(ctx, db, p.WorkspaceID); err != nil {
			t.Fatal(err)
		}
		if got := find("hopper"); got != "Grace Hopper" {
			t.Errorf("after reindex: %q", got)
		}
		// Reindex writes what records writes: a company's phone digits
		// (and keeps the other documents', such as Ada's phone).
		if got := find("202-555-0199"); got != "Navy Yard" {
			t.Errorf("company by phone after reindex: %q", got)
		}
		if got := find("020 7946-0001"); got != "Ada Lovelace" {
			t.Errorf("contact by phone after reindex: %q", got)
		}
		for _, q := range []string{"mj@langley", "757 555 0188", "mary@nasa"} {
			if got := find(q); got != "Mary Jackson" {
				t.Errorf("%q after reindex: %q", q, got)
			}
		}
		if err := db.Read(ctx, search.CheckTerms); err != nil {
			t.Fatal(err)
		}
	})
}

// TestPickCompanies: the company picker offers only companies (never the
// contacts that match the same text), only those the asker may see, the
// newest when nothing is typed, names by their start for one or two
// letters, and forgives a typo like search does.
func TestPickCompanies(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		people := visibilityWorkspace(t, db)
		ann, ben, admin := people["ann"], people["ben"], people["admin"]
		err := db.Write(ctx, func(tx *store.Tx) error {
			if _, err := records.CreateCompany(tx, ben, records.NewCompany{Name: "Zelda Works", Domain: "zw.example"}); err != nil {
				return err
			}
			for i := range 30 { // matches crowding the candidates, none a company
				if _, err := records.CreateContact(tx, ann, records.NewContact{FirstName: "Zelda", LastName: strings.Repeat("x", i+1)}); err != nil {
					return err
				}
			}
			_, err := records.CreateCompany(tx, ann, records.NewCompany{Name: "Ann's Zelda Shop", Domains: []string{"shop.example", "zelda-shop.example"}})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		pick := func(p crm.Principal, q string, limit int) string {
			t.Helper()
			var rs []records.Result
			if err := db.Read(ctx, func(tx *store.Tx) (err error) { rs, err = records.PickCompanies(tx, p, q, limit); return err }); err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, r := range rs {
				if r.Type != "company" || r.ID == 0 {
					t.Errorf("picking %q offered %+v", q, r)
				}
				out = append(out, r.Title+" ("+r.Subtitle+")")
			}
			return strings.Join(out, "; ")
		}
		for _, c := range []struct {
			who   crm.Principal
			q     string
			limit int
			want  string
			first bool // want is only the best match
		}{
			{ann, "zelda", 5, "Ann's Zelda Shop (shop.example, zelda-shop.example)", false},
			{ann, "", 5, "Ann's Zelda Shop (shop.example, zelda-shop.example)", false},
			{ann, "zw.example", 5, "", false},
			{admin, "", 5, "Ann's Zelda Shop (shop.example, zelda-shop.example); Zelda Works (zw.example)", false},
			{admin, "", 1, "Ann's Zelda Shop (shop.example, zelda-shop.example)", false},
			{admin, "zw.example", 5, "Zelda Works (zw.example)", false},
			{admin, "Zelad Works", 5, "Zelda Works (zw.example)", true},
			{ben, "  zelda ", 5, "Zelda Works (zw.example)", false},
			// Shorter than a trigram: names that start with it, any case.
			{admin, "z", 5, "Zelda Works (zw.example)", false},
			{admin, "aN", 5, "Ann's Zelda Shop (shop.example, zelda-shop.example)", false},
			{ann, "ze", 5, "", false},
			{admin, "%", 5, "", false},
			{admin, "_n", 5, "", false},
		} {
			got := pick(c.who, c.q, c.limit)
			if c.first {
				got, _, _ = strings.Cut(got, "; ")
			}
			if got != c.want {
				t.Errorf("%s picks %q: %q, want %q", c.who.Name, c.q, got, c.want)
			}
		}
		err = db.Read(ctx, func(tx *store.Tx) error {
			_, err := records.PickCompanies(tx, admin, strings.Repeat("a", 201), 5)
			return err
		})
		if crm.ErrorCode(err) != crm.Invalid {
			t.Errorf("a 201-character query: %v", err)
		}
	})
}

// TestPickContacts: a contact picker offers the newest contacts for
// nothing typed and search's contact hits for a text (names, emails, phone
// digits, typos), never a company and only contacts the member may see.
func TestPickContacts(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		people := visibilityWorkspace(t, db)
		ann, ben, admin := people["ann"], people["ben"], people["admin"]
		err := db.Write(ctx, func(tx *store.Tx) error {
			co, err := records.CreateCompany(tx, ann, records.NewCompany{Name: "Zelda Works", Domain: "zw.example"})
			if err != nil {
				return err
			}
			if _, err := records.CreateContact(tx, ann, records.NewContact{FirstName: "Zelda", LastName: "Fitz", Email: "zf@zw.example", CompanyID: co.ID}); err != nil {
				return err
			}
			if _, err := records.CreateContact(tx, ben, records.NewContact{FirstName: "Zeno", LastName: "Marsh", Phone: "+44 20 7946 0018"}); err != nil {
				return err
			}
			_, err = records.CreateContact(tx, ann, records.NewContact{Email: "nameless@zw.example"})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		pick := func(p crm.Principal, q string) string {
			t.Helper()
			var rs []records.Result
			if err := db.Read(ctx, func(tx *store.Tx) (err error) { rs, err = records.PickContacts(tx, p, q, 5); return err }); err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, r := range rs {
				if r.Type != "contact" || r.ID == 0 {
					t.Errorf("picking %q offered %+v", q, r)
				}
				out = append(out, r.Title+" ("+r.Subtitle+")")
			}
			return strings.Join(out, "; ")
		}
		for _, c := range []struct {
			who     crm.Principal
			q, want string
		}{
			{ann, "", " (nameless@zw.example); Zelda Fitz (zf@zw.example · Zelda Works)"},
			{admin, "", " (nameless@zw.example); Zeno Marsh (); Zelda Fitz (zf@zw.example · Zelda Works)"},
			{ann, "zelda", "Zelda Fitz (zf@zw.example · Zelda Works)"},
			{ann, "marsh", ""},
			{ben, "marsh", "Zeno Marsh ()"},
			{ben, "7946 0018", "Zeno Marsh ()"},
			{ben, "nameless", ""},
			{ann, "NAMELESS@zw", " (nameless@zw.example)"},
			{admin, "zw.example", " (nameless@zw.example); Zelda Fitz (zf@zw.example · Zelda Works)"},
		} {
			if got := pick(c.who, c.q); got != c.want {
				t.Errorf("%s picks %q: %q, want %q", c.who.Name, c.q, got, c.want)
			}
		}
		err = db.Read(ctx, func(tx *store.Tx) error {
			_, err := records.PickContacts(tx, admin, strings.Repeat("a", 201), 5)
			return err
		})
		if crm.ErrorCode(err) != crm.Invalid {
			t.Errorf("a 201-character query: %v", err)
		}
	})
}

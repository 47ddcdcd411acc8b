package privacy_test

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/riverqueue/river"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/audit"
	"github.com/tandemcrm/tandem/internal/consent"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/files"
	"github.com/tandemcrm/tandem/internal/jobs"
	"github.com/tandemcrm/tandem/internal/notes"
	"github.com/tandemcrm/tandem/internal/privacy"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/search"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
	"github.com/tandemcrm/tandem/internal/sysmail"
)

// The person of the proof: distinctive enough that any trace is theirs.
const (
	email1   = "zelda.quixotic@example.net"
	email2   = "zq-home@example.org"
	phone    = "+44 20 7946 0958"
	digitsPh = "442079460958"
	fullName = "Zelda Quixotic"
	lastName = "Quixotic"
)

var needles = []string{email1, email2, phone, digitsPh, fullName, lastName}

type personArgs struct {
	WorkspaceID crm.ID `json:"workspace_id"`
	ContactID   crm.ID `json:"contact_id"`
	Email       string `json:"email"`
}

func (personArgs) Kind() string { return "test.person" }

type personWorker struct {
	river.WorkerDefaults[personArgs]
}

func (personWorker) Work(context.Context, *river.Job[personArgs]) error { return nil }

type fixture struct {
	db       *store.DB
	p        crm.Principal
	sv       privacy.Service
	runner   *jobs.Runner
	contact  crm.ID
	filePath string
	suppress []string
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

func newFixture(t *testing.T, db *store.DB) *fixture {
	t.Helper()
	audit.Install(db) // changes are audited, as in the server: erasure must cope with those entries too
	f := &fixture{db: db, p: owner(t, db, crm.RoleOwner)}
	reg := jobs.NewRegistry()
	sysmail.Register(reg, db, nil, nil)
	jobs.Register(reg, personWorker{})
	var err error
	if f.runner, err = jobs.New(db, reg, nil, jobs.Options{}); err != nil {
		t.Fatal(err)
	}
	f.sv = privacy.Service{Registry: privacy.Default(), FilesDir: t.TempDir(), BaseURL: "http://tandem.test",
		Suppress: func(tx *store.Tx, ws crm.ID, kind, value, reason string, actor crm.Actor) error {
			f.suppress = append(f.suppress, kind+":"+value)
			return privacy.ConsentSuppress(tx, ws, kind, value, reason, actor)
		},
		Mail: func(tx *store.Tx, ws crm.ID, to, subject, text, key string) error {
			_, err := sysmail.Queue(tx, f.runner, sysmail.Message{WorkspaceID: ws, To: to, Subject: subject, Text: text}, key)
			return err
		}}
	return f
}

func (f *fixture) write(t *testing.T, fn func(tx *store.Tx) error) {
	t.Helper()
	if err := f.db.Write(context.Background(), fn); err != nil {
		t.Fatal(err)
	}
}

// person creates the person with data in every registered kind, plus data
// that merely names them on other records.
func (f *fixture) person(t *testing.T) {
	p := f.p
	f.write(t, func(tx *store.Tx) error {
		co, err := records.CreateCompany(tx, p, records.NewCompany{Name: fullName + " Consulting"})
		if err != nil {
			return err
		}
		c, err := records.CreateContact(tx, p, records.NewContact{FirstName: "Zelda", LastName: lastName, CompanyID: co.ID,
			Emails: []records.EmailAddr{{Email: email1}, {Email: email2, Label: "home"}}, Phone: phone, Title: "Buyer"})
		if err != nil {
			return err
		}
		f.contact = c.ID
		ns := notes.Service{R: notes.NewRenderer()}
		if _, err := ns.Create(tx, p, "contact", c.ID, "Met her at the fair; prefers calls.", false); err != nil {
			return err
		}
		if _, err := ns.Create(tx, p, "company", co.ID, "Ask "+fullName+" ("+email1+") about the renewal.", false); err != nil {
			return err
		}
		fl, err := files.Store{Dir: f.sv.FilesDir}.Save(tx, p, "contact", c.ID, "passport-"+lastName+".txt",
			strings.NewReader("scan of the passport of "+fullName))
		if err != nil {
			return err
		}
		_ = fl
		if _, err := audit.Record(tx, audit.Entry{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), Action: audit.RecordViewed,
			ObjectType: "contact", ObjectID: c.ID, UserAgent: "test", Details: map[string]any{"email": email1}}); err != nil {
			return err
		}
		if _, err := sysmail.Queue(tx, f.runner, sysmail.Message{WorkspaceID: p.WorkspaceID, To: email1,
			Subject: "Your quote", Text: "Hello " + fullName + ", here is your quote."}, "quote:1"); err != nil {
			return err
		}
		if err := f.runner.Enqueue(tx, personArgs{WorkspaceID: p.WorkspaceID, ContactID: c.ID, Email: email2}, nil); err != nil {
			return err
		}
		pl, st, now := tx.NewID(), tx.NewID(), store.Micros(tx.Now)
		if _, err := tx.Exec(`INSERT INTO pipelines (id, workspace_id, name, created_at, updated_at) VALUES (?, ?, 'Sales', ?, ?)`,
			pl, p.WorkspaceID, now, now); err != nil {
			return err
		}
		if _, err := tx.Exec(`INSERT INTO stages (id, workspace_id, pipeline_id, name, created_at, updated_at) VALUES (?, ?, ?, 'New', ?, ?)`,
			st, p.WorkspaceID, pl, now, now); err != nil {
			return err
		}
		if _, err := tx.Exec(`INSERT INTO deals (id, workspace_id, title, pipeline_id, stage_id, contact_id, company_id, stage_entered_at, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, tx.NewID(), p.WorkspaceID, "Licence for "+fullName, pl, st, c.ID, co.ID, now, now, now); err != nil {
			return err
		}
		for _, a := range []struct {
			contact crm.ID
			title   string
		}{{c.ID, "Call back"}, {0, "Send " + email2 + " the brochure"}} {
			if _, err := tx.Exec(`INSERT INTO activities (id, workspace_id, type, title, contact_id, created_at, updated_at) VALUES (?, ?, 'task', ?, ?, ?, ?)`,
				tx.NewID(), p.WorkspaceID, a.title, a.contact, now, now); err != nil {
				return err
			}
		}
		// A deal and a meeting the person takes part in without being the
		// primary contact, a reminder naming them, and a former employer.
		other, meeting := tx.NewID(), tx.NewID()
		for _, q := range []struct {
			sql  string
			args []any
		}{
			{`INSERT INTO deals (id, workspace_id, title, pipeline_id, stage_id, contact_id, company_id, stage_entered_at, created_at, updated_at)
				VALUES (?, ?, 'Renewal', ?, ?, 0, 0, ?, ?, ?)`, []any{other, p.WorkspaceID, pl, st, now, now, now}},
			{`INSERT INTO deal_contacts (workspace_id, deal_id, contact_id, role, created_at) VALUES (?, ?, ?, 'champion', ?)`,
				[]any{p.WorkspaceID, other, c.ID, now}},
			{`INSERT INTO activities (id, workspace_id, type, title, contact_id, created_at, updated_at) VALUES (?, ?, 'meeting', 'Demo', 0, ?, ?)`,
				[]any{meeting, p.WorkspaceID, now, now}},
			{`INSERT INTO activity_contacts (workspace_id, activity_id, contact_id, role) VALUES (?, ?, ?, 'required')`,
				[]any{p.WorkspaceID, meeting, c.ID}},
			{`INSERT INTO notifications (id, workspace_id, user_id, kind, title, body, dedupe_key, created_at) VALUES (?, ?, ?, 'reminder', ?, '', 'r1', ?)`,
				[]any{tx.NewID(), p.WorkspaceID, p.UserID, "Call " + fullName, now}},
			{`INSERT INTO contact_companies (id, workspace_id, contact_id, company_id, title, created_at) VALUES (?, ?, ?, ?, 'Analyst', ?)`,
				[]any{tx.NewID(), p.WorkspaceID, c.ID, co.ID, now}},
			{`INSERT INTO import_before (workspace_id, import_id, object_type, object_id, before, after_version) VALUES (?, 1, 'contact', ?, ?, 2)`,
				[]any{p.WorkspaceID, c.ID, `{"email":"` + email1 + `","last_name":"` + lastName + `"}`}},
			{`INSERT INTO import_issues (id, workspace_id, import_id, line, action, column_name, value, message) VALUES (?, ?, 1, 7, 'warning', 'Email', ?, 'duplicate in the file')`,
				[]any{tx.NewID(), p.WorkspaceID, email2}},
			{`INSERT INTO import_stage_contacts (id, workspace_id, import_id, first_name, last_name, email, emails, phone, phone_digits,
				phones, title, company_id, owner_id, lifecycle, source, tags, custom, external_id, created_by, updated_by, created_at,
				updated_at, version) VALUES (?, ?, 1, 'Zelda', ?, ?, ?, '', '', '[]', '', 0, 0, 'lead', '', '[]', '{}', '', 0, 0, ?, ?, 1)`,
				[]any{tx.NewID(), p.WorkspaceID, lastName, email2, `[{"email":"` + email2 + `"}]`, now, now}},
		} {
			if _, err := tx.Exec(q.sql, q.args...); err != nil {
				return err
			}
		}
		if _, err := consent.Record(tx, p.WorkspaceID, c.ID, consent.Entry{Purpose: "marketing_email", Status: "granted",
			Source: "form", IP: "203.0.113.9", UserAgent: "Firefox"}, p.Actor()); err != nil {
			return err
		}
		if _, err := f.sv.CreateRequest(tx, p, privacy.NewRequest{Type: "erasure", Email: email1, Name: fullName,
			Details: "Please also forget " + email2}); err != nil {
			return err
		}
		return privacy.SetHold(tx, p, c.ID, "Tax audit 2026")
	})
	err := f.db.Read(context.Background(), func(tx *store.Tx) error {
		fs, err := files.List(tx, p.WorkspaceID, "contact", f.contact)
		if err != nil || len(fs) != 1 {
			return fmt.Errorf("files: %v %v", fs, err)
		}
		entries, _ := os.ReadDir(filepath.Join(f.sv.FilesDir, p.WorkspaceID.String()))
		if len(entries) != 1 {
			return fmt.Errorf("expected one file on disk, found %d", len(entries))
		}
		f.filePath = filepath.Join(f.sv.FilesDir, p.WorkspaceID.String(), entries[0].Name())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestEraseLeavesNoTrace(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		f.person(t)
		p := f.p
		f.write(t, func(tx *store.Tx) error {
			got, _, err := audit.List(tx, p.WorkspaceID, audit.Filter{Action: audit.RecordCreated, ObjectType: "contact", ObjectID: f.contact}, 10, 0)
			if err == nil && len(got) != 1 {
				t.Errorf("the contact's creation was not audited: %+v", got)
			}
			return err
		})

		// Under legal hold: refused, with the reason, and nothing changes.
		err := db.Write(ctx, func(tx *store.Tx) error { _, err := f.sv.Erase(tx, p, f.contact); return err })
		if crm.ErrorCode(err) != crm.Conflict || !strings.Contains(crm.ErrorMessage(err), "Tax audit 2026") {
			t.Fatalf("erase under hold: %v", err)
		}
		f.write(t, func(tx *store.Tx) error { return privacy.SetHold(tx, p, f.contact, "") })

		// Only owners and admins erase.
		member := p
		member.Role = crm.RoleMember
		err = db.Write(ctx, func(tx *store.Tx) error { _, err := f.sv.Erase(tx, member, f.contact); return err })
		if crm.ErrorCode(err) != crm.Forbidden {
			t.Fatalf("member erase: %v", err)
		}

		// The export holds every kind; the zip has JSON, CSV, the file and a README.
		var zipped bytes.Buffer
		f.write(t, func(tx *store.Tx) error { _, err := f.sv.Export(tx, p, f.contact, &zipped); return err })
		names := zipNames(t, zipped.Bytes())
		for _, want := range []string{"README.txt", "contacts.json", "contacts.csv", "notes.json", "events.json", "deals.json",
			"activities.json", "outbox.json", "privacy_requests.json", "audit_log.json", "consent.json"} {
			if !names[want] {
				t.Errorf("export lacks %s (has %v)", want, names)
			}
		}
		if !strings.Contains(zipText(t, zipped.Bytes(), "contacts.json"), email2) {
			t.Error("contacts.json lacks the second address")
		}
		var att string
		for n := range names {
			if strings.HasPrefix(n, "attachments/") {
				att = n
			}
		}
		if !strings.Contains(zipText(t, zipped.Bytes(), att), "scan of the passport") {
			t.Errorf("attachment %q missing from the bundle", att)
		}

		var preview privacy.Report
		err = db.Read(ctx, func(tx *store.Tx) (err error) { preview, err = f.sv.Preview(tx, p, f.contact); return err })
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range preview.Counts {
			if c.Rows == 0 && c.Kind != "legal_holds" && c.Kind != "suppressions" {
				t.Errorf("the fixture has no data in kind %s: the proof would not cover it", c.Kind)
			}
		}

		var done privacy.Report
		f.write(t, func(tx *store.Tx) (err error) { done, err = f.sv.Erase(tx, p, f.contact); return err })
		f.write(t, search.CheckTerms) // the document went with its trigrams
		for i, c := range done.Counts {
			if c != preview.Counts[i] {
				t.Errorf("kind %s: preview said %d, erasure did %d", c.Kind, preview.Counts[i].Rows, c.Rows)
			}
		}
		if strings.Join(f.suppress, ",") != "email:"+email1+",email:"+email2+",phone:"+phone || done.Suppressed != 3 {
			t.Errorf("suppressed %v (%d)", f.suppress, done.Suppressed)
		}
		// The suppression list now refuses the addresses and the number.
		f.write(t, func(tx *store.Tx) error {
			for _, x := range []struct {
				k consent.Kind
				v string
			}{{consent.Email, email1}, {consent.Email, strings.ToUpper(email2)}, {consent.Phone, phone}} {
				if ok, err := consent.Suppressed(tx, p.WorkspaceID, x.k, x.v); err != nil || !ok {
					t.Errorf("%s %s not suppressed: %v", x.k, x.v, err)
				}
			}
			return nil
		})
		err = db.Read(ctx, func(tx *store.Tx) error { _, err := records.GetContact(tx, p.WorkspaceID, f.contact); return err })
		if crm.ErrorCode(err) != crm.NotFound {
			t.Fatalf("contact after erasure: %v", err)
		}
		if _, err := os.Stat(f.filePath); !os.IsNotExist(err) {
			t.Errorf("attachment still on disk: %v", err)
		}
		// The audit chain still verifies after pseudonymisation.
		err = db.Read(ctx, func(tx *store.Tx) error {
			n, bad, err := audit.Verify(tx, p.WorkspaceID)
			if err == nil && (bad != 0 || n < 3) {
				err = fmt.Errorf("audit chain: %d checked, first bad %d", n, bad)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		assertNoTrace(t, db)
	})
}

// assertNoTrace scans every text column of every table, and on SQLite every
// byte of the vacuumed database file, for the person's identifiers.
func assertNoTrace(t *testing.T, db *store.DB) {
	t.Helper()
	ctx := context.Background()
	err := db.Read(ctx, func(tx *store.Tx) error {
		tables, err := privacy.SchemaTables(tx)
		if err != nil {
			return err
		}
		for _, tb := range tables {
			cols, err := textColumns(tx, tb)
			if err != nil {
				return err
			}
			for _, col := range cols {
				for _, n := range needles {
					var hits int
					q := `SELECT COUNT(*) FROM "` + tb + `" WHERE lower(CAST("` + col + `" AS TEXT)) LIKE ?`
					if err := tx.Unscoped().QueryRow(q, "%"+strings.ToLower(n)+"%").Scan(&hits); err != nil {
						return fmt.Errorf("%s.%s: %w", tb, col, err)
					}
					if hits > 0 {
						t.Errorf("%s.%s still holds %q in %d row(s)", tb, col, n, hits)
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if db.Dialect() != store.SQLite {
		return
	}
	for _, q := range []string{`VACUUM`, `PRAGMA wal_checkpoint(TRUNCATE)`} {
		if _, err := db.SQLDB().ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	for _, path := range []string{db.Path(), db.Path() + "-wal"} {
		b, err := os.ReadFile(path)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		b = bytes.ToLower(b)
		for _, n := range needles {
			if i := bytes.Index(b, []byte(strings.ToLower(n))); i >= 0 {
				lo, hi := max(i-60, 0), min(i+60, len(b))
				t.Errorf("%s holds %q at byte %d: %q", filepath.Base(path), n, i, b[lo:hi])
			}
		}
	}
}

func textColumns(tx *store.Tx, table string) ([]string, error) {
	q := `SELECT name FROM pragma_table_info(?) WHERE type NOT IN ('INTEGER', 'BIGINT', 'REAL')`
	if tx.Dialect() == store.Postgres {
		q = `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ?
			AND data_type IN ('text', 'character varying', 'json', 'jsonb', 'bytea', 'character')`
	}
	rows, err := tx.Query(q, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func zipNames(t *testing.T, b []byte) map[string]bool {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, f := range zr.File {
		out[f.Name] = true
	}
	return out
}

func zipText(t *testing.T, b []byte, name string) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == name {
			r, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			data, _ := io.ReadAll(r)
			return string(data)
		}
	}
	return ""
}

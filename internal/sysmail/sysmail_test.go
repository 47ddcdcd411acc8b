package sysmail_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/jobs"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
	"github.com/tandemcrm/tandem/internal/sysmail"
)

func TestMain(m *testing.M) { testdb.Main(m) }

const smtpPass = "pa55-w0rd-never-logged"

// syncBuffer is a log sink that workers and the test may use together.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// start builds a runner with the sysmail worker; it is started by the caller
// after queuing, so that queued jobs are picked up on start.
func newRunner(t *testing.T, db *store.DB, sender sysmail.Sender, logs *syncBuffer) *jobs.Runner {
	t.Helper()
	log := slog.New(slog.NewTextHandler(logs, nil))
	reg := jobs.NewRegistry()
	sysmail.Register(reg, db, sender, log)
	r, err := jobs.New(db, reg, log, jobs.Options{PollInterval: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = r.Stop(ctx)
	})
	return r
}

func queue(t *testing.T, db *store.DB, r *jobs.Runner, msg sysmail.Message, key string) crm.ID {
	t.Helper()
	var id crm.ID
	if err := db.Write(context.Background(), func(tx *store.Tx) error {
		var err error
		id, err = sysmail.Queue(tx, r, msg, key)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return id
}

// waitFor polls the outbox row until its status is want.
func waitFor(t *testing.T, db *store.DB, ws, id crm.ID, want string) sysmail.Item {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		var it sysmail.Item
		err := db.Read(context.Background(), func(tx *store.Tx) error {
			items, err := sysmail.List(tx, ws, 100)
			for _, x := range items {
				if x.ID == id {
					it = x
				}
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if it.Status == want {
			return it
		}
		if time.Now().After(deadline) {
			t.Fatalf("outbox %d status %q (error %q), want %q", id, it.Status, it.Error, want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// completedJobs counts finished delivery jobs (River's table has no
// workspace_id, so the scope guard lets this through).
func completedJobs(t *testing.T, db *store.DB) int {
	t.Helper()
	var n int
	if err := db.Read(context.Background(), func(tx *store.Tx) error {
		return tx.QueryRow(`SELECT COUNT(*) FROM river_job WHERE kind = 'sysmail.deliver' AND state = 'completed'`).Scan(&n)
	}); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestSendsOnceOverSMTP(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		srv := startServer(t, "tandem", smtpPass)
		srv.failNext = 1 // the first attempt fails; the retry delivers
		sender, err := sysmail.NewSMTP("smtp://tandem:"+smtpPass+"@"+srv.addr+"?tls=none&auth=plain", "Tandem <tandem@example.test>")
		if err != nil {
			t.Fatal(err)
		}
		logs := &syncBuffer{}
		r := newRunner(t, db, sender, logs)
		ws := db.NewID()
		msg := sysmail.Message{WorkspaceID: ws, To: "ann@example.test", Subject: "You are invited",
			Text: "Join us: https://tandem.example.test/invite/abc", HTML: "<p>Join us</p>"}
		id := queue(t, db, r, msg, "invite:1")
		if again := queue(t, db, r, msg, "invite:1"); again != id {
			t.Fatalf("same idempotency key queued a second message %d", again)
		}
		// A duplicate job for the same row, as after a retry or a rescue.
		if err := db.Write(context.Background(), func(tx *store.Tx) error {
			return r.Enqueue(tx, sysmail.DeliverArgs{OutboxID: id, WorkspaceID: ws}, nil)
		}); err != nil {
			t.Fatal(err)
		}
		if err := r.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		defer func() {
			if t.Failed() {
				t.Log(logs.String())
			}
		}()
		it := waitFor(t, db, ws, id, sysmail.Sent)
		// And one more run after delivery: it must find the row sent.
		if err := db.Write(context.Background(), func(tx *store.Tx) error {
			return r.Enqueue(tx, sysmail.DeliverArgs{OutboxID: id, WorkspaceID: ws}, nil)
		}); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(10 * time.Second)
		for completedJobs(t, db) < 2 && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
		}
		got := srv.messages()
		if len(got) != 1 {
			t.Fatalf("server received %d messages, want 1", len(got))
		}
		m := got[0]
		if len(m.To) != 1 || m.To[0] != "ann@example.test" || m.From != "tandem@example.test" {
			t.Fatalf("envelope from %q to %v", m.From, m.To)
		}
		for _, want := range []string{"Subject: You are invited", "https://tandem.example.test/invite/abc",
			"text/html", "Message-ID: <" + id.String() + ".outbox@example.test>"} {
			if !strings.Contains(m.Data, want) {
				t.Errorf("message lacks %q:\n%s", want, m.Data)
			}
		}
		if it.Attempts != 2 || it.Error != "" || it.SentAt.IsZero() {
			t.Errorf("row attempts=%d error=%q sentAt=%v; want 2 attempts (one refused), no error", it.Attempts, it.Error, it.SentAt)
		}
		if strings.Contains(logs.String(), smtpPass) {
			t.Fatal("the SMTP password appears in the log")
		}
	})
}

func TestWithoutSMTPLogsAndMarksLogged(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		logs := &syncBuffer{}
		r := newRunner(t, db, nil, logs)
		id := queue(t, db, r, sysmail.Message{To: "bob@example.test", Subject: "Reset your password",
			Text: "Use https://tandem.example.test/reset/xyz within one hour."}, "reset:9")
		if err := r.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		it := waitFor(t, db, 0, id, sysmail.Logged)
		if it.Attempts != 1 || it.SentAt.IsZero() || it.To != "bob@example.test" {
			t.Fatalf("row = %+v", it)
		}
		out := logs.String()
		for _, want := range []string{"Reset your password", "bob@example.test", "https://tandem.example.test/reset/xyz"} {
			if !strings.Contains(out, want) {
				t.Errorf("log lacks %q:\n%s", want, out)
			}
		}
		if n := strings.Count(out, "no TANDEM_SMTP_URL"); n != 1 {
			t.Errorf("message logged %d times, want once", n)
		}
	})
}

func TestQueueIsTransactionalAndScoped(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		r := newRunner(t, db, nil, &syncBuffer{})
		ws, other := db.NewID(), db.NewID()
		msg := sysmail.Message{WorkspaceID: ws, To: "ann@example.test", Subject: "Hi", Text: "Hello"}
		rollback := errors.New("rollback")
		err := db.Write(ctx, func(tx *store.Tx) error {
			if _, err := sysmail.Queue(tx, r, msg, "k"); err != nil {
				return err
			}
			return rollback
		})
		if !errors.Is(err, rollback) {
			t.Fatal(err)
		}
		queue(t, db, r, msg, "k")
		msg.WorkspaceID = other
		queue(t, db, r, msg, "k") // same key in another workspace is another message
		err = db.Read(ctx, func(tx *store.Tx) error {
			items, err := sysmail.List(tx, ws, 10)
			if err != nil || len(items) != 1 || items[0].Status != sysmail.Queued {
				t.Errorf("workspace outbox = %+v, %v; want one queued message", items, err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, bad := range []sysmail.Message{
			{To: "not an address", Subject: "x", Text: "x"},
			{To: "a@example.test\r\nBcc: b@example.test", Subject: "x", Text: "x"},
			{To: "a@example.test", Subject: "x\r\nBcc: b@example.test", Text: "x"},
			{To: "a@example.test", Subject: "", Text: "x"},
		} {
			if err := db.Write(ctx, func(tx *store.Tx) error {
				_, err := sysmail.Queue(tx, r, bad, "")
				return err
			}); err == nil {
				t.Errorf("Queue accepted %+v", bad)
			}
		}
	})
}

func TestNewSMTPKeepsPasswordOutOfErrors(t *testing.T) {
	for _, u := range []string{
		"smtp://u:" + smtpPass + "@mail.example.test?tls=bogus",
		"smtp://u:" + smtpPass + "@mail.example.test?auth=bogus",
		"smtp://u:" + smtpPass + "@mail.example.test:99999",
		"http://u:" + smtpPass + "@mail.example.test",
		"smtp://u:" + smtpPass + "@mail.example.test?from=nobody",
	} {
		_, err := sysmail.NewSMTP(u, "")
		if err == nil || strings.Contains(err.Error(), smtpPass) {
			t.Errorf("NewSMTP: err = %v", err)
		}
	}
	s, err := sysmail.NewSMTP("smtps://u:"+smtpPass+"@mail.example.test", "tandem@example.test")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(s.String(), smtpPass) {
		t.Fatal("String shows the password")
	}
}

// A row left "sending" by a worker that died is sent again once the claim
// is older than the lease; a fresh claim is left to its owner.
func TestStaleClaimIsRetaken(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		srv := startServer(t, "tandem", smtpPass)
		sender, err := sysmail.NewSMTP("smtp://tandem:"+smtpPass+"@"+srv.addr+"?tls=none&auth=plain&from=tandem@example.test", "")
		if err != nil {
			t.Fatal(err)
		}
		r := newRunner(t, db, sender, &syncBuffer{})
		ws := db.NewID()
		stale := queue(t, db, r, sysmail.Message{WorkspaceID: ws, To: "a@example.test", Subject: "stale", Text: "x"}, "a")
		fresh := queue(t, db, r, sysmail.Message{WorkspaceID: ws, To: "b@example.test", Subject: "fresh", Text: "x"}, "b")
		if err := db.Write(context.Background(), func(tx *store.Tx) error {
			now := store.Micros(tx.Now)
			for id, claimed := range map[crm.ID]int64{stale: now - (16 * time.Minute).Microseconds(), fresh: now} {
				if _, err := tx.Exec(`UPDATE outbox SET status = 'sending', attempts = 1, claimed_at = ?
					WHERE workspace_id = ? AND id = ?`, claimed, ws, id); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if err := r.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		if it := waitFor(t, db, ws, stale, sysmail.Sent); it.Attempts != 2 {
			t.Fatalf("stale row attempts = %d, want 2", it.Attempts)
		}
		time.Sleep(300 * time.Millisecond)
		waitFor(t, db, ws, fresh, sysmail.Sending)
		if got := srv.messages(); len(got) != 1 || !strings.Contains(got[0].Data, "Subject: stale") {
			t.Fatalf("server received %d messages, want only the stale one", len(got))
		}
	})
}

// TestAttachmentOverSMTP: an outbox row's text attachment (an invitation's
// .ics) arrives as a MIME part with its name and content type.
func TestAttachmentOverSMTP(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		srv := startServer(t, "tandem", smtpPass)
		sender, err := sysmail.NewSMTP("smtp://tandem:"+smtpPass+"@"+srv.addr+"?tls=none&auth=plain", "Tandem <tandem@example.test>")
		if err != nil {
			t.Fatal(err)
		}
		r := newRunner(t, db, sender, &syncBuffer{})
		ws := db.NewID()
		ics := "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"
		id := queue(t, db, r, sysmail.Message{WorkspaceID: ws, To: "ada@example.test", Subject: "Invitation: Demo", Text: "Join us",
			Attachment: &sysmail.Attachment{Name: "invite.ics", ContentType: "text/calendar; method=REQUEST; charset=UTF-8", Body: ics}}, "invite:9")
		if err := r.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		waitFor(t, db, ws, id, sysmail.Sent)
		got := srv.messages()
		if len(got) != 1 {
			t.Fatalf("%d messages", len(got))
		}
		for _, want := range []string{"text/calendar", "method=REQUEST", `filename="invite.ics"`, "Join us"} {
			if !strings.Contains(got[0].Data, want) {
				t.Errorf("message lacks %q:\n%s", want, got[0].Data)
			}
		}
	})
}

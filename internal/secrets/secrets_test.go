package secrets_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/tandemcrm/tandem/internal/secrets"
)

func testKey(t *testing.T, seed byte) *secrets.Key {
	t.Helper()
	k, err := secrets.ParseKey(base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{seed}, 32)))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestSealOpenRoundTrip(t *testing.T) {
	k := testKey(t, 1)
	for _, pt := range []string{"", "hunter2", strings.Repeat("é", 5000)} {
		sealed, err := k.SealString("mailbox.password", pt)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(sealed, "v1:") || (pt != "" && strings.Contains(sealed, pt)) {
			t.Fatalf("sealed = %.40q", sealed)
		}
		got, err := k.OpenString("mailbox.password", sealed)
		if err != nil || got != pt {
			t.Fatalf("Open = %.20q, %v; want %.20q", got, err, pt)
		}
	}
	a, _ := k.SealString("x", "same")
	b, _ := k.SealString("x", "same")
	if a == b {
		t.Fatal("two seals of one plaintext are equal: nonce reused")
	}
}

func TestOpenFailsClearly(t *testing.T) {
	k := testKey(t, 1)
	sealed, err := k.SealString("webhook.secret", "s3cret")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(sealed, "v1:"))
	flipped := func(i int) string {
		c := bytes.Clone(raw)
		c[i] ^= 1
		return "v1:" + base64.StdEncoding.EncodeToString(c)
	}
	cases := map[string]struct {
		key     *secrets.Key
		context string
		value   string
	}{
		"wrong context":    {k, "mailbox.password", sealed},
		"wrong key":        {testKey(t, 2), "webhook.secret", sealed},
		"flipped nonce":    {k, "webhook.secret", flipped(0)},
		"flipped body":     {k, "webhook.secret", flipped(len(raw) - 20)},
		"flipped tag":      {k, "webhook.secret", flipped(len(raw) - 1)},
		"truncated":        {k, "webhook.secret", sealed[:len(sealed)-8]},
		"not base64":       {k, "webhook.secret", "v1:***"},
		"too short":        {k, "webhook.secret", "v1:AAAA"},
		"unknown format":   {k, "webhook.secret", "v9:" + sealed[3:]},
		"missing prefix":   {k, "webhook.secret", sealed[3:]},
		"empty context":    {k, "", sealed},
		"plaintext stored": {k, "webhook.secret", "s3cret"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			got, err := c.key.OpenString(c.context, c.value)
			if err == nil {
				t.Fatalf("Open succeeded with %q", got)
			}
			if strings.Contains(err.Error(), "s3cret") {
				t.Fatalf("error leaks the plaintext: %v", err)
			}
		})
	}
	if _, err := testKey(t, 2).Open("webhook.secret", sealed); !errors.Is(err, secrets.ErrOpen) {
		t.Fatalf("wrong key: %v, want ErrOpen", err)
	}
}

func TestHash(t *testing.T) {
	k := testKey(t, 1)
	h1, err := k.Hash("suppression.email", "ann@example.com")
	if err != nil {
		t.Fatal(err)
	}
	h2, _ := k.Hash("suppression.email", "ann@example.com")
	other, _ := k.Hash("suppression.phone", "ann@example.com")
	otherKey, _ := testKey(t, 2).Hash("suppression.email", "ann@example.com")
	if h1 != h2 {
		t.Fatal("hash is not deterministic")
	}
	if h1 == other || h1 == otherKey {
		t.Fatal("hash does not depend on context and key")
	}
	if _, err := k.Hash("", "x"); err == nil {
		t.Fatal("empty context accepted")
	}
}

// TestHashStable pins Hash's output: the suppression list stores these
// hashes, so a change of derivation or encoding would silently un-suppress
// every address on it. The value was computed by the code that wrote the
// first lists.
func TestHashStable(t *testing.T) {
	h, err := testKey(t, 1).Hash("consent.suppression.email", "1\x00ann@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if want := "mpUC0hIbEaetadGkVml-npTB1HW0i9oV4cWIKc1K2Ec"; h != want {
		t.Fatalf("Hash = %s, want %s", h, want)
	}
}

// TestHasher: the reusable function gives Hash's sums, for any identifier,
// from several goroutines at once.
func TestHasher(t *testing.T) {
	k := testKey(t, 1)
	h, err := k.Hasher("consent.suppression.email")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := k.Hasher(""); err == nil {
		t.Fatal("empty context accepted")
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				id := fmt.Sprintf("%d\x00user%d@example.com", g, i)
				sum := h(id)
				want, _ := k.Hash("consent.suppression.email", id)
				if got := base64.RawURLEncoding.EncodeToString(sum[:]); got != want {
					t.Errorf("Hasher(%q) = %s, want %s", id, got, want)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestParseKey(t *testing.T) {
	if _, err := secrets.ParseKey("short"); err == nil {
		t.Fatal("short key accepted")
	}
	if _, err := secrets.ParseKey(base64.StdEncoding.EncodeToString(make([]byte, 16))); err == nil {
		t.Fatal("16-byte key accepted")
	}
	if _, err := secrets.ParseKey(strings.Repeat("passphrase-", 3)); err != nil {
		t.Fatalf("long passphrase: %v", err)
	}
}

func TestKeyNeverPrinted(t *testing.T) {
	raw := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{7}, 32))
	k, _ := secrets.ParseKey(raw)
	var buf bytes.Buffer
	slog.New(slog.NewTextHandler(&buf, nil)).Info("key", "key", k)
	out := buf.String() + fmt.Sprintf("%v %+v %#v %s", k, k, k, k)
	if strings.Contains(out, raw[:10]) || strings.Contains(out, "\x07") {
		t.Fatalf("key material printed: %q", out)
	}
}

func TestLoadOrCreateKeyFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	k, err := secrets.LoadOrCreateKey(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	if !k.Created() {
		t.Fatal("first load did not create the key")
	}
	path := filepath.Join(dir, secrets.KeyFile)
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v, want 0600", st.Mode().Perm())
	}
	sealed, _ := k.SealString("c", "value")
	again, err := secrets.LoadOrCreateKey(dir, "")
	if err != nil || again.Created() {
		t.Fatalf("second load: created=%v err=%v", again.Created(), err)
	}
	if v, err := again.OpenString("c", sealed); err != nil || v != "value" {
		t.Fatalf("reloaded key cannot open: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("data dir holds %d entries, want only the key (temp file left behind?)", len(entries))
	}
}

func TestLoadOrCreateKeyConfigured(t *testing.T) {
	dir := t.TempDir()
	k, err := secrets.LoadOrCreateKey(dir, strings.Repeat("k", 40))
	if err != nil || k.Origin() != "TANDEM_SECRET_KEY" {
		t.Fatalf("configured: %v %q", err, k.Origin())
	}
	if _, err := os.Stat(filepath.Join(dir, secrets.KeyFile)); !os.IsNotExist(err) {
		t.Fatal("key file written although a key was configured")
	}
	if _, err := secrets.LoadOrCreateKey(dir, "too-short"); err == nil {
		t.Fatal("short configured key accepted")
	}
}

func TestLoadOrCreateKeyDamagedFileIsNotReplaced(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, secrets.KeyFile)
	if err := os.WriteFile(path, []byte("oops"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := secrets.LoadOrCreateKey(dir, ""); err == nil {
		t.Fatal("damaged key file accepted")
	}
	if b, _ := os.ReadFile(path); string(b) != "oops" {
		t.Fatal("damaged key file was overwritten")
	}
}

func TestLoadOrCreateKeyConcurrent(t *testing.T) {
	for round := 0; round < 20; round++ {
		dir := t.TempDir()
		const n = 16
		keys := make([]*secrets.Key, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range n {
			wg.Go(func() {
				<-start
				keys[i], errs[i] = secrets.LoadOrCreateKey(dir, "")
			})
		}
		close(start)
		wg.Wait()
		created := 0
		var sealed string
		for i, k := range keys {
			if errs[i] != nil {
				t.Fatal(errs[i])
			}
			if k.Created() {
				created++
			}
			if i == 0 {
				sealed, _ = k.SealString("c", "shared")
				continue
			}
			if v, err := k.OpenString("c", sealed); err != nil || v != "shared" {
				t.Fatalf("round %d: goroutine %d got a different key", round, i)
			}
		}
		if created != 1 {
			t.Fatalf("round %d: %d goroutines created a key, want 1", round, created)
		}
	}
}

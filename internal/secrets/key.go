package secrets

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// KeyFile is the name of the generated instance key in the data directory.
const KeyFile = "secret.key"

// minKeyLen is the least input key material we accept: 256 bits.
const minKeyLen = 32

// Key is the instance key. The zero value is unusable; get one from ParseKey
// or LoadOrCreateKey.
type Key struct {
	ikm     []byte
	origin  string
	created bool
	derived sync.Map // "purpose\x00context" → cached derived primitive
}

// ParseKey reads an operator-supplied key (TANDEM_SECRET_KEY): base64 of at
// least 32 bytes (`openssl rand -base64 32`), or any string of at least 32
// characters, which HKDF then spreads into keys.
func ParseKey(s string) (*Key, error) {
	s = strings.TrimSpace(s)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil && len(b) >= minKeyLen {
			return &Key{ikm: b}, nil
		}
	}
	if len(s) >= minKeyLen {
		return &Key{ikm: []byte(s)}, nil
	}
	return nil, errors.New("secrets: the instance key is too short: use at least 32 random bytes, e.g. the output of `openssl rand -base64 32`")
}

// LoadOrCreateKey returns the configured key when there is one; otherwise the
// key in dataDir/secret.key, creating that file (32 random bytes, base64,
// mode 0600) the first time. Two processes starting together agree on one
// key: the file is published with an atomic hard link that fails if another
// process got there first, and the loser reads the winner's key.
func LoadOrCreateKey(dataDir, configured string) (*Key, error) {
	if strings.TrimSpace(configured) != "" {
		k, err := ParseKey(configured)
		if err != nil {
			return nil, fmt.Errorf("TANDEM_SECRET_KEY: %w", err)
		}
		k.origin = "TANDEM_SECRET_KEY"
		return k, nil
	}
	path := filepath.Join(dataDir, KeyFile)
	k, err := readKeyFile(path)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return k, err
	}
	if err := os.MkdirAll(dataDir, 0o750); err != nil {
		return nil, fmt.Errorf("secrets: create data directory: %w", err)
	}
	created, err := createKeyFile(path)
	if err != nil {
		return nil, err
	}
	if k, err = readKeyFile(path); err != nil {
		return nil, err
	}
	k.created = created
	return k, nil
}

func readKeyFile(path string) (*Key, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("secrets: read instance key: %w", err)
	}
	k, err := ParseKey(string(b))
	if err != nil {
		// Never silently replace a damaged key: everything encrypted with
		// the old one would be lost.
		return nil, fmt.Errorf("secrets: %s is not a valid key (restore it from a backup): %w", path, err)
	}
	k.origin = path
	return k, nil
}

// createKeyFile writes a new key to a private temporary file and links it
// into place. It reports false when another process created the key first.
func createKeyFile(path string) (bool, error) {
	raw := make([]byte, minKeyLen)
	if _, err := rand.Read(raw); err != nil {
		return false, fmt.Errorf("secrets: generate key: %w", err)
	}
	text := base64.StdEncoding.EncodeToString(raw) + "\n"
	tmp := fmt.Sprintf("%s.%s.tmp", path, base64.RawURLEncoding.EncodeToString(raw[:6]))
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return false, fmt.Errorf("secrets: create key file: %w", err)
	}
	defer func() { _ = os.Remove(tmp) }()
	_, err = f.WriteString(text)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return false, fmt.Errorf("secrets: write key file: %w", err)
	}
	// link(2) is atomic and fails when path exists: the key appears complete
	// or not at all, and exactly one process wins.
	if err := os.Link(tmp, path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return false, nil
		}
		return false, fmt.Errorf("secrets: install key file: %w", err)
	}
	syncDir(filepath.Dir(path))
	return true, nil
}

// syncDir makes the new directory entry durable; failure only weakens crash
// safety, so it is not an error.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}

// Origin says where the key came from: "TANDEM_SECRET_KEY" or the file path.
// It never contains key material.
func (k *Key) Origin() string { return k.origin }

// Created reports whether LoadOrCreateKey generated the key file just now,
// so that the caller can tell the operator to back it up.
func (k *Key) Created() bool { return k.created }

// String keeps the key out of logs and error messages.
func (k *Key) String() string { return "[redacted]" }

// GoString keeps the key out of %#v.
func (k *Key) GoString() string { return "secrets.Key{[redacted]}" }

// LogValue keeps the key out of slog output.
func (k *Key) LogValue() slog.Value { return slog.StringValue("[redacted]") }

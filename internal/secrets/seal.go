package secrets

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"hash"
	"strings"
	"sync"
)

// prefixV1 marks the ciphertext format: AES-256-GCM, a 12-byte random nonce,
// the context as additional data, key = HKDF-SHA256(instance key, info =
// "tandem/v1/aead/" + context). A later format gets a new prefix, and Open
// keeps reading the old one.
const prefixV1 = "v1:"

// ErrOpen is returned when a ciphertext cannot be decrypted: the instance key
// changed, the context differs from the one it was sealed with, or the stored
// value was altered.
var ErrOpen = errors.New("secrets: cannot decrypt: wrong instance key, wrong context or tampered data")

// Seal encrypts plaintext for storage under context, which names the kind of
// secret ("mailbox.password", "webhook.secret"). The result is printable.
func (k *Key) Seal(context string, plaintext []byte) (string, error) {
	aead, err := k.aead(context)
	if err != nil {
		return "", err
	}
	nonce := make([]byte, aead.NonceSize(), aead.NonceSize()+len(plaintext)+aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return "", fmt.Errorf("secrets: nonce: %w", err)
	}
	out := aead.Seal(nonce, nonce, plaintext, []byte(context))
	return prefixV1 + base64.StdEncoding.EncodeToString(out), nil
}

// Open decrypts a value made by Seal with the same context.
func (k *Key) Open(context, sealed string) ([]byte, error) {
	aead, err := k.aead(context)
	if err != nil {
		return nil, err
	}
	body, ok := strings.CutPrefix(sealed, prefixV1)
	if !ok {
		return nil, fmt.Errorf("secrets: unknown ciphertext format (want %q prefix)", prefixV1)
	}
	raw, err := base64.StdEncoding.DecodeString(body)
	if err != nil || len(raw) < aead.NonceSize()+aead.Overhead() {
		return nil, ErrOpen
	}
	n := aead.NonceSize()
	pt, err := aead.Open(nil, raw[:n], raw[n:], []byte(context))
	if err != nil {
		return nil, ErrOpen
	}
	return pt, nil
}

// SealString is Seal for text.
func (k *Key) SealString(context, plaintext string) (string, error) {
	return k.Seal(context, []byte(plaintext))
}

// OpenString is Open for text.
func (k *Key) OpenString(context, sealed string) (string, error) {
	b, err := k.Open(context, sealed)
	return string(b), err
}

// Hash returns a keyed hash (HMAC-SHA256, base64url) of an identifier, for
// values that must be matched later but never stored in clear, such as the
// e-mail addresses on the suppression list. Without the instance key the hash
// cannot be checked against guesses. Normalise the identifier first (trim,
// lower-case an e-mail address): Hash compares bytes.
func (k *Key) Hash(context, identifier string) (string, error) {
	h, err := k.Hasher(context)
	if err != nil {
		return "", err
	}
	sum := h(identifier)
	return base64.RawURLEncoding.EncodeToString(sum[:]), nil
}

// Hasher returns Hash's function for one context with its key derived
// once, for checking many identifiers (an import's rows against the
// suppression list): the raw HMAC-SHA256 sum, whose base64url form is what
// Hash returns. The function is safe for concurrent use.
func (k *Key) Hasher(context string) (func(identifier string) [sha256.Size]byte, error) {
	key, err := k.derive("hmac", context)
	if err != nil {
		return nil, err
	}
	pool := sync.Pool{New: func() any { return hmac.New(sha256.New, key) }}
	return func(identifier string) [sha256.Size]byte {
		m := pool.Get().(hash.Hash)
		m.Reset()
		m.Write([]byte(identifier))
		var sum [sha256.Size]byte
		m.Sum(sum[:0])
		pool.Put(m)
		return sum
	}, nil
}

func (k *Key) aead(context string) (cipher.AEAD, error) {
	id := "aead\x00" + context
	if v, ok := k.derived.Load(id); ok {
		return v.(cipher.AEAD), nil
	}
	key, err := k.derive("aead", context)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	k.derived.Store(id, aead)
	return aead, nil
}

// derive returns the 32-byte key for one purpose and context. A context is
// required: an empty one would make unrelated data share a key.
func (k *Key) derive(purpose, context string) ([]byte, error) {
	if k == nil || len(k.ikm) == 0 {
		return nil, errors.New("secrets: no instance key")
	}
	if context == "" {
		return nil, errors.New("secrets: a context is required")
	}
	return hkdf.Key(sha256.New, k.ikm, nil, "tandem/v1/"+purpose+"/"+context, 32)
}

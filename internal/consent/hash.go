package consent

import (
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"sync/atomic"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/secrets"
)

// Kind is the kind of identifier on the suppression list.
type Kind string

// The kinds of suppressed identifier.
const (
	Email  Kind = "email"
	Phone  Kind = "phone"
	Domain Kind = "domain"
)

// Kinds lists every kind.
var Kinds = []Kind{Email, Phone, Domain}

// Reasons a value is suppressed.
var Reasons = []string{"unsubscribed", "erased", "bounced", "manual"}

var instanceKey atomic.Pointer[secrets.Key]

// SetKey gives the package the instance key its hashes and preference-centre
// tokens are made with. Call it at startup, before serving. A process has one
// instance key, so the first key set stays: later calls (a second test
// server in the same binary) change nothing, and hashes stay comparable.
func SetKey(k *secrets.Key) {
	if k != nil {
		instanceKey.CompareAndSwap(nil, k)
	}
}

var errNoKey = errors.New("consent: no instance key (call consent.SetKey at startup)")

func key() (*secrets.Key, error) {
	k := instanceKey.Load()
	if k == nil {
		return nil, errNoKey
	}
	return k, nil
}

// Normalize returns the canonical form of an identifier: e-mail addresses
// trimmed and lower-cased; phone numbers as digits with the country code (a
// leading "+" or "00" is the international prefix and dropped; a number
// written without one is kept as its digits, since its country is unknown);
// domains lower-cased without a leading "@" or trailing dot. It fails when
// the value is not one of its kind.
func Normalize(kind Kind, value string) (string, error) {
	v := strings.TrimSpace(value)
	switch kind {
	case Email:
		v = strings.ToLower(v)
		if a, err := mail.ParseAddress(v); err != nil || a.Address != v {
			return "", invalid("value", "Enter a valid email address.")
		}
		return v, nil
	case Phone:
		d := digits(v)
		if !strings.HasPrefix(v, "+") {
			d = strings.TrimPrefix(d, "00")
		}
		if len(d) < 5 || len(d) > 20 {
			return "", invalid("value", "Enter a phone number with 5 to 20 digits.")
		}
		return d, nil
	case Domain:
		v = strings.TrimSuffix(strings.TrimPrefix(strings.ToLower(v), "@"), ".")
		if !validDomain(v) {
			return "", invalid("value", "Enter a domain name, like example.com.")
		}
		return v, nil
	}
	return "", invalid("kind", "Choose email, phone or domain.")
}

// DomainOf returns the domain of a normalised e-mail address.
func DomainOf(email string) string {
	_, d, _ := strings.Cut(email, "@")
	return d
}

func digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func validDomain(d string) bool {
	if len(d) < 3 || len(d) > 253 || !strings.Contains(d, ".") {
		return false
	}
	for _, label := range strings.Split(d, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, r := range label {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r > 127) {
				return false
			}
		}
	}
	return true
}

// hashOf is the stored form of a normalised value: HMAC over the workspace
// and the value, under a key for this kind, so the same address hashes
// differently in two workspaces and the lists cannot be joined.
func hashOf(ws crm.ID, kind Kind, normalized string) (string, error) {
	k, err := key()
	if err != nil {
		return "", err
	}
	h, err := k.Hash("consent.suppression."+string(kind), hashInput(ws, normalized))
	if err != nil {
		return "", fmt.Errorf("consent: hash: %w", err)
	}
	return h, nil
}

// hashInput is what a suppression hash is taken of: the same address in
// two workspaces hashes apart.
func hashInput(ws crm.ID, normalized string) string {
	return fmt.Sprintf("%d\x00%s", ws, normalized)
}

// invalid is a one-field invalid-input error.
func invalid(field, msg string) error {
	return &crm.Error{Code: crm.Invalid, Message: msg, Fields: map[string]string{field: msg}}
}

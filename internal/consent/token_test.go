package consent_test

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/tandemcrm/tandem/internal/consent"
	"github.com/tandemcrm/tandem/internal/crm"
)

func TestPreferenceToken(t *testing.T) {
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	tok, err := consent.PreferenceToken(11, 22, now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	ws, c, err := consent.ParsePreferenceToken(tok, now)
	if err != nil || ws != 11 || c != 22 {
		t.Fatalf("round trip: %d %d %v", ws, c, err)
	}
	body, mac, _ := strings.Cut(tok, ".")
	forged := base64.RawURLEncoding.EncodeToString([]byte(strings.Replace(mustDecode(t, body), ".22.", ".23.", 1)))
	flip := []byte(mac)
	flip[0] ^= 1
	for name, bad := range map[string]string{
		"another contact, same MAC": forged + "." + mac,
		"altered MAC":               body + "." + string(flip),
		"no MAC":                    body,
		"empty":                     "",
		"garbage":                   "%%%.###",
		"too long":                  strings.Repeat("a", 300) + "." + mac,
	} {
		if _, _, err := consent.ParsePreferenceToken(bad, now); crm.ErrorCode(err) != crm.NotFound {
			t.Errorf("%s accepted: %v", name, err)
		}
	}
	if _, _, err := consent.ParsePreferenceToken(tok, now.Add(time.Hour)); crm.ErrorCode(err) != crm.NotFound {
		t.Errorf("expired token accepted: %v", err)
	}
}

func mustDecode(t *testing.T, s string) string {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

package consent

import (
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/tandemcrm/tandem/internal/crm"
)

// PreferenceTTL is how long a preference-centre link works.
const PreferenceTTL = 60 * 24 * time.Hour

// The preference centre is reached without signing in, by a link carrying a
// token: base64url("v1.<workspace>.<contact>.<expiry unix>") "." HMAC of that
// payload under a key derived from the instance key. The token names no
// address, so a guessed or altered one reveals nothing; it is checked in
// constant time and refused once expired.

// PreferenceToken returns the token for a contact's preference centre.
func PreferenceToken(ws, contact crm.ID, expires time.Time) (string, error) {
	payload := fmt.Sprintf("v1.%d.%d.%d", ws, contact, expires.Unix())
	mac, err := tokenMAC(payload)
	if err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString([]byte(payload)) + "." + mac, nil
}

// errBadToken is deliberately the same for every failure: tampered,
// malformed, expired or signed with another key.
var errBadToken = crm.Errorf(crm.NotFound, "This link is not valid or has expired.")

// ParsePreferenceToken checks a token at time now and returns the workspace
// and contact it was made for.
func ParsePreferenceToken(token string, now time.Time) (ws, contact crm.ID, err error) {
	body, mac, ok := strings.Cut(token, ".")
	if !ok || len(token) > 200 {
		return 0, 0, errBadToken
	}
	raw, err := base64.RawURLEncoding.DecodeString(body)
	if err != nil {
		return 0, 0, errBadToken
	}
	payload := string(raw)
	want, err := tokenMAC(payload)
	if err != nil {
		return 0, 0, err
	}
	if subtle.ConstantTimeCompare([]byte(want), []byte(mac)) != 1 {
		return 0, 0, errBadToken
	}
	parts := strings.Split(payload, ".")
	if len(parts) != 4 || parts[0] != "v1" {
		return 0, 0, errBadToken
	}
	w, err1 := strconv.ParseInt(parts[1], 10, 64)
	c, err2 := strconv.ParseInt(parts[2], 10, 64)
	exp, err3 := strconv.ParseInt(parts[3], 10, 64)
	if err1 != nil || err2 != nil || err3 != nil || !now.Before(time.Unix(exp, 0)) {
		return 0, 0, errBadToken
	}
	return crm.ID(w), crm.ID(c), nil
}

func tokenMAC(payload string) (string, error) {
	k, err := key()
	if err != nil {
		return "", err
	}
	return k.Hash("consent.preference-link", payload)
}

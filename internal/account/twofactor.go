package account

import (
	"bytes"
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"fmt"
	"image/png"
	"net/url"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/tandemcrm/tandem/internal/audit"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/ids"
	"github.com/tandemcrm/tandem/internal/store"
)

// Sealer encrypts secrets at rest with the instance key (secrets.Key).
type Sealer interface {
	SealString(context, plaintext string) (string, error)
	OpenString(context, sealed string) (string, error)
}

const (
	totpContext   = "user.totp"
	totpPeriod    = 30
	recoveryCount = 10
	challengeTTL  = 5 * time.Minute
)

// Enrolment is what a user scans to add Tandem to an authenticator app.
type Enrolment struct {
	Secret string // base32, for typing in by hand
	URL    string // otpauth://…
	QRPNG  []byte
}

// StartTOTP creates a new, not yet enabled, secret for the user. It takes
// effect only once ConfirmTOTP has seen a code from it.
//
// While a factor is on it refuses: otherwise a hijacked session could swap
// the factor for its own without ever knowing the current one.
func StartTOTP(tx *store.Tx, user crm.ID, account string, s Sealer) (Enrolment, error) {
	if on, err := TwoFactorOn(tx, user); err != nil {
		return Enrolment{}, err
	} else if on {
		return Enrolment{}, crm.Errorf(crm.Conflict, "Two-factor sign-in is already on; turn it off first to set up a new app.")
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: "Tandem", AccountName: account, Period: totpPeriod})
	if err != nil {
		return Enrolment{}, err
	}
	img, err := key.Image(220, 220)
	if err != nil {
		return Enrolment{}, err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return Enrolment{}, err
	}
	sealed, err := s.SealString(totpContext, key.Secret())
	if err != nil {
		return Enrolment{}, err
	}
	if _, err := tx.Exec(`UPDATE users SET totp_secret = ?, totp_enabled_at = NULL, totp_last_step = 0 WHERE id = ?`, sealed, user); err != nil {
		return Enrolment{}, err
	}
	return Enrolment{Secret: key.Secret(), URL: key.URL(), QRPNG: buf.Bytes()}, nil
}

// PendingTOTP shows again the secret that StartTOTP made and that is not
// confirmed yet (after a mistyped first code the person keeps their scan).
func PendingTOTP(tx *store.Tx, user crm.ID, account string, s Sealer) (Enrolment, error) {
	var sealed string
	var on *int64
	if err := tx.QueryRow(`SELECT totp_secret, totp_enabled_at FROM users WHERE id = ?`, user).Scan(&sealed, &on); err != nil {
		return Enrolment{}, err
	}
	if sealed == "" || on != nil {
		return Enrolment{}, crm.Errorf(crm.NotFound, "No two-factor set-up is in progress.")
	}
	secret, err := s.OpenString(totpContext, sealed)
	if err != nil {
		return Enrolment{}, err
	}
	u := url.URL{Scheme: "otpauth", Host: "totp", Path: "/Tandem:" + account,
		RawQuery: url.Values{"secret": {secret}, "issuer": {"Tandem"}, "period": {"30"}}.Encode()}
	key, err := otp.NewKeyFromURL(u.String())
	if err != nil {
		return Enrolment{}, err
	}
	img, err := key.Image(220, 220)
	if err != nil {
		return Enrolment{}, err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return Enrolment{}, err
	}
	return Enrolment{Secret: secret, URL: key.URL(), QRPNG: buf.Bytes()}, nil
}

// ConfirmTOTP enables the second factor when code matches the pending
// secret, and returns fresh recovery codes (shown once, stored hashed).
func ConfirmTOTP(tx *store.Tx, p crm.Principal, code string, s Sealer, c Client) ([]string, error) {
	if err := checkTOTP(tx, p.UserID, code, s, false); err != nil {
		return nil, err
	}
	if _, err := tx.Exec(`UPDATE users SET totp_enabled_at = ? WHERE id = ?`, store.Micros(tx.Now), p.UserID); err != nil {
		return nil, err
	}
	codes, err := newRecoveryCodes(tx, p.UserID)
	if err != nil {
		return nil, err
	}
	return codes, auditEverywhere(tx, p.UserID, audit.TwoFactorEnabled, c)
}

// DisableTOTP turns the second factor off for a user who proves their password.
func DisableTOTP(tx *store.Tx, p crm.Principal, password string, c Client) error {
	var hash string
	if err := tx.QueryRow(`SELECT password_hash FROM users WHERE id = ?`, p.UserID).Scan(&hash); err != nil {
		return err
	}
	if !CheckPassword(hash, password) {
		return (crm.FieldErrors{"password": "That is not your password."}).Err()
	}
	if _, err := tx.Exec(`UPDATE users SET totp_secret = '', totp_enabled_at = NULL, totp_last_step = 0 WHERE id = ?`, p.UserID); err != nil {
		return err
	}
	if _, err := tx.Exec(`DELETE FROM recovery_codes WHERE user_id = ?`, p.UserID); err != nil {
		return err
	}
	return auditEverywhere(tx, p.UserID, audit.TwoFactorDisable, c)
}

// TwoFactorOn reports whether the user has an enabled second factor.
func TwoFactorOn(tx *store.Tx, user crm.ID) (bool, error) {
	var enabled *int64
	err := tx.QueryRow(`SELECT totp_enabled_at FROM users WHERE id = ?`, user).Scan(&enabled)
	return enabled != nil, err
}

var errCode = (crm.FieldErrors{"code": "That code is not right. Use the current code from your app, or a recovery code."}).Err()

// VerifySecondFactor accepts a current TOTP code (each time step once) or an
// unused recovery code.
func VerifySecondFactor(tx *store.Tx, user crm.ID, code string, s Sealer) error {
	code = strings.NewReplacer(" ", "", "-", "").Replace(strings.ToLower(strings.TrimSpace(code)))
	if len(code) == 6 {
		return checkTOTP(tx, user, code, s, true)
	}
	if len(code) != 10 {
		return errCode
	}
	// Recovery codes are shown as xxxxx-xxxxx; typed with or without the
	// hyphen, or with spaces, they are the same code.
	n, err := tx.Exec(`UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL`,
		store.Micros(tx.Now), user, HashToken(code[:5]+"-"+code[5:]))
	if err != nil {
		return err
	}
	if n == 0 {
		return errCode
	}
	return nil
}

// checkTOTP matches code against the user's secret within one step either
// side, and refuses a step at or before the last one used (no replays).
func checkTOTP(tx *store.Tx, user crm.ID, code string, s Sealer, enabled bool) error {
	var sealed string
	var on *int64
	var last int64
	if err := tx.QueryRow(`SELECT totp_secret, totp_enabled_at, totp_last_step FROM users WHERE id = ?`, user).Scan(&sealed, &on, &last); err != nil {
		return err
	}
	if sealed == "" || (on != nil) != enabled {
		return errCode
	}
	secret, err := s.OpenString(totpContext, sealed)
	if err != nil {
		return fmt.Errorf("account: open totp secret: %w", err)
	}
	now := tx.Now.Unix() / totpPeriod
	for _, step := range []int64{now - 1, now, now + 1} {
		want, err := totp.GenerateCodeCustom(secret, time.Unix(step*totpPeriod, 0), totp.ValidateOpts{
			Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
		if err != nil {
			return err
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 && step > last {
			_, err := tx.Exec(`UPDATE users SET totp_last_step = ? WHERE id = ?`, step, user)
			return err
		}
	}
	return errCode
}

func newRecoveryCodes(tx *store.Tx, user crm.ID) ([]string, error) {
	if _, err := tx.Exec(`DELETE FROM recovery_codes WHERE user_id = ?`, user); err != nil {
		return nil, err
	}
	codes := make([]string, recoveryCount)
	for i := range codes {
		raw := recoveryCode()
		codes[i] = raw[:5] + "-" + raw[5:]
		if _, err := tx.Exec(`INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)`, user, HashToken(codes[i])); err != nil {
			return nil, err
		}
	}
	return codes, nil
}

// recoveryCode is 10 random characters from 31 letters and digits without
// look-alikes (about 49 bits).
func recoveryCode() string {
	const alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
	b := make([]byte, 10)
	if _, err := rand.Read(b); err != nil {
		panic("account: crypto/rand failed: " + err.Error())
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// CreateChallenge remembers that a password was right and the second
// factor is still to come; the token goes in a short-lived cookie.
func CreateChallenge(tx *store.Tx, user, ws crm.ID) (string, error) {
	token := ids.Token(24)
	_, err := tx.Exec(`INSERT INTO signin_challenges (token_hash, user_id, workspace, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
		HashToken(token), user, ws, store.Micros(tx.Now), store.Micros(tx.Now.Add(challengeTTL)))
	return token, err
}

var errChallenge = crm.Errorf(crm.Unauthorized, "Your sign-in took too long. Please sign in again.")

// ChallengeUser returns who a pending challenge is for.
func ChallengeUser(tx *store.Tx, token string) (crm.ID, crm.ID, error) {
	var user, ws crm.ID
	err := tx.QueryRow(`SELECT user_id, workspace FROM signin_challenges WHERE token_hash = ? AND expires_at > ?`,
		HashToken(token), store.Micros(tx.Now)).Scan(&user, &ws)
	if errors.Is(err, store.ErrNoRows) {
		return 0, 0, errChallenge
	}
	return user, ws, err
}

// SpendChallenge removes a challenge once answered.
func SpendChallenge(tx *store.Tx, token string) error {
	_, err := tx.Exec(`DELETE FROM signin_challenges WHERE token_hash = ?`, HashToken(token))
	return err
}

// SetRequire2FA makes a second factor mandatory (or not) for everyone in
// the workspace. Owners only.
func SetRequire2FA(tx *store.Tx, p crm.Principal, on bool) error {
	if p.Role != crm.RoleOwner {
		return crm.Errorf(crm.Forbidden, "Only owners can require two-factor sign-in.")
	}
	if _, err := tx.Exec(`UPDATE workspaces SET require_2fa = ? WHERE id = ?`, boolInt(on), p.WorkspaceID); err != nil {
		return err
	}
	return tx.Emit(crm.Event{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), ObjectType: "workspace", ObjectID: p.WorkspaceID,
		Action: crm.Updated, Changes: map[string]crm.Change{"require_2fa": {Before: !on, After: on}}})
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// ChallengeEmail is the email of the user a pending challenge is for (the
// key that failed codes are counted against), or "" when it has expired.
func ChallengeEmail(tx *store.Tx, token string) (string, error) {
	var email string
	err := tx.QueryRow(`SELECT u.email FROM signin_challenges c JOIN users u ON u.id = c.user_id
		WHERE c.token_hash = ? AND c.expires_at > ?`, HashToken(token), store.Micros(tx.Now)).Scan(&email)
	if errors.Is(err, store.ErrNoRows) {
		return "", nil
	}
	return email, err
}

package account

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/tandemcrm/tandem/internal/audit"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/ids"
	"github.com/tandemcrm/tandem/internal/store"
)

// An API key reads "tdm_<workspace id>_<32 random characters>". Only its
// SHA-256 is stored. Carrying the workspace id lets the lookup be scoped like
// every other query, and lets a key be recognised in logs or leaks.
const keyPrefix = "tdm_"

// touchEvery limits how often last_used_at is written: a busy integration
// must not turn every read into a write.
const touchEvery = time.Minute

// APIKey is a key as listed in settings (never the key itself).
type APIKey struct {
	ID         crm.ID
	UserID     crm.ID
	Name       string
	Prefix     string
	Role       crm.Role
	ExpiresAt  time.Time
	LastUsedAt time.Time
	CreatedAt  time.Time
	RevokedAt  time.Time
}

// NewAPIKey is what creating a key takes.
type NewAPIKey struct {
	Name      string
	Role      crm.Role // empty: the creator's role
	ExpiresAt time.Time
}

// CreateAPIKey makes a key for the principal and returns it with the secret
// text, which is shown once and never again.
func CreateAPIKey(tx *store.Tx, p crm.Principal, in NewAPIKey) (APIKey, string, error) {
	fe := crm.FieldErrors{}
	name := strings.TrimSpace(in.Name)
	if name == "" || len(name) > 80 {
		fe.Add("name", "Name the key after what uses it (up to 80 characters).")
	}
	role := in.Role
	if role == "" {
		role = p.Role
	}
	if !role.Valid() {
		fe.Add("role", "Choose a role: owner, admin, manager, member or readonly.")
	} else if role.Rank() > p.Role.Rank() {
		fe.Add("role", "A key cannot have a higher role than yours.")
	}
	if !in.ExpiresAt.IsZero() && !in.ExpiresAt.After(tx.Now) {
		fe.Add("expires_at", "The expiry must be in the future.")
	}
	if err := fe.Err(); err != nil {
		return APIKey{}, "", err
	}
	secret := keyPrefix + p.WorkspaceID.String() + "_" + ids.Token(24)
	k := APIKey{ID: tx.NewID(), UserID: p.UserID, Name: name, Prefix: secret[:len(secret)-28] + "…",
		Role: role, ExpiresAt: in.ExpiresAt, CreatedAt: tx.Now}
	var expires any
	if !in.ExpiresAt.IsZero() {
		expires = store.Micros(in.ExpiresAt)
	}
	_, err := tx.Exec(`INSERT INTO api_keys (id, workspace_id, user_id, name, prefix, key_hash, role, expires_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, k.ID, p.WorkspaceID, p.UserID, k.Name, k.Prefix, HashToken(secret),
		string(role), expires, store.Micros(tx.Now))
	if err != nil {
		return k, "", fmt.Errorf("account: create api key: %w", err)
	}
	if _, err := audit.Record(tx, audit.Entry{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), Action: audit.APIKeyCreated,
		ObjectType: "api_key", ObjectID: k.ID, Details: map[string]any{"name": name, "role": string(role)}}); err != nil {
		return k, "", err
	}
	return k, secret, tx.Emit(crm.Event{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), ObjectType: "api_key",
		ObjectID: k.ID, Action: crm.Created, Changes: map[string]crm.Change{"name": {After: name}, "role": {After: string(role)}}})
}

// errBadKey is the one answer for every kind of bad key, so a caller learns
// nothing about which part was wrong.
var errBadKey = crm.Errorf(crm.Unauthorized, "The API key is missing, unknown, expired or revoked.")

// ParseKeyWorkspace extracts the workspace id from a key's text.
func ParseKeyWorkspace(secret string) (crm.ID, bool) {
	rest, ok := strings.CutPrefix(secret, keyPrefix)
	if !ok {
		return 0, false
	}
	ws, _, ok := strings.Cut(rest, "_")
	n, err := strconv.ParseInt(ws, 10, 64)
	if !ok || err != nil || n <= 0 {
		return 0, false
	}
	return crm.ID(n), true
}

// AuthenticateAPIKey turns a bearer key into the principal it acts as: the
// key's user in the key's workspace, with the lower of the key's role and the
// user's current role. It reports whether last_used_at is due for a write.
func AuthenticateAPIKey(tx *store.Tx, secret string) (crm.Principal, bool, error) {
	ws, ok := ParseKeyWorkspace(secret)
	if !ok {
		return crm.Principal{}, false, errBadKey
	}
	var p crm.Principal
	var keyRole, memberRole string
	var expires, lastUsed, revoked *int64
	err := tx.QueryRow(`SELECT k.id, k.user_id, k.role, k.expires_at, k.last_used_at, k.revoked_at,
			m.role, u.name, u.email, w.name
		FROM api_keys k
		JOIN memberships m ON m.workspace_id = k.workspace_id AND m.user_id = k.user_id AND m.deactivated_at IS NULL
		JOIN users u ON u.id = k.user_id
		JOIN workspaces w ON w.id = k.workspace_id
		WHERE k.workspace_id = ? AND k.key_hash = ?`, ws, HashToken(secret)).
		Scan(&p.APIKeyID, &p.UserID, &keyRole, &expires, &lastUsed, &revoked, &memberRole, &p.Name, &p.Email, &p.Workspace)
	if errors.Is(err, store.ErrNoRows) {
		return p, false, errBadKey
	}
	if err != nil {
		return p, false, fmt.Errorf("account: authenticate api key: %w", err)
	}
	now := store.Micros(tx.Now)
	if revoked != nil || (expires != nil && *expires <= now) {
		return crm.Principal{}, false, errBadKey
	}
	p.WorkspaceID = ws
	p.Role = crm.Role(keyRole)
	if r := crm.Role(memberRole); r.Rank() < p.Role.Rank() {
		p.Role = r
	}
	due := lastUsed == nil || now-*lastUsed >= touchEvery.Microseconds()
	return p, due, nil
}

// TouchAPIKey records that a key was used now.
func TouchAPIKey(tx *store.Tx, ws, key crm.ID) error {
	_, err := tx.Exec(`UPDATE api_keys SET last_used_at = ? WHERE workspace_id = ? AND id = ?`, store.Micros(tx.Now), ws, key)
	return err
}

// ListAPIKeys lists a user's keys in a workspace, newest first.
func ListAPIKeys(tx *store.Tx, ws, user crm.ID) ([]APIKey, error) {
	rows, err := tx.Query(`SELECT id, name, prefix, role, expires_at, last_used_at, created_at, revoked_at
		FROM api_keys WHERE workspace_id = ? AND user_id = ? ORDER BY id DESC`, ws, user)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []APIKey
	for rows.Next() {
		k := APIKey{UserID: user}
		var role string
		var created int64
		var expires, used, revoked *int64
		if err := rows.Scan(&k.ID, &k.Name, &k.Prefix, &role, &expires, &used, &created, &revoked); err != nil {
			return nil, err
		}
		k.Role, k.CreatedAt = crm.Role(role), store.FromMicros(created)
		k.ExpiresAt, k.LastUsedAt, k.RevokedAt = optTime(expires), optTime(used), optTime(revoked)
		out = append(out, k)
	}
	return out, rows.Err()
}

// RevokeAPIKey revokes one of the principal's keys (admins: any key of the
// workspace). Another workspace's or another user's key is not found.
func RevokeAPIKey(tx *store.Tx, p crm.Principal, key crm.ID) error {
	q := `UPDATE api_keys SET revoked_at = ? WHERE workspace_id = ? AND id = ? AND revoked_at IS NULL`
	args := []any{store.Micros(tx.Now), p.WorkspaceID, key}
	if p.Role.Rank() < crm.RoleAdmin.Rank() {
		q += ` AND user_id = ?`
		args = append(args, p.UserID)
	}
	n, err := tx.Exec(q, args...)
	if err != nil {
		return err
	}
	if n == 0 {
		return crm.Errorf(crm.NotFound, "No such active API key.")
	}
	if _, err := audit.Record(tx, audit.Entry{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), Action: audit.APIKeyRevoked,
		ObjectType: "api_key", ObjectID: key}); err != nil {
		return err
	}
	return tx.Emit(crm.Event{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), ObjectType: "api_key", ObjectID: key,
		Action: crm.Updated, Changes: map[string]crm.Change{"revoked": {Before: false, After: true}}})
}

func optTime(us *int64) time.Time {
	if us == nil {
		return time.Time{}
	}
	return store.FromMicros(*us)
}

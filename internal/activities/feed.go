package activities

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/ids"
	"github.com/tandemcrm/tandem/internal/store"
)

// FeedPrefix starts every calendar feed token, so a leaked one is
// recognisable (and secret scanners can find it).
const FeedPrefix = "tdc_"

// Feed is the state of a user's calendar feed.
type Feed struct {
	Active     bool
	CreatedAt  time.Time
	LastUsedAt time.Time
}

func hashToken(t string) string {
	sum := sha256.Sum256([]byte(t))
	return hex.EncodeToString(sum[:])
}

// NewFeedToken creates (or replaces: the old link stops working) p's
// private feed token and returns it. Only its hash is stored, so this is
// the one moment the link can be shown.
func NewFeedToken(tx *store.Tx, p crm.Principal) (string, error) {
	if p.APIKeyID != 0 {
		return "", crm.Errorf(crm.Forbidden, "Calendar links are made in the browser, by their owner.")
	}
	token := FeedPrefix + ids.Token(24)
	if err := RevokeFeed(tx, p); err != nil {
		return "", err
	}
	_, err := tx.Exec(`INSERT INTO calendar_feeds (workspace_id, user_id, token_hash, created_at) VALUES (?, ?, ?, ?)`,
		p.WorkspaceID, p.UserID, hashToken(token), store.Micros(tx.Now))
	return token, err
}

// RevokeFeed ends p's feed: its link answers 404 from now on.
func RevokeFeed(tx *store.Tx, p crm.Principal) error {
	_, err := tx.Exec(`DELETE FROM calendar_feeds WHERE workspace_id = ? AND user_id = ?`, p.WorkspaceID, p.UserID)
	return err
}

// FeedState says whether p has a feed, and since when.
func FeedState(tx *store.Tx, p crm.Principal) (Feed, error) {
	var f Feed
	var created, used int64
	err := tx.QueryRow(`SELECT created_at, COALESCE(last_used_at, 0) FROM calendar_feeds WHERE workspace_id = ? AND user_id = ?`,
		p.WorkspaceID, p.UserID).Scan(&created, &used)
	if errors.Is(err, store.ErrNoRows) {
		return f, nil
	}
	f.Active, f.CreatedAt, f.LastUsedAt = err == nil, store.FromMicros(created), store.FromMicros(used)
	return f, err
}

// FeedPrincipal finds whose feed a token opens: the user, in the one
// workspace the token was made in, with their current role there (a
// deactivated member's feed opens nothing). An unknown token is not found.
func FeedPrincipal(tx *store.Tx, token string) (crm.Principal, error) {
	var p crm.Principal
	nf := crm.Errorf(crm.NotFound, "No such calendar.")
	if !strings.HasPrefix(token, FeedPrefix) || len(token) > 100 {
		return p, nf
	}
	// The token is the only key a calendar client has: looking it up
	// across workspaces is the point, and it is a unique hash.
	var role string
	err := tx.Unscoped().QueryRow(`SELECT f.workspace_id, f.user_id, m.role, u.name, u.email FROM calendar_feeds f
		JOIN memberships m ON m.workspace_id = f.workspace_id AND m.user_id = f.user_id AND m.deactivated_at IS NULL
		JOIN users u ON u.id = f.user_id WHERE f.token_hash = ?`, hashToken(token)).Scan(&p.WorkspaceID, &p.UserID, &role, &p.Name, &p.Email)
	if errors.Is(err, store.ErrNoRows) {
		return p, nf
	} else if err != nil {
		return p, err
	}
	p.Role = crm.Role(role)
	return p, nil
}

// TouchFeed records that a feed was read (at most once a minute per feed,
// so polling clients do not write on every fetch).
func TouchFeed(tx *store.Tx, p crm.Principal) error {
	now := store.Micros(tx.Now)
	_, err := tx.Exec(`UPDATE calendar_feeds SET last_used_at = ? WHERE workspace_id = ? AND user_id = ?
		AND (last_used_at IS NULL OR last_used_at < ?)`, now, p.WorkspaceID, p.UserID, now-time.Minute.Microseconds())
	return err
}

// FeedActivities are what a feed lists: the user's activities due from 90
// days ago to a year ahead, open and done, at most 5,000.
func FeedActivities(tx *store.Tx, p crm.Principal) ([]Activity, error) {
	return Range(tx, p, p.UserID, tx.Now.AddDate(0, 0, -90), tx.Now.AddDate(1, 0, 0), 5000)
}

package deals

import (
	"strings"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/search"
	"github.com/tandemcrm/tandem/internal/store"
)

// Pick is what a deal picker offers for what was typed: the deals p may
// see whose title contains it (any case), open ones before closed ones and
// the newest first among each, or for nothing typed the newest open deals.
// Deals are not in the search index; the newest-first walk stops at limit
// matches, so a common word is quick and a rare one reads the workspace's
// deals once.
func Pick(tx *store.Tx, p crm.Principal, q string, limit int) ([]Deal, error) {
	q = strings.TrimSpace(q)
	if len([]rune(q)) > 200 {
		return nil, (crm.FieldErrors{"q": "Search for at most 200 characters."}).Err()
	}
	clause, args := `d.workspace_id = ? AND d.deleted_at IS NULL`, []any{p.WorkspaceID}
	vis, vargs, err := account.VisibilityClause(tx, p, "d.owner_id")
	if err != nil {
		return nil, err
	}
	if vis != "" {
		clause, args = clause+" AND "+vis, append(args, vargs...)
	}
	if q == "" {
		return scanDeals(tx, dealCols+dealFrom+` WHERE `+clause+` AND d.status = 'open' ORDER BY d.id DESC LIMIT ?`, append(args, limit)...)
	}
	clause, args = clause+` AND lower(d.title) LIKE lower(?) ESCAPE '\'`, append(args, search.LikeAnywhere(q))
	open, err := scanDeals(tx, dealCols+dealFrom+` WHERE `+clause+` AND d.status = 'open' ORDER BY d.id DESC LIMIT ?`, append(args, limit)...)
	if err != nil || len(open) == limit {
		return open, err
	}
	closed, err := scanDeals(tx, dealCols+dealFrom+` WHERE `+clause+` AND d.status <> 'open' ORDER BY d.id DESC LIMIT ?`, append(args, limit-len(open))...)
	return append(open, closed...), err
}

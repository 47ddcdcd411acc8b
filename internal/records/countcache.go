package records

import (
	"strings"
	"sync"
	"time"

	"github.com/tandemcrm/tandem/internal/crm"
)

// A first page's total is counted within a time budget (store.CountUpTo);
// when the budget runs out the total is a lower bound ("1,000+"). Such
// counts are the expensive ones — each spends the whole budget — and a
// list opened again and again (a team's saved view, a user paging back to
// the start, an API client polling) would pay it every time for the same
// lower bound. They are remembered here for slowCountTTL per list, asker
// and filter, and served as what they are: lower bounds, never raised to
// exact. Counts that finish within the budget are exact and not kept.
const (
	slowCountTTL = 30 * time.Second
	slowCountMax = 4096 // entries; past it expired ones go, then all
)

type slowCount struct {
	n  int
	at time.Time
}

var slowCounts = struct {
	sync.Mutex
	m map[string]slowCount
}{m: map[string]slowCount{}}

// CountKey names a list's first-page total for the cache of slow counts:
// the list, who asks (what they may see differs per member and role) and
// everything else that selects its rows — the filter as written, not its
// SQL, whose relative dates move with the clock.
func CountKey(list string, p crm.Principal, selects ...string) string {
	return strings.Join(append([]string{list, p.WorkspaceID.String(), p.UserID.String(), string(p.Role)}, selects...), "\x00")
}

func cachedSlowCount(key string, now time.Time) (int, bool) {
	if key == "" {
		return 0, false
	}
	slowCounts.Lock()
	defer slowCounts.Unlock()
	c, ok := slowCounts.m[key]
	if !ok || now.Sub(c.at) >= slowCountTTL || now.Before(c.at) {
		return 0, false
	}
	return c.n, true
}

func rememberSlowCount(key string, n int, now time.Time) {
	if key == "" {
		return
	}
	slowCounts.Lock()
	defer slowCounts.Unlock()
	if len(slowCounts.m) >= slowCountMax {
		for k, c := range slowCounts.m {
			if now.Sub(c.at) >= slowCountTTL {
				delete(slowCounts.m, k)
			}
		}
		if len(slowCounts.m) >= slowCountMax {
			clear(slowCounts.m)
		}
	}
	slowCounts.m[key] = slowCount{n: n, at: now}
}

package records

import (
	"strings"
	"sync"
	"time"

	"github.com/tandemcrm/tandem/internal/crm"
)

// Counts that are expensive and only need to be about right are
// remembered here for countTTL:
//
//   - A first page's total is counted within a time budget
//     (store.CountUpTo); when the budget runs out the total is a lower
//     bound ("1,000+"). Such counts each spend the whole budget, and a list
//     opened again and again (a team's saved view, a user paging back to
//     the start, an API client polling) would pay it every time for the
//     same lower bound. They are kept per list, asker and filter
//     (CountKey) and served as what they are: lower bounds, never raised
//     to exact. Counts that finish within the budget are exact and not
//     kept.
//   - How many search documents hold a "contains" filter's text (narrower
//     in query.go), which decides whether narrowing pays.
const (
	countTTL = 30 * time.Second
	countMax = 4096 // entries; past it expired ones go, then all
)

type rememberedCount struct {
	n  int
	at time.Time
}

var remembered = struct {
	sync.Mutex
	m map[string]rememberedCount
}{m: map[string]rememberedCount{}}

// CountKey names a list's first-page total for the count cache:
// the list, who asks (what they may see differs per member and role) and
// everything else that selects its rows — the filter as written, not its
// SQL, whose relative dates move with the clock.
func CountKey(list string, p crm.Principal, selects ...string) string {
	return strings.Join(append([]string{list, p.WorkspaceID.String(), p.UserID.String(), string(p.Role)}, selects...), "\x00")
}

func cachedCount(key string, now time.Time) (int, bool) {
	if key == "" {
		return 0, false
	}
	remembered.Lock()
	defer remembered.Unlock()
	c, ok := remembered.m[key]
	if !ok || now.Sub(c.at) >= countTTL || now.Before(c.at) {
		return 0, false
	}
	return c.n, true
}

func rememberCount(key string, n int, now time.Time) {
	if key == "" {
		return
	}
	remembered.Lock()
	defer remembered.Unlock()
	if len(remembered.m) >= countMax {
		for k, c := range remembered.m {
			if now.Sub(c.at) >= countTTL {
				delete(remembered.m, k)
			}
		}
		if len(remembered.m) >= countMax {
			clear(remembered.m)
		}
	}
	remembered.m[key] = rememberedCount{n: n, at: now}
}

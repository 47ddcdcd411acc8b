package ids

import (
	"sync"
	"testing"
	"time"

	"github.com/tandemcrm/tandem/internal/crm"
)

func TestNextIsUniqueAndOrdered(t *testing.T) {
	g, err := New(7, nil)
	if err != nil {
		t.Fatal(err)
	}
	var prev crm.ID
	for i := 0; i < 100_000; i++ {
		id := g.Next()
		if id <= prev {
			t.Fatalf("id %d not greater than previous %d", id, prev)
		}
		prev = id
	}
}

func TestNodesNeverCollide(t *testing.T) {
	fixed := func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }
	a, _ := New(1, fixed)
	b, _ := New(2, fixed)
	seen := map[crm.ID]bool{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, g := range []*Generator{a, b} {
		wg.Add(1)
		go func(g *Generator) {
			defer wg.Done()
			for i := 0; i < 20_000; i++ {
				id := g.Next()
				mu.Lock()
				if seen[id] {
					t.Errorf("duplicate id %d", id)
				}
				seen[id] = true
				mu.Unlock()
			}
		}(g)
	}
	wg.Wait()
	if len(seen) != 40_000 {
		t.Fatalf("got %d distinct ids, want 40000", len(seen))
	}
}

func TestClockGoingBackwards(t *testing.T) {
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	g, _ := New(0, func() time.Time { return now })
	first := g.Next()
	now = now.Add(-time.Hour)
	if second := g.Next(); second <= first {
		t.Fatalf("id went backwards with the clock: %d then %d", first, second)
	}
}

func TestTimeRoundTrip(t *testing.T) {
	at := time.Date(2026, 11, 25, 10, 30, 0, 0, time.UTC)
	g, _ := New(MaxNode, func() time.Time { return at })
	if got := Time(g.Next()); !got.Equal(at) {
		t.Fatalf("Time = %v, want %v", got, at)
	}
	if _, err := New(MaxNode+1, nil); err == nil {
		t.Fatal("node out of range accepted")
	}
}

func TestToken(t *testing.T) {
	a, b := Token(24), Token(24)
	if a == b || len(a) != 32 {
		t.Fatalf("tokens %q %q", a, b)
	}
}

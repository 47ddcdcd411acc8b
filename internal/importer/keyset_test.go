package importer

import (
	"fmt"
	"testing"

	"github.com/tandemcrm/tandem/internal/crm"
)

// TestKeySet: the first record with a key wins, absent keys are absent,
// and keys whose hashes collide (all of them, with a constant hash) are
// still told apart.
func TestKeySet(t *testing.T) {
	for _, name := range []string{"maphash", "colliding"} {
		s := newKeySet()
		if name == "colliding" {
			s.hash = func(string) uint64 { return 7 }
		}
		for i := range 1000 {
			s.add(fmt.Sprintf("k%d@example.com", i), entry{id: crm.ID(i + 1), owner: 9, mine: i%2 == 0})
		}
		for i := range 1000 {
			s.add(fmt.Sprintf("k%d@example.com", i), entry{id: -1}) // later duplicates lose
		}
		for i := range 1000 {
			e, ok := s.get(fmt.Sprintf("k%d@example.com", i))
			if want := (entry{id: crm.ID(i + 1), owner: 9, mine: i%2 == 0}); !ok || e != want {
				t.Fatalf("%s: key %d: %+v %v, want %+v", name, i, e, ok, want)
			}
		}
		for _, k := range []string{"", "k1000@example.com", "k1@example.co", "K1@example.com"} {
			if e, ok := s.get(k); ok {
				t.Fatalf("%s: %q found: %+v", name, k, e)
			}
		}
		if name == "colliding" && len(s.more) != 999 {
			t.Fatalf("colliding: %d keys beside the slots, want 999", len(s.more))
		}
		if name == "maphash" && len(s.more) != 0 {
			t.Fatalf("maphash: %d keys beside the slots", len(s.more))
		}
	}
}

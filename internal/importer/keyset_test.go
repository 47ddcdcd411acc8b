package importer

import (
	"fmt"
	"strings"
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

// TestKeySetChunks: keys fill chunk after chunk without crossing one; a
// key too long for a slot still counts, beside the slots.
func TestKeySetChunks(t *testing.T) {
	s := newKeySet()
	long := strings.Repeat("x", 100_000) + "@example.com"
	var keys []string
	for i := range 40_000 {
		keys = append(keys, fmt.Sprintf("%d-%s@example.com", i, strings.Repeat("k", i%60)))
	}
	keys = append(keys, long)
	for i, k := range keys {
		s.add(k, entry{id: crm.ID(i + 1)})
	}
	if len(s.chunks) < 2 {
		t.Fatalf("%d chunks for %d keys: the test does not cross one", len(s.chunks), len(keys))
	}
	for _, c := range s.chunks {
		if cap(c) != 1<<chunkBits {
			t.Fatalf("a chunk grew: cap %d", cap(c))
		}
	}
	for i, k := range keys {
		if e, ok := s.get(k); !ok || e.id != crm.ID(i+1) {
			t.Fatalf("key %d: %+v %v", i, e, ok)
		}
	}
	if len(s.more) != 1 {
		t.Fatalf("%d keys beside the slots, want the long one", len(s.more))
	}
}

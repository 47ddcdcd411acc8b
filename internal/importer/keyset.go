package importer

import (
	"hash/maphash"
	"math"

	"github.com/tandemcrm/tandem/internal/crm"
)

// keySet maps the dedupe keys of a run (emails, phone digits, external
// ids) to the records holding them; the first record with a key wins. A
// big import holds a million keys for its whole run, and as a
// map[string]entry they were a million strings the garbage collector
// traced on every cycle: a quarter of a 1M-row import's CPU was GC (CPU
// profile, docs/BENCHMARKS.md). Here the map holds no pointers: keys are
// hashed, and each is kept once in chunks of bytes to tell apart two keys
// with the same hash (the second goes to a small map of its own).
//
// It is also the largest thing a big import keeps, and every byte of it
// narrows the room the collector has under the import's soft memory limit
// (a heap of ~120 MB under a goal of ~123 MB made the collector run all
// the time at 1M rows). So a slot is 24 bytes, and the keys' text grows a
// chunk at a time instead of being copied into a slice twice as large.
type keySet struct {
	hash   func(string) uint64
	slots  map[uint64]keySlot
	chunks [][]byte         // every key in slots, one after the other
	more   map[string]entry // keys whose hash another key had first
}

// keySlot is an entry and where its key is: chunk off>>chunkBits, from
// byte off&chunkMask, n bytes long.
type keySlot struct {
	id, owner crm.ID
	off       uint32
	n         uint16
	mine      bool
}

const (
	chunkBits = 20 // 1 MiB chunks; 4,096 of them before off runs out
	chunkMask = 1<<chunkBits - 1
)

func newKeySet() *keySet {
	seed := maphash.MakeSeed()
	return &keySet{hash: func(k string) uint64 { return maphash.String(seed, k) }, slots: map[uint64]keySlot{}}
}

func (s *keySet) key(sl keySlot) []byte {
	c, o := sl.off>>chunkBits, sl.off&chunkMask
	return s.chunks[c][o : o+uint32(sl.n)]
}

// get returns the record holding key k.
func (s *keySet) get(k string) (entry, bool) {
	if sl, ok := s.slots[s.hash(k)]; ok && string(s.key(sl)) == k {
		return entry{id: sl.id, owner: sl.owner, mine: sl.mine}, true
	}
	e, ok := s.more[k]
	return e, ok
}

// add records that e holds key k, unless a record holds it already.
func (s *keySet) add(k string, e entry) {
	h := s.hash(k)
	sl, taken := s.slots[h]
	if taken && string(s.key(sl)) == k {
		return
	}
	if !taken {
		if off, ok := s.store(k); ok {
			s.slots[h] = keySlot{id: e.id, owner: e.owner, off: off, n: uint16(len(k)), mine: e.mine}
			return
		}
	}
	if s.more == nil {
		s.more = map[string]entry{}
	}
	if _, dup := s.more[k]; !dup {
		s.more[k] = e
	}
}

// store appends k's bytes to the last chunk, or to a new one, and says
// where; false when k cannot have a slot (too long, or no room left).
func (s *keySet) store(k string) (uint32, bool) {
	if len(k) > math.MaxUint16 || len(k) > chunkMask {
		return 0, false
	}
	last := len(s.chunks) - 1
	if last < 0 || len(s.chunks[last])+len(k) > cap(s.chunks[last]) {
		if len(s.chunks) == math.MaxUint32>>chunkBits+1 {
			return 0, false
		}
		s.chunks = append(s.chunks, make([]byte, 0, 1<<chunkBits))
		last++
	}
	off := uint32(last)<<chunkBits | uint32(len(s.chunks[last]))
	s.chunks[last] = append(s.chunks[last], k...)
	return off, true
}

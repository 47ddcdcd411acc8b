package importer

import (
	"hash/maphash"
	"math"
)

// keySet maps the dedupe keys of a run (emails, phone digits, external
// ids) to the records holding them; the first record with a key wins. A
// big import holds a million keys for its whole run, and as a
// map[string]entry they were a million strings the garbage collector
// traced on every cycle: a quarter of a 1M-row import's CPU was GC (CPU
// profile, docs/BENCHMARKS.md). Here the map holds no pointers: keys are
// hashed, and each is kept once in one byte slice to tell apart two keys
// with the same hash (the second goes to a small map of its own).
type keySet struct {
	hash  func(string) uint64
	slots map[uint64]keySlot
	text  []byte           // every key in slots, one after the other
	more  map[string]entry // keys whose hash another key had first
}

type keySlot struct {
	entry
	off, n uint32 // the key is text[off:off+n]
}

func newKeySet() *keySet {
	seed := maphash.MakeSeed()
	return &keySet{hash: func(k string) uint64 { return maphash.String(seed, k) }, slots: map[uint64]keySlot{}}
}

// get returns the record holding key k.
func (s *keySet) get(k string) (entry, bool) {
	if sl, ok := s.slots[s.hash(k)]; ok && string(s.text[sl.off:sl.off+sl.n]) == k {
		return sl.entry, true
	}
	e, ok := s.more[k]
	return e, ok
}

// add records that e holds key k, unless a record holds it already.
func (s *keySet) add(k string, e entry) {
	h := s.hash(k)
	sl, taken := s.slots[h]
	switch {
	case taken && string(s.text[sl.off:sl.off+sl.n]) == k:
		return
	case !taken && uint64(len(s.text))+uint64(len(k)) <= math.MaxUint32:
		s.slots[h] = keySlot{entry: e, off: uint32(len(s.text)), n: uint32(len(k))}
		s.text = append(s.text, k...)
		return
	}
	if s.more == nil {
		s.more = map[string]entry{}
	}
	if _, dup := s.more[k]; !dup {
		s.more[k] = e
	}
}

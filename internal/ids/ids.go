// Package ids generates Tandem's record identifiers and the opaque tokens used
// where an identifier would otherwise appear in a public link.
//
// An ID is 63 bits: 41 bits of milliseconds since 2024-01-01 (about 69 years),
// 10 bits of node number and 12 bits of sequence. The node number is leased
// from the database by each running process (store.ClaimNode), so replicas of
// the binary never hand out the same id and no global sequence is needed.
package ids

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"sync"
	"time"

	"github.com/tandemcrm/tandem/internal/crm"
)

const (
	nodeBits = 10
	seqBits  = 12
	// MaxNode is the largest node number.
	MaxNode = 1<<nodeBits - 1
	maxSeq  = 1<<seqBits - 1
)

// epoch is 2024-01-01T00:00:00Z in Unix milliseconds.
const epoch = 1704067200000

// Generator hands out time-ordered ids for one node. It is safe for concurrent use.
type Generator struct {
	mu   sync.Mutex
	node int64
	last int64 // milliseconds since epoch of the last id
	seq  int64
	now  func() time.Time
}

// New returns a generator for node (0..MaxNode). now may be nil for time.Now.
func New(node int, now func() time.Time) (*Generator, error) {
	if node < 0 || node > MaxNode {
		return nil, fmt.Errorf("ids: node %d out of range 0..%d", node, MaxNode)
	}
	if now == nil {
		now = time.Now
	}
	return &Generator{node: int64(node), now: now}, nil
}

// Next returns a new id, larger than every id this generator returned before.
// When the clock goes backwards it keeps counting from the last millisecond it
// saw instead of repeating ids.
func (g *Generator) Next() crm.ID {
	g.mu.Lock()
	defer g.mu.Unlock()
	ms := g.now().UnixMilli() - epoch
	if ms < g.last {
		ms = g.last
	}
	if ms == g.last {
		g.seq++
		if g.seq > maxSeq {
			// 4096 ids in one millisecond: borrow the next millisecond.
			ms++
			g.seq = 0
		}
	} else {
		g.seq = 0
	}
	g.last = ms
	return crm.ID(ms<<(nodeBits+seqBits) | g.node<<seqBits | g.seq)
}

// Time returns the moment an id was generated (to the millisecond).
func Time(id crm.ID) time.Time {
	return time.UnixMilli(int64(id)>>(nodeBits+seqBits) + epoch).UTC()
}

// Token returns an opaque, URL-safe random token of n random bytes, for public
// links (tracking pixels, unsubscribe, setup, calendar feeds).
func Token(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("ids: crypto/rand failed: " + err.Error()) // never happens on Linux
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

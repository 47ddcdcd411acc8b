package store

import (
	"container/list"
	"context"
	"database/sql"
	"sync"
)

// stmtCache keeps the SQLite readers' prepared statements by their text,
// the most recently used stmtCacheSize of them. database/sql prepares a
// cached statement once per connection and reuses it there; without the
// cache every query was parsed and planned again, a sixth of a list page's
// CPU and half of a record page's (docs/BENCHMARKS.md). SQLite still plans
// a statement again when its plan depends on the values bound to it
// (sqlite_stat4).
//
// Preparing a statement for the cache takes a connection of the pool
// besides the transaction's own: the pool holds one more connection than
// read transactions may use at once (readSlots), or transactions waiting
// to prepare could hold every connection.
type stmtCache struct {
	db  *sql.DB
	mu  sync.Mutex
	m   map[string]*list.Element
	lru list.List // of *cachedStmt, most recently used first
}

type cachedStmt struct {
	q       string
	st      *sql.Stmt
	users   int  // transactions between lookup and StmtContext
	evicted bool // out of the cache: closed when users drops to 0
}

// stmtCacheSize bounds the cache (and the memory of prepared statements:
// each reader connection holds its own copy of those it ran).
const stmtCacheSize = 256

func newStmtCache(db *sql.DB) *stmtCache {
	return &stmtCache{db: db, m: map[string]*list.Element{}}
}

// stmt is q as a statement of tx that reuses the one prepared on tx's
// connection, preparing it first when needed.
func (c *stmtCache) stmt(ctx context.Context, tx *sql.Tx, q string) (*sql.Stmt, error) {
	cs, err := c.take(ctx, q)
	if err != nil {
		return nil, err
	}
	st := tx.StmtContext(ctx, cs.st)
	c.mu.Lock()
	cs.users--
	closeNow := cs.evicted && cs.users == 0
	c.mu.Unlock()
	if closeNow {
		// A statement of a transaction keeps its connection's prepared
		// one until the transaction ends; database/sql closes it then.
		cs.st.Close()
	}
	return st, nil
}

// take finds q in the cache or prepares it, and counts one more user.
func (c *stmtCache) take(ctx context.Context, q string) (*cachedStmt, error) {
	c.mu.Lock()
	if e, ok := c.m[q]; ok {
		c.lru.MoveToFront(e)
		cs := e.Value.(*cachedStmt)
		cs.users++
		c.mu.Unlock()
		return cs, nil
	}
	c.mu.Unlock()
	st, err := c.db.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if e, ok := c.m[q]; ok { // another transaction prepared it meanwhile
		cs := e.Value.(*cachedStmt)
		cs.users++
		c.mu.Unlock()
		st.Close()
		return cs, nil
	}
	cs := &cachedStmt{q: q, st: st, users: 1}
	c.m[q] = c.lru.PushFront(cs)
	var old *cachedStmt
	if c.lru.Len() > stmtCacheSize {
		e := c.lru.Back()
		c.lru.Remove(e)
		old = e.Value.(*cachedStmt)
		delete(c.m, old.q)
		old.evicted = true
		if old.users > 0 {
			old = nil // its last user closes it
		}
	}
	c.mu.Unlock()
	if old != nil {
		old.st.Close()
	}
	return cs, nil
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, e := range c.m {
		e.Value.(*cachedStmt).st.Close()
	}
	clear(c.m)
	c.lru.Init()
}

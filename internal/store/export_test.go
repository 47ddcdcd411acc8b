package store

// RenewNodeNow runs one lease renewal at once, as the ticker would.
func (db *DB) RenewNodeNow() {
	db.mu.RLock()
	l := db.node
	db.mu.RUnlock()
	db.renewOnce(l)
}

// CachedStatements is how many read statements the SQLite cache holds.
func (db *DB) CachedStatements() int {
	db.stmts.mu.Lock()
	defer db.stmts.mu.Unlock()
	return db.stmts.lru.Len()
}

// StmtCacheSize is the cache's bound.
const StmtCacheSize = stmtCacheSize

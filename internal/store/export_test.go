package store

// RenewNodeNow runs one lease renewal at once, as the ticker would.
func (db *DB) RenewNodeNow() {
	db.mu.RLock()
	l := db.node
	db.mu.RUnlock()
	db.renewOnce(l)
}

// CachedStatements is how many read statements the SQLite cache holds.
func (db *DB) CachedStatements() int { return db.stmts.len() }

// StmtCacheSize is the cache's bound.
const StmtCacheSize = stmtCacheSize

package store

// RenewNodeNow runs one lease renewal at once, as the ticker would.
func (db *DB) RenewNodeNow() {
	db.mu.RLock()
	l := db.node
	db.mu.RUnlock()
	db.renewOnce(l)
}

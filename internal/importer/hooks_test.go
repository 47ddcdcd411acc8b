package importer

// SetRebuildMinRows lowers the staged-row count from which a merge
// rebuilds the contacts indexes (SQLite), so a small test takes that path;
// it returns a function restoring the default.
func SetRebuildMinRows(n int) func() {
	old := rebuildMinRows
	rebuildMinRows = n
	return func() { rebuildMinRows = old }
}

// OnIndexChunk calls fn after each committed chunk of search documents; it
// returns a function removing it.
func OnIndexChunk(fn func()) func() {
	indexChunkDone = fn
	return func() { indexChunkDone = nil }
}

// OnMergeRange calls fn after each range a chunked merge (PostgreSQL)
// commits; it returns a function removing it.
func OnMergeRange(fn func()) func() {
	mergeRangeDone = fn
	return func() { mergeRangeDone = nil }
}

// SetIndexChunkRows sets how many search documents a chunk writes; it
// returns a function restoring the default.
func SetIndexChunkRows(n int) func() {
	old := indexChunkRows
	indexChunkRows = n
	return func() { indexChunkRows = old }
}

// OnCommit calls fn on each batch's commit goroutine before it writes; it
// returns a function removing it.
func OnCommit(fn func()) func() {
	commitStarting = fn
	return func() { commitStarting = nil }
}

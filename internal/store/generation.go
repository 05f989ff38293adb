package store

// WriteGeneration changes after every write transaction this process
// commits (InTx), except the read audit's group commit. A cache of what the
// database said — such as verified API tokens — notes the generation before
// it reads and may serve the entry only while the generation is unchanged,
// so a token revoked, a user disabled or a role changed through this process
// is never served from the cache once the change is committed. Writes by
// other processes (the termtem CLI) are not seen here: such a cache must
// also expire its entries after a short time.
func (db *DB) WriteGeneration() uint64 { return db.writes.Load() }

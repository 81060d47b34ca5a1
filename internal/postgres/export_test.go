package postgres

import "github.com/jackc/pgx/v5/pgxpool"

// Pool exposes the store's pool to the tests of package postgres_test, for their raw SQL
// and for the tests that hold or break the store's own connections.
func Pool(db *DB) *pgxpool.Pool { return db.pool }

package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// Pool exposes the store's pool to the tests of package postgres_test, for their raw SQL
// and for the tests that hold or break the store's own connections.
func Pool(db *DB) *pgxpool.Pool { return db.pool }

// Notify writes n in a transaction of its own, which fail, when not nil, then rolls back:
// what a change that tells someone and then fails leaves behind.
func Notify(ctx context.Context, db *DB, n fabrique.NewNotification, fail error) error {
	return db.withTx(ctx, func(tx pgx.Tx) error {
		if err := db.notify(ctx, tx, n); err != nil {
			return err
		}
		return fail
	})
}

// SetFenceTimeout bounds db's waits for the listeners' answers to d.
func SetFenceTimeout(db *DB, d time.Duration) { db.fenceTimeout.Store(int64(d)) }

// SetListenerPing makes db's listeners ping after d without a notification, and give up
// after d without an answer.
func SetListenerPing(db *DB, d time.Duration) { db.listenerPing.Store(int64(d)) }

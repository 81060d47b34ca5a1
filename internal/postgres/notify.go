package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// ChangeChannel is the channel on which every transaction that changes the platform's
// data notifies, once, at its commit (the statement triggers of migration 00017).
const ChangeChannel = "fabrique_change"

// ListenChanges calls changed for every notification on ChangeChannel until ctx is done.
// It holds a connection of its own, outside the pool. listening(nil) is called once the
// connection listens, listening(err) when it is lost or cannot be had — changes may go
// unheard until the next listening(nil), after a retry every 2 seconds at most (the
// page cache serves nothing meanwhile, so each retry is cheaper than the pages it spares).
func (db *DB) ListenChanges(ctx context.Context, changed func(), listening func(error)) {
	wait := 100 * time.Millisecond
	for ctx.Err() == nil {
		heard := false
		listening(db.listen(ctx, changed, func(err error) { heard = err == nil; listening(err) }))
		if ctx.Err() != nil {
			return
		}
		if heard { // a connection that listened and was lost: retry soon, as at start
			wait = 100 * time.Millisecond
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = min(2*wait, 2*time.Second)
	}
}

func (db *DB) listen(ctx context.Context, changed func(), listening func(error)) error {
	cfg := db.pool.Config().ConnConfig.Copy()
	cfg.Tracer = nil // not one of the app's queries
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return fmt.Errorf("postgres: listen: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+ChangeChannel); err != nil {
		return fmt.Errorf("postgres: listen: %w", err)
	}
	listening(nil)
	for {
		if _, err := conn.WaitForNotification(ctx); err != nil {
			return fmt.Errorf("postgres: listen: %w", err)
		}
		changed()
	}
}

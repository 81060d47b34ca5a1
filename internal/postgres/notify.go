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
// It holds a connection of its own, outside the pool. listening(true) is called once the
// connection listens, listening(false) when it is lost — changes may go unheard until
// the next listening(true), after a retry every few seconds.
func (db *DB) ListenChanges(ctx context.Context, changed func(), listening func(bool)) {
	wait := 100 * time.Millisecond
	for ctx.Err() == nil {
		err := db.listen(ctx, changed, listening)
		listening(false)
		if ctx.Err() != nil {
			return
		}
		_ = err // the next attempt tells whether the server is back
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = min(2*wait, 5*time.Second)
	}
}

func (db *DB) listen(ctx context.Context, changed func(), listening func(bool)) error {
	cfg := db.Pool.Config().ConnConfig.Copy()
	cfg.Tracer = nil // not one of the app's queries
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return fmt.Errorf("postgres: listen: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+ChangeChannel); err != nil {
		return fmt.Errorf("postgres: listen: %w", err)
	}
	listening(true)
	for {
		if _, err := conn.WaitForNotification(ctx); err != nil {
			return fmt.Errorf("postgres: listen: %w", err)
		}
		changed()
	}
}

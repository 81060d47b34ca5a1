package postgres

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// fenceTimeout bounds a revoker's wait for the listeners' answers (FenceSessions).
const fenceTimeout = 2 * time.Second

// SetLogger sets where the store logs what it cannot return (a fence unanswered).
func (db *DB) SetLogger(l *slog.Logger) { db.logger.Store(l) }

func (db *DB) log() *slog.Logger {
	if l := db.logger.Load(); l != nil {
		return l
	}
	return slog.Default()
}

// FenceSessions returns once every instance listening for changes has forgotten the
// sessions it keeps between requests (see fenceChannel): called after the commit of
// whatever revokes a session, so that the next request carrying it is refused on every
// instance, not only once each has heard of it. Whatever revokes — a session row
// deleted, an account's session_epoch raised, its role changed, the account erased —
// must call it. A listener silent for fenceTimeout (its process stalled, its connection
// half-dead) is logged and not waited for: the revocation is committed, and the request
// that made it is not failed for another process's sake.
func (db *DB) FenceSessions(ctx context.Context) {
	if err := db.fenceSessions(ctx); err != nil {
		db.log().Warn("session revocation not confirmed by every instance", "err", err)
	}
}

func (db *DB) fenceSessions(ctx context.Context) error {
	// Carried through even if the request that revoked goes away meanwhile.
	wait := fenceTimeout
	if d := db.fenceTimeout.Load(); d > 0 {
		wait = time.Duration(d) // tests
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), wait)
	defer cancel()
	// Listed before the fence is sent: each one listed already listens, and hears it; one
	// that starts listening later starts with nothing kept.
	listeners, err := db.sessionListeners(ctx)
	if err != nil || len(listeners) == 0 {
		return err
	}
	conn, err := db.connectAlone(ctx)
	if err != nil {
		return fmt.Errorf("postgres: fence: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	id := randomID()
	if _, err := conn.Exec(ctx, "LISTEN "+fenceAckChannel); err != nil {
		return fmt.Errorf("postgres: fence: %w", err)
	}
	if _, err := conn.Exec(ctx, "SELECT pg_notify($1, $2)", fenceChannel, id); err != nil {
		return fmt.Errorf("postgres: fence: %w", err)
	}
	for len(listeners) > 0 {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			silent := make([]string, 0, len(listeners))
			for l := range listeners {
				silent = append(silent, l)
			}
			return fmt.Errorf("postgres: fence: no answer from listener(s) %s: %w", strings.Join(silent, ", "), err)
		}
		if fence, listener, ok := strings.Cut(n.Payload, " "); ok && fence == id {
			delete(listeners, listener)
		}
	}
	return nil
}

// sessionListeners are the ids of the connections listening for changes (ListenChanges)
// on this database now.
func (db *DB) sessionListeners(ctx context.Context) (map[string]bool, error) {
	rows, err := db.pool.Query(ctx,
		`SELECT substr(application_name, length($1) + 1) FROM pg_stat_activity
		  WHERE datname = current_database() AND starts_with(application_name, $1)`, listenerAppPrefix)
	if err != nil {
		return nil, fmt.Errorf("postgres: fence: listeners: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("postgres: fence: listeners: %w", err)
	}
	listeners := make(map[string]bool, len(ids))
	for _, id := range ids {
		listeners[id] = true
	}
	return listeners, nil
}

package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// ChangeChannel is the channel on which every transaction that changes the platform's
// data notifies, once, at its commit (the statement triggers of migration 00017).
const ChangeChannel = "fabrique_change"

// The session fence (FenceSessions): a revocation — a session ended, an account's epoch
// raised, its role changed, the account erased — is not done before every instance that
// keeps sessions between requests has forgotten them. The revoker notifies a fence on
// fenceChannel; each listener, having handled everything notified before it (PostgreSQL
// delivers notifications in commit order), forgets every session it keeps and answers on
// fenceAckChannel with the fence's id and its own; the revoker waits for the answer of
// every listener PostgreSQL lists (listenerAppPrefix in pg_stat_activity). A fence
// without an id (a notification written or marked read, migration 00046) is only to
// forget: nobody waits for it.
const (
	fenceChannel      = "fabrique_session_fence"
	fenceAckChannel   = "fabrique_session_fence_ack"
	listenerAppPrefix = "fabrique-listen "
)

// Listener is what ListenChanges tells of what it hears.
type Listener struct {
	Changed   func()      // a change was committed (ChangeChannel)
	Fenced    func()      // forget every session kept: a fence (answered after it returns), or a notification written or read
	Listening func(error) // nil once listening; the error when the connection is lost or cannot be had
}

// ListenChanges tells l of every change and fence until ctx is done. It holds a
// connection of its own, outside the pool. l.Listening(nil) is called once the
// connection listens, l.Listening(err) when it is lost or cannot be had — changes may go
// unheard until the next Listening(nil), after a retry every 2 seconds at most (the
// page cache serves nothing meanwhile, so each retry is cheaper than the pages it spares).
func (db *DB) ListenChanges(ctx context.Context, l Listener) {
	wait := 100 * time.Millisecond
	for ctx.Err() == nil {
		heard := false
		l.Listening(db.listen(ctx, l, func(err error) { heard = err == nil; l.Listening(err) }))
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

func (db *DB) listen(ctx context.Context, l Listener, listening func(error)) error {
	conn, err := db.connectAlone(ctx)
	if err != nil {
		return fmt.Errorf("postgres: listen: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+ChangeChannel+"; LISTEN "+fenceChannel); err != nil {
		return fmt.Errorf("postgres: listen: %w", err)
	}
	// Named only once it listens: a revoker waits for the listeners it sees, and each
	// one it sees hears its fence.
	id := randomID()
	if _, err := conn.Exec(ctx, "SELECT set_config('application_name', $1, false)", listenerAppPrefix+id); err != nil {
		return fmt.Errorf("postgres: listen: %w", err)
	}
	listening(nil)
	every, within := db.listenerPings()
	for {
		wait, cancel := context.WithTimeout(ctx, every)
		n, err := conn.WaitForNotification(wait)
		cancel()
		if err != nil && ctx.Err() == nil && wait.Err() != nil {
			// Nothing heard for a while: a connection cut off without a word (a silent
			// partition, which TCP's keepalive would tell in minutes) must not leave
			// the caches serving what they may no longer be told about.
			ping, cancel := context.WithTimeout(ctx, within)
			err = conn.Ping(ping)
			cancel()
			if err == nil {
				continue
			}
			return fmt.Errorf("postgres: listen: no answer to a ping within %v: %w", within, err)
		}
		if err != nil {
			return fmt.Errorf("postgres: listen: %w", err)
		}
		if n.Channel != fenceChannel {
			l.Changed()
			continue
		}
		l.Fenced()
		if n.Payload == "" {
			continue // a notification written or read (migration 00046): nothing to answer
		}
		if _, err := conn.Exec(ctx, "SELECT pg_notify($1, $2)", fenceAckChannel, n.Payload+" "+id); err != nil {
			return fmt.Errorf("postgres: listen: fence: %w", err)
		}
	}
}

// A listener that hears nothing for listenerPingEvery pings its connection, and gives it
// up (not listening: the caches serve nothing) when no answer comes within
// listenerPingWithin: an instance cut off from PostgreSQL stops serving from memory within
// seconds — a kept session revoked meanwhile among what it would serve.
const (
	listenerPingEvery  = 5 * time.Second
	listenerPingWithin = 2 * time.Second
)

func (db *DB) listenerPings() (every, within time.Duration) {
	every, within = listenerPingEvery, listenerPingWithin
	if d := db.listenerPing.Load(); d > 0 { // tests
		every, within = time.Duration(d), time.Duration(d)
	}
	return every, within
}

// connectAlone opens a connection of its own, outside the pool, whose queries are not the
// app's (no tracer): to listen, which holds it.
func (db *DB) connectAlone(ctx context.Context) (*pgx.Conn, error) {
	cfg := db.pool.Config().ConnConfig.Copy()
	cfg.Tracer = nil
	return pgx.ConnectConfig(ctx, cfg)
}

// randomID is 16 random hexadecimal digits.
func randomID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return hex.EncodeToString(b)
}

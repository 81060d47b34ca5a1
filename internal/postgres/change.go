package postgres

import (
	"context"
	"sync/atomic"
)

// A ChangeNote tells whether the store committed, for one request, a change to data a
// page may show: a row written in a table that announces its changes on ChangeChannel.
// The page cache drops its pages only then (a refused or anonymous POST changes nothing
// a page shows), before the answer leaves, so that the writer reads their write even if
// PostgreSQL's notification has not arrived yet.
type ChangeNote struct{ changed atomic.Bool }

type changeNoteKey struct{}

// WatchChanges returns ctx carrying a new ChangeNote, and the note.
func WatchChanges(ctx context.Context) (context.Context, *ChangeNote) {
	n := &ChangeNote{}
	return context.WithValue(ctx, changeNoteKey{}, n), n
}

// Changed reports whether a change was committed (or may have been: a commit that
// failed counts, so that in doubt the pages are dropped).
func (n *ChangeNote) Changed() bool { return n.changed.Load() }

// noteChange records on ctx's note, if any, that a change was committed. withTx does
// it for every transaction; a write outside one (autocommit) to a notified table must
// call it after its statement succeeds and changed rows.
func noteChange(ctx context.Context) {
	if n, _ := ctx.Value(changeNoteKey{}).(*ChangeNote); n != nil {
		n.changed.Store(true)
	}
}

func watchingChanges(ctx context.Context) bool { return ctx.Value(changeNoteKey{}) != nil }

// A transaction that announces its change itself (withTx, watched) learns whether it
// wrote (INSERT, UPDATE, DELETE, even of no row) a table carrying the change-notification
// trigger of migration 00017 — exactly the transactions whose commit PostgreSQL would
// announce (sessions and login attempts, for instance, are left out): the trigger notes it
// in the transaction-local setting fabrique.changed (migration 00042), undone with a
// rolled-back savepoint as the write is, and commitWatchedBatch reads it. Reading pg_locks
// instead, as before, took every partition lock of the lock manager.

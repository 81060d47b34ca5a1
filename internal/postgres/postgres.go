// Package postgres is the store: the pgx pool, transactions, the translation of
// PostgreSQL errors into domain errors, and one file per aggregate.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/multitracer"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// DBTX is what both the pool and a transaction offer, so helpers work with either.
type DBTX interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// DB is the store.
type DB struct {
	pool *pgxpool.Pool
	jobs JobInserter // nil: notifications are written, nothing is queued to send them
	// documents keeps uploaded documents' bytes; nil: in the documents table.
	documents DocumentStore
	logger    atomic.Pointer[slog.Logger] // nil: slog's default (SetLogger)
	// fenceTimeout and listenerPing, set by tests only, replace the constants'
	// (nanoseconds; listenerPing both the listener's pause and its wait).
	fenceTimeout atomic.Int64
	listenerPing atomic.Int64
}

// DefaultConnectTimeout bounds the opening of a connection (TCP, TLS, authentication)
// when DATABASE_URL sets no connect_timeout: a page must answer within 2 s, even a 503.
const DefaultConnectTimeout = time.Second

// AcquireTimeout bounds the wait for a connection of the pool (pings of idle
// connections and connecting included; longer if connect_timeout is): past it, the
// request fails as Unavailable and answers 503, rather than hang while the database does
// not answer.
const AcquireTimeout = 1500 * time.Millisecond

// acquireDeadline is the pool tracer that puts AcquireTimeout on each Acquire (pgxpool
// acquires with the context TraceAcquireStart returns); it traces nothing.
type acquireDeadline time.Duration

type acquireCancelKey struct{}

func (d acquireDeadline) TraceAcquireStart(ctx context.Context, _ *pgxpool.Pool, _ pgxpool.TraceAcquireStartData) context.Context {
	ctx, cancel := context.WithTimeout(ctx, time.Duration(d))
	return context.WithValue(ctx, acquireCancelKey{}, cancel)
}

func (acquireDeadline) TraceAcquireEnd(ctx context.Context, _ *pgxpool.Pool, _ pgxpool.TraceAcquireEndData) {
	if cancel, ok := ctx.Value(acquireCancelKey{}).(context.CancelFunc); ok {
		cancel()
	}
}

func (acquireDeadline) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	return ctx
}

func (acquireDeadline) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// Options tune the pool.
type Options struct {
	MaxConns int32           // 0: pgx's default (max(4, CPUs))
	Tracer   pgx.QueryTracer // optional: counts queries in tests and benchmarks
}

// Open connects to url and checks the server answers.
func Open(ctx context.Context, url string, opt Options) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: parse DATABASE_URL: %w", err)
	}
	if opt.MaxConns > 0 {
		cfg.MaxConns = opt.MaxConns
	}
	if cfg.ConnConfig.ConnectTimeout == 0 {
		// Without it, a database host that does not answer holds each request for the
		// system's TCP timeout; with it, requests fail fast with a 503 (Unavailable).
		// connect_timeout in DATABASE_URL overrides it.
		cfg.ConnConfig.ConnectTimeout = DefaultConnectTimeout
	}
	// The pool pings a connection idle for a second before lending it: a host gone
	// silent must not hold the request on that ping.
	cfg.PingTimeout = DefaultConnectTimeout
	// Acquiring may have to connect: a connect_timeout longer than AcquireTimeout in
	// DATABASE_URL (the tests' busy machine) lengthens the wait to match.
	tracers := []pgx.QueryTracer{acquireDeadline(max(AcquireTimeout, cfg.ConnConfig.ConnectTimeout+500*time.Millisecond))}
	if opt.Tracer != nil {
		tracers = append(tracers, opt.Tracer)
	}
	cfg.ConnConfig.Tracer = multitracer.New(tracers...)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: open pool: %w", err)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := pool.Ping(pingCtx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: ping %s@%s:%d/%s: %w", cfg.ConnConfig.User, cfg.ConnConfig.Host, cfg.ConnConfig.Port, cfg.ConnConfig.Database, err)
	}
	return &DB{pool: pool}, nil
}

// Pool is the connection pool: the job queue's transactions are the store's.
func (db *DB) Pool() *pgxpool.Pool { return db.pool }

// Side opens a store of its own on the same database, with a pool of at most maxConns
// connections, for the job queue's background work (river's polling, the workers): off
// the pool that serves requests, and outside its query tracer, so that the counts of a
// page's queries stay those of the page. Connections open when first needed.
func (db *DB) Side(maxConns int32) (*DB, error) {
	cfg := db.pool.Config()
	cfg.ConnConfig.Tracer = nil
	cfg.MaxConns, cfg.MinConns = maxConns, 0
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: side pool: %w", err)
	}
	return &DB{pool: pool, jobs: db.jobs}, nil
}

// Close closes the pool.
func (db *DB) Close() { db.pool.Close() }

// Ping checks that the database answers (the health check).
func (db *DB) Ping(ctx context.Context) error { return db.pool.Ping(ctx) }

// withTx runs fn in a transaction, committed when fn returns nil and rolled back otherwise.
//
// For a request whose changes the page cache watches, the transaction's change is
// announced once it is committed rather than by its tables' triggers (migration 00040):
// PostgreSQL commits the transactions that NOTIFY one at a time, each holding one lock
// through its WAL flush, which made every write wait for the others'. See commitWatched.
func (db *DB) withTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	if watchingChanges(ctx) {
		return db.withWatchedTx(ctx, fn)
	}
	tx, err := db.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("postgres: begin: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // a no-op after Commit
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("postgres: commit: %w", mapError(err))
	}
	return nil
}

// withWatchedTx is withTx for a request whose changes are watched: its transaction
// lets the triggers note a change instead of notifying (one round trip: the simple
// protocol takes both statements), and commitWatched ends it.
func (db *DB) withWatchedTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	c, err := db.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("postgres: begin: %w", err)
	}
	// A connection released inside a transaction (a commit whose batch failed half-way)
	// is closed by the pool rather than lent again.
	defer c.Release()
	tx, err := c.Conn().BeginTx(ctx, pgx.TxOptions{BeginQuery: "BEGIN; SET LOCAL fabrique.notify_after_commit TO 'on'"})
	if err != nil {
		return fmt.Errorf("postgres: begin: %w", err)
	}
	committing := false
	defer func() {
		if !committing { // fn failed or panicked: undone, and the connection lent again
			_ = tx.Rollback(ctx)
		}
	}()
	if err := fn(tx); err != nil {
		return err
	}
	committing = true
	return db.commitWatched(ctx, c.Conn(), tx)
}

// commitWatchedBatch asks whether the transaction wrote a table carrying the change
// trigger (fabrique.changed, see change.go), keeping the answer past the commit in a
// session setting (each watched commit sets it afresh), commits, and announces the change
// in a transaction of its own — which writes no WAL, so holds the notification lock an
// instant: one round trip where there were three (the question, COMMIT, and the
// announcement on another connection).
var commitWatchedBatch = [3]string{
	`SELECT set_config('fabrique.announce', coalesce(current_setting('fabrique.changed', true), ''), false) = 'on'`,
	`COMMIT`,
	`SELECT pg_notify($1, '') WHERE current_setting('fabrique.announce', true) = 'on'`,
}

// commitWatched commits tx, the open transaction of conn, and announces its change if it
// wrote a notified table, noting it on ctx for the page cache. A commit whose outcome is
// unknown (the connection lost on the way) is noted as a change too: in doubt the pages
// are dropped, which costs a rebuild and nothing else.
func (db *DB) commitWatched(ctx context.Context, conn *pgx.Conn, tx pgx.Tx) error {
	b := &pgx.Batch{}
	b.Queue(commitWatchedBatch[0])
	b.Queue(commitWatchedBatch[1])
	b.Queue(commitWatchedBatch[2], ChangeChannel)
	br := conn.SendBatch(ctx, b)
	var wrote bool
	asked := br.QueryRow().Scan(&wrote)
	tag, committed := br.Exec()
	_, announced := br.Exec()
	closed := br.Close()
	var pgErr *pgconn.PgError
	switch {
	case asked != nil && errors.As(asked, &pgErr):
		// Refused before COMMIT ran (a transaction fn left aborted): undone.
		_ = tx.Rollback(ctx)
		return fmt.Errorf("postgres: commit: %w", mapError(asked))
	case asked != nil || committed != nil && !errors.As(committed, &pgErr):
		noteChange(ctx)
		return fmt.Errorf("postgres: commit: %w", mapError(errors.Join(asked, committed)))
	case committed != nil:
		return fmt.Errorf("postgres: commit: %w", mapError(committed))
	case tag.String() == "ROLLBACK": // COMMIT of a transaction fn left aborted
		return fmt.Errorf("postgres: commit: %w", pgx.ErrTxCommitRollback)
	}
	if wrote {
		noteChange(ctx)
		if announced != nil || closed != nil {
			// Committed but not announced: once more on another connection; failing that,
			// the other instances' caches drop what they hold within their TTL (a minute
			// for what they keep until a change).
			db.announceChange(ctx)
		}
	}
	return nil
}

// announceChange tells every instance listening on ChangeChannel that the platform
// changed, as the tables' triggers do, in a transaction of its own.
func (db *DB) announceChange(ctx context.Context) {
	_, _ = db.pool.Exec(context.WithoutCancel(ctx), `SELECT pg_notify($1, '')`, ChangeChannel)
}

// mapError translates the PostgreSQL errors a user can cause into domain errors, in one
// place: a unique violation is a conflict, a check violation invalid input, a missing
// row not found.
func mapError(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return fabrique.ErrNotFound
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "23505": // unique_violation
			return fabrique.ErrValueTaken
		case "23514", "22001", "22P02", "22021": // check_violation, string too long, invalid text, bad encoding
			return fabrique.ErrInvalidValue
		case "40001", "40P01": // serialization failure, deadlock
			return fabrique.ErrConcurrentChange
		}
	}
	return err
}

// isUniqueViolation reports whether err is a unique violation on constraint.
func isUniqueViolation(err error, constraint string) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23505" && (constraint == "" || pgErr.ConstraintName == constraint)
}

// insertWithSlug inserts a row of table under the first free slug among base, base-2,
// base-3… (a reserved base starts at base-2). insert runs the INSERT … ON CONFLICT (slug)
// DO NOTHING RETURNING id for a slug: no row means a concurrent insert took the slug
// between the look-up and the insert, and the transaction stays usable for the next one.
func insertWithSlug(ctx context.Context, tx pgx.Tx, table, base string, insert func(slug string) pgx.Row) (int64, string, error) {
	rows, err := tx.Query(ctx, `SELECT slug FROM `+table+` WHERE slug = $1 OR slug LIKE $1 || '-%'`, base)
	if err != nil {
		return 0, "", fmt.Errorf("postgres: look up slugs: %w", err)
	}
	slugs, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return 0, "", fmt.Errorf("postgres: look up slugs: %w", err)
	}
	taken := make(map[string]bool, len(slugs))
	for _, s := range slugs {
		taken[s] = true
	}
	for n := 1; n < 10000; n++ {
		slug := base
		if n > 1 || fabrique.ReservedSlug(base) {
			slug = fabrique.SlugWithSuffix(base, max(n, 2))
		}
		if taken[slug] {
			continue
		}
		var id int64
		err := insert(slug).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			taken[slug] = true
			continue
		} else if err != nil {
			return 0, "", fmt.Errorf("postgres: insert into %s: %w", table, err)
		}
		return id, slug, nil
	}
	return 0, "", fabrique.ErrNoFreeSlug
}

// Unavailable reports whether err means that the database cannot be reached right now —
// connection refused, reset or lost, connecting timed out, the server shutting down or
// starting up, too many connections — rather than that a query is wrong: the app answers
// those with 503 and Retry-After (internal/server), and serves again by itself once the
// pool can connect.
func Unavailable(err error) bool {
	if err == nil {
		return false
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "57P01", "57P02", "57P03", "53300": // admin/crash shutdown, cannot connect now, too many connections
			return true
		}
		return strings.HasPrefix(pgErr.Code, "08") // connection exception
	}
	var connectErr *pgconn.ConnectError
	var netErr net.Error
	return errors.As(err, &connectErr) || errors.As(err, &netErr) || pgconn.Timeout(err) ||
		errors.Is(err, pgconn.ErrConnClosed) || errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		strings.HasSuffix(err.Error(), "closed pool") // pgxpool after Close (puddle.ErrClosedPool)
}

// PoolStat returns the pool's figures, for the metrics.
func (db *DB) PoolStat() *pgxpool.Stat { return db.pool.Stat() }

// QueueDepths are the e-mails of the outbox and the jobs of the queue, by state.
type QueueDepths struct {
	Emails map[string]int64
	Jobs   map[string]int64
}

// QueueDepths counts the outbox's e-mails and the queue's jobs by state, in one query.
func (db *DB) QueueDepths(ctx context.Context) (QueueDepths, error) {
	q := QueueDepths{Emails: map[string]int64{}, Jobs: map[string]int64{}}
	rows, err := db.pool.Query(ctx, `
		SELECT 'email', state::text, count(*) FROM emails GROUP BY state
		UNION ALL
		SELECT 'job', state::text, count(*) FROM river_job GROUP BY state`)
	if err != nil {
		return q, fmt.Errorf("postgres: queue depths: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var what, state string
		var n int64
		if err := rows.Scan(&what, &state, &n); err != nil {
			return q, fmt.Errorf("postgres: queue depths: %w", err)
		}
		if what == "email" {
			q.Emails[state] = n
		} else {
			q.Jobs[state] = n
		}
	}
	return q, rows.Err()
}

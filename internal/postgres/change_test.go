package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/pgtest"
	"github.com/fabrique-a-communs/fabrique/internal/postgres"
)

// A request's ChangeNote is set by a committed write to a table pages show, inside a
// transaction or not, and by nothing else.
//
// What is noted is announced on ChangeChannel, once, and nothing else is: on a pool of
// one connection, so that each transaction runs where the one before it announced (the
// setting carrying the note past the commit must not leak into the next).
func TestChangeNote(t *testing.T) {
	t.Parallel()
	db := pgtest.Open(t, pgtest.URL(t), postgres.Options{MaxConns: 1})
	alice := mustUser(t, db, "Alice Martin")
	place := mustCreatePlace(t, db, "La Fabrik", "Bretagne", alice)
	bob := mustUser(t, db, "Bob Durand")
	cases := []struct {
		name  string
		write func(ctx context.Context) error
		want  bool
	}{
		{"a défi created", func(ctx context.Context) error {
			_, err := db.CreateChallenge(ctx, fabrique.NewChallenge{Title: "Un défi", Summary: "S.", Problem: "P."}, alice.ID)
			return err
		}, true},
		{"a défi refused", func(ctx context.Context) error {
			_, err := db.CreateChallenge(ctx, fabrique.NewChallenge{}, alice.ID)
			if err == nil {
				return errors.New("an empty défi was accepted")
			}
			return nil
		}, false},
		{"a read", func(ctx context.Context) error { _, err := db.UserByEmail(ctx, alice.Email); return err }, false},
		{"a transaction writing a session only", func(ctx context.Context) error {
			return postgres.WithTx(db, ctx, func(tx pgx.Tx) error {
				_, err := tx.Exec(ctx, `INSERT INTO sessions (token, data, expiry) VALUES ('t', '\x00', now() + interval '1 hour')`)
				return err
			})
		}, false},
		{"a transaction locking rows of a table pages show", func(ctx context.Context) error {
			return postgres.WithTx(db, ctx, func(tx pgx.Tx) error {
				_, err := tx.Exec(ctx, `SELECT id FROM places FOR UPDATE`)
				return err
			})
		}, false},
		{"a transaction rolled back", func(ctx context.Context) error {
			err := postgres.WithTx(db, ctx, func(tx pgx.Tx) error {
				if _, err := tx.Exec(ctx, `INSERT INTO commons (slug, name) VALUES ('un-commun', 'Un commun')`); err != nil {
					return err
				}
				return errors.New("refused")
			})
			if err == nil {
				return errors.New("no error")
			}
			return nil
		}, false},
		{"a write undone by its savepoint", func(ctx context.Context) error {
			return postgres.WithTx(db, ctx, func(tx pgx.Tx) error {
				sp, err := tx.Begin(ctx)
				if err != nil {
					return err
				}
				if _, err := sp.Exec(ctx, `INSERT INTO commons (slug, name) VALUES ('un-autre', 'Un autre')`); err != nil {
					return err
				}
				return sp.Rollback(ctx)
			})
		}, false},
		{"a transaction writing a table pages show", func(ctx context.Context) error {
			return postgres.WithTx(db, ctx, func(tx pgx.Tx) error {
				_, err := tx.Exec(ctx, `INSERT INTO commons (slug, name) VALUES ('un-commun', 'Un commun')`)
				return err
			})
		}, true},
		{"a request to join a place", func(ctx context.Context) error {
			_, err := db.RequestToJoinPlace(ctx, place.ID, bob.ID, "Bonjour")
			return err
		}, true},
		{"the request accepted", func(ctx context.Context) error {
			_, err := db.DecidePlaceRequest(ctx, place.ID, alice, bob.ID, true)
			return err
		}, true},
		{"a member asking to join again", func(ctx context.Context) error {
			_, err := db.RequestToJoinPlace(ctx, place.ID, bob.ID, "Encore")
			return err
		}, false},
		{"a place left", func(ctx context.Context) error { _, err := db.LeavePlace(ctx, place.ID, bob.ID); return err }, true},
		{"a read-only transaction after it", func(ctx context.Context) error {
			return postgres.WithTx(db, ctx, func(tx pgx.Tx) error {
				_, err := tx.Exec(ctx, `SELECT count(*) FROM places`)
				return err
			})
		}, false},
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var heard atomic.Int64
	listening := make(chan error, 1)
	go db.ListenChanges(ctx, postgres.Listener{Changed: func() { heard.Add(1) }, Fenced: func() {}, Listening: func(err error) {
		select {
		case listening <- err:
		default:
		}
	}})
	if err := <-listening; err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		before := heard.Load()
		ctx, note := postgres.WatchChanges(context.Background())
		if err := c.write(ctx); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if note.Changed() != c.want {
			t.Errorf("%s: Changed() = %v, want %v", c.name, note.Changed(), c.want)
		}
		want := before
		if c.want {
			want++
			for deadline := time.Now().Add(5 * time.Second); heard.Load() < want && time.Now().Before(deadline); {
				time.Sleep(5 * time.Millisecond)
			}
		} else {
			time.Sleep(50 * time.Millisecond)
		}
		if got := heard.Load(); got != want {
			t.Errorf("%s: %d announcements heard, want %d", c.name, got-before, want-before)
		}
	}
}

func TestUnavailable(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		err  error
		want bool
	}{
		{nil, false},
		{pgx.ErrNoRows, false},
		{&pgconn.PgError{Code: "23505"}, false},
		{&pgconn.PgError{Code: "42P01"}, false},
		{errors.New("postgres: something"), false},
		{fmt.Errorf("postgres: begin: %w", &pgconn.PgError{Code: "57P01"}), true},
		{&pgconn.PgError{Code: "57P03"}, true},
		{&pgconn.PgError{Code: "08006"}, true},
		{fmt.Errorf("x: %w", io.ErrUnexpectedEOF), true},
		{fmt.Errorf("x: %w", context.DeadlineExceeded), true},
		{&net.OpError{Op: "dial", Err: errors.New("connection refused")}, true},
	} {
		if got := postgres.Unavailable(c.err); got != c.want {
			t.Errorf("Unavailable(%v) = %v, want %v", c.err, got, c.want)
		}
	}

	// For real: a server that is not there, and a pool closed.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	start := time.Now()
	_, err = postgres.Open(context.Background(), "postgres://postgres@"+addr+"/postgres?sslmode=disable", postgres.Options{})
	if !postgres.Unavailable(err) || time.Since(start) > 2*time.Second {
		t.Errorf("connecting to a closed port: %v after %s, want an unavailable error at once", err, time.Since(start))
	}
	db := pgtest.New(t)
	db.Close()
	if _, err := db.UserByEmail(context.Background(), "x@example.org"); !postgres.Unavailable(err) {
		t.Errorf("a query on a closed pool: %v, want an unavailable error", err)
	}
}

// A request waiting for a connection gives up after AcquireTimeout, as unavailable,
// instead of hanging while the database does not answer; a longer connect_timeout in the
// URL (connecting is part of acquiring) lengthens the wait to it and half a second.
func TestAcquireGivesUp(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		connectTimeout string
		want           time.Duration
	}{{"1", postgres.AcquireTimeout}, {"2", 2500 * time.Millisecond}} {
		t.Run("connect_timeout="+tc.connectTimeout, func(t *testing.T) {
			t.Parallel()
			u, err := url.Parse(pgtest.URL(t))
			if err != nil {
				t.Fatal(err)
			}
			q := u.Query()
			q.Set("connect_timeout", tc.connectTimeout)
			u.RawQuery = q.Encode()
			db, err := postgres.Open(context.Background(), u.String(), postgres.Options{MaxConns: 1})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			held, err := postgres.Pool(db).Acquire(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			defer held.Release()
			start := time.Now()
			_, err = db.UserByEmail(context.Background(), "x@example.org")
			if d := time.Since(start); !postgres.Unavailable(err) || d < tc.want || d > tc.want+time.Second {
				t.Errorf("a query with no connection to be had: %v after %s, want an unavailable error after %s", err, d, tc.want)
			}
		})
	}
}

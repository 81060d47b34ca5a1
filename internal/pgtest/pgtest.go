// Package pgtest gives each test its own PostgreSQL database, cloned from a template that
// holds every migration: real SQL, no mocks, and tests that run in parallel.
//
// It does what github.com/peterldowns/pgtestdb did for us, with the one change that
// halved what a test's database costs the server: the clone copies the template's files
// (CREATE DATABASE … STRATEGY FILE_COPY) instead of writing every page of it to the WAL,
// 0.11 s of server CPU instead of 0.23 s, for five hundred databases a run.
package pgtest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/fabrique-a-communs/fabrique/internal/password"
	"github.com/fabrique-a-communs/fabrique/internal/postgres"
	"github.com/fabrique-a-communs/fabrique/migrations"
)

// Tests hash with argon2id's smallest costs: a suite that signs up thousands of accounts
// spent 60 % of its CPU in 19 MiB hashes. The costs of stored passwords are the password
// package's concern, tested there; a hash's own costs decide how it is checked.
func init() {
	password.Default = password.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}
}

// DefaultURL is the server tests use when DATABASE_URL is not set.
const DefaultURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// The role that owns and connects to the test databases: no superuser, like the app's.
const (
	role     = "fabrique_test"
	rolePass = "fabrique_test"
)

// lockID serialises the making of roles and templates between test processes (go test
// runs packages at once): the first makes, the others find.
const lockID = 0x7067_7465_7374 // "pgtest"

// schemaHash identifies the template by the content of every migration, so a changed
// migration gets a fresh template.
func schemaHash() (string, error) {
	h := sha256.New()
	err := fs.WalkDir(migrations.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := migrations.FS.ReadFile(path)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", path, len(b))
		h.Write(b)
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))[:16], err
}

// server is the PostgreSQL server of DATABASE_URL, and the template on it, made once a
// process.
var server struct {
	once     sync.Once
	err      error
	admin    *pgx.ConnConfig // DATABASE_URL's
	pool     *pgxpool.Pool   // a few connections of admin's, shared by the creates and drops
	template string
}

// adminURL is DATABASE_URL, or DefaultURL.
func adminURL() string {
	if u := os.Getenv("DATABASE_URL"); u != "" {
		return u
	}
	return DefaultURL
}

// urlOf is the URL of database name on the admin's server, as the test role.
func urlOf(name string) string {
	cc := server.admin
	// A new backend may take more than the app's 1 s to start on a test machine busy
	// with eight tests at once: failing on that would test the machine, not the app.
	q := url.Values{"sslmode": {"disable"}, "connect_timeout": {"10"}}
	u := url.URL{Scheme: "postgres", User: url.UserPassword(role, rolePass), Path: "/" + name}
	if strings.HasPrefix(cc.Host, "/") { // a Unix socket's directory
		q.Set("host", cc.Host)
		q.Set("port", strconv.Itoa(int(cc.Port)))
	} else {
		u.Host = net.JoinHostPort(cc.Host, strconv.Itoa(int(cc.Port)))
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// prepare makes the test role and the template, unless another process did.
func prepare() error {
	ctx := context.Background()
	pc, err := pgxpool.ParseConfig(adminURL())
	if err != nil {
		return fmt.Errorf("DATABASE_URL: %w", err)
	}
	// Kept for the process's life: a connection opened per create and per drop was two
	// backends started for each test.
	pc.MaxConns = 4
	if server.pool, err = pgxpool.NewWithConfig(ctx, pc); err != nil {
		return err
	}
	server.admin = pc.ConnConfig
	hash, err := schemaHash()
	if err != nil {
		return err
	}
	server.template = "fabrique_tpl_" + hash
	c, err := server.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer c.Release()
	conn := c.Conn()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, lockID); err != nil {
		return err
	}
	defer conn.Exec(ctx, `SELECT pg_advisory_unlock($1)`, lockID) //nolint:errcheck // the session's end releases it too
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT FROM pg_roles WHERE rolname = $1)`, role).Scan(&exists); err != nil {
		return err
	}
	if !exists {
		q := fmt.Sprintf(`CREATE ROLE %s LOGIN PASSWORD '%s' NOSUPERUSER NOCREATEDB NOCREATEROLE`, role, rolePass)
		if _, err := conn.Exec(ctx, q); err != nil {
			return fmt.Errorf("create role %s: %w", role, err)
		}
	}
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT FROM pg_database WHERE datname = $1)`, server.template).Scan(&exists); err != nil || exists {
		return err
	}
	return makeTemplate(ctx, conn)
}

// makeTemplate migrates a new database and names it server.template.
func makeTemplate(ctx context.Context, conn *pgx.Conn) error {
	// Made under another name and renamed once migrated: a process that stopped half-way
	// leaves no template that looks ready.
	making := pgx.Identifier{server.template + "_making"}.Sanitize()
	if _, err := conn.Exec(ctx, `DROP DATABASE IF EXISTS `+making+` WITH (FORCE)`); err != nil {
		return err
	}
	if _, err := conn.Exec(ctx, `CREATE DATABASE `+making+` OWNER `+role); err != nil {
		return fmt.Errorf("create the template: %w", err)
	}
	if err := migrate(ctx, urlOf(server.template+"_making")); err != nil {
		return fmt.Errorf("migrate the template: %w", err)
	}
	_, err := conn.Exec(ctx, `ALTER DATABASE `+making+` RENAME TO `+pgx.Identifier{server.template}.Sanitize())
	return err
}

// migrate applies every migration to the database at u.
func migrate(ctx context.Context, u string) error {
	cc, err := pgx.ParseConfig(u)
	if err != nil {
		return err
	}
	db := stdlib.OpenDB(*cc)
	defer db.Close()
	m, err := postgres.NewSQLMigrator(db)
	if err != nil {
		return err
	}
	return m.Up(ctx)
}

// URL returns the connection string of a fresh, migrated database, dropped when the test
// ends (kept when it fails, for a look).
func URL(tb testing.TB) string {
	tb.Helper()
	server.once.Do(func() { server.err = prepare() })
	if server.err != nil {
		tb.Fatalf("pgtest: %v (DATABASE_URL=%s)", server.err, adminURL())
	}
	ctx := context.Background()
	name := "fabrique_test_" + strings.ToLower(rand.Text()[:12])
	q := fmt.Sprintf(`CREATE DATABASE %s TEMPLATE %s OWNER %s STRATEGY FILE_COPY`,
		pgx.Identifier{name}.Sanitize(), pgx.Identifier{server.template}.Sanitize(), role)
	if _, err := server.pool.Exec(ctx, q); err != nil {
		tb.Fatalf("pgtest: create database: %v", err)
	}
	tb.Cleanup(func() {
		if tb.Failed() {
			tb.Logf("pgtest: database %s kept for a look", name)
			return
		}
		if _, err := server.pool.Exec(ctx, `DROP DATABASE `+pgx.Identifier{name}.Sanitize()+` WITH (FORCE)`); err != nil {
			tb.Errorf("pgtest: drop database %s: %v", name, err)
		}
	})
	return urlOf(name)
}

// New returns the store on a fresh, migrated database, closed when the test ends.
func New(tb testing.TB) *postgres.DB {
	tb.Helper()
	return Open(tb, URL(tb), postgres.Options{})
}

// Open returns the store on url with opt, closed when the test ends.
func Open(tb testing.TB, url string, opt postgres.Options) *postgres.DB {
	tb.Helper()
	db, err := postgres.Open(context.Background(), url, opt)
	if err != nil {
		tb.Fatalf("pgtest: open: %v", err)
	}
	tb.Cleanup(db.Close)
	return db
}

// Pool returns a pool of the test's own on url, closed when the test ends, for the raw
// SQL a test writes or checks with: the store's pool stays inside the store.
func Pool(tb testing.TB, url string) *pgxpool.Pool {
	tb.Helper()
	pool, err := pgxpool.New(context.Background(), url)
	if err != nil {
		tb.Fatalf("pgtest: pool: %v", err)
	}
	tb.Cleanup(pool.Close)
	return pool
}

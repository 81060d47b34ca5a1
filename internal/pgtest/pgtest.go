// Package pgtest gives each test its own PostgreSQL database, cloned from a template that
// holds every migration (pgtestdb): real SQL, no mocks, and tests that run in parallel.
package pgtest

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver pgtestdb connects with
	"github.com/peterldowns/pgtestdb"

	"github.com/fabrique-a-communs/fabrique/internal/postgres"
	"github.com/fabrique-a-communs/fabrique/migrations"
)

// DefaultURL is the server tests use when DATABASE_URL is not set.
const DefaultURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// migrator builds the template database with the embedded goose migrations.
type migrator struct{}

// Hash identifies the template by the content of every migration, so a changed
// migration gets a fresh template.
func (migrator) Hash() (string, error) {
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

// Migrate applies every migration to the template.
func (migrator) Migrate(ctx context.Context, db *sql.DB, _ pgtestdb.Config) error {
	m, err := postgres.NewSQLMigrator(db)
	if err != nil {
		return err
	}
	return m.Up(ctx)
}

// config reads the server to use from DATABASE_URL.
func config(tb testing.TB) pgtestdb.Config {
	tb.Helper()
	url := os.Getenv("DATABASE_URL")
	if url == "" {
		url = DefaultURL
	}
	cc, err := pgx.ParseConfig(url)
	if err != nil {
		tb.Fatalf("pgtest: DATABASE_URL: %v", err)
	}
	db := cc.Database
	if db == "" {
		db = "postgres"
	}
	return pgtestdb.Config{
		DriverName:                "pgx",
		Host:                      cc.Host,
		Port:                      strconv.Itoa(int(cc.Port)),
		User:                      cc.User,
		Password:                  cc.Password,
		Database:                  db,
		Options:                   "sslmode=disable",
		ForceTerminateConnections: true,
	}
}

// URL returns the connection string of a fresh, migrated database, dropped when the test
// ends (kept when it fails, for a look).
func URL(tb testing.TB) string {
	tb.Helper()
	return pgtestdb.Custom(tb, config(tb), migrator{}).URL()
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

package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"

	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"github.com/fabrique-a-communs/fabrique/migrations"
)

// migrationLockID is the advisory lock held while migrating, so app instances starting
// together apply each migration once.
const migrationLockID = 0x46616272 // "Fabr"

// Migrator applies the embedded goose migrations.
type Migrator struct {
	sqlDB    *sql.DB
	provider *goose.Provider
}

// NewMigrator returns a migrator on db's pool.
func NewMigrator(db *DB, logger *slog.Logger) (*Migrator, error) {
	sqlDB := stdlib.OpenDBFromPool(db.pool)
	return newMigrator(sqlDB, logger)
}

// MigrateURL applies every pending migration to the database at url, over connections
// of its own closed on return: the schema's owner migrates, then the app serves under a
// role that owns nothing (docs/deploy-roles.sql).
func MigrateURL(ctx context.Context, url string, logger *slog.Logger) error {
	db, err := Open(ctx, url, Options{MaxConns: 2})
	if err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	defer db.Close()
	m, err := NewMigrator(db, logger)
	if err != nil {
		return err
	}
	defer m.Close()
	return m.Up(ctx)
}

// NewSQLMigrator returns a migrator on a database/sql handle (used by pgtest).
func NewSQLMigrator(sqlDB *sql.DB) (*Migrator, error) {
	return newMigrator(sqlDB, nil)
}

func newMigrator(sqlDB *sql.DB, logger *slog.Logger) (*Migrator, error) {
	locker, err := lock.NewPostgresSessionLocker(lock.WithLockID(migrationLockID))
	if err != nil {
		return nil, fmt.Errorf("postgres: migration lock: %w", err)
	}
	opts := []goose.ProviderOption{goose.WithSessionLocker(locker), goose.WithDisableGlobalRegistry(true)}
	if logger != nil {
		opts = append(opts, goose.WithSlog(logger))
	}
	p, err := goose.NewProvider(goose.DialectPostgres, sqlDB, migrations.FS, opts...)
	if err != nil {
		return nil, fmt.Errorf("postgres: migrations: %w", err)
	}
	return &Migrator{sqlDB: sqlDB, provider: p}, nil
}

// Up applies every pending migration under the advisory lock.
func (m *Migrator) Up(ctx context.Context) error {
	if err := m.CheckKnown(ctx); err != nil {
		return err
	}
	if _, err := m.provider.Up(ctx); err != nil {
		return fmt.Errorf("postgres: migrate up: %w", err)
	}
	return nil
}

// Down rolls back the last applied migration.
func (m *Migrator) Down(ctx context.Context) error {
	if _, err := m.provider.Down(ctx); err != nil {
		return fmt.Errorf("postgres: migrate down: %w", err)
	}
	return nil
}

// Status lists each migration and whether it is applied.
func (m *Migrator) Status(ctx context.Context) ([]*goose.MigrationStatus, error) {
	st, err := m.provider.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("postgres: migrate status: %w", err)
	}
	return st, nil
}

// CheckKnown refuses a database migrated by a newer binary: this one does not know its
// schema.
func (m *Migrator) CheckKnown(ctx context.Context) error {
	current, target, err := m.provider.GetVersions(ctx)
	if err != nil {
		return fmt.Errorf("postgres: schema version: %w", err)
	}
	if current > target {
		return fmt.Errorf("postgres: the database schema is at version %d, newer than this binary knows (%d): upgrade fabrique", current, target)
	}
	return nil
}

// CheckCurrent returns an error unless the schema is exactly the one this binary knows.
func (m *Migrator) CheckCurrent(ctx context.Context) error {
	current, target, err := m.provider.GetVersions(ctx)
	if err != nil {
		return fmt.Errorf("postgres: schema version: %w", err)
	}
	if current != target {
		return fmt.Errorf("postgres: the database schema is at version %d, this binary needs %d: run `fabrique migrate up`", current, target)
	}
	return nil
}

// Close releases the database/sql handle (not the pool it wraps).
func (m *Migrator) Close() error { return m.sqlDB.Close() }

// Migrate applies pending migrations, then checks that db sees the schema this binary
// knows. With ownerURL given, the migrations are applied as that role (the schema's
// owner) and db's role, which owns nothing, only checks. The one routine of the app, the
// bench data and the command line.
func Migrate(ctx context.Context, db *DB, ownerURL string, logger *slog.Logger) error {
	if ownerURL != "" {
		if err := MigrateURL(ctx, ownerURL, logger); err != nil {
			return err
		}
	}
	m, err := NewMigrator(db, logger)
	if err != nil {
		return err
	}
	defer m.Close()
	if ownerURL == "" {
		if err := m.Up(ctx); err != nil {
			return err
		}
	}
	return m.CheckCurrent(ctx)
}

// CheckSchema refuses a schema db's binary does not match, applying nothing.
func CheckSchema(ctx context.Context, db *DB, logger *slog.Logger) error {
	m, err := NewMigrator(db, logger)
	if err != nil {
		return err
	}
	defer m.Close()
	return m.CheckCurrent(ctx)
}

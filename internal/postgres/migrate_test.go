package postgres_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/pressly/goose/v3"

	"github.com/fabrique-a-communs/fabrique/internal/pgtest"
	"github.com/fabrique-a-communs/fabrique/internal/postgres"
)

// mustMigrator opens a fresh, migrated database and returns the store and its migrator.
func mustMigrator(tb testing.TB) (*postgres.DB, *postgres.Migrator) {
	tb.Helper()
	ctx := context.Background()
	db, err := postgres.Open(ctx, pgtest.URL(tb), postgres.Options{})
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	tb.Cleanup(db.Close)
	m, err := postgres.NewMigrator(db, nil)
	if err != nil {
		tb.Fatalf("NewMigrator: %v", err)
	}
	tb.Cleanup(func() { m.Close() })
	return db, m
}

// mustStrings returns the first column of the rows of sql.
func mustStrings(tb testing.TB, db *postgres.DB, sql string) []string {
	tb.Helper()
	rows, err := postgres.Pool(db).Query(context.Background(), sql)
	if err != nil {
		tb.Fatalf("query %q: %v", sql, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			tb.Fatalf("scan %q: %v", sql, err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		tb.Fatalf("query %q: %v", sql, err)
	}
	return out
}

// schema describes every object the migrations own: tables, columns with their types
// and defaults, indexes, constraints, sequences and extensions.
func schema(tb testing.TB, db *postgres.DB) []string {
	tb.Helper()
	var out []string
	for _, q := range []string{
		`SELECT 'table ' || table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`,
		`SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '')
		 FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1`,
		`SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1`,
		`SELECT 'constraint ' || conrelid::regclass || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
		 WHERE connamespace = 'public'::regnamespace ORDER BY 1`,
		`SELECT 'sequence ' || sequence_name FROM information_schema.sequences WHERE sequence_schema = 'public' ORDER BY 1`,
		`SELECT 'extension ' || extname FROM pg_extension WHERE extname <> 'plpgsql' ORDER BY 1`,
	} {
		out = append(out, mustStrings(tb, db, q)...)
	}
	return out
}

// migrationCount returns how many migrations are applied and how many the binary knows.
func migrationCount(tb testing.TB, m *postgres.Migrator) (applied, known int) {
	tb.Helper()
	st, err := m.Status(context.Background())
	if err != nil {
		tb.Fatalf("Status: %v", err)
	}
	for _, s := range st {
		if s.State == goose.StateApplied {
			applied++
		}
	}
	return applied, len(st)
}

func TestMigrateDownUp(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, m := mustMigrator(t)
	before := schema(t, db)
	applied, known := migrationCount(t, m)
	if applied != known || known == 0 {
		t.Fatalf("fresh database: got %d of %d migrations applied, want all", applied, known)
	}

	for i := known; i > 0; i-- {
		if err := m.Down(ctx); err != nil {
			t.Fatalf("Down from %d: %v", i, err)
		}
		if got, _ := migrationCount(t, m); got != i-1 {
			t.Fatalf("after Down from %d: got %d applied, want %d", i, got, i-1)
		}
		if err := m.CheckCurrent(ctx); err == nil {
			t.Errorf("CheckCurrent at %d of %d: got nil, want an error", i-1, known)
		}
	}

	// Every Down undid its Up: only goose's own table is left.
	left := schema(t, db)
	var extra []string
	for _, s := range left {
		if !strings.Contains(s, "goose_db_version") {
			extra = append(extra, s)
		}
	}
	if len(extra) > 0 {
		t.Errorf("after every Down: got %q left, want nothing but goose_db_version", extra)
	}
	tables := mustStrings(t, db, `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`)
	if !slices.Equal(tables, []string{"goose_db_version"}) {
		t.Errorf("tables after every Down: got %v, want [goose_db_version]", tables)
	}

	if err := m.Up(ctx); err != nil {
		t.Fatalf("Up: %v", err)
	}
	if err := m.CheckCurrent(ctx); err != nil {
		t.Errorf("CheckCurrent after Up: got %v, want nil", err)
	}
	after := schema(t, db)
	if !slices.Equal(after, before) {
		t.Errorf("schema after Down and Up:\ngot  %q\nwant %q", after, before)
	}
	// The store works on the schema built again.
	mustUser(t, db, "Alice Martin")
}

func TestMigrateCheckCurrent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, m := mustMigrator(t)
	if err := m.CheckCurrent(ctx); err != nil {
		t.Fatalf("CheckCurrent on a migrated database: got %v, want nil", err)
	}
	if err := m.Down(ctx); err != nil {
		t.Fatalf("Down: %v", err)
	}
	if err := m.CheckCurrent(ctx); err == nil {
		t.Errorf("CheckCurrent with a pending migration: got nil, want an error")
	}
	if err := m.CheckKnown(ctx); err != nil {
		t.Errorf("CheckKnown with a pending migration: got %v, want nil", err)
	}
	if err := m.Up(ctx); err != nil {
		t.Fatalf("Up: %v", err)
	}
	if err := m.CheckCurrent(ctx); err != nil {
		t.Errorf("CheckCurrent after Up: got %v, want nil", err)
	}
	// Up again is a no-op.
	if err := m.Up(ctx); err != nil {
		t.Errorf("Up on a current schema: got %v, want nil", err)
	}
}

func TestMigrateUnknownVersion(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, m := mustMigrator(t)
	mustExec(t, db, `INSERT INTO goose_db_version (version_id, is_applied) VALUES (99999, true)`)
	tests := []struct {
		name string
		fn   func(context.Context) error
	}{
		{"CheckKnown", m.CheckKnown},
		{"CheckCurrent", m.CheckCurrent},
		{"Up", m.Up},
	}
	for _, tt := range tests {
		if err := tt.fn(ctx); err == nil {
			t.Errorf("%s on a schema newer than the binary: got nil, want an error", tt.name)
		}
	}
}

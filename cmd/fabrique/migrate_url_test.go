package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/fabrique-a-communs/fabrique/internal/pgtest"
)

// TestMigrateUsesOwnerURL: with MIGRATE_DATABASE_URL set, `fabrique migrate` works on
// that database alone — DATABASE_URL, the app's role, is not even reachable here.
func TestMigrateUsesOwnerURL(t *testing.T) {
	owner := pgtest.URL(t) // pgtest reads DATABASE_URL: set it after
	t.Setenv("DATABASE_URL", "postgres://nobody@127.0.0.1:1/nothing?sslmode=disable&connect_timeout=1")
	t.Setenv("MIGRATE_DATABASE_URL", owner)
	ctx := context.Background()
	migrate := func(cmd string) string {
		t.Helper()
		var out bytes.Buffer
		if err := run(ctx, []string{"migrate", cmd}, strings.NewReader(""), &out); err != nil {
			t.Fatalf("migrate %s: %v", cmd, err)
		}
		return out.String()
	}
	migrate("down")
	if out := migrate("status"); !strings.Contains(out, "pending") {
		t.Errorf("status after down: got %q, want the last migration pending", out)
	}
	migrate("up")
	if out := migrate("status"); strings.Contains(out, "pending") || !strings.Contains(out, "00021_append_only_truncate.sql") {
		t.Errorf("status after up: got %q, want every migration applied", out)
	}
}

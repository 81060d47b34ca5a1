package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/fabrique-a-communs/fabrique/internal/password"
	"github.com/fabrique-a-communs/fabrique/internal/pgtest"
	"github.com/fabrique-a-communs/fabrique/internal/postgres"
)

// TestCommands runs the subcommands as a person would, on a fresh database.
func TestCommands(t *testing.T) {
	url := pgtest.URL(t)
	t.Setenv("DATABASE_URL", url)
	ctx := context.Background()
	run := func(stdin string, args ...string) (string, error) {
		var out bytes.Buffer
		err := run(ctx, args, strings.NewReader(stdin), &out)
		return out.String(), err
	}

	if out, err := run("", "migrate", "status"); err != nil || !strings.Contains(out, "00001_users.sql") || strings.Contains(out, "pending") {
		t.Fatalf("migrate status: got %q, %v; want every migration applied", out, err)
	}
	out, err := run("un-mot-de-passe-long\n", "user", "create", "--email", "Camille@Example.org", "--name", "Camille", "--role", "coordinator")
	if err != nil || !strings.Contains(out, "coordinator") {
		t.Fatalf("user create: got %q, %v", out, err)
	}
	if _, err := run("un-mot-de-passe-long\n", "user", "create", "--email", "camille@example.org", "--name", "Autre"); err == nil {
		t.Errorf("user create with a taken email (other case): got no error")
	}
	if _, err := run("court\n", "user", "create", "--email", "x@example.org", "--name", "X"); err == nil {
		t.Errorf("user create with a short password: got no error")
	}
	if _, err := run("un-mot-de-passe-long\n", "user", "create", "--email", "y@example.org", "--name", "Y", "--role", "admin"); err == nil {
		t.Errorf("user create with an unknown role: got no error")
	}

	db := pgtest.Open(t, url, postgres.Options{})
	u, err := db.UserByEmail(ctx, "camille@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := password.Check("un-mot-de-passe-long", u.PasswordHash); !ok || u.Role != "coordinator" {
		t.Errorf("got role %q, password ok %v; want coordinator, true", u.Role, ok)
	}

	for i := 0; i < 2; i++ {
		out, err := run("", "seed", "demo")
		if err != nil || !strings.Contains(out, "coordination@fabrique.example") {
			t.Fatalf("seed demo run %d: got %q, %v", i+1, out, err)
		}
	}
	var n int
	if err := pgtest.Pool(t, url).QueryRow(ctx, `SELECT count(*) FROM commons`).Scan(&n); err != nil || n != 4 {
		t.Errorf("got %d commons (%v), want 4 after two seed runs", n, err)
	}

	if _, err := run("", "nope"); err == nil {
		t.Errorf("unknown command: got no error")
	}
}

package app_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/fabrique-a-communs/fabrique/internal/app"
	"github.com/fabrique-a-communs/fabrique/internal/apptest"
	"github.com/fabrique-a-communs/fabrique/internal/pgtest"
	"github.com/fabrique-a-communs/fabrique/internal/server"
)

// adminURL is the test server's superuser connection, as pgtest reads it.
func adminURL() string {
	if u := os.Getenv("DATABASE_URL"); u != "" {
		return u
	}
	return pgtest.DefaultURL
}

// withDatabase returns u pointing at database name as user (password pass).
func withDatabase(tb testing.TB, u, name, user, pass string) string {
	tb.Helper()
	parsed, err := url.Parse(u)
	if err != nil {
		tb.Fatal(err)
	}
	parsed.Path = "/" + name
	if user != "" {
		parsed.User = url.UserPassword(user, pass)
	}
	return parsed.String()
}

func mustConnect(tb testing.TB, u string) *pgx.Conn {
	tb.Helper()
	conn, err := pgx.Connect(context.Background(), u)
	if err != nil {
		tb.Fatalf("connect: %v", err)
	}
	tb.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

func mustExecConn(tb testing.TB, conn *pgx.Conn, sql string) {
	tb.Helper()
	if _, err := conn.Exec(context.Background(), sql); err != nil {
		tb.Fatalf("%.200s: %v", sql, err)
	}
}

// TestServeUnderRoleThatOwnsNothing deploys as README says: an empty database owned by
// an owner role, docs/deploy-roles.sql run for an app role, then the app started with
// MIGRATE_DATABASE_URL (the owner migrates) and DATABASE_URL (the app role serves). It
// signs up, sets a seed fund (a ledger movement), and hears its own changes (LISTEN);
// then, as the app role, every way round the append-only ledger fails.
func TestServeUnderRoleThatOwnsNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	suffix := make([]byte, 6)
	if _, err := rand.Read(suffix); err != nil {
		t.Fatal(err)
	}
	id := hex.EncodeToString(suffix)
	owner, appRole, dbName := "fabrique_owner_"+id, "fabrique_app_"+id, "fabrique_roles_"+id
	const pass = "mot-de-passe-de-test"

	// Roles are cluster-wide: unique names, dropped with the database when the test ends.
	admin := mustConnect(t, adminURL())
	mustExecConn(t, admin, `CREATE ROLE `+owner+` LOGIN PASSWORD '`+pass+`'`)
	mustExecConn(t, admin, `CREATE ROLE `+appRole+` LOGIN PASSWORD '`+pass+`'`)
	t.Cleanup(func() {
		conn, err := pgx.Connect(ctx, adminURL())
		if err != nil {
			t.Errorf("cleanup: %v", err)
			return
		}
		defer conn.Close(ctx)
		for _, sql := range []string{
			`DROP DATABASE IF EXISTS ` + dbName + ` WITH (FORCE)`,
			`DROP ROLE IF EXISTS ` + appRole,
			`DROP ROLE IF EXISTS ` + owner,
		} {
			if _, err := conn.Exec(ctx, sql); err != nil {
				t.Errorf("cleanup %s: %v", sql, err)
			}
		}
	})
	mustExecConn(t, admin, `CREATE DATABASE `+dbName+` OWNER `+owner)

	grants, err := os.ReadFile("../../docs/deploy-roles.sql")
	if err != nil {
		t.Fatal(err)
	}
	script := strings.NewReplacer("fabrique_owner", owner, "fabrique_app", appRole).Replace(string(grants))
	mustExecConn(t, mustConnect(t, withDatabase(t, adminURL(), dbName, "", "")), script)

	ownerURL := withDatabase(t, adminURL(), dbName, owner, pass)
	appURL := withDatabase(t, adminURL(), dbName, appRole, pass)
	runCtx, cancel := context.WithCancel(ctx)
	a, err := app.New(runCtx, app.Config{
		DatabaseURL:        appURL,
		MigrateDatabaseURL: ownerURL,
		Addr:               "127.0.0.1:0",
		Logger:             slog.New(slog.NewTextHandler(io.Discard, nil)),
		MaxConns:           4,
		Server:             server.Config{PageCacheTTL: time.Minute},
	})
	if err != nil {
		cancel()
		t.Fatalf("app.New with an owner and an app role: %v", err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := a.Run(runCtx); err != nil {
			t.Errorf("run: %v", err)
		}
	}()
	t.Cleanup(func() {
		cancel()
		<-done
		a.Close()
	})
	ta := &apptest.App{App: a, SQL: pgtest.Pool(t, appURL)}
	ta.WaitPageCache(t) // LISTEN works as the app role

	// The schema belongs to the owner, who applied every migration.
	var tables, owned int
	if err := ta.SQL.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE tableowner = $1) FROM pg_tables WHERE schemaname = 'public'`, owner).Scan(&tables, &owned); err != nil || tables < 20 || owned != tables {
		t.Fatalf("tables: got %d, %d owned by the owner (%v); want all of them, 20 or more", tables, owned, err)
	}

	// It serves and writes: a sign-up, a session, a coordinator's ledger movement.
	c := ta.Client(t)
	if r := c.Get("/defis"); r.StatusCode != http.StatusOK {
		t.Fatalf("GET /defis: got %d", r.StatusCode)
	}
	c.SignUp("Camille Coordination", "camille@example.org", "motdepasse-solide")
	if r := c.Get("/espace"); r.StatusCode != http.StatusOK {
		t.Fatalf("GET /espace after sign-up: got %d", r.StatusCode)
	}
	mustExecConn(t, mustConnect(t, ownerURL), `UPDATE users SET role = 'coordinator' WHERE email = 'camille@example.org'`)
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		paris = time.UTC
	}
	year := strconv.Itoa(time.Now().In(paris).Year()) // the server draws on the fund of the year in Paris
	r := c.Post("/coordination/fonds", url.Values{"year": {year}, "amount": {"12 000"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST /coordination/fonds: got %d: %.1000s", r.StatusCode, r.Body)
	}
	if total, err := a.DB.LedgerTotal(ctx); err != nil || total != 0 {
		t.Errorf("ledger total: got %d (%v), want 0", total, err)
	}
	var entries int
	if err := ta.SQL.QueryRow(ctx, `SELECT count(*) FROM ledger_entries`).Scan(&entries); err != nil || entries != 2 {
		t.Fatalf("ledger entries: got %d (%v), want 2", entries, err)
	}

	// As the app role, no way round the append-only tables.
	conn := mustConnect(t, appURL)
	for _, tt := range []struct{ sql, code string }{
		{`TRUNCATE ledger_entries`, "42501"},    // insufficient_privilege
		{`TRUNCATE audit_log`, "42501"},         //
		{`DELETE FROM ledger_entries`, "23001"}, // restrict_violation, by the trigger
		{`UPDATE ledger_entries SET amount = amount`, "23001"},
		{`DELETE FROM audit_log`, "23001"},
		{`UPDATE ledger_balances SET balance = 0`, "23001"},
		{`ALTER TABLE ledger_entries DISABLE TRIGGER ledger_entries_append_only`, "42501"},
		{`ALTER TABLE ledger_entries ADD COLUMN x int`, "42501"},
		{`DROP TRIGGER ledger_entries_append_only ON ledger_entries`, "42501"},
		{`DROP TABLE ledger_entries CASCADE`, "42501"},
		{`SET session_replication_role = replica`, "42501"},
		{`CREATE TABLE scratch (x int)`, "42501"},
	} {
		_, err := conn.Exec(ctx, tt.sql)
		var pgErr *pgconn.PgError
		if !errors.As(err, &pgErr) || pgErr.Code != tt.code {
			t.Errorf("%s as the app role: got %v, want SQLSTATE %s", tt.sql, err, tt.code)
		}
	}
	if err := ta.SQL.QueryRow(ctx, `SELECT count(*) FROM ledger_entries`).Scan(&entries); err != nil || entries != 2 {
		t.Errorf("ledger entries after the attempts: got %d (%v), want 2", entries, err)
	}
	if total, err := a.DB.LedgerTotal(ctx); err != nil || total != 0 {
		t.Errorf("ledger total after the attempts: got %d (%v), want 0", total, err)
	}
}

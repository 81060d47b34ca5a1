package postgres_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/fabrique-a-communs/fabrique/internal/pgtest"
	"github.com/fabrique-a-communs/fabrique/internal/postgres"
)

// appendOnlyTables are the tables a row trigger keeps from being updated or deleted:
// the catalog query of TestAppendOnlyRefusesTruncate finds at least these.
var appendOnlyTables = []string{"audit_log", "ledger_accounts", "ledger_balances", "ledger_entries", "ledger_transactions"}

// TestAppendOnlyRefusesTruncate finds every table guarded against UPDATE or DELETE by a
// BEFORE ROW trigger, and checks that a BEFORE TRUNCATE trigger guards it too: TRUNCATE
// fires no row trigger, so a future append-only table that forgets it can be emptied.
func TestAppendOnlyRefusesTruncate(t *testing.T) {
	t.Parallel()
	db, _ := mustMigrator(t)
	guarded := mustStrings(t, db, `
		SELECT DISTINCT c.relname FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid
		WHERE c.relnamespace = 'public'::regnamespace AND NOT g.tgisinternal
		  AND g.tgtype & 3 = 3 AND g.tgtype & 24 <> 0
		ORDER BY 1`)
	for _, table := range appendOnlyTables {
		if !slices.Contains(guarded, table) {
			t.Errorf("%s: no BEFORE ROW trigger refusing UPDATE or DELETE found; the catalog query misses it", table)
		}
	}
	missing := mustStrings(t, db, `
		SELECT DISTINCT c.relname FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid
		WHERE c.relnamespace = 'public'::regnamespace AND NOT g.tgisinternal
		  AND g.tgtype & 3 = 3 AND g.tgtype & 24 <> 0
		  AND NOT EXISTS (
		      SELECT 1 FROM pg_trigger x
		      WHERE x.tgrelid = g.tgrelid AND NOT x.tgisinternal
		        AND x.tgtype & 1 = 0 AND x.tgtype & 2 = 2 AND x.tgtype & 32 = 32 -- STATEMENT, BEFORE, TRUNCATE
		        AND x.tgfoid::regproc::text = 'fabrique_refuse_truncate')
		ORDER BY 1`)
	if len(missing) > 0 {
		t.Errorf("append-only tables that TRUNCATE can still empty: %v (add a BEFORE TRUNCATE trigger, as migration 00021)", missing)
	}
}

// TestTruncateLedgerRefused truncates the ledger, its balances and the audit trail, alone
// and through a cascade, on a database with money in it: each is refused and the
// ledger still sums to zero, its kept balances equal to its entries.
func TestTruncateLedgerRefused(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	coord := mustSeedCoordinator(t, db, "Claire Coordination")
	mustSeedFund(t, db, coord, seedYear, 1200000)
	for _, sql := range []string{
		`TRUNCATE ledger_entries`,
		`TRUNCATE ledger_transactions, ledger_entries CASCADE`,
		`TRUNCATE ledger_balances`,
		`TRUNCATE ledger_accounts CASCADE`,
		`TRUNCATE audit_log`,
		`TRUNCATE users CASCADE`,
	} {
		_, err := postgres.Pool(db).Exec(ctx, sql)
		var pgErr *pgconn.PgError
		if !errors.As(err, &pgErr) || pgErr.Code != "23001" { // restrict_violation
			t.Errorf("%s: got %v, want restrict_violation", sql, err)
		}
	}
	if n := seedCount(t, db, `SELECT count(*) FROM ledger_entries`); n != 2 {
		t.Errorf("ledger entries after the truncations: got %d, want 2", n)
	}
	if n := seedCount(t, db, `SELECT count(*) FROM audit_log`); n != 1 {
		t.Errorf("audit rows after the truncations: got %d, want 1", n)
	}
	if total, err := db.LedgerTotal(ctx); err != nil || total != 0 {
		t.Errorf("ledger total: got %d (%v), want 0", total, err)
	}
	wantSeedFund(t, db, seedYear, 1200000, 0, 1200000)
}

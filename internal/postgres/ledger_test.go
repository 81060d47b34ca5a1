package postgres_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/pgtest"
	"github.com/fabrique-a-communs/fabrique/internal/postgres"
)

var (
	outside = fabrique.AccountRef{Kind: fabrique.AccountOutside}
	fund26  = fabrique.AccountRef{Kind: fabrique.AccountSeedFund, Year: 2026}
)

func TestLedgerPostAndBalance(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	if _, err := db.Post(ctx, fabrique.Movement{Kind: fabrique.TxFundAllocation, Amount: 1200000, From: outside, To: fund26, CauseType: "seed_fund"}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Post(ctx, fabrique.Movement{Kind: fabrique.TxFundAllocation, Amount: 200000, From: fund26, To: outside, CauseType: "seed_fund"}); err != nil {
		t.Fatal(err)
	}
	if got, err := db.Balance(ctx, fund26); err != nil || got != 1000000 {
		t.Errorf("fund balance: got %d, %v; want 1000000", got, err)
	}
	if got, _ := db.Balance(ctx, outside); got != -1000000 {
		t.Errorf("outside balance: got %d, want -1000000", got)
	}
	if got, _ := db.Balance(ctx, fabrique.AccountRef{Kind: fabrique.AccountSeedFund, Year: 2030}); got != 0 {
		t.Errorf("unused account: got %d, want 0", got)
	}
	mustLedgerZero(t, db)
	var accounts int
	if err := postgres.Pool(db).QueryRow(ctx, `SELECT count(*) FROM ledger_accounts`).Scan(&accounts); err != nil || accounts != 2 {
		t.Errorf("got %d accounts (%v), want 2: an account is created once", accounts, err)
	}
}

func TestLedgerRefusesBadMovements(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	for _, amount := range []int64{0, -5} {
		if _, err := db.Post(ctx, fabrique.Movement{Kind: fabrique.TxPayment, Amount: amount, From: outside, To: fund26, CauseType: "test"}); err == nil {
			t.Errorf("amount %d: got no error", amount)
		}
	}
	if _, err := db.Post(ctx, fabrique.Movement{Kind: "gift", Amount: 5, From: outside, To: fund26, CauseType: "test"}); err == nil {
		t.Errorf("unknown kind: got no error")
	}
	if _, err := db.Post(ctx, fabrique.Movement{Kind: fabrique.TxPayment, Amount: 5, From: outside, To: fabrique.AccountRef{Kind: fabrique.AccountSeedFund}, CauseType: "test"}); err == nil {
		t.Errorf("seed fund without a year: got no error")
	}
	mustLedgerZero(t, db)
}

// TestLedgerConstraints checks the database itself refuses what the code must never do:
// an unbalanced transaction, one without entries, and any update or delete.
func TestLedgerConstraints(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	txID, err := db.Post(ctx, fabrique.Movement{Kind: fabrique.TxFundAllocation, Amount: 100, From: outside, To: fund26, CauseType: "test"})
	if err != nil {
		t.Fatal(err)
	}
	for name, sql := range map[string]string{
		"unbalanced": `WITH t AS (INSERT INTO ledger_transactions (kind, amount, cause_type) VALUES ('payment', 10, 'test') RETURNING id)
		               INSERT INTO ledger_entries (transaction_id, account_id, amount) SELECT t.id, a.id, 10 FROM t, ledger_accounts a WHERE a.kind = 'outside'`,
		"wrong total": `WITH t AS (INSERT INTO ledger_transactions (kind, amount, cause_type) VALUES ('payment', 10, 'test') RETURNING id)
		               INSERT INTO ledger_entries (transaction_id, account_id, amount) SELECT t.id, a.id, CASE a.kind WHEN 'outside' THEN 7 ELSE -7 END FROM t, ledger_accounts a`,
		"no entries":       `INSERT INTO ledger_transactions (kind, amount, cause_type) VALUES ('payment', 10, 'test')`,
		"update entry":     `UPDATE ledger_entries SET amount = amount * 2`,
		"delete entry":     `DELETE FROM ledger_entries`,
		"update tx":        `UPDATE ledger_transactions SET amount = 1`,
		"delete tx":        `DELETE FROM ledger_transactions`,
		"rename account":   `UPDATE ledger_accounts SET name = 'x'`,
		"zero entry":       `INSERT INTO ledger_entries (transaction_id, account_id, amount) SELECT ` + "$1" + `::bigint, id, 0 FROM ledger_accounts LIMIT 1`,
		"negative amount":  `INSERT INTO ledger_transactions (kind, amount, cause_type) VALUES ('payment', -10, 'test')`,
		"set a balance":    `UPDATE ledger_balances SET balance = balance + 1`,
		"delete a balance": `DELETE FROM ledger_balances`,
		"add a balance":    `INSERT INTO ledger_balances (account_id, balance) SELECT id, 5 FROM ledger_accounts WHERE kind = 'outside'`,
	} {
		args := []any{}
		if name == "zero entry" {
			args = append(args, txID)
		}
		if _, err := postgres.Pool(db).Exec(ctx, sql, args...); err == nil {
			t.Errorf("%s: got no error, want the database to refuse", name)
		}
	}
	mustLedgerZero(t, db)
	if got, _ := db.Balance(ctx, fund26); got != 100 {
		t.Errorf("fund balance after refused writes: got %d, want 100", got)
	}
}

func TestLedgerConcurrentPosts(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := db.Post(ctx, fabrique.Movement{Kind: fabrique.TxFundAllocation, Amount: 300000, From: outside, To: fund26, CauseType: "test"}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if got, _ := db.Balance(ctx, fund26); got != 20*300000 {
		t.Errorf("got %d, want %d", got, 20*300000)
	}
	mustLedgerZero(t, db)
}

// mustLedgerZero fails the test unless every entry of the ledger sums to zero.
func mustLedgerZero(tb testing.TB, db interface {
	LedgerTotal(context.Context) (int64, error)
}) {
	tb.Helper()
	total, err := db.LedgerTotal(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	if total != 0 {
		tb.Errorf("ledger total: got %d, want 0", total)
	}
}

// The balances the ledger keeps follow every movement, and LedgerTotal notices when one
// does not.
func TestLedgerKeptBalances(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	for i := range 10 {
		wg.Go(func() {
			if _, err := db.Post(ctx, fabrique.Movement{Kind: fabrique.TxFundAllocation, Amount: int64(1000 + i), From: outside, To: fund26, CauseType: "test"}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	var kept int64
	if err := postgres.Pool(db).QueryRow(ctx, `SELECT b.balance FROM ledger_balances b JOIN ledger_accounts a ON a.id = b.account_id
		WHERE a.kind = 'seed_fund' AND a.year = 2026`).Scan(&kept); err != nil {
		t.Fatal(err)
	}
	if want := int64(10*1000 + 45); kept != want {
		t.Errorf("kept balance of the fund: got %d, want %d", kept, want)
	}
	if n := lootCount(t, db, `SELECT count(*) FROM ledger_balances b JOIN ledger_accounts a ON a.id = b.account_id WHERE a.kind = 'outside'`); n != 0 {
		t.Errorf("the outside account has a kept balance (%d rows)", n)
	}
	mustLedgerZero(t, db)

	// A balance changed behind the ledger's back (its guard turned off by the owner).
	mustExec(t, db, `ALTER TABLE ledger_balances DISABLE TRIGGER ledger_balances_guard`)
	mustExec(t, db, `UPDATE ledger_balances SET balance = balance + 1`)
	if _, err := db.LedgerTotal(ctx); err == nil || !strings.Contains(err.Error(), "balance kept") {
		t.Errorf("LedgerTotal with a wrong kept balance: got error %v, want one naming the account", err)
	}
}

package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// The ledger helpers take the caller's transaction: a movement is always posted in the
// same transaction as the decision that causes it, after the caller has locked the
// accounts whose limits it checks.

// accountName is the account's internal name, for people reading the database; pages
// name accounts from what they belong to.
func accountName(ref fabrique.AccountRef) string {
	switch ref.Kind {
	case fabrique.AccountSeedFund, fabrique.AccountOperating:
		return ref.Kind + " " + strconv.Itoa(ref.Year)
	case fabrique.AccountSeedBudget:
		return ref.Kind + " challenge " + strconv.FormatInt(ref.ChallengeID, 10)
	case fabrique.AccountCommonsFunds:
		return ref.Kind + " commons " + strconv.FormatInt(ref.CommonsID, 10)
	case fabrique.AccountMatchingPool:
		return ref.Kind + " call " + strconv.FormatInt(ref.CallID, 10)
	}
	return ref.Kind
}

func nullable[T comparable](v T) any {
	var zero T
	if v == zero {
		return nil
	}
	return v
}

// ensureAccount returns the id of the account ref, creating it on first use.
func ensureAccount(ctx context.Context, tx pgx.Tx, ref fabrique.AccountRef) (int64, error) {
	args := []any{ref.Kind, nullable(ref.Year), nullable(ref.ChallengeID), nullable(ref.CommonsID), nullable(ref.CallID)}
	var id int64
	err := tx.QueryRow(ctx,
		`INSERT INTO ledger_accounts (kind, year, challenge_id, commons_id, call_id, name)
		 VALUES ($1, $2, $3, $4, $5, $6)
		 ON CONFLICT (kind, year, challenge_id, commons_id, call_id) DO NOTHING RETURNING id`,
		append(args, accountName(ref))...).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		err = tx.QueryRow(ctx,
			`SELECT id FROM ledger_accounts WHERE kind = $1 AND year IS NOT DISTINCT FROM $2
			 AND challenge_id IS NOT DISTINCT FROM $3 AND commons_id IS NOT DISTINCT FROM $4
			 AND call_id IS NOT DISTINCT FROM $5`, args...).Scan(&id)
	}
	if err != nil {
		return 0, fmt.Errorf("postgres: ledger account %s: %w", ref.Kind, err)
	}
	return id, nil
}

// lockAccount ensures the account exists and locks it until the end of tx, so a balance
// read after it cannot change before the movement that depends on it is posted.
func lockAccount(ctx context.Context, tx pgx.Tx, ref fabrique.AccountRef) (int64, error) {
	id, err := ensureAccount(ctx, tx, ref)
	if err != nil {
		return 0, err
	}
	if _, err := tx.Exec(ctx, `SELECT 1 FROM ledger_accounts WHERE id = $1 FOR UPDATE`, id); err != nil {
		return 0, fmt.Errorf("postgres: lock ledger account: %w", err)
	}
	return id, nil
}

// accountBalance is the sum of the account's entries.
func accountBalance(ctx context.Context, q DBTX, accountID int64) (int64, error) {
	var b int64
	if err := q.QueryRow(ctx, `SELECT coalesce(sum(amount), 0) FROM ledger_entries WHERE account_id = $1`, accountID).Scan(&b); err != nil {
		return 0, fmt.Errorf("postgres: balance: %w", err)
	}
	return b, nil
}

// post records m as one transaction of two entries; it returns the transaction's id.
func post(ctx context.Context, tx pgx.Tx, m fabrique.Movement) (int64, error) {
	if m.Amount <= 0 {
		return 0, fmt.Errorf("postgres: ledger movement of %d cents", m.Amount)
	}
	from, err := ensureAccount(ctx, tx, m.From)
	if err != nil {
		return 0, err
	}
	to, err := ensureAccount(ctx, tx, m.To)
	if err != nil {
		return 0, err
	}
	occurred := backdatedDay(ctx)
	if !m.OccurredOn.IsZero() {
		occurred = m.OccurredOn
	}
	var id int64
	err = tx.QueryRow(ctx,
		`INSERT INTO ledger_transactions (kind, amount, cause_type, cause_id, memo, reference, user_id, occurred_on, created_at)
		 VALUES ($1, $2, $3, $4, $5, $6, $7, coalesce($8::date, current_date), coalesce($9::timestamptz, now())) RETURNING id`,
		m.Kind, m.Amount, m.CauseType, nullable(m.CauseID), m.Memo, m.Reference, nullable(m.UserID), occurred, backdated(ctx)).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("postgres: ledger transaction: %w", err)
	}
	if _, err := tx.Exec(ctx,
		`INSERT INTO ledger_entries (transaction_id, account_id, amount) VALUES ($1, $2, $3), ($1, $4, $5)`,
		id, from, -m.Amount, to, m.Amount); err != nil {
		return 0, fmt.Errorf("postgres: ledger entries: %w", err)
	}
	return id, nil
}

// postAllocation posts m, an allocation to the account m.To, for diff cents: from the
// outside world into it, or back out of it when diff is negative (a fund lowered).
func postAllocation(ctx context.Context, tx pgx.Tx, diff int64, m fabrique.Movement) error {
	m.Amount, m.From = diff, fabrique.AccountRef{Kind: fabrique.AccountOutside}
	if diff < 0 {
		m.Amount, m.From, m.To = -diff, m.To, m.From
	}
	_, err := post(ctx, tx, m)
	return err
}

// LedgerTotal is the sum of every entry of the ledger: zero, always. It also checks the
// balances the ledger keeps (ledger_balances) against the sums of the entries, and
// returns an error naming the first account where they differ.
func (db *DB) LedgerTotal(ctx context.Context) (int64, error) {
	var total int64
	if err := db.pool.QueryRow(ctx, `SELECT coalesce(sum(amount), 0) FROM ledger_entries`).Scan(&total); err != nil {
		return 0, fmt.Errorf("postgres: ledger total: %w", err)
	}
	var account, kept, summed int64
	err := db.pool.QueryRow(ctx, `
		SELECT a.id, coalesce(b.balance, 0), coalesce(e.sum, 0)
		FROM ledger_accounts a
		LEFT JOIN ledger_balances b ON b.account_id = a.id
		LEFT JOIN (SELECT account_id, sum(amount) AS sum FROM ledger_entries GROUP BY 1) e ON e.account_id = a.id
		WHERE a.kind <> 'outside' AND coalesce(b.balance, 0) <> coalesce(e.sum, 0)
		ORDER BY a.id LIMIT 1`).Scan(&account, &kept, &summed)
	if err == nil {
		return total, fmt.Errorf("postgres: ledger account %d: balance kept %d, sum of its entries %d", account, kept, summed)
	} else if !errors.Is(err, pgx.ErrNoRows) {
		return 0, fmt.Errorf("postgres: ledger balances: %w", err)
	}
	return total, nil
}

// Balance returns the balance of the account ref (zero for an account never used).
func (db *DB) Balance(ctx context.Context, ref fabrique.AccountRef) (int64, error) {
	return scanBalance(db.pool.QueryRow(ctx, balanceSQL, balanceArgs(ref)...), ref)
}

// balanceSQL is Balance's query (its arguments as balanceArgs gives them), which
// CallPage also sends in its batch.
const balanceSQL = `SELECT coalesce(sum(e.amount), 0) FROM ledger_entries e JOIN ledger_accounts a ON a.id = e.account_id
		 WHERE a.kind = $1 AND a.year IS NOT DISTINCT FROM $2 AND a.challenge_id IS NOT DISTINCT FROM $3
		   AND a.commons_id IS NOT DISTINCT FROM $4 AND a.call_id IS NOT DISTINCT FROM $5`

// balanceArgs are the arguments of balanceSQL for the account ref.
func balanceArgs(ref fabrique.AccountRef) []any {
	return []any{ref.Kind, nullable(ref.Year), nullable(ref.ChallengeID), nullable(ref.CommonsID), nullable(ref.CallID)}
}

// scanBalance reads the row of balanceSQL for the account ref.
func scanBalance(row pgx.Row, ref fabrique.AccountRef) (int64, error) {
	var b int64
	if err := row.Scan(&b); err != nil {
		return 0, fmt.Errorf("postgres: balance %s: %w", ref.Kind, err)
	}
	return b, nil
}

// Post records one movement in its own transaction. The platform's decisions post their
// movements inside their own transactions; this serves data loading and tests.
func (db *DB) Post(ctx context.Context, m fabrique.Movement) (int64, error) {
	var id int64
	err := db.withTx(ctx, func(tx pgx.Tx) error {
		var err error
		id, err = post(ctx, tx, m)
		return err
	})
	return id, err
}

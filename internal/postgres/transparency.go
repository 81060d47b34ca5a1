package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// movementSelect reads a transaction with both sides. The outside side is named by the
// person the money went to or came from, when the cause says who.
const movementSelect = `
SELECT t.id, t.occurred_on, t.kind, t.amount, t.reference, t.memo,
       fa.kind, coalesce(fa.year, 0), coalesce(fc.slug, ''), coalesce(fc.title, fm.name, ''),
       ta.kind, coalesce(ta.year, 0), coalesce(tc.slug, ''), coalesce(tc.title, tm.name, ''),
       coalesce(payee.display_name, '')
FROM ledger_transactions t
JOIN ledger_entries fe ON fe.transaction_id = t.id AND fe.amount < 0
JOIN ledger_accounts fa ON fa.id = fe.account_id
LEFT JOIN challenges fc ON fc.id = fa.challenge_id
LEFT JOIN commons fm ON fm.id = fa.commons_id
JOIN ledger_entries te ON te.transaction_id = t.id AND te.amount > 0
JOIN ledger_accounts ta ON ta.id = te.account_id
LEFT JOIN challenges tc ON tc.id = ta.challenge_id
LEFT JOIN commons tm ON tm.id = ta.commons_id
LEFT JOIN contributions co ON t.cause_type = 'contribution' AND co.id = t.cause_id
LEFT JOIN users payee ON payee.id = co.user_id
WHERE ($1::int = 0 OR t.occurred_on >= make_date(greatest($1::int, 1), 1, 1) AND t.occurred_on < make_date(greatest($1::int, 1) + 1, 1, 1))
  AND ($2::text = '' OR fc.slug = $2 OR tc.slug = $2)`

// Movements returns the movements matching f, newest first, and how many match.
func (db *DB) Movements(ctx context.Context, f fabrique.MovementFilter) ([]fabrique.PostedMovement, int, error) {
	q := movementSelect + ` ORDER BY t.occurred_on DESC, t.id DESC`
	args := []any{f.Year, f.ChallengeSlug}
	if f.Limit > 0 {
		q += ` LIMIT $3 OFFSET $4`
		args = append(args, f.Limit, f.Offset)
	}
	rows, err := db.Pool.Query(ctx, q, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("postgres: movements: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (fabrique.PostedMovement, error) {
		var m fabrique.PostedMovement
		var person string
		err := r.Scan(&m.ID, &m.OccurredOn, &m.Kind, &m.Amount, &m.Reference, &m.Memo,
			&m.From.Kind, &m.From.Year, &m.From.ChallengeSlug, &m.From.Title,
			&m.To.Kind, &m.To.Year, &m.To.ChallengeSlug, &m.To.Title, &person)
		if m.From.Kind == "outside" {
			m.From.Title = person
		}
		if m.To.Kind == "outside" {
			m.To.Title = person
		}
		return m, err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("postgres: movements: %w", err)
	}
	total := len(list)
	if f.Limit > 0 {
		err = db.Pool.QueryRow(ctx, `SELECT count(*) FROM (`+movementSelect+`) m`, f.Year, f.ChallengeSlug).Scan(&total)
		if err != nil {
			return nil, 0, fmt.Errorf("postgres: count movements: %w", err)
		}
	}
	return list, total, nil
}

// AccountBalances returns the balance of each seed fund and matching pool, and the total
// of each other kind of account (every défi's seed budget, every commun's funds): a
// bounded list, whatever the number of défis. With challengeSlug, the défi's own accounts.
func (db *DB) AccountBalances(ctx context.Context, challengeSlug string) ([]fabrique.AccountBalance, error) {
	rows, err := db.Pool.Query(ctx, `
		SELECT a.kind, coalesce(a.year, 0),
		       CASE WHEN $1 <> '' OR a.kind IN ('seed_fund', 'matching_pool') THEN coalesce(c.slug, '') ELSE '' END,
		       CASE WHEN $1 <> '' OR a.kind IN ('seed_fund', 'matching_pool') THEN coalesce(c.title, m.name, '') ELSE '' END,
		       coalesce(sum(e.amount), 0), count(DISTINCT a.id)
		FROM ledger_accounts a
		LEFT JOIN challenges c ON c.id = a.challenge_id
		LEFT JOIN commons m ON m.id = a.commons_id
		LEFT JOIN ledger_entries e ON e.account_id = a.id
		WHERE a.kind <> 'outside' AND ($1 = '' OR c.slug = $1)
		GROUP BY 1, 2, 3, 4, CASE WHEN $1 <> '' OR a.kind IN ('seed_fund', 'matching_pool') THEN a.id END
		ORDER BY array_position(ARRAY['seed_fund', 'seed_budget', 'commons_funds', 'matching_pool'], a.kind), 2 DESC, 4`,
		challengeSlug)
	if err != nil {
		return nil, fmt.Errorf("postgres: balances: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (fabrique.AccountBalance, error) {
		var b fabrique.AccountBalance
		err := r.Scan(&b.Kind, &b.Year, &b.ChallengeSlug, &b.Title, &b.Balance, &b.Count)
		return b, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: balances: %w", err)
	}
	return list, nil
}

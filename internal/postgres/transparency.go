package postgres

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// movementMatch selects the transactions of f and returns the query's arguments; a
// défi's movements are those that touch one of its accounts. The conditions are written
// only when set, so the unfiltered list's statements take no parameters (see Movements).
func movementMatch(f fabrique.MovementFilter) (string, []any) {
	var conds []string
	var args []any
	if f.Year != 0 {
		args = append(args, f.Year)
		conds = append(conds, `t.occurred_on >= make_date(greatest($1::int, 1), 1, 1) AND t.occurred_on < make_date(greatest($1::int, 1) + 1, 1, 1)`)
	}
	if f.ChallengeSlug != "" {
		args = append(args, f.ChallengeSlug)
		conds = append(conds, `t.id IN (
			SELECT e.transaction_id FROM ledger_entries e
			JOIN ledger_accounts a ON a.id = e.account_id
			JOIN challenges c ON c.id = a.challenge_id
			WHERE c.slug = $`+strconv.Itoa(len(args))+`)`)
	}
	q := ` FROM ledger_transactions t`
	if len(conds) > 0 {
		q += ` WHERE ` + strings.Join(conds, ` AND `)
	}
	return q, args
}

// movementSelect reads the transactions of the CTE page with both sides. The outside
// side is named by the person the money went to or came from, when the cause says who.
const movementSelect = `
SELECT t.id, t.occurred_on, t.kind, t.amount, t.reference, t.memo,
       fa.kind, coalesce(fa.year, 0), coalesce(fc.slug, ''), coalesce(fc.title, fm.name, fk.title, ''),
       ta.kind, coalesce(ta.year, 0), coalesce(tc.slug, ''), coalesce(tc.title, tm.name, tk.title, ''),
       coalesce(payee.display_name, '')
FROM page
JOIN ledger_transactions t ON t.id = page.id
JOIN ledger_entries fe ON fe.transaction_id = t.id AND fe.amount < 0
JOIN ledger_accounts fa ON fa.id = fe.account_id
LEFT JOIN challenges fc ON fc.id = fa.challenge_id
LEFT JOIN commons fm ON fm.id = fa.commons_id
LEFT JOIN calls fk ON fk.id = fa.call_id
JOIN ledger_entries te ON te.transaction_id = t.id AND te.amount > 0
JOIN ledger_accounts ta ON ta.id = te.account_id
LEFT JOIN challenges tc ON tc.id = ta.challenge_id
LEFT JOIN commons tm ON tm.id = ta.commons_id
LEFT JOIN calls tk ON tk.id = ta.call_id
LEFT JOIN contributions co ON t.cause_type = 'contribution' AND co.id = t.cause_id
LEFT JOIN users payee ON payee.id = co.user_id
ORDER BY t.occurred_on DESC, t.id DESC`

// Transparency returns the page of movements f asks for, newest first, how many match,
// and the balances (AccountBalances), in one round trip (a batch of three queries).
func (db *DB) Transparency(ctx context.Context, f fabrique.MovementFilter) (*fabrique.Transparency, error) {
	var t fabrique.Transparency
	b := &pgx.Batch{}
	sql, args := movementsSQL(f)
	b.Queue(sql, args...).Query(func(rows pgx.Rows) (err error) {
		t.Movements, err = scanMovements(rows)
		return err
	})
	match, args := movementMatch(f)
	b.Queue(`SELECT count(*)`+match, args...).QueryRow(func(row pgx.Row) error { return row.Scan(&t.Total) })
	sql, args = balancesSQL(f.ChallengeSlug)
	b.Queue(sql, args...).Query(func(rows pgx.Rows) (err error) {
		t.Balances, err = scanBalances(rows)
		return err
	})
	if err := db.pool.SendBatch(ctx, b).Close(); err != nil {
		return nil, fmt.Errorf("postgres: transparency: %w", err)
	}
	return &t, nil
}

// Movements returns every movement matching f (its Limit and Offset, if set), newest
// first, for the CSV export.
func (db *DB) Movements(ctx context.Context, f fabrique.MovementFilter) ([]fabrique.PostedMovement, error) {
	sql, args := movementsSQL(f)
	rows, err := db.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: movements: %w", err)
	}
	list, err := scanMovements(rows)
	if err != nil {
		return nil, fmt.Errorf("postgres: movements: %w", err)
	}
	return list, nil
}

// movementsSQL selects the movements of f. The page is chosen on ledger_transactions
// alone, by its index, and only its rows are joined to their entries, accounts and
// causes. Every transaction has one entry out and one entry in (post writes exactly
// two), so the movements are counted on ledger_transactions alone too.
func movementsSQL(f fabrique.MovementFilter) (string, []any) {
	match, args := movementMatch(f)
	page := `SELECT t.id` + match + ` ORDER BY t.occurred_on DESC, t.id DESC`
	if f.Limit > 0 {
		// Written in the SQL, not parameters: the first page of the unfiltered list then
		// has none, and PostgreSQL plans its twelve-table join once per connection
		// instead of on every request (the custom plans cost 3 to 12 ms each).
		page += ` LIMIT ` + strconv.Itoa(f.Limit) + ` OFFSET ` + strconv.Itoa(max(f.Offset, 0))
	}
	return `WITH page AS (` + page + `)` + movementSelect, args
}

func scanMovements(rows pgx.Rows) ([]fabrique.PostedMovement, error) {
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (fabrique.PostedMovement, error) {
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
}

// balancesSQL selects the balance of each seed fund and matching pool, and the total of
// each other kind of account (every défi's seed budget, every commun's funds): a bounded
// list, whatever the number of défis. With challengeSlug, the défi's own accounts.
// Each account's balance is the one the ledger keeps (ledger_balances, migration 00018):
// summing the entries of every account took 22 ms, 57 under load. Without a défi, the
// budgets and commun funds are totalled without meeting their défi's or commun's name,
// which only the funds and pools show (joining every account to its défi took 20 ms).
func balancesSQL(challengeSlug string) (string, []any) {
	if challengeSlug != "" {
		return `
		SELECT a.kind, coalesce(a.year, 0), coalesce(c.slug, ''), coalesce(c.title, m.name, ''),
		       coalesce(b.balance, 0), 1
		FROM challenges c
		JOIN ledger_accounts a ON a.challenge_id = c.id
		LEFT JOIN commons m ON m.id = a.commons_id
		LEFT JOIN ledger_balances b ON b.account_id = a.id
		WHERE c.slug = $1 AND a.kind <> 'outside'
		ORDER BY array_position(ARRAY['seed_fund', 'seed_budget', 'commons_funds', 'matching_pool'], a.kind), 2 DESC, 4, a.id`, []any{challengeSlug}
	}
	return `
		SELECT kind, year, slug, title, balance, n FROM (
			SELECT a.kind, coalesce(a.year, 0) AS year, '' AS slug,
			       coalesce(k.title, '') AS title, coalesce(b.balance, 0) AS balance, 1::bigint AS n, a.id
			FROM ledger_accounts a
			LEFT JOIN calls k ON k.id = a.call_id
			LEFT JOIN ledger_balances b ON b.account_id = a.id
			WHERE a.kind IN ('seed_fund', 'matching_pool')
			UNION ALL
			SELECT a.kind, coalesce(a.year, 0), '', '', coalesce(sum(b.balance), 0), count(*), 0
			FROM ledger_accounts a
			LEFT JOIN ledger_balances b ON b.account_id = a.id
			WHERE a.kind IN ('seed_budget', 'commons_funds')
			GROUP BY 1, 2
		) x
		ORDER BY array_position(ARRAY['seed_fund', 'seed_budget', 'commons_funds', 'matching_pool'], kind), 2 DESC, 4, id`, nil
}

func scanBalances(rows pgx.Rows) ([]fabrique.AccountBalance, error) {
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (fabrique.AccountBalance, error) {
		var b fabrique.AccountBalance
		err := r.Scan(&b.Kind, &b.Year, &b.ChallengeSlug, &b.Title, &b.Balance, &b.Count)
		return b, err
	})
}

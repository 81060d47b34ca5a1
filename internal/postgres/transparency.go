package postgres

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// queryArgs numbers a statement's arguments as its conditions are written.
type queryArgs []any

func (a *queryArgs) add(v any) string {
	*a = append(*a, v)
	return "$" + strconv.Itoa(len(*a))
}

// yearCond selects the transactions t of the year in the argument y, by the range the
// index on occurred_on answers.
func yearCond(y string) string {
	return `t.occurred_on >= make_date(greatest(` + y + `::int, 1), 1, 1) AND t.occurred_on < make_date(greatest(` + y + `::int, 1) + 1, 1, 1)`
}

// challengeCond selects the défis c of f: by slug, and by words of their title, parsed
// as /defis parses a search (websearch_to_tsquery: any text, no syntax error), each word
// then restricted to weight A, the title's part of the search vector (migration 00008):
// 'outil' & 'partag' becomes 'outil':A & 'partag':A. One @@ on the indexed column, whose
// statistics the planner reads: ts_filter(search, '{a}') @@ q, the same answer, was
// estimated at 0.3 % of the défis whatever the words (« outil »: 3 906 of 10 000 in the
// bench data), and the movements were then joined by nested loops.
func challengeCond(f fabrique.MovementFilter, args *queryArgs) string {
	var conds []string
	if f.ChallengeSlug != "" {
		conds = append(conds, `c.slug = `+args.add(f.ChallengeSlug))
	}
	if f.Title != "" {
		conds = append(conds, `c.search @@ regexp_replace(websearch_to_tsquery('fabrique_fr', `+args.add(f.Title)+`)::text,
			'''([^'']|'''')*''', '\&:A', 'g')::tsquery`)
	}
	return strings.Join(conds, ` AND `)
}

// movementMatch selects the transactions of f and returns the query's arguments; a
// défi's movements are those that touch one of its accounts. The conditions are written
// only when set, so the unfiltered list's statements take no parameters (see Movements).
func movementMatch(f fabrique.MovementFilter) (string, []any) {
	var conds []string
	var args queryArgs
	if f.Year != 0 {
		conds = append(conds, yearCond(args.add(f.Year)))
	}
	if f.ByChallenge() {
		conds = append(conds, `t.id IN (
			SELECT e.transaction_id FROM challenges c
			JOIN ledger_accounts a ON a.challenge_id = c.id
			JOIN ledger_entries e ON e.account_id = a.id
			WHERE `+challengeCond(f, &args)+`)`)
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
SELECT t.id, t.occurred_on, t.kind, t.amount, t.reference, t.memo, t.cause_type,
       fa.kind, coalesce(fa.year, 0), coalesce(fc.slug, ''), coalesce(fc.title, fm.name, fk.title, ''),
       ta.kind, coalesce(ta.year, 0), coalesce(tc.slug, ''), coalesce(tc.title, tm.name, tk.title, ''),
       coalesce(payee.display_name, ''), coalesce(iv.number, ''), coalesce(iv.issuer_name, ''), coalesce(iu.display_name, '')
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
LEFT JOIN coordination_time ct ON t.cause_type = 'coordination_time' AND ct.id = t.cause_id
LEFT JOIN expenses ex ON t.cause_type = 'expense' AND ex.id = t.cause_id
LEFT JOIN users payee ON payee.id = coalesce(co.user_id, ct.user_id, ex.user_id)
LEFT JOIN invoices iv ON t.cause_type = 'invoice' AND iv.id = t.cause_id
LEFT JOIN users iu ON iu.id = iv.user_id
ORDER BY t.occurred_on DESC, t.id DESC`

// Transparency returns the page of movements f asks for, newest first, how many match,
// the balances (balancesSQL), the years that have movements and, with a défi filter, how
// many défis it matches: one round trip (a batch of four or five queries).
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
	sql, args = balancesSQL(f)
	b.Queue(sql, args...).Query(func(rows pgx.Rows) (err error) {
		t.Balances, err = scanBalances(rows)
		return err
	})
	b.Queue(movementYears).Query(func(rows pgx.Rows) (err error) {
		t.Years, err = pgx.CollectRows(rows, pgx.RowTo[int])
		return err
	})
	if f.ByChallenge() {
		var args queryArgs
		cond := challengeCond(f, &args)
		b.Queue(`SELECT (SELECT count(*) FROM challenges c WHERE `+cond+`),
			coalesce((SELECT title FROM challenges WHERE slug = `+args.add(f.ChallengeSlug)+`), '')`, args...).
			QueryRow(func(row pgx.Row) error { return row.Scan(&t.Challenges, &t.ChallengeTitle) })
	}
	if err := db.pool.SendBatch(ctx, b).Close(); err != nil {
		return nil, fmt.Errorf("postgres: transparency: %w", err)
	}
	return &t, nil
}

// movementYears lists the years that have movements, newest first, by skipping down the
// index on occurred_on one year at a time (a few index probes, not a scan of every
// transaction).
const movementYears = `
WITH RECURSIVE y(y) AS (
	SELECT extract(year FROM max(occurred_on))::int FROM ledger_transactions
	UNION ALL
	SELECT (SELECT extract(year FROM max(t.occurred_on))::int FROM ledger_transactions t
	        WHERE t.occurred_on < make_date(y.y, 1, 1))
	FROM y WHERE y.y IS NOT NULL
)
SELECT y FROM y WHERE y IS NOT NULL`

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
		var person, cause, invoice, issuer, invoicePerson string
		err := r.Scan(&m.ID, &m.OccurredOn, &m.Kind, &m.Amount, &m.Reference, &m.Memo, &cause,
			&m.From.Kind, &m.From.Year, &m.From.ChallengeSlug, &m.From.Title,
			&m.To.Kind, &m.To.Year, &m.To.ChallengeSlug, &m.To.Title, &person, &invoice, &issuer, &invoicePerson)
		switch {
		case cause == fabrique.CauseInvoice:
			person, m.Detail = fabrique.InvoicePayeeLabel(invoice, issuer, invoicePerson), m.Memo
		case cause == fabrique.CauseExpense:
			m.Detail = m.Memo
		case cause == "contribution" && m.Kind == fabrique.TxPayment:
			m.Note = fabrique.PaidWithoutInvoice
		}
		if m.From.Kind == "outside" {
			m.From.Title = person
		}
		if m.To.Kind == "outside" {
			m.To.Title = person
		}
		return m, err
	})
}

// maxChallengeBalances is how many défi accounts the balances list one by one; past it,
// a search matching many défis shows their total.
const maxChallengeBalances = 20

// balancesOrder puts the funds first, then the défis' budgets, the communs' funds and
// the matching pools.
const balancesOrder = `array_position(ARRAY['seed_fund', 'operating', 'seed_budget', 'commons_funds', 'matching_pool'], kind)`

// balancesSQL selects the balances the page shows for f: with a défi filter, those of
// the défis' accounts (challengeBalancesSQL); with a year only, what came in less what
// went out of each account in that year (yearBalancesSQL); else, to this day, the
// balance of each seed fund and matching pool, and the total of each other kind of
// account (every défi's seed budget, every commun's funds): a bounded list, whatever the
// number of défis.
// Each account's balance to this day is the one the ledger keeps (ledger_balances,
// migration 00018): summing the entries of every account took 22 ms, 57 under load. The
// budgets and commun funds are totalled without meeting their défi's or commun's name,
// which only the funds and pools show (joining every account to its défi took 20 ms).
func balancesSQL(f fabrique.MovementFilter) (string, []any) {
	if f.ByChallenge() {
		return challengeBalancesSQL(f)
	}
	if f.Year != 0 {
		return yearBalancesSQL(f.Year)
	}
	return `
		SELECT kind, year, slug, title, balance, n FROM (
			SELECT a.kind, coalesce(a.year, 0) AS year, '' AS slug,
			       coalesce(k.title, '') AS title, coalesce(b.balance, 0) AS balance, 1::bigint AS n, a.id
			FROM ledger_accounts a
			LEFT JOIN calls k ON k.id = a.call_id
			LEFT JOIN ledger_balances b ON b.account_id = a.id
			WHERE a.kind IN ('seed_fund', 'operating', 'matching_pool')
			UNION ALL
			SELECT a.kind, coalesce(a.year, 0), '', '', coalesce(sum(b.balance), 0), count(*), 0
			FROM ledger_accounts a
			LEFT JOIN ledger_balances b ON b.account_id = a.id
			WHERE a.kind IN ('seed_budget', 'commons_funds')
			GROUP BY 1, 2
		) x
		ORDER BY ` + balancesOrder + `, 2 DESC, 4, id`, nil
}

// yearBalancesSQL selects, for the accounts that moved in year, what came in less what
// went out in that year: the seed funds and matching pools one by one, the défis'
// budgets and the communs' funds totalled. The year's entries are found by the index on
// occurred_on and summed per account before meeting any account.
func yearBalancesSQL(year int) (string, []any) {
	var args queryArgs
	return `
		WITH moved AS MATERIALIZED (
			SELECT e.account_id, sum(e.amount) AS amount
			FROM ledger_transactions t
			JOIN ledger_entries e ON e.transaction_id = t.id
			WHERE ` + yearCond(args.add(year)) + `
			GROUP BY e.account_id
		)
		SELECT kind, year, slug, title, balance, n FROM (
			SELECT a.kind, coalesce(a.year, 0) AS year, '' AS slug,
			       coalesce(k.title, '') AS title, m.amount AS balance, 1::bigint AS n, a.id
			FROM moved m
			JOIN ledger_accounts a ON a.id = m.account_id
			LEFT JOIN calls k ON k.id = a.call_id
			WHERE a.kind IN ('seed_fund', 'operating', 'matching_pool')
			UNION ALL
			SELECT a.kind, 0, '', '', sum(m.amount), count(*), 0
			FROM moved m
			JOIN ledger_accounts a ON a.id = m.account_id
			WHERE a.kind IN ('seed_budget', 'commons_funds')
			GROUP BY 1
		) x
		ORDER BY ` + balancesOrder + `, 2 DESC, 4, id`, args
}

// challengeBalancesSQL selects the balances of the accounts of f's défis: to this day,
// or what came in less what went out in f's year (then only the accounts that moved).
// Up to maxChallengeBalances accounts are listed by défi, more are totalled by kind, so
// a search matching half the défis stays one row.
func challengeBalancesSQL(f fabrique.MovementFilter) (string, []any) {
	var args queryArgs
	cond := challengeCond(f, &args)
	acc := `SELECT a.kind, c.slug, c.title, coalesce(b.balance, 0) AS balance
			FROM challenges c
			JOIN ledger_accounts a ON a.challenge_id = c.id
			LEFT JOIN ledger_balances b ON b.account_id = a.id
			WHERE ` + cond
	if f.Year != 0 {
		// Joined and grouped, not a subquery per account: « outil » matches 3 906
		// accounts in the bench data (a lateral sum per account: 650 ms).
		acc = `SELECT a.kind, c.slug, c.title, sum(e.amount) AS balance
			FROM challenges c
			JOIN ledger_accounts a ON a.challenge_id = c.id
			JOIN ledger_entries e ON e.account_id = a.id
			JOIN ledger_transactions t ON t.id = e.transaction_id
			WHERE ` + cond + ` AND ` + yearCond(args.add(f.Year)) + `
			GROUP BY a.id, a.kind, c.slug, c.title`
	}
	limit := strconv.Itoa(maxChallengeBalances)
	return `
		WITH acc AS MATERIALIZED (` + acc + `), n AS (SELECT count(*) AS n FROM acc)
		SELECT kind, 0, slug, title, balance, 1::bigint FROM acc, n WHERE n.n <= ` + limit + `
		UNION ALL
		SELECT kind, 0, '', '', sum(balance), count(*) FROM acc, n WHERE n.n > ` + limit + ` GROUP BY kind
		ORDER BY 4, 3`, args
}

func scanBalances(rows pgx.Rows) ([]fabrique.AccountBalance, error) {
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (fabrique.AccountBalance, error) {
		var b fabrique.AccountBalance
		err := r.Scan(&b.Kind, &b.Year, &b.ChallengeSlug, &b.Title, &b.Balance, &b.Count)
		return b, err
	})
}

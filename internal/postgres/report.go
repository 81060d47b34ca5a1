package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// CommonsReport reads the report of the commun c: its funders (anonymous pledges
// gathered, nameless), the ledger's movements into and out of its funds, days paid by
// activity and by month, volunteer days valued at their day rate, its steps and their
// figures, and the rendez-vous held about it with their attendance.
func (db *DB) CommonsReport(ctx context.Context, c *fabrique.Commons) (*fabrique.CommonsReport, error) {
	rep := &fabrique.CommonsReport{Commons: c}
	page, err := db.CommonsPage(ctx, c.ID, 0)
	if err != nil {
		return nil, err
	}
	rep.Steps, rep.Figures = page.Steps, page.Figures
	wrap := func(what string, err error) error {
		return fmt.Errorf("postgres: report of %s, %s: %w", c.Slug, what, mapError(err))
	}

	rows, err := db.pool.Query(ctx, `
		SELECT CASE WHEN p.anonymous THEN '' ELSE coalesce(nullif(f.organisation, ''), u.display_name) END,
		       CASE WHEN p.anonymous THEN '' ELSE p.funder_kind END, p.anonymous, count(*)::int, sum(p.amount)
		  FROM pledges p JOIN steps s ON s.id = p.step_id JOIN users u ON u.id = p.user_id
		  LEFT JOIN funders f ON f.user_id = p.user_id
		 WHERE s.commons_id = $1 AND p.state = 'confirmee'
		 GROUP BY 1, 2, 3 ORDER BY p.anonymous, sum(p.amount) DESC, 1`, c.ID)
	if err != nil {
		return nil, wrap("funders", err)
	}
	if rep.Funders, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (fabrique.ReportFunder, error) {
		var f fabrique.ReportFunder
		return f, r.Scan(&f.Name, &f.Kind, &f.Anonymous, &f.Pledges, &f.Amount)
	}); err != nil {
		return nil, wrap("funders", err)
	}

	if err := db.pool.QueryRow(ctx, `
		SELECT coalesce(sum(e.amount) FILTER (WHERE t.kind = 'pledge' AND e.amount > 0), 0),
		       coalesce(sum(e.amount) FILTER (WHERE t.kind = 'matching' AND e.amount > 0), 0),
		       coalesce(-sum(e.amount) FILTER (WHERE t.kind = 'payment' AND e.amount < 0), 0)
		  FROM ledger_entries e JOIN ledger_accounts a ON a.id = e.account_id AND a.kind = 'commons_funds' AND a.commons_id = $1
		  JOIN ledger_transactions t ON t.id = e.transaction_id`, c.ID).Scan(&rep.Received, &rep.Matching, &rep.Paid); err != nil {
		return nil, wrap("ledger", err)
	}

	days := func(key string) ([]fabrique.ReportDays, error) {
		rows, err := db.pool.Query(ctx, `SELECT `+key+`, sum(quarters)::int, sum(paid_amount)
			FROM contributions WHERE commons_id = $1 AND state = 'payee' AND NOT volunteer GROUP BY 1 ORDER BY 1`, c.ID)
		if err != nil {
			return nil, err
		}
		return pgx.CollectRows(rows, func(r pgx.CollectableRow) (fabrique.ReportDays, error) {
			var d fabrique.ReportDays
			return d, r.Scan(&d.Key, &d.Quarters, &d.Amount)
		})
	}
	if rep.PaidByActivity, err = days("activity"); err != nil {
		return nil, wrap("days by activity", err)
	}
	if rep.PaidByMonth, err = days("to_char(paid_on, 'YYYY-MM')"); err != nil {
		return nil, wrap("days by month", err)
	}
	if err := db.pool.QueryRow(ctx, `
		SELECT coalesce(sum(k.quarters), 0)::int, coalesce(sum(k.quarters * k.day_rate / 4), 0)
		  FROM contributions k LEFT JOIN events e ON e.id = k.event_id
		 WHERE k.volunteer AND k.state IN ('validee', 'payee') AND (k.commons_id = $1 OR e.commons_id = $1)`, c.ID).
		Scan(&rep.VolunteerDays, &rep.VolunteerValued); err != nil {
		return nil, wrap("volunteer days", err)
	}

	if rep.Progress, err = fundingByMonth(ctx, db.pool, `a.commons_id = $1 AND t.kind IN ('pledge', 'matching')`, c.ID); err != nil {
		return nil, wrap("progress", err)
	}

	rows, err = db.pool.Query(ctx, `SELECT `+eventColumns+`,
		    (SELECT count(*) FILTER (WHERE r.present)::int FROM event_registrations r WHERE r.event_id = e.id)`+eventFrom+`
		 WHERE e.commons_id = $1 AND e.cancelled_at IS NULL AND e.ends_at <= now() ORDER BY e.starts_at`, c.ID)
	if err != nil {
		return nil, wrap("rendez-vous", err)
	}
	if rep.Events, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (fabrique.ReportEvent, error) {
		var re fabrique.ReportEvent
		e, err := scanEvent(r, &re.Present)
		re.Event, re.Registered = e, e.Registered
		return re, err
	}); err != nil {
		return nil, wrap("rendez-vous", err)
	}
	return rep, nil
}

// CallReport reads the report of the call c: per commun and per funder kind, the pledges
// still promised, the funds received (confirmed) and the matching the closing posted
// (the ledger's matching movements of the call).
func (db *DB) CallReport(ctx context.Context, c *fabrique.Call) (*fabrique.CallReport, error) {
	rep := &fabrique.CallReport{Call: c}
	wrap := func(what string, err error) error {
		return fmt.Errorf("postgres: report of call %s, %s: %w", c.Slug, what, mapError(err))
	}
	scan := func(r pgx.CollectableRow) (fabrique.ReportLine, error) {
		var l fabrique.ReportLine
		return l, r.Scan(&l.Key, &l.Slug, &l.Pledges, &l.Promised, &l.Received, &l.Matched)
	}
	rows, err := db.pool.Query(ctx, `
		WITH p AS (
		  SELECT s.commons_id, p.state, p.amount FROM pledges p JOIN steps s ON s.id = p.step_id
		   WHERE p.call_id = $1 AND p.state IN ('promise', 'confirmee')),
		m AS (
		  SELECT a.commons_id, sum(e.amount) AS matched FROM ledger_transactions t
		    JOIN ledger_entries e ON e.transaction_id = t.id AND e.amount > 0
		    JOIN ledger_accounts a ON a.id = e.account_id AND a.kind = 'commons_funds'
		   WHERE t.kind = 'matching' AND t.cause_type = 'call' AND t.cause_id = $1 GROUP BY a.commons_id)
		SELECT k.name, k.slug, count(p.*)::int,
		       coalesce(sum(p.amount) FILTER (WHERE p.state = 'promise'), 0),
		       coalesce(sum(p.amount) FILTER (WHERE p.state = 'confirmee'), 0),
		       coalesce(max(m.matched), 0)
		  FROM commons k LEFT JOIN p ON p.commons_id = k.id LEFT JOIN m ON m.commons_id = k.id
		 WHERE p.commons_id IS NOT NULL OR m.commons_id IS NOT NULL
		 GROUP BY k.id, k.name, k.slug ORDER BY k.name COLLATE "fr-x-icu", k.id`, c.ID)
	if err != nil {
		return nil, wrap("communs", err)
	}
	if rep.ByCommons, err = pgx.CollectRows(rows, scan); err != nil {
		return nil, wrap("communs", err)
	}
	rows, err = db.pool.Query(ctx, `
		SELECT p.funder_kind, '', count(*)::int,
		       coalesce(sum(p.amount) FILTER (WHERE p.state = 'promise'), 0),
		       coalesce(sum(p.amount) FILTER (WHERE p.state = 'confirmee'), 0), 0::bigint
		  FROM pledges p WHERE p.call_id = $1 AND p.state IN ('promise', 'confirmee')
		 GROUP BY p.funder_kind ORDER BY sum(p.amount) DESC, p.funder_kind`, c.ID)
	if err != nil {
		return nil, wrap("funder kinds", err)
	}
	if rep.ByKind, err = pgx.CollectRows(rows, scan); err != nil {
		return nil, wrap("funder kinds", err)
	}
	if rep.Progress, err = fundingByMonth(ctx, db.pool, `(t.kind = 'pledge' AND t.cause_type = 'pledge' AND t.cause_id IN (SELECT id FROM pledges WHERE call_id = $1))
		 OR (t.kind = 'matching' AND t.cause_type = 'call' AND t.cause_id = $1)`, c.ID); err != nil {
		return nil, wrap("progress", err)
	}
	for _, l := range rep.ByCommons {
		rep.Total.Pledges += l.Pledges
		rep.Total.Promised += l.Promised
		rep.Total.Received += l.Received
		rep.Total.Matched += l.Matched
	}
	return rep, nil
}

// YearReport reads the programme's year: the défis proposed that year by status and by
// region, the seed money of the year, the days paid and volunteered, the co-financing
// raised and matched, the rendez-vous held and their participants. Money figures are the
// ledger's movements of the year (occurred_on).
func (db *DB) YearReport(ctx context.Context, year int) (*fabrique.YearReport, error) {
	rep := &fabrique.YearReport{Year: year}
	from := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)
	to := from.AddDate(1, 0, 0)
	wrap := func(what string, err error) error {
		return fmt.Errorf("postgres: report of %d, %s: %w", year, what, mapError(err))
	}
	count := func(sql string) ([]fabrique.ReportCount, error) {
		rows, err := db.pool.Query(ctx, sql, from, to)
		if err != nil {
			return nil, err
		}
		return pgx.CollectRows(rows, func(r pgx.CollectableRow) (fabrique.ReportCount, error) {
			var c fabrique.ReportCount
			return c, r.Scan(&c.Key, &c.Count)
		})
	}
	var err error
	if rep.ByStatus, err = count(`SELECT status, count(*)::int FROM challenges WHERE created_at >= $1 AND created_at < $2
		GROUP BY status ORDER BY array_position(ARRAY['identifie','equipe','prefiguration','developpement','clos'], status)`); err != nil {
		return nil, wrap("challenges by status", err)
	}
	if rep.ByRegion, err = count(`SELECT p.region, count(DISTINCT c.id)::int FROM challenges c
		JOIN challenge_places cp ON cp.challenge_id = c.id JOIN places p ON p.id = cp.place_id
		WHERE c.created_at >= $1 AND c.created_at < $2 GROUP BY p.region ORDER BY count(DISTINCT c.id) DESC, p.region`); err != nil {
		return nil, wrap("challenges by region", err)
	}
	err = db.pool.QueryRow(ctx, `
		WITH m AS (
		  SELECT t.kind, a.kind AS account, a.year AS fund_year, a.commons_id, e.amount
		    FROM ledger_transactions t JOIN ledger_entries e ON e.transaction_id = t.id JOIN ledger_accounts a ON a.id = e.account_id
		   WHERE t.occurred_on >= $1 AND t.occurred_on < $2)
		SELECT
		  coalesce((SELECT sum(amount) FROM m WHERE account = 'seed_fund' AND fund_year = $3 AND kind = 'fund_allocation'), 0),
		  coalesce((SELECT sum(amount) FROM m WHERE account = 'seed_budget' AND kind = 'seed_grant' AND amount > 0), 0),
		  coalesce((SELECT -sum(amount) FROM m WHERE account = 'seed_budget' AND kind = 'payment' AND amount < 0), 0),
		  (SELECT coalesce(sum(quarters), 0)::int FROM contributions WHERE state = 'payee' AND paid_on >= $1 AND paid_on < $2),
		  coalesce((SELECT -sum(amount) FROM m WHERE kind = 'payment' AND amount < 0), 0),
		  (SELECT coalesce(sum(quarters), 0)::int FROM contributions WHERE volunteer AND state IN ('validee', 'payee') AND worked_on >= $1 AND worked_on < $2),
		  (SELECT count(DISTINCT commons_id)::int FROM m WHERE account = 'commons_funds' AND kind IN ('pledge', 'matching') AND amount > 0),
		  coalesce((SELECT sum(amount) FROM m WHERE account = 'commons_funds' AND kind = 'pledge' AND amount > 0), 0),
		  coalesce((SELECT sum(amount) FROM m WHERE account = 'commons_funds' AND kind = 'matching' AND amount > 0), 0),
		  (SELECT count(*)::int FROM events WHERE cancelled_at IS NULL AND starts_at >= $1 AND starts_at < $2 AND ends_at <= now()),
		  (SELECT count(*)::int FROM event_registrations r JOIN events e ON e.id = r.event_id
		    WHERE r.present AND e.cancelled_at IS NULL AND e.starts_at >= $1 AND e.starts_at < $2)`, from, to, year).
		Scan(&rep.SeedFund, &rep.SeedGranted, &rep.SeedSpent, &rep.PaidQuarters, &rep.Paid, &rep.VolunteerQuarters,
			&rep.CommonsFunded, &rep.Raised, &rep.Matched, &rep.Events, &rep.Participants)
	if err != nil {
		return nil, wrap("figures", err)
	}
	if rep.Plan, err = db.WorkPlanReport(ctx, year); err != nil {
		return nil, err
	}
	return rep, nil
}

// PaidDaysByMonth returns the days paid in each month of year (quarters, January first):
// contributions by the day their payment was recorded.
func (db *DB) PaidDaysByMonth(ctx context.Context, year int) ([12]int, error) {
	var months [12]int
	rows, err := db.pool.Query(ctx,
		`SELECT extract(month FROM paid_on)::int, sum(quarters)::int FROM contributions
		  WHERE state = 'payee' AND paid_on >= $1 AND paid_on < $2 GROUP BY 1`,
		time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(year+1, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		return months, fmt.Errorf("postgres: days paid by month: %w", mapError(err))
	}
	defer rows.Close()
	for rows.Next() {
		var m, q int
		if err := rows.Scan(&m, &q); err != nil {
			return months, fmt.Errorf("postgres: days paid by month: %w", err)
		}
		months[m-1] = q
	}
	return months, rows.Err()
}

// fundingByMonth sums, month by month, the money that came into communs' funds by the
// movements cond selects (over t, the transaction, and a, the account credited), and
// returns it cumulated (fabrique.FundingProgress).
func fundingByMonth(ctx context.Context, q DBTX, cond string, arg any) ([]fabrique.MonthFunds, error) {
	rows, err := q.Query(ctx, `
		SELECT date_trunc('month', t.occurred_on)::date,
		       coalesce(sum(e.amount) FILTER (WHERE t.kind = 'pledge'), 0), coalesce(sum(e.amount) FILTER (WHERE t.kind = 'matching'), 0)
		  FROM ledger_transactions t
		  JOIN ledger_entries e ON e.transaction_id = t.id AND e.amount > 0
		  JOIN ledger_accounts a ON a.id = e.account_id AND a.kind = 'commons_funds'
		 WHERE `+cond+`
		 GROUP BY 1 ORDER BY 1`, arg)
	if err != nil {
		return nil, err
	}
	months, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (fabrique.MonthFunds, error) {
		var m fabrique.MonthFunds
		return m, r.Scan(&m.Month, &m.Received, &m.Matched)
	})
	if err != nil {
		return nil, err
	}
	return fabrique.FundingProgress(months), nil
}

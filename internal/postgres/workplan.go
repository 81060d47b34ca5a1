package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// The coordination's work plan and its own days (issue 15). A coordinator's days are
// paid from the operating account of the year they were worked in. Validating reserves
// them against that account and paying posts the movement; both lock the account first,
// then the row, so the account never takes on more than it was given, whatever runs at
// the same time — the same order SetOperatingFund takes.

func operatingRef(year int) fabrique.AccountRef {
	return fabrique.AccountRef{Kind: fabrique.AccountOperating, Year: year}
}

// WorkPlan returns the plan of year: the seed's defaults for services never saved.
func (db *DB) WorkPlan(ctx context.Context, year int) (fabrique.WorkPlan, error) {
	return workPlan(ctx, db.pool, year)
}

func workPlan(ctx context.Context, q DBTX, year int) (fabrique.WorkPlan, error) {
	p := fabrique.DefaultWorkPlan(year)
	rows, err := q.Query(ctx, `SELECT service, quarters FROM work_plan WHERE year = $1`, year)
	if err != nil {
		return p, fmt.Errorf("postgres: work plan %d: %w", year, err)
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return p, fmt.Errorf("postgres: work plan %d: %w", year, err)
		}
		p.Quarters[s], p.Saved = n, true
	}
	return p, rows.Err()
}

// SaveWorkPlan saves the plan p, valid, by the coordinator u, and writes it in the
// journal.
func (db *DB) SaveWorkPlan(ctx context.Context, u *fabrique.User, p fabrique.WorkPlan) error {
	if err := fabrique.CheckCoordinator(u, fabrique.ErrWorkPlanCoordinationOnly); err != nil {
		return err
	}
	err := db.withTx(ctx, func(tx pgx.Tx) error {
		for _, s := range fabrique.WorkServices {
			if _, err := tx.Exec(ctx,
				`INSERT INTO work_plan (year, service, quarters, updated_by) VALUES ($1, $2, $3, $4)
				 ON CONFLICT (year, service) DO UPDATE SET quarters = $3, updated_by = $4, updated_at = now()`,
				p.Year, s, p.Quarters[s], u.ID); err != nil {
				return err
			}
		}
		return audit(ctx, tx, u.ID, "work_plan.save", "work_plan", int64(p.Year), fabrique.WorkPlanAuditDetail(p))
	})
	if err != nil {
		return fmt.Errorf("postgres: save work plan: %w", mapError(err))
	}
	return nil
}

// operatingFund reads the operating account of year: allocations, payments, and the
// validated days not yet paid.
func operatingFund(ctx context.Context, q DBTX, year int) (fabrique.OperatingFund, error) {
	f := fabrique.OperatingFund{Year: year}
	err := q.QueryRow(ctx, `
		SELECT coalesce((SELECT sum(e.amount) FROM ledger_entries e
		                  JOIN ledger_accounts a ON a.id = e.account_id
		                  JOIN ledger_transactions t ON t.id = e.transaction_id
		                 WHERE a.kind = 'operating' AND a.year = $1 AND t.kind = 'operating_allocation'), 0),
		       coalesce((SELECT -sum(e.amount) FROM ledger_entries e
		                  JOIN ledger_accounts a ON a.id = e.account_id
		                  JOIN ledger_transactions t ON t.id = e.transaction_id
		                 WHERE a.kind = 'operating' AND a.year = $1 AND t.kind = 'coordination_payment'), 0),
		       coalesce((SELECT sum(amount) FROM coordination_time
		                 WHERE state = 'validee' AND worked_on >= make_date($1, 1, 1) AND worked_on < make_date($1 + 1, 1, 1)), 0)`,
		year).Scan(&f.Total, &f.Paid, &f.Committed)
	if err != nil {
		return f, fmt.Errorf("postgres: operating account %d: %w", year, err)
	}
	return f, nil
}

// OperatingFund returns the operating account of year (zero when never funded).
func (db *DB) OperatingFund(ctx context.Context, year int) (fabrique.OperatingFund, error) {
	return operatingFund(ctx, db.pool, year)
}

// SetOperatingFund sets the operating account of year to amount cents, by the coordinator
// u: one allocation movement of the difference, from the outside world or back. It never
// goes below what the account paid and has validated (a fabrique.EINVALID on "amount").
func (db *DB) SetOperatingFund(ctx context.Context, u *fabrique.User, year int, amount int64) (fabrique.OperatingFund, error) {
	if err := fabrique.CheckCoordinator(u, fabrique.ErrOperatingCoordinationOnly); err != nil {
		return fabrique.OperatingFund{}, err
	}
	if year < fabrique.MinFundYear || year > fabrique.MaxFundYear || amount < 0 || amount > fabrique.MaxAmount {
		return fabrique.OperatingFund{}, fabrique.ErrInvalidValue
	}
	var f fabrique.OperatingFund
	err := db.withTx(ctx, func(tx pgx.Tx) error {
		if _, err := lockAccount(ctx, tx, operatingRef(year)); err != nil {
			return err
		}
		var err error
		if f, err = operatingFund(ctx, tx, year); err != nil {
			return err
		}
		if used := f.Paid + f.Committed; amount < used {
			return fabrique.OperatingBelowUsedError(used)
		}
		diff := amount - f.Total
		if diff == 0 {
			return nil
		}
		if err := postAllocation(ctx, tx, diff, fabrique.Movement{Kind: fabrique.TxOperatingAllocation, To: operatingRef(year),
			CauseType: fabrique.CauseOperatingAccount, CauseID: int64(year), UserID: u.ID, Memo: fabrique.OperatingFundMemo(year, amount)}); err != nil {
			return err
		}
		f.Total = amount
		return audit(ctx, tx, u.ID, "operating_fund.set", "operating", int64(year), fabrique.OperatingFundMemo(year, amount))
	})
	if err != nil {
		return fabrique.OperatingFund{}, fmt.Errorf("postgres: set operating account %d: %w", year, mapError(err))
	}
	return f, nil
}

const coordinationTimeSelect = `
SELECT t.id, t.user_id, u.display_name, t.worked_on, t.service, t.quarters, t.description,
       coalesce(c.slug, ''), coalesce(c.name, ''), t.day_rate, t.amount, t.state, t.reason,
       coalesce(t.validated_by, 0), coalesce(t.paid_by, 0), coalesce(t.paid_on, '0001-01-01'::date), t.reference
FROM coordination_time t
JOIN users u ON u.id = t.user_id
LEFT JOIN commons c ON c.id = t.commons_id`

func scanCoordinationTime(row pgx.Row) (*fabrique.CoordinationTime, error) {
	var t fabrique.CoordinationTime
	err := row.Scan(&t.ID, &t.UserID, &t.UserName, &t.WorkedOn, &t.Service, &t.Quarters, &t.Description,
		&t.CommonsSlug, &t.CommonsName, &t.DayRate, &t.Amount, &t.State, &t.Reason,
		&t.ValidatedBy, &t.PaidBy, &t.PaidOn, &t.Reference)
	if t.PaidOn.Year() == 1 {
		t.PaidOn = time.Time{}
	}
	return &t, err
}

// LogCoordinationTime records the coordinator u's own days in, valid, at the default day
// rate; an unknown commun is an EINVALID on "commons_slug".
func (db *DB) LogCoordinationTime(ctx context.Context, u *fabrique.User, in fabrique.NewCoordinationTime) (*fabrique.CoordinationTime, error) {
	if err := fabrique.CheckCoordinator(u, fabrique.ErrTimeCoordinationOnly); err != nil {
		return nil, err
	}
	var rec *fabrique.CoordinationTime
	err := db.withTx(ctx, func(tx pgx.Tx) error {
		var commonsID *int64
		if in.CommonsSlug != "" {
			var id int64
			err := tx.QueryRow(ctx, `SELECT id FROM commons WHERE slug = $1`, in.CommonsSlug).Scan(&id)
			if errors.Is(err, pgx.ErrNoRows) {
				return fabrique.ErrTimeCommonsUnknown
			} else if err != nil {
				return err
			}
			commonsID = &id
		}
		rate := fabrique.DefaultDayRate
		var id int64
		if err := tx.QueryRow(ctx,
			`INSERT INTO coordination_time (user_id, worked_on, service, quarters, description, commons_id, day_rate, amount, created_at)
			 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, coalesce($9::timestamptz, now())) RETURNING id`,
			u.ID, in.WorkedOn, in.Service, in.Quarters, in.Description, commonsID, rate, fabrique.DayAmount(in.Quarters, rate), backdated(ctx)).Scan(&id); err != nil {
			return err
		}
		var err error
		if rec, err = scanCoordinationTime(tx.QueryRow(ctx, coordinationTimeSelect+` WHERE t.id = $1`, id)); err != nil {
			return err
		}
		return audit(ctx, tx, u.ID, "coordination_time.log", "coordination_time", id, fabrique.CoordinationTimeAuditDetail(rec))
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: log coordination time: %w", mapError(err))
	}
	return rec, nil
}

// TimeDecision is a decision on a coordinator's days: the reason of a refusal, the day
// and the bank reference of a payment.
type TimeDecision struct {
	Decision  string // fabrique.TimeValidate, TimeRefuse or TimePay
	Reason    string
	PaidOn    time.Time
	Reference string
}

// DecideCoordinationTime takes decision d on the days id, by the coordinator u (never
// their own: fabrique.CheckTimeDecision). Validating reserves the days' amount on the
// operating account of their year, which must have it left; paying posts the movement
// to the outside world. A decision already taken returns already true and changes
// nothing.
func (db *DB) DecideCoordinationTime(ctx context.Context, u *fabrique.User, id int64, d TimeDecision) (rec *fabrique.CoordinationTime, already bool, err error) {
	err = db.withTx(ctx, func(tx pgx.Tx) error {
		var year int
		err := tx.QueryRow(ctx, `SELECT extract(year FROM worked_on)::int FROM coordination_time WHERE id = $1`, id).Scan(&year)
		if errors.Is(err, pgx.ErrNoRows) {
			return fabrique.ErrCoordinationTimeNotFound
		} else if err != nil {
			return err
		}
		if _, err := lockAccount(ctx, tx, operatingRef(year)); err != nil {
			return err
		}
		if rec, err = scanCoordinationTime(tx.QueryRow(ctx, coordinationTimeSelect+` WHERE t.id = $1 FOR UPDATE OF t`, id)); err != nil {
			return err
		}
		if already, err = fabrique.CheckTimeDecision(u, d.Decision, rec); err != nil || already {
			return err
		}
		switch d.Decision {
		case fabrique.TimeValidate:
			f, err := operatingFund(ctx, tx, year)
			if err != nil {
				return err
			}
			if rec.Amount > f.Left() {
				return fabrique.OperatingShortError(year, max(f.Left(), 0))
			}
			if _, err := tx.Exec(ctx, `UPDATE coordination_time SET state = 'validee', validated_by = $2, validated_at = now() WHERE id = $1`, id, u.ID); err != nil {
				return err
			}
			rec.State, rec.ValidatedBy = fabrique.TimeValidated, u.ID
		case fabrique.TimeRefuse:
			if _, err := tx.Exec(ctx, `UPDATE coordination_time SET state = 'refusee', reason = $2, validated_by = $3, validated_at = now() WHERE id = $1`, id, d.Reason, u.ID); err != nil {
				return err
			}
			rec.State, rec.Reason = fabrique.TimeRefused, d.Reason
		case fabrique.TimePay:
			txID, err := post(ctx, tx, fabrique.Movement{Kind: fabrique.TxCoordinationPayment, Amount: rec.Amount,
				From: operatingRef(year), To: fabrique.AccountRef{Kind: fabrique.AccountOutside},
				CauseType: fabrique.CauseCoordinationTime, CauseID: id, Memo: fabrique.CoordinationTimeMemo(rec),
				Reference: d.Reference, UserID: u.ID, OccurredOn: d.PaidOn})
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `UPDATE coordination_time SET state = 'payee', paid_by = $2, paid_on = $3, reference = $4, ledger_tx_id = $5 WHERE id = $1`,
				id, u.ID, d.PaidOn, d.Reference, txID); err != nil {
				return err
			}
			rec.State, rec.PaidBy, rec.PaidOn, rec.Reference = fabrique.TimePaid, u.ID, d.PaidOn, d.Reference
		default:
			return fabrique.ErrInvalidValue
		}
		detail := fabrique.CoordinationTimeAuditDetail(rec)
		if d.Decision == fabrique.TimeRefuse {
			detail += " — " + d.Reason
		}
		return audit(ctx, tx, u.ID, "coordination_time."+d.Decision, "coordination_time", id, detail)
	})
	if err != nil {
		return nil, false, fmt.Errorf("postgres: decide coordination time %d: %w", id, mapError(err))
	}
	return rec, already, nil
}

// CoordinationTimes returns the days worked in year, latest first, a page at a time, and
// how many there are.
func (db *DB) CoordinationTimes(ctx context.Context, year, limit, offset int) ([]*fabrique.CoordinationTime, int, error) {
	rows, err := db.pool.Query(ctx, coordinationTimeSelect+`
		WHERE t.worked_on >= make_date($1, 1, 1) AND t.worked_on < make_date($1 + 1, 1, 1)
		ORDER BY t.worked_on DESC, t.id DESC LIMIT $2 OFFSET $3`, year, limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("postgres: coordination time %d: %w", year, err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*fabrique.CoordinationTime, error) { return scanCoordinationTime(r) })
	if err != nil {
		return nil, 0, fmt.Errorf("postgres: coordination time %d: %w", year, err)
	}
	var total int
	if err := db.pool.QueryRow(ctx, `SELECT count(*) FROM coordination_time
		WHERE worked_on >= make_date($1, 1, 1) AND worked_on < make_date($1 + 1, 1, 1)`, year).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("postgres: coordination time %d: %w", year, err)
	}
	return list, total, nil
}

// CoordinationTimeWaiting counts the coordination days that wait for a decision, by
// their author: what every coordinator's queue is made of (each decides the others').
func (db *DB) CoordinationTimeWaiting(ctx context.Context) (map[int64]int, error) {
	rows, err := db.pool.Query(ctx, `SELECT user_id, count(*) FROM coordination_time WHERE state = 'declaree' GROUP BY user_id`)
	if err != nil {
		return nil, fmt.Errorf("postgres: coordination time waiting: %w", err)
	}
	byAuthor := map[int64]int{}
	var id int64
	var n int
	_, err = pgx.ForEachRow(rows, []any{&id, &n}, func() error {
		byAuthor[id] = n
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: coordination time waiting: %w", err)
	}
	return byAuthor, nil
}

// WorkPlanReport returns the plan of year against the days logged: per service, and per
// commun and service (days validated or paid), with the operating account.
func (db *DB) WorkPlanReport(ctx context.Context, year int) (*fabrique.WorkPlanReport, error) {
	r := &fabrique.WorkPlanReport{}
	var err error
	if r.Plan, err = workPlan(ctx, db.pool, year); err != nil {
		return nil, err
	}
	if r.Fund, err = operatingFund(ctx, db.pool, year); err != nil {
		return nil, err
	}
	rows, err := db.pool.Query(ctx, `
		SELECT t.service, coalesce(c.slug, ''), coalesce(c.name, ''),
		       coalesce(sum(t.quarters) FILTER (WHERE t.state IN ('validee', 'payee')), 0)::int,
		       coalesce(sum(t.quarters) FILTER (WHERE t.state = 'declaree'), 0)::int
		  FROM coordination_time t LEFT JOIN commons c ON c.id = t.commons_id
		 WHERE t.worked_on >= make_date($1, 1, 1) AND t.worked_on < make_date($1 + 1, 1, 1) AND t.state <> 'refusee'
		 GROUP BY 1, 2, 3 ORDER BY 3, 1`, year)
	if err != nil {
		return nil, fmt.Errorf("postgres: work plan report %d: %w", year, err)
	}
	lines, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (fabrique.ServiceDays, error) {
		var s fabrique.ServiceDays
		err := row.Scan(&s.Service, &s.CommonsSlug, &s.CommonsName, &s.Done, &s.Waiting)
		return s, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: work plan report %d: %w", year, err)
	}
	for _, svc := range fabrique.WorkServices {
		s := fabrique.ServiceDays{Service: svc, Planned: r.Plan.Quarters[svc]}
		for _, l := range lines {
			if l.Service == svc {
				s.Done += l.Done
				s.Waiting += l.Waiting
			}
		}
		r.Services = append(r.Services, s)
	}
	for _, l := range lines {
		if l.Done > 0 {
			r.ByCommons = append(r.ByCommons, l)
		}
	}
	return r, nil
}

// CommonsOptions lists the communs by name, for a form's choice (at most 500).
func (db *DB) CommonsOptions(ctx context.Context) ([]fabrique.CommonsOption, error) {
	rows, err := db.pool.Query(ctx, `SELECT slug, name FROM commons ORDER BY name, id LIMIT 500`)
	if err != nil {
		return nil, fmt.Errorf("postgres: commons options: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (fabrique.CommonsOption, error) {
		var o fabrique.CommonsOption
		err := r.Scan(&o.Slug, &o.Name)
		return o, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: commons options: %w", err)
	}
	return list, nil
}

// CoordinationTimeByID returns the days id (fabrique.ErrCoordinationTimeNotFound).
func (db *DB) CoordinationTimeByID(ctx context.Context, id int64) (*fabrique.CoordinationTime, error) {
	rec, err := scanCoordinationTime(db.pool.QueryRow(ctx, coordinationTimeSelect+` WHERE t.id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fabrique.ErrCoordinationTimeNotFound
	} else if err != nil {
		return nil, fmt.Errorf("postgres: coordination time %d: %w", id, err)
	}
	return rec, nil
}

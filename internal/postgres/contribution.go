package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// Contributions are Loot's job: a team member logs days, the porteur or a coordinator
// validates them (which commits money of the account that pays them), a coordinator
// records the payment (which posts the ledger movement). Every limit is checked under a
// lock in the transaction that writes the decision: the paying ledger account for money,
// the contribution's row for its state.
//
// Which account pays is decided once, when the work is logged, and stored: the défi's
// seed budget (commons_id NULL) until the défi is in développement, then the development
// funds of the commun it gave rise to (commons_id), which every défi drawing on that
// commun shares. Work logged during the préfiguration thus stays on the seed budget even
// when it is validated or paid after the move.

func payerOf(challengeID, commonsID int64) fabrique.AccountRef {
	if commonsID != 0 {
		return fabrique.AccountRef{Kind: fabrique.AccountCommonsFunds, CommonsID: commonsID}
	}
	return fabrique.AccountRef{Kind: fabrique.AccountSeedBudget, ChallengeID: challengeID}
}

// contributionSelect reads contributions with their author and défi in one row.
const contributionSelect = `
SELECT ` + contributionColumns + ` FROM contributions k` + contributionJoins

// contributionColumns and contributionJoins are contributionSelect around its source k, so
// that a statement inserting a contribution returns it read as any other (insertedContributionSQL).
const contributionColumns = `k.id, k.challenge_id, k.user_id, u.display_name, u.email, k.worked_on, k.quarters, k.activity,
       k.description, k.volunteer, k.day_rate, k.amount, k.state, k.reason, coalesce(k.validated_by, 0),
       k.paid_on, k.reference, k.created_at, c.slug, c.title, c.lead_id,
       coalesce(k.commons_id, 0), coalesce(k.step_id, 0), coalesce(st.title, ''),
       k.reserved, k.vat_rate, k.paid_amount, coalesce(k.statement_id, 0), coalesce(sm.number, ''), coalesce(cm.name, '')`

const contributionJoins = `
JOIN users u ON u.id = k.user_id JOIN challenges c ON c.id = k.challenge_id
LEFT JOIN steps st ON st.id = k.step_id LEFT JOIN statements sm ON sm.id = k.statement_id
LEFT JOIN commons cm ON cm.id = k.commons_id`

func scanContribution(row pgx.Row) (*fabrique.ContributionRecord, error) {
	var k fabrique.ContributionRecord
	var paidOn *time.Time
	err := row.Scan(&k.ID, &k.ChallengeID, &k.UserID, &k.UserName, &k.Email, &k.WorkedOn, &k.Quarters, &k.Activity,
		&k.Description, &k.Volunteer, &k.DayRate, &k.Amount, &k.State, &k.Reason, &k.ValidatedBy,
		&paidOn, &k.Reference, &k.CreatedAt, &k.ChallengeSlug, &k.ChallengeTitle, &k.LeadID,
		&k.CommonsID, &k.StepID, &k.StepTitle,
		&k.Reserved, &k.VATRate, &k.PaidAmount, &k.StatementID, &k.Statement, &k.CommonsName)
	if err != nil {
		return nil, err
	}
	if paidOn != nil {
		k.PaidOn = *paidOn
	}
	return &k, nil
}

func collectContributions(rows pgx.Rows, err error) ([]*fabrique.ContributionRecord, error) {
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (*fabrique.ContributionRecord, error) { return scanContribution(r) })
}

// ChallengeMembership returns the défi with slug, as ChallengeBySlug, and whether
// userID is an accepted member of its team, in one query: what logging a contribution
// checks before reading the form.
func (db *DB) ChallengeMembership(ctx context.Context, slug string, userID int64) (*fabrique.Challenge, bool, error) {
	var member bool
	c, err := scanChallenge(db.pool.QueryRow(ctx, `SELECT `+challengeColumns+`,
		EXISTS (SELECT 1 FROM challenge_members m WHERE m.challenge_id = c.id AND m.user_id = $2 AND m.state = 'accepted')`+
		challengeFrom+` WHERE c.slug = $1`, slug, userID), &member)
	if err != nil {
		return nil, false, fmt.Errorf("postgres: challenge %q: %w", slug, mapError(err))
	}
	return c, member, nil
}

// CreateContribution records the work userID logged on a défi, for no step in particular:
// LogContribution with stepID 0.
func (db *DB) CreateContribution(ctx context.Context, challengeID, userID int64, in fabrique.Contribution) (*fabrique.ContributionRecord, error) {
	return db.LogContribution(ctx, challengeID, userID, in, 0)
}

// LogContribution records the work userID logged on a défi: in.WorkedOn, in.Quarters,
// in.Activity, in.Description and in.Volunteer, checked by the caller, and for a défi in
// développement, optionally the step of its commun it was for (stepID; EINVALID on
// step_id when it is not one of them). The défi's day rate is snapshotted and the amount
// computed from it (zero when volunteer). The account paying it is fixed now: the seed
// budget, or once the défi is in développement the funds of the commun it gave rise to.
// Only an accepted member of the team may log work (EFORBIDDEN), on a défi whose team is
// formed and which is not closed (EINVALID).
func (db *DB) LogContribution(ctx context.Context, challengeID, userID int64, in fabrique.Contribution, stepID int64) (*fabrique.ContributionRecord, error) {
	var rec *fabrique.ContributionRecord
	err := db.withTx(ctx, func(tx pgx.Tx) error {
		f, err := contributionFacts(ctx, tx, challengeID, userID, in.EventID, stepID)
		if err != nil {
			return err
		}
		if !f.found {
			return fabrique.ErrChallengeNotFound
		}
		state := f.state
		if in.EventID != 0 {
			// Days of a residency: a participant marked present logs them as a member would.
			if !f.eventFound {
				return fabrique.ResidencyUnknownError()
			}
			if err := fabrique.CheckResidencyContribution(f.residency, in.WorkedOn); err != nil {
				return err
			}
			state = fabrique.MemberAccepted
		}
		if err := fabrique.CheckLogContribution(state, f.status); err != nil {
			return err
		}
		// The payer: the origin commun's funds once in développement. A défi moved there
		// before communs were created by the move has none, and stays on its seed budget.
		var commonsID int64
		if f.status == fabrique.StatusDevelopment {
			commonsID = f.originID
		}
		if stepID != 0 && (!f.stepOfOrigin || commonsID == 0) {
			return fabrique.ContributionStepError()
		}
		amount := fabrique.DayAmount(in.Quarters, f.rate)
		if in.Volunteer {
			amount = 0
		}
		// Inserted and read back, author and défi joined, in one statement.
		rec, err = scanContribution(tx.QueryRow(ctx, insertedContributionSQL,
			challengeID, userID, in.WorkedOn, in.Quarters, in.Activity, in.Description, in.Volunteer, f.rate, amount,
			nullable(commonsID), nullable(stepID), nullable(in.EventID)))
		if err != nil {
			return fmt.Errorf("postgres: insert contribution: %w", err)
		}
		return db.notify(ctx, tx, fabrique.ContributionToCheckNotification(rec, rec.UserName))
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: create contribution on %d: %w", challengeID, mapError(err))
	}
	return rec, nil
}

// insertedContributionSQL inserts a contribution and returns it as contributionSelect
// reads it (its author's name is the one the porteur is told).
const insertedContributionSQL = `
WITH k AS (
	INSERT INTO contributions (challenge_id, user_id, worked_on, quarters, activity, description, volunteer, day_rate, amount, commons_id, step_id, event_id)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING *)
SELECT ` + contributionColumns + ` FROM k` + contributionJoins

// logFacts is what logging a contribution checks, read under the locks that keep it true
// until the insert.
type logFacts struct {
	found        bool // the défi exists
	status       fabrique.Status
	rate         int64
	state        string // the author's row in the team, "" without one
	originID     int64  // the commun the défi gave rise to, 0 without one
	stepOfOrigin bool   // the step asked for is one of that commun's
	eventFound   bool   // the residency asked for exists
	residency    fabrique.ResidencyFacts
}

// contributionFacts reads, in one round trip, what LogContribution checks. The share
// locks keep a concurrent closing, rate change or departure from slipping between the
// checks and the insert; the statements run one after the other, the défi locked before
// the author's team row as when they were sent apart. The origin commun and the step are
// read whatever the status (LogContribution uses them only in développement): cheaper
// than another round trip.
func contributionFacts(ctx context.Context, tx pgx.Tx, challengeID, userID, eventID, stepID int64) (logFacts, error) {
	var f logFacts
	b := &pgx.Batch{}
	b.Queue(`SELECT status, day_rate FROM challenges WHERE id = $1 FOR SHARE`, challengeID).QueryRow(func(row pgx.Row) (err error) {
		f.found, err = optionalRow(row.Scan(&f.status, &f.rate), "lock challenge")
		return err
	})
	b.Queue(`SELECT state FROM challenge_members WHERE challenge_id = $1 AND user_id = $2 FOR SHARE`,
		challengeID, userID).QueryRow(func(row pgx.Row) error {
		_, err := optionalRow(row.Scan(&f.state), "team member")
		return err
	})
	if eventID != 0 {
		b.Queue(`SELECT e.kind, e.cancelled_at IS NOT NULL, e.starts_at, e.ends_at,
			        coalesce(e.challenge_id = $2, false) OR EXISTS (SELECT 1 FROM challenge_commons cc
			            WHERE cc.challenge_id = $2 AND cc.relation = 'origine' AND cc.commons_id = e.commons_id),
			        coalesce((SELECT r.present FROM event_registrations r WHERE r.event_id = e.id AND r.user_id = $3), false)
			   FROM events e WHERE e.id = $1 FOR SHARE OF e`, eventID, challengeID, userID).QueryRow(func(row pgx.Row) (err error) {
			r := &f.residency
			f.eventFound, err = optionalRow(row.Scan(&r.Kind, &r.Cancelled, &r.StartsAt, &r.EndsAt, &r.Linked, &r.Present), "residency")
			return err
		})
	}
	b.Queue(`SELECT coalesce((SELECT commons_id FROM challenge_commons WHERE challenge_id = $1 AND relation = 'origine'), 0),
		        EXISTS (SELECT 1 FROM steps s JOIN challenge_commons cc ON cc.commons_id = s.commons_id
		                WHERE s.id = $2 AND cc.challenge_id = $1 AND cc.relation = 'origine')`,
		challengeID, stepID).QueryRow(func(row pgx.Row) error {
		if err := row.Scan(&f.originID, &f.stepOfOrigin); err != nil {
			return fmt.Errorf("postgres: origin commons: %w", err)
		}
		return nil
	})
	err := tx.SendBatch(ctx, b).Close()
	return f, err
}

// optionalRow reads the outcome of the Scan of a row that may be missing: whether it was
// there, and any other error, wrapped with what was read.
func optionalRow(err error, what string) (bool, error) {
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("postgres: %s: %w", what, err)
	}
	return true, nil
}

// ContributionByID returns the contribution id.
func (db *DB) ContributionByID(ctx context.Context, id int64) (*fabrique.ContributionRecord, error) {
	rec, err := scanContribution(db.pool.QueryRow(ctx, contributionSelect+` WHERE k.id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fabrique.ErrContributionNotFound
	} else if err != nil {
		return nil, fmt.Errorf("postgres: contribution %d: %w", id, mapError(err))
	}
	return rec, nil
}

// lockContribution locks the contribution's row and returns it as it is once locked.
func lockContribution(ctx context.Context, tx pgx.Tx, id int64) (*fabrique.ContributionRecord, error) {
	rec, err := scanContribution(tx.QueryRow(ctx, contributionSelect+` WHERE k.id = $1 FOR UPDATE OF k`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fabrique.ErrContributionNotFound
	} else if err != nil {
		return nil, fmt.Errorf("postgres: lock contribution: %w", err)
	}
	return rec, nil
}

// contributionRef reads what never changes on a contribution — the account that pays it
// and whether it is volunteer — so that account can be locked before the row, in the
// same order by every decision.
func contributionRef(ctx context.Context, tx pgx.Tx, id int64) (payer fabrique.AccountRef, volunteer bool, err error) {
	var challengeID, commonsID int64
	err = tx.QueryRow(ctx, `SELECT challenge_id, coalesce(commons_id, 0), volunteer FROM contributions WHERE id = $1`, id).
		Scan(&challengeID, &commonsID, &volunteer)
	if errors.Is(err, pgx.ErrNoRows) {
		return payer, false, fabrique.ErrContributionNotFound
	} else if err != nil {
		return payer, false, fmt.Errorf("postgres: contribution: %w", err)
	}
	return payerOf(challengeID, commonsID), volunteer, nil
}

// committed is the money of an account reserved by validated, unpaid contributions (their
// HT and estimated VAT) and expenses to reimburse: for
// a seed budget, those of its défi it pays; for a commun's funds, those of every défi
// drawing on them.
func committed(ctx context.Context, q DBTX, payer fabrique.AccountRef) (int64, error) {
	query := `SELECT (SELECT coalesce(sum(reserved), 0) FROM contributions WHERE challenge_id = $1 AND commons_id IS NULL AND state = 'validee')
		+ (SELECT coalesce(sum(amount), 0) FROM expenses WHERE challenge_id = $1 AND commons_id IS NULL AND state = 'validee' AND NOT waived)`
	ref := payer.ChallengeID
	if payer.Kind == fabrique.AccountCommonsFunds {
		query = `SELECT (SELECT coalesce(sum(reserved), 0) FROM contributions WHERE commons_id = $1 AND state = 'validee')
			+ (SELECT coalesce(sum(amount), 0) FROM expenses WHERE commons_id = $1 AND state = 'validee' AND NOT waived)`
		ref = payer.CommonsID
	}
	var sum int64
	if err := q.QueryRow(ctx, query, ref).Scan(&sum); err != nil {
		return 0, fmt.Errorf("postgres: committed: %w", err)
	}
	return sum, nil
}

// uncommitted is what the account of payer (id account, locked by the caller) holds
// beyond what validations reserve on it.
func uncommitted(ctx context.Context, tx pgx.Tx, account int64, payer fabrique.AccountRef) (int64, error) {
	balance, err := accountBalance(ctx, tx, account)
	if err != nil {
		return 0, err
	}
	reserved, err := committed(ctx, tx, payer)
	if err != nil {
		return 0, err
	}
	return balance - reserved, nil
}

// ValidateContribution validates contribution id on behalf of actor, the défi's porteur
// or a coordinator but not its author (EFORBIDDEN). A paid contribution reserves its
// amount on the account that pays it — the défi's seed budget, or its commun's funds: it
// is refused (EINVALID) when that account's balance, less what other validations already
// reserve on it, does not cover it. The account is locked first, so concurrent
// validations — of any défi drawing on the same commun — are checked one after the other
// and can never commit more than it holds. A contribution already validated is returned with already
// set (a second click); a refused or paid one is an ECONFLICT error.
func (db *DB) ValidateContribution(ctx context.Context, id int64, actor *fabrique.User) (rec *fabrique.ContributionRecord, already bool, err error) {
	err = db.withTx(ctx, func(tx pgx.Tx) error {
		payer, volunteer, err := contributionRef(ctx, tx, id)
		if err != nil {
			return err
		}
		var account int64
		if !volunteer { // a volunteer contribution moves no money: no budget to lock
			if account, err = lockAccount(ctx, tx, payer); err != nil {
				return err
			}
		}
		if rec, err = lockContribution(ctx, tx, id); err != nil {
			return err
		}
		if already, err = fabrique.CheckContributionDecision(actor, fabrique.ContributionValidate, rec); err != nil || already {
			return err
		}
		reserve, rate := int64(0), 0
		if !volunteer {
			// HT plus the VAT its author's profile adds: what will really leave the budget.
			profile, recoverable, err := billingOf(ctx, tx, rec.UserID)
			if err != nil {
				return err
			}
			reserve, rate = fabrique.Reservation(rec.Amount, profile, recoverable)
			free, err := uncommitted(ctx, tx, account, payer)
			if err != nil {
				return err
			}
			if reserve > free {
				return fabrique.ContributionShortError(payer, true)
			}
		}
		if _, err := tx.Exec(ctx,
			`UPDATE contributions SET state = 'validee', validated_by = $2, validated_at = now(), reserved = $3, vat_rate = $4 WHERE id = $1`,
			id, actor.ID, reserve, rate); err != nil {
			return fmt.Errorf("postgres: validate: %w", err)
		}
		rec.State, rec.ValidatedBy, rec.Reserved, rec.VATRate = fabrique.ContributionValidated, actor.ID, reserve, rate
		if err := db.notify(ctx, tx, fabrique.ContributionDecidedNotification(rec, true)); err != nil {
			return err
		}
		if !volunteer {
			coordinators, err := coordinatorIDs(ctx, tx)
			if err != nil {
				return err
			}
			if err := db.notify(ctx, tx, fabrique.ContributionToPayNotification(coordinators, actor.ID, rec)); err != nil {
				return err
			}
		}
		return audit(ctx, tx, actor.ID, "contribution.validate", "contribution", id,
			fabrique.ContributionAuditDetail(fabrique.ContributionValidate, rec, ""))
	})
	if err != nil {
		return nil, false, fmt.Errorf("postgres: validate contribution %d: %w", id, mapError(err))
	}
	return rec, already, nil
}

// RefuseContribution refuses contribution id with reason, on behalf of actor (the same
// rights as validating). A validated contribution may still be refused before it is
// paid, which releases the money it reserved. A contribution already refused is
// returned with already set; a paid one is an ECONFLICT error.
func (db *DB) RefuseContribution(ctx context.Context, id int64, actor *fabrique.User, reason string) (rec *fabrique.ContributionRecord, already bool, err error) {
	err = db.withTx(ctx, func(tx pgx.Tx) error {
		if rec, err = lockContribution(ctx, tx, id); err != nil {
			return err
		}
		if already, err = fabrique.CheckContributionDecision(actor, fabrique.ContributionRefuse, rec); err != nil || already {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE contributions SET state = 'refusee', reason = $2 WHERE id = $1`, id, reason); err != nil {
			return fmt.Errorf("postgres: refuse: %w", err)
		}
		from := rec.State
		rec.State, rec.Reason = fabrique.ContributionRefused, reason
		if err := db.notify(ctx, tx, fabrique.ContributionDecidedNotification(rec, false)); err != nil {
			return err
		}
		return audit(ctx, tx, actor.ID, "contribution.refuse", "contribution", id,
			fabrique.ContributionAuditDetail(fabrique.ContributionRefuse, rec, from))
	})
	if err != nil {
		return nil, false, fmt.Errorf("postgres: refuse contribution %d: %w", id, mapError(err))
	}
	return rec, already, nil
}

// PayContribution records that contribution id was paid on paidOn under the bank
// reference, on behalf of actor (a coordinator other than its author): it posts the
// payment from the account that pays it (the défi's seed budget or its commun's funds)
// to the outside world in the same transaction. The
// contribution must be validated and paid (not volunteer) (EINVALID). A contribution
// already paid is returned with already set, so a payment clicked twice moves money
// once; a refused one is an ECONFLICT error.
func (db *DB) PayContribution(ctx context.Context, id int64, actor *fabrique.User, reference string, paidOn time.Time) (rec *fabrique.ContributionRecord, already bool, err error) {
	err = db.withTx(ctx, func(tx pgx.Tx) error {
		budget, volunteer, err := contributionRef(ctx, tx, id)
		if err != nil {
			return err
		}
		var account int64
		if !volunteer {
			if account, err = lockAccount(ctx, tx, budget); err != nil {
				return err
			}
		}
		if rec, err = lockContribution(ctx, tx, id); err != nil {
			return err
		}
		if already, err = fabrique.CheckContributionDecision(actor, fabrique.ContributionPay, rec); err != nil || already {
			return err
		}
		if profile, _, err := billingOf(ctx, tx, rec.UserID); err != nil {
			return err
		} else if profile != nil {
			return fabrique.ErrPaidOnInvoice
		}
		// Validation reserved the amount; the balance still covers it unless a grant was
		// reversed since, which the ledger must not hide.
		balance, err := accountBalance(ctx, tx, account)
		if err != nil {
			return err
		}
		if rec.Amount > balance {
			return fabrique.ContributionShortError(budget, false)
		}
		txID, err := post(ctx, tx, fabrique.Movement{
			Kind: fabrique.TxPayment, Amount: rec.Amount, From: budget, To: fabrique.AccountRef{Kind: fabrique.AccountOutside},
			CauseType: "contribution", CauseID: id,
			Memo:      fabrique.ContributionPaymentMemo(rec),
			Reference: reference, UserID: actor.ID, OccurredOn: paidOn,
		})
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx,
			`UPDATE contributions SET state = 'payee', paid_by = $2, paid_on = $3, reference = $4, ledger_tx_id = $5, paid_amount = amount WHERE id = $1`,
			id, actor.ID, paidOn, reference, txID); err != nil {
			return fmt.Errorf("postgres: pay: %w", err)
		}
		rec.State, rec.PaidOn, rec.Reference = fabrique.ContributionPaid, paidOn, reference
		if err := db.notify(ctx, tx, fabrique.ContributionPaidNotification(rec)); err != nil {
			return err
		}
		return audit(ctx, tx, actor.ID, "contribution.pay", "contribution", id,
			fabrique.ContributionAuditDetail(fabrique.ContributionPay, rec, ""))
	})
	if err != nil {
		return nil, false, fmt.Errorf("postgres: pay contribution %d: %w", id, mapError(err))
	}
	return rec, already, nil
}

// commonsFundsCTE sums the funds of the commun in the CTE o (no row: all zero): balances
// from the ledger (cmv), reservations from the contributions of every défi (ck).
const commonsFundsCTE = `
cmv AS (
    SELECT coalesce(sum(e.amount), 0) AS balance,
           coalesce(sum(-e.amount) FILTER (WHERE t.kind = 'payment'), 0) AS paid
    FROM ledger_accounts a
    JOIN ledger_entries e ON e.account_id = a.id
    JOIN ledger_transactions t ON t.id = e.transaction_id
    WHERE a.kind = 'commons_funds' AND a.commons_id = (SELECT id FROM o)),
ck AS (
    SELECT coalesce(sum(reserved) FILTER (WHERE state = 'validee'), 0)
           + (SELECT coalesce(sum(x.amount), 0) FROM expenses x
              WHERE x.commons_id = (SELECT id FROM o) AND x.state = 'validee' AND NOT x.waived) AS committed,
           coalesce(sum(amount) FILTER (WHERE state = 'declaree'), 0) AS declared
    FROM contributions WHERE commons_id = (SELECT id FROM o))`

// commonsFundsColumns are the columns scanCommonsFunds reads.
const commonsFundsColumns = `coalesce(o.id, 0), coalesce(o.slug, ''), coalesce(o.name, ''), cmv.balance, cmv.paid, ck.committed, ck.declared`

func commonsFundsDest(f *fabrique.CommonsFunds, balance *int64) []any {
	return []any{&f.CommonsID, &f.CommonsSlug, &f.CommonsName, balance, &f.Paid, &f.Committed, &f.Declared}
}

// settleCommonsFunds completes f from the funds' balance.
func settleCommonsFunds(f *fabrique.CommonsFunds, balance int64) {
	f.Received = balance + f.Paid
	f.Remaining = balance - f.Committed
}

// BudgetOverview returns the budget of the défi challengeID, seen by viewerID (0 for a
// visitor), with its commun's funds and steps, in one query: balances from the ledger,
// reservations from the contributions.
func (db *DB) BudgetOverview(ctx context.Context, challengeID, viewerID int64) (fabrique.BudgetOverview, error) {
	return scanBudgetOverview(db.pool.QueryRow(ctx, budgetOverviewSQL, challengeID, viewerID), challengeID)
}

// budgetOverviewSQL is fabrique.BudgetOverview's query ($1 the défi, $2 the viewer), which
// ChallengePage sends in its batch too.
const budgetOverviewSQL = `
WITH mv AS (
    SELECT coalesce(sum(e.amount), 0) AS balance,
           coalesce(sum(-e.amount) FILTER (WHERE t.kind = 'payment'), 0) AS paid
    FROM ledger_accounts a
    JOIN ledger_entries e ON e.account_id = a.id
    JOIN ledger_transactions t ON t.id = e.transaction_id
    WHERE a.kind = 'seed_budget' AND a.challenge_id = $1),
k AS (
    SELECT coalesce(sum(reserved) FILTER (WHERE state = 'validee' AND commons_id IS NULL), 0)
           + (SELECT coalesce(sum(x.amount), 0) FROM expenses x
              WHERE x.challenge_id = $1 AND x.commons_id IS NULL AND x.state = 'validee' AND NOT x.waived) AS committed,
           coalesce(sum(amount) FILTER (WHERE state = 'declaree' AND commons_id IS NULL), 0) AS declared,
           count(*) AS n
    FROM contributions WHERE challenge_id = $1),
o AS (
    SELECT k.id, k.slug, k.name FROM commons k JOIN challenge_commons cc ON cc.commons_id = k.id
    WHERE cc.challenge_id = $1 AND cc.relation = 'origine'),` + commonsFundsCTE + `,
st AS (
    SELECT coalesce(array_agg(s.id ORDER BY s.starts_on, s.id), '{}') AS ids,
           coalesce(array_agg(s.title ORDER BY s.starts_on, s.id), '{}') AS titles
    FROM steps s WHERE s.commons_id = (SELECT id FROM o))
SELECT mv.balance, mv.paid, k.committed, k.declared, k.n, c.day_rate,
       EXISTS (SELECT 1 FROM challenge_members m WHERE m.challenge_id = c.id AND m.user_id = $2 AND m.state = 'accepted'),
       ` + commonsFundsColumns + `, st.ids, st.titles
FROM challenges c CROSS JOIN mv CROSS JOIN k CROSS JOIN cmv CROSS JOIN ck CROSS JOIN st LEFT JOIN o ON true
WHERE c.id = $1`

// scanBudgetOverview reads the row of budgetOverviewSQL for the défi challengeID.
func scanBudgetOverview(row pgx.Row, challengeID int64) (fabrique.BudgetOverview, error) {
	var b fabrique.BudgetOverview
	var balance, fundsBalance int64
	var stepIDs []int64
	var stepTitles []string
	err := row.Scan(append([]any{&balance, &b.Paid, &b.Committed, &b.Declared, &b.Count, &b.DayRate, &b.IsMember},
		append(commonsFundsDest(&b.Commons, &fundsBalance), &stepIDs, &stepTitles)...)...)
	if errors.Is(err, pgx.ErrNoRows) {
		return b, fabrique.ErrChallengeNotFound
	} else if err != nil {
		return b, fmt.Errorf("postgres: budget of %d: %w", challengeID, err)
	}
	b.Budgeted = balance + b.Paid
	b.Remaining = balance - b.Committed
	settleCommonsFunds(&b.Commons, fundsBalance)
	for i, id := range stepIDs {
		b.Steps = append(b.Steps, fabrique.StepChoice{ID: id, Title: stepTitles[i]})
	}
	return b, nil
}

// CommonsFunds returns the development funds of the commun commonsID, in one query.
func (db *DB) CommonsFunds(ctx context.Context, commonsID int64) (fabrique.CommonsFunds, error) {
	return scanCommonsFunds(db.pool.QueryRow(ctx, commonsFundsSQL, commonsID), commonsID)
}

// commonsFundsSQL is fabrique.CommonsFunds' query ($1 the commun), which CommonsPage also sends
// in its batch.
const commonsFundsSQL = `WITH o AS (SELECT id, slug, name FROM commons WHERE id = $1),` + commonsFundsCTE + `
		SELECT ` + commonsFundsColumns + ` FROM cmv CROSS JOIN ck LEFT JOIN o ON true`

// scanCommonsFunds reads the row of commonsFundsSQL.
func scanCommonsFunds(row pgx.Row, commonsID int64) (fabrique.CommonsFunds, error) {
	var f fabrique.CommonsFunds
	var balance int64
	if err := row.Scan(commonsFundsDest(&f, &balance)...); err != nil {
		return f, fmt.Errorf("postgres: funds of commons %d: %w", commonsID, err)
	}
	settleCommonsFunds(&f, balance)
	return f, nil
}

// ChallengeMemberDays returns the days logged on a défi by each person, by name, in one
// aggregate query.
func (db *DB) ChallengeMemberDays(ctx context.Context, challengeID int64) ([]fabrique.MemberDays, error) {
	rows, err := db.pool.Query(ctx, challengeMemberDaysSQL, challengeID)
	if err != nil {
		return nil, fmt.Errorf("postgres: member days: %w", err)
	}
	return scanChallengeMemberDays(rows)
}

// challengeMemberDaysSQL is ChallengeMemberDays' query ($1 the défi), which ChallengePage
// sends in its batch too.
const challengeMemberDaysSQL = `
SELECT k.user_id, u.display_name,
       coalesce(sum(k.quarters) FILTER (WHERE NOT k.volunteer), 0),
       coalesce(sum(k.quarters) FILTER (WHERE k.volunteer), 0),
       coalesce(sum(k.paid_amount) FILTER (WHERE k.state = 'payee'), 0)
FROM contributions k JOIN users u ON u.id = k.user_id
WHERE k.challenge_id = $1 AND k.state <> 'refusee'
GROUP BY k.user_id, u.display_name
ORDER BY u.display_name, k.user_id`

// scanChallengeMemberDays reads (and closes) the rows of challengeMemberDaysSQL.
func scanChallengeMemberDays(rows pgx.Rows) ([]fabrique.MemberDays, error) {
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (fabrique.MemberDays, error) {
		var m fabrique.MemberDays
		err := r.Scan(&m.UserID, &m.Name, &m.PaidQuarters, &m.VolunteerQuarters, &m.PaidAmount)
		return m, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: member days: %w", err)
	}
	return list, nil
}

// ChallengeContributions returns a page of a défi's contributions, the latest work first.
func (db *DB) ChallengeContributions(ctx context.Context, challengeID int64, limit, offset int) ([]*fabrique.ContributionRecord, error) {
	rows, err := db.pool.Query(ctx, challengeContributionsSQL, challengeID, limit, offset)
	if err != nil {
		return nil, fmt.Errorf("postgres: contributions of %d: %w", challengeID, err)
	}
	return scanChallengeContributions(rows, challengeID)
}

// challengeContributionsSQL is ChallengeContributions' query ($1 the défi, $2 the limit,
// $3 the offset), which ChallengePage sends in its batch too.
const challengeContributionsSQL = contributionSelect +
	` WHERE k.challenge_id = $1 ORDER BY k.worked_on DESC, k.id DESC LIMIT $2 OFFSET $3`

// scanChallengeContributions reads (and closes) the rows of challengeContributionsSQL
// for the défi challengeID.
func scanChallengeContributions(rows pgx.Rows, challengeID int64) ([]*fabrique.ContributionRecord, error) {
	list, err := collectContributions(rows, nil)
	if err != nil {
		return nil, fmt.Errorf("postgres: contributions of %d: %w", challengeID, err)
	}
	return list, nil
}

// UserContributions returns a page of userID's contributions, the latest work first.
func (db *DB) UserContributions(ctx context.Context, userID int64, limit, offset int) ([]*fabrique.ContributionRecord, error) {
	list, err := collectContributions(db.pool.Query(ctx, userContributionsSQL, userID, limit, offset))
	if err != nil {
		return nil, fmt.Errorf("postgres: contributions of user %d: %w", userID, err)
	}
	return list, nil
}

// userContributionsSQL is UserContributions' query ($1 the account, $2 limit, $3 offset).
const userContributionsSQL = contributionSelect + ` WHERE k.user_id = $1 ORDER BY k.worked_on DESC, k.id DESC LIMIT $2 OFFSET $3`

// UserContributionTotals returns userID's totals by state in one aggregate query.
func (db *DB) UserContributionTotals(ctx context.Context, userID int64) (fabrique.ContributionTotals, error) {
	var t fabrique.ContributionTotals
	if err := scanContributionTotals(db.pool.QueryRow(ctx, userContributionTotalsSQL, userID), &t); err != nil {
		return t, fmt.Errorf("postgres: contribution totals of %d: %w", userID, err)
	}
	return t, nil
}

// scanContributionTotals reads the row of userContributionTotalsSQL into t.
func scanContributionTotals(row pgx.Row, t *fabrique.ContributionTotals) error {
	return row.Scan(&t.Count, &t.Declared, &t.Validated, &t.Paid, &t.Refused, &t.PaidQuarters, &t.VolunteerQuarters)
}

// userContributionTotalsSQL is UserContributionTotals' query ($1 the account).
const userContributionTotalsSQL = `
SELECT count(*),
       coalesce(sum(amount) FILTER (WHERE state = 'declaree'), 0),
       coalesce(sum(reserved) FILTER (WHERE state = 'validee'), 0),
       coalesce(sum(paid_amount) FILTER (WHERE state = 'payee'), 0),
       count(*) FILTER (WHERE state = 'refusee'),
       coalesce(sum(quarters) FILTER (WHERE NOT volunteer AND state <> 'refusee'), 0),
       coalesce(sum(quarters) FILTER (WHERE volunteer AND state <> 'refusee'), 0)
FROM contributions WHERE user_id = $1`

// ContributionsToPay returns the validated, paid (not volunteer) contributions awaiting
// their payment, grouped by payee (by name, then account) and by date within, at most
// limit of them (0: all, for the bank transfer file).
func (db *DB) ContributionsToPay(ctx context.Context, limit int) ([]*fabrique.ContributionRecord, error) {
	var lim any // NULL: no limit
	if limit > 0 {
		lim = limit
	}
	list, err := collectContributions(db.pool.Query(ctx, contributionSelect+
		` WHERE k.state = 'validee' AND NOT k.volunteer AND `+paidOnItsOwn+`
		  ORDER BY u.display_name, k.user_id, k.worked_on, k.id LIMIT $1`, lim))
	if err != nil {
		return nil, fmt.Errorf("postgres: contributions to pay: %w", err)
	}
	return list, nil
}

// paidOnItsOwn selects the contributions k paid one by one, for their HT: those of people
// without a billing profile. The others are paid by the invoice of their statement.
const paidOnItsOwn = `k.statement_id IS NULL AND NOT EXISTS (SELECT 1 FROM billing_profiles b WHERE b.user_id = k.user_id AND b.current)`

// PaymentsDue counts the contributions to pay and their total, in cents.
func (db *DB) PaymentsDue(ctx context.Context) (count int, total int64, err error) {
	err = db.pool.QueryRow(ctx,
		`SELECT count(*), coalesce(sum(k.amount), 0) FROM contributions k WHERE k.state = 'validee' AND NOT k.volunteer AND `+paidOnItsOwn).Scan(&count, &total)
	if err != nil {
		return 0, 0, fmt.Errorf("postgres: payments due: %w", err)
	}
	return count, total, nil
}

// MaxBudgetAlerts bounds the list of budgets near their end.
const MaxBudgetAlerts = 50

// BudgetsNearEnd returns the seed budgets of défis in progress whose remaining money
// (balance less reservations) is under a fifth of what they were granted, the emptiest
// first, in one query.
func (db *DB) BudgetsNearEnd(ctx context.Context) ([]fabrique.BudgetAlert, error) {
	rows, err := db.pool.Query(ctx, `
WITH b AS (
    SELECT a.challenge_id, sum(e.amount) AS balance,
           coalesce(sum(-e.amount) FILTER (WHERE t.kind = 'payment'), 0) AS paid
    FROM ledger_accounts a
    JOIN ledger_entries e ON e.account_id = a.id
    JOIN ledger_transactions t ON t.id = e.transaction_id
    WHERE a.kind = 'seed_budget'
    GROUP BY a.challenge_id),
k AS (
    SELECT challenge_id, sum(reserved) AS committed FROM contributions
    WHERE state = 'validee' AND commons_id IS NULL GROUP BY challenge_id),
r AS (
    SELECT b.challenge_id, b.balance + b.paid AS budgeted, b.balance - coalesce(k.committed, 0) AS remaining
    FROM b LEFT JOIN k ON k.challenge_id = b.challenge_id)
SELECT c.slug, c.title, r.budgeted, r.remaining
FROM r JOIN challenges c ON c.id = r.challenge_id
WHERE c.status IN ('equipe', 'prefiguration', 'developpement') AND r.budgeted > 0 AND r.remaining * 5 < r.budgeted
ORDER BY r.remaining::numeric / r.budgeted, c.title, c.id
LIMIT $1`, MaxBudgetAlerts)
	if err != nil {
		return nil, fmt.Errorf("postgres: budgets near end: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (fabrique.BudgetAlert, error) {
		var a fabrique.BudgetAlert
		err := r.Scan(&a.ChallengeSlug, &a.ChallengeTitle, &a.Budgeted, &a.Remaining)
		return a, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: budgets near end: %w", err)
	}
	return list, nil
}

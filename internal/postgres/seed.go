package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// The seed fund of a year and the défis' seed budgets. Every limit is checked under a lock
// taken in the transaction that writes the decision and posts its movement: the défi's row
// for its ceiling and its one open request, the fund's ledger account for what is left.
// Locks are always taken in that order (défi, then request, then fund), so two decisions
// never wait on each other in a cycle.

// Audit actions of the seed phase.
const (
	AuditSeedFundSet       = "seed_fund.set"
	AuditSeedApproved      = "seed_request.approve"
	AuditSeedRefused       = "seed_request.refuse"
	AuditSeedSelfDecision  = "seed_request.self_decision" // a decision the four-eyes rule refused
	auditTargetSeedFund    = "seed_fund"
	auditTargetSeedRequest = "seed_request"
)

func seedFundRef(year int) fabrique.AccountRef {
	return fabrique.AccountRef{Kind: fabrique.AccountSeedFund, Year: year}
}

// seedFundSelect sums a fund account's entries: allocations (in minus out) and balance.
// Whatever left the fund other than an allocation — grants, net of any reversal — is
// what it granted.
const seedFundSelect = `
SELECT a.year,
       coalesce(sum(e.amount) FILTER (WHERE t.kind = 'fund_allocation'), 0),
       coalesce(sum(e.amount), 0)
FROM ledger_accounts a
LEFT JOIN ledger_entries e ON e.account_id = a.id
LEFT JOIN ledger_transactions t ON t.id = e.transaction_id
WHERE a.kind = 'seed_fund'`

func scanSeedFund(row pgx.Row) (fabrique.SeedFundSummary, error) {
	var f fabrique.SeedFundSummary
	err := row.Scan(&f.Year, &f.Total, &f.Left)
	f.Granted = f.Total - f.Left
	return f, err
}

// SeedFunds returns the seed fund of every year that has one, latest year first.
func (db *DB) SeedFunds(ctx context.Context) ([]fabrique.SeedFundSummary, error) {
	rows, err := db.pool.Query(ctx, seedFundSelect+` GROUP BY a.year ORDER BY a.year DESC`)
	if err != nil {
		return nil, fmt.Errorf("postgres: seed funds: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (fabrique.SeedFundSummary, error) { return scanSeedFund(r) })
	if err != nil {
		return nil, fmt.Errorf("postgres: seed funds: %w", err)
	}
	return list, nil
}

// SeedFund returns the seed fund of year: zero everywhere when it was never set.
func (db *DB) SeedFund(ctx context.Context, year int) (fabrique.SeedFundSummary, error) {
	return seedFund(ctx, db.pool, year)
}

func seedFund(ctx context.Context, q DBTX, year int) (fabrique.SeedFundSummary, error) {
	f, err := scanSeedFund(q.QueryRow(ctx, seedFundSelect+` AND a.year = $1 GROUP BY a.year`, year))
	if errors.Is(err, pgx.ErrNoRows) {
		return fabrique.SeedFundSummary{Year: year}, nil
	} else if err != nil {
		return fabrique.SeedFundSummary{}, fmt.Errorf("postgres: seed fund %d: %w", year, err)
	}
	return f, nil
}

// SetSeedFund sets the seed fund of year to amount cents on behalf of actor, a
// coordinator. The change is one allocation movement of the difference, from the outside
// world into the fund or back; nothing is posted when the amount is unchanged. The fund's
// account is locked first, so the fund can never be set below what it has granted, even
// while approvals run: that is a fabrique.SeedLimitError.
func (db *DB) SetSeedFund(ctx context.Context, actor *fabrique.User, year int, amount int64) (fabrique.SeedFundSummary, error) {
	if err := fabrique.CheckCoordinator(actor, fabrique.ErrSeedFundCoordinationOnly); err != nil {
		return fabrique.SeedFundSummary{}, err
	}
	if year < fabrique.MinFundYear || year > fabrique.MaxFundYear || amount < 0 || amount > fabrique.MaxAmount {
		return fabrique.SeedFundSummary{}, fabrique.ErrInvalidValue
	}
	var f fabrique.SeedFundSummary
	err := db.withTx(ctx, func(tx pgx.Tx) error {
		if _, err := lockAccount(ctx, tx, seedFundRef(year)); err != nil {
			return err
		}
		var err error
		if f, err = seedFund(ctx, tx, year); err != nil {
			return err
		}
		if amount < f.Granted {
			return &fabrique.SeedLimitError{Limit: fabrique.LimitGranted, Year: year, Amount: f.Granted}
		}
		diff := amount - f.Total
		if diff == 0 {
			return nil
		}
		if err := postAllocation(ctx, tx, diff, fabrique.Movement{Kind: fabrique.TxFundAllocation, To: seedFundRef(year),
			CauseType: auditTargetSeedFund, CauseID: int64(year), UserID: actor.ID, Memo: fabrique.SeedFundMemo(year, amount)}); err != nil {
			return err
		}
		detail := fabrique.SeedFundAuditDetail(year, f.Total, amount)
		if err := audit(ctx, tx, actor.ID, AuditSeedFundSet, auditTargetSeedFund, int64(year), detail); err != nil {
			return err
		}
		f.Left += diff
		f.Total = amount
		return nil
	})
	if err != nil {
		return fabrique.SeedFundSummary{}, fmt.Errorf("postgres: set seed fund %d: %w", year, mapError(err))
	}
	return f, nil
}

// seedChallenge is what the seed rules read of a défi, under its lock.
type seedChallenge struct {
	status   fabrique.Status
	leadID   int64
	title    string
	approved int64 // seed budget approved so far, in cents
	pending  bool  // a request waits for a decision
}

// lockSeedChallenge locks the défi's row against concurrent requests and decisions (not
// against readers nor against rows that reference it) and reads its seed facts.
func lockSeedChallenge(ctx context.Context, tx pgx.Tx, challengeID int64) (seedChallenge, error) {
	var c seedChallenge
	err := tx.QueryRow(ctx, `SELECT status, lead_id, title FROM challenges WHERE id = $1 FOR NO KEY UPDATE`, challengeID).
		Scan(&c.status, &c.leadID, &c.title)
	if errors.Is(err, pgx.ErrNoRows) {
		return c, fabrique.ErrChallengeNotFound
	} else if err != nil {
		return c, fmt.Errorf("postgres: lock challenge: %w", err)
	}
	err = tx.QueryRow(ctx,
		`SELECT coalesce(sum(approved_amount), 0), coalesce(bool_or(state = 'pending'), false)
		 FROM seed_requests WHERE challenge_id = $1`, challengeID).Scan(&c.approved, &c.pending)
	if err != nil {
		return c, fmt.Errorf("postgres: seed facts: %w", err)
	}
	return c, nil
}

// RequestSeedBudget records the porteur's request for a seed budget of amount cents with
// plan, and returns its id. Only the porteur of the défi may ask (EFORBIDDEN), while the
// défi is in "equipe" or "prefiguration" and no other request is open (EINVALID), and for
// no more than is left under the ceiling (a fabrique.SeedLimitError): the rules of
// fabrique.CheckSeedRequest, judged on the défi read under its lock.
func (db *DB) RequestSeedBudget(ctx context.Context, challengeID int64, actor *fabrique.User, amount int64, plan string) (int64, error) {
	var id int64
	err := db.withTx(ctx, func(tx pgx.Tx) error {
		c, err := lockSeedChallenge(ctx, tx, challengeID)
		if err != nil {
			return err
		}
		facts := fabrique.SeedRequestFacts{LeadID: c.leadID, Status: c.status, Pending: c.pending, Approved: c.approved}
		if err := fabrique.CheckSeedRequest(actor, amount, facts); err != nil {
			return err
		}
		err = tx.QueryRow(ctx,
			`INSERT INTO seed_requests (challenge_id, requested_by, amount, plan) VALUES ($1, $2, $3, $4) RETURNING id`,
			challengeID, actor.ID, amount, plan).Scan(&id)
		if isUniqueViolation(err, "seed_requests_one_pending") {
			return fabrique.ErrSeedRequestPending // the index backs the rule
		} else if err != nil {
			return fmt.Errorf("postgres: insert seed request: %w", mapError(err))
		}
		slug, _, err := challengeNames(ctx, tx, challengeID)
		if err != nil {
			return err
		}
		coordinators, err := coordinatorIDs(ctx, tx)
		if err != nil {
			return err
		}
		return db.notify(ctx, tx, fabrique.SeedToDecideNotification(coordinators, actor.ID, slug, c.title, actor.DisplayName, amount))
	})
	if err != nil {
		return 0, fmt.Errorf("postgres: request seed budget for %d: %w", challengeID, mapError(err))
	}
	return id, nil
}

// Coordinators returns how many accounts coordinate the Fabrique: with only one, a seed
// request of theirs waits for a second.
func (db *DB) Coordinators(ctx context.Context) (int, error) {
	var n int
	if err := db.pool.QueryRow(ctx, `SELECT count(*) FROM users WHERE role = 'coordinator'`).Scan(&n); err != nil {
		return 0, fmt.Errorf("postgres: coordinators: %w", err)
	}
	return n, nil
}

// DecideSeedRequest applies a coordinator's decision to a défi's pending seed request. An
// approval grants d.Amount (at most the amount requested, within the ceiling) from the
// seed fund of d.Year, which is locked and may never go below zero: the grant is posted
// to the défi's seed budget in the same transaction. A refusal takes a note. A request
// already decided is an ECONFLICT error: of two concurrent decisions, one wins.
// The rules are fabrique.CheckSeedDecision's. Four eyes: a coordinator who made the request or leads the
// défi gets an EFORBIDDEN error, judged on the request and porteur read under the locks;
// the attempt is then the only thing the transaction writes, in the audit trail.
func (db *DB) DecideSeedRequest(ctx context.Context, challengeID int64, actor *fabrique.User, d fabrique.SeedDecision) (*fabrique.SeedRequest, error) {
	if err := fabrique.CheckCoordinator(actor, fabrique.ErrSeedDecisionCoordinationOnly); err != nil {
		return nil, err
	}
	if d.Approve && (d.Year < fabrique.MinFundYear || d.Year > fabrique.MaxFundYear) {
		return nil, fmt.Errorf("postgres: seed decision for fund year %d", d.Year)
	}
	var req *fabrique.SeedRequest
	var barred error // the four-eyes refusal, returned once its audit row is committed
	err := db.withTx(ctx, func(tx pgx.Tx) error {
		c, err := lockSeedChallenge(ctx, tx, challengeID)
		if err != nil {
			return err
		}
		if req, err = lockSeedRequest(ctx, tx, challengeID, d.RequestID); err != nil {
			return err
		}
		facts := fabrique.SeedDecisionFacts{State: req.State, Status: c.status,
			SeedDeciderFacts: fabrique.SeedDeciderFacts{RequestedBy: req.RequestedBy, LeadID: c.leadID}}
		if err := fabrique.CheckSeedDecision(actor, d, facts); err != nil {
			// actor is a coordinator: a bar is a four-eyes refusal, which the trail keeps.
			if bar := fabrique.SeedDeciderBar(actor, facts.SeedDeciderFacts); bar != "" {
				barred = err
				return auditSelfDecision(ctx, tx, actor, c, req, d, bar)
			}
			return err
		}
		decide := approveSeedRequest
		if !d.Approve {
			decide = func(ctx context.Context, tx pgx.Tx, actor *fabrique.User, c seedChallenge, r *fabrique.SeedRequest, d fabrique.SeedDecision) error {
				return refuseSeedRequest(ctx, tx, actor, c, r, d.Note)
			}
		}
		if err := decide(ctx, tx, actor, c, req, d); err != nil {
			return err
		}
		slug, _, err := challengeNames(ctx, tx, challengeID)
		if err != nil {
			return err
		}
		return db.notify(ctx, tx, fabrique.SeedDecidedNotification(c.leadID, slug, c.title, req))
	})
	if err == nil && barred != nil {
		err = barred
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: decide seed request of %d: %w", challengeID, mapError(err))
	}
	return req, nil
}

// auditSelfDecision records a decision the four-eyes rule refused: who tried, on which
// request, and why they may not (fabrique.SeedDeciderRequester or SeedDeciderLead).
func auditSelfDecision(ctx context.Context, tx pgx.Tx, actor *fabrique.User, c seedChallenge, r *fabrique.SeedRequest, d fabrique.SeedDecision, bar string) error {
	return audit(ctx, tx, actor.ID, AuditSeedSelfDecision, auditTargetSeedRequest, r.ID,
		fabrique.SeedSelfDecisionAuditDetail(c.title, r.Amount, d.Approve, bar))
}

// lockSeedRequest locks the request id of the défi, or its pending request when id is 0.
func lockSeedRequest(ctx context.Context, tx pgx.Tx, challengeID, id int64) (*fabrique.SeedRequest, error) {
	where := `state = 'pending'`
	args := []any{challengeID}
	if id != 0 {
		where, args = `id = $2`, append(args, id)
	}
	var r fabrique.SeedRequest
	err := tx.QueryRow(ctx, `SELECT id, challenge_id, requested_by, amount, plan, state FROM seed_requests
		WHERE challenge_id = $1 AND `+where+` FOR UPDATE`, args...).
		Scan(&r.ID, &r.ChallengeID, &r.RequestedBy, &r.Amount, &r.Plan, &r.State)
	switch {
	case errors.Is(err, pgx.ErrNoRows) && id == 0:
		return nil, fabrique.ErrNoPendingSeedRequest
	case errors.Is(err, pgx.ErrNoRows):
		return nil, fabrique.ErrSeedRequestNotFound
	case err != nil:
		return nil, fmt.Errorf("postgres: lock seed request: %w", err)
	}
	return &r, nil
}

func refuseSeedRequest(ctx context.Context, tx pgx.Tx, actor *fabrique.User, c seedChallenge, r *fabrique.SeedRequest, note string) error {
	if err := tx.QueryRow(ctx,
		`UPDATE seed_requests SET state = 'refused', note = $2, decided_by = $3, decided_at = now()
		 WHERE id = $1 RETURNING decided_at`, r.ID, note, actor.ID).Scan(&r.DecidedAt); err != nil {
		return fmt.Errorf("postgres: refuse seed request: %w", mapError(err))
	}
	r.State, r.Note, r.DecidedBy, r.DeciderName = fabrique.SeedRefused, note, actor.ID, actor.DisplayName
	return audit(ctx, tx, actor.ID, AuditSeedRefused, auditTargetSeedRequest, r.ID, fabrique.SeedDecisionAuditDetail(c.title, r))
}

func approveSeedRequest(ctx context.Context, tx pgx.Tx, actor *fabrique.User, c seedChallenge, r *fabrique.SeedRequest, d fabrique.SeedDecision) error {
	amount := d.Amount
	if amount == 0 {
		amount = r.Amount
	}
	if amount < 0 || amount > r.Amount {
		return &fabrique.SeedLimitError{Limit: fabrique.LimitRequested, Amount: r.Amount}
	}
	// The request was within the ceiling when made; checked again, as a decision is final.
	if left := fabrique.DefaultSeedCeiling - c.approved; amount > left {
		return &fabrique.SeedLimitError{Limit: fabrique.LimitCeiling, Amount: max(left, 0)}
	}
	fundID, err := lockAccount(ctx, tx, seedFundRef(d.Year))
	if err != nil {
		return err
	}
	left, err := accountBalance(ctx, tx, fundID)
	if err != nil {
		return err
	}
	if left < amount {
		return &fabrique.SeedLimitError{Limit: fabrique.LimitFund, Year: d.Year, Amount: max(left, 0)}
	}
	txID, err := post(ctx, tx, fabrique.Movement{
		Kind: fabrique.TxSeedGrant, Amount: amount,
		From: seedFundRef(d.Year), To: fabrique.AccountRef{Kind: fabrique.AccountSeedBudget, ChallengeID: r.ChallengeID},
		CauseType: auditTargetSeedRequest, CauseID: r.ID, UserID: actor.ID,
		Memo: fabrique.SeedGrantMemo(c.title),
	})
	if err != nil {
		return err
	}
	if err := tx.QueryRow(ctx,
		`UPDATE seed_requests SET state = 'approved', approved_amount = $2, fund_year = $3, ledger_tx_id = $4,
		        note = $5, decided_by = $6, decided_at = now()
		 WHERE id = $1 RETURNING decided_at`, r.ID, amount, d.Year, txID, d.Note, actor.ID).Scan(&r.DecidedAt); err != nil {
		return fmt.Errorf("postgres: approve seed request: %w", mapError(err))
	}
	r.State, r.ApprovedAmount, r.FundYear, r.Note = fabrique.SeedApproved, amount, d.Year, d.Note
	r.DecidedBy, r.DeciderName = actor.ID, actor.DisplayName
	return audit(ctx, tx, actor.ID, AuditSeedApproved, auditTargetSeedRequest, r.ID, fabrique.SeedDecisionAuditDetail(c.title, r))
}

// seedRequestColumns reads a request with the names of its requester and decider.
const seedRequestColumns = `r.id, r.challenge_id, r.requested_by, ru.display_name, r.amount, r.plan, r.state,
       coalesce(r.approved_amount, 0), coalesce(r.fund_year, 0), r.note, coalesce(r.decided_by, 0),
       coalesce(du.display_name, ''), coalesce(r.decided_at, 'epoch'::timestamptz), r.created_at`

const seedRequestJoins = ` JOIN users ru ON ru.id = r.requested_by LEFT JOIN users du ON du.id = r.decided_by`

func seedRequestDest(r *fabrique.SeedRequest) []any {
	return []any{&r.ID, &r.ChallengeID, &r.RequestedBy, &r.RequesterName, &r.Amount, &r.Plan, &r.State,
		&r.ApprovedAmount, &r.FundYear, &r.Note, &r.DecidedBy, &r.DeciderName, &r.DecidedAt, &r.CreatedAt}
}

// undecided clears the placeholder decision time the query gives a pending request.
func undecided(r *fabrique.SeedRequest) {
	if r.State == fabrique.SeedPending {
		r.DecidedAt = time.Time{}
	}
}

// ChallengeSeed returns the latest limit seed requests of a défi, newest first, and the
// seed budget granted to it, in one query. The pending request, if any, is always the
// newest, since a défi has one open request at a time.
func (db *DB) ChallengeSeed(ctx context.Context, challengeID int64, limit int) (*fabrique.ChallengeSeedState, error) {
	rows, err := db.pool.Query(ctx, challengeSeedSQL, challengeID, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: challenge seed: %w", err)
	}
	return scanChallengeSeed(rows)
}

// challengeSeedSQL is ChallengeSeed's query ($1 the défi, $2 the limit), which
// ChallengePage sends in its batch too.
const challengeSeedSQL = `SELECT ` + seedRequestColumns + `, coalesce(sum(r.approved_amount) OVER (), 0)
		FROM seed_requests r` + seedRequestJoins + `
		WHERE r.challenge_id = $1 ORDER BY r.state = 'pending' DESC, r.created_at DESC, r.id DESC LIMIT $2`

// scanChallengeSeed reads (and closes) the rows of challengeSeedSQL.
func scanChallengeSeed(rows pgx.Rows) (*fabrique.ChallengeSeedState, error) {
	s := &fabrique.ChallengeSeedState{}
	var err error
	s.Requests, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (fabrique.SeedRequest, error) {
		var r fabrique.SeedRequest
		err := row.Scan(append(seedRequestDest(&r), &s.Granted)...)
		undecided(&r)
		return r, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: challenge seed: %w", err)
	}
	return s, nil
}

// SeedRequests returns the seed requests waiting for a decision, oldest first, at most
// limit from offset, and how many wait in all (0 past the last); one query.
func (db *DB) SeedRequests(ctx context.Context, limit, offset int) ([]fabrique.SeedQueueItem, int, error) {
	rows, err := db.pool.Query(ctx, `SELECT `+seedRequestColumns+`, c.slug, c.title, c.status, c.lead_id,
		       (SELECT coalesce(sum(p.approved_amount), 0) FROM seed_requests p WHERE p.challenge_id = r.challenge_id),
		       count(*) OVER ()
		FROM seed_requests r JOIN challenges c ON c.id = r.challenge_id`+seedRequestJoins+`
		WHERE r.state = 'pending' ORDER BY r.created_at, r.id LIMIT $1 OFFSET $2`, limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("postgres: seed requests: %w", err)
	}
	var total int
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (fabrique.SeedQueueItem, error) {
		var it fabrique.SeedQueueItem
		err := row.Scan(append(seedRequestDest(&it.SeedRequest), &it.ChallengeSlug, &it.ChallengeTitle, &it.ChallengeStatus, &it.ChallengeLeadID, &it.Granted, &total)...)
		undecided(&it.SeedRequest)
		return it, err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("postgres: seed requests: %w", err)
	}
	return list, total, nil
}

package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// Calls for co-financing ("appels à cofinancement"). A call's matching is never stored:
// what its rule brings is fabrique.Match over its pledges (pledges.call_id), computed at
// every read, and posted to the ledger once, when a coordinator closes the call. The
// call's row is the lock of every decision on it (steps joining, closing); closing also
// locks its pool account and its pledges, so a confirmation racing the closing is either
// matched or never happens.

// Audit actions of the calls.
const (
	AuditCallCreated   = "call.create"
	AuditCallStepAdded = "call.add_step"
	AuditCallClosed    = "call.close"
	AuditCallPayment   = "call.payment"
	auditTargetCall    = "call"
)

const callSelect = `
SELECT c.id, c.slug, c.title, c.description, c.starts_on, c.ends_on, c.pool, c.match_percent,
       c.match_kinds, c.match_cap, c.closed_at, c.created_at, c.payee, c.iban, c.reference_prefix
FROM calls c`

func scanCall(row pgx.Row, extra ...any) (*fabrique.Call, error) {
	var c fabrique.Call
	var closed *time.Time
	dest := append([]any{&c.ID, &c.Slug, &c.Title, &c.Description, &c.StartsOn, &c.EndsOn, &c.Rule.Pool,
		&c.Rule.Percent, &c.Rule.Kinds, &c.Rule.Cap, &closed, &c.CreatedAt,
		&c.Payment.Payee, &c.Payment.IBAN, &c.Payment.ReferencePrefix}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	if closed != nil {
		c.ClosedAt = *closed
	}
	return &c, nil
}

func poolRef(callID int64) fabrique.AccountRef {
	return fabrique.AccountRef{Kind: fabrique.AccountMatchingPool, CallID: callID}
}

// CreateCall records a call for co-financing on behalf of actor, a coordinator, under a
// unique slug derived from its title. A matching pool is funded in the same transaction:
// one movement from the outside world into the call's pool account.
func (db *DB) CreateCall(ctx context.Context, actor *fabrique.User, nc fabrique.NewCall) (*fabrique.Call, error) {
	if err := fabrique.CheckCoordinator(actor, fabrique.ErrCallLaunchCoordinationOnly); err != nil {
		return nil, err
	}
	nc.Normalize()
	if err := nc.Validate(); err != nil {
		return nil, err
	}
	var c *fabrique.Call
	err := db.withTx(ctx, func(tx pgx.Tx) error {
		id, err := insertCall(ctx, tx, fabrique.Slugify(nc.Title), nc, actor.ID)
		if err != nil {
			return err
		}
		if nc.Rule.Pool > 0 {
			if _, err := post(ctx, tx, fabrique.Movement{
				Kind: fabrique.TxPoolFunding, Amount: nc.Rule.Pool,
				From: fabrique.AccountRef{Kind: fabrique.AccountOutside}, To: poolRef(id),
				CauseType: auditTargetCall, CauseID: id, UserID: actor.ID,
				Memo: fabrique.CallPoolMemo(nc.Title),
			}); err != nil {
				return err
			}
		}
		if err := audit(ctx, tx, actor.ID, AuditCallCreated, auditTargetCall, id, fabrique.CallAuditDetail(nc)); err != nil {
			return err
		}
		c, err = scanCall(tx.QueryRow(ctx, callSelect+` WHERE c.id = $1`, id))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: create call: %w", mapError(err))
	}
	return c, nil
}

// insertCall inserts the call under the first free slug derived from base.
func insertCall(ctx context.Context, tx pgx.Tx, base string, nc fabrique.NewCall, actorID int64) (int64, error) {
	kinds := nc.Rule.Kinds
	if kinds == nil {
		kinds = []string{}
	}
	id, _, err := insertWithSlug(ctx, tx, "calls", base, func(slug string) pgx.Row {
		return tx.QueryRow(ctx,
			`INSERT INTO calls (slug, title, description, starts_on, ends_on, pool, match_percent, match_kinds, match_cap, created_by,
			                    payee, iban, reference_prefix)
			 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
			 ON CONFLICT (slug) DO NOTHING RETURNING id`,
			slug, nc.Title, nc.Description, nc.StartsOn, nc.EndsOn, nc.Rule.Pool, nc.Rule.Percent, kinds, nc.Rule.Cap, actorID,
			nc.Payment.Payee, nc.Payment.IBAN, nc.Payment.ReferencePrefix)
	})
	if fabrique.ErrorCode(err) == fabrique.ECONFLICT {
		return 0, fabrique.ErrCallTitleTaken
	}
	return id, err
}

// CallBySlug returns the call with slug.
func (db *DB) CallBySlug(ctx context.Context, slug string) (*fabrique.Call, error) {
	c, err := scanCall(db.pool.QueryRow(ctx, callSelect+` WHERE c.slug = $1`, slug))
	if err != nil {
		return nil, fmt.Errorf("postgres: call %q: %w", slug, mapError(err))
	}
	return c, nil
}

// MaxCalls bounds the list of calls: a few calls a year, so no pagination.
const MaxCalls = 500

// Calls returns the calls, latest start first, each with its totals and its matching
// computed from its pledges: two queries, whatever the number of calls and pledges.
func (db *DB) Calls(ctx context.Context) ([]fabrique.CallSummary, error) {
	rows, err := db.pool.Query(ctx, `SELECT * FROM (`+callSelect+`
		ORDER BY c.starts_on DESC, c.id DESC LIMIT `+fmt.Sprint(MaxCalls)+`) c,
		LATERAL (SELECT count(*), coalesce(sum(s.goal), 0) FROM call_steps cs JOIN steps s ON s.id = cs.step_id
		         WHERE cs.call_id = c.id) n
		ORDER BY c.starts_on DESC, c.id DESC`)
	if err != nil {
		return nil, fmt.Errorf("postgres: list calls: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (fabrique.CallSummary, error) {
		var s fabrique.CallSummary
		c, err := scanCall(r, &s.Steps, &s.Goal)
		if err != nil {
			return fabrique.CallSummary{}, err
		}
		s.Call = *c
		return s, nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: list calls: %w", err)
	}
	ids := make([]int64, len(list))
	for i := range list {
		ids[i] = list[i].ID
	}
	agg, err := callPledgeTotals(ctx, db.pool, ids)
	if err != nil {
		return nil, err
	}
	for i := range list {
		c := &list[i]
		a := agg[c.ID]
		c.Promised, c.Confirmed = a.promised, a.confirmed
		c.MatchedSecured = fabrique.Match(c.Rule, a.pledges, false).Total
		c.MatchedProjected = fabrique.Match(c.Rule, a.pledges, true).Total
	}
	return list, nil
}

// callTotals are a call's pledges summed by step, commun, kind and state: all that
// matching reads, since fabrique.Match only adds amounts up.
type callTotals struct {
	pledges             []fabrique.MatchPledge
	promised, confirmed int64
}

// callPledgeTotals sums the live pledges of each call: one query, whose size grows with
// the steps of the calls, not with their pledges.
func callPledgeTotals(ctx context.Context, q DBTX, callIDs []int64) (map[int64]*callTotals, error) {
	out := make(map[int64]*callTotals, len(callIDs))
	for _, id := range callIDs {
		out[id] = &callTotals{}
	}
	if len(callIDs) == 0 {
		return out, nil
	}
	rows, err := q.Query(ctx, callPledgeTotalsSQL, callIDs)
	if err != nil {
		return nil, fmt.Errorf("postgres: call pledges: %w", err)
	}
	if err := scanCallPledgeTotals(rows, out); err != nil {
		return nil, err
	}
	return out, nil
}

// callPledgeTotalsSQL is callPledgeTotals' query ($1 the calls' ids), which CallPage
// sends in its batch too.
const callPledgeTotalsSQL = `
		SELECT p.call_id, p.step_id, s.commons_id, p.funder_kind, p.state, sum(p.amount)::bigint,
		       ` + pledgePlaceFactsSQL + `
		FROM pledges p JOIN steps s ON s.id = p.step_id
		WHERE p.call_id = ANY($1) AND p.state IN ('promise', 'confirmee')
		GROUP BY 1, 2, 3, 4, 5, 7, 8`

// pledgePlaceFactsSQL are the two facts fabrique.PlacePledgeMatchable judges a pledge p
// on, read from the current state: the tiers-lieu it was made in the name of is
// verified; its funder is an accepted member of it. Any other kind names no place and
// reads false, which the rule ignores. Scalar subqueries, not EXISTS: PostgreSQL turned
// EXISTS into hashed subplans that read every place and membership for each call page
// (4.5 → 1.7 ms on the bench's busiest call; its page built each time 236/219 → 431/391
// req/s, docs/speed.md).
const pledgePlaceFactsSQL = `coalesce((SELECT pl.verified_at IS NOT NULL FROM places pl WHERE pl.id = p.place_id), false),
		coalesce((SELECT true FROM place_members pm WHERE pm.place_id = p.place_id AND pm.user_id = p.user_id), false)`

// setMatchable sets p.Unmatchable from the two columns of pledgePlaceFactsSQL.
func setMatchable(p *fabrique.MatchPledge, verified, member bool) {
	p.Unmatchable = !fabrique.PlacePledgeMatchable(p.Kind, verified, member)
}

// scanCallPledgeTotals reads (and closes) the rows of callPledgeTotalsSQL into out,
// which holds the totals of each call asked.
func scanCallPledgeTotals(rows pgx.Rows, out map[int64]*callTotals) error {
	defer rows.Close()
	for rows.Next() {
		var callID int64
		var p fabrique.MatchPledge
		var verified, member bool
		if err := rows.Scan(&callID, &p.StepID, &p.CommonsID, &p.Kind, &p.State, &p.Amount, &verified, &member); err != nil {
			return fmt.Errorf("postgres: call pledges: %w", err)
		}
		setMatchable(&p, verified, member)
		t := out[callID]
		t.pledges = append(t.pledges, p)
		switch p.State {
		case fabrique.PledgePromise:
			t.promised += p.Amount
		case fabrique.PledgeConfirmed:
			t.confirmed += p.Amount
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("postgres: call pledges: %w", err)
	}
	return nil
}

// CallMatching computes what the call's rule brings from its pledges, now: one query.
func (db *DB) CallMatching(ctx context.Context, c *fabrique.Call) (fabrique.CallMatching, error) {
	agg, err := callPledgeTotals(ctx, db.pool, []int64{c.ID})
	if err != nil {
		return fabrique.CallMatching{}, err
	}
	return callMatching(c, agg[c.ID]), nil
}

// callMatching is what the call's rule brings from t, its pledges' totals.
func callMatching(c *fabrique.Call, t *callTotals) fabrique.CallMatching {
	return fabrique.CallMatching{Secured: fabrique.Match(c.Rule, t.pledges, false), Projected: fabrique.Match(c.Rule, t.pledges, true)}
}

// CallMatchPledges returns the call's live pledges one by one, as matching reads them.
// The page works on sums; this serves checks and exports.
func (db *DB) CallMatchPledges(ctx context.Context, callID int64) ([]fabrique.MatchPledge, error) {
	rows, err := db.pool.Query(ctx, `
		SELECT s.commons_id, p.step_id, p.funder_kind, p.amount, p.state, `+pledgePlaceFactsSQL+`
		FROM pledges p JOIN steps s ON s.id = p.step_id
		WHERE p.call_id = $1 ORDER BY p.id`, callID)
	if err != nil {
		return nil, fmt.Errorf("postgres: call %d pledges: %w", callID, err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (fabrique.MatchPledge, error) {
		var p fabrique.MatchPledge
		var verified, member bool
		err := r.Scan(&p.CommonsID, &p.StepID, &p.Kind, &p.Amount, &p.State, &verified, &member)
		setMatchable(&p, verified, member)
		return p, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: call %d pledges: %w", callID, err)
	}
	return list, nil
}

const stepSelect = `
SELECT s.id, s.commons_id, m.slug, m.name, s.title, s.description, s.goal, s.starts_on, s.ends_on, s.created_at
FROM steps s JOIN commons m ON m.id = s.commons_id`

func scanStep(row pgx.Row) (fabrique.Step, error) {
	var s fabrique.Step
	err := row.Scan(&s.ID, &s.CommonsID, &s.CommonsSlug, &s.CommonsName, &s.Title, &s.Description, &s.Goal,
		&s.StartsOn, &s.EndsOn, &s.CreatedAt)
	return s, err
}

func collectSteps(rows pgx.Rows, err error) ([]fabrique.Step, error) {
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (fabrique.Step, error) { return scanStep(r) })
}

// CallSteps returns the steps taking part in the call, by commun then start.
func (db *DB) CallSteps(ctx context.Context, callID int64) ([]fabrique.Step, error) {
	rows, err := db.pool.Query(ctx, callStepsSQL, callID)
	if err != nil {
		return nil, fmt.Errorf("postgres: steps of call %d: %w", callID, err)
	}
	return scanCallSteps(rows, callID)
}

// callStepsSQL is CallSteps' query ($1 the call), which CallPage sends in its batch too.
const callStepsSQL = stepSelect + `
		JOIN call_steps cs ON cs.step_id = s.id AND cs.call_id = $1
		ORDER BY m.name, s.starts_on, s.id`

// scanCallSteps reads (and closes) the rows of callStepsSQL.
func scanCallSteps(rows pgx.Rows, callID int64) ([]fabrique.Step, error) {
	list, err := collectSteps(rows, nil)
	if err != nil {
		return nil, fmt.Errorf("postgres: steps of call %d: %w", callID, err)
	}
	return list, nil
}

// MaxStepChoices bounds the steps offered to join a call.
const MaxStepChoices = 300

// StepsOutsideCall returns the steps that could join the call: not in it yet, not over
// before it opens, nor in another call not closed over the same period; by commun, at
// most MaxStepChoices.
func (db *DB) StepsOutsideCall(ctx context.Context, c *fabrique.Call) ([]fabrique.Step, error) {
	rows, err := db.pool.Query(ctx, stepsOutsideCallSQL, c.ID, c.StartsOn, c.EndsOn)
	if err != nil {
		return nil, fmt.Errorf("postgres: steps outside call %d: %w", c.ID, err)
	}
	return scanStepsOutsideCall(rows, c.ID)
}

// stepsOutsideCallSQL is StepsOutsideCall's query ($1 the call, $2 and $3 its first and
// last days), which CallPage sends in its batch too.
var stepsOutsideCallSQL = stepSelect + `
		WHERE s.ends_on >= $2
		  AND NOT EXISTS (SELECT 1 FROM call_steps cs WHERE cs.call_id = $1 AND cs.step_id = s.id)
		  AND NOT EXISTS (SELECT 1 FROM call_steps cs JOIN calls o ON o.id = cs.call_id
		                  WHERE cs.step_id = s.id AND o.closed_at IS NULL AND o.starts_on <= $3 AND o.ends_on >= $2)
		ORDER BY m.name, s.starts_on, s.id LIMIT ` + fmt.Sprint(MaxStepChoices)

// scanStepsOutsideCall reads (and closes) the rows of stepsOutsideCallSQL.
func scanStepsOutsideCall(rows pgx.Rows, callID int64) ([]fabrique.Step, error) {
	list, err := collectSteps(rows, nil)
	if err != nil {
		return nil, fmt.Errorf("postgres: steps outside call %d: %w", callID, err)
	}
	return list, nil
}

// lockCall locks the call's row until the end of tx. FOR UPDATE, not FOR NO KEY UPDATE:
// it also holds back pledges inserted with this call (their foreign key takes a KEY
// SHARE lock), so none slips in while the call closes.
func lockCall(ctx context.Context, tx pgx.Tx, callID int64) (*fabrique.Call, error) {
	c, err := scanCall(tx.QueryRow(ctx, callSelect+` WHERE c.id = $1 FOR UPDATE`, callID))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fabrique.ErrCallNotFound
	} else if err != nil {
		return nil, fmt.Errorf("postgres: lock call: %w", err)
	}
	return c, nil
}

// AddCallStep makes the step take part in the call, on behalf of actor, a coordinator.
// It is idempotent: added is false when the step was already in. A closed call takes no
// more steps, nor does a step already in another call not closed whose period overlaps,
// since a pledge belongs to one call (EINVALID on step_id, as is an unknown step). The
// step's row is locked, so two calls cannot take it at once.
func (db *DB) AddCallStep(ctx context.Context, actor *fabrique.User, callID, stepID int64) (added bool, err error) {
	if err := fabrique.CheckCoordinator(actor, fabrique.ErrCallComposeCoordinationOnly); err != nil {
		return false, err
	}
	err = db.withTx(ctx, func(tx pgx.Tx) error {
		c, err := lockCall(ctx, tx, callID)
		if err != nil {
			return err
		}
		var title string
		err = tx.QueryRow(ctx, `SELECT title FROM steps WHERE id = $1 FOR NO KEY UPDATE`, stepID).Scan(&title)
		if errors.Is(err, pgx.ErrNoRows) {
			return fabrique.CallStepUnknownError()
		} else if err != nil {
			return fmt.Errorf("postgres: lock step: %w", err)
		}
		var in bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM call_steps WHERE call_id = $1 AND step_id = $2)`,
			callID, stepID).Scan(&in); err != nil {
			return fmt.Errorf("postgres: call step: %w", err)
		}
		if in {
			return nil
		}
		if !c.ClosedAt.IsZero() {
			return fabrique.CallClosedStepError()
		}
		var busy bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM call_steps cs JOIN calls o ON o.id = cs.call_id
			WHERE cs.step_id = $1 AND o.closed_at IS NULL AND o.starts_on <= $3 AND o.ends_on >= $2)`,
			stepID, c.StartsOn, c.EndsOn).Scan(&busy); err != nil {
			return fmt.Errorf("postgres: other calls of step: %w", err)
		}
		if busy {
			return fabrique.CallStepBusyError()
		}
		if _, err := tx.Exec(ctx, `INSERT INTO call_steps (call_id, step_id) VALUES ($1, $2)`, callID, stepID); err != nil {
			return fmt.Errorf("postgres: insert call step: %w", err)
		}
		added = true
		return audit(ctx, tx, actor.ID, AuditCallStepAdded, auditTargetCall, callID,
			fabrique.CallStepAuditDetail(title, c.Title))
	})
	if err != nil {
		return false, fmt.Errorf("postgres: add step %d to call %d: %w", stepID, callID, mapError(err))
	}
	return added, nil
}

// CloseCall closes the call on behalf of actor, a coordinator, in one transaction: the
// call's row, its pledges and its pool account are locked; the promises still waiting
// expire; the secured matching — fabrique.Match over the confirmed pledges, within what
// the pool holds — is posted from the pool to each commun's funds, one movement per
// commun; the pool keeps the rest. Closing a closed call does nothing (AlreadyClosed),
// so of concurrent closings exactly one posts.
func (db *DB) CloseCall(ctx context.Context, actor *fabrique.User, callID int64) (fabrique.CallClosing, error) {
	if err := fabrique.CheckCoordinator(actor, fabrique.ErrCallCloseCoordinationOnly); err != nil {
		return fabrique.CallClosing{}, err
	}
	var out fabrique.CallClosing
	err := db.withTx(ctx, func(tx pgx.Tx) error {
		c, err := lockCall(ctx, tx, callID)
		if err != nil {
			return err
		}
		if !c.ClosedAt.IsZero() {
			out.AlreadyClosed = true
			return nil
		}
		// Waits for any confirmation in flight on these pledges; a confirmation that comes
		// after finds its promise expired.
		rows, err := tx.Query(ctx, `UPDATE pledges SET state = 'expiree', decided_by = $2, decided_at = now(), updated_at = now()
			WHERE call_id = $1 AND state = 'promise' RETURNING id`, callID, actor.ID)
		if err != nil {
			return fmt.Errorf("postgres: expire promises: %w", err)
		}
		expired, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil {
			return fmt.Errorf("postgres: expire promises: %w", err)
		}
		out.Expired = len(expired)
		if _, err := tx.Exec(ctx, `SELECT 1 FROM pledges WHERE call_id = $1 AND state = 'confirmee' FOR SHARE`, callID); err != nil {
			return fmt.Errorf("postgres: lock pledges: %w", err)
		}
		var m fabrique.Matching
		if c.Rule.Percent > 0 && c.Rule.Pool > 0 && len(c.Rule.Kinds) > 0 {
			if m, err = postMatching(ctx, tx, actor, c); err != nil {
				return err
			}
			out.Matched, out.Commons = m.Total, len(m.ByCommons)
		}
		if err := db.notifyCallClosed(ctx, tx, c, expired, m); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE calls SET closed_at = now(), closed_by = $2 WHERE id = $1`, callID, actor.ID); err != nil {
			return fmt.Errorf("postgres: close call: %w", err)
		}
		return audit(ctx, tx, actor.ID, AuditCallClosed, auditTargetCall, callID,
			fabrique.CallClosedAuditDetail(c.Title, out.Matched, out.Commons, out.Expired))
	})
	if err != nil {
		return fabrique.CallClosing{}, fmt.Errorf("postgres: close call %d: %w", callID, mapError(err))
	}
	return out, nil
}

// postMatching posts the secured matching of the call c, locked, from its pool to each
// commun's funds, one movement per commun in the order of their ids; it returns the
// total posted and the number of communs.
func postMatching(ctx context.Context, tx pgx.Tx, actor *fabrique.User, c *fabrique.Call) (fabrique.Matching, error) {
	var none fabrique.Matching
	agg, err := callPledgeTotals(ctx, tx, []int64{c.ID})
	if err != nil {
		return none, err
	}
	poolID, err := lockAccount(ctx, tx, poolRef(c.ID))
	if err != nil {
		return none, err
	}
	balance, err := accountBalance(ctx, tx, poolID)
	if err != nil {
		return none, err
	}
	rule := c.Rule
	rule.Pool = min(rule.Pool, max(balance, 0)) // never post more than the pool holds
	m := fabrique.Match(rule, agg[c.ID].pledges, false)
	commons := make([]int64, 0, len(m.ByCommons))
	for id := range m.ByCommons {
		commons = append(commons, id)
	}
	slices.Sort(commons) // accounts always locked in the same order
	for _, id := range commons {
		if _, err := post(ctx, tx, fabrique.Movement{
			Kind: fabrique.TxMatching, Amount: m.ByCommons[id],
			From: poolRef(c.ID), To: fabrique.AccountRef{Kind: fabrique.AccountCommonsFunds, CommonsID: id},
			CauseType: auditTargetCall, CauseID: c.ID, UserID: actor.ID,
			Memo: fabrique.CallMatchingMemo(c.Title),
		}); err != nil {
			return none, err
		}
	}
	return m, nil
}

// notifyCallClosed tells each funder of the call c, in its closing's transaction, what
// their pledge became: confirmed (with the matching its step received, m.ByStep) or one of
// the promises just expired.
func (db *DB) notifyCallClosed(ctx context.Context, tx pgx.Tx, c *fabrique.Call, expired []int64, m fabrique.Matching) error {
	rows, err := tx.Query(ctx,
		`SELECT p.id, p.user_id, p.step_id, s.title, p.amount, p.state = 'confirmee'
		   FROM pledges p JOIN steps s ON s.id = p.step_id
		  WHERE p.call_id = $1 AND (p.state = 'confirmee' OR p.id = ANY($2))
		  ORDER BY p.id`, c.ID, expired)
	if err != nil {
		return fmt.Errorf("postgres: pledges of closed call: %w", err)
	}
	type told struct {
		id, user, step int64
		title          string
		amount         int64
		confirmed      bool
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (told, error) {
		var t told
		return t, r.Scan(&t.id, &t.user, &t.step, &t.title, &t.amount, &t.confirmed)
	})
	if err != nil {
		return fmt.Errorf("postgres: pledges of closed call: %w", err)
	}
	for _, t := range list {
		if err := db.notify(ctx, tx, fabrique.CallClosedNotification(t.user, t.id, c.Title, t.title, t.amount, m.ByStep[t.step], t.confirmed)); err != nil {
			return err
		}
	}
	return nil
}

// How many funders the pages list: the call's page shows each step's latest ones and
// links to the step's funders page, which lists them all a page at a time. At 50 a step,
// the busiest call of the benchmark listed about 1 500 funders, most of its 700 kB.
const (
	CallPageFundersPerStep = 10
	StepFundersPerPage     = 50
)

// publicPledgeColumns are a live pledge p as the funders' lists show it, with its funder's
// user u and profile f, the one place that says what an anonymous pledge hides: it comes
// without its funder's name, id nor message. Read them with scanPublicPledge.
const publicPledgeColumns = `p.id, p.step_id, coalesce(p.call_id, 0),
	CASE WHEN p.anonymous THEN 0 ELSE p.user_id END,
	CASE WHEN p.anonymous THEN '' ELSE coalesce(nullif(f.organisation, ''), u.display_name) END,
	p.funder_kind, p.amount, p.anonymous,
	CASE WHEN p.anonymous THEN '' ELSE p.message END,
	p.state, p.created_at, p.updated_at, p.decided_at, ` + pledgePlaceFactsSQL

// scanPublicPledge reads a row of publicPledgeColumns, then its further columns into extra.
func scanPublicPledge(row pgx.Row, extra ...any) (fabrique.Pledge, error) {
	var p fabrique.Pledge
	var decided pgtype.Timestamptz // read without a pointer
	var verified, member bool
	dest := append(make([]any, 0, 15+len(extra)), &p.ID, &p.StepID, &p.CallID, &p.UserID, &p.FunderName,
		&p.FunderKind, &p.Amount, &p.Anonymous, &p.Message, &p.State, &p.CreatedAt, &p.UpdatedAt, &decided, &verified, &member)
	err := row.Scan(append(dest, extra...)...)
	if decided.Valid {
		p.DecidedAt = decided.Time
	}
	p.Unmatchable = !fabrique.PlacePledgeMatchable(p.FunderKind, verified, member)
	return p, err
}

// CallFunders returns the live pledges (promises and confirmed) of each step of the
// call, newest first, at most perStep by step, and how many each step has: one query.
// A step's funders are all its live pledges, whatever call they were made in, if any,
// as its figures count them. An anonymous pledge comes without its funder's name, id
// nor message.
func (db *DB) CallFunders(ctx context.Context, callID int64, perStep int) (map[int64][]fabrique.Pledge, map[int64]int, error) {
	rows, err := db.pool.Query(ctx, callFundersSQL, callID, perStep)
	if err != nil {
		return nil, nil, fmt.Errorf("postgres: funders of call %d: %w", callID, err)
	}
	return scanCallFunders(rows, callID, perStep)
}

// callFundersSQL is CallFunders' query ($1 the call, $2 the funders by step), which
// CallPage sends in its batch too. Per step, over pledges_step_idx: a window over every
// live pledge of the call's steps scanned the whole table (8 ms for the busiest call,
// against 3).
const callFundersSQL = `
		SELECT ` + publicPledgeColumns + `, t.total
		FROM call_steps cs
		CROSS JOIN LATERAL (SELECT count(*) AS total FROM pledges p
		                    WHERE p.step_id = cs.step_id AND p.state IN ('promise', 'confirmee')) t
		CROSS JOIN LATERAL (SELECT * FROM pledges p
		                    WHERE p.step_id = cs.step_id AND p.state IN ('promise', 'confirmee')
		                    ORDER BY p.created_at DESC, p.id DESC LIMIT $2) p
		JOIN users u ON u.id = p.user_id
		LEFT JOIN funders f ON f.user_id = p.user_id
		WHERE cs.call_id = $1
		ORDER BY p.step_id, p.created_at DESC, p.id DESC`

// scanCallFunders reads (and closes) the rows of callFundersSQL, asked with perStep.
func scanCallFunders(rows pgx.Rows, callID int64, perStep int) (map[int64][]fabrique.Pledge, map[int64]int, error) {
	defer rows.Close()
	// Each step's slice is sized once: its count comes with its first row.
	byStep, counts := map[int64][]fabrique.Pledge{}, map[int64]int{}
	for rows.Next() {
		var total int
		p, err := scanPublicPledge(rows, &total)
		if err != nil {
			return nil, nil, fmt.Errorf("postgres: funders of call %d: %w", callID, err)
		}
		list, ok := byStep[p.StepID]
		if !ok {
			list = make([]fabrique.Pledge, 0, min(total, perStep))
			counts[p.StepID] = total
		}
		byStep[p.StepID] = append(list, p)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("postgres: funders of call %d: %w", callID, err)
	}
	return byStep, counts, nil
}

// CallStep returns the step stepID if it takes part in the call, with how many live
// pledges (promises and confirmed) it has, as CallFunders counts them: one query.
// ENOTFOUND if there is no such step in the call.
func (db *DB) CallStep(ctx context.Context, callID, stepID int64) (fabrique.Step, int, error) {
	var st fabrique.Step
	var total int
	err := db.pool.QueryRow(ctx, `
		SELECT s.id, s.commons_id, m.slug, m.name, s.title, s.description, s.goal, s.starts_on, s.ends_on, s.created_at,
		       (SELECT count(*) FROM pledges p WHERE p.step_id = s.id AND p.state IN ('promise', 'confirmee'))
		FROM steps s JOIN commons m ON m.id = s.commons_id
		JOIN call_steps cs ON cs.step_id = s.id AND cs.call_id = $1
		WHERE s.id = $2`, callID, stepID).Scan(&st.ID, &st.CommonsID, &st.CommonsSlug, &st.CommonsName, &st.Title,
		&st.Description, &st.Goal, &st.StartsOn, &st.EndsOn, &st.CreatedAt, &total)
	if errors.Is(err, pgx.ErrNoRows) {
		return fabrique.Step{}, 0, fabrique.ErrStepNotInCall
	} else if err != nil {
		return fabrique.Step{}, 0, fmt.Errorf("postgres: step %d of call %d: %w", stepID, callID, err)
	}
	return st, total, nil
}

// StepFunders returns a page of the step's live pledges, newest first: at most limit,
// after skipping offset; one query, as CallFunders lists them (anonymous pledges without
// their funder). The page is chosen among the step's pledges alone, found by
// pledges_step_idx, and only its rows meet their funders: joined before the LIMIT, a
// step of 20 000 pledges took 20 ms, against 12.
func (db *DB) StepFunders(ctx context.Context, stepID int64, limit, offset int) ([]fabrique.Pledge, error) {
	rows, err := db.pool.Query(ctx, `
		SELECT `+publicPledgeColumns+`
		FROM (SELECT * FROM pledges p
		      WHERE p.step_id = $1 AND p.state IN ('promise', 'confirmee')
		      ORDER BY p.created_at DESC, p.id DESC LIMIT $2 OFFSET $3) p
		JOIN users u ON u.id = p.user_id
		LEFT JOIN funders f ON f.user_id = p.user_id
		ORDER BY p.created_at DESC, p.id DESC`, stepID, limit, offset)
	if err != nil {
		return nil, fmt.Errorf("postgres: funders of step %d: %w", stepID, err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (fabrique.Pledge, error) { return scanPublicPledge(r) })
	if err != nil {
		return nil, fmt.Errorf("postgres: funders of step %d: %w", stepID, err)
	}
	return list, nil
}

// SetCallPayment sets how the funders of call callID pay their pledges, on behalf of
// actor, a coordinator; the change is in the audit trail.
func (db *DB) SetCallPayment(ctx context.Context, actor *fabrique.User, callID int64, p fabrique.PaymentInstructions) error {
	if err := fabrique.CheckCoordinator(actor, fabrique.ErrCallComposeCoordinationOnly); err != nil {
		return err
	}
	p.Normalize()
	var v fabrique.Validation
	p.Validate(&v)
	if err := v.Err(); err != nil {
		return err
	}
	err := db.withTx(ctx, func(tx pgx.Tx) error {
		var title string
		err := tx.QueryRow(ctx, `UPDATE calls SET payee = $2, iban = $3, reference_prefix = $4 WHERE id = $1 RETURNING title`,
			callID, p.Payee, p.IBAN, p.ReferencePrefix).Scan(&title)
		if errors.Is(err, pgx.ErrNoRows) {
			return fabrique.ErrCallNotFound
		} else if err != nil {
			return err
		}
		return audit(ctx, tx, actor.ID, AuditCallPayment, auditTargetCall, callID, fabrique.CallPaymentAuditDetail(title, p))
	})
	if err != nil {
		return fmt.Errorf("postgres: payment instructions of call %d: %w", callID, mapError(err))
	}
	return nil
}

// OpenCalls returns at most limit calls open on day (not closed, day within their
// period), the one ending first first: what the home page invites funders to.
func (db *DB) OpenCalls(ctx context.Context, day time.Time, limit int) ([]*fabrique.Call, error) {
	rows, err := db.pool.Query(ctx, callSelect+`
		WHERE c.closed_at IS NULL AND c.starts_on <= $1 AND c.ends_on >= $1
		ORDER BY c.ends_on, c.id LIMIT $2`, day, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: open calls: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*fabrique.Call, error) { return scanCall(r) })
	if err != nil {
		return nil, fmt.Errorf("postgres: open calls: %w", err)
	}
	return list, nil
}

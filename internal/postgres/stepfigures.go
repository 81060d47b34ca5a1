package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// StepFigures returns the money figures of each step of stepIDs (unknown ids are left
// out), all derived now from the data: the goal; the pledges still promises and those
// confirmed; the matching each call the step takes part in brings it (fabrique.Match over
// the call's pledges, ByStep, summed over the calls), secured and projected; the paid
// contributions logged for the step; and what remains to find. Two queries, whatever
// the number of steps, calls and pledges.
func (db *DB) StepFigures(ctx context.Context, stepIDs []int64) (map[int64]fabrique.StepFigures, error) {
	var f stepFiguresScan
	if len(stepIDs) == 0 {
		return f.figures(), nil
	}
	rows, err := db.pool.Query(ctx, stepFiguresOfIDs.totals, stepIDs)
	if err != nil {
		return nil, fmt.Errorf("postgres: step figures: %w", err)
	}
	if err := f.scanTotals(rows); err != nil {
		return nil, err
	}
	rows, err = db.pool.Query(ctx, stepFiguresOfIDs.calls, stepIDs)
	if err != nil {
		return nil, fmt.Errorf("postgres: calls of steps: %w", err)
	}
	if err := f.scanCalls(rows); err != nil {
		return nil, err
	}
	return f.figures(), nil
}

// stepFiguresSQL are the two queries of the figures of a set of steps, named by an SQL
// expression of their ids (a bigint[]) over the queries' one parameter $1.
type stepFiguresSQL struct {
	totals string // each step's goal, pledges and spending: read by scanTotals
	calls  string // the calls the steps take part in, with their pledges: read by scanCalls
}

// The sets of steps whose figures are read: StepFigures' ids, a commun's steps as
// CommonsSteps lists them (its page), a call's steps (its page). The pages send both
// queries in their batch, with the commun or the call, before they know the steps' ids.
var (
	stepFiguresOfIDs     = newStepFiguresSQL(`$1`)
	stepFiguresOfCommons = newStepFiguresSQL(`ARRAY(SELECT s.id FROM steps s` + commonsStepsWhere + `)`)
	stepFiguresOfCall    = newStepFiguresSQL(`ARRAY(SELECT step_id FROM call_steps WHERE call_id = $1)`)
)

// newStepFiguresSQL returns the queries of the figures of the steps whose ids are the
// array ids.
func newStepFiguresSQL(ids string) stepFiguresSQL {
	return stepFiguresSQL{
		totals: `
		SELECT s.id, s.goal, coalesce(p.promised, 0), coalesce(p.confirmed, 0), coalesce(k.spent, 0)
		FROM steps s
		LEFT JOIN (
			SELECT step_id,
			       sum(amount) FILTER (WHERE state = 'promise')::bigint AS promised,
			       sum(amount) FILTER (WHERE state = 'confirmee')::bigint AS confirmed
			FROM pledges WHERE step_id = ANY(` + ids + `) AND state IN ('promise', 'confirmee') GROUP BY step_id
		) p ON p.step_id = s.id
		LEFT JOIN (
			SELECT step_id, sum(paid_amount)::bigint AS spent
			FROM contributions WHERE step_id = ANY(` + ids + `) AND state = 'payee' GROUP BY step_id
		) k ON k.step_id = s.id
		WHERE s.id = ANY(` + ids + `)`,
		// The calls the steps take part in, each with its rule and all its live pledges
		// summed as matching reads them: a call's pool is shared among all its communs.
		// The calls are found first, as an array, and each one's pledges over
		// pledges_call_idx: joined to "c.id IN (…)", whose size the planner guesses, the
		// pledges were scanned whole (about 1 ms of the call's page in the bench, 1.7 ms
		// with the call's steps chosen by an ARRAY, against 0.3).
		calls: `
		SELECT c.id, c.pool, c.match_percent, c.match_kinds, c.match_cap,
		       p.step_id, p.commons_id, p.funder_kind, p.state, p.amount, p.place_verified, p.place_member
		FROM calls c
		CROSS JOIN LATERAL (
			SELECT p.step_id, s.commons_id, p.funder_kind, p.state, sum(p.amount)::bigint AS amount,
			       ` + pledgePlaceFactsSQL + `
			FROM pledges p JOIN steps s ON s.id = p.step_id
			WHERE p.call_id = c.id AND p.state IN ('promise', 'confirmee')
			GROUP BY 1, 2, 3, 4, 6, 7) p (step_id, commons_id, funder_kind, state, amount, place_verified, place_member)
		WHERE c.id = ANY(ARRAY(SELECT call_id FROM call_steps WHERE step_id = ANY(` + ids + `)))
		ORDER BY c.id`,
	}
}

// queue adds both queries to b, for the steps the queries' $1 arg names; f reads them.
func (q stepFiguresSQL) queue(b *pgx.Batch, arg any, f *stepFiguresScan) {
	b.Queue(q.totals, arg).Query(f.scanTotals)
	b.Queue(q.calls, arg).Query(f.scanCalls)
}

// stepFiguresScan gathers the rows of the two queries of stepFiguresSQL; figures then
// derives the figures from them.
type stepFiguresScan struct {
	out     map[int64]fabrique.StepFigures
	rules   map[int64]fabrique.MatchRule
	pledges map[int64][]fabrique.MatchPledge
}

// scanTotals reads (and closes) the rows of a stepFiguresSQL's totals.
func (f *stepFiguresScan) scanTotals(rows pgx.Rows) error {
	defer rows.Close()
	f.out = map[int64]fabrique.StepFigures{}
	for rows.Next() {
		var id int64
		var s fabrique.StepFigures
		if err := rows.Scan(&id, &s.Goal, &s.Promised, &s.Confirmed, &s.Spent); err != nil {
			return fmt.Errorf("postgres: step figures: %w", err)
		}
		f.out[id] = s
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("postgres: step figures: %w", err)
	}
	return nil
}

// scanCalls reads (and closes) the rows of a stepFiguresSQL's calls.
func (f *stepFiguresScan) scanCalls(rows pgx.Rows) error {
	defer rows.Close()
	f.rules, f.pledges = map[int64]fabrique.MatchRule{}, map[int64][]fabrique.MatchPledge{}
	for rows.Next() {
		var callID int64
		var r fabrique.MatchRule
		var p fabrique.MatchPledge
		var verified, member bool
		if err := rows.Scan(&callID, &r.Pool, &r.Percent, &r.Kinds, &r.Cap, &p.StepID, &p.CommonsID, &p.Kind, &p.State, &p.Amount, &verified, &member); err != nil {
			return fmt.Errorf("postgres: calls of steps: %w", err)
		}
		setMatchable(&p, verified, member)
		f.rules[callID] = r
		f.pledges[callID] = append(f.pledges[callID], p)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("postgres: calls of steps: %w", err)
	}
	return nil
}

// figures derives each step's figures from the rows read: its matching in each call,
// summed, and what remains to find.
func (f *stepFiguresScan) figures() map[int64]fabrique.StepFigures {
	out := f.out
	if out == nil {
		out = map[int64]fabrique.StepFigures{}
	}
	for callID, rule := range f.rules {
		secured := fabrique.Match(rule, f.pledges[callID], false)
		projected := fabrique.Match(rule, f.pledges[callID], true)
		for id, s := range out {
			s.MatchedSecured += secured.ByStep[id]
			s.MatchedProjected += projected.ByStep[id]
			out[id] = s
		}
	}
	for id, s := range out {
		s.Remaining = max(0, s.Goal-s.Confirmed-s.MatchedSecured)
		out[id] = s
	}
	return out
}

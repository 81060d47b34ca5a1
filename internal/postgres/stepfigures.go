package postgres

import (
	"context"
	"fmt"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// StepFigures returns the money figures of each step of stepIDs (unknown ids are left
// out), all derived now from the data: the goal; the pledges still promises and those
// confirmed; the matching each call the step takes part in brings it (fabrique.Match over
// the call's pledges, ByStep, summed over the calls), secured and projected; the paid
// contributions logged for the step; and what remains to find. Two queries, whatever
// the number of steps, calls and pledges.
func (db *DB) StepFigures(ctx context.Context, stepIDs []int64) (map[int64]fabrique.StepFigures, error) {
	out := make(map[int64]fabrique.StepFigures, len(stepIDs))
	if len(stepIDs) == 0 {
		return out, nil
	}
	rows, err := db.Pool.Query(ctx, `
		SELECT s.id, s.goal, coalesce(p.promised, 0), coalesce(p.confirmed, 0), coalesce(k.spent, 0)
		FROM steps s
		LEFT JOIN (
			SELECT step_id,
			       sum(amount) FILTER (WHERE state = 'promise')::bigint AS promised,
			       sum(amount) FILTER (WHERE state = 'confirmee')::bigint AS confirmed
			FROM pledges WHERE step_id = ANY($1) AND state IN ('promise', 'confirmee') GROUP BY step_id
		) p ON p.step_id = s.id
		LEFT JOIN (
			SELECT step_id, sum(amount)::bigint AS spent
			FROM contributions WHERE step_id = ANY($1) AND state = 'payee' GROUP BY step_id
		) k ON k.step_id = s.id
		WHERE s.id = ANY($1)`, stepIDs)
	if err != nil {
		return nil, fmt.Errorf("postgres: step figures: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var f fabrique.StepFigures
		if err := rows.Scan(&id, &f.Goal, &f.Promised, &f.Confirmed, &f.Spent); err != nil {
			return nil, fmt.Errorf("postgres: step figures: %w", err)
		}
		out[id] = f
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: step figures: %w", err)
	}

	// The calls the steps take part in, each with its rule and all its live pledges
	// summed as matching reads them: a call's pool is shared among all its communs.
	rows, err = db.Pool.Query(ctx, `
		SELECT c.id, c.pool, c.match_percent, c.match_kinds, c.match_cap,
		       p.step_id, s.commons_id, p.funder_kind, p.state, sum(p.amount)::bigint
		FROM calls c
		JOIN pledges p ON p.call_id = c.id AND p.state IN ('promise', 'confirmee')
		JOIN steps s ON s.id = p.step_id
		WHERE c.id IN (SELECT call_id FROM call_steps WHERE step_id = ANY($1))
		GROUP BY c.id, p.step_id, s.commons_id, p.funder_kind, p.state
		ORDER BY c.id`, stepIDs)
	if err != nil {
		return nil, fmt.Errorf("postgres: calls of steps: %w", err)
	}
	defer rows.Close()
	rules := map[int64]fabrique.MatchRule{}
	pledges := map[int64][]fabrique.MatchPledge{}
	for rows.Next() {
		var callID int64
		var r fabrique.MatchRule
		var p fabrique.MatchPledge
		if err := rows.Scan(&callID, &r.Pool, &r.Percent, &r.Kinds, &r.Cap, &p.StepID, &p.CommonsID, &p.Kind, &p.State, &p.Amount); err != nil {
			return nil, fmt.Errorf("postgres: calls of steps: %w", err)
		}
		rules[callID] = r
		pledges[callID] = append(pledges[callID], p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: calls of steps: %w", err)
	}
	for callID, rule := range rules {
		secured := fabrique.Match(rule, pledges[callID], false)
		projected := fabrique.Match(rule, pledges[callID], true)
		for id, f := range out {
			f.MatchedSecured += secured.ByStep[id]
			f.MatchedProjected += projected.ByStep[id]
			out[id] = f
		}
	}
	for id, f := range out {
		f.Remaining = max(0, f.Goal-f.Confirmed-f.MatchedSecured)
		out[id] = f
	}
	return out, nil
}

package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// CallPage is what a call's page reads about the call, once the call is found: each field
// as the store function named beside it returns it. It is the shape of one batch, not a
// word of the domain: it holds only fabrique types, and stays beside the functions whose
// results it groups (TestCommonsAndCallPages checks it field by field against them), with
// CallViewer, which says what the batch reads.
type CallPage struct {
	Steps        []fabrique.Step                // CallSteps
	Figures      map[int64]fabrique.StepFigures // StepFigures of those steps
	Matching     fabrique.CallMatching          // CallMatching
	PoolBalance  int64                          // Balance of the call's matching pool
	Funders      map[int64][]fabrique.Pledge    // CallFunders
	FunderCounts map[int64]int                  // CallFunders
	Choices      []fabrique.Step                // StepsOutsideCall, if asked; else nil

	// The viewer's part (CallViewer): nil for a visitor, and when not asked.
	Pledges []*fabrique.PledgeRecord // CallPledges
}

// CallViewer is who reads a call's page, for what CallPage reads of theirs.
type CallViewer struct {
	UserID       int64 // 0 for a visitor, of whom nothing below is read
	AllPledges   bool  // every funder's pledges on the call (for the coordination); else the viewer's own
	PledgesLimit int   // at most that many pledges (0: all)
}

// CallPage reads the steps of the call c with their figures, its matching, its pool's
// balance, at most fundersPerStep funders of each step with their number, if choices,
// the steps that may join it, and what viewer asks of theirs, in one round trip: the
// same queries as the store functions named in CallPage, sent as a batch, the step
// figures' two choosing the call's steps themselves rather than taking their ids. The
// matching is recomputed from the pledges at every read.
func (db *DB) CallPage(ctx context.Context, c *fabrique.Call, fundersPerStep int, choices bool, viewer CallViewer) (*CallPage, error) {
	var p CallPage
	var figures stepFiguresScan
	totals := map[int64]*callTotals{c.ID: {}}
	b := &pgx.Batch{}
	b.Queue(callStepsSQL, c.ID).Query(func(rows pgx.Rows) (err error) {
		p.Steps, err = scanCallSteps(rows, c.ID)
		return err
	})
	stepFiguresOfCall.queue(b, c.ID, &figures)
	b.Queue(callPledgeTotalsSQL, []int64{c.ID}).Query(func(rows pgx.Rows) error {
		return scanCallPledgeTotals(rows, totals)
	})
	pool := poolRef(c.ID)
	b.Queue(balanceSQL, balanceArgs(pool)...).QueryRow(func(row pgx.Row) (err error) {
		p.PoolBalance, err = scanBalance(row, pool)
		return err
	})
	b.Queue(callFundersSQL, c.ID, fundersPerStep).Query(func(rows pgx.Rows) (err error) {
		p.Funders, p.FunderCounts, err = scanCallFunders(rows, c.ID, fundersPerStep)
		return err
	})
	queueCallViewer(b, &p, c, choices, viewer)
	if err := db.pool.SendBatch(ctx, b).Close(); err != nil {
		return nil, fmt.Errorf("postgres: page of call %d: %w", c.ID, err)
	}
	p.Figures = figures.figures()
	p.Matching = callMatching(c, totals[c.ID])
	return &p, nil
}

// CallPageForViewer reads what a call's page shows only to its viewer — the steps that may
// join it (choices, for the coordination) and the viewer's pledges, or every pledge for
// the coordination — and returns shared, read for a visitor and shared by every viewer,
// as that viewer sees it: a copy, shared unchanged. At most one round trip.
func (db *DB) CallPageForViewer(ctx context.Context, shared *CallPage, c *fabrique.Call, choices bool, viewer CallViewer) (*CallPage, error) {
	own := *shared
	if !choices && viewer.UserID == 0 {
		return &own, nil
	}
	b := &pgx.Batch{}
	queueCallViewer(b, &own, c, choices, viewer)
	if err := db.pool.SendBatch(ctx, b).Close(); err != nil {
		return nil, fmt.Errorf("postgres: viewer of call %d: %w", c.ID, err)
	}
	return &own, nil
}

// queueCallViewer queues in b what a call's page reads for its viewer into p: the steps
// that may join the call (choices) and the viewer's pledges, or every pledge.
func queueCallViewer(b *pgx.Batch, p *CallPage, c *fabrique.Call, choices bool, viewer CallViewer) {
	if choices {
		b.Queue(stepsOutsideCallSQL, c.ID, c.StartsOn, c.EndsOn).Query(func(rows pgx.Rows) (err error) {
			p.Choices, err = scanStepsOutsideCall(rows, c.ID)
			return err
		})
	}
	if u := viewer.UserID; u != 0 {
		var owner int64
		if !viewer.AllPledges {
			owner = u
		}
		sql, args := callPledgesQuery(c.ID, owner, viewer.PledgesLimit)
		b.Queue(sql, args...).Query(func(rows pgx.Rows) (err error) {
			p.Pledges, err = scanCallPledges(rows, c.ID)
			return err
		})
	}
}

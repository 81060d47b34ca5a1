package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// Espace is what a person's space (/espace) shows them, all their own.
type Espace struct {
	Challenges    []*fabrique.Challenge // the défis they are a member of, latest change first
	Todo          fabrique.Todo
	Totals        fabrique.ContributionTotals
	Contributions []*fabrique.ContributionRecord // the latest
	Funder        *fabrique.Funder               // nil without a funder profile
	Pledges       []*fabrique.PledgeRecord       // the latest
	PledgeCount   int                            // all of them
	StepFigures   map[int64]fabrique.StepFigures // of the steps of Pledges
	Events        []fabrique.MyEvent             // the rendez-vous they registered to, not over at now
	CalendarToken string                         // of their private calendar feed
}

// Espace reads u's space in two round trips whatever they did: everything of theirs in one
// batch, then the figures of the steps they backed (when they pledged) and, the first time,
// their calendar token, written. contributions and pledges bound the lists.
func (db *DB) Espace(ctx context.Context, u *fabrique.User, contributions, pledges int, now time.Time) (*Espace, error) {
	var e Espace
	var token *string
	b := &pgx.Batch{}
	b.Queue(userChallengesSQL, u.ID).Query(func(rows pgx.Rows) (err error) {
		e.Challenges, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (*fabrique.Challenge, error) { return scanChallenge(r) })
		return err
	})
	queueTodo(b, u, &e.Todo)
	b.Queue(userContributionTotalsSQL, u.ID).QueryRow(func(row pgx.Row) error {
		return scanContributionTotals(row, &e.Totals)
	})
	b.Queue(userContributionsSQL, u.ID, contributions, 0).Query(func(rows pgx.Rows) (err error) {
		e.Contributions, err = collectContributions(rows, nil)
		return err
	})
	b.Queue(funderByUserSQL, u.ID).QueryRow(func(row pgx.Row) error {
		f, err := scanFunderByUser(row, u.ID)
		if errors.Is(err, fabrique.ErrNoFunderProfile) {
			return nil
		}
		e.Funder = f
		return err
	})
	b.Queue(userPledgesSQL, u.ID, pledges, 0).Query(func(rows pgx.Rows) (err error) {
		e.Pledges, err = collectPledges(rows, nil)
		return err
	})
	b.Queue(`SELECT count(*) FROM pledges WHERE user_id = $1`, u.ID).QueryRow(func(row pgx.Row) error {
		return row.Scan(&e.PledgeCount)
	})
	b.Queue(userEventsSQL, u.ID, now).Query(func(rows pgx.Rows) (err error) {
		e.Events, err = scanUserEvents(rows)
		return err
	})
	b.Queue(`SELECT calendar_token FROM users WHERE id = $1`, u.ID).QueryRow(func(row pgx.Row) error {
		return row.Scan(&token)
	})
	if err := db.pool.SendBatch(ctx, b).Close(); err != nil {
		return nil, fmt.Errorf("postgres: space of %d: %w", u.ID, mapError(err))
	}
	var f stepFiguresScan
	if len(e.Pledges) > 0 {
		ids := make([]int64, 0, len(e.Pledges))
		for _, p := range e.Pledges {
			ids = append(ids, p.StepID)
		}
		b = &pgx.Batch{}
		b.Queue(stepFiguresOfIDs.totals, ids).Query(func(rows pgx.Rows) error { return f.scanTotals(rows) })
		b.Queue(stepFiguresOfIDs.calls, ids).Query(func(rows pgx.Rows) error { return f.scanCalls(rows) })
		if err := db.pool.SendBatch(ctx, b).Close(); err != nil {
			return nil, fmt.Errorf("postgres: figures of the steps backed by %d: %w", u.ID, err)
		}
	}
	e.StepFigures = f.figures()
	if token != nil {
		e.CalendarToken = *token
	} else {
		t, err := db.CalendarToken(ctx, u.ID, false)
		if err != nil {
			return nil, err
		}
		e.CalendarToken = t
	}
	return &e, nil
}

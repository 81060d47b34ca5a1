package postgres

import (
	"context"
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

// espaceFiguresSQL reads the single figures of a person's space ($1 the account): the
// columns of userContributionTotalsSQL, those of funderByUserSQL (NULL without a funder
// profile), their pledge count and calendar token — four statements, each one's cost
// mostly the statement's own, as one.
const espaceFiguresSQL = `
SELECT t.*, f.user_id, f.kind, f.organisation, coalesce(f.place_id, 0),
       (SELECT count(*) FROM pledges WHERE user_id = $1),
       (SELECT calendar_token FROM users WHERE id = $1)
FROM (` + userContributionTotalsSQL + `) t
LEFT JOIN funders f ON f.user_id = $1`

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
	b.Queue(userContributionsSQL, u.ID, contributions, 0).Query(func(rows pgx.Rows) (err error) {
		e.Contributions, err = collectContributions(rows, nil)
		return err
	})
	b.Queue(userPledgesSQL, u.ID, pledges, 0).Query(func(rows pgx.Rows) (err error) {
		e.Pledges, err = collectPledges(rows, nil)
		return err
	})
	b.Queue(userEventsSQL, u.ID, now).Query(func(rows pgx.Rows) (err error) {
		e.Events, err = scanUserEvents(rows)
		return err
	})
	// Their single figures in one statement: contribution totals, funder profile (its
	// columns NULL without one), pledge count and calendar token.
	b.Queue(espaceFiguresSQL, u.ID).QueryRow(func(row pgx.Row) error {
		t := &e.Totals
		var f struct {
			userID, placeID *int64
			kind, org       *string
		}
		err := row.Scan(&t.Count, &t.Declared, &t.Validated, &t.Paid, &t.Refused, &t.PaidQuarters, &t.VolunteerQuarters,
			&f.userID, &f.kind, &f.org, &f.placeID, &e.PledgeCount, &token)
		if err == nil && f.userID != nil {
			e.Funder = &fabrique.Funder{UserID: *f.userID, Kind: *f.kind, Organisation: *f.org, PlaceID: *f.placeID}
		}
		return err
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

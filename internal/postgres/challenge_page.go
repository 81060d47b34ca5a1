package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// ChallengePage is what a défi's page reads about the défi, once the défi is found: each
// field as the store function named beside it returns it. Like CallPage, the shape of one
// batch holding only fabrique types, kept beside those functions with its limits.
type ChallengePage struct {
	Members       []fabrique.TeamEntry           // ChallengeMembers
	Timeline      []fabrique.StatusChange        // ChallengeTimeline
	Framing       *fabrique.FramingSheet         // ChallengeFraming
	Places        []fabrique.LinkedPlace         // ChallengePlaces
	Commons       []fabrique.LinkedCommons       // ChallengeCommons
	Seed          *fabrique.ChallengeSeedState   // ChallengeSeed
	Budget        fabrique.BudgetOverview        // BudgetOverview
	Days          []fabrique.MemberDays          // ChallengeMemberDays
	Contributions []*fabrique.ContributionRecord // ChallengeContributions, from the first
	Events        []*fabrique.Event              // its next rendez-vous (challengeEventsSQL)

	// With ChallengePageLimits.Steps: the steps of the commun the défi gave rise to, in
	// the order its page numbers them, their figures (StepFigures) and the calls each
	// takes part in, those ending first first.
	Steps     []fabrique.Step
	Figures   map[int64]fabrique.StepFigures
	StepCalls map[int64][]fabrique.Call
}

// ChallengePageLimits bounds the lists of a ChallengePage.
type ChallengePageLimits struct {
	Revisions     int  // framing revisions, as ChallengeFraming's lastRevisions
	SeedRequests  int  // seed requests, as ChallengeSeed's limit
	Contributions int  // the latest contributions, as ChallengeContributions' limit
	Steps         bool // read the steps of the défi's commun too (a défi in développement)
}

// ChallengePage reads, seen by viewerID (0 for a visitor), the team, the timeline, the
// framing sheet, the tiers-lieux and communs, the seed requests, the budget, the days by
// person and the latest contributions of a défi in one round trip: the same queries as
// the store functions named in ChallengePage, sent as a batch. Under load every round
// trip costs syscalls and a wait for the app and the server to be scheduled again; the
// queries themselves are cheap.
func (db *DB) ChallengePage(ctx context.Context, challengeID, viewerID int64, lim ChallengePageLimits) (*ChallengePage, error) {
	var p ChallengePage
	var figures stepFiguresScan
	b := &pgx.Batch{}
	b.Queue(challengeMembersSQL, challengeID, viewerID).Query(func(rows pgx.Rows) (err error) {
		p.Members, err = scanChallengeMembers(rows)
		return err
	})
	b.Queue(challengeTimelineSQL, challengeID).Query(func(rows pgx.Rows) (err error) {
		p.Timeline, err = scanChallengeTimeline(rows)
		return err
	})
	b.Queue(challengeFramingSQL, challengeID, lim.Revisions).QueryRow(func(row pgx.Row) (err error) {
		p.Framing, err = scanChallengeFraming(row, challengeID)
		return err
	})
	b.Queue(challengePlacesSQL, challengeID, viewerID).Query(func(rows pgx.Rows) (err error) {
		p.Places, err = scanChallengePlaces(rows)
		return err
	})
	b.Queue(challengeCommonsSQL, challengeID).Query(func(rows pgx.Rows) (err error) {
		p.Commons, err = scanChallengeCommons(rows)
		return err
	})
	b.Queue(challengeSeedSQL, challengeID, lim.SeedRequests).Query(func(rows pgx.Rows) (err error) {
		p.Seed, err = scanChallengeSeed(rows)
		return err
	})
	b.Queue(budgetOverviewSQL, challengeID, viewerID).QueryRow(func(row pgx.Row) (err error) {
		p.Budget, err = scanBudgetOverview(row, challengeID)
		return err
	})
	b.Queue(challengeEventsSQL, challengeID).Query(func(rows pgx.Rows) (err error) {
		p.Events, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (*fabrique.Event, error) { return scanEvent(r) })
		return err
	})
	b.Queue(challengeMemberDaysSQL, challengeID).Query(func(rows pgx.Rows) (err error) {
		p.Days, err = scanChallengeMemberDays(rows)
		return err
	})
	b.Queue(challengeContributionsSQL, challengeID, lim.Contributions, 0).Query(func(rows pgx.Rows) (err error) {
		p.Contributions, err = scanChallengeContributions(rows, challengeID)
		return err
	})
	if lim.Steps {
		queueChallengeSteps(b, challengeID, &p, &figures)
	}
	if err := db.pool.SendBatch(ctx, b).Close(); err != nil {
		return nil, fmt.Errorf("postgres: page of challenge %d: %w", challengeID, err)
	}
	if lim.Steps {
		p.Figures = figures.figures()
	}
	return &p, nil
}

// challengeEventsSQL reads the next rendez-vous about a défi — linked to it, or to the
// commun it gave rise to — not cancelled, soonest first.
const challengeEventsSQL = `SELECT ` + eventColumns + eventFrom + `
	WHERE (e.challenge_id = $1 OR e.commons_id IN (SELECT cc.commons_id FROM challenge_commons cc
	        WHERE cc.challenge_id = $1 AND cc.relation = 'origine'))
	  AND e.ends_at > now() AND e.cancelled_at IS NULL
	ORDER BY e.starts_at, e.id LIMIT 4`

// ChallengeViewer reads what a défi's page shows differently to viewerID: the team as
// they see it (their own row too when refused or gone) and the tiers-lieux (theirs among
// them), in one round trip — the two queries of ChallengePage that take the viewer, so
// that the rest of the page, the same for everyone, can be shared.
func (db *DB) ChallengeViewer(ctx context.Context, challengeID, viewerID int64) (members []fabrique.TeamEntry, places []fabrique.LinkedPlace, err error) {
	b := &pgx.Batch{}
	b.Queue(challengeMembersSQL, challengeID, viewerID).Query(func(rows pgx.Rows) (err error) {
		members, err = scanChallengeMembers(rows)
		return err
	})
	b.Queue(challengePlacesSQL, challengeID, viewerID).Query(func(rows pgx.Rows) (err error) {
		places, err = scanChallengePlaces(rows)
		return err
	})
	if err := db.pool.SendBatch(ctx, b).Close(); err != nil {
		return nil, nil, fmt.Errorf("postgres: viewer of challenge %d: %w", challengeID, err)
	}
	return members, places, nil
}

// ForViewer is p, shared by every viewer (read with viewer 0), as viewerID sees it with
// members and places from ChallengeViewer: a copy, p itself unchanged.
func (p *ChallengePage) ForViewer(viewerID int64, members []fabrique.TeamEntry, places []fabrique.LinkedPlace) *ChallengePage {
	own := *p
	own.Members, own.Places = members, places
	own.Budget.IsMember = false
	for _, m := range members {
		if m.UserID == viewerID && m.State == fabrique.MemberAccepted {
			own.Budget.IsMember = true
		}
	}
	return &own
}

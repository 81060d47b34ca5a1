package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// CommonsPage is what a commun's page reads about the commun, once the commun is found:
// each field as the store function named beside it returns it. Like CallPage, the shape
// of one batch holding only fabrique types, kept beside those functions.
type CommonsPage struct {
	Challenges []fabrique.CommonsChallenge    // CommonsChallenges
	Places     []fabrique.LinkedPlace         // CommonsPlaces
	Team       []fabrique.CommonsTeamMember   // CommonsTeam
	Steps      []fabrique.Step                // CommonsSteps
	Figures    map[int64]fabrique.StepFigures // StepFigures of those steps
	Funds      fabrique.CommonsFunds          // CommonsFunds
}

// CommonsPage reads, seen by viewerID (0 for a visitor), the défis, the tiers-lieux, the
// team, the steps with their figures and the funds of a commun in one round trip: the
// same queries as the store functions named in CommonsPage, sent as a batch, the step
// figures' two choosing the commun's steps themselves rather than taking their ids.
// Under load every round trip costs syscalls and a wait for the app and the server to
// be scheduled again; the queries themselves are cheap.
func (db *DB) CommonsPage(ctx context.Context, commonsID, viewerID int64) (*CommonsPage, error) {
	var p CommonsPage
	var figures stepFiguresScan
	b := &pgx.Batch{}
	b.Queue(commonsChallengesSQL, commonsID).Query(func(rows pgx.Rows) (err error) {
		p.Challenges, err = scanCommonsChallenges(rows)
		return err
	})
	b.Queue(commonsPlacesSQL, commonsID, viewerID).Query(func(rows pgx.Rows) (err error) {
		p.Places, err = scanCommonsPlaces(rows)
		return err
	})
	b.Queue(commonsTeamSQL, commonsID).Query(func(rows pgx.Rows) (err error) {
		p.Team, err = scanCommonsTeam(rows)
		return err
	})
	b.Queue(commonsStepsSQL, commonsID).Query(func(rows pgx.Rows) (err error) {
		p.Steps, err = scanCommonsSteps(rows, commonsID)
		return err
	})
	stepFiguresOfCommons.queue(b, commonsID, &figures)
	b.Queue(commonsFundsSQL, commonsID).QueryRow(func(row pgx.Row) (err error) {
		p.Funds, err = scanCommonsFunds(row, commonsID)
		return err
	})
	if err := db.pool.SendBatch(ctx, b).Close(); err != nil {
		return nil, fmt.Errorf("postgres: page of commons %d: %w", commonsID, err)
	}
	p.Figures = figures.figures()
	return &p, nil
}

package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// ChallengePage is what a défi's page reads about its team, timeline and framing.
type ChallengePage struct {
	Members  []TeamEntry             // as ChallengeMembers returns them
	Timeline []fabrique.StatusChange // as ChallengeTimeline returns it
	Framing  *FramingSheet           // as ChallengeFraming returns it
}

// ChallengePage reads the team (with viewerID's own row), the timeline and the framing
// sheet (with at most lastRevisions revisions) of a défi in one round trip: the same
// queries as ChallengeMembers, ChallengeTimeline and ChallengeFraming, sent as a batch.
// Under load every round trip waits for the app and the server to be scheduled again.
func (db *DB) ChallengePage(ctx context.Context, challengeID, viewerID int64, lastRevisions int) (*ChallengePage, error) {
	var p ChallengePage
	b := &pgx.Batch{}
	b.Queue(challengeMembersSQL, challengeID, viewerID).Query(func(rows pgx.Rows) (err error) {
		p.Members, err = scanChallengeMembers(rows)
		return err
	})
	b.Queue(challengeTimelineSQL, challengeID).Query(func(rows pgx.Rows) (err error) {
		p.Timeline, err = scanChallengeTimeline(rows)
		return err
	})
	b.Queue(challengeFramingSQL, challengeID, lastRevisions).QueryRow(func(row pgx.Row) (err error) {
		p.Framing, err = scanChallengeFraming(row, challengeID)
		return err
	})
	if err := db.Pool.SendBatch(ctx, b).Close(); err != nil {
		return nil, fmt.Errorf("postgres: page of challenge %d: %w", challengeID, err)
	}
	return &p, nil
}

package postgres

import (
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// challengeOriginSQL is the commun défi $1 gave rise to, as an SQL expression (NULL while
// it has none).
const challengeOriginSQL = `(SELECT commons_id FROM challenge_commons WHERE challenge_id = $1 AND relation = 'origine' LIMIT 1)`

// challengeStepsWhere chooses the steps of the commun défi $1 gave rise to, in the order
// of its commun's page (commonsStepsWhere): the défi's page numbers them the same way.
var challengeStepsWhere = ` WHERE s.commons_id = ` + challengeOriginSQL + ` ORDER BY s.starts_on, s.id LIMIT ` + fmt.Sprint(MaxCommonsSteps)

// challengeStepsSQL lists those steps; stepFiguresOfChallenge reads their figures, and
// challengeStepCallsSQL the calls they take part in.
var (
	challengeStepsSQL      = stepSelect + challengeStepsWhere
	stepFiguresOfChallenge = newStepFiguresSQL(`ARRAY(SELECT s.id FROM steps s` + challengeStepsWhere + `)`)
	challengeStepCallsSQL  = `
		SELECT cs.step_id, c.id, c.slug, c.title, c.starts_on, c.ends_on, c.closed_at
		FROM call_steps cs JOIN calls c ON c.id = cs.call_id
		JOIN steps s ON s.id = cs.step_id
		WHERE s.commons_id = ` + challengeOriginSQL + `
		ORDER BY c.ends_on, c.id`
)

// scanStepCalls reads (and closes) the rows of challengeStepCallsSQL: the calls of each
// step, those ending first first.
func scanStepCalls(rows pgx.Rows) (map[int64][]fabrique.Call, error) {
	defer rows.Close()
	out := map[int64][]fabrique.Call{}
	for rows.Next() {
		var stepID int64
		var c fabrique.Call
		var closed *time.Time
		if err := rows.Scan(&stepID, &c.ID, &c.Slug, &c.Title, &c.StartsOn, &c.EndsOn, &closed); err != nil {
			return nil, fmt.Errorf("postgres: calls of steps: %w", err)
		}
		if closed != nil {
			c.ClosedAt = *closed
		}
		out[stepID] = append(out[stepID], c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: calls of steps: %w", err)
	}
	return out, nil
}

// queueChallengeSteps adds to b the steps of the commun défi challengeID gave rise to,
// their figures and their calls, read into p.
func queueChallengeSteps(b *pgx.Batch, challengeID int64, p *ChallengePage, figures *stepFiguresScan) {
	b.Queue(challengeStepsSQL, challengeID).Query(func(rows pgx.Rows) (err error) {
		p.Steps, err = collectSteps(rows, nil)
		return err
	})
	stepFiguresOfChallenge.queue(b, challengeID, figures)
	b.Queue(challengeStepCallsSQL, challengeID).Query(func(rows pgx.Rows) (err error) {
		p.StepCalls, err = scanStepCalls(rows)
		return err
	})
}

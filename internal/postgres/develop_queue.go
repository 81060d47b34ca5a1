package postgres

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// framingCompleteSQL is fabrique.Framing.Complete over the framing columns of alias: every
// required field holds more than white space (the columns bear the fields' names).
func framingCompleteSQL(alias string) string {
	var conds []string
	for _, name := range fabrique.FramingRequiredFields() {
		conds = append(conds, `btrim(`+alias+`.`+name+`, E' \t\r\n') <> ''`)
	}
	return "(" + strings.Join(conds, " AND ") + ")"
}

// developQueueSQL lists the défis before développement whose framing is complete, with
// when it was completed: the first revision since the last incomplete one. Those
// complete the longest come first.
var developQueueSQL = `
SELECT ` + challengeColumns + `, q.framed_at, count(*) OVER ()` + challengeFrom + `
JOIN challenge_framings f ON f.challenge_id = c.id
CROSS JOIN LATERAL (
    SELECT min(r.created_at) AS framed_at FROM challenge_framing_revisions r
    WHERE r.challenge_id = c.id AND ` + framingCompleteSQL("r") + `
      AND r.created_at > coalesce((SELECT max(x.created_at) FROM challenge_framing_revisions x
                                   WHERE x.challenge_id = c.id AND NOT ` + framingCompleteSQL("x") + `), '-infinity')) q
WHERE c.status IN ('identifie', 'equipe', 'prefiguration') AND ` + framingCompleteSQL("f") + `
ORDER BY q.framed_at NULLS LAST, c.id
LIMIT $1 OFFSET $2`

// DevelopQueue returns the défis waiting for the développement decision (at most limit from
// offset,
// those framed the longest first) and how many there are in all (0 past the last).
func (db *DB) DevelopQueue(ctx context.Context, limit, offset int) ([]fabrique.DevelopQueueItem, int, error) {
	rows, err := db.pool.Query(ctx, developQueueSQL, limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("postgres: develop queue: %w", err)
	}
	var total int
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (fabrique.DevelopQueueItem, error) {
		var it fabrique.DevelopQueueItem
		var framed *time.Time
		c, err := scanChallenge(row, &framed, &total)
		if err != nil {
			return it, err
		}
		it.Challenge = c
		if framed != nil {
			it.FramedAt = *framed
		}
		return it, nil
	})
	if err != nil {
		return nil, 0, fmt.Errorf("postgres: develop queue: %w", err)
	}
	return list, total, nil
}

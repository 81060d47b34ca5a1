package postgres

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// ChallengeFraming returns the framing of a défi, its linked solutions and its last
// revisions (at most lastRevisions) in one query, whatever their number.
func (db *DB) ChallengeFraming(ctx context.Context, challengeID int64, lastRevisions int) (*fabrique.FramingSheet, error) {
	return scanChallengeFraming(db.pool.QueryRow(ctx, challengeFramingSQL, challengeID, lastRevisions), challengeID)
}

// challengeFramingSQL is ChallengeFraming's query ($1 the défi, $2 the revisions to
// list), which ChallengePage sends in its batch too.
const challengeFramingSQL = `SELECT f.challenge_id IS NOT NULL,
		        coalesce(f.problems, ''), coalesce(f.use_cases, ''), coalesce(f.actors, ''),
		        coalesce(f.existing_solutions, ''), coalesce(f.approach, ''), coalesce(f.next_steps, ''),
		        coalesce(u.display_name, ''), f.updated_at,
		        (SELECT coalesce(json_agg(json_build_object('id', co.id, 'slug', co.slug, 'name', co.name)
		                                  ORDER BY co.name, co.id), '[]')
		         FROM challenge_commons l JOIN commons co ON co.id = l.commons_id
		         WHERE l.challenge_id = k.id AND l.relation = 'solution'),
		        (SELECT coalesce(json_agg(json_build_object('id', r.id, 'user_name', r.display_name, 'at', r.created_at)
		                                  ORDER BY r.created_at DESC, r.id DESC), '[]')
		         FROM (SELECT r.id, ru.display_name, r.created_at
		               FROM challenge_framing_revisions r JOIN users ru ON ru.id = r.user_id
		               WHERE r.challenge_id = k.id ORDER BY r.created_at DESC, r.id DESC LIMIT $2) r),
		        (SELECT count(*) FROM challenge_framing_revisions r WHERE r.challenge_id = k.id)
		 FROM (SELECT $1::bigint AS id) k
		 LEFT JOIN challenge_framings f ON f.challenge_id = k.id
		 LEFT JOIN users u ON u.id = f.updated_by`

// scanChallengeFraming reads the row of challengeFramingSQL.
func scanChallengeFraming(row pgx.Row, challengeID int64) (*fabrique.FramingSheet, error) {
	var s fabrique.FramingSheet
	f := &s.Framing
	var updatedAt *time.Time
	err := row.Scan(&s.Written, &f.Problems, &f.UseCases, &f.Actors, &f.ExistingSolutions, &f.Approach, &f.NextSteps,
		&f.UpdatedBy, &updatedAt, &s.Solutions, &s.Revisions, &s.Edits)
	if err != nil {
		return nil, fmt.Errorf("postgres: framing of %d: %w", challengeID, err)
	}
	if updatedAt != nil {
		f.UpdatedAt = *updatedAt
	}
	return &s, nil
}

// SaveFraming records a new version of a défi's framing by actor, who must be an
// accepted member of its team (the porteur included) or a coordinator, and replaces the
// communs linked to it as existing solutions by solutionIDs; the link to the commun the
// défi gave rise to ('origine') is left alone. The current version, its revision and the
// links are written in one transaction. An unknown commun is an EINVALID error on the
// field solution_commons; f is validated here, after the rights are checked, so someone
// without them gets EFORBIDDEN whatever they sent.
func (db *DB) SaveFraming(ctx context.Context, challengeID int64, actor *fabrique.User, f fabrique.Framing, solutionIDs []int64) error {
	ids := append([]int64{}, solutionIDs...) // never nil: a NULL array would match nothing below
	slices.Sort(ids)
	ids = slices.Compact(ids)
	err := db.withTx(ctx, func(tx pgx.Tx) error {
		// Shared with status changes, which judge the framing under an exclusive lock.
		if _, _, err := lockChallenge(ctx, tx, challengeID, "FOR SHARE"); err != nil {
			return err
		}
		var member bool
		if !actor.IsCoordinator() { // a coordinator needs no membership: not read
			if err := tx.QueryRow(ctx,
				`SELECT EXISTS (SELECT 1 FROM challenge_members
				                WHERE challenge_id = $1 AND user_id = $2 AND state = 'accepted' FOR SHARE)`,
				challengeID, actor.ID).Scan(&member); err != nil {
				return fmt.Errorf("postgres: check member: %w", err)
			}
		}
		if err := fabrique.CheckFramingEditor(actor, member); err != nil {
			return err
		}
		if err := f.Validate(); err != nil {
			return err
		}
		before, framed, err := framingOf(ctx, tx, challengeID)
		if err != nil {
			return err
		}
		wasComplete := framed && before.Complete()
		// The share lock keeps the communs from disappearing before the links are written.
		var found int
		if err := tx.QueryRow(ctx,
			`SELECT count(*) FROM (SELECT id FROM commons WHERE id = ANY($1) FOR SHARE) c`, ids).Scan(&found); err != nil {
			return fmt.Errorf("postgres: check communs: %w", err)
		}
		if found != len(ids) {
			return fabrique.FramingCommonsError()
		}
		if _, err := tx.Exec(ctx,
			`INSERT INTO challenge_framings
			   (challenge_id, problems, use_cases, actors, existing_solutions, approach, next_steps, updated_by, updated_at)
			 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now())
			 ON CONFLICT (challenge_id) DO UPDATE SET
			   problems = EXCLUDED.problems, use_cases = EXCLUDED.use_cases, actors = EXCLUDED.actors,
			   existing_solutions = EXCLUDED.existing_solutions, approach = EXCLUDED.approach,
			   next_steps = EXCLUDED.next_steps, updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at`,
			challengeID, f.Problems, f.UseCases, f.Actors, f.ExistingSolutions, f.Approach, f.NextSteps, actor.ID); err != nil {
			return fmt.Errorf("postgres: save framing: %w", err)
		}
		if _, err := tx.Exec(ctx,
			`INSERT INTO challenge_framing_revisions
			   (challenge_id, problems, use_cases, actors, existing_solutions, approach, next_steps, user_id)
			 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
			challengeID, f.Problems, f.UseCases, f.Actors, f.ExistingSolutions, f.Approach, f.NextSteps, actor.ID); err != nil {
			return fmt.Errorf("postgres: record framing revision: %w", err)
		}
		if _, err := tx.Exec(ctx,
			`DELETE FROM challenge_commons
			 WHERE challenge_id = $1 AND relation = 'solution' AND NOT (commons_id = ANY($2))`, challengeID, ids); err != nil {
			return fmt.Errorf("postgres: unlink solutions: %w", err)
		}
		// A commun already linked, as a solution or as the défi's origin, keeps its link.
		if _, err := tx.Exec(ctx,
			`INSERT INTO challenge_commons (challenge_id, commons_id, relation)
			 SELECT $1, id, 'solution' FROM unnest($2::bigint[]) AS id
			 ON CONFLICT (challenge_id, commons_id) DO NOTHING`, challengeID, ids); err != nil {
			return fmt.Errorf("postgres: link solutions: %w", err)
		}
		if wasComplete || !f.Complete() {
			return nil
		}
		coordinators, err := coordinatorIDs(ctx, tx)
		if err != nil {
			return err
		}
		slug, title, err := challengeNames(ctx, tx, challengeID)
		if err != nil {
			return err
		}
		return db.notify(ctx, tx, fabrique.FramingCompleteNotification(coordinators, actor.ID, slug, title))
	})
	if err != nil {
		return fmt.Errorf("postgres: save framing of %d: %w", challengeID, mapError(err))
	}
	return nil
}

// FramingForEditor returns the framing of challengeID as its edit form starts from, for
// actor if they may edit it (an accepted member or a coordinator), else EFORBIDDEN.
func (db *DB) FramingForEditor(ctx context.Context, challengeID int64, actor *fabrique.User) (*fabrique.FramingSheet, error) {
	var member bool
	if !actor.IsCoordinator() {
		var err error
		if member, err = db.AcceptedMember(ctx, challengeID, actor.ID); err != nil {
			return nil, err
		}
	}
	if err := fabrique.CheckFramingEditor(actor, member); err != nil {
		return nil, err
	}
	return db.ChallengeFraming(ctx, challengeID, 0)
}

// CommonsForFraming lists every commun of the cartographie (ID, Slug, Name) by name,
// for the team to pick the existing solutions of a framing.
func (db *DB) CommonsForFraming(ctx context.Context) ([]fabrique.Commons, error) {
	rows, err := db.pool.Query(ctx, `SELECT id, slug, name FROM commons ORDER BY name, id`)
	if err != nil {
		return nil, fmt.Errorf("postgres: communs: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (fabrique.Commons, error) {
		var c fabrique.Commons
		err := r.Scan(&c.ID, &c.Slug, &c.Name)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: communs: %w", err)
	}
	return list, nil
}

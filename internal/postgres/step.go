package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// A commun's development steps ("étapes de développement") and its team. The team of a
// commun is the team of the défi(s) it came from (challenge_commons relation 'origine'):
// their porteurs publish its steps, their members log the development work.

// AuditStepCreated is the audit action of a step added to a commun.
const AuditStepCreated = "step.create"

// stepSelect, scanStep and collectSteps are shared with the calls (call.go).

// CommonsTeam returns, in one query, the team of a commun: the accepted members of the
// défis it came from, each défi's porteur first.
func (db *DB) CommonsTeam(ctx context.Context, commonsID int64) ([]fabrique.CommonsTeamMember, error) {
	rows, err := db.pool.Query(ctx, commonsTeamSQL, commonsID)
	if err != nil {
		return nil, fmt.Errorf("postgres: commons team: %w", err)
	}
	return scanCommonsTeam(rows)
}

// commonsTeamSQL is CommonsTeam's query ($1 the commun), which CommonsPage sends in its
// batch too.
const commonsTeamSQL = `
		SELECT m.user_id, u.display_name, m.role = 'lead', c.slug, c.title
		FROM challenge_commons cc
		JOIN challenges c ON c.id = cc.challenge_id
		JOIN challenge_members m ON m.challenge_id = c.id AND m.state = 'accepted'
		JOIN users u ON u.id = m.user_id
		WHERE cc.commons_id = $1 AND cc.relation = 'origine'
		ORDER BY cc.created_at, c.id, m.role = 'lead' DESC, m.decided_at, u.display_name, m.user_id`

// scanCommonsTeam reads (and closes) the rows of commonsTeamSQL.
func scanCommonsTeam(rows pgx.Rows) ([]fabrique.CommonsTeamMember, error) {
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (fabrique.CommonsTeamMember, error) {
		var m fabrique.CommonsTeamMember
		err := r.Scan(&m.UserID, &m.Name, &m.Lead, &m.ChallengeSlug, &m.ChallengeTitle)
		return m, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: commons team: %w", err)
	}
	return list, nil
}

// originLead reports whether u is the porteur of a défi the commun came from, the fact
// fabrique.MayEditSteps looks at besides the role. lock is "" or a row lock on those
// défis. Nobody is read for a visitor or a coordinator, whose answer it does not change.
func originLead(ctx context.Context, q DBTX, commonsID int64, u *fabrique.User, lock string) (bool, error) {
	if u == nil || u.IsCoordinator() {
		return false, nil
	}
	var lead bool
	err := q.QueryRow(ctx, `SELECT EXISTS (
		SELECT 1 FROM challenges c JOIN challenge_commons cc ON cc.challenge_id = c.id
		WHERE cc.commons_id = $1 AND cc.relation = 'origine' AND c.lead_id = $2 `+lock+`)`, commonsID, u.ID).Scan(&lead)
	if err != nil {
		return false, fmt.Errorf("postgres: commons porteur: %w", err)
	}
	return lead, nil
}

// MayEditSteps reports whether u may add steps to the commun: a coordinator, or the
// porteur of a défi the commun came from. CreateStep checks it again under a lock.
func (db *DB) MayEditSteps(ctx context.Context, commonsID int64, u *fabrique.User) (bool, error) {
	lead, err := originLead(ctx, db.pool, commonsID, u, "")
	if err != nil {
		return false, err
	}
	return fabrique.MayEditSteps(u, lead), nil
}

// CreateStep adds st (title, description, goal, dates, checked by the caller) to the
// commun on behalf of actor, who must be its porteur or a coordinator (EFORBIDDEN). The
// commun and the défis giving actor the right are share-locked, so a porteur handing over
// the lead meanwhile cannot slip between the check and the insert.
func (db *DB) CreateStep(ctx context.Context, commonsID int64, actor *fabrique.User, st fabrique.Step) (fabrique.Step, error) {
	var out fabrique.Step
	err := db.withTx(ctx, func(tx pgx.Tx) error {
		var name string
		err := tx.QueryRow(ctx, `SELECT name FROM commons WHERE id = $1 FOR SHARE`, commonsID).Scan(&name)
		if errors.Is(err, pgx.ErrNoRows) {
			return fabrique.ErrCommonsNotFound
		} else if err != nil {
			return fmt.Errorf("postgres: lock commons: %w", err)
		}
		lead, err := originLead(ctx, tx, commonsID, actor, "FOR SHARE OF c")
		if err != nil {
			return err
		}
		if err := fabrique.CheckStepEditor(actor, lead); err != nil {
			return err
		}
		var id int64
		if err := tx.QueryRow(ctx,
			`INSERT INTO steps (commons_id, title, description, goal, starts_on, ends_on, created_by)
			 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
			commonsID, st.Title, st.Description, st.Goal, st.StartsOn, st.EndsOn, actor.ID).Scan(&id); err != nil {
			return fmt.Errorf("postgres: insert step: %w", err)
		}
		if out, err = scanStep(tx.QueryRow(ctx, stepSelect+` WHERE s.id = $1`, id)); err != nil {
			return fmt.Errorf("postgres: read step: %w", err)
		}
		return audit(ctx, tx, actor.ID, AuditStepCreated, "step", id, fabrique.StepAuditDetail(st, name))
	})
	if err != nil {
		return fabrique.Step{}, fmt.Errorf("postgres: create step of commons %d: %w", commonsID, mapError(err))
	}
	return out, nil
}

// MaxCommonsSteps bounds the steps a commun's page lists; a commun has a handful.
const MaxCommonsSteps = 200

// CommonsSteps returns the steps of a commun in the order they start, in one query.
func (db *DB) CommonsSteps(ctx context.Context, commonsID int64) ([]fabrique.Step, error) {
	rows, err := db.pool.Query(ctx, commonsStepsSQL, commonsID)
	if err != nil {
		return nil, fmt.Errorf("postgres: steps of commons %d: %w", commonsID, err)
	}
	return scanCommonsSteps(rows, commonsID)
}

// commonsStepsWhere chooses the steps of the commun $1 that CommonsSteps lists, in their
// order: the step figures of the commun's page read the same (stepFiguresOfCommons).
var commonsStepsWhere = ` WHERE s.commons_id = $1 ORDER BY s.starts_on, s.id LIMIT ` + strconv.Itoa(MaxCommonsSteps)

// commonsStepsSQL is CommonsSteps' query ($1 the commun), which CommonsPage sends in its
// batch too.
var commonsStepsSQL = stepSelect + commonsStepsWhere

// scanCommonsSteps reads (and closes) the rows of commonsStepsSQL.
func scanCommonsSteps(rows pgx.Rows, commonsID int64) ([]fabrique.Step, error) {
	list, err := collectSteps(rows, nil)
	if err != nil {
		return nil, fmt.Errorf("postgres: steps of commons %d: %w", commonsID, err)
	}
	return list, nil
}

// StepByID returns the step id with its commun's slug and name.
func (db *DB) StepByID(ctx context.Context, id int64) (fabrique.Step, error) {
	st, err := scanStep(db.pool.QueryRow(ctx, stepSelect+` WHERE s.id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return st, fabrique.ErrStepNotFound
	} else if err != nil {
		return st, fmt.Errorf("postgres: step %d: %w", id, err)
	}
	return st, nil
}

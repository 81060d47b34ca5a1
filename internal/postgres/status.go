package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// MaxStatusNoteLen bounds the note of a status change, in characters.
const MaxStatusNoteLen = 2000

// Audit actions of a défi's move to développement.
const (
	AuditCommonsCreated  = "commons.create" // a commun created from the défi
	AuditCommonsAttached = "commons.attach" // the défi attached to an existing commun
	AuditCommonsResumed  = "commons.resume" // the défi back in développement, with its commun
	auditTargetCommons   = "commons"
)

// ChangeStatus moves a défi to status to on behalf of actor, with note, by the rules of
// fabrique.CheckTransition; a move to développement creates the défi's commun (see
// MoveChallenge).
func (db *DB) ChangeStatus(ctx context.Context, challengeID int64, actor *fabrique.User, to fabrique.Status, note string) error {
	_, err := db.MoveChallenge(ctx, challengeID, actor, fabrique.StatusMove{To: to, Note: note})
	return err
}

// MoveChallenge moves a défi to m.To on behalf of actor, by the rules of
// fabrique.CheckTransition. The défi's row is locked first, and the facts the rules look
// at (the accepted members, the framing) are read after the lock in the same
// transaction, so of two concurrent changes the second one is judged from the status the
// first one left. The change and its timeline entry are written together.
//
// A move to développement gives rise to the défi's commun in the same transaction: the
// commun it already came from when it moves back and forth, else the existing commun
// m.CommonsID (EINVALID on commons_id when unknown), else a new commun named after the
// défi. The défi is linked to it as its origin ('origine'), and the decision audited.
func (db *DB) MoveChallenge(ctx context.Context, challengeID int64, actor *fabrique.User, m fabrique.StatusMove) (fabrique.StatusMoved, error) {
	var moved fabrique.StatusMoved
	err := db.withTx(ctx, func(tx pgx.Tx) error {
		from, leadID, err := lockChallenge(ctx, tx, challengeID, "FOR UPDATE")
		if err != nil {
			return err
		}
		a := fabrique.Actor{LoggedIn: actor != nil, Coordinator: actor.IsCoordinator()}
		var facts fabrique.TransitionFacts
		var actorID int64
		if actor != nil {
			actorID = actor.ID
			a.Lead = actor.ID == leadID
		}
		if err := tx.QueryRow(ctx,
			`SELECT count(*) FILTER (WHERE state = 'accepted'),
			        coalesce(bool_or(state = 'accepted' AND user_id = $2), false)
			 FROM challenge_members WHERE challenge_id = $1`, challengeID, actorID).Scan(&facts.Members, &a.Member); err != nil {
			return fmt.Errorf("postgres: count members: %w", err)
		}
		f, found, err := framingOf(ctx, tx, challengeID)
		if err != nil {
			return err
		}
		facts.FramingComplete = found && f.Complete()
		if err := fabrique.CheckTransition(from, m.To, m.Note, a, facts); err != nil {
			return err
		}
		// Checked after the rules, so someone without the right learns nothing more.
		var v fabrique.Validation
		if utf8.RuneCountInString(m.Note) > MaxStatusNoteLen {
			v.Add("note", fabrique.MsgStatusNoteTooLong)
		}
		if m.To == fabrique.StatusDevelopment && m.CommonsKind != "" && !fabrique.ValidCommonsKind(m.CommonsKind) {
			v.Add("commons_kind", fabrique.MsgCommonsKindUnknown)
		}
		if err := v.Err(); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx,
			`UPDATE challenges SET status = $2, updated_at = now() WHERE id = $1`, challengeID, string(m.To)); err != nil {
			return fmt.Errorf("postgres: update status: %w", err)
		}
		if _, err := tx.Exec(ctx,
			`INSERT INTO challenge_status_changes (challenge_id, from_status, to_status, note, user_id)
			 VALUES ($1, $2, $3, $4, $5)`, challengeID, string(from), string(m.To), m.Note, actorID); err != nil {
			return fmt.Errorf("postgres: record status change: %w", err)
		}
		if m.To == fabrique.StatusDevelopment {
			if moved, err = developCommons(ctx, tx, challengeID, actorID, m); err != nil {
				return err
			}
		}
		slug, title, err := challengeNames(ctx, tx, challengeID)
		if err != nil {
			return err
		}
		return db.notify(ctx, tx, fabrique.StatusChangedNotification(leadID, actorID, slug, title, m.To))
	})
	if err != nil {
		return fabrique.StatusMoved{}, fmt.Errorf("postgres: change status of %d to %q: %w", challengeID, m.To, mapError(err))
	}
	return moved, nil
}

// developCommons gives the défi, locked by the caller and just moved to développement,
// its commun: the one it already gave rise to, the existing one chosen, or a new one.
func developCommons(ctx context.Context, tx pgx.Tx, challengeID, actorID int64, m fabrique.StatusMove) (fabrique.StatusMoved, error) {
	var title, summary string
	var origin int64
	err := tx.QueryRow(ctx,
		`SELECT c.title, c.summary,
		        coalesce((SELECT cc.commons_id FROM challenge_commons cc
		                  WHERE cc.challenge_id = c.id AND cc.relation = 'origine'), 0)
		 FROM challenges c WHERE c.id = $1`, challengeID).Scan(&title, &summary, &origin)
	if err != nil {
		return fabrique.StatusMoved{}, fmt.Errorf("postgres: read challenge: %w", err)
	}
	byID := func(id int64) (*fabrique.Commons, error) {
		// The share lock keeps the commun until the link to it is written.
		c, err := scanCommons(tx.QueryRow(ctx, `SELECT `+commonsColumns+` FROM commons k WHERE k.id = $1 FOR SHARE`, id))
		if errors.Is(err, pgx.ErrNoRows) {
			return nil, fabrique.DevelopCommonsUnknownError()
		} else if err != nil {
			return nil, fmt.Errorf("postgres: commons %d: %w", id, err)
		}
		return c, nil
	}
	switch {
	case origin != 0: // back in développement: the défi carries on with its commun
		if m.CommonsID != 0 && m.CommonsID != origin {
			return fabrique.StatusMoved{}, fabrique.DevelopCommonsOriginError()
		}
		c, err := byID(origin)
		if err != nil {
			return fabrique.StatusMoved{}, err
		}
		return fabrique.StatusMoved{Commons: c}, audit(ctx, tx, actorID, AuditCommonsResumed, auditTargetCommons, c.ID,
			fabrique.CommonsResumedAuditDetail(title, c.Name))
	case m.CommonsID != 0:
		c, err := byID(m.CommonsID)
		if err != nil {
			return fabrique.StatusMoved{}, err
		}
		// A commun found during the framing as an existing solution becomes the origin.
		if _, err := tx.Exec(ctx,
			`INSERT INTO challenge_commons (challenge_id, commons_id, relation) VALUES ($1, $2, 'origine')
			 ON CONFLICT (challenge_id, commons_id) DO UPDATE SET relation = 'origine'`, challengeID, c.ID); err != nil {
			return fabrique.StatusMoved{}, fmt.Errorf("postgres: link origin commons: %w", err)
		}
		return fabrique.StatusMoved{Commons: c}, audit(ctx, tx, actorID, AuditCommonsAttached, auditTargetCommons, c.ID,
			fabrique.CommonsAttachedAuditDetail(title, c.Name))
	}
	kind := m.CommonsKind
	if kind == "" {
		kind = "autre"
	}
	name := commonsNameFrom(title)
	base := fabrique.Slugify(name)
	if base == "" {
		base = "commun"
	}
	id, _, err := insertWithSlug(ctx, tx, "commons", base, func(slug string) pgx.Row {
		return tx.QueryRow(ctx,
			`INSERT INTO commons (slug, name, kind, summary) VALUES ($1, $2, $3, $4)
			 ON CONFLICT (slug) DO NOTHING RETURNING id`, slug, name, kind, summary)
	})
	if err != nil {
		return fabrique.StatusMoved{}, err
	}
	if _, err := tx.Exec(ctx,
		`INSERT INTO challenge_commons (challenge_id, commons_id, relation) VALUES ($1, $2, 'origine')`, challengeID, id); err != nil {
		return fabrique.StatusMoved{}, fmt.Errorf("postgres: link origin commons: %w", err)
	}
	c, err := scanCommons(tx.QueryRow(ctx, `SELECT `+commonsColumns+` FROM commons k WHERE k.id = $1`, id))
	if err != nil {
		return fabrique.StatusMoved{}, fmt.Errorf("postgres: read created commons: %w", err)
	}
	return fabrique.StatusMoved{Commons: c, Created: true}, audit(ctx, tx, actorID, AuditCommonsCreated, auditTargetCommons, c.ID,
		fabrique.CommonsCreatedAuditDetail(c.Name, title))
}

// commonsNameFrom is a commun's name taken from a défi's title: a title may be longer than
// a name, so it is cut at a word within the limit.
func commonsNameFrom(title string) string {
	if utf8.RuneCountInString(title) <= fabrique.MaxCommonsNameLen {
		return title
	}
	r := []rune(title)[:fabrique.MaxCommonsNameLen]
	if i := strings.LastIndex(string(r), " "); i > 0 {
		return strings.TrimSpace(string(r)[:i])
	}
	return string(r)
}

// ChallengeTimeline returns every status change of a défi, oldest first, with who made it.
func (db *DB) ChallengeTimeline(ctx context.Context, challengeID int64) ([]fabrique.StatusChange, error) {
	rows, err := db.pool.Query(ctx, challengeTimelineSQL, challengeID)
	if err != nil {
		return nil, fmt.Errorf("postgres: timeline: %w", err)
	}
	return scanChallengeTimeline(rows)
}

// challengeTimelineSQL is ChallengeTimeline's query ($1 the défi), which ChallengePage
// sends in its batch too.
const challengeTimelineSQL = `SELECT coalesce(s.from_status, ''), s.to_status, s.note, s.user_id, u.display_name, s.created_at
		 FROM challenge_status_changes s JOIN users u ON u.id = s.user_id
		 WHERE s.challenge_id = $1 ORDER BY s.created_at, s.id`

// scanChallengeTimeline reads (and closes) the rows of challengeTimelineSQL.
func scanChallengeTimeline(rows pgx.Rows) ([]fabrique.StatusChange, error) {
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (fabrique.StatusChange, error) {
		var c fabrique.StatusChange
		err := r.Scan(&c.From, &c.To, &c.Note, &c.UserID, &c.UserName, &c.At)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: timeline: %w", err)
	}
	return list, nil
}

// framingOf reads the current framing of a défi in tx; found is false while none was
// written, which is an incomplete framing rather than an error.
func framingOf(ctx context.Context, tx pgx.Tx, challengeID int64) (f fabrique.Framing, found bool, err error) {
	err = tx.QueryRow(ctx,
		`SELECT problems, use_cases, actors, existing_solutions, approach, next_steps
		 FROM challenge_framings WHERE challenge_id = $1`, challengeID).
		Scan(&f.Problems, &f.UseCases, &f.Actors, &f.ExistingSolutions, &f.Approach, &f.NextSteps)
	if errors.Is(err, pgx.ErrNoRows) {
		return fabrique.Framing{}, false, nil
	} else if err != nil {
		return fabrique.Framing{}, false, fmt.Errorf("postgres: read framing: %w", err)
	}
	return f, true, nil
}

// MaxCommonsChoices bounds the communs a select offers: the cartographie holds dozens.
const MaxCommonsChoices = 500

// DevelopChoices returns, in one query, what the move of a défi to développement may
// lead to: the commun it already gave rise to (found), or else the communs of the
// cartographie it may be attached to, by name.
func (db *DB) DevelopChoices(ctx context.Context, challengeID int64) (origin fabrique.CommonsChoice, found bool, list []fabrique.CommonsChoice, err error) {
	rows, err := db.pool.Query(ctx, `
		SELECT k.id, k.slug, k.name, cc.challenge_id IS NOT NULL
		FROM commons k
		LEFT JOIN challenge_commons cc ON cc.commons_id = k.id AND cc.challenge_id = $1 AND cc.relation = 'origine'
		ORDER BY cc.challenge_id IS NOT NULL DESC, k.name COLLATE "fr-x-icu", k.id LIMIT $2`, challengeID, MaxCommonsChoices)
	if err != nil {
		return origin, false, nil, fmt.Errorf("postgres: develop choices: %w", err)
	}
	type row struct {
		fabrique.CommonsChoice
		origin bool
	}
	all, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (row, error) {
		var c row
		err := r.Scan(&c.ID, &c.Slug, &c.Name, &c.origin)
		return c, err
	})
	if err != nil {
		return origin, false, nil, fmt.Errorf("postgres: develop choices: %w", err)
	}
	if len(all) > 0 && all[0].origin {
		return all[0].CommonsChoice, true, nil, nil
	}
	list = make([]fabrique.CommonsChoice, len(all))
	for i, c := range all {
		list[i] = c.CommonsChoice
	}
	return origin, false, list, nil
}

package postgres

import (
	"context"
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// MaxStatusNoteLen bounds the note of a status change, in characters.
const MaxStatusNoteLen = 2000

// ChangeStatus moves a défi to status to on behalf of actor, with note, by the rules of
// fabrique.CheckTransition. The défi's row is locked first, and the facts the rules look
// at (the accepted members, the framing) are read after the lock in the same
// transaction, so of two concurrent changes the second one is judged from the status the
// first one left. The change and its timeline entry are written together.
func (db *DB) ChangeStatus(ctx context.Context, challengeID int64, actor *fabrique.User, to fabrique.Status, note string) error {
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
		if err := fabrique.CheckTransition(from, to, note, a, facts); err != nil {
			return err
		}
		// Checked after the rules, so someone without the right learns nothing more.
		if utf8.RuneCountInString(note) > MaxStatusNoteLen {
			return &fabrique.Error{Code: fabrique.EINVALID, Message: "Le formulaire contient des erreurs.",
				Fields: map[string]string{"note": "La note ne doit pas dépasser 2 000 caractères."}}
		}
		if _, err := tx.Exec(ctx,
			`UPDATE challenges SET status = $2, updated_at = now() WHERE id = $1`, challengeID, string(to)); err != nil {
			return fmt.Errorf("postgres: update status: %w", err)
		}
		if _, err := tx.Exec(ctx,
			`INSERT INTO challenge_status_changes (challenge_id, from_status, to_status, note, user_id)
			 VALUES ($1, $2, $3, $4, $5)`, challengeID, string(from), string(to), note, actorID); err != nil {
			return fmt.Errorf("postgres: record status change: %w", err)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("postgres: change status of %d to %q: %w", challengeID, to, mapError(err))
	}
	return nil
}

// ChallengeTimeline returns every status change of a défi, oldest first, with who made it.
func (db *DB) ChallengeTimeline(ctx context.Context, challengeID int64) ([]fabrique.StatusChange, error) {
	rows, err := db.Pool.Query(ctx,
		`SELECT coalesce(s.from_status, ''), s.to_status, s.note, s.user_id, u.display_name, s.created_at
		 FROM challenge_status_changes s JOIN users u ON u.id = s.user_id
		 WHERE s.challenge_id = $1 ORDER BY s.created_at, s.id`, challengeID)
	if err != nil {
		return nil, fmt.Errorf("postgres: timeline: %w", err)
	}
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

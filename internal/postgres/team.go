package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// ChallengeMembers returns, in one query, the accepted members (the porteur first), the
// pending requests (oldest first) and viewerID's own row in any state, for the défi's page.
// viewerID 0 is an anonymous visitor.
func (db *DB) ChallengeMembers(ctx context.Context, challengeID, viewerID int64) ([]fabrique.TeamEntry, error) {
	rows, err := db.pool.Query(ctx, challengeMembersSQL, challengeID, viewerID)
	if err != nil {
		return nil, fmt.Errorf("postgres: challenge members: %w", err)
	}
	return scanChallengeMembers(rows)
}

// challengeMembersSQL is ChallengeMembers' query ($1 the défi, $2 the viewer), which
// ChallengePage sends in its batch too.
const challengeMembersSQL = `SELECT m.user_id, u.display_name, m.role, m.state, m.message, m.created_at, m.decided_at
		 FROM challenge_members m JOIN users u ON u.id = m.user_id
		 WHERE m.challenge_id = $1 AND (m.state IN ('accepted', 'pending') OR m.user_id = $2)
		 ORDER BY m.state = 'accepted' DESC, m.role = 'lead' DESC,
		          coalesce(m.decided_at, m.created_at), u.display_name, m.user_id`

// scanChallengeMembers reads (and closes) the rows of challengeMembersSQL.
func scanChallengeMembers(rows pgx.Rows) ([]fabrique.TeamEntry, error) {
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (fabrique.TeamEntry, error) {
		var e fabrique.TeamEntry
		err := r.Scan(&e.UserID, &e.DisplayName, &e.Role, &e.State, &e.Message, &e.AskedAt, &e.DecidedAt)
		return e, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: challenge members: %w", err)
	}
	return list, nil
}

// RequestToJoin records userID's request to join the team of a défi, with message. A
// person has one row per défi: asking again while pending updates the message; after a
// refusal or a departure the request is pending again. Someone already in the team (the
// porteur included) gets an ECONFLICT error, and a closed défi takes no request.
func (db *DB) RequestToJoin(ctx context.Context, challengeID, userID int64, message string) error {
	err := db.withTx(ctx, func(tx pgx.Tx) error {
		// The share lock keeps a concurrent closing from slipping between check and write.
		status, leadID, err := lockChallenge(ctx, tx, challengeID, "FOR SHARE")
		if err != nil {
			return err
		}
		if status == fabrique.StatusClosed {
			return fabrique.ErrJoinClosed
		}
		was, err := memberState(ctx, tx, challengeID, userID)
		if err != nil {
			return err
		}
		var state string
		err = tx.QueryRow(ctx,
			`INSERT INTO challenge_members AS m (challenge_id, user_id, role, state, message)
			 VALUES ($1, $2, 'member', 'pending', $3)
			 ON CONFLICT (challenge_id, user_id) DO UPDATE
			   SET state = 'pending', message = EXCLUDED.message, decided_at = NULL,
			       created_at = CASE WHEN m.state = 'pending' THEN m.created_at ELSE now() END
			   WHERE m.state <> 'accepted'
			 RETURNING m.state`, challengeID, userID, message).Scan(&state)
		if errors.Is(err, pgx.ErrNoRows) {
			return fabrique.ErrAlreadyInTeam
		} else if err != nil {
			return fmt.Errorf("postgres: join request: %w", err)
		}
		if was == fabrique.MemberPending { // a new message on a waiting request: told already
			return nil
		}
		slug, title, err := challengeNames(ctx, tx, challengeID)
		if err != nil {
			return err
		}
		name, err := userName(ctx, tx, userID)
		if err != nil {
			return err
		}
		return db.notify(ctx, tx, fabrique.JoinRequestNotification(leadID, slug, title, name))
	})
	if err != nil {
		return fmt.Errorf("postgres: request to join %d: %w", challengeID, mapError(err))
	}
	return nil
}

// DecideJoinRequest accepts or refuses userID's pending request to join a défi, on behalf
// of actor, who must be its porteur or a coordinator. The request row is locked, so of two
// concurrent decisions one wins and the other gets an ECONFLICT error.
func (db *DB) DecideJoinRequest(ctx context.Context, challengeID int64, actor *fabrique.User, userID int64, accept bool) error {
	err := db.withTx(ctx, func(tx pgx.Tx) error {
		status, leadID, err := lockChallenge(ctx, tx, challengeID, "FOR SHARE")
		if err != nil {
			return err
		}
		state, err := memberState(ctx, tx, challengeID, userID)
		if err != nil {
			return err
		}
		if err := fabrique.CheckJoinDecision(actor, accept, fabrique.TeamFacts{Status: status, LeadID: leadID, State: state}); err != nil {
			return err
		}
		next := fabrique.MemberRefused
		if accept {
			next = fabrique.MemberAccepted
		}
		if _, err := tx.Exec(ctx,
			`UPDATE challenge_members SET state = $3, decided_at = now() WHERE challenge_id = $1 AND user_id = $2`,
			challengeID, userID, next); err != nil {
			return fmt.Errorf("postgres: decide request: %w", err)
		}
		slug, title, err := challengeNames(ctx, tx, challengeID)
		if err != nil {
			return err
		}
		return db.notify(ctx, tx, fabrique.JoinDecidedNotification(userID, slug, title, accept))
	})
	if err != nil {
		return fmt.Errorf("postgres: decide join request %d/%d: %w", challengeID, userID, mapError(err))
	}
	return nil
}

// LeaveTeam takes userID out of a défi's team, or withdraws their pending request, and
// returns the state they were in (fabrique.MemberAccepted or MemberPending). The porteur cannot
// leave: they hand the role over first.
func (db *DB) LeaveTeam(ctx context.Context, challengeID, userID int64) (was string, err error) {
	err = db.withTx(ctx, func(tx pgx.Tx) error {
		// Shared with status changes, which count the members under an exclusive lock.
		if _, _, err := lockChallenge(ctx, tx, challengeID, "FOR SHARE"); err != nil {
			return err
		}
		state, role, err := lockMember(ctx, tx, challengeID, userID)
		if err != nil {
			return err
		}
		if err := fabrique.CheckLeaveTeam(state, role); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx,
			`UPDATE challenge_members SET state = 'left', decided_at = now() WHERE challenge_id = $1 AND user_id = $2`,
			challengeID, userID); err != nil {
			return fmt.Errorf("postgres: leave team: %w", err)
		}
		was = state
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("postgres: leave team %d: %w", challengeID, mapError(err))
	}
	return was, nil
}

// HandOverLead makes userID, an accepted member, the porteur of a défi on behalf of actor
// (the porteur or a coordinator); the former porteur stays in the team as a member. The
// former porteur is demoted before the new one is promoted, as the index
// challenge_members_one_lead allows one lead per défi at every moment.
func (db *DB) HandOverLead(ctx context.Context, challengeID int64, actor *fabrique.User, userID int64) error {
	err := db.withTx(ctx, func(tx pgx.Tx) error {
		_, leadID, err := lockChallenge(ctx, tx, challengeID, "FOR UPDATE")
		if err != nil {
			return err
		}
		state, err := memberState(ctx, tx, challengeID, userID)
		if err != nil {
			return err
		}
		if err := fabrique.CheckHandOver(actor, userID, fabrique.TeamFacts{LeadID: leadID, State: state}); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx,
			`UPDATE challenge_members SET role = 'member' WHERE challenge_id = $1 AND role = 'lead'`, challengeID); err != nil {
			return fmt.Errorf("postgres: demote porteur: %w", err)
		}
		if _, err := tx.Exec(ctx,
			`UPDATE challenge_members SET role = 'lead' WHERE challenge_id = $1 AND user_id = $2`, challengeID, userID); err != nil {
			return fmt.Errorf("postgres: promote porteur: %w", err)
		}
		if _, err := tx.Exec(ctx,
			`UPDATE challenges SET lead_id = $2, updated_at = now() WHERE id = $1`, challengeID, userID); err != nil {
			return fmt.Errorf("postgres: set porteur: %w", err)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("postgres: hand over challenge %d to %d: %w", challengeID, userID, mapError(err))
	}
	return nil
}

// lockChallenge locks the défi's row with lock ("FOR SHARE" or "FOR UPDATE") and returns
// its status and porteur, as they are once the lock is held.
func lockChallenge(ctx context.Context, tx pgx.Tx, challengeID int64, lock string) (fabrique.Status, int64, error) {
	var status fabrique.Status
	var leadID int64
	err := tx.QueryRow(ctx, `SELECT status, lead_id FROM challenges WHERE id = $1 `+lock, challengeID).Scan(&status, &leadID)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", 0, fabrique.ErrChallengeNotFound
	} else if err != nil {
		return "", 0, fmt.Errorf("postgres: lock challenge: %w", err)
	}
	return status, leadID, nil
}

// lockMember locks userID's row in the défi's team and returns its state and role, ""
// both when there is none: the rules say which answer that gets.
func lockMember(ctx context.Context, tx pgx.Tx, challengeID, userID int64) (state, role string, err error) {
	err = tx.QueryRow(ctx,
		`SELECT state, role FROM challenge_members WHERE challenge_id = $1 AND user_id = $2 FOR UPDATE`,
		challengeID, userID).Scan(&state, &role)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", "", nil
	} else if err != nil {
		return "", "", fmt.Errorf("postgres: lock member: %w", err)
	}
	return state, role, nil
}

// memberState locks userID's row in the défi's team and returns its state, "" when
// there is none: the decision rules say which answer that gets.
func memberState(ctx context.Context, tx pgx.Tx, challengeID, userID int64) (string, error) {
	state, _, err := lockMember(ctx, tx, challengeID, userID)
	return state, err
}

// AcceptedMember tells whether userID is an accepted member of the team of challengeID.
func (db *DB) AcceptedMember(ctx context.Context, challengeID, userID int64) (bool, error) {
	var ok bool
	err := db.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM challenge_members WHERE challenge_id = $1 AND user_id = $2 AND state = 'accepted')`,
		challengeID, userID).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("postgres: member of %d: %w", challengeID, err)
	}
	return ok, nil
}

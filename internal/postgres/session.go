package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/jackc/pgx/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// The sessions, in the sessions table (pgxstore's, migration 00002), read with their
// account in one query. Each row also carries the account it is logged in as (user_id,
// migration 00036), written from the session's own data at each commit, so that loading
// a logged-in person's session reads their account, its session epoch and their unread
// count in the same round trip: one query a request fewer. A server whose page cache is
// on keeps what this reads for a person's reads (internal/server's sessioncache.go);
// whatever revokes a session fences it (FenceSessions), so that a session deleted
// (logout) or an epoch raised (password changed) on one instance is refused by the next
// request on any other.

// sessionUserKey is the scs key of the logged-in account (the server's sessionUserID).
const sessionUserKey = "user_id"

// SessionPrefetch is what the store read with a session for the request carrying it.
type SessionPrefetch struct {
	Facts     OwnFactsKind // asked: read these of the account's OwnFacts too
	Cacheable bool         // a read (GET): its session may come from the server's cache

	Found  bool           // a live session was read
	UserID int64          // the account its row names (0: none, or a row older than 00036)
	User   *fabrique.User // that account, nil when it is gone (deleted or pseudonymised)
}

type sessionPrefetchKey struct{}

// OwnFactsKind says which of the OwnFacts a page needs, each a subquery more in the
// session's query: only what the page shows.
type OwnFactsKind int

const (
	FactsPlaces  OwnFactsKind = 1 << iota // the tiers-lieux they belong to
	FactsTeams                            // their rows in défis' teams
	FactsPledges                          // whether they made any pledge
	FactsFunder                           // their funder profile
)

// WithSessionPrefetch returns ctx carrying an empty prefetch, which the store fills when
// scs loads the session of the request; with facts, those of the account's OwnFacts too.
func WithSessionPrefetch(ctx context.Context, facts OwnFactsKind) (context.Context, *SessionPrefetch) {
	p := &SessionPrefetch{Facts: facts}
	return context.WithValue(ctx, sessionPrefetchKey{}, p), p
}

// SessionPrefetched returns the prefetch of ctx, nil if there is none.
func SessionPrefetched(ctx context.Context) *SessionPrefetch {
	p, _ := ctx.Value(sessionPrefetchKey{}).(*SessionPrefetch)
	return p
}

// sessionSQL reads a live session ($1 its token) with its account, if any, and their
// unread count, then the OwnFacts of each kind asked (its index), in the order of the kinds.
var sessionSQL = func() (q [16]string) {
	const selectPart = `
		SELECT s.data, coalesce(s.user_id, 0), u.id IS NOT NULL,
		       coalesce(u.id, 0), coalesce(u.email, ''), coalesce(u.display_name, ''), coalesce(u.password_hash, ''),
		       coalesce(u.role, ''), coalesce(u.created_at, 'epoch'), u.email_verified_at, coalesce(u.session_epoch, 0), coalesce(u.lang, ''),
		       CASE WHEN u.id IS NULL THEN 0 ELSE (SELECT count(*) FROM notifications n WHERE n.user_id = u.id AND n.read_at IS NULL) END`
	const fromPart = `
		  FROM sessions s LEFT JOIN users u ON u.id = s.user_id AND u.deleted_at IS NULL`
	const wherePart = `
		 WHERE s.token = $1 AND current_timestamp < s.expiry`
	for kinds := range q {
		sql, from := selectPart, fromPart
		if kinds&int(FactsPlaces) != 0 {
			// Their tiers-lieux's ids only, in order of id: ordering them as pages do (by
			// name, "fr-x-icu") cost as much as the rest of the query; the server reads the
			// places of a set of ids, in that order, from its data cache.
			sql += `,
		       array(SELECT pm.place_id FROM place_members pm WHERE pm.user_id = u.id ORDER BY pm.place_id)`
		}
		if kinds&int(FactsTeams) != 0 {
			// One "id role state" a row: one index-only scan (00041), not one per column.
			sql += `,
		       array(SELECT m.challenge_id || ' ' || m.role || ' ' || m.state FROM challenge_members m WHERE m.user_id = u.id)`
		}
		if kinds&int(FactsPledges) != 0 {
			sql += `,
		       EXISTS (SELECT 1 FROM pledges p WHERE p.user_id = u.id)`
		}
		if kinds&int(FactsFunder) != 0 {
			sql += `,
		       f.user_id IS NOT NULL, coalesce(f.kind, ''), coalesce(f.organisation, ''), coalesce(f.place_id, 0)`
			from += `
		  LEFT JOIN funders f ON f.user_id = u.id`
		}
		q[kinds] = sql + from + wherePart
	}
	return q
}()

// sessionStore is the scs store.
type sessionStore struct{ db *DB }

// SessionStore is the scs store of the sessions. It runs no cleanup of its own: the
// server calls DeleteExpiredSessions on its own schedule.
func (db *DB) SessionStore() scs.CtxStore { return sessionStore{db} }

func (s sessionStore) Find(token string) ([]byte, bool, error) {
	return s.FindCtx(context.Background(), token)
}

// FindCtx reads the session and, when its row names an account, that account and its
// unread count, for the prefetch of ctx.
func (s sessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	var (
		b       []byte
		userID  int64
		has     bool
		u       fabrique.User
		unread  int
		created time.Time
		own     fabrique.OwnFacts
		// teamRows are "challenge_id role state"
		teamRows []string
	)
	p := SessionPrefetched(ctx)
	var facts OwnFactsKind
	if p != nil {
		facts = p.Facts
	}
	dest := []any{&b, &userID, &has, &u.ID, &u.Email, &u.DisplayName, &u.PasswordHash, &u.Role, &created, &u.EmailVerifiedAt, &u.SessionEpoch, &u.Lang, &unread}
	if facts&FactsPlaces != 0 {
		dest = append(dest, &own.PlaceIDs)
	}
	if facts&FactsTeams != 0 {
		dest = append(dest, &teamRows)
	}
	if facts&FactsPledges != 0 {
		dest = append(dest, &own.Pledges)
	}
	var funder fabrique.Funder
	var hasFunder bool
	if facts&FactsFunder != 0 {
		dest = append(dest, &hasFunder, &funder.Kind, &funder.Organisation, &funder.PlaceID)
	}
	sql := sessionSQL[facts&(FactsPlaces|FactsTeams|FactsPledges|FactsFunder)]
	err := s.db.pool.QueryRow(ctx, sql, token).Scan(dest...)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, false, nil
	} else if err != nil {
		return nil, false, fmt.Errorf("postgres: find session: %w", err)
	}
	if p != nil {
		p.Found, p.UserID, p.User = true, userID, nil
		if has {
			u.CreatedAt, u.Unread = created, unread
			p.User = &u
		}
		if has && facts != 0 {
			own.PlacesKnown, own.TeamsKnown, own.PledgesKnown = facts&FactsPlaces != 0, facts&FactsTeams != 0, facts&FactsPledges != 0
			own.FunderKnown = facts&FactsFunder != 0
			if hasFunder {
				funder.UserID = u.ID
				own.Funder = &funder
			}
			own.Teams = make(map[int64]fabrique.TeamRow, len(teamRows))
			for _, row := range teamRows {
				f := strings.Fields(row)
				if len(f) != 3 {
					return nil, false, fmt.Errorf("postgres: find session: team row %q", row)
				}
				id, err := strconv.ParseInt(f[0], 10, 64)
				if err != nil {
					return nil, false, fmt.Errorf("postgres: find session: team row %q: %w", row, err)
				}
				own.Teams[id] = fabrique.TeamRow{Role: f[1], State: f[2]}
			}
			u.Own = &own
		}
	}
	return b, true, nil
}

func (s sessionStore) Commit(token string, b []byte, expiry time.Time) error {
	return s.CommitCtx(context.Background(), token, b, expiry)
}

// CommitCtx writes the session, and the account its data names.
func (s sessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	var userID *int64
	if _, values, err := (SessionCodec{}).Decode(b); err == nil {
		if id, ok := values[sessionUserKey].(int64); ok && id > 0 {
			userID = &id
		}
	}
	_, err := s.db.pool.Exec(ctx,
		`INSERT INTO sessions (token, data, expiry, user_id) VALUES ($1, $2, $3, $4)
		 ON CONFLICT (token) DO UPDATE SET data = EXCLUDED.data, expiry = EXCLUDED.expiry, user_id = EXCLUDED.user_id`,
		token, b, expiry, userID)
	if err != nil {
		return fmt.Errorf("postgres: commit session: %w", err)
	}
	return nil
}

func (s sessionStore) Delete(token string) error { return s.DeleteCtx(context.Background(), token) }

// DeleteCtx removes the session; a logged-in one (a logout, a new login) is a
// revocation, fenced (FenceSessions).
func (s sessionStore) DeleteCtx(ctx context.Context, token string) error {
	var loggedIn bool
	err := s.db.pool.QueryRow(ctx, `DELETE FROM sessions WHERE token = $1 RETURNING user_id IS NOT NULL`, token).Scan(&loggedIn)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	} else if err != nil {
		return fmt.Errorf("postgres: delete session: %w", err)
	}
	if loggedIn {
		s.db.FenceSessions(ctx)
	}
	return nil
}

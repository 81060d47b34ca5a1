package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

const userColumns = `id, email, display_name, password_hash, role, created_at, email_verified_at, session_epoch, lang`

// scanUser reads userColumns, then extra, the columns a query adds after them.
func scanUser(row pgx.Row, extra ...any) (*fabrique.User, error) {
	var u fabrique.User
	if err := row.Scan(append([]any{&u.ID, &u.Email, &u.DisplayName, &u.PasswordHash, &u.Role, &u.CreatedAt, &u.EmailVerifiedAt, &u.SessionEpoch, &u.Lang}, extra...)...); err != nil {
		return nil, err
	}
	return &u, nil
}

// CreateUser inserts u and sets its ID. An email already used, whatever its case, is an
// EINVALID error on the email field.
func (db *DB) CreateUser(ctx context.Context, u *fabrique.User) error {
	return createUser(ctx, db.pool, u)
}

func createUser(ctx context.Context, q DBTX, u *fabrique.User) error {
	if u.Role == "" {
		u.Role = fabrique.RoleContributor
	}
	if u.Lang == "" {
		u.Lang = "fr"
	}
	err := q.QueryRow(ctx,
		`INSERT INTO users (email, display_name, password_hash, role, lang) VALUES ($1, $2, $3, $4, $5)
		 RETURNING id, created_at`,
		u.Email, u.DisplayName, u.PasswordHash, u.Role, u.Lang).Scan(&u.ID, &u.CreatedAt)
	if isUniqueViolation(err, "users_email_key") {
		return fabrique.EmailTakenError()
	} else if err != nil {
		return fmt.Errorf("postgres: create user: %w", mapError(err))
	}
	return nil
}

// UserByID returns the account with id.
func (db *DB) UserByID(ctx context.Context, id int64) (*fabrique.User, error) {
	u, err := scanUser(db.pool.QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, id))
	if err != nil {
		return nil, fmt.Errorf("postgres: user %d: %w", id, mapError(err))
	}
	return u, nil
}

// SessionUser returns the account with id and how many of its notifications are unread,
// in one round trip: the logged-in person's header shows the count on every page.
func (db *DB) SessionUser(ctx context.Context, id int64) (*fabrique.User, error) {
	var unread int
	u, err := scanUser(db.pool.QueryRow(ctx,
		`SELECT `+userColumns+`,
		        (SELECT count(*) FROM notifications n WHERE n.user_id = users.id AND n.read_at IS NULL)
		   FROM users WHERE id = $1 AND deleted_at IS NULL`, id), &unread)
	if err != nil {
		return nil, fmt.Errorf("postgres: session user %d: %w", id, mapError(err))
	}
	u.Unread = unread
	return u, nil
}

// SetUserLang remembers the language the account id reads the site in.
func (db *DB) SetUserLang(ctx context.Context, id int64, lang string) error {
	if _, err := db.pool.Exec(ctx, `UPDATE users SET lang = $2 WHERE id = $1`, id, lang); err != nil {
		return fmt.Errorf("postgres: set lang of %d: %w", id, mapError(err))
	}
	return nil
}

// UserByEmail returns the account with email, compared without regard to case.
func (db *DB) UserByEmail(ctx context.Context, email string) (*fabrique.User, error) {
	u, err := scanUser(db.pool.QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE email = $1`, email))
	if err != nil {
		return nil, fmt.Errorf("postgres: user %q: %w", email, mapError(err))
	}
	return u, nil
}

// SetUserRole changes the role of the account with email.
func (db *DB) SetUserRole(ctx context.Context, email, role string) error {
	tag, err := db.pool.Exec(ctx, `UPDATE users SET role = $2 WHERE email = $1`, email, role)
	if err != nil {
		return fmt.Errorf("postgres: set role: %w", mapError(err))
	}
	if tag.RowsAffected() == 0 {
		return fabrique.ErrNoAccountWithEmail
	}
	db.FenceSessions(ctx) // the rights of their sessions changed
	return nil
}

// lockAddress takes a transaction-level lock on the attempts of ip, so that counting
// them and adding one is a single step for concurrent requests from that address.
func lockAddress(ctx context.Context, tx pgx.Tx, ip string) error {
	_, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('login_attempts ' || $1, 0))`, ip)
	return err
}

// TakeLoginAttempt counts a login attempt from ip on email before its password is
// checked: under a lock per address, it reads the failures of ip within the policy's
// window and, unless p says to wait, records the attempt, which stays a failure until
// LoginSucceeded. It returns the wait, 0 when the attempt was recorded and may be checked.
func (db *DB) TakeLoginAttempt(ctx context.Context, ip, email string, p fabrique.LoginPolicy) (time.Duration, error) {
	var wait time.Duration
	err := db.withTx(ctx, func(tx pgx.Tx) error {
		if err := lockAddress(ctx, tx, ip); err != nil {
			return err
		}
		var c fabrique.LoginCounts
		err := tx.QueryRow(ctx,
			`SELECT now(),
			        count(*) FILTER (WHERE email = $2),
			        coalesce(max(created_at) FILTER (WHERE email = $2), now()),
			        count(*),
			        coalesce(min(created_at), now())
			 FROM login_attempts
			 WHERE ip = $1 AND kind = 'login' AND created_at > now() - $3::interval`,
			ip, email, p.Window).Scan(&c.Now, &c.Account, &c.AccountLast, &c.Address, &c.AddressOldest)
		if err != nil {
			return err
		}
		if wait = p.Wait(c); wait > 0 {
			return nil
		}
		_, err = tx.Exec(ctx,
			`WITH pruned AS (DELETE FROM login_attempts WHERE kind = 'login' AND created_at < now() - $3::interval)
			 INSERT INTO login_attempts (kind, ip, email) VALUES ('login', $1, $2)`,
			ip, email, p.Window)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("postgres: take login attempt: %w", err)
	}
	return wait, nil
}

// LoginSucceeded forgets the failures of ip on email, the attempt just checked included:
// the failures of other addresses on the account stay.
func (db *DB) LoginSucceeded(ctx context.Context, ip, email string) error {
	if _, err := db.pool.Exec(ctx, `DELETE FROM login_attempts WHERE kind = 'login' AND ip = $1 AND email = $2`, ip, email); err != nil {
		return fmt.Errorf("postgres: forget login failures: %w", err)
	}
	return nil
}

// TakeSignUpAttempt counts a sign-up attempt from ip, under the same lock per address:
// when ip already made max attempts within window it returns how long to wait, and
// records nothing.
func (db *DB) TakeSignUpAttempt(ctx context.Context, ip string, limit int, window time.Duration) (time.Duration, error) {
	var wait time.Duration
	err := db.withTx(ctx, func(tx pgx.Tx) (err error) {
		wait, err = takeAddressAttempt(ctx, tx, "signup", ip, limit, window)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("postgres: take sign-up attempt: %w", err)
	}
	return wait, nil
}

// takeAddressAttempt counts an attempt of kind (sign-up, reset) from ip in tx, under the
// lock per address: when ip already made limit attempts within window it returns how long
// to wait and records nothing; else it records this one (and prunes the old ones).
func takeAddressAttempt(ctx context.Context, tx pgx.Tx, kind, ip string, limit int, window time.Duration) (time.Duration, error) {
	if err := lockAddress(ctx, tx, ip); err != nil {
		return 0, err
	}
	var (
		n           int
		now, oldest time.Time
	)
	if err := tx.QueryRow(ctx,
		`SELECT count(*), now(), coalesce(min(created_at), now())
		 FROM login_attempts WHERE ip = $1 AND kind = $2 AND created_at > now() - $3::interval`,
		ip, kind, window).Scan(&n, &now, &oldest); err != nil {
		return 0, err
	}
	if n >= limit {
		return max(oldest.Add(window).Sub(now), time.Second), nil
	}
	_, err := tx.Exec(ctx,
		`WITH pruned AS (DELETE FROM login_attempts WHERE kind = $2 AND created_at < now() - $3::interval)
		 INSERT INTO login_attempts (kind, ip) VALUES ($2, $1)`,
		ip, kind, window)
	return 0, err
}

// DeleteExpiredSessions removes the sessions past their expiry.
func (db *DB) DeleteExpiredSessions(ctx context.Context) error {
	if _, err := db.pool.Exec(ctx, `DELETE FROM sessions WHERE expiry < now()`); err != nil {
		return fmt.Errorf("postgres: delete expired sessions: %w", err)
	}
	return nil
}

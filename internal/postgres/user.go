package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

const userColumns = `id, email, display_name, password_hash, role, created_at`

func scanUser(row pgx.Row) (*fabrique.User, error) {
	var u fabrique.User
	if err := row.Scan(&u.ID, &u.Email, &u.DisplayName, &u.PasswordHash, &u.Role, &u.CreatedAt); err != nil {
		return nil, err
	}
	return &u, nil
}

// CreateUser inserts u and sets its ID. An email already used, whatever its case, is an
// EINVALID error on the email field.
func (db *DB) CreateUser(ctx context.Context, u *fabrique.User) error {
	if u.Role == "" {
		u.Role = fabrique.RoleContributor
	}
	err := db.Pool.QueryRow(ctx,
		`INSERT INTO users (email, display_name, password_hash, role) VALUES ($1, $2, $3, $4)
		 RETURNING id, created_at`,
		u.Email, u.DisplayName, u.PasswordHash, u.Role).Scan(&u.ID, &u.CreatedAt)
	if isUniqueViolation(err, "users_email_key") {
		return &fabrique.Error{Code: fabrique.EINVALID, Message: "Le formulaire contient des erreurs.",
			Fields: map[string]string{"email": "Un compte existe déjà avec cette adresse e-mail."}}
	} else if err != nil {
		return fmt.Errorf("postgres: create user: %w", mapError(err))
	}
	return nil
}

// UserByID returns the account with id.
func (db *DB) UserByID(ctx context.Context, id int64) (*fabrique.User, error) {
	u, err := scanUser(db.Pool.QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, id))
	if err != nil {
		return nil, fmt.Errorf("postgres: user %d: %w", id, mapError(err))
	}
	return u, nil
}

// UserByEmail returns the account with email, compared without regard to case.
func (db *DB) UserByEmail(ctx context.Context, email string) (*fabrique.User, error) {
	u, err := scanUser(db.Pool.QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE email = $1`, email))
	if err != nil {
		return nil, fmt.Errorf("postgres: user %q: %w", email, mapError(err))
	}
	return u, nil
}

// SetUserRole changes the role of the account with email.
func (db *DB) SetUserRole(ctx context.Context, email, role string) error {
	tag, err := db.Pool.Exec(ctx, `UPDATE users SET role = $2 WHERE email = $1`, email, role)
	if err != nil {
		return fmt.Errorf("postgres: set role: %w", mapError(err))
	}
	if tag.RowsAffected() == 0 {
		return fabrique.Errorf(fabrique.ENOTFOUND, "Aucun compte avec cette adresse e-mail.")
	}
	return nil
}

// LoginFailures counts the failed logins since since, from ip and on email.
func (db *DB) LoginFailures(ctx context.Context, ip, email string, since time.Time) (byIP, byEmail int, err error) {
	err = db.Pool.QueryRow(ctx,
		`SELECT (SELECT count(*) FROM login_failures WHERE ip = $1 AND created_at > $3),
		        (SELECT count(*) FROM login_failures WHERE email = $2 AND created_at > $3)`,
		ip, email, since).Scan(&byIP, &byEmail)
	if err != nil {
		return 0, 0, fmt.Errorf("postgres: count login failures: %w", err)
	}
	return byIP, byEmail, nil
}

// RecordLoginFailure notes a failed login and prunes the rows older than keep.
func (db *DB) RecordLoginFailure(ctx context.Context, ip, email string, keep time.Duration) error {
	_, err := db.Pool.Exec(ctx,
		`WITH pruned AS (DELETE FROM login_failures WHERE created_at < now() - $3::interval)
		 INSERT INTO login_failures (ip, email) VALUES ($1, $2)`,
		ip, email, keep)
	if err != nil {
		return fmt.Errorf("postgres: record login failure: %w", err)
	}
	return nil
}

// ClearLoginFailures forgets the failures on email after a successful login.
func (db *DB) ClearLoginFailures(ctx context.Context, email string) error {
	if _, err := db.Pool.Exec(ctx, `DELETE FROM login_failures WHERE email = $1`, email); err != nil {
		return fmt.Errorf("postgres: clear login failures: %w", err)
	}
	return nil
}

// DeleteExpiredSessions removes the sessions past their expiry.
func (db *DB) DeleteExpiredSessions(ctx context.Context) error {
	if _, err := db.Pool.Exec(ctx, `DELETE FROM sessions WHERE expiry < now()`); err != nil {
		return fmt.Errorf("postgres: delete expired sessions: %w", err)
	}
	return nil
}

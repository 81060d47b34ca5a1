package postgres

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// Account e-mails and the links they carry (DESIGN §3b, §5): a handler queues a job in
// its transaction; the job makes the e-mail (MakeAccountEmail) with a one-use token whose
// SHA-256 alone is kept; the link's page uses it (ResetPassword, UseEmailToken).

// queueAccountEmail queues e's making in tx. Without a job queue (some store tests),
// nothing is queued.
func (db *DB) queueAccountEmail(ctx context.Context, tx pgx.Tx, e fabrique.AccountEmail) error {
	if db.jobs == nil {
		return nil
	}
	if err := db.jobs.AccountEmail(ctx, tx, e); err != nil {
		return fmt.Errorf("postgres: queue %s e-mail: %w", e.Kind, err)
	}
	return nil
}

// SignUp creates u, as CreateUser, and queues the e-mail that verifies its address in the
// same transaction, written in lang.
func (db *DB) SignUp(ctx context.Context, u *fabrique.User, lang string) error {
	return db.withTx(ctx, func(tx pgx.Tx) error {
		if err := createUser(ctx, tx, u); err != nil {
			return err
		}
		return db.queueAccountEmail(ctx, tx, fabrique.AccountEmail{Kind: fabrique.EmailKindVerify, UserID: u.ID, Lang: lang})
	})
}

// RequestVerification queues a new verification link for the account id (a verified one
// gets none).
func (db *DB) RequestVerification(ctx context.Context, id int64, lang string) error {
	return db.withTx(ctx, func(tx pgx.Tx) error {
		return db.queueAccountEmail(ctx, tx, fabrique.AccountEmail{Kind: fabrique.EmailKindVerify, UserID: id, Lang: lang})
	})
}

// WarnAddressTaken queues the e-mail telling the owner of email that someone tried to
// sign up with it.
func (db *DB) WarnAddressTaken(ctx context.Context, email, lang string) error {
	return db.withTx(ctx, func(tx pgx.Tx) error {
		return db.queueAccountEmail(ctx, tx, fabrique.AccountEmail{Kind: fabrique.EmailKindSignupTaken, Email: email, Lang: lang})
	})
}

// RequestEmailChange queues the link that confirms newEmail for the account id, sent to
// newEmail: the address changes only when it is followed.
func (db *DB) RequestEmailChange(ctx context.Context, id int64, newEmail, lang string) error {
	return db.withTx(ctx, func(tx pgx.Tx) error {
		return db.queueAccountEmail(ctx, tx, fabrique.AccountEmail{Kind: fabrique.EmailKindEmailChange, UserID: id, NewEmail: newEmail, Lang: lang})
	})
}

// RequestPasswordReset counts a reset request from ip (limit per window, under the lock
// per address of logins) and, unless it must wait, queues the reset e-mail for email. It
// does the same whether email has an account: the job finds out, later.
func (db *DB) RequestPasswordReset(ctx context.Context, ip, email, lang string, limit int, window time.Duration) (time.Duration, error) {
	var wait time.Duration
	err := db.withTx(ctx, func(tx pgx.Tx) (err error) {
		if wait, err = takeAddressAttempt(ctx, tx, "reset", ip, limit, window); err != nil || wait > 0 {
			return err
		}
		return db.queueAccountEmail(ctx, tx, fabrique.AccountEmail{Kind: fabrique.EmailKindReset, Email: email, Lang: lang})
	})
	if err != nil {
		return 0, fmt.Errorf("postgres: request password reset: %w", err)
	}
	return wait, nil
}

// newToken is a random link token (256 bits, base64url) and the hash kept of it.
func newToken() (raw string, hash []byte) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("postgres: crypto/rand: %v", err)) // never fails on supported platforms
	}
	raw = base64.RawURLEncoding.EncodeToString(b)
	return raw, tokenHash(raw)
}

func tokenHash(raw string) []byte {
	h := sha256.Sum256([]byte(raw))
	return h[:]
}

// MakeAccountEmail makes the account e-mail e for job jobID, with render, into the
// outbox and queues its sending, in one transaction. It makes nothing — and says so with
// false — when the job already made its e-mail (a retry), when the account does not exist
// (a reset or sign-up warning for an unknown address), when the address is verified
// already (a verification), or when the account had its kind's MaxPerHour e-mails of the
// last hour. A link's token is made here and handed to render; only its hash is kept.
func (db *DB) MakeAccountEmail(ctx context.Context, jobID int64, e fabrique.AccountEmail, render func(r fabrique.Recipient, token string) (fabrique.EmailDraft, error)) (made bool, err error) {
	rule, ok := fabrique.AccountEmailRules[e.Kind]
	if !ok {
		return false, fmt.Errorf("postgres: account e-mail of unknown kind %q", e.Kind)
	}
	err = db.withTx(ctx, func(tx pgx.Tx) error {
		var done bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM emails WHERE job_id = $1)`, jobID).Scan(&done); err != nil || done {
			return err
		}
		// The account's row is locked: two jobs for one account count each other's e-mails.
		var (
			r        fabrique.Recipient
			verified bool
		)
		q, arg := `SELECT id, email, display_name, lang, email_verified_at IS NOT NULL FROM users WHERE id = $1 FOR UPDATE`, any(e.UserID)
		if e.UserID == 0 {
			q, arg = `SELECT id, email, display_name, lang, email_verified_at IS NOT NULL FROM users WHERE email = $1 FOR UPDATE`, e.Email
		}
		err := tx.QueryRow(ctx, q, arg).Scan(&r.UserID, &r.Email, &r.Name, &r.Lang, &verified)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		} else if err != nil {
			return err
		}
		if e.Kind == fabrique.EmailKindVerify && verified {
			return nil
		}
		var sent int
		if err := tx.QueryRow(ctx,
			`SELECT count(*) FROM emails WHERE user_id = $1 AND kind = $2 AND created_at > now() - interval '1 hour'`,
			r.UserID, e.Kind).Scan(&sent); err != nil {
			return err
		}
		if sent >= rule.MaxPerHour {
			return nil
		}
		switch e.Kind {
		case fabrique.EmailKindEmailChange:
			r.Email = e.NewEmail // the new address proves itself
		case fabrique.EmailKindEmailChanged:
			r.Email = e.Email // the old address is told
		}
		var raw string
		if rule.Token != "" {
			var hash []byte
			raw, hash = newToken()
			var newEmail *string
			if e.NewEmail != "" {
				newEmail = &e.NewEmail
			}
			if _, err := tx.Exec(ctx,
				`INSERT INTO account_tokens (token_hash, user_id, purpose, new_email, expires_at)
				 VALUES ($1, $2, $3, $4, now() + $5::interval)`,
				hash, r.UserID, string(rule.Token), newEmail, rule.Valid); err != nil {
				return err
			}
		}
		d, err := render(r, raw)
		if err != nil {
			return err
		}
		d.Kind = e.Kind
		id, err := db.insertEmail(ctx, tx, r, d)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE emails SET job_id = $2 WHERE id = $1`, id, jobID); err != nil {
			return err
		}
		made = true
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("postgres: make %s e-mail: %w", e.Kind, mapError(err))
	}
	return made, nil
}

// lockToken reads the unused, unexpired token raw of one of purposes, locked, in tx.
func lockToken(ctx context.Context, tx pgx.Tx, raw string, purposes ...fabrique.AccountTokenPurpose) (userID int64, purpose fabrique.AccountTokenPurpose, newEmail *string, err error) {
	names := make([]string, len(purposes))
	for i, p := range purposes {
		names[i] = string(p)
	}
	var p string
	err = tx.QueryRow(ctx,
		`SELECT user_id, purpose, new_email FROM account_tokens
		  WHERE token_hash = $1 AND purpose = ANY($2) AND used_at IS NULL AND expires_at > now()
		  FOR UPDATE`, tokenHash(raw), names).Scan(&userID, &p, &newEmail)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, "", nil, fabrique.ErrTokenInvalid
	}
	return userID, fabrique.AccountTokenPurpose(p), newEmail, err
}

// CheckAccountToken says whether raw is a usable token of purpose (nil) or not
// (fabrique.ErrTokenInvalid), using nothing: the page of a link shows its form only when
// the link still works.
func (db *DB) CheckAccountToken(ctx context.Context, raw string, purpose fabrique.AccountTokenPurpose) error {
	var ok bool
	err := db.pool.QueryRow(ctx,
		`SELECT EXISTS (SELECT 1 FROM account_tokens
		  WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now())`,
		tokenHash(raw), string(purpose)).Scan(&ok)
	if err != nil {
		return fmt.Errorf("postgres: check token: %w", mapError(err))
	}
	if !ok {
		return fabrique.ErrTokenInvalid
	}
	return nil
}

// ResetPassword uses the reset token raw: the account's password becomes hash, every
// reset link of the account stops working, every session of it ends (session_epoch), its
// address counts as verified (the link reached it), and its login failures are forgotten.
// It returns the account; a token unknown, used or expired is fabrique.ErrTokenInvalid.
func (db *DB) ResetPassword(ctx context.Context, raw, hash string) (*fabrique.User, error) {
	var u *fabrique.User
	err := db.withTx(ctx, func(tx pgx.Tx) error {
		userID, _, _, err := lockToken(ctx, tx, raw, fabrique.TokenReset)
		if err != nil {
			return err
		}
		if u, err = scanUser(tx.QueryRow(ctx,
			`UPDATE users SET password_hash = $2, session_epoch = session_epoch + 1,
			        email_verified_at = coalesce(email_verified_at, now())
			  WHERE id = $1 RETURNING `+userColumns, userID, hash)); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx,
			`UPDATE account_tokens SET used_at = now() WHERE user_id = $1 AND purpose = 'reset' AND used_at IS NULL`, userID); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `DELETE FROM login_attempts WHERE kind = 'login' AND email = $1`, u.Email)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: reset password: %w", mapError(err))
	}
	db.FenceSessions(ctx) // its sessions ended (session_epoch)
	return u, nil
}

// UseEmailToken uses a verification or e-mail change token raw. A verification marks the
// account's address verified; a change makes the new address the account's, verified,
// and queues the e-mail telling the old address (in lang). It returns the token's purpose
// and the account as it now is. A new address another account took meanwhile is
// fabrique.ErrEmailTakenOnConfirm, and nothing changes.
func (db *DB) UseEmailToken(ctx context.Context, raw, lang string) (fabrique.AccountTokenPurpose, *fabrique.User, error) {
	var (
		purpose fabrique.AccountTokenPurpose
		u       *fabrique.User
	)
	err := db.withTx(ctx, func(tx pgx.Tx) error {
		userID, p, newEmail, err := lockToken(ctx, tx, raw, fabrique.TokenVerify, fabrique.TokenEmail)
		if err != nil {
			return err
		}
		purpose = p
		if p == fabrique.TokenVerify {
			if u, err = scanUser(tx.QueryRow(ctx,
				`UPDATE users SET email_verified_at = coalesce(email_verified_at, now()) WHERE id = $1 RETURNING `+userColumns, userID)); err != nil {
				return err
			}
		} else {
			var old string
			if err := tx.QueryRow(ctx, `SELECT email FROM users WHERE id = $1 FOR UPDATE`, userID).Scan(&old); err != nil {
				return err
			}
			u, err = scanUser(tx.QueryRow(ctx,
				`UPDATE users SET email = $2, email_verified_at = now() WHERE id = $1 RETURNING `+userColumns, userID, *newEmail))
			if isUniqueViolation(err, "users_email_key") {
				return fabrique.ErrEmailTakenOnConfirm
			} else if err != nil {
				return err
			}
			if err := db.queueAccountEmail(ctx, tx, fabrique.AccountEmail{Kind: fabrique.EmailKindEmailChanged,
				UserID: userID, Email: old, NewEmail: *newEmail, Lang: lang}); err != nil {
				return err
			}
		}
		_, err = tx.Exec(ctx,
			`UPDATE account_tokens SET used_at = now() WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL`, userID, string(p))
		return err
	})
	if err != nil {
		return "", nil, fmt.Errorf("postgres: use e-mail token: %w", mapError(err))
	}
	return purpose, u, nil
}

// ChangePassword sets the account id's password to hash and ends every session of it;
// it returns the account as it now is (its new SessionEpoch, for the session kept).
func (db *DB) ChangePassword(ctx context.Context, id int64, hash string) (*fabrique.User, error) {
	u, err := scanUser(db.pool.QueryRow(ctx,
		`UPDATE users SET password_hash = $2, session_epoch = session_epoch + 1 WHERE id = $1 RETURNING `+userColumns, id, hash))
	if err != nil {
		return nil, fmt.Errorf("postgres: change password of %d: %w", id, mapError(err))
	}
	db.FenceSessions(ctx) // its sessions ended (session_epoch)
	return u, nil
}

// RenameUser sets the account id's display name.
func (db *DB) RenameUser(ctx context.Context, id int64, name string) error {
	if _, err := db.pool.Exec(ctx, `UPDATE users SET display_name = $2 WHERE id = $1`, id, name); err != nil {
		return fmt.Errorf("postgres: rename %d: %w", id, mapError(err))
	}
	return nil
}

// Accounts returns a page of the accounts, newest first, those whose name or address
// holds q (any case) when q is set, and how many match.
func (db *DB) Accounts(ctx context.Context, q string, limit, offset int) ([]*fabrique.User, int, error) {
	const where = `WHERE $1 = '' OR display_name ILIKE '%' || $1 || '%' OR email::text ILIKE '%' || $1 || '%'`
	var total int
	if err := db.pool.QueryRow(ctx, `SELECT count(*) FROM users `+where, q).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("postgres: count accounts: %w", mapError(err))
	}
	rows, err := db.pool.Query(ctx,
		`SELECT `+userColumns+` FROM users `+where+` ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3`, q, limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("postgres: accounts: %w", mapError(err))
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*fabrique.User, error) { return scanUser(r) })
	if err != nil {
		return nil, 0, fmt.Errorf("postgres: accounts: %w", mapError(err))
	}
	return list, total, nil
}

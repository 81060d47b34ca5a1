package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

const emailColumns = `id, user_id, to_address, kind, subject, text_body, html_body, message_id,
	coalesce(unsubscribe_token, ''), state, attempts, last_error, created_at, sent_at`

func scanEmail(row pgx.Row) (*fabrique.Email, error) {
	var e fabrique.Email
	var state string
	err := row.Scan(&e.ID, &e.UserID, &e.To, &e.Kind, &e.Subject, &e.Text, &e.HTML, &e.MessageID,
		&e.Unsubscribe, &state, &e.Attempts, &e.LastError, &e.CreatedAt, &e.SentAt)
	e.State = fabrique.EmailState(state)
	return &e, err
}

// insertEmail writes d to the outbox for r, in tx, and queues its sending there.
func (db *DB) insertEmail(ctx context.Context, tx pgx.Tx, r fabrique.Recipient, d fabrique.EmailDraft) (int64, error) {
	var token *string
	if d.UnsubscribeToken != "" {
		token = &d.UnsubscribeToken
	}
	var userID *int64
	if r.UserID != 0 {
		userID = &r.UserID
	}
	var id int64
	if err := tx.QueryRow(ctx,
		`INSERT INTO emails (user_id, to_address, kind, subject, text_body, html_body, message_id, unsubscribe_token)
		 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		userID, r.Email, d.Kind, d.Subject, d.Text, d.HTML, d.MessageID, token).Scan(&id); err != nil {
		return 0, fmt.Errorf("postgres: insert e-mail: %w", err)
	}
	if db.jobs != nil {
		if err := db.jobs.SendEmail(ctx, tx, id); err != nil {
			return 0, fmt.Errorf("postgres: queue e-mail %d: %w", id, err)
		}
	}
	return id, nil
}

// EmailNotification renders notification id into the outbox with render and queues its
// sending, in one transaction, and returns the e-mail's id. It is idempotent: a
// notification that already has its e-mail (a retried job) returns that one, rendering
// nothing; the notification's row is locked, so two concurrent jobs make one e-mail.
func (db *DB) EmailNotification(ctx context.Context, id int64, render func(fabrique.Notification, fabrique.Recipient) (fabrique.EmailDraft, error)) (emailID int64, created bool, err error) {
	err = db.withTx(ctx, func(tx pgx.Tx) error {
		var r fabrique.Recipient
		var n fabrique.Notification
		var kind, delivery string
		err := tx.QueryRow(ctx,
			`SELECT `+notificationColumns+`, u.email, u.display_name, u.lang
			   FROM notifications n JOIN users u ON u.id = n.user_id
			  WHERE n.id = $1 FOR UPDATE OF n`, id).
			Scan(&n.ID, &n.UserID, &kind, &n.Data, &n.URL, &delivery, &n.CreatedAt, &n.ReadAt, &n.EmailID, &r.Email, &r.Name, &r.Lang)
		if err != nil {
			return err
		}
		n.Kind, n.Delivery, r.UserID = fabrique.NotificationKind(kind), fabrique.Delivery(delivery), n.UserID
		if n.EmailID != nil {
			emailID = *n.EmailID
			return nil
		}
		d, err := render(n, r)
		if err != nil {
			return err
		}
		if emailID, err = db.insertEmail(ctx, tx, r, d); err != nil {
			return err
		}
		created = true
		_, err = tx.Exec(ctx, `UPDATE notifications SET email_id = $2 WHERE id = $1`, id, emailID)
		return err
	})
	if err != nil {
		return 0, false, fmt.Errorf("postgres: e-mail notification %d: %w", id, mapError(err))
	}
	return emailID, created, nil
}

// EmailDigests writes, for each person with digest notifications not yet e-mailed, one
// e-mail carrying them all (rendered by render), and queues its sending; a person with none
// gets nothing. Each person's digest is its own transaction, its notifications locked, so a
// concurrent run cannot put one notification in two digests. It returns the e-mails made.
func (db *DB) EmailDigests(ctx context.Context, render func(fabrique.Recipient, []fabrique.Notification) (fabrique.EmailDraft, error)) (int, error) {
	rows, err := db.pool.Query(ctx,
		`SELECT DISTINCT user_id FROM notifications WHERE delivery = 'resume' AND email_id IS NULL ORDER BY user_id`)
	if err != nil {
		return 0, fmt.Errorf("postgres: digest recipients: %w", err)
	}
	users, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return 0, fmt.Errorf("postgres: digest recipients: %w", err)
	}
	made := 0
	for _, userID := range users {
		err := db.withTx(ctx, func(tx pgx.Tx) error {
			r := fabrique.Recipient{UserID: userID}
			if err := tx.QueryRow(ctx, `SELECT email, display_name, lang FROM users WHERE id = $1`, userID).Scan(&r.Email, &r.Name, &r.Lang); err != nil {
				return err
			}
			rows, err := tx.Query(ctx,
				`SELECT `+notificationColumns+` FROM notifications n
				  WHERE n.user_id = $1 AND n.delivery = 'resume' AND n.email_id IS NULL
				  ORDER BY n.id FOR UPDATE`, userID)
			if err != nil {
				return err
			}
			ns, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (fabrique.Notification, error) { return scanNotification(r) })
			if err != nil || len(ns) == 0 {
				return err
			}
			d, err := render(r, ns)
			if err != nil {
				return err
			}
			emailID, err := db.insertEmail(ctx, tx, r, d)
			if err != nil {
				return err
			}
			ids := make([]int64, len(ns))
			for i, n := range ns {
				ids[i] = n.ID
			}
			if _, err := tx.Exec(ctx, `UPDATE notifications SET email_id = $2 WHERE id = ANY($1)`, ids, emailID); err != nil {
				return err
			}
			made++
			return nil
		})
		if err != nil {
			return made, fmt.Errorf("postgres: digest of %d: %w", userID, mapError(err))
		}
	}
	return made, nil
}

// Email returns the outbox's e-mail id.
func (db *DB) Email(ctx context.Context, id int64) (*fabrique.Email, error) {
	e, err := scanEmail(db.pool.QueryRow(ctx, `SELECT `+emailColumns+` FROM emails WHERE id = $1`, id))
	if err != nil {
		return nil, fmt.Errorf("postgres: e-mail %d: %w", id, mapError(err))
	}
	return e, nil
}

// Emails returns a page of the outbox, newest first, and how many e-mails it holds.
func (db *DB) Emails(ctx context.Context, limit, offset int) ([]*fabrique.Email, int, error) {
	var total int
	if err := db.pool.QueryRow(ctx, `SELECT count(*) FROM emails`).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("postgres: count e-mails: %w", err)
	}
	rows, err := db.pool.Query(ctx,
		`SELECT `+emailColumns+` FROM emails ORDER BY created_at DESC, id DESC LIMIT $1 OFFSET $2`, limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("postgres: e-mails: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*fabrique.Email, error) { return scanEmail(r) })
	if err != nil {
		return nil, 0, fmt.Errorf("postgres: e-mails: %w", err)
	}
	return list, total, nil
}

// MarkEmailSent records a delivered attempt. An account e-mail's link (a password reset,
// a verification) is then struck from the outbox's copy: coordinators read the outbox, and
// a link that works belongs to the mailbox alone. Kept e-mails (no SMTP server: make run)
// keep theirs, for that is how one follows them.
func (db *DB) MarkEmailSent(ctx context.Context, id int64) error {
	return db.markEmail(ctx, id,
		`UPDATE emails SET state = 'sent', sent_at = now(), attempts = attempts + 1, last_error = '',
		        text_body = regexp_replace(text_body, $2, '\1'||$3, 'g'),
		        html_body = regexp_replace(html_body, $2, '\1'||$3, 'g')
		  WHERE id = $1`, linkTokenPattern, fabrique.StruckToken)
}

// linkTokenPattern finds the token of an account e-mail's link; fabrique.StruckToken
// replaces it.
const linkTokenPattern = `(/mot-de-passe/|/verification/)[A-Za-z0-9_-]{20,}`

// MarkEmailFailed records a failed attempt and the server's answer.
func (db *DB) MarkEmailFailed(ctx context.Context, id int64, answer string) error {
	return db.markEmail(ctx, id,
		`UPDATE emails SET state = 'failed', attempts = attempts + 1, last_error = left($2, 1000) WHERE id = $1`, answer)
}

// MarkEmailKept records an e-mail that had nowhere to go (no SMTP server configured).
func (db *DB) MarkEmailKept(ctx context.Context, id int64) error {
	return db.markEmail(ctx, id, `UPDATE emails SET state = 'kept' WHERE id = $1 AND state <> 'sent'`)
}

func (db *DB) markEmail(ctx context.Context, id int64, sql string, args ...any) error {
	if _, err := db.pool.Exec(ctx, sql, append([]any{id}, args...)...); err != nil {
		return fmt.Errorf("postgres: mark e-mail %d: %w", id, mapError(err))
	}
	return nil
}

// ResendEmail puts a failed e-mail back in the queue and queues its sending; an e-mail
// in another state is ErrEmailNotFailed (sent ones are never sent twice).
func (db *DB) ResendEmail(ctx context.Context, id int64) error {
	err := db.withTx(ctx, func(tx pgx.Tx) error {
		var state string
		if err := tx.QueryRow(ctx, `SELECT state FROM emails WHERE id = $1 FOR UPDATE`, id).Scan(&state); err != nil {
			return err
		}
		if fabrique.EmailState(state) != fabrique.EmailFailed {
			return fabrique.ErrEmailNotFailed
		}
		if _, err := tx.Exec(ctx, `UPDATE emails SET state = 'queued' WHERE id = $1`, id); err != nil {
			return err
		}
		if db.jobs == nil {
			return errors.New("postgres: resend: no job queue")
		}
		return db.jobs.SendEmail(ctx, tx, id)
	})
	if err != nil {
		return fmt.Errorf("postgres: resend e-mail %d: %w", id, mapError(err))
	}
	return nil
}

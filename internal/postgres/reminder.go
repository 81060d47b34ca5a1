package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/i18n"
)

// Reminders on schedule (DESIGN §3b), written by the daily reminder job: a porteur·se of
// join requests and contributions waiting more than 7 days, coordinators of seed requests
// waiting as long, a funder of a promise unconfirmed 7 days before its call closes, a
// participant of a rendez-vous the day before. Each reminder is recorded in reminders in
// the transaction that writes its notification, so a run repeated — or rerun after a
// crash — reminds nothing twice.

// WaitingDays is how long a request waits before its decider is reminded.
const WaitingDays = 7

// remind writes n unless userID was already reminded of kind about key.
func (db *DB) remind(ctx context.Context, tx pgx.Tx, userID int64, key string, n fabrique.NewNotification) (bool, error) {
	tag, err := tx.Exec(ctx, `INSERT INTO reminders (user_id, kind, key) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
		userID, string(n.Kind), key)
	if err != nil || tag.RowsAffected() == 0 {
		return false, err
	}
	n.UserIDs = []int64{userID}
	return true, db.notify(ctx, tx, n)
}

// SendReminders writes, as of now, every reminder due and not yet sent, in one
// transaction, and returns how many it wrote.
func (db *DB) SendReminders(ctx context.Context, now time.Time) (int, error) {
	sent := 0
	paris := i18n.Paris
	today := now.In(paris)
	year, week := today.ISOWeek()
	weekKey := fmt.Sprintf("week:%d-W%02d", year, week)
	waitedSince := now.Add(-WaitingDays * 24 * time.Hour)
	err := db.withTx(ctx, func(tx pgx.Tx) error {
		type count struct {
			user int64
			n    int
			url  string
		}
		collect := func(sql string, args ...any) ([]count, error) {
			rows, err := tx.Query(ctx, sql, args...)
			if err != nil {
				return nil, err
			}
			return pgx.CollectRows(rows, func(r pgx.CollectableRow) (count, error) {
				var c count
				return c, r.Scan(&c.user, &c.n, &c.url)
			})
		}
		// Porteur·ses: join requests and contributions to validate, waiting > 7 days.
		waiting, err := collect(`
			SELECT c.lead_id, count(*)::int, '/espace'
			  FROM (SELECT challenge_id FROM challenge_members WHERE state = 'pending' AND created_at < $1
			        UNION ALL
			        SELECT challenge_id FROM contributions WHERE state = 'declaree' AND created_at < $1) w
			  JOIN challenges c ON c.id = w.challenge_id
			 GROUP BY c.lead_id ORDER BY c.lead_id`, waitedSince)
		if err != nil {
			return err
		}
		// Coordinators: seed requests waiting > 7 days (four eyes: none of their own).
		seeds, err := collect(`
			SELECT u.id, count(*)::int, '/coordination'
			  FROM users u JOIN seed_requests s ON s.state = 'pending' AND s.created_at < $1 AND s.requested_by <> u.id
			 WHERE u.role = 'coordinator'
			 GROUP BY u.id ORDER BY u.id`, waitedSince)
		if err != nil {
			return err
		}
		for _, c := range append(waiting, seeds...) {
			ok, err := db.remind(ctx, tx, c.user, weekKey, fabrique.WaitingReminderNotification(c.user, c.n, c.url))
			if err != nil {
				return err
			}
			if ok {
				sent++
			}
		}
		// Funders: a promise unconfirmed, its open call closing within 7 days (Paris days).
		rows, err := tx.Query(ctx, `
			SELECT p.id, p.user_id, p.amount, k.title, k.ends_on
			  FROM pledges p JOIN calls k ON k.id = p.call_id
			 WHERE p.state = 'promise' AND k.closed_at IS NULL
			   AND k.ends_on >= $1::date AND k.ends_on <= $1::date + 7
			 ORDER BY p.id`, today.Format(time.DateOnly))
		if err != nil {
			return err
		}
		type promise struct {
			id, user, amount int64
			call             string
			ends             time.Time
		}
		promises, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (promise, error) {
			var p promise
			return p, r.Scan(&p.id, &p.user, &p.amount, &p.call, &p.ends)
		})
		if err != nil {
			return err
		}
		for _, p := range promises {
			ok, err := db.remind(ctx, tx, p.user, fmt.Sprintf("pledge:%d", p.id),
				fabrique.PledgeReminderNotification(p.user, p.id, p.call, p.amount, p.ends.Format(time.DateOnly)))
			if err != nil {
				return err
			}
			if ok {
				sent++
			}
		}
		// Participants: the day before a rendez-vous (its start tomorrow, Paris day).
		tomorrow := time.Date(today.Year(), today.Month(), today.Day()+1, 0, 0, 0, 0, paris)
		rows, err = tx.Query(ctx,
			`SELECT `+eventColumns+`, r.user_id`+eventFrom+`
			   JOIN event_registrations r ON r.event_id = e.id AND r.state = 'inscrit'
			  WHERE e.cancelled_at IS NULL AND e.starts_at >= $1 AND e.starts_at < $2
			  ORDER BY e.id, r.user_id`, tomorrow, tomorrow.AddDate(0, 0, 1))
		if err != nil {
			return err
		}
		type seat struct {
			user  int64
			event *fabrique.Event
		}
		seats, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (seat, error) {
			var st seat
			var err error
			st.event, err = scanEvent(r, &st.user)
			return st, err
		})
		if err != nil {
			return err
		}
		for _, st := range seats {
			ok, err := db.remind(ctx, tx, st.user, fmt.Sprintf("event:%d", st.event.ID), fabrique.EventReminderNotification(st.user, st.event))
			if err != nil {
				return err
			}
			if ok {
				sent++
			}
		}
		return nil
	})
	if err != nil {
		return sent, fmt.Errorf("postgres: reminders: %w", mapError(err))
	}
	return sent, nil
}

package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// JobInserter queues the jobs that deliver notifications, in the transaction that writes
// them: a change rolled back queues nothing. internal/jobs implements it with river's
// InsertTx; the store only knows that a job exists.
type JobInserter interface {
	// DeliverNotification queues the rendering and sending of notification id at once.
	DeliverNotification(ctx context.Context, tx pgx.Tx, id int64) error
	// SendEmail queues the sending of the outbox's e-mail id.
	SendEmail(ctx context.Context, tx pgx.Tx, id int64) error
	// AccountEmail queues the making of an account e-mail (MakeAccountEmail) and its sending.
	AccountEmail(ctx context.Context, tx pgx.Tx, e fabrique.AccountEmail) error
}

// SetJobInserter gives the store the job queue; set once by app before serving.
func (db *DB) SetJobInserter(j JobInserter) { db.jobs = j }

// notify writes n for each of its users, in tx, the transaction of the change it tells:
// each row takes the person's preference for the kind (its default without one), and an
// immediate one queues its delivery job in the same transaction. The same person twice in
// UserIDs is told once; 0 ids are skipped (no one to tell).
func (db *DB) notify(ctx context.Context, tx pgx.Tx, n fabrique.NewNotification) error {
	info, ok := fabrique.KindInfo(n.Kind)
	if !ok {
		return fmt.Errorf("postgres: notify: unknown kind %q", n.Kind)
	}
	ids := make([]int64, 0, len(n.UserIDs))
	seen := map[int64]bool{}
	for _, id := range n.UserIDs {
		if id != 0 && !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	data := n.Data
	if data == nil {
		data = fabrique.NotificationData{}
	}
	rows, err := tx.Query(ctx,
		`INSERT INTO notifications (user_id, kind, data, url, delivery)
		 SELECT u.id, $2, $3, $4, coalesce(p.delivery, $5)
		   FROM unnest($1::bigint[]) AS u(id)
		   LEFT JOIN notification_preferences p ON p.user_id = u.id AND p.kind = $2
		 RETURNING id, delivery`,
		ids, string(n.Kind), data, n.URL, string(info.Default))
	if err != nil {
		return fmt.Errorf("postgres: notify %s: %w", n.Kind, err)
	}
	type written struct {
		id       int64
		delivery string
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (written, error) {
		var w written
		return w, r.Scan(&w.id, &w.delivery)
	})
	if err != nil {
		return fmt.Errorf("postgres: notify %s: %w", n.Kind, err)
	}
	if db.jobs == nil {
		return nil
	}
	for _, w := range list {
		if fabrique.Delivery(w.delivery) != fabrique.DeliverNow {
			continue
		}
		if err := db.jobs.DeliverNotification(ctx, tx, w.id); err != nil {
			return fmt.Errorf("postgres: queue notification %d: %w", w.id, err)
		}
	}
	return nil
}

// notifyAll writes each of ns in tx (see notify).
func (db *DB) notifyAll(ctx context.Context, tx pgx.Tx, ns ...fabrique.NewNotification) error {
	for _, n := range ns {
		if err := db.notify(ctx, tx, n); err != nil {
			return err
		}
	}
	return nil
}

const notificationColumns = `n.id, n.user_id, n.kind, n.data, n.url, n.delivery, n.created_at, n.read_at, n.email_id`

func scanNotification(row pgx.Row) (fabrique.Notification, error) {
	var n fabrique.Notification
	var kind, delivery string
	err := row.Scan(&n.ID, &n.UserID, &kind, &n.Data, &n.URL, &delivery, &n.CreatedAt, &n.ReadAt, &n.EmailID)
	n.Kind, n.Delivery = fabrique.NotificationKind(kind), fabrique.Delivery(delivery)
	return n, err
}

// UserNotifications returns userID's notifications, newest first.
func (db *DB) UserNotifications(ctx context.Context, userID int64, limit int) ([]fabrique.Notification, error) {
	return db.userNotifications(ctx, userID, limit, 0)
}

// UserNotificationsPage returns a page of the person's notifications, newest first, and
// how many they have.
func (db *DB) UserNotificationsPage(ctx context.Context, userID int64, limit, offset int) ([]fabrique.Notification, int, error) {
	var total int
	if err := db.pool.QueryRow(ctx, `SELECT count(*) FROM notifications WHERE user_id = $1`, userID).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("postgres: count notifications of %d: %w", userID, err)
	}
	list, err := db.userNotifications(ctx, userID, limit, offset)
	return list, total, err
}

func (db *DB) userNotifications(ctx context.Context, userID int64, limit, offset int) ([]fabrique.Notification, error) {
	rows, err := db.pool.Query(ctx,
		`SELECT `+notificationColumns+` FROM notifications n WHERE n.user_id = $1 ORDER BY n.id DESC LIMIT $2 OFFSET $3`, userID, limit, offset)
	if err != nil {
		return nil, fmt.Errorf("postgres: notifications of %d: %w", userID, err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (fabrique.Notification, error) { return scanNotification(r) })
	if err != nil {
		return nil, fmt.Errorf("postgres: notifications of %d: %w", userID, err)
	}
	return list, nil
}

// challengeNames reads a défi's slug and title, for a notification's facts and link.
func challengeNames(ctx context.Context, tx pgx.Tx, id int64) (slug, title string, err error) {
	if err := tx.QueryRow(ctx, `SELECT slug, title FROM challenges WHERE id = $1`, id).Scan(&slug, &title); err != nil {
		return "", "", fmt.Errorf("postgres: challenge names: %w", err)
	}
	return slug, title, nil
}

// userName reads a person's display name.
func userName(ctx context.Context, tx pgx.Tx, id int64) (string, error) {
	var name string
	if err := tx.QueryRow(ctx, `SELECT display_name FROM users WHERE id = $1`, id).Scan(&name); err != nil {
		return "", fmt.Errorf("postgres: user name: %w", err)
	}
	return name, nil
}

// coordinatorIDs lists the coordinators' accounts.
func coordinatorIDs(ctx context.Context, tx pgx.Tx) ([]int64, error) {
	rows, err := tx.Query(ctx, `SELECT id FROM users WHERE role = 'coordinator' ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("postgres: coordinators: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowTo[int64])
}

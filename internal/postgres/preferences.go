package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// NotificationPreferences returns userID's delivery for every kind: their choice, or the
// kind's default.
func (db *DB) NotificationPreferences(ctx context.Context, userID int64) (map[fabrique.NotificationKind]fabrique.Delivery, error) {
	prefs := make(map[fabrique.NotificationKind]fabrique.Delivery, len(fabrique.NotificationKinds))
	for _, k := range fabrique.NotificationKinds {
		prefs[k.Kind] = k.Default
	}
	rows, err := db.pool.Query(ctx, `SELECT kind, delivery FROM notification_preferences WHERE user_id = $1`, userID)
	if err != nil {
		return nil, fmt.Errorf("postgres: preferences: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k fabrique.NotificationKind
		var d fabrique.Delivery
		if err := rows.Scan(&k, &d); err != nil {
			return nil, fmt.Errorf("postgres: preferences: %w", err)
		}
		if _, known := prefs[k]; known {
			prefs[k] = d
		}
	}
	return prefs, rows.Err()
}

// SetNotificationPreferences records userID's choices, all in one transaction.
func (db *DB) SetNotificationPreferences(ctx context.Context, userID int64, prefs map[fabrique.NotificationKind]fabrique.Delivery) error {
	err := db.withTx(ctx, func(tx pgx.Tx) error {
		for k, d := range prefs {
			if _, err := tx.Exec(ctx, `
				INSERT INTO notification_preferences (user_id, kind, delivery) VALUES ($1, $2, $3)
				ON CONFLICT (user_id, kind) DO UPDATE SET delivery = EXCLUDED.delivery`, userID, string(k), string(d)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("postgres: set preferences: %w", mapError(err))
	}
	return nil
}

// MarkNotificationsRead marks every notification of userID read.
func (db *DB) MarkNotificationsRead(ctx context.Context, userID int64) error {
	if _, err := db.pool.Exec(ctx, `UPDATE notifications SET read_at = now() WHERE user_id = $1 AND read_at IS NULL`, userID); err != nil {
		return fmt.Errorf("postgres: mark read: %w", mapError(err))
	}
	return nil
}

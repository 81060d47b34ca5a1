package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// UnsubscribeKinds returns the kinds the e-mail of token stops: its own kind, or for a
// digest every kind its recipient receives in the digest. An unknown token, or an account
// e-mail's (which has none), is ENOTFOUND.
func (db *DB) UnsubscribeKinds(ctx context.Context, token string) ([]fabrique.NotificationKind, error) {
	var userID *int64
	var kind string
	err := db.pool.QueryRow(ctx, `SELECT user_id, kind FROM emails WHERE unsubscribe_token = $1`, token).Scan(&userID, &kind)
	if errors.Is(err, pgx.ErrNoRows) || err == nil && userID == nil {
		return nil, fabrique.Errorf(fabrique.ENOTFOUND, "")
	} else if err != nil {
		return nil, fmt.Errorf("postgres: unsubscribe token: %w", err)
	}
	if kind != fabrique.EmailKindDigest {
		return []fabrique.NotificationKind{fabrique.NotificationKind(kind)}, nil
	}
	chosen := map[fabrique.NotificationKind]fabrique.Delivery{}
	rows, err := db.pool.Query(ctx, `SELECT kind, delivery FROM notification_preferences WHERE user_id = $1`, *userID)
	if err != nil {
		return nil, fmt.Errorf("postgres: preferences: %w", err)
	}
	for rows.Next() {
		var k fabrique.NotificationKind
		var d fabrique.Delivery
		if err := rows.Scan(&k, &d); err != nil {
			rows.Close()
			return nil, fmt.Errorf("postgres: preferences: %w", err)
		}
		chosen[k] = d
	}
	rows.Close()
	var kinds []fabrique.NotificationKind
	for _, k := range fabrique.NotificationKinds {
		d, ok := chosen[k.Kind]
		if !ok {
			d = k.Default
		}
		if d == fabrique.DeliverDigest {
			kinds = append(kinds, k.Kind)
		}
	}
	return kinds, nil
}

// Unsubscribe sets the kinds the e-mail of token stops to "on the site only", for its
// recipient, and returns them. Doing it twice changes nothing more.
func (db *DB) Unsubscribe(ctx context.Context, token string) ([]fabrique.NotificationKind, error) {
	kinds, err := db.UnsubscribeKinds(ctx, token)
	if err != nil {
		return nil, err
	}
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = string(k)
	}
	_, err = db.pool.Exec(ctx, `
		INSERT INTO notification_preferences (user_id, kind, delivery)
		SELECT e.user_id, k, 'site' FROM emails e, unnest($2::text[]) AS k
		WHERE e.unsubscribe_token = $1 AND e.user_id IS NOT NULL
		ON CONFLICT (user_id, kind) DO UPDATE SET delivery = 'site'`, token, names)
	if err != nil {
		return nil, fmt.Errorf("postgres: unsubscribe: %w", mapError(err))
	}
	return kinds, nil
}

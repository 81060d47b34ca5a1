package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// audit records a privileged decision in the audit trail, inside the decision's
// transaction so the trail never misses nor invents one.
func audit(ctx context.Context, tx pgx.Tx, userID int64, action, targetType string, targetID int64, detail string) error {
	_, err := tx.Exec(ctx,
		`INSERT INTO audit_log (user_id, action, target_type, target_id, detail, created_at)
		 VALUES ($1, $2, $3, $4, $5, coalesce($6::timestamptz, now()))`,
		nullable(userID), action, targetType, nullable(targetID), detail, backdated(ctx))
	if err != nil {
		return fmt.Errorf("postgres: audit %s: %w", action, err)
	}
	return nil
}

// AuditTrail returns the latest decisions, newest first.
func (db *DB) AuditTrail(ctx context.Context, limit, offset int) ([]fabrique.AuditEntry, error) {
	rows, err := db.pool.Query(ctx,
		`SELECT a.id, coalesce(u.display_name, ''), a.action, a.target_type, coalesce(a.target_id, 0), a.detail, a.created_at
		 FROM audit_log a LEFT JOIN users u ON u.id = a.user_id
		 ORDER BY a.created_at DESC, a.id DESC LIMIT $1 OFFSET $2`, limit, offset)
	if err != nil {
		return nil, fmt.Errorf("postgres: audit trail: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (fabrique.AuditEntry, error) {
		var e fabrique.AuditEntry
		err := r.Scan(&e.ID, &e.UserName, &e.Action, &e.TargetType, &e.TargetID, &e.Detail, &e.At)
		return e, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: audit trail: %w", err)
	}
	return list, nil
}

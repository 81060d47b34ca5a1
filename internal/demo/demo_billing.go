package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/postgres"
)

// demoBilling names the association on its statements, gives the team members who logged
// paid days a billing profile of each kind — a CAE at 20 %, a micro-entrepreneur in
// franchise, an employer lending someone — and has the CAE contributor ask for a statement
// of their validated, unpaid days. It runs once: once the association is named, it does
// nothing.
func demoBilling(ctx context.Context, db *postgres.DB, pool *pgxpool.Pool, now time.Time) error {
	settings, err := db.BillingSettings(ctx)
	if err != nil || settings.Complete() {
		return err
	}
	coord, err := db.UserByEmail(ctx, CoordinatorEmail)
	if err != nil {
		return err
	}
	if err := db.SaveBillingSettings(ctx, coord, fabrique.BillingSettings{LegalName: "Association de la Fabrique à communs (démo)",
		Address: "12 rue des Tanneurs\n23200 Aubusson", SIREN: "812345676"}); err != nil {
		return fmt.Errorf("billing settings: %w", err)
	}
	// Team members, those with validated paid days first.
	rows, err := pool.Query(ctx, `SELECT m.user_id FROM challenge_members m
		LEFT JOIN contributions k ON k.user_id = m.user_id AND NOT k.volunteer AND k.state = 'validee'
		WHERE m.state = 'accepted' GROUP BY m.user_id ORDER BY count(k.id) DESC, m.user_id LIMIT 3`)
	if err != nil {
		return err
	}
	var authors []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return err
		}
		authors = append(authors, id)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	profiles := []fabrique.BillingProfile{
		{Kind: fabrique.BillingCAE, LegalName: "Coopérative d’activité Les Ouvrages (démo)", SIRET: "79876543200017",
			VATNumber: "FR63798765432", VATRegime: fabrique.VATLiable, VATRate: 2000},
		{Kind: fabrique.BillingMicro, LegalName: "Atelier Brindille (démo)", SIRET: "88345612300016", VATRegime: fabrique.VATFranchise},
		{Kind: fabrique.BillingEmployer, LegalName: "Tiers-lieu La Grange (démo)", SIRET: "81234567900011", VATRegime: fabrique.VATExempt},
	}
	for i, id := range authors {
		if _, err := db.SaveBillingProfile(ctx, id, profiles[i]); err != nil {
			return fmt.Errorf("billing profile: %w", err)
		}
	}
	if len(authors) == 0 {
		return nil
	}
	// The CAE contributor asks for a statement of one défi's validated days.
	var ids []int64
	rows, err = pool.Query(ctx, `SELECT id FROM contributions WHERE user_id = $1 AND state = 'validee' AND NOT volunteer
		AND statement_id IS NULL AND challenge_id = (SELECT min(challenge_id) FROM contributions
		    WHERE user_id = $1 AND state = 'validee' AND NOT volunteer) ORDER BY id`, authors[0])
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return err
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil || len(ids) == 0 {
		return err
	}
	if _, err := db.CreateStatement(ctx, authors[0], ids, now); err != nil {
		return fmt.Errorf("statement: %w", err)
	}
	return nil
}

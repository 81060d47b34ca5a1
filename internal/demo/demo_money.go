package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/postgres"
)

// demoMoney gives the demo a year of money, through the platform's own rules and store
// methods (so the ledger is what real use would have written): the year's seed fund,
// two seed budgets approved, contributions declared, validated, one paid, one volunteer.
// It runs once: when the year's fund exists, it does nothing. The two défis are picked
// on pool, the demo's own.
func demoMoney(ctx context.Context, db *postgres.DB, pool *pgxpool.Pool, now time.Time) error {
	year := now.Year()
	fund, err := db.SeedFund(ctx, year)
	if err != nil {
		return err
	}
	if fund.Total > 0 {
		return nil
	}
	coord, err := db.UserByEmail(ctx, CoordinatorEmail)
	if err != nil {
		return err
	}
	if _, err := db.SetSeedFund(ctx, coord, year, 12000_00); err != nil {
		return fmt.Errorf("seed fund: %w", err)
	}
	rows, err := pool.Query(ctx, `
		SELECT c.id, c.lead_id,
		       (SELECT array_agg(m.user_id ORDER BY m.decided_at, m.user_id) FROM challenge_members m
		         WHERE m.challenge_id = c.id AND m.state = 'accepted' AND m.role = 'member')
		FROM challenges c WHERE c.status IN ('equipe', 'prefiguration')
		ORDER BY c.created_at LIMIT 2`)
	if err != nil {
		return err
	}
	type team struct {
		id, lead int64
		members  []int64
	}
	teams, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (team, error) {
		var t team
		err := r.Scan(&t.id, &t.lead, &t.members)
		return t, err
	})
	if err != nil {
		return err
	}
	day := func(d int) time.Time { return now.AddDate(0, 0, -d) }
	for i, t := range teams {
		lead, err := db.UserByID(ctx, t.lead)
		if err != nil {
			return err
		}
		plan := "- Documentation du problème sur Movilab : 4 jours\n- Ateliers avec trois tiers-lieux : 6 jours\n- Synthèse et cahier des charges : 3 jours"
		if _, err := db.RequestSeedBudget(ctx, t.id, lead, 3000_00, plan); err != nil {
			return fmt.Errorf("seed request: %w", err)
		}
		if _, err := db.DecideSeedRequest(ctx, t.id, coord, fabrique.SeedDecision{Approve: true, Year: year}); err != nil {
			return fmt.Errorf("seed decision: %w", err)
		}
		if len(t.members) == 0 {
			continue
		}
		member := t.members[0]
		logged := []struct {
			user      int64
			quarters  int
			activity  string
			desc      string
			volunteer bool
			validate  bool
			pay       bool
		}{
			{member, 8, "documentation", "Fiches des cas d’usage sur Movilab.", false, true, i == 0},
			{member, 6, "animation", "Atelier de préfiguration avec les tiers-lieux voisins.", false, true, false},
			{t.lead, 2, "coordination", "Réunion d’équipe et compte rendu.", true, false, false},
			{member, 4, "design", "Maquettes des premiers écrans.", false, false, false},
		}
		for j, l := range logged {
			rec, err := db.CreateContribution(ctx, t.id, l.user, fabrique.Contribution{
				WorkedOn: day(30 - 5*j), Quarters: l.quarters, Activity: l.activity, Description: l.desc, Volunteer: l.volunteer})
			if err != nil {
				return fmt.Errorf("contribution: %w", err)
			}
			if l.validate {
				if _, _, err := db.ValidateContribution(ctx, rec.ID, lead); err != nil {
					return fmt.Errorf("validate: %w", err)
				}
			}
			if l.pay {
				if _, _, err := db.PayContribution(ctx, rec.ID, coord, fmt.Sprintf("VIR-%d-%03d", year, rec.ID), day(10)); err != nil {
					return fmt.Errorf("pay: %w", err)
				}
			}
		}
	}
	return nil
}

// demoCommonsUses declares which demo tiers-lieux use which commun, so the cartographie
// shows it. Idempotent by the primary key.
func demoCommonsUses(ctx context.Context, pool *pgxpool.Pool) error {
	_, err := pool.Exec(ctx, `
		INSERT INTO commons_places (commons_id, place_id)
		SELECT m.id, p.id FROM commons m
		JOIN places p ON (m.slug = 'movilab')
		              OR (m.slug = 'dokos' AND p.region IN ('Auvergne-Rhône-Alpes', 'Bretagne', 'Occitanie'))
		              OR (m.slug = 'cahier-d-activites' AND p.region IN ('Nouvelle-Aquitaine', 'Hauts-de-France', 'La Réunion'))
		              OR (m.slug = 'loot' AND p.region IN ('Île-de-France', 'Grand Est'))
		ON CONFLICT DO NOTHING`)
	if err != nil {
		return fmt.Errorf("commons uses: %w", err)
	}
	return nil
}

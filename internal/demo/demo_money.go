package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/postgres"
)

// demoMoney gives the demo a year of money, through the platform's own rules and store
// methods (so the ledger is what real use would have written): the year's seed fund,
// two seed budgets approved, contributions declared, validated, one paid, one volunteer.
// It runs once: when the two défis have a seed request, it does nothing. The two défis
// are picked on pool, the demo's own.
//
// Each step is dated after the one it depends on, from the day each défi's team formed
// in the story (itself relative to now): the store dates the ledger and the journal at
// the step's time (postgres.Backdated), and the demo dates the rows that record the
// decisions (redate), which the store writes at now().
func demoMoney(ctx context.Context, db *postgres.DB, pool *pgxpool.Pool, now time.Time) error {
	coord, err := db.UserByEmail(ctx, CoordinatorEmail)
	if err != nil {
		return err
	}
	rows, err := pool.Query(ctx, `
		SELECT c.id, c.lead_id,
		       (SELECT array_agg(m.user_id ORDER BY m.decided_at, m.user_id) FROM challenge_members m
		         WHERE m.challenge_id = c.id AND m.state = 'accepted' AND m.role = 'member'),
		       (SELECT min(s.created_at) FROM challenge_status_changes s WHERE s.challenge_id = c.id AND s.to_status = 'equipe'),
		       EXISTS (SELECT 1 FROM seed_requests r WHERE r.challenge_id = c.id)
		FROM challenges c WHERE c.status IN ('equipe', 'prefiguration')
		ORDER BY c.created_at LIMIT 2`)
	if err != nil {
		return err
	}
	type team struct {
		id, lead int64
		members  []int64
		formed   time.Time
		asked    bool
	}
	teams, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (team, error) {
		var t team
		err := r.Scan(&t.id, &t.lead, &t.members, &t.formed, &t.asked)
		return t, err
	})
	if err != nil {
		return err
	}
	if len(teams) == 0 || teams[0].asked {
		return nil
	}

	// The seed fund of the year of the first approval, allocated before it; and the
	// current year's, on its second day, when the story began the year before.
	firstApproval := seedApproval(teams[0].formed)
	fundYear := parisDay(firstApproval).Year()
	for _, year := range []int{fundYear, now.Year()} {
		if f, err := db.SeedFund(ctx, year); err != nil {
			return err
		} else if f.Total > 0 {
			continue
		}
		at := time.Date(year, time.January, 2, 9, 0, 0, 0, time.UTC)
		if year == fundYear {
			at = maxTime(at, firstApproval.Add(-30*day))
		}
		if !at.Before(now) {
			at = now.Add(-time.Hour)
		}
		if _, err := db.SetSeedFund(postgres.Backdated(ctx, at), coord, year, 12000_00); err != nil {
			return fmt.Errorf("seed fund: %w", err)
		}
	}

	for i, t := range teams {
		lead, err := db.UserByID(ctx, t.lead)
		if err != nil {
			return err
		}
		asked := daytime(t.formed.Add(10 * day))
		approved := seedApproval(t.formed)
		plan := "- Documentation du problème sur Movilab : 4 jours\n- Ateliers avec trois tiers-lieux : 6 jours\n- Synthèse et cahier des charges : 3 jours"
		reqID, err := db.RequestSeedBudget(postgres.Backdated(ctx, asked), t.id, lead, 3000_00, plan)
		if err != nil {
			return fmt.Errorf("seed request: %w", err)
		}
		if _, err := db.DecideSeedRequest(postgres.Backdated(ctx, approved), t.id, coord,
			fabrique.SeedDecision{Approve: true, Year: parisDay(approved).Year()}); err != nil {
			return fmt.Errorf("seed decision: %w", err)
		}
		if err := redate(ctx, pool, "seed_requests", reqID, "created_at", asked, "decided_at", approved); err != nil {
			return err
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
			// A day worked a week or more after the approval, declared the next evening,
			// validated by the porteur three days later, paid by the coordination two
			// weeks after that.
			worked := parisDay(approved.AddDate(0, 0, 7+5*j))
			declared := worked.Add(day + 18*time.Hour)
			validated := daytime(declared.Add(3 * day))
			paid := parisDay(validated.Add(14 * day))
			rec, err := db.CreateContribution(ctx, t.id, l.user, fabrique.Contribution{
				WorkedOn: worked, Quarters: l.quarters, Activity: l.activity, Description: l.desc, Volunteer: l.volunteer})
			if err != nil {
				return fmt.Errorf("contribution: %w", err)
			}
			if err := redate(ctx, pool, "contributions", rec.ID, "created_at", declared); err != nil {
				return err
			}
			if l.validate {
				if _, _, err := db.ValidateContribution(postgres.Backdated(ctx, validated), rec.ID, lead); err != nil {
					return fmt.Errorf("validate: %w", err)
				}
				if err := redate(ctx, pool, "contributions", rec.ID, "validated_at", validated); err != nil {
					return err
				}
			}
			if l.pay {
				if _, _, err := db.PayContribution(postgres.Backdated(ctx, paid.Add(10*time.Hour)), rec.ID, coord,
					fmt.Sprintf("VIR-%d-%03d", paid.Year(), rec.ID), paid); err != nil {
					return fmt.Errorf("pay: %w", err)
				}
			}
		}
	}
	return nil
}

// seedApproval is when the coordination approves the seed budget of a défi whose team
// formed at formed: ten days to ask, six to decide.
func seedApproval(formed time.Time) time.Time {
	return daytime(daytime(formed.Add(10 * day)).Add(6 * day))
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// redate sets the time columns of the row id of table, given as pairs of a column and
// its time: the store writes them at now(), the demo at the story's time. table and the
// columns are the demo's literals.
func redate(ctx context.Context, pool *pgxpool.Pool, table string, id int64, pairs ...any) error {
	set := make([]string, 0, len(pairs)/2)
	args := []any{id}
	for k := 0; k+1 < len(pairs); k += 2 {
		args = append(args, pairs[k+1])
		set = append(set, fmt.Sprintf("%s = $%d", pairs[k], len(args)))
	}
	if _, err := pool.Exec(ctx, `UPDATE `+table+` SET `+strings.Join(set, ", ")+` WHERE id = $1`, args...); err != nil {
		return fmt.Errorf("redate %s %d: %w", table, id, err)
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

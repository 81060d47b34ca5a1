package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/postgres"
)

// The développement phase of the demo: the communs born of the défis in développement
// (Loot and Dokos) publish their development steps, the coordination runs the call
// "Appel à communs 2026" with the tiers-lieux matching rule, and two funders — a
// tiers-lieu and a fondation — pledge to the steps, some pledges confirmed, some still
// promises, one anonymous. Everything goes through the store's methods, so the ledger
// and the audit trail are what real use would have written.

// demoDevStep is a development step as the demo publishes it; its dates count in days
// from the day the demo is loaded.
type demoDevStep struct {
	Title, Description string
	Goal               int64 // cents
	StartIn, Days      int
}

// demoDevSteps are the steps of each commun, by slug.
var demoDevSteps = map[string][]demoDevStep{
	"loot": {
		{Title: "Déclarer ses contributions hors ligne, depuis un téléphone",
			Description: "Une application web installable qui garde les déclarations quand le réseau manque (granges, fablabs en sous-sol, Outre-mer) et les envoie au retour de la connexion.\n\n- saisie en moins d’une minute ;\n- synchronisation sans doublon ;\n- tests avec trois lieux de l’équipe.",
			Goal:        8000_00, StartIn: 7, Days: 90},
		{Title: "Exporter les rétributions vers la comptabilité",
			Description: "Un export des rétributions validées au format attendu par les logiciels comptables libres (dont Dokos), pour ne plus ressaisir les paiements.",
			Goal:        6000_00, StartIn: 45, Days: 75},
	},
	"dokos": {
		{Title: "Un plan comptable associatif pour les tiers-lieux",
			Description: "Un plan comptable et des modèles de saisie adaptés aux tiers-lieux associatifs (buvette, adhésions, locations d’espaces, prestations), livrés avec Dokos et documentés sur Movilab.",
			Goal:        7000_00, StartIn: 10, Days: 80},
		{Title: "Suivre les subventions par projet",
			Description: "Rattacher recettes et dépenses aux subventions fléchées et produire les comptes rendus financiers que demandent les financeurs.",
			Goal:        9000_00, StartIn: 30, Days: 120},
	},
}

// The demo call and its funders.
const (
	demoCallOpenDays   = 30 // the call opened this many days before the demo is loaded
	demoCallTitle      = "Appel à communs 2026"
	demoPlaceFunder    = "marc.dubois@demo.fabrique.example" // for Le Moulin des Possibles
	demoPlaceName      = "Le Moulin des Possibles"           // a demo place Marc belongs to
	demoFoundation     = "helene.garnier@demo.fabrique.example"
	demoFoundationName = "Fondation Terres de Communs"
)

// demoDevPledge is a pledge of the demo: who, which step (by commun and title), how much,
// and whether the coordination has received the funds.
type demoDevPledge struct {
	Funder, Commons, Step string
	Amount                int64
	Anonymous, Confirmed  bool
	Message, Key          string
}

var demoDevPledges = []demoDevPledge{
	{Funder: demoPlaceFunder, Commons: "loot", Step: "Déclarer ses contributions hors ligne, depuis un téléphone",
		Amount: 1500_00, Confirmed: true, Key: "demo-appel-2026-1",
		Message: "Au Moulin, la moitié des bénévoles n’ont pas de réseau à l’atelier : nous serons lieu pilote."},
	{Funder: demoFoundation, Commons: "loot", Step: "Exporter les rétributions vers la comptabilité",
		Amount: 3000_00, Confirmed: true, Key: "demo-appel-2026-2",
		Message: "La fondation soutient la reconnaissance du travail bénévole."},
	{Funder: demoFoundation, Commons: "dokos", Step: "Un plan comptable associatif pour les tiers-lieux",
		Amount: 2500_00, Confirmed: true, Key: "demo-appel-2026-3"},
	{Funder: demoPlaceFunder, Commons: "dokos", Step: "Un plan comptable associatif pour les tiers-lieux",
		Amount: 1000_00, Key: "demo-appel-2026-4",
		Message: "Nous tenons nos comptes sur un tableur : vivement le plan comptable partagé."},
	{Funder: demoFoundation, Commons: "dokos", Step: "Suivre les subventions par projet",
		Amount: 2000_00, Anonymous: true, Key: "demo-appel-2026-5"},
}

// demoDevelopment loads the développement phase of the demo. It runs once: when a call
// exists, it does nothing. Steps already published under the same title are reused, and
// pledges carry fixed idempotency keys, so a run interrupted before the call was created
// can be run again.
//
// The call opened a month ago for two months; the steps were published before it, the
// pledges made in its first weeks and confirmed days later, as demoMoney dates its
// decisions (postgres.Backdated for the ledger and the journal, redate for the rows).
func demoDevelopment(ctx context.Context, db *postgres.DB, pool *pgxpool.Pool, now time.Time) error {
	calls, err := db.Calls(ctx)
	if err != nil {
		return err
	}
	if len(calls) > 0 {
		return nil
	}
	coord, err := db.UserByEmail(ctx, CoordinatorEmail)
	if err != nil {
		return err
	}
	today := parisDay(now)
	opens := today.AddDate(0, 0, -demoCallOpenDays)
	published := opens.Add(-12*day + 10*time.Hour) // the steps
	launched := opens.Add(-5*day + 11*time.Hour)   // the call

	// The steps of the communs the défis in développement gave rise to, published by the
	// défi's porteur.
	challenges, _, err := db.Challenges(ctx, fabrique.ChallengeFilter{Status: fabrique.StatusDevelopment, Limit: 100})
	if err != nil {
		return err
	}
	stepIDs := map[string]map[string]int64{} // commun slug → step title → id
	var order []int64                        // the steps in the order they join the call
	for _, c := range challenges {
		linked, err := db.ChallengeCommons(ctx, c.ID)
		if err != nil {
			return err
		}
		lead, err := db.UserByID(ctx, c.LeadID)
		if err != nil {
			return err
		}
		for _, l := range linked {
			planned, ok := demoDevSteps[l.Slug]
			if l.Relation != "origine" || !ok || stepIDs[l.Slug] != nil {
				continue
			}
			ids, err := demoCommonsSteps(postgres.Backdated(ctx, published), db, pool, l.ID, lead, planned, today, published)
			if err != nil {
				return fmt.Errorf("steps of %s: %w", l.Slug, err)
			}
			stepIDs[l.Slug] = ids
			for _, s := range planned {
				order = append(order, ids[s.Title])
			}
		}
	}
	if len(order) == 0 {
		return nil // no demo défi in développement: nothing to co-finance
	}

	// The call, open today for two months, with the rule of the tiers-lieux programmes.
	call, err := db.CreateCall(postgres.Backdated(ctx, launched), coord, fabrique.NewCall{
		Title: demoCallTitle,
		Description: "Le premier appel à cofinancement de la Fabrique : les communs nés des défis de l’année publient leurs prochaines étapes de développement, et tiers-lieux, collectivités, fondations, entreprises et particuliers les financent ensemble.\n\n" +
			"**Règle d’abondement** : chaque euro promis par un tiers-lieu apporte un euro de plus au commun, pris sur l’enveloppe de l’appel, dans la limite de 5 000 € par commun. L’abondement est versé à la clôture, pour les fonds effectivement reçus.",
		StartsOn: opens,
		EndsOn:   opens.AddDate(0, 2, 0),
		Rule:     fabrique.MatchRule{Percent: 100, Kinds: []string{fabrique.FunderKindPlace}, Cap: 5000_00, Pool: 10000_00},
		// The IBAN of the examples of the French banking standard: valid, and nobody's.
		Payment: fabrique.PaymentInstructions{Payee: "Compagnie des Tiers-Lieux", IBAN: "FR7630006000011234567890189", ReferencePrefix: "APPEL-2026"},
	})
	if err != nil {
		return fmt.Errorf("call: %w", err)
	}
	if err := redate(ctx, pool, "calls", call.ID, "created_at", launched); err != nil {
		return err
	}
	for _, id := range order {
		if _, err := db.AddCallStep(postgres.Backdated(ctx, launched), coord, call.ID, id); err != nil {
			return fmt.Errorf("call step %d: %w", id, err)
		}
	}
	if _, err := pool.Exec(ctx, `UPDATE call_steps SET created_at = $2 WHERE call_id = $1`, call.ID, launched); err != nil {
		return fmt.Errorf("call steps: %w", err)
	}

	// Two funders: a tiers-lieu (its place is one of its account's) and a fondation.
	funders := map[string]*fabrique.User{}
	for _, email := range []string{demoPlaceFunder, demoFoundation} {
		if funders[email], err = db.UserByEmail(ctx, email); err != nil {
			return fmt.Errorf("funder %s: %w", email, err)
		}
	}
	place, err := db.PlaceBySlug(ctx, fabrique.Slugify(demoPlaceName))
	if err != nil {
		return fmt.Errorf("place %s: %w", demoPlaceName, err)
	}
	profiles := map[string]fabrique.Funder{
		demoPlaceFunder: {UserID: funders[demoPlaceFunder].ID, Kind: fabrique.FunderKindPlace, Organisation: demoPlaceName, PlaceID: place.ID},
		demoFoundation:  {UserID: funders[demoFoundation].ID, Kind: "fondation", Organisation: demoFoundationName},
	}
	for email, f := range profiles {
		if _, err := db.SaveFunder(ctx, f); err != nil {
			return fmt.Errorf("funder profile of %s: %w", email, err)
		}
		if _, err := pool.Exec(ctx, `UPDATE funders SET created_at = $2, updated_at = $2 WHERE user_id = $1`,
			f.UserID, opens.Add(day+9*time.Hour)); err != nil {
			return fmt.Errorf("funder profile of %s: %w", email, err)
		}
	}

	// The pledges, one every four days from the call's third day; the coordination
	// confirms the funds it received six days after each.
	for k, p := range demoDevPledges {
		made := daytime(opens.AddDate(0, 0, 2+4*k).Add(time.Duration(7*k) * time.Hour))
		confirmed := daytime(made.Add(6 * day))
		stepID, ok := stepIDs[p.Commons][p.Step]
		if !ok {
			return fmt.Errorf("pledge %s: no step %q of %s", p.Key, p.Step, p.Commons)
		}
		rec, _, err := db.CreatePledge(postgres.Backdated(ctx, made), fabrique.NewPledge{
			StepID: stepID, UserID: funders[p.Funder].ID, Kind: profiles[p.Funder].Kind,
			Amount: p.Amount, Anonymous: p.Anonymous, Message: p.Message, IdempotencyKey: p.Key, Today: parisDay(made),
		})
		if err != nil {
			return fmt.Errorf("pledge %s: %w", p.Key, err)
		}
		if err := redate(ctx, pool, "pledges", rec.ID, "created_at", made, "updated_at", made); err != nil {
			return err
		}
		if p.Confirmed {
			if _, _, err := db.ConfirmPledge(postgres.Backdated(ctx, confirmed), rec.ID, coord, p.Amount); err != nil {
				return fmt.Errorf("confirm pledge %s: %w", p.Key, err)
			}
			if err := redate(ctx, pool, "pledges", rec.ID, "decided_at", confirmed, "updated_at", confirmed); err != nil {
				return err
			}
		}
	}
	return nil
}

// demoCommonsSteps publishes on behalf of lead, at published, the planned steps of the
// commun that it does not have yet (by title), and returns the ids of all of them by title.
func demoCommonsSteps(ctx context.Context, db *postgres.DB, pool *pgxpool.Pool, commonsID int64, lead *fabrique.User, planned []demoDevStep, today, published time.Time) (map[string]int64, error) {
	existing, err := db.CommonsSteps(ctx, commonsID)
	if err != nil {
		return nil, err
	}
	ids := map[string]int64{}
	for _, st := range existing {
		ids[st.Title] = st.ID
	}
	for _, s := range planned {
		if _, ok := ids[s.Title]; ok {
			continue
		}
		start := today.AddDate(0, 0, s.StartIn)
		st, err := db.CreateStep(ctx, commonsID, lead, fabrique.Step{
			Title: s.Title, Description: s.Description, Goal: s.Goal,
			StartsOn: start, EndsOn: start.AddDate(0, 0, s.Days),
		})
		if err != nil {
			return nil, err
		}
		if err := redate(ctx, pool, "steps", st.ID, "created_at", published); err != nil {
			return nil, err
		}
		ids[s.Title] = st.ID
	}
	return ids, nil
}

// parisDay is the day of t in Paris, the Fabrique's calendar (UTC without time zone
// data), as a date at midnight UTC: what decides whether a call is open.
func parisDay(t time.Time) time.Time {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		loc = time.UTC
	}
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

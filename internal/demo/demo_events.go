package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/i18n"
	"github.com/fabrique-a-communs/fabrique/internal/postgres"
)

// demoEvents writes the rendez-vous of the demo through the store: a past « Ressources &
// vous » on Loot with its attendance and minutes, one to come on Dokos with people
// registered, and a résidence contributive on Movilab at La Grange Partagée, attended,
// whose days were logged on its défi by participants — one of them outside its team.
// Nothing is written when rendez-vous exist already.
func demoEvents(ctx context.Context, db *postgres.DB, pool *pgxpool.Pool, now time.Time) error {
	var n int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM events`).Scan(&n); err != nil || n > 0 {
		return err
	}
	users := map[string]*fabrique.User{}
	user := func(email string) (*fabrique.User, error) {
		if u, ok := users[email]; ok {
			return u, nil
		}
		u, err := db.UserByEmail(ctx, email)
		users[email] = u
		return u, err
	}
	coord, err := user(CoordinatorEmail)
	if err != nil {
		return err
	}
	today := parisDay(now)
	at := func(days int, hour, minute int) time.Time {
		d := today.AddDate(0, 0, days)
		return time.Date(d.Year(), d.Month(), d.Day(), hour, minute, 0, 0, i18n.Paris)
	}
	create := func(org *fabrique.User, f fabrique.EventForm, start, end time.Time) (*fabrique.Event, error) {
		f.StartsAt, f.EndsAt = start.Format(fabrique.EventTimeLayout), end.Format(fabrique.EventTimeLayout)
		if err := f.Validate(); err != nil {
			return nil, fmt.Errorf("event %q: %w", f.Title, err)
		}
		e, err := db.CreateEvent(postgres.Backdated(ctx, start.AddDate(0, 0, -21)), org, f)
		if err != nil {
			return nil, fmt.Errorf("event %q: %w", f.Title, err)
		}
		return e, redate(ctx, pool, "events", e.ID, "created_at", start.AddDate(0, 0, -21), "updated_at", start.AddDate(0, 0, -21))
	}
	register := func(e *fabrique.Event, when time.Time, emails ...string) error {
		for i, email := range emails {
			u, err := user(email)
			if err != nil {
				return err
			}
			if _, _, err := db.RegisterForEvent(ctx, e.ID, u.ID, "", when.Add(time.Duration(i)*time.Hour)); err != nil {
				return fmt.Errorf("register %s: %w", email, err)
			}
		}
		return nil
	}
	present := func(e *fabrique.Event, emails ...string) error {
		var ids []int64
		for _, email := range emails {
			u, err := user(email)
			if err != nil {
				return err
			}
			ids = append(ids, u.ID)
		}
		_, err := db.RecordAttendance(ctx, coord, e.ID, ids)
		return err
	}

	// A past « Ressources & vous » on Loot, with who came, its minutes and its replay.
	loot, err := create(coord, fabrique.EventForm{Kind: fabrique.EventRessources, Title: "Prendre en main Loot",
		Summary:     "Une heure et demie pour découvrir Loot, l’outil qui compte les contributions d’un collectif, et l’installer pour son lieu.",
		Description: "Au programme :\n\n1. ce que Loot compte, et ce qu’il ne compte pas ;\n2. une démonstration sur un collectif fictif ;\n3. l’installation pour votre lieu, pas à pas.",
		CommonsSlug: "loot", Online: true, VisioURL: "https://visio.fabrique.example/loot-prise-en-main", Capacity: "20"},
		at(-45, 14, 0), at(-45, 15, 30))
	if err != nil {
		return err
	}
	if err := register(loot, at(-52, 10, 0), "nadia.benali@demo.fabrique.example", "lea.fontaine@demo.fabrique.example",
		"elodie.payet@demo.fabrique.example", "julien.mercier@demo.fabrique.example", "sophie.martin@demo.fabrique.example"); err != nil {
		return err
	}
	if err := present(loot, "nadia.benali@demo.fabrique.example", "lea.fontaine@demo.fabrique.example",
		"elodie.payet@demo.fabrique.example", "sophie.martin@demo.fabrique.example"); err != nil {
		return err
	}
	if err := db.SetEventMinutes(ctx, loot.ID, "## Ce que nous avons vu\n\n- Loot distingue le temps **bénévole** du temps **rétribué** ; les deux se déclarent en moins d’une minute.\n- La Grange Partagée l’utilise depuis le printemps pour ses chantiers participatifs.\n\n## Suites\n\n- Kaz Komun et la Ressourcerie Créative l’installent en janvier.\n- Une question reste ouverte : l’export vers la comptabilité (voir le défi « Mutualiser la comptabilité des petits tiers-lieux »).",
		"https://replay.fabrique.example/loot-prise-en-main"); err != nil {
		return err
	}

	// A « Ressources & vous » to come on Dokos, with people registered.
	dokos, err := create(coord, fabrique.EventForm{Kind: fabrique.EventRessources, Title: "Découvrir Dokos pour gérer son tiers-lieu",
		Summary:     "Réservations, adhésions, facturation : une session pour voir ce que Dokos fait pour un tiers-lieu, et comment l’essayer.",
		CommonsSlug: "dokos", Online: true, VisioURL: "https://visio.fabrique.example/dokos-decouverte", Capacity: "15"},
		at(12, 10, 0), at(12, 11, 30))
	if err != nil {
		return err
	}
	if err := register(dokos, now.Add(-72*time.Hour), "thomas.legall@demo.fabrique.example", "marc.dubois@demo.fabrique.example",
		"amelie.roux@demo.fabrique.example"); err != nil {
		return err
	}

	// A résidence contributive on Movilab at La Grange Partagée, three days three weeks ago,
	// organised by the porteuse of the défi it serves.
	lea, err := user("lea.fontaine@demo.fabrique.example")
	if err != nil {
		return err
	}
	start := at(-22, 9, 0)
	residency, err := create(lea, fabrique.EventForm{Kind: fabrique.EventResidence, Title: "Résidence Movilab à la Grange",
		Summary:     "Trois jours à la Grange Partagée pour documenter sur Movilab les résidences contributives : comment les accueillir, les financer, en garder la trace.",
		Description: "Hébergement sur place (cinq couchages), repas partagés. Apportez un ordinateur ; les pages Movilab s’écrivent à plusieurs.",
		CommonsSlug: "movilab", ChallengeSlug: fabrique.Slugify("Accueillir des résidences contributives"),
		PlaceSlug: fabrique.Slugify("La Grange Partagée"), Capacity: "8"},
		start, start.AddDate(0, 0, 2).Add(8*time.Hour))
	if err != nil {
		return err
	}
	if err := register(residency, start.AddDate(0, 0, -10), "amelie.roux@demo.fabrique.example", "marc.dubois@demo.fabrique.example",
		"karim.haddad@demo.fabrique.example", "yannick.morvan@demo.fabrique.example"); err != nil {
		return err
	}
	if err := present(residency, "amelie.roux@demo.fabrique.example", "marc.dubois@demo.fabrique.example", "karim.haddad@demo.fabrique.example"); err != nil {
		return err
	}
	days := []struct {
		email    string
		day      int
		quarters int
		activity string
		what     string
	}{
		{"karim.haddad@demo.fabrique.example", 0, 4, "documentation", "Page Movilab « Accueillir une résidence contributive » : plan et premières sections."},
		{"karim.haddad@demo.fabrique.example", 1, 4, "documentation", "Fiches pratiques : hébergement, repas, assurance."},
		{"amelie.roux@demo.fabrique.example", 1, 2, "animation", "Animation de l’atelier d’écriture collective."},
		{"marc.dubois@demo.fabrique.example", 2, 3, "documentation", "Relecture et mise en ligne des pages."},
	}
	for _, d := range days {
		u, err := user(d.email)
		if err != nil {
			return err
		}
		worked := start.AddDate(0, 0, d.day)
		declared := worked.AddDate(0, 0, 1).Add(9 * time.Hour) // the next evening
		rec, err := db.LogContribution(postgres.Backdated(ctx, declared), residency.ChallengeIDOrZero(), u.ID, fabrique.Contribution{
			WorkedOn: time.Date(worked.Year(), worked.Month(), worked.Day(), 0, 0, 0, 0, time.UTC), Quarters: d.quarters,
			Activity: d.activity, Description: d.what, Volunteer: true, EventID: residency.ID}, 0)
		if err != nil {
			return fmt.Errorf("residency day of %s: %w", d.email, err)
		}
		if err := redate(ctx, pool, "contributions", rec.ID, "created_at", declared); err != nil {
			return err
		}
		if d.email == "karim.haddad@demo.fabrique.example" {
			if _, _, err := db.ValidateContribution(postgres.Backdated(ctx, worked.AddDate(0, 0, 4)), rec.ID, lea); err != nil {
				return fmt.Errorf("validate residency day: %w", err)
			}
		}
	}
	return nil
}

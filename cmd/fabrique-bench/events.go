package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/fabrique-a-communs/fabrique/internal/benchdata"
	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/i18n"
)

// benchEvents is how many rendez-vous the bench keeps ahead: 200 at any size, over the
// coming eight weeks (the movement's agenda is made by a coordination, not in
// proportion to the défis).
const benchEvents = 200

// ensureEvents gives the bench the rendez-vous of the coming weeks. The data is loaded
// once, with the dates of its generation, so the rendez-vous to come are made here,
// relative to today, when fewer than half of benchEvents lie ahead: « Ressources & vous »
// about a commun (online, 20 seats), résidences contributives about a défi at a tiers-lieu
// (three days, 12 seats), ateliers online without a limit — through the store, as the
// coordination makes them — with three people registered to each. It returns how many
// lie ahead.
func (b *bench) ensureEvents(ctx context.Context) (int, error) {
	var ahead int
	if err := b.sql.QueryRow(ctx, `SELECT count(*) FROM events WHERE starts_at > now() AND cancelled_at IS NULL`).Scan(&ahead); err != nil {
		return 0, fmt.Errorf("rendez-vous ahead: %w", err)
	}
	if ahead >= benchEvents/2 {
		return ahead, nil
	}
	db := b.app.DB
	coord, err := db.UserByEmail(ctx, benchdata.CoordinatorEmail)
	if err != nil {
		return 0, fmt.Errorf("the coordinator: %w", err)
	}
	slugs := func(query string) ([]string, error) {
		rows, err := b.sql.Query(ctx, query, benchEvents)
		if err != nil {
			return nil, err
		}
		return pgx.CollectRows(rows, pgx.RowTo[string])
	}
	commons, err1 := slugs(`SELECT slug FROM commons ORDER BY id LIMIT $1`)
	challenges, err2 := slugs(`SELECT slug FROM challenges WHERE status = 'developpement' ORDER BY id LIMIT $1`)
	places, err3 := slugs(`SELECT slug FROM places ORDER BY id LIMIT $1`)
	if err1 != nil || err2 != nil || err3 != nil || len(commons) == 0 || len(challenges) == 0 || len(places) == 0 {
		return 0, fmt.Errorf("what the rendez-vous are about: %v %v %v", err1, err2, err3)
	}
	rows, err := b.sql.Query(ctx, `SELECT id FROM users WHERE role = 'contributor' ORDER BY id DESC LIMIT 90`)
	if err != nil {
		return 0, err
	}
	people, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return 0, err
	}
	now := time.Now()
	today := now.In(i18n.Paris)
	at := func(days, hour int) time.Time {
		d := today.AddDate(0, 0, days)
		return time.Date(d.Year(), d.Month(), d.Day(), hour, 0, 0, 0, i18n.Paris)
	}
	for i := range benchEvents {
		day := 1 + i*56/benchEvents
		f := fabrique.EventForm{Summary: "Un rendez-vous de la Fabrique à communs : présenter, essayer, décider ensemble de la suite."}
		start, end := at(day, 10), at(day, 12)
		switch i % 3 {
		case 0:
			f.Kind, f.CommonsSlug, f.Online, f.Capacity = fabrique.EventRessources, commons[i%len(commons)], true, "20"
			f.VisioURL = "https://visio.fabrique.example/bench-" + fmt.Sprint(i)
			f.Title = "Ressources & vous : prendre en main " + commons[i%len(commons)]
		case 1:
			f.Kind, f.ChallengeSlug, f.PlaceSlug, f.Capacity = fabrique.EventResidence, challenges[i%len(challenges)], places[i%len(places)], "12"
			f.Title = "Résidence contributive : " + challenges[i%len(challenges)]
			start, end = at(day, 9), at(day+2, 17)
		default:
			f.Kind, f.Online = fabrique.EventAtelier, true
			f.VisioURL = "https://visio.fabrique.example/atelier-" + fmt.Sprint(i)
			f.Title = "Atelier ouvert : documenter " + commons[(i+7)%len(commons)]
		}
		f.Title = truncate(f.Title, fabrique.MaxEventTitleLen)
		f.StartsAt, f.EndsAt = start.Format(fabrique.EventTimeLayout), end.Format(fabrique.EventTimeLayout)
		if err := f.Validate(); err != nil {
			return 0, fmt.Errorf("rendez-vous %q: %w", f.Title, err)
		}
		e, err := db.CreateEvent(ctx, coord, f)
		if err != nil {
			return 0, fmt.Errorf("rendez-vous %q: %w", f.Title, err)
		}
		for k := range 3 {
			if _, _, err := db.RegisterForEvent(ctx, e.ID, people[(3*i+k)%len(people)], "", now); err != nil {
				return 0, fmt.Errorf("register to %q: %w", f.Title, err)
			}
		}
	}
	fmt.Fprintf(b.out, "Made %d rendez-vous over the coming eight weeks (%d lay ahead).\n", benchEvents, ahead)
	return ahead + benchEvents, nil
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return strings.TrimSpace(string(r[:n]))
	}
	return s
}

// registerWrites: contributors, each logged in on their own connection, register to the
// rendez-vous ahead, one after the other (a form each, with a word for the organiser);
// past the seats, on the waiting list.
func (b *bench) registerWrites(ctx context.Context, _ targets) writes {
	rows, err := b.sql.Query(ctx, `SELECT slug FROM events WHERE starts_at > now() AND cancelled_at IS NULL ORDER BY starts_at, id LIMIT $1`, benchEvents)
	if err != nil {
		return writes{err: fmt.Errorf("register writes: %w", err)}
	}
	events, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return writes{err: fmt.Errorf("register writes: %w", err)}
	}
	if len(events) == 0 {
		return writes{skip: "no rendez-vous ahead"}
	}
	accounts, err := b.logins(ctx, `SELECT u.email, '' FROM users u WHERE u.role = 'contributor'
		AND NOT EXISTS (SELECT 1 FROM event_registrations r WHERE r.user_id = u.id) ORDER BY u.id LIMIT $1`, b.o.conns)
	if err != nil {
		return writes{err: fmt.Errorf("register writes: %w", err)}
	}
	if len(accounts) == 0 {
		return writes{skip: "no one to register"}
	}
	form := url.Values{"message": {"Je viendrai avec une collègue du tiers-lieu."}}.Encode()
	return writes{next: func(w int, seq uint64) (*http.Request, error) {
		a := accounts[w%len(accounts)]
		slug := events[(uint64(w)*7+seq)%uint64(len(events))]
		return b.postAs(a.cookie, "/rendez-vous/"+slug+"/inscription", form)
	}}
}

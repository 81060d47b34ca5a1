package postgres_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/pgtest"
	"github.com/fabrique-a-communs/fabrique/internal/postgres"
)

// mustEvent creates an online rendez-vous starting in a week, with capacity (0: none).
func mustEvent(tb testing.TB, db *postgres.DB, org *fabrique.User, title string, capacity int) *fabrique.Event {
	tb.Helper()
	start := time.Now().Add(7 * 24 * time.Hour).In(paris).Truncate(time.Hour)
	f := fabrique.EventForm{Title: title, Kind: fabrique.EventRessources, Summary: "Découvrir un commun.", Online: true,
		VisioURL: "https://visio.example.org/" + fabrique.Slugify(title),
		StartsAt: start.Format(fabrique.EventTimeLayout), EndsAt: start.Add(2 * time.Hour).Format(fabrique.EventTimeLayout)}
	if capacity > 0 {
		f.Capacity = fmt.Sprint(capacity)
	}
	if err := f.Validate(); err != nil {
		tb.Fatalf("event form: %v", err)
	}
	e, err := db.CreateEvent(context.Background(), org, f)
	if err != nil {
		tb.Fatalf("CreateEvent(%q): %v", title, err)
	}
	return e
}

var paris, _ = time.LoadLocation("Europe/Paris")

// Capacity 3 and 12 people registering at once: exactly 3 seats taken, 9 waiting in the
// order they arrived; then 5 withdrawals at once: 5 promotions, never more than 3 seated.
func TestEventCapacityUnderConcurrency(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	coord := mustSeedCoordinator(t, db, "Camille Coordination")
	e := mustEvent(t, db, coord, "Prendre en main Loot", 3)
	people := make([]*fabrique.User, 12)
	for i := range people {
		people[i] = mustUser(t, db, fmt.Sprintf("Personne %02d", i))
	}
	now := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, len(people))
	for _, p := range people {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, _, err := db.RegisterForEvent(ctx, e.ID, p.ID, "", now); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	regs, err := db.EventRegistrations(ctx, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	seated, waiting := 0, 0
	var last time.Time
	for _, r := range regs {
		switch r.State {
		case fabrique.RegistrationRegistered:
			seated++
		case fabrique.RegistrationWaiting:
			waiting++
			if r.Position != waiting || r.RegisteredAt.Before(last) {
				t.Errorf("waiting list out of order: %+v (after %v)", r, last)
			}
			last = r.RegisteredAt
		}
	}
	if seated != 3 || waiting != 9 {
		t.Fatalf("%d seated, %d waiting; want 3 and 9", seated, waiting)
	}

	// Five seated or waiting people withdraw at once: the three seated and two waiting.
	leaving := []int64{regs[0].UserID, regs[1].UserID, regs[2].UserID, regs[4].UserID, regs[5].UserID}
	promoted := make(chan int64, len(leaving))
	for _, id := range leaving {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p, err := db.WithdrawFromEvent(ctx, e.ID, id, now)
			if err != nil {
				t.Error(err)
			}
			if p != 0 {
				promoted <- p
			}
		}()
	}
	wg.Wait()
	close(promoted)
	if len(promoted) < 3 {
		t.Errorf("%d promotions for 3 seats freed", len(promoted))
	}
	// First come, first served: the seats went to the first three people left, in the
	// order they registered, and the rest wait in that order.
	after, err := db.EventRegistrations(ctx, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := []int64{regs[3].UserID, regs[6].UserID, regs[7].UserID, regs[8].UserID, regs[9].UserID, regs[10].UserID, regs[11].UserID}
	for i, r := range after {
		wantState := fabrique.RegistrationRegistered
		if i >= 3 {
			wantState = fabrique.RegistrationWaiting
		}
		if i >= len(want) || r.UserID != want[i] || r.State != wantState {
			t.Errorf("after the withdrawals, #%d: %d %s, want %v", i, r.UserID, r.State, want)
		}
	}
	if n := seedCount(t, db, `SELECT count(*) FROM event_registrations WHERE event_id = $1 AND state = 'inscrit'`, e.ID); n != 3 {
		t.Errorf("%d seated after the withdrawals, want 3", n)
	}
	if n := seedCount(t, db, `SELECT count(*) FROM event_registrations WHERE event_id = $1`, e.ID); n != 7 {
		t.Errorf("%d people left, want 7", n)
	}
}

// Registering twice keeps one row; a cancelled or started rendez-vous takes nobody; a
// person not registered cannot withdraw; a capacity raised promotes, lowered below the
// seats taken is refused.
func TestEventRegistrationRules(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	coord := mustSeedCoordinator(t, db, "Camille Coordination")
	a, b, c := mustUser(t, db, "Awa Traoré"), mustUser(t, db, "Bruno Martin"), mustUser(t, db, "Chloé Petit")
	e := mustEvent(t, db, coord, "Atelier Dokos", 1)
	now := time.Now()
	if r, created, err := db.RegisterForEvent(ctx, e.ID, a.ID, "Bonjour", now); err != nil || !created || r.State != fabrique.RegistrationRegistered {
		t.Fatalf("first: %+v %v %v", r, created, err)
	}
	if r, created, err := db.RegisterForEvent(ctx, e.ID, a.ID, "Re-bonjour", now); err != nil || created || r.Message != "Re-bonjour" {
		t.Fatalf("again: %+v %v %v", r, created, err)
	}
	if r, _, err := db.RegisterForEvent(ctx, e.ID, b.ID, "", now); err != nil || r.State != fabrique.RegistrationWaiting || r.Position != 1 {
		t.Fatalf("second: %+v %v", r, err)
	}
	// The rank each is told: the next one second in line; the first waiting, again, still first.
	d := mustUser(t, db, "Dina Haddad")
	if r, created, err := db.RegisterForEvent(ctx, e.ID, d.ID, "", now); err != nil || !created || r.State != fabrique.RegistrationWaiting || r.Position != 2 {
		t.Fatalf("third: %+v %v %v", r, created, err)
	}
	if r, created, err := db.RegisterForEvent(ctx, e.ID, b.ID, "Toujours là", now); err != nil || created || r.Position != 1 || r.Message != "Toujours là" {
		t.Fatalf("second again: %+v %v %v", r, created, err)
	}
	if _, err := db.WithdrawFromEvent(ctx, e.ID, d.ID, now); err != nil {
		t.Fatal(err)
	}
	// A rendez-vous that does not exist: not found, whether one registers or withdraws.
	if _, _, err := db.RegisterForEvent(ctx, e.ID+1000, a.ID, "", now); fabrique.ErrorCode(err) != fabrique.ENOTFOUND {
		t.Errorf("registering to no rendez-vous: %v", err)
	}
	if _, err := db.WithdrawFromEvent(ctx, e.ID+1000, a.ID, now); fabrique.ErrorCode(err) != fabrique.ENOTFOUND {
		t.Errorf("withdrawing from no rendez-vous: %v", err)
	}
	if _, err := db.WithdrawFromEvent(ctx, e.ID, c.ID, now); fabrique.ErrorCode(err) != fabrique.ECONFLICT {
		t.Errorf("withdraw without registering: %v", err)
	}
	if _, _, err := db.RegisterForEvent(ctx, e.ID, c.ID, "", e.StartsAt); fabrique.ErrorCode(err) != fabrique.ECONFLICT {
		t.Errorf("registering at the start: %v", err)
	}
	f := e.Form()
	f.Capacity = "2"
	if err := f.Validate(); err != nil {
		t.Fatal(err)
	}
	_, moved, promoted, err := db.UpdateEvent(ctx, coord, e.ID, f)
	if err != nil || len(moved) != 0 || len(promoted) != 1 || promoted[0] != b.ID {
		t.Fatalf("capacity raised: moved %v promoted %v, %v", moved, promoted, err)
	}
	f.Capacity = "1"
	_ = f.Validate()
	if _, _, _, err := db.UpdateEvent(ctx, coord, e.ID, f); fabrique.ErrorFields(err)["capacity"] == "" {
		t.Errorf("capacity below the seats taken: %v", err)
	}
	f.Capacity = "2"
	f.StartsAt = e.StartsAt.Add(24 * time.Hour).In(paris).Format(fabrique.EventTimeLayout)
	f.EndsAt = e.EndsAt.Add(24 * time.Hour).In(paris).Format(fabrique.EventTimeLayout)
	_ = f.Validate()
	ev, moved, _, err := db.UpdateEvent(ctx, coord, e.ID, f)
	if err != nil || len(moved) != 2 {
		t.Fatalf("dates moved: told %v, %v", moved, err)
	}
	if seq := ev.Sequence; seq != 2 {
		t.Errorf("sequence %d after two edits (one refused), want 2", seq)
	}
	people, err := db.CancelEvent(ctx, coord, e.ID, "La salle est prise.")
	if err != nil || len(people) != 2 {
		t.Fatalf("cancel: %v %v", people, err)
	}
	if _, _, err := db.RegisterForEvent(ctx, e.ID, c.ID, "", now); fabrique.ErrorCode(err) != fabrique.ECONFLICT {
		t.Errorf("registering for a cancelled one: %v", err)
	}
	// Only a coordinator or the porteur·se of the linked commun or défi organises.
	g := e.Form()
	g.Title = "Autre atelier"
	_ = g.Validate()
	if _, err := db.CreateEvent(ctx, a, g); fabrique.ErrorCode(err) != fabrique.EFORBIDDEN {
		t.Errorf("a contributor creating a rendez-vous: %v", err)
	}
	ch := mustChallenge(t, db, "Four solaire", a)
	g.ChallengeSlug = ch.Slug
	if _, err := db.CreateEvent(ctx, a, g); err != nil {
		t.Errorf("the défi's porteuse creating its rendez-vous: %v", err)
	}
	g.ChallengeSlug = "inconnu"
	if _, err := db.CreateEvent(ctx, coord, g); fabrique.ErrorFields(err)["challenge_slug"] == "" {
		t.Errorf("an unknown défi: %v", err)
	}
}

// The people of a rendez-vous are told: registered or waiting, promoted, dates changed,
// cancelled; and reminded the day before, once.
func TestEventNotifications(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	coord := mustSeedCoordinator(t, db, "Camille Coordination")
	a, b := mustUser(t, db, "Awa Traoré"), mustUser(t, db, "Bruno Martin")
	e := mustEvent(t, db, coord, "Atelier Movilab", 1)
	now := time.Now()
	if _, _, err := db.RegisterForEvent(ctx, e.ID, a.ID, "", now); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.RegisterForEvent(ctx, e.ID, b.ID, "", now); err != nil {
		t.Fatal(err)
	}
	if got := notificationsOf(t, db, a.ID, fabrique.NotifyEventRegistered); len(got) != 1 || !strings.Contains(got[0], "Vous êtes inscrit·e au rendez-vous « Atelier Movilab » du ") {
		t.Errorf("Awa: %v", got)
	}
	if got := notificationsOf(t, db, b.ID, fabrique.NotifyEventRegistered); len(got) != 1 || !strings.Contains(got[0], "en liste d’attente, en position 1") {
		t.Errorf("Bruno: %v", got)
	}
	if _, err := db.WithdrawFromEvent(ctx, e.ID, a.ID, now); err != nil {
		t.Fatal(err)
	}
	if got := notificationsOf(t, db, b.ID, fabrique.NotifyEventPromoted); len(got) != 1 {
		t.Errorf("Bruno promoted: %v", got)
	}
	// The day before (its start is a week away), at 8:00 Paris: reminded once.
	start := e.StartsAt.In(paris)
	dayBefore := time.Date(start.Year(), start.Month(), start.Day()-1, 8, 0, 0, 0, paris)
	if n, err := db.SendReminders(ctx, dayBefore.Add(-24*time.Hour)); err != nil || n != 0 {
		t.Errorf("two days before: %d reminders, %v", n, err)
	}
	if n, err := db.SendReminders(ctx, dayBefore); err != nil || n != 1 {
		t.Errorf("the day before: %d reminders, %v", n, err)
	}
	if n, _ := db.SendReminders(ctx, dayBefore.Add(time.Hour)); n != 0 {
		t.Errorf("again: %d reminders", n)
	}
	if got := notificationsOf(t, db, b.ID, fabrique.NotifyEventReminder); len(got) != 1 || !strings.HasPrefix(got[0], "Rappel : le rendez-vous « Atelier Movilab » a lieu le ") {
		t.Errorf("reminder: %v", got)
	}
	f := e.Form()
	f.StartsAt = e.StartsAt.Add(48 * time.Hour).In(paris).Format(fabrique.EventTimeLayout)
	f.EndsAt = e.EndsAt.Add(48 * time.Hour).In(paris).Format(fabrique.EventTimeLayout)
	_ = f.Validate()
	if _, _, _, err := db.UpdateEvent(ctx, coord, e.ID, f); err != nil {
		t.Fatal(err)
	}
	if got := notificationsOf(t, db, b.ID, fabrique.NotifyEventChanged); len(got) != 1 {
		t.Errorf("dates changed: %v", got)
	}
	if _, err := db.CancelEvent(ctx, coord, e.ID, "La salle est prise."); err != nil {
		t.Fatal(err)
	}
	if got := notificationsOf(t, db, b.ID, fabrique.NotifyEventCancelled); len(got) != 1 || !strings.HasSuffix(got[0], "Motif : La salle est prise.") {
		t.Errorf("cancelled: %v", got)
	}
	if got := notificationsOf(t, db, a.ID, fabrique.NotifyEventCancelled); len(got) != 0 {
		t.Errorf("Awa, who withdrew, told of the cancellation: %v", got)
	}
}

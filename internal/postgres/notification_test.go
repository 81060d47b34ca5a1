package postgres_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/jobs"
	"github.com/fabrique-a-communs/fabrique/internal/pgtest"
	"github.com/fabrique-a-communs/fabrique/internal/postgres"
)

// notifyCounts returns the notifications of userID and the delivery jobs queued.
func notifyCounts(tb testing.TB, db *postgres.DB, userID int64) (notifications, deliveries int) {
	tb.Helper()
	err := postgres.Pool(db).QueryRow(context.Background(),
		`SELECT (SELECT count(*) FROM notifications WHERE user_id = $1),
		        (SELECT count(*) FROM river_job WHERE kind = 'deliver_notification')`, userID).Scan(&notifications, &deliveries)
	if err != nil {
		tb.Fatal(err)
	}
	return notifications, deliveries
}

// A notification is written with the change that causes it: a change rolled back tells
// nobody and queues nothing; a committed one writes a row per person, with their
// preference, and queues a delivery only for an e-mail at once.
func TestNotifyInTheChangesTransaction(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.New(t)
	q, err := jobs.New(db, jobs.Config{}) // insert-only: never started
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(q.Close)
	alice, bob := mustUser(t, db, "Alice Martin"), mustUser(t, db, "Bob Durand")
	n := fabrique.JoinRequestNotification(alice.ID, "four", "Four solaire", "Bob Durand")

	boom := errors.New("the change fails after telling")
	if err := postgres.Notify(ctx, db, n, boom); !errors.Is(err, boom) {
		t.Fatalf("Notify then fail: %v, want %v", err, boom)
	}
	if got, jobs := notifyCounts(t, db, alice.ID); got != 0 || jobs != 0 {
		t.Fatalf("after a rollback: %d notifications, %d jobs; want none", got, jobs)
	}

	if err := postgres.Notify(ctx, db, n, nil); err != nil {
		t.Fatal(err)
	}
	if got, jobs := notifyCounts(t, db, alice.ID); got != 1 || jobs != 1 {
		t.Fatalf("after a commit: %d notifications, %d jobs; want 1 and 1", got, jobs)
	}
	list, err := db.UserNotifications(ctx, alice.ID, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].Delivery != fabrique.DeliverNow || list[0].Data[fabrique.DataPerson] != "Bob Durand" ||
		list[0].URL != "/defis/four#equipe" {
		t.Fatalf("notification %+v", list)
	}

	// Bob chose the site only: his row says so, and nothing is queued to e-mail it.
	if _, err := postgres.Pool(db).Exec(ctx,
		`INSERT INTO notification_preferences (user_id, kind, delivery) VALUES ($1, 'join_request', 'site')`, bob.ID); err != nil {
		t.Fatal(err)
	}
	if err := postgres.Notify(ctx, db, fabrique.JoinRequestNotification(bob.ID, "four", "Four solaire", "Alice"), nil); err != nil {
		t.Fatal(err)
	}
	if got, jobs := notifyCounts(t, db, bob.ID); got != 1 || jobs != 1 {
		t.Fatalf("a site-only notification: %d notifications of Bob, %d jobs in all; want 1 and still 1", got, jobs)
	}
	if list, _ := db.UserNotifications(ctx, bob.ID, 10); len(list) != 1 || list[0].Delivery != fabrique.DeliverSite {
		t.Fatalf("Bob's notification %+v, want delivery site", list)
	}
}

// The porteur·se is told of a contribution to validate and of a move of their défi made
// by a coordinator; never of what they did themselves.
func TestPorteuseToldOfContributionsAndMoves(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.New(t)
	lead, member := mustUser(t, db, "Paule Porteuse"), mustUser(t, db, "Bruno Martin")
	coord := mustUser(t, db, "Camille Coord")
	if _, err := postgres.Pool(db).Exec(ctx, `UPDATE users SET role = 'coordinator' WHERE id = $1`, coord.ID); err != nil {
		t.Fatal(err)
	}
	coord.Role = fabrique.RoleCoordinator
	c, err := db.CreateChallenge(ctx, fabrique.NewChallenge{Title: "Four solaire", Summary: "S.", Problem: "P."}, lead.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.RequestToJoin(ctx, c.ID, member.ID, ""); err != nil {
		t.Fatal(err)
	}
	if err := db.DecideJoinRequest(ctx, c.ID, lead, member.ID, true); err != nil {
		t.Fatal(err)
	}
	kinds := func() map[string]int {
		t.Helper()
		list, err := db.UserNotifications(ctx, lead.ID, 50)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]int{}
		for _, n := range list {
			m[string(n.Kind)]++
		}
		return m
	}
	// The coordinator moves the défi: the porteuse is told; her own move tells nobody.
	if _, err := db.MoveChallenge(ctx, c.ID, coord, fabrique.StatusMove{To: fabrique.StatusTeam, Note: "Équipe réunie."}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.MoveChallenge(ctx, c.ID, lead, fabrique.StatusMove{To: fabrique.StatusFraming, Note: "On cadre."}); err != nil {
		t.Fatal(err)
	}
	list, _ := db.UserNotifications(ctx, lead.ID, 50)
	if got := kinds()["status_changed"]; got != 1 {
		t.Errorf("status_changed notifications: %d, want 1 (the coordinator's move only)", got)
	} else if list[0].Data[fabrique.DataStatus] != string(fabrique.StatusTeam) || list[0].URL != "/defis/"+c.Slug+"#parcours" {
		t.Errorf("status notification %+v", list[0])
	}
	day := fabrique.Contribution{WorkedOn: time.Date(2026, 3, 14, 0, 0, 0, 0, time.UTC), Quarters: 4, Activity: "documentation"}
	if _, err := db.LogContribution(ctx, c.ID, member.ID, day, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := db.LogContribution(ctx, c.ID, lead.ID, day, 0); err != nil {
		t.Fatal(err)
	}
	if got := kinds()["contribution_to_check"]; got != 1 {
		t.Errorf("contribution_to_check notifications: %d, want 1 (the member's, not her own)", got)
	}
}

// Coordinators are told of a pledge to confirm (once per pledge, not for a replay of the
// same idempotency key), of a framing that becomes complete (not of later edits), and of
// a paid contribution validated by a porteur·se.
func TestCoordinatorsToldOfWhatWaitsForThem(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newPledgeWorld(t)
	count := func(kind fabrique.NotificationKind) int {
		t.Helper()
		list, err := w.db.UserNotifications(ctx, w.coord.ID, 50)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, x := range list {
			if x.Kind == kind {
				n++
			}
		}
		return n
	}
	if _, _, err := w.pledge(w.funder, 150000, "cle-0001-abc"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := w.pledge(w.funder, 150000, "cle-0001-abc"); err != nil {
		t.Fatal(err)
	}
	if got := count(fabrique.NotifyPledgeToConfirm); got != 1 {
		t.Errorf("pledge_to_confirm: %d, want 1", got)
	}

	lead := mustUser(t, w.db, "Paule Porteuse")
	c, err := w.db.CreateChallenge(ctx, fabrique.NewChallenge{Title: "Four solaire", Summary: "S.", Problem: "P."}, lead.ID)
	if err != nil {
		t.Fatal(err)
	}
	half := fabrique.Framing{Problems: "Des fours trop chers."}
	full := fabrique.Framing{Problems: "Des fours trop chers.", UseCases: "Cuire.", Actors: "Trois lieux.",
		ExistingSolutions: "Aucune.", Approach: "Un plan libre.", NextSteps: "Un prototype."}
	for i, f := range []fabrique.Framing{half, full, full} {
		if err := w.db.SaveFraming(ctx, c.ID, lead, f, nil); err != nil {
			t.Fatalf("framing %d: %v", i, err)
		}
	}
	if !full.Complete() {
		t.Fatal("the test's full framing is not complete")
	}
	if got := count(fabrique.NotifyFramingComplete); got != 1 {
		t.Errorf("framing_complete: %d, want 1 (when it became complete only)", got)
	}

	// A paid contribution validated by the porteuse waits for the coordination's payment.
	f := mustLootFixture(t, 1000000)
	day := f.declare(t, f.member, 4, false)
	if _, _, err := f.db.ValidateContribution(ctx, day.ID, f.lead); err != nil {
		t.Fatal(err)
	}
	list, err := f.db.UserNotifications(ctx, f.coord.ID, 50)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].Kind != fabrique.NotifyContributionToPay || list[0].Data[fabrique.DataPerson] != "Marc Membre" {
		t.Errorf("coordinator's notifications after a validation: %+v", list)
	}
}

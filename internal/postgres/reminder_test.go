package postgres_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/i18n"
	"github.com/fabrique-a-communs/fabrique/internal/postgres"
)

// notificationsOf returns the bodies of userID's notifications of kind, in French.
func notificationsOf(t *testing.T, db *postgres.DB, userID int64, kind fabrique.NotificationKind) []string {
	t.Helper()
	list, err := db.UserNotifications(context.Background(), userID, 100)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, n := range list {
		if n.Kind == kind {
			_, body := fabrique.NotificationSentences(n.Kind, n.Data)
			out = append(out, body.In(i18n.French))
		}
	}
	return out
}

// Closing a call tells each funder what their pledge became: confirmed with the matching
// of its step, or expired.
func TestCloseCallTellsTheFunders(t *testing.T) {
	t.Parallel()
	f := mustCallFixture(t)
	ctx := context.Background()
	c := f.call(t, "Appel 2026", tiersLieuRule)
	step := f.step(t, f.commons(t), 1000000)
	f.join(t, c, step)
	f.pledge(t, c.ID, step, "tiers-lieu", 300000, fabrique.PledgeConfirmed)
	f.pledge(t, c.ID, step, "tiers-lieu", 200000, fabrique.PledgePromise)
	if _, err := f.db.CloseCall(ctx, f.coord, c.ID); err != nil {
		t.Fatal(err)
	}
	got := notificationsOf(t, f.db, f.funder.ID, fabrique.NotifyCallClosed)
	if len(got) != 2 {
		t.Fatalf("%d notifications, want 2: %v", len(got), got)
	}
	all := strings.Join(got, "\n")
	if !strings.Contains(all, "Votre promesse de 3 000,00 € à l’étape") || !strings.Contains(all, "l’abondement apporte 3 000,00 € de plus") {
		t.Errorf("the confirmed pledge's notification:\n%s", all)
	}
	if !strings.Contains(all, "Votre promesse de 2 000,00 €") || !strings.Contains(all, "elle a expiré") {
		t.Errorf("the expired promise's notification:\n%s", all)
	}
	// Closing again tells nobody again.
	if _, err := f.db.CloseCall(ctx, f.coord, c.ID); err != nil {
		t.Fatal(err)
	}
	if n := len(notificationsOf(t, f.db, f.funder.ID, fabrique.NotifyCallClosed)); n != 2 {
		t.Errorf("%d notifications after a second close, want 2", n)
	}
}

// Reminders: due ones are written once; things not waiting long enough, or handled, are
// not reminded; a promise is reminded once in the 7 days before its call closes.
func TestReminders(t *testing.T) {
	t.Parallel()
	f := mustCallFixture(t)
	db, ctx := f.db, context.Background()
	lead := f.lead
	ch := mustChallenge(t, db, "Four solaire", lead)
	asker := mustUser(t, db, "Rémi Demandeur")
	if err := db.RequestToJoin(ctx, ch.ID, asker.ID, "Bonjour"); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 24, 8, 0, 0, 0, i18n.Paris) // the call closes on the 31st
	c := f.call(t, "Appel 2026", tiersLieuRule)
	step := f.step(t, f.commons(t), 1000000)
	f.join(t, c, step)
	f.pledge(t, c.ID, step, "tiers-lieu", 50000, fabrique.PledgePromise)

	// Eight days before the close, the request is 2 days old: nothing.
	mustExec(t, db, `UPDATE challenge_members SET created_at = $1 WHERE user_id = $2`, now.Add(-2*24*time.Hour), asker.ID)
	if n, err := db.SendReminders(ctx, now.Add(-24*time.Hour)); err != nil || n != 0 {
		t.Fatalf("too early: %d reminders, %v", n, err)
	}
	// Nine days later the request waited 8 days, and the call closes in 8: the porteur only.
	mustExec(t, db, `UPDATE challenge_members SET created_at = $1 WHERE user_id = $2`, now.Add(-9*24*time.Hour), asker.ID)
	if n, err := db.SendReminders(ctx, now.Add(-24*time.Hour)); err != nil || n != 1 {
		t.Fatalf("the porteur's: %d reminders, %v", n, err)
	}
	if got := notificationsOf(t, db, lead.ID, fabrique.NotifyWaitingReminder); len(got) != 1 || got[0] != "Une demande ou une contribution attend votre décision depuis plus de 7 jours." {
		t.Errorf("porteur reminded: %v", got)
	}
	// The next day: the promise (7 days before), not the porteur again the same week.
	if n, err := db.SendReminders(ctx, now); err != nil || n != 1 {
		t.Fatalf("the funder's: %d reminders, %v", n, err)
	}
	if got := notificationsOf(t, db, f.funder.ID, fabrique.NotifyPledgeReminder); len(got) != 1 || !strings.Contains(got[0], "l’appel se clôt le 31 décembre 2026") {
		t.Errorf("funder reminded: %v", got)
	}
	// Run again, and again the next day: nothing twice.
	for _, at := range []time.Time{now, now.Add(24 * time.Hour)} {
		if n, err := db.SendReminders(ctx, at); err != nil || n != 0 {
			t.Errorf("rerun at %v: %d reminders, %v", at, n, err)
		}
	}
	// A week later the request still waits: reminded again; once decided, no more.
	if n, _ := db.SendReminders(ctx, now.Add(7*24*time.Hour)); n != 1 {
		t.Errorf("a week later: %d reminders, want 1", n)
	}
	if err := db.DecideJoinRequest(ctx, ch.ID, lead, asker.ID, true); err != nil {
		t.Fatal(err)
	}
	if n, _ := db.SendReminders(ctx, now.Add(14*24*time.Hour)); n != 0 {
		t.Errorf("after the decision: %d reminders, want 0", n)
	}
}

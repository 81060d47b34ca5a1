package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// TestDevelopQueue: the défis before développement whose framing is complete, each with
// when its framing was last completed, those waiting the longest first; a framing
// incomplete again (a field emptied) leaves the queue, and its date restarts.
func TestDevelopQueue(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := mustLootFixture(t, 0)
	db := f.db
	save := func(c *fabrique.Challenge, fr fabrique.Framing, at time.Time) {
		t.Helper()
		if err := db.SaveFraming(ctx, c.ID, f.coord, fr, nil); err != nil {
			t.Fatal(err)
		}
		// Dated as if saved at, so the order is the test's, not the clock's.
		mustExec(t, db, `UPDATE challenge_framing_revisions SET created_at = $2
			WHERE id = (SELECT max(id) FROM challenge_framing_revisions WHERE challenge_id = $1)`, c.ID, at)
	}
	day := func(d int) time.Time { return time.Date(2026, 3, d, 10, 0, 0, 0, time.UTC) }
	partial := completeFraming()
	partial.Approach = "  "

	// « Cantine partagée »: incomplete on the 1st, complete on the 5th, edited on the 8th.
	save(f.c, partial, day(1))
	save(f.c, completeFraming(), day(5))
	edited := completeFraming()
	edited.Actors = "Deux réseaux."
	save(f.c, edited, day(8))
	// « Atelier », in équipe: complete since the 3rd.
	atelier := mustChallenge(t, db, "Atelier", f.lead)
	mustExec(t, db, `UPDATE challenges SET status = 'equipe' WHERE id = $1`, atelier.ID)
	save(atelier, completeFraming(), day(3))
	// Left out: incomplete, in développement, closed.
	brouillon := mustChallenge(t, db, "Brouillon", f.lead)
	save(brouillon, partial, day(2))
	for _, st := range []fabrique.Status{fabrique.StatusDevelopment, fabrique.StatusClosed} {
		c := mustChallenge(t, db, "Défi "+string(st), f.lead)
		save(c, completeFraming(), day(2))
		mustExec(t, db, `UPDATE challenges SET status = $2 WHERE id = $1`, c.ID, st)
	}

	list, total, err := db.DevelopQueue(ctx, 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	if total != 2 || len(list) != 2 {
		t.Fatalf("got %d of %d défis %+v, want 2", len(list), total, list)
	}
	for i, want := range []struct {
		slug   string
		framed time.Time
		team   int
	}{{atelier.Slug, day(3), 1}, {f.c.Slug, day(5), 2}} {
		if got := list[i]; got.Slug != want.slug || !got.FramedAt.Equal(want.framed) || got.TeamSize != want.team {
			t.Errorf("%d: got %s framed %v, team %d; want %s framed %v, team %d", i, got.Slug, got.FramedAt, got.TeamSize, want.slug, want.framed, want.team)
		}
	}
	// Limited, the total still counts them all.
	if list, total, err := db.DevelopQueue(ctx, 1, 0); err != nil || len(list) != 1 || total != 2 {
		t.Errorf("limit 1: got %d of %d, %v", len(list), total, err)
	}
	// A field emptied takes the défi out of the queue; filled again, its date restarts.
	save(f.c, partial, day(9))
	if list, _, _ := db.DevelopQueue(ctx, 10, 0); len(list) != 1 || list[0].Slug != atelier.Slug {
		t.Errorf("after emptying a field: got %+v, want only %s", list, atelier.Slug)
	}
	save(f.c, completeFraming(), day(12))
	if list, _, _ := db.DevelopQueue(ctx, 10, 0); len(list) != 2 || list[1].Slug != f.c.Slug || !list[1].FramedAt.Equal(day(12)) {
		t.Errorf("completed again: got %+v, want %s framed on the 12th", list, f.c.Slug)
	}
}

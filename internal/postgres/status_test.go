package postgres_test

import (
	"context"
	"sync"
	"testing"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/pgtest"
	"github.com/fabrique-a-communs/fabrique/internal/postgres"
)

// completeFraming fills every field of a framing.
func completeFraming() fabrique.Framing {
	var f fabrique.Framing
	for _, fd := range fabrique.FramingFields {
		f.Set(fd.Name, "Texte de "+fd.Label+".")
	}
	return f
}

func TestChangeStatus(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.New(t)
	alice, bob := mustUser(t, db, "Alice Martin"), mustUser(t, db, "Bob Durand")
	coord := mustUser(t, db, "Camille Coordination")
	coord.Role = fabrique.RoleCoordinator
	c := mustChallenge(t, db, "Réseau des fablabs", alice)

	checkCode(t, db.ChangeStatus(ctx, c.ID, alice, fabrique.StatusTeam, ""), fabrique.EINVALID) // one member
	checkCode(t, db.ChangeStatus(ctx, c.ID, bob, fabrique.StatusTeam, ""), fabrique.EFORBIDDEN)
	checkCode(t, db.ChangeStatus(ctx, c.ID, nil, fabrique.StatusTeam, ""), fabrique.EFORBIDDEN)
	checkCode(t, db.ChangeStatus(ctx, 999999, alice, fabrique.StatusTeam, ""), fabrique.ENOTFOUND)
	if err := db.RequestToJoin(ctx, c.ID, bob.ID, ""); err != nil {
		t.Fatal(err)
	}
	checkCode(t, db.DecideJoinRequest(ctx, c.ID, alice, bob.ID, true), "")
	checkCode(t, db.ChangeStatus(ctx, c.ID, alice, fabrique.StatusTeam, "Bob nous rejoint."), "")
	checkCode(t, db.ChangeStatus(ctx, c.ID, alice, fabrique.StatusFraming, ""), "")
	checkCode(t, db.ChangeStatus(ctx, c.ID, alice, fabrique.StatusDevelopment, ""), fabrique.EFORBIDDEN)
	checkCode(t, db.ChangeStatus(ctx, c.ID, coord, fabrique.StatusDevelopment, ""), fabrique.EINVALID) // no framing
	checkCode(t, db.SaveFraming(ctx, c.ID, bob, completeFraming(), nil), "")
	checkCode(t, db.ChangeStatus(ctx, c.ID, coord, fabrique.StatusDevelopment, "Pertinence démontrée."), "")

	got, err := db.ChallengeBySlug(ctx, c.Slug)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != fabrique.StatusDevelopment || !got.UpdatedAt.After(c.UpdatedAt) {
		t.Errorf("défi: got status %s updated %v, want developpement after %v", got.Status, got.UpdatedAt, c.UpdatedAt)
	}
	timeline, err := db.ChallengeTimeline(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		from, to fabrique.Status
		by, note string
	}{
		{"", fabrique.StatusIdentified, "Alice Martin", ""},
		{fabrique.StatusIdentified, fabrique.StatusTeam, "Alice Martin", "Bob nous rejoint."},
		{fabrique.StatusTeam, fabrique.StatusFraming, "Alice Martin", ""},
		{fabrique.StatusFraming, fabrique.StatusDevelopment, "Camille Coordination", "Pertinence démontrée."},
	}
	if len(timeline) != len(want) {
		t.Fatalf("timeline: got %d entries, want %d: %+v", len(timeline), len(want), timeline)
	}
	for i, w := range want {
		g := timeline[i]
		if g.From != w.from || g.To != w.to || g.UserName != w.by || g.Note != w.note || g.At.IsZero() {
			t.Errorf("timeline[%d]: got %+v, want %+v", i, g, w)
		}
	}
}

func TestChangeStatusConcurrent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.New(t)
	alice, bob := mustUser(t, db, "Alice Martin"), mustUser(t, db, "Bob Durand")
	coord := mustUser(t, db, "Camille Coordination")
	coord.Role = fabrique.RoleCoordinator
	c := mustChallenge(t, db, "Réseau des fablabs", alice)
	if err := db.RequestToJoin(ctx, c.ID, bob.ID, ""); err != nil {
		t.Fatal(err)
	}
	checkCode(t, db.DecideJoinRequest(ctx, c.ID, alice, bob.ID, true), "")

	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i, actor := range []*fabrique.User{alice, coord} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = db.ChangeStatus(ctx, c.ID, actor, fabrique.StatusTeam, "")
		}()
	}
	wg.Wait()
	codes := map[string]int{}
	for _, err := range errs {
		codes[fabrique.ErrorCode(err)]++
	}
	if codes[""] != 1 || codes[fabrique.EINVALID] != 1 {
		t.Errorf("got %v, want one success and one refusal", errs)
	}
	var changes int
	if err := postgres.Pool(db).QueryRow(ctx, `SELECT count(*) FROM challenge_status_changes WHERE challenge_id = $1 AND to_status = 'equipe'`,
		c.ID).Scan(&changes); err != nil || changes != 1 {
		t.Errorf("status changes to equipe: got %d (%v), want 1", changes, err)
	}
}

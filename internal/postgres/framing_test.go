package postgres_test

import (
	"context"
	"testing"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/pgtest"
	"github.com/fabrique-a-communs/fabrique/internal/postgres"
)

// mustCommons inserts a commun and returns its ID.
func mustCommons(tb testing.TB, db *postgres.DB, slug, name string) int64 {
	tb.Helper()
	var id int64
	if err := postgres.Pool(db).QueryRow(context.Background(),
		`INSERT INTO commons (slug, name) VALUES ($1, $2) RETURNING id`, slug, name).Scan(&id); err != nil {
		tb.Fatalf("insert commun %s: %v", slug, err)
	}
	return id
}

func TestSaveFraming(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.New(t)
	alice, bob := mustUser(t, db, "Alice Martin"), mustUser(t, db, "Bob Durand")
	coord := mustUser(t, db, "Camille Coordination")
	coord.Role = fabrique.RoleCoordinator
	c := mustChallenge(t, db, "Réseau des fablabs", alice)
	movilab, dokos, loot := mustCommons(t, db, "movilab", "Movilab"), mustCommons(t, db, "dokos", "Dokos"), mustCommons(t, db, "loot", "Loot")
	mustExec(t, db, `INSERT INTO challenge_commons (challenge_id, commons_id, relation) VALUES ($1, $2, 'origine')`, c.ID, loot)

	sheet, err := db.ChallengeFraming(ctx, c.ID, 5)
	if err != nil {
		t.Fatal(err)
	}
	if sheet.Written || sheet.Framing.Complete() || len(sheet.Solutions) != 0 || len(sheet.Revisions) != 0 || sheet.Edits != 0 {
		t.Errorf("before any edit: got %+v, want an empty sheet", sheet)
	}

	checkCode(t, db.SaveFraming(ctx, c.ID, bob, completeFraming(), nil), fabrique.EFORBIDDEN)
	checkCode(t, db.SaveFraming(ctx, c.ID, alice, fabrique.Framing{Problems: "Des problèmes."}, []int64{movilab, dokos, dokos}), "")
	checkCode(t, db.SaveFraming(ctx, c.ID, coord, completeFraming(), []int64{dokos, loot}), "")
	checkCode(t, db.SaveFraming(ctx, c.ID, alice, completeFraming(), []int64{dokos, 999999}), fabrique.EINVALID)

	sheet, err = db.ChallengeFraming(ctx, c.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	if !sheet.Written || !sheet.Framing.Complete() || sheet.Framing.UpdatedBy != "Camille Coordination" || sheet.Framing.UpdatedAt.IsZero() {
		t.Errorf("framing: got %+v, want complete, by Camille Coordination", sheet.Framing)
	}
	if len(sheet.Solutions) != 1 || sheet.Solutions[0].Slug != "dokos" || sheet.Solutions[0].Name != "Dokos" {
		t.Errorf("solutions: got %+v, want Dokos alone (Loot stays the origin)", sheet.Solutions)
	}
	if sheet.Edits != 2 || len(sheet.Revisions) != 1 || sheet.Revisions[0].UserName != "Camille Coordination" || sheet.Revisions[0].At.IsZero() {
		t.Errorf("revisions: got %d edits, last %+v, want 2 edits, the last by Camille Coordination", sheet.Edits, sheet.Revisions)
	}
	var relation string
	if err := postgres.Pool(db).QueryRow(ctx, `SELECT relation FROM challenge_commons WHERE challenge_id = $1 AND commons_id = $2`,
		c.ID, loot).Scan(&relation); err != nil || relation != "origine" {
		t.Errorf("Loot link: got %q (%v), want origine", relation, err)
	}

	checkCode(t, db.SaveFraming(ctx, c.ID, alice, completeFraming(), nil), "")
	if sheet, _ = db.ChallengeFraming(ctx, c.ID, 5); len(sheet.Solutions) != 0 || len(sheet.Revisions) != 3 {
		t.Errorf("after clearing the solutions: got %d solutions, %d revisions, want 0, 3", len(sheet.Solutions), len(sheet.Revisions))
	}
}

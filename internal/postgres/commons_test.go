package postgres_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/pgtest"
	"github.com/fabrique-a-communs/fabrique/internal/postgres"
)

// mustCreateCommons adds a commun named name of kind through the store.
func mustCreateCommons(tb testing.TB, db *postgres.DB, name, kind string) *fabrique.Commons {
	tb.Helper()
	c, err := db.CreateCommons(context.Background(), fabrique.CommonsForm{Name: name, Kind: kind, Summary: "Le commun " + name + "."})
	if err != nil {
		tb.Fatalf("CreateCommons(%q): %v", name, err)
	}
	return c
}

func TestCreateUpdateCommons(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	form := fabrique.CommonsForm{Name: "Dokos", Kind: "logiciel", Summary: "Un ERP.", Description: "**Libre**.",
		Licence: "GPL-3.0", Website: "https://dokos.io", SourceURL: "https://gitlab.com/dokos/dokos", MovilabURL: "https://movilab.org/wiki/Dokos"}
	c, err := db.CreateCommons(ctx, form)
	if err != nil {
		t.Fatal(err)
	}
	if c.Slug != "dokos" || c.Form() != form {
		t.Errorf("got slug %q and %+v, want dokos and %+v", c.Slug, c.Form(), form)
	}
	if again := mustCreateCommons(t, db, "Dokos", "logiciel"); again.Slug != "dokos-2" {
		t.Errorf("second slug: got %q, want dokos-2", again.Slug)
	}
	if reserved := mustCreateCommons(t, db, "Nouveau", "autre"); reserved.Slug != "nouveau-2" {
		t.Errorf("reserved slug: got %q, want nouveau-2", reserved.Slug)
	}

	form.Name, form.Kind, form.Licence, form.SourceURL = "Dokos ERP", "autre", "AGPL-3.0", ""
	updated, err := db.UpdateCommons(ctx, "dokos", form)
	if err != nil {
		t.Fatal(err)
	}
	if updated.Slug != "dokos" || updated.Form() != form || updated.ID != c.ID {
		t.Errorf("updated: got %+v, want slug dokos and %+v", updated, form)
	}
	got, err := db.CommonsBySlug(ctx, "dokos")
	if err != nil || got.Name != "Dokos ERP" {
		t.Errorf("CommonsBySlug after rename: got %v, %v", got, err)
	}
	_, err = db.UpdateCommons(ctx, "nulle-part", form)
	checkCode(t, err, fabrique.ENOTFOUND)
	_, err = db.CommonsBySlug(ctx, "nulle-part")
	checkCode(t, err, fabrique.ENOTFOUND)
	form.Kind = "inconnu"
	_, err = db.UpdateCommons(ctx, "dokos", form)
	checkCode(t, err, fabrique.EINVALID)
}

func TestCommonsListAndLinks(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	alice, bob := mustUser(t, db, "Alice Martin"), mustUser(t, db, "Bob Durand")
	movilab := mustCreateCommons(t, db, "Movilab", "documentation")
	loot := mustCreateCommons(t, db, "Loot", "logiciel")
	mustCreateCommons(t, db, "Dokos", "logiciel")
	ch1 := mustChallenge(t, db, "Documenter les lieux", alice)
	ch2 := mustChallenge(t, db, "Suivre les contributions", alice)
	mustExec(t, db, `INSERT INTO challenge_commons (challenge_id, commons_id, relation) VALUES ($1, $2, 'solution'), ($3, $2, 'origine'), ($3, $4, 'solution')`,
		ch1.ID, movilab.ID, ch2.ID, loot.ID)
	atelier := mustCreatePlace(t, db, "Atelier", "Bretagne", alice)
	hangar := mustCreatePlace(t, db, "Hangar", "Bretagne", bob)

	for i, want := range []bool{true, false} {
		added, err := db.DeclareCommonsPlace(ctx, movilab.ID, atelier.ID, alice.ID)
		if err != nil || added != want {
			t.Errorf("declare %d: got %v, %v, want %v, nil", i+1, added, err, want)
		}
	}
	_, err := db.DeclareCommonsPlace(ctx, movilab.ID, hangar.ID, alice.ID)
	checkCode(t, err, fabrique.EFORBIDDEN)
	_, err = db.DeclareCommonsPlace(ctx, movilab.ID, 999999, alice.ID)
	checkCode(t, err, fabrique.ENOTFOUND)
	if n := countOf(t, db, `SELECT count(*) FROM commons_places`); n != 1 {
		t.Errorf("commons_places rows: got %d, want 1", n)
	}

	list, total, err := db.Commons(ctx, fabrique.CommonsFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range list {
		got = append(got, fmt.Sprintf("%s %d %d", c.Slug, c.ChallengeCount, c.PlaceCount))
	}
	if want := []string{"dokos 0 0", "loot 1 0", "movilab 2 1"}; total != 3 || !slices.Equal(got, want) {
		t.Errorf("Commons: got %v of %d, want %v of 3", got, total, want)
	}
	list, total, err = db.Commons(ctx, fabrique.CommonsFilter{Kind: "logiciel", Limit: 1, Offset: 1})
	if err != nil || total != 2 || len(list) != 1 || list[0].Slug != "loot" {
		t.Errorf("logiciel page 2: got %d of %d (%v), want loot of 2", len(list), total, err)
	}

	chs, err := db.CommonsChallenges(ctx, movilab.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(chs) != 2 || chs[0].Slug != ch2.Slug || chs[0].Relation != "origine" || chs[1].Relation != "solution" || chs[0].Status != fabrique.StatusIdentified {
		t.Errorf("CommonsChallenges: got %+v, want the origin défi first, then the solution", chs)
	}
	linked, err := db.ChallengeCommons(ctx, ch2.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(linked) != 2 || linked[0].Slug != "movilab" || linked[0].Relation != "origine" || linked[1].Slug != "loot" {
		t.Errorf("ChallengeCommons: got %+v, want movilab (origine) then loot", linked)
	}
	places, err := db.CommonsPlaces(ctx, movilab.ID, bob.ID)
	if err != nil {
		t.Fatal(err)
	}
	got = nil
	for _, p := range places {
		got = append(got, fmt.Sprintf("%s linked=%v mine=%v", p.Slug, p.Linked, p.Mine))
	}
	if want := []string{"atelier linked=true mine=false", "hangar linked=false mine=true"}; !slices.Equal(got, want) {
		t.Errorf("CommonsPlaces for Bob: got %v, want %v", got, want)
	}
	used, err := db.PlaceCommons(ctx, atelier.ID)
	if err != nil || len(used) != 1 || used[0].Slug != "movilab" {
		t.Errorf("PlaceCommons: got %v (%v), want [movilab]", used, err)
	}
}

package postgres_test

import (
	"context"
	"strings"
	"testing"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/pgtest"
	"github.com/fabrique-a-communs/fabrique/internal/postgres"
)

// placeRow reads a tiers-lieu's fields as the database holds them.
func placeRow(tb testing.TB, db *postgres.DB, id int64) fabrique.NewPlace {
	tb.Helper()
	var p fabrique.NewPlace
	if err := postgres.Pool(db).QueryRow(context.Background(),
		`SELECT name, city, region, website, description, address, contact FROM places WHERE id = $1`, id).
		Scan(&p.Name, &p.City, &p.Region, &p.Website, &p.Description, &p.Address, &p.Contact); err != nil {
		tb.Fatal(err)
	}
	return p
}

func TestPlaceDetails(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	alice := mustUser(t, db, "Alice Martin")
	form := fabrique.NewPlace{Name: "La Grange Partagée", City: "Aubusson", Region: "Nouvelle-Aquitaine",
		Description: "Une **grange**.", Address: "12 rue des Tanneurs\n23200 Aubusson", Contact: "05 36 49 12 34"}
	p, err := db.CreatePlace(ctx, form, alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := placeRow(t, db, p.ID); got != form {
		t.Errorf("row: got %+v, want %+v", got, form)
	}
	page, err := db.PlaceBySlug(ctx, p.Slug)
	if err != nil {
		t.Fatal(err)
	}
	if page.Form() != form || page.MemberCount != 1 {
		t.Errorf("PlaceBySlug: got %+v, %d members, want the form and 1 member", page.Form(), page.MemberCount)
	}
	// Lists do not carry the details, the contact least of all.
	list, _, err := db.Places(ctx, fabrique.PlaceFilter{})
	if err != nil || len(list) != 1 {
		t.Fatalf("Places: %v, %v", list, err)
	}
	if list[0].PlaceDetails != (fabrique.PlaceDetails{}) {
		t.Errorf("Places: got details %+v, want none", list[0].PlaceDetails)
	}

	// The database keeps the domain's bounds even for a write around it.
	for col, value := range map[string]string{
		"description": strings.Repeat("a", fabrique.MaxPlaceDescriptionLen+1),
		"address":     strings.Repeat("a", fabrique.MaxPlaceAddressLen+1),
		"contact":     strings.Repeat("a", fabrique.MaxPlaceContactLen+1),
	} {
		if _, err := postgres.Pool(db).Exec(ctx, `UPDATE places SET `+col+` = $2 WHERE id = $1`, p.ID, value); err == nil {
			t.Errorf("%s over its bound: stored", col)
		}
	}
	if got := placeRow(t, db, p.ID); got != form {
		t.Errorf("row after refused writes: got %+v, want %+v", got, form)
	}
}

func TestUpdatePlace(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	alice := mustUser(t, db, "Alice Martin")
	bob := mustUser(t, db, "Bob Durand")
	carol := mustUser(t, db, "Carol Coordination")
	carol.Role = fabrique.RoleCoordinator
	dan := mustUser(t, db, "Dan Étranger")
	p := mustCreatePlace(t, db, "Atelier des Pentes", "Auvergne-Rhône-Alpes", alice)
	mustJoinPlace(t, db, p.ID, bob, alice)
	if _, err := db.RequestToJoinPlace(ctx, p.ID, dan.ID, "Bonjour"); err != nil {
		t.Fatal(err)
	}
	before := placeRow(t, db, p.ID)

	edited := fabrique.NewPlace{Name: "Les Ateliers des Pentes", City: "Lyon 1er", Region: "Auvergne-Rhône-Alpes",
		Website: "https://pentes.example", Description: "Un fablab.", Address: "8 montée de la Grande-Côte\n69001 Lyon",
		Contact: "bonjour@pentes.example"}
	// Neither a stranger nor a pending requester edits the place; nothing changes.
	if err := db.UpdatePlace(ctx, dan, p.ID, edited); fabrique.ErrorCode(err) != fabrique.EFORBIDDEN {
		t.Errorf("a requester edits: got %v, want EFORBIDDEN", err)
	}
	if got := placeRow(t, db, p.ID); got != before {
		t.Errorf("after a refused edit: got %+v, want %+v", got, before)
	}
	if err := db.UpdatePlace(ctx, bob, p.ID+1000, edited); fabrique.ErrorCode(err) != fabrique.ENOTFOUND {
		t.Errorf("unknown place: got %v, want ENOTFOUND", err)
	}
	// An accepted member does, and the slug stays.
	if err := db.UpdatePlace(ctx, bob, p.ID, edited); err != nil {
		t.Fatalf("a member edits: %v", err)
	}
	if got := placeRow(t, db, p.ID); got != edited {
		t.Errorf("after a member's edit: got %+v, want %+v", got, edited)
	}
	if page, err := db.PlaceBySlug(ctx, p.Slug); err != nil || page.Name != edited.Name {
		t.Errorf("the place under its old slug: got %v, %v", page, err)
	}
	// So does a coordinator who is no member; a member who left no longer does.
	edited.Contact = ""
	if err := db.UpdatePlace(ctx, carol, p.ID, edited); err != nil {
		t.Fatalf("a coordinator edits: %v", err)
	}
	if _, err := db.LeavePlace(ctx, p.ID, bob.ID); err != nil {
		t.Fatal(err)
	}
	if err := db.UpdatePlace(ctx, bob, p.ID, before); fabrique.ErrorCode(err) != fabrique.EFORBIDDEN {
		t.Errorf("a former member edits: got %v, want EFORBIDDEN", err)
	}
	if got := placeRow(t, db, p.ID); got != edited {
		t.Errorf("after all: got %+v, want %+v", got, edited)
	}
}

func TestPlaceCountsByRegion(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	alice := mustUser(t, db, "Alice Martin")
	counts, err := db.PlaceCountsByRegion(ctx)
	if err != nil || len(counts) != 0 {
		t.Fatalf("no place: got %v, %v, want an empty map", counts, err)
	}
	for i, region := range []string{"Bretagne", "Bretagne", "Corse", "La Réunion", "Bretagne"} {
		mustCreatePlace(t, db, "Lieu "+string(rune('A'+i)), region, alice)
	}
	// A place without a region (written before regions were checked) is on no region.
	if _, err := postgres.Pool(db).Exec(ctx, `INSERT INTO places (slug, name) VALUES ('sans-region', 'Sans région')`); err != nil {
		t.Fatal(err)
	}
	counts, err = db.PlaceCountsByRegion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"Bretagne": 3, "Corse": 1, "La Réunion": 1}
	if len(counts) != len(want) {
		t.Errorf("got %v, want %v", counts, want)
	}
	for r, n := range want {
		if counts[r] != n {
			t.Errorf("%s: got %d, want %d", r, counts[r], n)
		}
	}
}

package postgres_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/pgtest"
	"github.com/fabrique-a-communs/fabrique/internal/postgres"
)

// mustCreatePlace declares a tiers-lieu named name in region, by creator.
func mustCreatePlace(tb testing.TB, db *postgres.DB, name, region string, creator *fabrique.User) *fabrique.Place {
	tb.Helper()
	p, err := db.CreatePlace(context.Background(), fabrique.NewPlace{Name: name, City: "Lyon", Region: region}, creator.ID)
	if err != nil {
		tb.Fatalf("CreatePlace(%q): %v", name, err)
	}
	return p
}

// mustJoinPlace makes user an accepted member of the tiers-lieu: they ask, and by, a
// member or a coordinator, accepts.
func mustJoinPlace(tb testing.TB, db *postgres.DB, placeID int64, user, by *fabrique.User) {
	tb.Helper()
	ctx := context.Background()
	if _, err := db.RequestToJoinPlace(ctx, placeID, user.ID, ""); err != nil {
		tb.Fatalf("RequestToJoinPlace: %v", err)
	}
	if _, err := db.DecidePlaceRequest(ctx, placeID, by, user.ID, true); err != nil {
		tb.Fatalf("DecidePlaceRequest: %v", err)
	}
}

// countOf returns the result of a count(*) query.
func countOf(tb testing.TB, db *postgres.DB, sql string, args ...any) int {
	tb.Helper()
	var n int
	if err := postgres.Pool(db).QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		tb.Fatalf("count %q: %v", sql, err)
	}
	return n
}

func TestCreatePlace(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	alice := mustUser(t, db, "Alice Martin")

	p, err := db.CreatePlace(ctx, fabrique.NewPlace{Name: "La Grange Partagée", City: "Aubusson",
		Region: "Nouvelle-Aquitaine", Website: "https://grange.example"}, alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	if p.Slug != "la-grange-partagee" || p.ID == 0 || p.CreatedAt.IsZero() {
		t.Errorf("got %+v, want slug la-grange-partagee, an id and a date", p)
	}
	got, err := db.PlaceBySlug(ctx, p.Slug)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "La Grange Partagée" || got.City != "Aubusson" || got.Region != "Nouvelle-Aquitaine" || got.Website != "https://grange.example" {
		t.Errorf("got %+v, want the fields as declared", got.Place)
	}
	if got.MemberCount != 1 {
		t.Errorf("members: got %d, want 1 (the creator)", got.MemberCount)
	}
	members, err := db.PlaceMembers(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(members) != 1 || members[0].UserID != alice.ID || members[0].DisplayName != "Alice Martin" {
		t.Errorf("members: got %+v, want Alice", members)
	}

	// Same name: a suffix. A reserved name: never the bare word.
	if p2 := mustCreatePlace(t, db, "La grange partagée", "Bretagne", alice); p2.Slug != "la-grange-partagee-2" {
		t.Errorf("second slug: got %q, want %q", p2.Slug, "la-grange-partagee-2")
	}
	if p3 := mustCreatePlace(t, db, "Nouveau", "Bretagne", alice); p3.Slug != "nouveau-2" {
		t.Errorf("reserved slug: got %q, want %q", p3.Slug, "nouveau-2")
	}
	if _, err := db.CreatePlace(ctx, fabrique.NewPlace{Name: "!!!", Region: "Bretagne"}, alice.ID); fabrique.ErrorCode(err) != fabrique.EINVALID {
		t.Errorf("name without letters: got %v, want EINVALID", err)
	}
	_, err = db.PlaceBySlug(ctx, "nulle-part")
	checkCode(t, err, fabrique.ENOTFOUND)
}

func TestCreatePlaceConcurrent(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	alice := mustUser(t, db, "Alice Martin")
	const n = 8
	var wg sync.WaitGroup
	slugs := make([]string, n)
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			p, err := db.CreatePlace(context.Background(), fabrique.NewPlace{Name: "Atelier", City: "Lyon", Region: "Bretagne"}, alice.ID)
			errs[i] = err
			if err == nil {
				slugs[i] = p.Slug
			}
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("create %d: %v", i, err)
		}
	}
	slices.Sort(slugs)
	if got := len(slices.Compact(slugs)); got != n {
		t.Errorf("distinct slugs: got %d (%v), want %d", got, slugs, n)
	}
}

func TestPlaces(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	alice, bob := mustUser(t, db, "Alice Martin"), mustUser(t, db, "Bob Durand")
	for i := 1; i <= 5; i++ {
		mustCreatePlace(t, db, fmt.Sprintf("Lieu breton %d", i), "Bretagne", alice)
	}
	corse := mustCreatePlace(t, db, "A Casa", "Corse", bob)
	mustJoinPlace(t, db, corse.ID, alice, bob)
	c := mustChallenge(t, db, "Réseau des fablabs", alice)
	if _, err := db.DeclareChallengePlace(ctx, c.ID, corse.ID, bob.ID); err != nil {
		t.Fatal(err)
	}

	list, total, err := db.Places(ctx, fabrique.PlaceFilter{Limit: 4})
	if err != nil {
		t.Fatal(err)
	}
	if total != 6 || len(list) != 4 || list[0].Slug != "a-casa" {
		t.Fatalf("first page: got %d of %d starting %q, want 4 of 6 starting a-casa", len(list), total, list[0].Slug)
	}
	if list[0].MemberCount != 2 || list[0].ChallengeCount != 1 || list[1].MemberCount != 1 || list[1].ChallengeCount != 0 {
		t.Errorf("counts: got %+v and %+v, want 2 members 1 défi, then 1 member 0 défi", list[0].PlaceStats, list[1].PlaceStats)
	}
	list, total, err = db.Places(ctx, fabrique.PlaceFilter{Limit: 4, Offset: 4})
	if err != nil {
		t.Fatal(err)
	}
	if total != 6 || len(list) != 2 {
		t.Errorf("second page: got %d of %d, want 2 of 6", len(list), total)
	}
	list, total, err = db.Places(ctx, fabrique.PlaceFilter{Region: "Bretagne"})
	if err != nil {
		t.Fatal(err)
	}
	if total != 5 || len(list) != 5 {
		t.Errorf("Bretagne: got %d of %d, want 5 of 5", len(list), total)
	}
	for _, p := range list {
		if p.Region != "Bretagne" {
			t.Errorf("Bretagne filter: got a place in %q", p.Region)
		}
	}
	if list, total, err = db.Places(ctx, fabrique.PlaceFilter{Region: "Mayotte"}); err != nil || total != 0 || len(list) != 0 {
		t.Errorf("Mayotte: got %d of %d (%v), want none", len(list), total, err)
	}
}

func TestJoinLeavePlace(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	alice, bob := mustUser(t, db, "Alice Martin"), mustUser(t, db, "Bob Durand")
	p := mustCreatePlace(t, db, "Atelier des Pentes", "Auvergne-Rhône-Alpes", alice)
	isMember := func(u *fabrique.User) bool {
		return countOf(t, db, `SELECT count(*) FROM place_members WHERE place_id = $1 AND user_id = $2`, p.ID, u.ID) == 1
	}

	// Asking twice is one request, which keeps the latest message; it makes nobody a member.
	for i, msg := range []string{"Je tiens l’accueil.", "Je tiens l’accueil le mardi."} {
		asked, err := db.RequestToJoinPlace(ctx, p.ID, bob.ID, msg)
		if err != nil || !asked {
			t.Errorf("request %d: got %v, %v, want true, nil", i+1, asked, err)
		}
	}
	if isMember(bob) {
		t.Fatal("a request made Bob a member at once")
	}
	reqs, err := db.PlaceRequests(ctx, p.ID, 0)
	if err != nil || len(reqs) != 1 || reqs[0].Message != "Je tiens l’accueil le mardi." || reqs[0].State != fabrique.PlaceRequestPending {
		t.Fatalf("requests: got %+v, %v, want Bob's one pending request with his latest message", reqs, err)
	}
	// Bob cannot accept himself, nor can another stranger.
	if _, err := db.DecidePlaceRequest(ctx, p.ID, bob, bob.ID, true); fabrique.ErrorCode(err) != fabrique.EFORBIDDEN {
		t.Errorf("Bob accepts himself: got %v, want EFORBIDDEN", err)
	}
	if isMember(bob) {
		t.Fatal("Bob accepted himself")
	}
	// Alice, the first member, accepts; the same decision again says so; the contrary is a conflict.
	if already, err := db.DecidePlaceRequest(ctx, p.ID, alice, bob.ID, true); err != nil || already {
		t.Fatalf("accept: got %v, %v, want false, nil", already, err)
	}
	if already, err := db.DecidePlaceRequest(ctx, p.ID, alice, bob.ID, true); err != nil || !already {
		t.Errorf("accept again: got %v, %v, want true, nil", already, err)
	}
	if _, err := db.DecidePlaceRequest(ctx, p.ID, alice, bob.ID, false); fabrique.ErrorCode(err) != fabrique.ECONFLICT {
		t.Errorf("refuse after accepting: got %v, want ECONFLICT", err)
	}
	if !isMember(bob) {
		t.Fatal("Bob is not a member once accepted")
	}
	if asked, err := db.RequestToJoinPlace(ctx, p.ID, bob.ID, ""); err != nil || asked {
		t.Errorf("a member asks again: got %v, %v, want false, nil", asked, err)
	}
	for i, want := range []bool{true, false} {
		left, err := db.LeavePlace(ctx, p.ID, bob.ID)
		if err != nil || left != want {
			t.Errorf("leave %d: got %v, %v, want %v, nil", i+1, left, err, want)
		}
	}
	if _, err := db.DecidePlaceRequest(ctx, p.ID, alice, bob.ID, true); fabrique.ErrorCode(err) != fabrique.ENOTFOUND {
		t.Errorf("accept a request withdrawn by leaving: got %v, want ENOTFOUND", err)
	}
	if _, err := db.RequestToJoinPlace(ctx, 999999, bob.ID, ""); fabrique.ErrorCode(err) != fabrique.ENOTFOUND {
		t.Errorf("join unknown place: got %v, want ENOTFOUND", err)
	}
}

func TestDecidePlaceRequestConcurrent(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	alice, carol, bob := mustUser(t, db, "Alice Martin"), mustUser(t, db, "Carol Petit"), mustUser(t, db, "Bob Durand")
	p := mustCreatePlace(t, db, "Atelier des Pentes", "Bretagne", alice)
	mustJoinPlace(t, db, p.ID, carol, alice)
	if _, err := db.RequestToJoinPlace(ctx, p.ID, bob.ID, ""); err != nil {
		t.Fatal(err)
	}
	// Alice accepts while Carol refuses, several times each: one decision wins, every
	// other one is either the same (already) or a conflict, and the state is the winner's.
	const n = 6
	var wg sync.WaitGroup
	var mu sync.Mutex
	decided := map[bool]int{}
	for i := range 2 * n {
		wg.Go(func() {
			accept, by := i%2 == 0, alice
			if !accept {
				by = carol
			}
			already, err := db.DecidePlaceRequest(context.Background(), p.ID, by, bob.ID, accept)
			switch {
			case err == nil && !already:
				mu.Lock()
				decided[accept]++
				mu.Unlock()
			case err == nil, fabrique.ErrorCode(err) == fabrique.ECONFLICT:
			default:
				t.Errorf("decide: %v", err)
			}
		})
	}
	wg.Wait()
	if decided[true]+decided[false] != 1 {
		t.Fatalf("decisions that changed the request: got %v, want exactly one", decided)
	}
	members := countOf(t, db, `SELECT count(*) FROM place_members WHERE place_id = $1 AND user_id = $2`, p.ID, bob.ID)
	if want := map[bool]int{true: 1, false: 0}[decided[true] == 1]; members != want {
		t.Errorf("Bob's memberships: got %d, want %d (accepted: %v)", members, want, decided[true] == 1)
	}
}

func TestVerifyPlace(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	alice, carol := mustUser(t, db, "Alice Martin"), mustUser(t, db, "Carol Petit")
	mustExec(t, db, `UPDATE users SET role = 'coordinator' WHERE id = $1`, carol.ID)
	carol.Role = fabrique.RoleCoordinator
	p := mustCreatePlace(t, db, "Atelier des Pentes", "Bretagne", alice)
	if _, err := db.VerifyPlace(ctx, alice, p.ID, ""); fabrique.ErrorCode(err) != fabrique.EFORBIDDEN {
		t.Errorf("a member verifies: got %v, want EFORBIDDEN", err)
	}
	if already, err := db.VerifyPlace(ctx, carol, p.ID, "Visite le 3 mars."); err != nil || already {
		t.Fatalf("verify: got %v, %v, want false, nil", already, err)
	}
	if already, err := db.VerifyPlace(ctx, carol, p.ID, "Encore."); err != nil || !already {
		t.Errorf("verify again: got %v, %v, want true, nil", already, err)
	}
	got, err := db.PlaceBySlug(ctx, p.Slug)
	if err != nil || !got.Verified() {
		t.Fatalf("place after verification: got %+v, %v, want verified", got, err)
	}
	v, err := db.PlaceVerificationOf(ctx, p.ID)
	if err != nil || v.ByName != "Carol Petit" || v.Note != "Visite le 3 mars." {
		t.Errorf("verification: got %+v, %v, want Carol's first note", v, err)
	}
	if n := countOf(t, db, `SELECT count(*) FROM audit_log WHERE action = 'place.verify' AND target_id = $1`, p.ID); n != 1 {
		t.Errorf("audit entries: got %d, want 1", n)
	}
	if _, err := db.VerifyPlace(ctx, carol, 999999, ""); fabrique.ErrorCode(err) != fabrique.ENOTFOUND {
		t.Errorf("verify unknown place: got %v, want ENOTFOUND", err)
	}
}

func TestDeclareChallengePlace(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	alice, bob, carol := mustUser(t, db, "Alice Martin"), mustUser(t, db, "Bob Durand"), mustUser(t, db, "Carol Petit")
	mustExec(t, db, `UPDATE users SET role = 'coordinator' WHERE id = $1`, carol.ID)
	carol.Role = fabrique.RoleCoordinator
	c := mustChallenge(t, db, "Réseau des fablabs", alice)
	atelier := mustCreatePlace(t, db, "Atelier des Pentes", "Auvergne-Rhône-Alpes", alice)
	mustCreatePlace(t, db, "La Grange", "Nouvelle-Aquitaine", alice)
	hangar := mustCreatePlace(t, db, "Le Hangar", "Bretagne", bob)

	for i, want := range []bool{true, false} {
		added, err := db.DeclareChallengePlace(ctx, c.ID, atelier.ID, alice.ID)
		if err != nil || added != want {
			t.Errorf("declare %d: got %v, %v, want %v, nil", i+1, added, err, want)
		}
	}
	if n := countOf(t, db, `SELECT count(*) FROM challenge_places WHERE challenge_id = $1`, c.ID); n != 1 {
		t.Errorf("rows after two declarations: got %d, want 1", n)
	}
	_, err := db.DeclareChallengePlace(ctx, c.ID, hangar.ID, alice.ID)
	checkCode(t, err, fabrique.EFORBIDDEN)
	_, err = db.DeclareChallengePlace(ctx, c.ID, 999999, alice.ID)
	checkCode(t, err, fabrique.ENOTFOUND)
	if _, err := db.DeclareChallengePlace(ctx, c.ID, hangar.ID, bob.ID); err != nil {
		t.Fatal(err)
	}

	// Alice sees the two concerned places, hers flagged, and her other place to declare.
	places, err := db.ChallengePlaces(ctx, c.ID, alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range places {
		got = append(got, fmt.Sprintf("%s linked=%v mine=%v", p.Slug, p.Linked, p.Mine))
	}
	want := []string{"atelier-des-pentes linked=true mine=true", "la-grange linked=false mine=true", "le-hangar linked=true mine=false"}
	if !slices.Equal(got, want) {
		t.Errorf("ChallengePlaces for Alice: got %v, want %v", got, want)
	}
	if places, err := db.ChallengePlaces(ctx, c.ID, 0); err != nil || len(places) != 2 {
		t.Errorf("ChallengePlaces for a visitor: got %d (%v), want the 2 concerned", len(places), err)
	}
	if chs, err := db.PlaceChallenges(ctx, atelier.ID); err != nil || len(chs) != 1 || chs[0].Slug != c.Slug {
		t.Errorf("PlaceChallenges: got %v (%v), want [%s]", chs, err, c.Slug)
	}

	// Withdrawing: not by a stranger, yes by a member or a coordinator.
	err = db.WithdrawChallengePlace(ctx, c.ID, hangar.ID, alice)
	checkCode(t, err, fabrique.EFORBIDDEN)
	err = db.WithdrawChallengePlace(ctx, c.ID, 999999, carol)
	checkCode(t, err, fabrique.ENOTFOUND)
	if err := db.WithdrawChallengePlace(ctx, c.ID, hangar.ID, bob); err != nil {
		t.Fatal(err)
	}
	if err := db.WithdrawChallengePlace(ctx, c.ID, atelier.ID, carol); err != nil {
		t.Fatal(err)
	}
	if n := countOf(t, db, `SELECT count(*) FROM challenge_places WHERE challenge_id = $1`, c.ID); n != 0 {
		t.Errorf("rows after withdrawals: got %d, want 0", n)
	}
}

func TestDeclareChallengePlaceConcurrent(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	alice := mustUser(t, db, "Alice Martin")
	c := mustChallenge(t, db, "Réseau des fablabs", alice)
	p := mustCreatePlace(t, db, "Atelier des Pentes", "Bretagne", alice)
	const n = 8
	var wg sync.WaitGroup
	var mu sync.Mutex
	added := 0
	for range n {
		wg.Go(func() {
			ok, err := db.DeclareChallengePlace(context.Background(), c.ID, p.ID, alice.ID)
			if err != nil {
				t.Errorf("declare: %v", err)
			}
			if ok {
				mu.Lock()
				added++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if added != 1 {
		t.Errorf("declarations that added a row: got %d, want 1", added)
	}
	if got := countOf(t, db, `SELECT count(*) FROM challenge_places WHERE challenge_id = $1`, c.ID); got != 1 {
		t.Errorf("rows: got %d, want 1", got)
	}
}

package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/fabrique-a-communs/fabrique/internal/apptest"
	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// mustAcceptPlaceMember makes user an accepted member of the tiers-lieu: they ask, and
// by, a member or a coordinator, accepts.
func mustAcceptPlaceMember(tb testing.TB, a *apptest.App, placeID int64, user, by *fabrique.User) {
	tb.Helper()
	ctx := context.Background()
	if _, err := a.DB.RequestToJoinPlace(ctx, placeID, user.ID, ""); err != nil {
		tb.Fatalf("RequestToJoinPlace: %v", err)
	}
	if _, err := a.DB.DecidePlaceRequest(ctx, placeID, by, user.ID, true); err != nil {
		tb.Fatalf("DecidePlaceRequest: %v", err)
	}
}

// flashAfter follows r's redirect with c and returns the flash shown there.
func flashAfter(t *testing.T, c *apptest.Client, r *apptest.Response) string {
	t.Helper()
	wantStatus(t, r, http.StatusSeeOther)
	return text(c.Get(r.Location()), "[data-testid=flash]")
}

// TestPlaceStrangerCannotActForThePlace: someone who asks to join a tiers-lieu is no
// member until a member accepts them: they cannot accept themselves, nor erase or add
// the place's declarations.
func TestPlaceStrangerCannotActForThePlace(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	ctx := context.Background()
	alice := a.CreateUser(t, "Alice Martin", "alice@example.org", "motdepasse-solide", fabrique.RoleContributor)
	mallory := a.CreateUser(t, "Mallory Intrus", "mallory@example.org", "motdepasse-solide", fabrique.RoleContributor)
	p := mustCreatePlace(t, a, alice.ID, "Atelier des Pentes", "Bretagne")
	ch := mustCreateChallenge(t, a, alice.ID, "Réseau des fablabs")
	if _, err := a.DB.DeclareChallengePlace(ctx, ch.ID, p.ID, alice.ID); err != nil {
		t.Fatal(err)
	}
	k, err := a.DB.CreateCommons(ctx, fabrique.CommonsForm{Name: "Dokos", Kind: "logiciel", Summary: "Un ERP."})
	if err != nil {
		t.Fatal(err)
	}
	path := "/tiers-lieux/" + p.Slug

	anon := a.Client(t)
	if r := anon.Post(path+"/membres/"+idStr(mallory.ID)+"/accepter", nil); !isLoginRedirect(r) {
		t.Errorf("anonymous accept: got %d %q, want 303 to /connexion", r.StatusCode, r.Location())
	}
	c := a.Client(t)
	c.Login("mallory@example.org", "motdepasse-solide")
	r := c.Post(path+"/membres", url.Values{"message": {strings.Repeat("é", 1001)}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if got := text(r, "[data-testid=error-message]"); got != "Le message ne doit pas dépasser 1 000 caractères." {
		t.Errorf("too long a message: got %q", got)
	}
	if got := countRows(t, a, `SELECT count(*) FROM place_requests`); got != 0 {
		t.Errorf("requests after a refused form: got %d, want 0", got)
	}
	wantRedirect(t, c.Post(path+"/membres", url.Values{"message": {"C’est moi."}}), path)
	for _, tc := range []struct {
		name, path string
		form       url.Values
	}{
		{"accept oneself", path + "/membres/" + idStr(mallory.ID) + "/accepter", nil},
		{"withdraw the place from a défi", "/defis/" + ch.Slug + "/tiers-lieux/" + idStr(p.ID) + "/retirer", nil},
		{"declare the place concerned", "/defis/" + ch.Slug + "/tiers-lieux", url.Values{"place_id": {idStr(p.ID)}}},
		{"declare a commun used", "/communs/" + k.Slug + "/tiers-lieux", url.Values{"place_id": {idStr(p.ID)}}},
		{"verify the place", path + "/verification", url.Values{"note": {"Je me vérifie."}}},
	} {
		if r := c.Post(tc.path, tc.form); r.StatusCode != http.StatusForbidden {
			t.Errorf("%s: got %d, want 403", tc.name, r.StatusCode)
		}
	}
	for query, want := range map[string]int{
		`SELECT count(*) FROM place_members WHERE user_id = ` + idStr(mallory.ID):                   0,
		`SELECT count(*) FROM challenge_places WHERE place_id = ` + idStr(p.ID):                     1,
		`SELECT count(*) FROM commons_places WHERE place_id = ` + idStr(p.ID):                       0,
		`SELECT count(*) FROM places WHERE verified_at IS NOT NULL`:                                 0,
		`SELECT count(*) FROM place_requests WHERE state = 'pending' AND place_id = ` + idStr(p.ID): 1,
	} {
		if got := countRows(t, a, query); got != want {
			t.Errorf("%s: got %d, want %d", query, got, want)
		}
	}
	// Refused, Mallory may ask again; a refusal then an acceptance is a conflict.
	ac := a.Client(t)
	ac.Login("alice@example.org", "motdepasse-solide")
	refuse, accept := path+"/membres/"+idStr(mallory.ID)+"/refuser", path+"/membres/"+idStr(mallory.ID)+"/accepter"
	wantRedirect(t, ac.Post(refuse, nil), path)
	if got := flashAfter(t, ac, ac.Post(refuse, nil)); !strings.Contains(got, "déjà été refusée") {
		t.Errorf("refusing twice: flash %q, want « déjà … refusée »", got)
	}
	if r := ac.Post(accept, nil); r.StatusCode != http.StatusConflict {
		t.Errorf("accepting a refused request: got %d, want 409", r.StatusCode)
	}
	if got := text(c.Get(path), "[data-testid=place-request-refused]"); got == "" {
		t.Error("the refused requester is not told")
	}
	if r := ac.Post(path+"/membres/999999/accepter", nil); r.StatusCode != http.StatusNotFound {
		t.Errorf("accepting nobody's request: got %d, want 404", r.StatusCode)
	}
}

// TestPlaceRequestConcurrentDecisions: a member accepting while a coordinator refuses,
// several times each at once: one decision wins; the same decision again answers 303
// « déjà », the contrary 409, and the data follow the winner.
func TestPlaceRequestConcurrentDecisions(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	alice := a.CreateUser(t, "Alice Martin", "alice@example.org", "motdepasse-solide", fabrique.RoleContributor)
	bob := a.CreateUser(t, "Bob Durand", "bob@example.org", "motdepasse-solide", fabrique.RoleContributor)
	a.CreateUser(t, "Carol Petit", "carol@example.org", "motdepasse-solide", fabrique.RoleCoordinator)
	p := mustCreatePlace(t, a, alice.ID, "Atelier des Pentes", "Bretagne")
	if _, err := a.DB.RequestToJoinPlace(context.Background(), p.ID, bob.ID, ""); err != nil {
		t.Fatal(err)
	}
	path := "/tiers-lieux/" + p.Slug + "/membres/" + idStr(bob.ID)
	ac, cc := a.Client(t), a.Client(t)
	ac.Login("alice@example.org", "motdepasse-solide")
	cc.Login("carol@example.org", "motdepasse-solide")
	const n = 5
	statuses := map[string][]int{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := make(chan struct{})
	for range n {
		for action, c := range map[string]*apptest.Client{"accepter": ac, "refuser": cc} {
			wg.Go(func() {
				<-start
				r := c.Post(path+"/"+action, nil)
				mu.Lock()
				statuses[action] = append(statuses[action], r.StatusCode)
				mu.Unlock()
			})
		}
	}
	close(start)
	wg.Wait()
	member := countRows(t, a, `SELECT count(*) FROM place_members WHERE place_id = $1 AND user_id = $2`, p.ID, bob.ID) == 1
	winner, loser := "refuser", "accepter"
	if member {
		winner, loser = loser, winner
	}
	for _, s := range statuses[winner] {
		if s != http.StatusSeeOther {
			t.Errorf("%s (the winning decision): got %d, want 303 for each", winner, s)
		}
	}
	for _, s := range statuses[loser] {
		if s != http.StatusConflict {
			t.Errorf("%s (the losing decision): got %d, want 409 for each", loser, s)
		}
	}
	state := map[bool]string{true: "accepted", false: "refused"}[member]
	if got := countRows(t, a, `SELECT count(*) FROM place_requests WHERE place_id = $1 AND user_id = $2 AND state = $3`, p.ID, bob.ID, state); got != 1 {
		t.Errorf("request in state %s: got %d rows, want 1", state, got)
	}
}

// TestPlaceVerificationHTTP: a coordinator verifies a tiers-lieu once, audit-logged; its
// page and the list show the badge, and coordinators who and when.
func TestPlaceVerificationHTTP(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	alice := a.CreateUser(t, "Alice Martin", "alice@example.org", "motdepasse-solide", fabrique.RoleContributor)
	a.CreateUser(t, "Carol Petit", "carol@example.org", "motdepasse-solide", fabrique.RoleCoordinator)
	p := mustCreatePlace(t, a, alice.ID, "Atelier des Pentes", "Bretagne")
	path := "/tiers-lieux/" + p.Slug
	ac, cc := a.Client(t), a.Client(t)
	ac.Login("alice@example.org", "motdepasse-solide")
	cc.Login("carol@example.org", "motdepasse-solide")

	if r := a.Client(t).Post(path+"/verification", nil); !isLoginRedirect(r) {
		t.Errorf("anonymous verification: got %d %q, want 303 to /connexion", r.StatusCode, r.Location())
	}
	if r := ac.Post(path+"/verification", url.Values{"note": {"C’est nous."}}); r.StatusCode != http.StatusForbidden {
		t.Errorf("a member verifies their own place: got %d, want 403", r.StatusCode)
	}
	if n := ac.Get(path).Doc.Find("[data-testid=place-verified]").Length(); n != 0 {
		t.Errorf("badge before verification: got %d, want 0", n)
	}
	if n := cc.Get(path).Doc.Find(`form[action="` + path + `/verification"]`).Length(); n != 1 {
		t.Errorf("verification form for a coordinator: got %d, want 1", n)
	}
	r := cc.Post(path+"/verification", url.Values{"note": {strings.Repeat("x", 1001)}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if got := flashAfter(t, cc, cc.Post(path+"/verification", url.Values{"note": {"Visite sur place le 3 mars."}})); !strings.Contains(got, "Tiers-lieu vérifié") {
		t.Errorf("flash after verification: got %q", got)
	}
	if got := flashAfter(t, cc, cc.Post(path+"/verification", url.Values{"note": {"Encore."}})); !strings.Contains(got, "déjà vérifié") {
		t.Errorf("flash after a second verification: got %q, want « déjà vérifié »", got)
	}
	if got := countRows(t, a, `SELECT count(*) FROM audit_log WHERE action = 'place.verify' AND target_id = $1`, p.ID); got != 1 {
		t.Errorf("audit entries: got %d, want 1", got)
	}
	for _, c := range []*apptest.Client{a.Client(t), ac, cc} {
		if got := text(c.Get(path), "[data-testid=place-verified]"); got != "tiers-lieu vérifié" {
			t.Errorf("badge on the page: got %q, want « tiers-lieu vérifié »", got)
		}
		if n := c.Get("/tiers-lieux").Doc.Find(`[data-slug="` + p.Slug + `"] [data-testid=place-verified]`).Length(); n != 1 {
			t.Errorf("badge in the list: got %d, want 1", n)
		}
	}
	if got := text(cc.Get(path), "[data-testid=place-verification]"); !strings.Contains(got, "Carol Petit") || !strings.Contains(got, "Visite sur place le 3 mars.") {
		t.Errorf("who verified, for a coordinator: got %q", got)
	}
	if n := ac.Get(path).Doc.Find("[data-testid=place-verification]").Length(); n != 0 {
		t.Errorf("who verified, for a member: got %d, want 0 (coordinators only)", n)
	}
}

// TestPlacePledgeMatchedOnlyWhenVerified: a stranger who asks to join a tiers-lieu
// cannot pledge in its name; accepted, their pledge as the place is shown but not
// matched while the place is not verified — on the call's page, in the step's figures,
// and in what closing the call posts; once a coordinator verifies the place, the same
// pledge is matched, and closing posts it.
func TestPlacePledgeMatchedOnlyWhenVerified(t *testing.T) {
	t.Parallel()
	s := newCallSetup(t)
	ctx := context.Background()
	rule := fabrique.MatchRule{Percent: 100, Kinds: []string{"tiers-lieu"}, Pool: 1000000}
	early := s.call(t, "Appel express", -5, 5, rule)
	first := s.call(t, "Appel du printemps", -5, 10, rule)
	second := s.call(t, "Appel de l’été", -5, 20, rule)
	z := s.step(t, s.commons.ID, 1000000, early)
	a, b := s.step(t, s.commons.ID, 1000000, first), s.step(t, s.commons.ID, 1000000, second)
	matchingPosted := func(c *fabrique.Call) int {
		return countRows(t, s.a, `SELECT coalesce(sum(amount), 0)::int FROM ledger_transactions WHERE kind = 'matching' AND cause_id = $1`, c.ID)
	}
	place := mustCreatePlace(t, s.a, s.users["porteur"].ID, "La Fabrik", "Bretagne")
	path := "/tiers-lieux/" + place.Slug
	stranger, coord := s.clients["contributeur"], s.clients["coordination"]
	keys := 0
	pledgeForm := func() url.Values {
		keys++
		return url.Values{"amount": {"1 000"}, "funder_kind": {"tiers-lieu"}, "organisation": {"La Fabrik"},
			"place_id": {idStr(place.ID)}, "idempotency_key": {"cle-lieu-" + idStr(int64(keys))}}
	}
	figures := func(c *fabrique.Call) (callSecured, callProjected, stepSecured string) {
		t.Helper()
		page := coord.Get("/cofinancement/" + c.Slug)
		wantStatus(t, page, http.StatusOK)
		return dd(page, "[data-testid=call-pool-figures]", "call-matched-secured"),
			dd(page, "[data-testid=call-pool-figures]", "call-matched-projected"),
			strings.Join(strings.Fields(page.Doc.Find(`[data-testid=step-matched-secured]`).First().Text()), " ")
	}

	// The stranger asks to join and pledges in the place's name at once: refused, nothing
	// matched, nothing posted when the call closes.
	wantRedirect(t, stranger.Post(path+"/membres", url.Values{"message": {"Je suis de La Fabrik."}}), path)
	if r := stranger.Post("/etapes/"+idStr(z)+"/promesses", pledgeForm()); r.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("pledge as a place one only asked to join: got %d, want 422", r.StatusCode)
	}
	if _, projected, _ := figures(early); projected != money(0) {
		t.Errorf("projected matching after a stranger's pledge: got %q, want %q", projected, money(0))
	}
	if r := coord.Get("/coordination/promesses"); r.Doc.Find("[data-testid=pledge]").Length() == 1 {
		wantStatus(t, coord.Post("/promesses/"+r.Doc.Find("[data-testid=pledge]").AttrOr("data-id", "")+"/confirmer", url.Values{}), http.StatusSeeOther)
	}
	wantStatus(t, coord.Post("/cofinancement/"+early.Slug+"/cloture", url.Values{}), http.StatusSeeOther)
	if got := matchingPosted(early); got != 0 {
		t.Errorf("matching posted for a stranger's pledge at the close: got %d, want 0", got)
	}

	// Accepted by the porteur, a member of the place, they pledge to both steps; the
	// place is not verified: shown, not matched.
	porteur := s.clients["porteur"]
	wantRedirect(t, porteur.Post(path+"/membres/"+idStr(s.users["contributeur"].ID)+"/accepter", nil), path)
	var pledgeIDs []int64
	for _, step := range []int64{a, b} {
		wantStatus(t, stranger.Post("/etapes/"+idStr(step)+"/promesses", pledgeForm()), http.StatusSeeOther)
		var id int64
		if err := s.a.SQL.QueryRow(ctx, `SELECT id FROM pledges WHERE step_id = $1`, step).Scan(&id); err != nil {
			t.Fatal(err)
		}
		pledgeIDs = append(pledgeIDs, id)
	}
	page := coord.Get("/cofinancement/" + first.Slug)
	if got := text(page, "[data-testid=step-funder] [data-testid=funder-unmatched]"); got != "non abondée (tiers-lieu non vérifié)" {
		t.Errorf("the pledge's row on the call's page: got %q, want « non abondée (tiers-lieu non vérifié) »", got)
	}
	// The coordination confirming funds sees the place and that it is not verified.
	waiting := coord.Get("/coordination/promesses")
	item := waiting.Doc.Find(`[data-testid=pledge][data-id="` + idStr(pledgeIDs[0]) + `"] [data-testid=pledge-place]`)
	if item.AttrOr("data-verified", "") != "false" || item.AttrOr("data-member", "") != "true" || !strings.Contains(item.Text(), "La Fabrik") {
		t.Errorf("place of the pledge for the coordination: got %q (verified %q, member %q), want La Fabrik, not verified, member",
			item.Text(), item.AttrOr("data-verified", ""), item.AttrOr("data-member", ""))
	}
	for _, id := range pledgeIDs {
		wantStatus(t, coord.Post("/promesses/"+idStr(id)+"/confirmer", url.Values{}), http.StatusSeeOther)
	}
	for _, c := range []*fabrique.Call{first, second} {
		secured, projected, step := figures(c)
		if secured != money(0) || projected != money(0) || step != money(0) {
			t.Errorf("%s before verification: secured %q, projected %q, step %q; want %q each", c.Title, secured, projected, step, money(0))
		}
	}

	// Closing the first call now posts no matching.
	wantStatus(t, coord.Post("/cofinancement/"+first.Slug+"/cloture", url.Values{}), http.StatusSeeOther)
	if got := matchingPosted(first); got != 0 {
		t.Errorf("matching posted at the close of the first call: got %d, want 0", got)
	}

	// Verified, the place's pledge to the second call is matched, and closing posts it.
	wantStatus(t, coord.Post(path+"/verification", url.Values{"note": {"Visite."}}), http.StatusSeeOther)
	secured, projected, step := figures(second)
	// Its funds received, the pledge's matching is secured: none is left projected on promises.
	if secured != money(100000) || projected != money(0) || step != money(100000) {
		t.Errorf("second call once verified: secured %q, projected %q, step %q; want %q, %q, %q", secured, projected, step, money(100000), money(0), money(100000))
	}
	if n := coord.Get("/cofinancement/" + second.Slug).Doc.Find("[data-testid=funder-unmatched]").Length(); n != 0 {
		t.Errorf("« non abondée » badges once verified: got %d, want 0", n)
	}
	wantStatus(t, coord.Post("/cofinancement/"+second.Slug+"/cloture", url.Values{}), http.StatusSeeOther)
	if got := matchingPosted(second); got != 100000 {
		t.Errorf("matching posted at the close of the second call: got %d, want 100000", got)
	}
	wantLedgerZero(t, s.a)
}

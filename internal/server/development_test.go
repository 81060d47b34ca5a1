package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/fabrique-a-communs/fabrique/internal/apptest"
	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/i18n"
	"github.com/fabrique-a-communs/fabrique/web/pages"
)

// devFramed fills the framing of the défi, so a coordinator may move it to développement.
func devFramed(tb testing.TB, a *apptest.App, challengeID int64, by *fabrique.User) {
	tb.Helper()
	var f fabrique.Framing
	for _, fd := range fabrique.FramingFields {
		f.Set(fd.Name, "Texte de "+fd.Label+".")
	}
	if err := a.DB.SaveFraming(context.Background(), challengeID, by, f, nil); err != nil {
		tb.Fatalf("framing: %v", err)
	}
}

// startDev is startLoot with the framing complete: the défi may move to développement.
func startDev(tb testing.TB, seed int64) *lootApp {
	tb.Helper()
	l := startLoot(tb, seed)
	devFramed(tb, l.a, l.c.ID, l.lead)
	return l
}

// devChallenge adds another défi led by the porteur, with the author and the member in
// its team, in préfiguration with its framing complete.
func (l *lootApp) devChallenge(tb testing.TB, title string) *fabrique.Challenge {
	tb.Helper()
	c := mustCreateChallenge(tb, l.a, l.lead.ID, title)
	for _, u := range []*fabrique.User{l.author, l.member} {
		lootExec(tb, l.a, `INSERT INTO challenge_members (challenge_id, user_id, role, state, decided_at) VALUES ($1, $2, 'member', 'accepted', now())`, c.ID, u.ID)
	}
	lootExec(tb, l.a, `UPDATE challenges SET status = 'prefiguration' WHERE id = $1`, c.ID)
	devFramed(tb, l.a, c.ID, l.lead)
	return c
}

// develop moves the défi to développement through the store and returns its commun.
func (l *lootApp) develop(tb testing.TB) *fabrique.Commons {
	tb.Helper()
	moved, err := l.a.DB.MoveChallenge(context.Background(), l.c.ID, l.coord, fabrique.StatusMove{To: fabrique.StatusDevelopment})
	if err != nil || moved.Commons == nil {
		tb.Fatalf("develop: %+v, %v", moved, err)
	}
	return moved.Commons
}

// fundCommons records cents of confirmed co-financing received by the commun.
func (l *lootApp) fundCommons(tb testing.TB, commonsID, cents int64) {
	tb.Helper()
	if _, err := l.a.DB.Post(context.Background(), fabrique.Movement{Kind: fabrique.TxPledge, Amount: cents,
		From: fabrique.AccountRef{Kind: fabrique.AccountOutside}, To: fabrique.AccountRef{Kind: fabrique.AccountCommonsFunds, CommonsID: commonsID},
		CauseType: "pledge"}); err != nil {
		tb.Fatal(err)
	}
}

// logWork records quarters of paid work by u on the défi, for stepID (0: none).
func (l *lootApp) logWork(tb testing.TB, u *fabrique.User, quarters int, stepID int64) *fabrique.ContributionRecord {
	tb.Helper()
	rec, err := l.a.DB.LogContribution(context.Background(), l.c.ID, u.ID, fabrique.Contribution{
		WorkedOn: time.Now().UTC().AddDate(0, 0, -2), Quarters: quarters, Activity: "developpement"}, stepID)
	if err != nil {
		tb.Fatalf("log work: %v", err)
	}
	return rec
}

func devStatusForm(statut string, extra ...string) url.Values {
	v := url.Values{"statut": {statut}, "note": {"Pertinence démontrée."}}
	for i := 0; i+1 < len(extra); i += 2 {
		v.Set(extra[i], extra[i+1])
	}
	return v
}

func idOf(id int64) string { return strconv.FormatInt(id, 10) }

// TestDevelopAuthorisation walks the move to développement with a commun chosen, role by
// role, each on a défi of its own.
func TestDevelopAuthorisation(t *testing.T) {
	t.Parallel()
	l := startLoot(t, 0)
	dokos, err := l.a.DB.CreateCommons(context.Background(), fabrique.CommonsForm{Name: "Dokos", Kind: "logiciel", Summary: "Un ERP."})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		role string
		want int // 303 to the défi; 0: 303 to /connexion
	}{
		{"anonymous", 0},
		{"contributor", http.StatusForbidden},
		{"member", http.StatusForbidden},
		{"lead", http.StatusForbidden},
		{"coordinator", http.StatusSeeOther},
	}
	for _, tc := range cases {
		c := l.devChallenge(t, "Défi de "+tc.role)
		r := l.clients[tc.role].Post("/defis/"+c.Slug+"/statut", devStatusForm("developpement", "commons_id", idOf(dokos.ID)))
		switch tc.want {
		case 0:
			if !isLoginRedirect(r) {
				t.Errorf("%s: got %d %q, want a redirect to /connexion", tc.role, r.StatusCode, r.Location())
			}
		case http.StatusSeeOther:
			wantRedirect(t, r, "/defis/"+c.Slug)
		default:
			if r.StatusCode != tc.want {
				t.Errorf("%s: got status %d, want %d", tc.role, r.StatusCode, tc.want)
			}
		}
		var status string
		if err := l.a.SQL.QueryRow(context.Background(), `SELECT status FROM challenges WHERE id = $1`, c.ID).Scan(&status); err != nil {
			t.Fatal(err)
		}
		links := countRows(t, l.a, `SELECT count(*) FROM challenge_commons WHERE challenge_id = $1 AND commons_id = $2 AND relation = 'origine'`, c.ID, dokos.ID)
		moved := tc.want == http.StatusSeeOther
		if (status == "developpement") != moved || (links == 1) != moved {
			t.Errorf("%s: got status %s and %d origin links, want moved=%v", tc.role, status, links, moved)
		}
	}
	// Attaching creates no commun and is audited once.
	if n := countRows(t, l.a, `SELECT count(*) FROM commons`); n != 1 {
		t.Errorf("got %d communs, want only Dokos", n)
	}
	if n := countRows(t, l.a, `SELECT count(*) FROM audit_log WHERE action = 'commons.attach' AND target_id = $1`, dokos.ID); n != 1 {
		t.Errorf("got %d audit entries, want 1", n)
	}
}

// TestDevelopCreatesCommons: the move creates the commun from the défi, the défi's page
// links to it, the commun's page shows the team and links back; moving back and forth
// keeps the same commun.
func TestDevelopCreatesCommons(t *testing.T) {
	t.Parallel()
	l := startDev(t, 0)
	coord := l.clients["coordinator"]
	path := "/defis/" + l.c.Slug
	r := coord.Post(path+"/statut", devStatusForm("developpement", "commons_kind", "logiciel"))
	wantRedirect(t, r, path)
	r = coord.Follow(r)
	if got := text(r, "[data-testid=flash]"); !strings.Contains(got, "le commun qui en est issu est créé") {
		t.Errorf("flash: got %q", got)
	}
	var slug, name, kind, summary string
	if err := l.a.SQL.QueryRow(context.Background(),
		`SELECT k.slug, k.name, k.kind, k.summary FROM commons k JOIN challenge_commons cc ON cc.commons_id = k.id
		 WHERE cc.challenge_id = $1 AND cc.relation = 'origine'`, l.c.ID).Scan(&slug, &name, &kind, &summary); err != nil {
		t.Fatal(err)
	}
	if slug != "cantine-partagee" || name != l.c.Title || kind != "logiciel" || summary != l.c.Summary {
		t.Errorf("commun: got %s %q %s %q, want cantine-partagee named after the défi, logiciel, its summary", slug, name, kind, summary)
	}
	// The défi's page: the linked communs say where it came from.
	item := r.Doc.Find(`[data-testid=linked-commons-item][data-relation=origine]`)
	if item.Length() != 1 || item.AttrOr("data-slug", "") != slug || strings.TrimSpace(item.Find("[data-testid=relation]").Text()) != "Commun issu du défi" {
		t.Errorf("défi page: got %d origin items (%q), want the commun, « Commun issu du défi »", item.Length(), item.Text())
	}
	if href := item.Find("a").AttrOr("href", ""); href != "/communs/"+slug {
		t.Errorf("link to the commun: got %q", href)
	}

	// The commun's page: the team, porteur marked, and the way back.
	r = l.clients["anonymous"].Get("/communs/" + slug)
	wantStatus(t, r, http.StatusOK)
	if href := r.Doc.Find("[data-testid=commons-origin-link]").AttrOr("href", ""); href != path {
		t.Errorf("link back: got %q, want %s", href, path)
	}
	type member struct {
		name string
		lead bool
	}
	var team []member
	r.Doc.Find("[data-testid=commons-team-member]").Each(func(_ int, s *goquery.Selection) {
		team = append(team, member{strings.TrimSpace(s.Find("[data-testid=member-name]").Text()), s.Find("[data-testid=lead-badge]").Length() == 1})
	})
	want := []member{{"Léa Porteuse", true}, {"Marc Auteur", false}, {"Nina Membre", false}}
	if len(team) != len(want) {
		t.Fatalf("team: got %v, want %v", team, want)
	}
	for i := range want {
		if team[i] != want[i] {
			t.Errorf("team[%d]: got %v, want %v", i, team[i], want[i])
		}
	}

	// Back to préfiguration and forth: the same commun, no second link.
	wantRedirect(t, coord.Post(path+"/statut", devStatusForm("prefiguration")), path)
	wantRedirect(t, coord.Post(path+"/statut", devStatusForm("developpement")), path)
	if n := countRows(t, l.a, `SELECT count(*) FROM commons`); n != 1 {
		t.Errorf("got %d communs after moving back and forth, want 1", n)
	}
	if n := countRows(t, l.a, `SELECT count(*) FROM challenge_commons WHERE challenge_id = $1`, l.c.ID); n != 1 {
		t.Errorf("got %d links after moving back and forth, want 1", n)
	}
	for action, want := range map[string]int{"commons.create": 1, "commons.resume": 1} {
		if n := countRows(t, l.a, `SELECT count(*) FROM audit_log WHERE action = $1`, action); n != want {
			t.Errorf("audit %s: got %d, want %d", action, n, want)
		}
	}
}

// TestDevelopInvalid: a commun that does not exist, an odd id or kind, another commun
// than the one the défi came from: 422 next to the field, nothing written.
func TestDevelopInvalid(t *testing.T) {
	t.Parallel()
	l := startDev(t, 0)
	ctx := context.Background()
	dokos, err := l.a.DB.CreateCommons(ctx, fabrique.CommonsForm{Name: "Dokos", Kind: "logiciel", Summary: "Un ERP."})
	if err != nil {
		t.Fatal(err)
	}
	other := l.devChallenge(t, "Réserver les salles")
	if _, err := l.a.DB.MoveChallenge(ctx, other.ID, l.coord, fabrique.StatusMove{To: fabrique.StatusDevelopment}); err != nil {
		t.Fatal(err)
	}
	// This one went back to préfiguration, keeping its commun.
	if err := l.a.DB.ChangeStatus(ctx, other.ID, l.coord, fabrique.StatusFraming, "Retour."); err != nil {
		t.Fatal(err)
	}
	coord := l.clients["coordinator"]
	cases := []struct {
		name, slug, field, want string
		form                    url.Values
	}{
		{"unknown commun", l.c.Slug, "commons_id", "Ce commun n’existe pas dans la cartographie.", devStatusForm("developpement", "commons_id", "999999")},
		{"not a number", l.c.Slug, "commons_id", "Ce commun n’existe pas dans la cartographie.", devStatusForm("developpement", "commons_id", "abc")},
		{"negative", l.c.Slug, "commons_id", "Ce commun n’existe pas dans la cartographie.", devStatusForm("developpement", "commons_id", "-3")},
		{"bad kind", l.c.Slug, "commons_kind", "Choisissez un type de commun.", devStatusForm("developpement", "commons_kind", "fusée")},
		{"another commun than its own", other.Slug, "commons_id", "Ce défi a déjà donné naissance à un commun", devStatusForm("developpement", "commons_id", idOf(dokos.ID))},
	}
	communs := countRows(t, l.a, `SELECT count(*) FROM commons`)
	links := countRows(t, l.a, `SELECT count(*) FROM challenge_commons`)
	for _, tc := range cases {
		r := coord.Post("/defis/"+tc.slug+"/statut", tc.form)
		wantStatus(t, r, http.StatusUnprocessableEntity)
		if got := text(r, "[data-testid=field-"+tc.field+"] [data-testid=error-"+tc.field+"]"); !strings.HasPrefix(got, tc.want) {
			t.Errorf("%s: got error %q next to %s, want %q", tc.name, got, tc.field, tc.want)
		}
		if r.Doc.Find("[data-testid=challenge-page]").Length() != 1 {
			t.Errorf("%s: the défi's page is not re-rendered", tc.name)
		}
	}
	if n := countRows(t, l.a, `SELECT count(*) FROM challenges WHERE status = 'developpement'`); n != 0 {
		t.Errorf("got %d défis in développement, want 0", n)
	}
	if n := countRows(t, l.a, `SELECT count(*) FROM commons`); n != communs {
		t.Errorf("got %d communs, want %d", n, communs)
	}
	if n := countRows(t, l.a, `SELECT count(*) FROM challenge_commons`); n != links {
		t.Errorf("got %d links, want %d", n, links)
	}
	// The re-rendered form keeps the choice and offers the communs.
	r := coord.Post("/defis/"+l.c.Slug+"/statut", devStatusForm("developpement", "commons_id", "999999", "commons_kind", "methode"))
	if got := r.Doc.Find("select[name=commons_id] option[value='" + idOf(dokos.ID) + "']").Length(); got != 1 {
		t.Errorf("re-rendered form: got %d options for Dokos, want 1", got)
	}
	if got := r.Doc.Find("select[name=commons_kind] option[selected]").AttrOr("value", ""); got != "methode" {
		t.Errorf("re-rendered kind: got %q, want methode", got)
	}
}

// Two coordinators move the défi at once: one commun, one link, one 303 and one 422.
func TestDevelopConcurrent(t *testing.T) {
	t.Parallel()
	l := startDev(t, 0)
	l.a.CreateUser(t, "Paul Coord", "paul@example.org", lootPass, fabrique.RoleCoordinator)
	paul := l.a.Client(t)
	paul.Login("paul@example.org", lootPass)
	codes := make([]int, 2)
	var wg sync.WaitGroup
	for i, c := range []*apptest.Client{l.clients["coordinator"], paul} {
		wg.Go(func() { codes[i] = c.Post("/defis/"+l.c.Slug+"/statut", devStatusForm("developpement")).StatusCode })
	}
	wg.Wait()
	got := map[int]int{}
	for _, c := range codes {
		got[c]++
	}
	if got[http.StatusSeeOther] != 1 || got[http.StatusUnprocessableEntity] != 1 {
		t.Errorf("got statuses %v, want one 303 and one 422", codes)
	}
	if n := countRows(t, l.a, `SELECT count(*) FROM commons`); n != 1 {
		t.Errorf("got %d communs, want 1", n)
	}
	if n := countRows(t, l.a, `SELECT count(*) FROM challenge_commons WHERE challenge_id = $1 AND relation = 'origine'`, l.c.ID); n != 1 {
		t.Errorf("got %d origin links, want 1", n)
	}
	if n := countRows(t, l.a, `SELECT count(*) FROM challenge_status_changes WHERE challenge_id = $1 AND to_status = 'developpement'`, l.c.ID); n != 1 {
		t.Errorf("got %d moves recorded, want 1", n)
	}
}

// TestStatusFormOffersCommons: coordinators see the commun part of the status form while
// développement is among their moves; others never do.
func TestStatusFormOffersCommons(t *testing.T) {
	t.Parallel()
	l := startDev(t, 0)
	dokos, err := l.a.DB.CreateCommons(context.Background(), fabrique.CommonsForm{Name: "Dokos", Kind: "logiciel", Summary: "Un ERP."})
	if err != nil {
		t.Fatal(err)
	}
	path := "/defis/" + l.c.Slug
	for _, role := range []string{"anonymous", "contributor", "member", "lead"} {
		if n := l.clients[role].Get(path).Doc.Find("[data-testid=develop-fields]").Length(); n != 0 {
			t.Errorf("%s: got %d commun choices, want 0", role, n)
		}
	}
	r := l.clients["coordinator"].Get(path)
	form := r.Doc.Find(`form[method=post][action="` + path + `/statut"]`)
	var options []string
	form.Find("select[name=commons_id] option").Each(func(_ int, o *goquery.Selection) {
		options = append(options, o.AttrOr("value", "")+"="+strings.TrimSpace(o.Text()))
	})
	if got, want := strings.Join(options, ","), "=Créer le commun « Cantine partagée »,"+idOf(dokos.ID)+"=Dokos"; got != want {
		t.Errorf("commun choices: got %s, want %s", got, want)
	}
	if got := form.Find("select[name=commons_kind] option[selected]").AttrOr("value", ""); got != "autre" {
		t.Errorf("default kind: got %q, want autre", got)
	}
	// Back in préfiguration, the défi keeps its commun: the form names it.
	k := l.develop(t)
	wantRedirect(t, l.clients["coordinator"].Post(path+"/statut", devStatusForm("prefiguration")), path)
	r = l.clients["coordinator"].Get(path)
	if got := r.Doc.Find("[data-testid=develop-origin] a").AttrOr("href", ""); got != "/communs/"+k.Slug {
		t.Errorf("origin named in the form: got %q, want /communs/%s", got, k.Slug)
	}
	if n := r.Doc.Find("select[name=commons_id]").Length(); n != 0 {
		t.Errorf("got %d commun selects for a défi with its commun, want 0", n)
	}
}

// TestDevelopFieldsRender renders the commun part of the status form alone.
func TestDevelopFieldsRender(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	err := pages.ChallengeStatusSection(pages.ChallengeStatusView{
		Slug: "cantine", Status: fabrique.StatusFraming, Moves: []fabrique.MoveOption{{To: fabrique.StatusDevelopment, Allowed: true}},
		Errors: map[string]string{"commons_id": "Ce commun n’existe pas dans la cartographie."},
		Develop: &pages.DevelopChoices{Title: "Cantine", CommonsID: "7", CommonsKind: "donnees",
			Commons: []fabrique.CommonsChoice{{ID: 7, Name: "Dokos"}, {ID: 9, Name: "Loot"}}},
	}).Render(i18n.WithLang(context.Background(), i18n.English), &b)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if got := doc.Find("select[name=commons_id] option[selected]").AttrOr("value", ""); got != "7" {
		t.Errorf("selected commun: got %q, want 7", got)
	}
	if got := strings.TrimSpace(doc.Find("select[name=commons_id] option").First().Text()); got != "Create the commons “Cantine”" {
		t.Errorf("first option in English: got %q", got)
	}
	if got := strings.TrimSpace(doc.Find("[data-testid=error-commons_id]").Text()); got != "This commons is not on the map." {
		t.Errorf("error in English: got %q", got)
	}
	if got := doc.Find("select[name=commons_id]").AttrOr("aria-invalid", ""); got != "true" {
		t.Errorf("aria-invalid: got %q", got)
	}
}

// Commun funds of 460 €, five one-day contributions validated at once: exactly two pass;
// the payment moves money from the commun's funds to the outside world.
func TestDevelopmentContributionsConcurrent(t *testing.T) {
	t.Parallel()
	l := startDev(t, 0)
	k := l.develop(t)
	l.fundCommons(t, k.ID, 460_00)
	var ids []int64
	for range 5 {
		rec := l.logWork(t, l.author, 4, 0)
		if rec.CommonsID != k.ID {
			t.Fatalf("contribution paid by commun %d, want %d", rec.CommonsID, k.ID)
		}
		ids = append(ids, rec.ID)
	}
	codes := make([]int, len(ids))
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Go(func() {
			codes[i] = l.clients[[]string{"lead", "coordinator"}[i%2]].Post(contribPath(id, "valider"), nil).StatusCode
		})
	}
	wg.Wait()
	ok, refused := 0, 0
	for _, c := range codes {
		switch c {
		case http.StatusSeeOther:
			ok++
		case http.StatusUnprocessableEntity:
			refused++
		}
	}
	if ok != 2 || refused != 3 {
		t.Errorf("got %d validated and %d refused (%v), want 2 and 3", ok, refused, codes)
	}
	var paid int64
	for _, id := range ids {
		if l.state(t, id) == fabrique.ContributionValidated {
			paid = id
			break
		}
	}
	if paid == 0 {
		t.Fatal("no validated contribution")
	}
	// A refused one says why, in the commun's words.
	for i, id := range ids {
		if l.state(t, id) == fabrique.ContributionDeclared {
			r := l.clients["lead"].Post(contribPath(id, "valider"), nil)
			wantStatus(t, r, http.StatusUnprocessableEntity)
			if got := r.Body; !strings.Contains(got, "Les fonds du commun restants ne couvrent pas cette contribution") {
				t.Errorf("refusal %d: no reason about the commun's funds", i)
			}
			break
		}
	}

	r := l.clients["coordinator"].Post(contribPath(paid, "payer"), url.Values{"reference": {"VIR-1"}, "paid_on": {lootToday()}})
	wantStatus(t, r, http.StatusSeeOther)
	funds := fabrique.AccountRef{Kind: fabrique.AccountCommonsFunds, CommonsID: k.ID}
	if b, err := l.a.DB.Balance(context.Background(), funds); err != nil || b != 230_00 {
		t.Errorf("commun's funds: got %d (%v), want 23000", b, err)
	}
	if n := countRows(t, l.a, `SELECT count(*) FROM ledger_transactions t
		JOIN ledger_entries e ON e.transaction_id = t.id AND e.amount < 0
		JOIN ledger_accounts a ON a.id = e.account_id AND a.kind = 'commons_funds' AND a.commons_id = $1
		WHERE t.kind = 'payment' AND t.cause_id = $2`, k.ID, paid); n != 1 {
		t.Errorf("got %d payments out of the commun's funds, want 1", n)
	}
	if b, err := l.a.DB.Balance(context.Background(), fabrique.AccountRef{Kind: fabrique.AccountSeedBudget, ChallengeID: l.c.ID}); err != nil || b != 0 {
		t.Errorf("seed budget: got %d (%v), want 0", b, err)
	}
	lootLedgerZero(t, l.a)

	// The budget block shows the commun's funds; the seed budget, which never held money,
	// is not shown as a row of 0,00 €.
	r = l.clients["anonymous"].Get("/defis/" + l.c.Slug)
	if n := r.Doc.Find("[data-testid=money] [data-testid=budget-budgeted]").Length(); n != 0 {
		t.Errorf("got %d empty seed budgets shown, want 0", n)
	}
	for sel, want := range map[string]string{
		"[data-testid=development-funds] [data-testid=funds-received]":      "460,00 €",
		"[data-testid=development-funds] [data-testid=funds-committed]":     "230,00 €",
		"[data-testid=development-funds] [data-testid=funds-paid]":          "230,00 €",
		"[data-testid=development-funds] [data-testid=funds-remaining]":     "0,00 €",
		"[data-testid=development-funds] [data-testid=development-commons]": k.Name,
	} {
		if got := text(r, sel); got != want {
			t.Errorf("%s: got %q, want %q", sel, got, want)
		}
	}
	// The commun's page shows its funds too.
	r = l.clients["anonymous"].Get("/communs/" + k.Slug)
	if got := text(r, "[data-testid=commons-funds] [data-testid=funds-remaining]"); got != "0,00 €" {
		t.Errorf("commun's page remaining: got %q, want 0,00 €", got)
	}
}

// Work logged during the préfiguration stays on the seed budget, validated after the
// move or not; work logged in développement goes to the commun's funds.
func TestDevelopmentContributionPayer(t *testing.T) {
	t.Parallel()
	l := startDev(t, 0)
	before := l.logWork(t, l.author, 4, 0)
	if before.CommonsID != 0 {
		t.Fatalf("préfiguration work paid by commun %d, want the seed budget", before.CommonsID)
	}
	k := l.develop(t)
	l.fundCommons(t, k.ID, 1000_00)

	// The commun has money, the seed budget none: the old work cannot be validated.
	r := l.clients["lead"].Post(contribPath(before.ID, "valider"), nil)
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if !strings.Contains(r.Body, "Le budget d’amorçage restant ne couvre pas cette contribution") {
		t.Errorf("refusal: no reason about the seed budget")
	}
	if got := l.state(t, before.ID); got != fabrique.ContributionDeclared {
		t.Errorf("state: got %s, want declaree", got)
	}
	l.grant(t, 230_00)
	wantStatus(t, l.clients["lead"].Post(contribPath(before.ID, "valider"), nil), http.StatusSeeOther)

	after := l.logWork(t, l.author, 4, 0)
	wantStatus(t, l.clients["lead"].Post(contribPath(after.ID, "valider"), nil), http.StatusSeeOther)

	b, err := l.a.DB.BudgetOverview(context.Background(), l.c.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if b.Committed != 230_00 || b.Remaining != 0 || b.Commons.Committed != 230_00 || b.Commons.Remaining != 770_00 || b.Commons.CommonsID != k.ID {
		t.Errorf("budgets: got seed committed %d remaining %d, commun %d committed %d remaining %d; want 23000, 0, %d, 23000, 77000",
			b.Committed, b.Remaining, b.Commons.CommonsID, b.Commons.Committed, b.Commons.Remaining, k.ID)
	}
	// Both are paid, each from its own account.
	for _, id := range []int64{before.ID, after.ID} {
		wantStatus(t, l.clients["coordinator"].Post(contribPath(id, "payer"), url.Values{"reference": {"VIR-" + idOf(id)}}), http.StatusSeeOther)
	}
	if got, err := l.a.DB.Balance(context.Background(), fabrique.AccountRef{Kind: fabrique.AccountSeedBudget, ChallengeID: l.c.ID}); err != nil || got != 0 {
		t.Errorf("seed budget after payment: got %d (%v), want 0", got, err)
	}
	if got, err := l.a.DB.Balance(context.Background(), fabrique.AccountRef{Kind: fabrique.AccountCommonsFunds, CommonsID: k.ID}); err != nil || got != 770_00 {
		t.Errorf("commun's funds after payment: got %d (%v), want 77000", got, err)
	}
	r = l.clients["anonymous"].Get("/contributions/" + idOf(after.ID))
	if got := text(r, "[data-testid=contribution-payer]"); !strings.Contains(got, "Payée sur les fonds du commun") {
		t.Errorf("payer shown: got %q", got)
	}
	lootLedgerZero(t, l.a)
}

// TestDevelopmentContributionStep: the form offers the commun's steps; a step not of the
// défi's commun is refused next to the field; a paid contribution counts in the step's
// spending.
func TestDevelopmentContributionStep(t *testing.T) {
	t.Parallel()
	l := startDev(t, 0)
	ctx := context.Background()
	k := l.develop(t)
	l.fundCommons(t, k.ID, 2000_00)
	day := time.Date(2027, 1, 4, 0, 0, 0, 0, time.UTC)
	step, err := l.a.DB.CreateStep(ctx, k.ID, l.lead, fabrique.Step{Title: "Mode hors ligne", Goal: 5000_00, StartsOn: day, EndsOn: day.AddDate(0, 3, 0)})
	if err != nil {
		t.Fatal(err)
	}
	otherCommons, err := l.a.DB.CreateCommons(ctx, fabrique.CommonsForm{Name: "Dokos", Kind: "logiciel", Summary: "Un ERP."})
	if err != nil {
		t.Fatal(err)
	}
	foreign, err := l.a.DB.CreateStep(ctx, otherCommons.ID, l.coord, fabrique.Step{Title: "Compta", Goal: 100_00, StartsOn: day, EndsOn: day})
	if err != nil {
		t.Fatal(err)
	}

	// queries returns the number of queries an anonymous GET of the commun's page sends.
	queries := func() int64 {
		t.Helper()
		before := l.a.Queries.Count()
		wantStatus(t, l.clients["anonymous"].Get("/communs/"+k.Slug), http.StatusOK)
		return l.a.Queries.Count() - before
	}
	few := queries()
	// The commun, then one batch of its défis, places, team, steps, the steps' figures
	// (two) and its funds; then its next rendez-vous.
	if few > 9 {
		t.Errorf("commun's page: got %d queries, want at most 9", few)
	}

	author := l.clients["author"]
	path := "/defis/" + l.c.Slug
	r := author.Get(path)
	var options []string
	r.Doc.Find("[data-testid=contribution-form] select[name=step_id] option").Each(func(_ int, o *goquery.Selection) {
		options = append(options, o.AttrOr("value", "")+"="+strings.TrimSpace(o.Text()))
	})
	if got, want := strings.Join(options, ","), "=Aucune étape en particulier,"+idOf(step.ID)+"=Mode hors ligne"; got != want {
		t.Errorf("step choices: got %s, want %s", got, want)
	}

	for _, bad := range []string{"999999", "abc", "-1", idOf(foreign.ID)} {
		form := contributionFormValues("1")
		form.Set("step_id", bad)
		r := author.Post(path+"/contributions", form)
		wantStatus(t, r, http.StatusUnprocessableEntity)
		if got := text(r, "[data-testid=field-step_id] [data-testid=error-step_id]"); got != "Choisissez une étape du commun issu de ce défi." {
			t.Errorf("step %s: got error %q", bad, got)
		}
	}
	if n := countRows(t, l.a, `SELECT count(*) FROM contributions`); n != 0 {
		t.Errorf("got %d contributions after refusals, want 0", n)
	}

	form := contributionFormValues("1")
	form.Set("step_id", idOf(step.ID))
	wantRedirect(t, author.Post(path+"/contributions", form), path+"#contributions")
	var id, stepID, commonsID int64
	if err := l.a.SQL.QueryRow(ctx, `SELECT id, step_id, commons_id FROM contributions`).Scan(&id, &stepID, &commonsID); err != nil {
		t.Fatal(err)
	}
	if stepID != step.ID || commonsID != k.ID {
		t.Errorf("stored: got step %d commun %d, want %d and %d", stepID, commonsID, step.ID, k.ID)
	}
	wantStatus(t, l.clients["lead"].Post(contribPath(id, "valider"), nil), http.StatusSeeOther)
	wantStatus(t, l.clients["coordinator"].Post(contribPath(id, "payer"), url.Values{"reference": {"VIR-9"}}), http.StatusSeeOther)
	r = l.clients["anonymous"].Get("/communs/" + k.Slug)
	st := r.Doc.Find(`[data-testid=step][data-step-id="` + idOf(step.ID) + `"]`)
	if got := strings.TrimSpace(st.Find("[data-testid=step-spent]").Text()); got != "230,00 €" {
		t.Errorf("step spent: got %q, want 230,00 €", got)
	}
	r = l.clients["anonymous"].Get(path)
	if got := text(r, "[data-testid=contribution-step]"); got != "Mode hors ligne" {
		t.Errorf("contribution's step: got %q", got)
	}
	for i := range 3 {
		if _, err := l.a.DB.CreateStep(ctx, k.ID, l.lead, fabrique.Step{Title: "Étape " + strconv.Itoa(i), Goal: 100_00, StartsOn: day, EndsOn: day}); err != nil {
			t.Fatal(err)
		}
	}
	if many := queries(); many != few {
		t.Errorf("commun's page with 4 steps, work paid: got %d queries, want %d as with 1 step", many, few)
	}
	lootLedgerZero(t, l.a)
}

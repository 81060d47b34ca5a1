package server_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// barSeen is a funding bar as a page draws it (web/pages/funding.templ).
type barSeen struct {
	Goal   int64
	Label  string            // the svg's aria-label: the text equivalent
	Kinds  []string          // the segments, in the bar's order
	Cents  map[string]int64  // by kind
	X, W   map[string]string // by kind, in percent of the goal
	Titles map[string]string // by kind
	Legend []string          // the legend's labels, in order
}

// Filled is where the bar's last segment ends, in percent: "55.50%".
func (b barSeen) Filled() string {
	if len(b.Kinds) == 0 {
		return ""
	}
	last := b.Kinds[len(b.Kinds)-1]
	return bp(bpOf(b.X[last]) + bpOf(b.W[last]))
}

// bpOf reads "12.34%" as 1234 basis points, -1 when it is not written so.
func bpOf(s string) int64 {
	whole, frac, ok := strings.Cut(strings.TrimSuffix(s, "%"), ".")
	w, err1 := strconv.ParseInt(whole, 10, 64)
	f, err2 := strconv.ParseInt(frac, 10, 64)
	if !ok || len(frac) != 2 || err1 != nil || err2 != nil || !strings.HasSuffix(s, "%") {
		return -1
	}
	return w*100 + f
}

// bp writes basis points as the bar's attributes do: 1234 → "12.34%".
func bp(n int64) string { return fmt.Sprintf("%d.%02d%%", n/100, n%100) }

// pct is v in percent of goal as the bar writes it, rounded down to the basis point.
func pct(v, goal int64) string { return bp(v * 10000 / goal) }

// readBar reads the one funding bar inside sel, failing the test when there is not
// exactly one.
func readBar(t *testing.T, sel *goquery.Selection) barSeen {
	t.Helper()
	svg := sel.Find("svg[data-testid=funding-bar]")
	if svg.Length() != 1 {
		t.Fatalf("got %d funding bars, want 1", svg.Length())
	}
	if svg.AttrOr("role", "") != "img" {
		t.Errorf("funding bar: role %q, want img", svg.AttrOr("role", ""))
	}
	b := barSeen{Label: svg.AttrOr("aria-label", ""), Cents: map[string]int64{}, X: map[string]string{}, W: map[string]string{}, Titles: map[string]string{}}
	b.Goal, _ = strconv.ParseInt(svg.AttrOr("data-goal", ""), 10, 64)
	svg.Find("rect[data-testid^=bar-]").Each(func(_ int, r *goquery.Selection) {
		kind := strings.TrimPrefix(r.AttrOr("data-testid", ""), "bar-")
		b.Kinds = append(b.Kinds, kind)
		b.Cents[kind], _ = strconv.ParseInt(r.AttrOr("data-cents", ""), 10, 64)
		b.X[kind], b.W[kind] = r.AttrOr("x", ""), r.AttrOr("width", "")
		b.Titles[kind] = strings.Join(strings.Fields(r.Find("title").Text()), " ")
	})
	sel.Find("[data-testid=funding-label]").Each(func(_ int, dt *goquery.Selection) {
		b.Legend = append(b.Legend, strings.Join(strings.Fields(dt.Text()), " "))
	})
	return b
}

// fundingWorld is a call open today, matching tiers-lieux 1 € for 0,50 €, with one step
// of 10 000 € holding the four kinds of money: 3 200 € received (1 600 € matching
// secured), 500 € promised (250 € matching on the promise).
type fundingWorld struct {
	*callSetup
	call *fabrique.Call
	step int64
}

func newFundingWorld(t *testing.T) fundingWorld {
	t.Helper()
	s := newCallSetup(t)
	c := s.call(t, "Appel à communs", -5, 20, fabrique.MatchRule{Percent: 50, Kinds: []string{"tiers-lieu"}, Pool: 10000000})
	step := s.step(t, s.commons.ID, 1000000, c)
	s.pledge(t, c, step, s.users["financeur"], "tiers-lieu", 320000, fabrique.PledgeConfirmed, false)
	s.pledge(t, c, step, s.users["financeur"], "tiers-lieu", 50000, fabrique.PledgePromise, false)
	return fundingWorld{callSetup: s, call: c, step: step}
}

// pages are the four pages that show the step's money, each with the selector of the
// step on it: the call's page, the step's pledge page, the commun's page, the funder's
// /espace.
func (w fundingWorld) pages() map[string]string {
	id := strconv.FormatInt(w.step, 10)
	return map[string]string{
		"/cofinancement/" + w.call.Slug:         `[data-testid=call-step][data-id="` + id + `"]`,
		"/etapes/" + id + "/promesses/nouvelle": `[data-testid=pledge-step-figures]`,
		"/communs/" + w.commons.Slug:            `[data-testid=step][data-step-id="` + id + `"]`,
		"/espace":                               `[data-testid=funded-step][data-step-id="` + id + `"]`,
	}
}

// Each page that shows the step draws one bar: its four segments in order, with their
// amounts, places, titles and legend, and its sentence for screen readers.
func TestFundingBarSegments(t *testing.T) {
	t.Parallel()
	w := newFundingWorld(t)
	funder := w.clients["financeur"]
	wantSentence := "3 200,00 € reçus, 1 600,00 € d’abondement garanti, 500,00 € promis, 250,00 € d’abondement prévu, " +
		"sur un objectif de 10 000,00 €. Financement assuré à 48 %, à 55 % avec les promesses."
	for path, sel := range w.pages() {
		r := funder.Get(path)
		wantStatus(t, r, 200)
		step := r.Doc.Find(sel)
		if step.Length() != 1 {
			t.Errorf("%s: got %d of %s, want 1", path, step.Length(), sel)
			continue
		}
		b := readBar(t, step)
		if got := strings.Join(b.Kinds, ","); got != "confirme,abonde,promis,abonde-prevu" {
			t.Errorf("%s: segments %s, want received, matching secured, promised, matching projected", path, got)
		}
		for kind, want := range map[string]struct {
			cents int64
			x, w  string
			title string
		}{
			"confirme":     {320000, "0.00%", "32.00%", "Fonds reçus : 3 200,00 €"},
			"abonde":       {160000, "32.00%", "16.00%", "Abondement garanti : 1 600,00 €"},
			"promis":       {50000, "48.00%", "5.00%", "Promis, en attente : 500,00 €"},
			"abonde-prevu": {25000, "53.00%", "2.50%", "Abondement prévu : 250,00 €"},
		} {
			if b.Cents[kind] != want.cents || b.X[kind] != want.x || b.W[kind] != want.w || b.Titles[kind] != want.title {
				t.Errorf("%s, %s: got %d cents at %s width %s titled %q, want %d at %s width %s titled %q",
					path, kind, b.Cents[kind], b.X[kind], b.W[kind], b.Titles[kind], want.cents, want.x, want.w, want.title)
			}
		}
		if b.Goal != 1000000 || b.Filled() != "55.50%" {
			t.Errorf("%s: goal %d filled to %s, want 1000000 filled to 55.50%%", path, b.Goal, b.Filled())
		}
		if b.Label != wantSentence {
			t.Errorf("%s: text equivalent\n got %q\nwant %q", path, b.Label, wantSentence)
		}
		for testid, want := range map[string]string{
			"step-confirmed": "3 200,00 €", "step-matched-secured": "1 600,00 €", "step-promised": "500,00 €",
			"step-matched-projected": "250,00 €", "step-goal": "10 000,00 €", "step-spent": "0,00 €", "step-remaining": "5 200,00 €",
			"funding-percent": "Financement assuré à 48 %, à 55 % avec les promesses",
		} {
			if got := dd(r, sel, testid); got != want {
				t.Errorf("%s, %s: got %q, want %q", path, testid, got, want)
			}
		}
		if n := step.Find("[data-testid=funding-over]").Length(); n != 0 {
			t.Errorf("%s: the bar says the goal is exceeded", path)
		}
	}
}

// Two pages never name the same figure differently: the legends of the step's bar on
// the four pages, and of the call's bar on the list of calls, say the same words, in
// French and in English, and the English ones are not the French ones.
func TestFundingWordsSameEverywhere(t *testing.T) {
	t.Parallel()
	w := newFundingWorld(t)
	funder := w.clients["financeur"]
	want := map[string][]string{
		"fr": {"Fonds reçus", "Abondement garanti", "Promis, en attente", "Abondement prévu", "Objectif", "Dépensé", "Reste à financer"},
		"en": {"Funds received", "Secured matching", "Promised, pending", "Projected matching", "Goal", "Spent", "Left to fund"},
	}
	for _, lang := range []string{"fr", "en"} {
		funder.Get("/langue?lang=" + lang)
		for path, sel := range w.pages() {
			r := funder.Get(path)
			if got := readBar(t, r.Doc.Find(sel)).Legend; strings.Join(got, "|") != strings.Join(want[lang], "|") {
				t.Errorf("%s %s: legend %q, want %q", lang, path, got, want[lang])
			}
		}
		r := funder.Get("/cofinancement")
		card := r.Doc.Find(`[data-testid=call][data-slug="` + w.call.Slug + `"]`)
		if got := readBar(t, card).Legend; strings.Join(got, "|") != strings.Join(want[lang][:5], "|") {
			t.Errorf("%s /cofinancement: legend %q, want %q", lang, got, want[lang][:5])
		}
		// The call's own figures use the same words for the matching.
		r = funder.Get("/cofinancement/" + w.call.Slug)
		var dts []string
		r.Doc.Find("[data-testid=call-pool-figures] dt").Each(func(_ int, s *goquery.Selection) { dts = append(dts, strings.TrimSpace(s.Text())) })
		if !strings.Contains(strings.Join(dts, "|"), want[lang][1]+"|"+want[lang][3]) {
			t.Errorf("%s: the call's pool figures say %q, want %q then %q", lang, dts, want[lang][1], want[lang][3])
		}
	}
	// In English, the sentence too.
	r := funder.Get("/communs/" + w.commons.Slug)
	if got, want := readBar(t, r.Doc.Find("[data-testid=step]")).Label,
		"€3,200.00 received, €1,600.00 of secured matching, €500.00 promised, €250.00 of projected matching, "+
			"against a goal of €10,000.00. Funding 48% secured, 55% with the promises."; got != want {
		t.Errorf("English text equivalent\n got %q\nwant %q", got, want)
	}
}

// Past its goal, a bar stops at 100 % and says so, whether the funds are there or only
// promised.
func TestFundingBarClamp(t *testing.T) {
	t.Parallel()
	s := newCallSetup(t)
	c := s.call(t, "Appel", -5, 20, fabrique.MatchRule{Percent: 100, Kinds: []string{"tiers-lieu"}, Pool: 10000000})
	over := s.step(t, s.commons.ID, 100000, c) // 1 000 €: 800 € received + 800 € matching
	s.pledge(t, c, over, s.users["financeur"], "tiers-lieu", 80000, fabrique.PledgeConfirmed, false)
	s.pledge(t, c, over, s.users["financeur"], "fondation", 10000, fabrique.PledgePromise, false)
	soon := s.step(t, s.commons.ID, 100000, c) // 1 000 €: 400 € received, 700 € promised
	s.pledge(t, c, soon, s.users["financeur"], "fondation", 40000, fabrique.PledgeConfirmed, false)
	s.pledge(t, c, soon, s.users["financeur"], "fondation", 70000, fabrique.PledgePromise, false)

	r := s.clients["anonyme"].Get("/cofinancement/" + c.Slug)
	wantStatus(t, r, 200)
	for _, tc := range []struct {
		step            int64
		x, w            map[string]string
		percent, saying string
	}{
		{over, map[string]string{"confirme": "0.00%", "abonde": "80.00%", "promis": "100.00%", "abonde-prevu": "100.00%"},
			map[string]string{"confirme": "80.00%", "abonde": "20.00%", "promis": "0.00%", "abonde-prevu": "0.00%"},
			"Financement assuré à 160 %, à 170 % avec les promesses", "L’objectif est dépassé : la barre s’arrête à 100 %."},
		{soon, map[string]string{"confirme": "0.00%", "abonde": "40.00%", "promis": "40.00%", "abonde-prevu": "100.00%"},
			map[string]string{"confirme": "40.00%", "abonde": "0.00%", "promis": "60.00%", "abonde-prevu": "0.00%"},
			"Financement assuré à 40 %, à 110 % avec les promesses", "Avec les promesses, l’objectif serait dépassé : la barre s’arrête à 100 %."},
	} {
		sel := fmt.Sprintf(`[data-testid=call-step][data-id="%d"]`, tc.step)
		b := readBar(t, r.Doc.Find(sel))
		for kind := range tc.x {
			if b.X[kind] != tc.x[kind] || b.W[kind] != tc.w[kind] {
				t.Errorf("step %d, %s: at %s width %s, want at %s width %s", tc.step, kind, b.X[kind], b.W[kind], tc.x[kind], tc.w[kind])
			}
		}
		if b.Filled() != "100.00%" {
			t.Errorf("step %d: filled to %s, want 100.00%%", tc.step, b.Filled())
		}
		if got := dd(r, sel, "funding-over"); got != strings.Join(strings.Fields(tc.saying), " ") {
			t.Errorf("step %d: says %q, want %q", tc.step, got, tc.saying)
		}
		if !strings.HasSuffix(b.Label, tc.percent+". "+tc.saying) {
			t.Errorf("step %d: text equivalent %q, want it to end with %q", tc.step, b.Label, tc.percent+". "+tc.saying)
		}
	}
}

// /espace shows one bar per step the funder backs, however many pledges they made to
// it, in a number of queries that does not grow with the steps, and in three round trips:
// the session, everything of the funder's, the figures of the steps they back.
func TestFundingBarsInEspace(t *testing.T) {
	t.Parallel()
	s := newCallSetup(t)
	c := s.call(t, "Appel", -5, 20, fabrique.MatchRule{})
	fin := s.users["financeur"]
	count := func(check bool) (bars, queries int) {
		before, trips := s.a.Queries.Count(), s.a.Queries.RoundTrips()
		r := s.clients["financeur"].Get("/espace")
		wantStatus(t, r, 200)
		if n := s.a.Queries.RoundTrips() - trips; check && n > 3 {
			t.Errorf("/espace: %d round trips to PostgreSQL, want at most 3", n)
		}
		return r.Doc.Find("[data-testid=funded-step] svg[data-testid=funding-bar]").Length(), int(s.a.Queries.Count() - before)
	}
	a := s.step(t, s.commons.ID, 100000, c)
	s.pledge(t, c, a, fin, "fondation", 10000, fabrique.PledgePromise, false)
	s.pledge(t, c, a, fin, "fondation", 20000, fabrique.PledgeConfirmed, false)
	count(false) // the first visit may write the session
	bars, small := count(true)
	if bars != 1 {
		t.Errorf("one step, two pledges: got %d bars, want 1", bars)
	}
	for range 4 {
		s.pledge(t, c, s.step(t, s.commons.ID, 100000, c), fin, "fondation", 10000, fabrique.PledgePromise, false)
	}
	bars, large := count(true)
	if bars != 5 || large > small {
		t.Errorf("five steps: got %d bars in %d queries, want 5 in %d (as for one)", bars, large, small)
	}
}

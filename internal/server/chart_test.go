package server_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/fabrique-a-communs/fabrique/internal/apptest"
	"github.com/fabrique-a-communs/fabrique/internal/demo"
)

// The coordination's charts on the demo: each an SVG named and described for screen
// readers, its bars in proportion from one zero line, and a table beside it holding the
// same figures as the page's fund table and as the ledger's days.
func TestCoordinationCharts(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	ctx := context.Background()
	if _, err := demo.Demo(ctx, a.DB, a.SQL); err != nil {
		t.Fatal(err)
	}
	c := a.Client(t)
	c.Login(demo.CoordinatorEmail, demo.DemoPassword)
	r := c.Get("/coordination")
	fund := r.Doc.Find(`[data-testid="chart-graphique-fonds"]`)
	if fund.Length() != 1 {
		t.Fatal("no seed fund chart")
	}
	svg := fund.Find(`svg[role="img"]`)
	if svg.Length() != 1 || svg.Find("title").Text() == "" || svg.Find("desc").Text() == "" {
		t.Error("the chart's SVG is not named and described")
	}
	values := func(s *goquery.Selection, sel string) []int64 {
		var out []int64
		s.Find(sel).Each(func(_ int, x *goquery.Selection) {
			v, _ := strconv.ParseInt(x.AttrOr("data-value", ""), 10, 64)
			out = append(out, v)
		})
		return out
	}
	bars, table := values(fund, "rect[data-value]"), values(fund, "td[data-value]")
	if len(bars) != 3 || len(table) != 3 {
		t.Fatalf("%d bars, %d table rows", len(bars), len(table))
	}
	// The page's fund table: year, fund, granted, left.
	var fig []int64
	r.Doc.Find(`[data-testid="fund"] tbody tr`).First().Find("td.num").Each(func(_ int, x *goquery.Selection) {
		fig = append(fig, parseMoney(t, x.Text()))
	})
	for i := range table {
		if i >= len(fig) || table[i] != fig[i] || bars[i] != table[i] {
			t.Errorf("figure %d: chart %d, table %d, page %v", i, bars[i], table[i], fig)
		}
	}
	// Bars in proportion: the fund's is the longest, the others at its scale.
	widths := []int64{}
	fund.Find("rect[data-value]").Each(func(_ int, x *goquery.Selection) {
		w, _ := strconv.ParseInt(x.AttrOr("width", ""), 10, 64)
		widths = append(widths, w)
	})
	if widths[0] != 250 || (table[0] > 0 && widths[1] != table[1]*250/table[0]) {
		t.Errorf("bar widths %v for %v", widths, table)
	}
	// Days paid by month: the table's quarters are the contributions paid this year.
	var want int64
	year := time.Now().In(parisZone).Year()
	if err := a.SQL.QueryRow(ctx, `SELECT coalesce(sum(quarters), 0) FROM contributions WHERE state = 'payee' AND extract(year FROM paid_on) = $1`, year).Scan(&want); err != nil {
		t.Fatal(err)
	}
	var got int64
	for _, v := range values(r.Doc.Find(`[data-testid="chart-graphique-jours"]`), "td[data-value]") {
		got += v
	}
	if got != want {
		t.Errorf("days by month add up to %d quarters, want %d", got, want)
	}
}

// The funding progress of each commun and call of the demo: month after month without a
// gap, never going down, and ending on the report's own totals; the coordination's calls
// chart holds each call's steps' goal, its labels marked French on English pages.
func TestFundingProgressCharts(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	ctx := context.Background()
	if _, err := demo.Demo(ctx, a.DB, a.SQL); err != nil {
		t.Fatal(err)
	}
	c := a.Client(t)
	progress := func(path string) []int64 {
		t.Helper()
		r := c.Get(path)
		chart := r.Doc.Find(`[data-testid="chart-graphique-progression"]`)
		var values []int64
		var last time.Month
		chart.Find("td[data-value]").Each(func(i int, x *goquery.Selection) {
			v, _ := strconv.ParseInt(x.AttrOr("data-value", ""), 10, 64)
			if i > 0 && v < values[i-1] {
				t.Errorf("%s: month %d goes down: %d after %d", path, i, v, values[i-1])
			}
			values = append(values, v)
			label := x.Parent().Find("th").Text()
			for m := time.January; m <= time.December; m++ {
				if strings.HasPrefix(label, i18nMonthFR[m-1]+"\u00a0") || strings.HasPrefix(label, i18nMonthFR[m-1]+" ") {
					if i > 0 && m != last%12+1 {
						t.Errorf("%s: %q does not follow month %d", path, label, last)
					}
					last = m
				}
			}
		})
		if chart.Find("rect[data-value]").Length() != len(values) {
			t.Errorf("%s: the chart's bars and its table differ", path)
		}
		return values
	}
	rows, err := a.SQL.Query(ctx, `SELECT DISTINCT k.slug FROM commons k JOIN ledger_accounts a ON a.commons_id = k.id
		JOIN ledger_entries e ON e.account_id = a.id`)
	if err != nil {
		t.Fatal(err)
	}
	var slugs []string
	for rows.Next() {
		var s string
		_ = rows.Scan(&s)
		slugs = append(slugs, s)
	}
	if len(slugs) == 0 {
		t.Fatal("the demo funds no commun")
	}
	for _, s := range slugs {
		path := "/communs/" + s + "/bilan"
		v := progress(path)
		r := c.Get(path)
		want := parseMoney(t, r.Doc.Find("[data-testid=report-received]").Text()) + parseMoney(t, r.Doc.Find("[data-testid=report-matching]").Text())
		if len(v) == 0 || v[len(v)-1] != want {
			t.Errorf("%s: progress ends on %v, the report says %d", path, v, want)
		}
	}
	var call string
	var goal int64
	if err := a.SQL.QueryRow(ctx, `SELECT c.slug, (SELECT coalesce(sum(s.goal), 0) FROM call_steps cs JOIN steps s ON s.id = cs.step_id WHERE cs.call_id = c.id)
		FROM calls c ORDER BY c.starts_on DESC, c.id DESC LIMIT 1`).Scan(&call, &goal); err != nil {
		t.Fatal(err)
	}
	path := "/cofinancement/" + call + "/bilan"
	r := c.Get(path)
	want := parseMoney(t, r.Doc.Find("[data-testid=total-received]").Text()) + parseMoney(t, r.Doc.Find("[data-testid=total-matched]").Text())
	if v := progress(path); want > 0 && (len(v) == 0 || v[len(v)-1] != want) {
		t.Errorf("%s: progress ends on %v, the report says %d", path, v, want)
	}

	coord := a.Client(t)
	coord.Login(demo.CoordinatorEmail, demo.DemoPassword)
	req, _ := http.NewRequest(http.MethodGet, a.URL()+"/coordination", nil)
	req.AddCookie(&http.Cookie{Name: "fabrique_lang", Value: "en"})
	r = coord.Do(req)
	calls := r.Doc.Find(`[data-testid="chart-graphique-appels"]`)
	if got := calls.Find("td[data-goal]").First().AttrOr("data-goal", ""); got != strconv.FormatInt(goal, 10) {
		t.Errorf("the latest call's goal in the chart: %q, want %d", got, goal)
	}
	if calls.Find(`svg text[lang="fr"]`).Length() == 0 || calls.Find(`th[lang="fr"]`).Length() == 0 {
		t.Error("the calls' titles are not marked French on the English page")
	}
}

var i18nMonthFR = []string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}

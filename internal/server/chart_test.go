package server_test

import (
	"context"
	"strconv"
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

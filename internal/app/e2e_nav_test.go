package app_test

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/fabrique-a-communs/fabrique/internal/apptest"
	"github.com/fabrique-a-communs/fabrique/internal/demo"
)

// navLine is what TestE2ENavOneLine measures of the header at 1280 px.
type navLine struct {
	Items  int     `json:"items"`  // links and buttons of the main navigation
	Lines  int     `json:"lines"`  // distinct tops among them
	Height float64 `json:"height"` // of the navigation's list, in px
	Item   float64 `json:"item"`   // of its tallest item
	Brand  bool    `json:"brand"`  // the brand is on the navigation's line
	Needs  float64 `json:"needs"`  // px the brand and the items need side by side
	Room   float64 `json:"room"`   // px the header gives them
}

// TestE2ENavOneLine checks that at 1280 px the header's navigation holds on one line,
// beside the brand, for every kind of account — visitor, member, porteuse, funder,
// coordinator — in French and in English, on pages where the longest labels are marked
// current (bold). Before the header was widened the coordinator's navigation took two
// lines under the brand (1 240 px needed, 928 px given). On a phone it stays folded
// under « Menu » (TestE2EPhoneDemoPages).
func TestE2ENavOneLine(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	if _, err := demo.Demo(context.Background(), a.DB, a.SQL); err != nil {
		t.Fatal(err)
	}
	b := NewBrowser(t, a.URL())
	b.Do("a 1280 px screen", chromedp.EmulateViewport(1280, 800))
	for _, p := range []struct{ name, email string }{
		{"visiteur", ""},
		{"membre", "yannick.morvan@demo.fabrique.example"},
		{"porteuse", "nadia.benali@demo.fabrique.example"},
		{"financeuse", "helene.garnier@demo.fabrique.example"},
		{"coordination", demo.CoordinatorEmail},
	} {
		if p.email != "" {
			b.Login(p.email, demo.DemoPassword)
		}
		for _, lang := range []string{"fr", "en"} {
			// The longest labels marked current (bold): « Mon espace », « Coordination »; a
			// visitor is sent to « Se connecter ». « Proposer un défi » left the navigation
			// for /defis and /espace when « Agenda » and the unread count came in.
			paths := []string{"/", "/defis/nouveau", "/espace"}
			if p.email == demo.CoordinatorEmail {
				paths = append(paths, "/coordination")
			}
			for _, path := range paths {
				b.Navigating("switch to "+lang, 200, chromedp.Navigate(a.URL()+"/langue?lang="+lang+"&suivant="+path))
				m := Eval[navLine](b, `(() => {
					const items = [...document.querySelectorAll(".site-nav > ul > li")];
					// Items on one line share their middle, whatever their height.
					const mids = items.map(li => { const r = li.getBoundingClientRect(); return r.top + r.height / 2; });
					const lines = mids.filter((m, i) => mids.findIndex(n => Math.abs(n - m) < 8) === i).length;
					const ul = document.querySelector(".site-nav > ul").getBoundingClientRect();
					const brand = document.querySelector(".site-header .brand").getBoundingClientRect();
					const inner = document.querySelector(".site-header .inner");
					const cs = getComputedStyle(inner);
					const gap = parseFloat(getComputedStyle(document.querySelector(".site-nav > ul")).columnGap) || 0;
					const needs = brand.width + parseFloat(cs.columnGap) + items.reduce((w, li) => w + li.getBoundingClientRect().width, 0) + gap * (items.length - 1);
					const room = inner.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
					return {items: items.length, lines: lines, height: ul.height, needs: needs, room: room,
						item: Math.max(...items.map(li => li.getBoundingClientRect().height)),
						brand: brand.bottom > ul.top && brand.top < ul.bottom};
				})()`)
				t.Logf("%s/%s %s: %d items on %d line(s), list %.0f px high (item %.0f px), brand beside: %v; needs %.0f px of %.0f",
					p.name, lang, b.Path(), m.Items, m.Lines, m.Height, m.Item, m.Brand, m.Needs, m.Room)
				// Headless Chromium hides the scroll bar; a desktop browser's takes up to 16 px.
				if m.Items < 5 || m.Lines != 1 || m.Height > m.Item+8 || !m.Brand || m.Needs > m.Room-16 {
					t.Errorf("%s/%s %s: the navigation takes %d lines (%d items, %.0f px high), brand beside it: %v, %.0f px of %.0f; want one line beside the brand, with room for a scroll bar",
						p.name, lang, b.Path(), m.Lines, m.Items, m.Height, m.Brand, m.Needs, m.Room)
				}
			}
		}
		if p.email != "" {
			b.Navigating("log out", 200, chromedp.Click(`header [data-testid=logout]`))
		}
	}
}

package app_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/fabrique-a-communs/fabrique/internal/apptest"
	"github.com/fabrique-a-communs/fabrique/internal/demo"
)

// TestE2EPhoneDemoPages walks every page of the demo data on a 360 px phone, as a visitor
// and as the coordinator, and fails when one is wider than the screen: figures, tables
// and forms must wrap or scroll inside their own box.
func TestE2EPhoneDemoPages(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	if _, err := demo.Demo(context.Background(), a.DB, a.SQL); err != nil {
		t.Fatal(err)
	}
	b := NewBrowser(t, a.URL())
	const width, height = 360, 740
	b.Do("emulate a phone", chromedp.EmulateViewport(width, height, chromedp.EmulatePortrait, chromedp.EmulateMobile, chromedp.EmulateTouch))
	public := []string{
		"/", "/defis", "/defis?q=outil",
		"/defis/reseau-des-fablabs", "/defis/suivre-les-contributions-benevoles",
		"/defis/mutualiser-la-comptabilite-des-petits-tiers-lieux",
		"/communs", "/communs/loot", "/communs/dokos",
		"/cofinancement", "/cofinancement/appel-a-communs-2026",
		"/tiers-lieux", "/transparence",
	}
	var stepID int64 // a step of the demo call, for its funders page
	if err := a.SQL.QueryRow(context.Background(), `SELECT cs.step_id FROM call_steps cs JOIN calls c ON c.id = cs.call_id
		WHERE c.slug = 'appel-a-communs-2026' ORDER BY cs.step_id LIMIT 1`).Scan(&stepID); err != nil {
		t.Fatal(err)
	}
	public = append(public, fmt.Sprintf("/cofinancement/appel-a-communs-2026/etapes/%d/financeurs", stepID))
	for _, p := range public {
		b.Open(p, 200)
		checkNoOverflow(t, b, p, width)
	}
	// The main navigation folds under « Menu », which opens it without JavaScript.
	b.Open("/", 200)
	navVisible := func() bool {
		return Eval[bool](b, `document.querySelector(".site-nav ul a[href='/defis']").checkVisibility()`)
	}
	if navVisible() || !Eval[bool](b, `document.querySelector("[data-testid=menu-button]").checkVisibility()`) {
		t.Errorf("on a phone the navigation is not folded under « Menu »")
	}
	b.Do("open the menu", chromedp.Click(`[data-testid=menu-button]`))
	if !navVisible() {
		t.Errorf("« Menu » does not show the navigation")
	}
	checkNoOverflow(t, b, "/ (menu open)", width)
	// The public accounts, all years and the latest year offered: every amount readable.
	b.Open("/transparence", 200)
	checkLedgerReadable(t, b, "/transparence", width)
	year := Eval[string](b, `document.querySelector("#filtre-annee option:nth-child(2)").value`)
	b.Open("/transparence?annee="+year, 200)
	checkLedgerReadable(t, b, "/transparence?annee="+year, width)
	b.Login(demo.CoordinatorEmail, demo.DemoPassword)
	for _, p := range append(public[3:6], "/coordination", "/coordination/paiements", "/coordination/journal",
		"/coordination/promesses", "/espace", "/cofinancement/appel-a-communs-2026", "/communs/nouveau", "/cofinancement/nouveau") {
		b.Open(p, 200)
		checkNoOverflow(t, b, p+" (coordination)", width)
	}
}

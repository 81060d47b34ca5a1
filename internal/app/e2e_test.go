package app_test

// End-to-end tests: the whole app on a fresh database, driven in headless Chromium
// like a visitor would (the site has no JavaScript; the tests only use JavaScript
// through DevTools to inspect the page). `make e2e` runs them with -run TestE2E.

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/fabrique-a-communs/fabrique/internal/apptest"
	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// TestE2EProposeChallenge: a visitor signs up, proposes a défi (first with an empty
// form), sees it published and listed, and logs out.
func TestE2EProposeChallenge(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	b := NewBrowser(t, a.URL())

	b.Open("/", 200)
	if h := b.Text("h1"); !strings.Contains(h, "Fabrique à communs") {
		t.Fatalf("home h1 = %q", h)
	}

	// Sign up from the header.
	b.ClickLink("//header", "Créer un compte")
	if p := b.Path(); p != "/inscription" {
		t.Fatalf("after «Créer un compte»: at %s", p)
	}
	b.Fill(
		[2]string{"display_name", "Alice Martin"},
		[2]string{"email", "alice@example.org"},
		[2]string{"password", "motdepasse-solide"},
	)
	b.Submit("sign up", `form[action="/inscription"]`, 200)
	if p := b.Path(); p != "/espace" {
		t.Fatalf("after sign-up: at %s, want /espace", p)
	}
	if f := b.Text("[data-testid=flash]"); !strings.Contains(f, "Bienvenue") {
		t.Errorf("flash after sign-up = %q", f)
	}
	if h := b.Text("main h1"); h != "Mon espace" {
		t.Errorf("espace h1 = %q", h)
	}

	// Propose a défi: the empty form first.
	b.ClickLink("//main", "Proposer un défi")
	if p := b.Path(); p != "/defis/nouveau" {
		t.Fatalf("after «Proposer un défi»: at %s", p)
	}
	b.Submit("submit the empty défi form", `form[action="/defis"]`, 422)
	if msg := b.Text("[data-testid=field-title] [data-testid=error-title]"); msg != "Donnez un titre au défi." {
		t.Errorf("title error = %q, want «Donnez un titre au défi.»", msg)
	}
	if n := b.Count("[data-testid=form-errors]"); n != 1 {
		t.Errorf("%d error summaries, want 1", n)
	}
	if inv := Eval[string](b, `document.querySelector("#champ-title").getAttribute("aria-invalid") || ""`); inv != "true" {
		t.Errorf("title aria-invalid = %q, want true", inv)
	}
	if by := Eval[string](b, `document.querySelector("#champ-title").getAttribute("aria-describedby") || ""`); !strings.Contains(by, "erreur-title") {
		t.Errorf("title aria-describedby = %q, want it to name erreur-title", by)
	}
	if cs, err := a.DB.ChallengeBySlug(context.Background(), "reseau-des-fablabs"); err == nil {
		t.Fatalf("the empty form saved a défi: %+v", cs)
	}

	b.Fill(
		[2]string{"title", "Réseau des fablabs"},
		[2]string{"summary", "Relier les fablabs des tiers-lieux pour partager machines et savoir-faire."},
		[2]string{"problem", "Les fablabs travaillent **chacun de leur côté**.\n\n- machines sous-utilisées\n- savoir-faire perdu"},
	)
	b.Submit("publish the défi", `form[action="/defis"]`, 200)
	if p := b.Path(); p != "/defis/reseau-des-fablabs" {
		t.Fatalf("after publishing: at %s, want /defis/reseau-des-fablabs", p)
	}
	if h := b.Text("[data-testid=challenge-page] h1"); h != "Réseau des fablabs" {
		t.Errorf("défi h1 = %q", h)
	}
	if s := b.Text("[data-testid=challenge-page] [data-testid=status]"); s != "Défi identifié" {
		t.Errorf("badge = %q, want «Défi identifié»", s)
	}
	if g := b.Text("[data-testid=problem] strong"); g != "chacun de leur côté" {
		t.Errorf("Markdown **gras** rendered as <strong>%s</strong>", g)
	}
	if n := b.Count("[data-testid=problem] li"); n != 2 {
		t.Errorf("Markdown list: %d items, want 2", n)
	}
	if team := b.Text("[data-testid=team]"); !strings.Contains(team, "Alice Martin") {
		t.Errorf("team = %q, want Alice Martin in it", team)
	}
	if f := b.Text("[data-testid=flash]"); !strings.Contains(f, "publié") {
		t.Errorf("flash after publishing = %q", f)
	}

	// The défi is listed.
	b.ClickLink("//header", "Défis")
	if p := b.Path(); p != "/defis" {
		t.Fatalf("after «Défis»: at %s", p)
	}
	card := `[data-testid=challenges] [data-testid=challenge][data-slug="reseau-des-fablabs"]`
	if h := b.Text(card + " h2"); h != "Réseau des fablabs" {
		t.Errorf("card title = %q", h)
	}
	if s := b.Text(card + " [data-testid=status]"); s != "Défi identifié" {
		t.Errorf("card badge = %q", s)
	}
	if m := b.Text(card + " .meta"); !strings.Contains(m, "Alice Martin") || !strings.Contains(m, "1 membre") {
		t.Errorf("card meta = %q", m)
	}

	// Log out from the header.
	b.Navigating("log out", 200, chromedp.Click(chromedp.CSS("header [data-testid=logout]"), chromedp.NodeVisible))
	if n := b.Count("[data-testid=logout]"); n != 0 {
		t.Errorf("still a logout button after logging out")
	}
	nav := b.Text("nav.site-nav")
	if !strings.Contains(nav, "Se connecter") || !strings.Contains(nav, "Créer un compte") {
		t.Errorf("nav after logout = %q, want «Se connecter» and «Créer un compte»", nav)
	}
	if strings.Contains(nav, "Mon espace") {
		t.Errorf("nav after logout still shows «Mon espace»: %q", nav)
	}
	// The session is really gone: the personal space asks to log in.
	b.Open("/espace", 200)
	if p := b.Path(); !strings.HasPrefix(p, "/connexion") {
		t.Errorf("/espace after logout: at %s, want the login page", p)
	}
}

// TestE2EPhoneLayout: on a 360 px wide phone the main pages fit the screen, and the
// skip link is the first stop of the keyboard, visibly focused.
func TestE2EPhoneLayout(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	// Some content, with a long title, so that the lists are not empty.
	lead := a.CreateUser(t, "Camille Dupont-Lefèvre", "camille@example.org", "motdepasse-solide", fabrique.RoleContributor)
	for _, title := range []string{
		"Mutualisation des imprimantes 3D et des découpeuses laser entre tiers-lieux ruraux",
		"Réseau des fablabs",
	} {
		_, err := a.DB.CreateChallenge(context.Background(), fabrique.NewChallenge{
			Title:   title,
			Summary: "Un outil partagé pour réserver, entretenir et financer les machines, sans que chaque lieu réinvente la roue.",
			Problem: "Les machines coûtent cher et dorment **la moitié du temps**.",
		}, lead.ID)
		if err != nil {
			t.Fatal(err)
		}
	}
	b := NewBrowser(t, a.URL())
	const width, height = 360, 740
	b.Do("emulate a phone", chromedp.EmulateViewport(width, height, chromedp.EmulatePortrait, chromedp.EmulateMobile, chromedp.EmulateTouch))

	pages := []struct{ name, path string }{
		{"phone-home", "/"},
		{"phone-defis", "/defis"},
		{"phone-defi", "/defis/reseau-des-fablabs"},
		{"phone-inscription", "/inscription"},
	}
	for _, p := range pages {
		b.Open(p.path, 200)
		checkNoOverflow(t, b, p.path, width)
		b.Screenshot(p.name)
	}

	// The sign-up form with its errors, the longest form state.
	b.Submit("submit the empty sign-up form", `form[action="/inscription"]`, 422)
	if n := b.Count("[data-testid^=error-]"); n == 0 {
		t.Errorf("empty sign-up: no field error shown")
	}
	checkNoOverflow(t, b, "/inscription (errors)", width)
	b.Screenshot("phone-inscription-erreurs")

	// Logged in, the header holds more links and a logout button.
	b.Open("/connexion", 200)
	b.Fill([2]string{"email", "camille@example.org"}, [2]string{"password", "motdepasse-solide"})
	b.Submit("log in", `form[action="/connexion"]`, 200)
	if n := b.Count("header [data-testid=logout]"); n != 1 {
		t.Fatalf("not logged in after the login form (at %s)", b.Path())
	}
	checkNoOverflow(t, b, b.Path()+" (logged in)", width)
	b.Screenshot("phone-espace")
	b.Open("/defis/nouveau", 200)
	b.Submit("submit the empty défi form", `form[action="/defis"]`, 422)
	checkNoOverflow(t, b, "/defis/nouveau (errors)", width)
	b.Screenshot("phone-defi-nouveau-erreurs")
	// On a phone the logout button is under « Menu ».
	b.Do("open the menu", chromedp.Click(chromedp.CSS("[data-testid=menu-button]"), chromedp.NodeVisible))
	b.Navigating("log out", 200, chromedp.Click(chromedp.CSS("header [data-testid=logout]"), chromedp.NodeVisible))

	// Keyboard: the first Tab reaches the skip link, which shows up and is outlined.
	b.Open("/", 200)
	if n := b.Count("a.skip-link[href='#contenu']"); n != 1 {
		t.Fatalf("%d skip links to #contenu, want 1", n)
	}
	b.Do("press Tab", chromedp.KeyEvent("\t"))
	type focusInfo struct {
		Skip         bool    `json:"skip"`
		FocusVisible bool    `json:"focusVisible"`
		Outline      string  `json:"outline"`
		OutlineWidth float64 `json:"outlineWidth"`
		Left         float64 `json:"left"`
		Right        float64 `json:"right"`
		Active       string  `json:"active"`
	}
	fi := Eval[focusInfo](b, `(() => {
		const el = document.activeElement, cs = getComputedStyle(el), r = el.getBoundingClientRect();
		return {
			skip: el.matches("a.skip-link"),
			focusVisible: el.matches(":focus-visible"),
			outline: cs.outlineStyle,
			outlineWidth: parseFloat(cs.outlineWidth) || 0,
			left: r.left, right: r.right,
			active: el.outerHTML.slice(0, 120),
		};
	})()`)
	if !fi.Skip {
		t.Fatalf("after Tab the focus is on %s, want a.skip-link", fi.Active)
	}
	if !fi.FocusVisible || fi.Outline == "none" || fi.OutlineWidth < 2 {
		t.Errorf("focused skip link: :focus-visible=%v outline=%s %.1fpx, want a visible outline of 2px or more", fi.FocusVisible, fi.Outline, fi.OutlineWidth)
	}
	if fi.Left < 0 || fi.Right > width {
		t.Errorf("focused skip link is off screen: left=%.0f right=%.0f", fi.Left, fi.Right)
	}
	b.Screenshot("phone-skip-link")
	// Enter follows it to the main content.
	b.Do("press Enter on the skip link", chromedp.KeyEvent("\r"))
	if p := b.Path(); p != "/" {
		t.Errorf("skip link left the page: at %s", p)
	}
	if h := Eval[string](b, `location.hash`); h != "#contenu" {
		t.Errorf("after the skip link, location.hash = %q, want #contenu", h)
	}
	if id := Eval[string](b, `document.activeElement.id`); id != "contenu" {
		t.Errorf("after the skip link, the focus is on #%s, want main#contenu", id)
	}
}

// checkNoOverflow fails when the page scrolls sideways on a screen width px wide, and
// names the elements that stick out.
func checkNoOverflow(t *testing.T, b *Browser, page string, width int) {
	t.Helper()
	type overflow struct {
		ScrollWidth int      `json:"scrollWidth"`
		InnerWidth  int      `json:"innerWidth"`
		Culprits    []string `json:"culprits"`
	}
	// With mobile emulation Chromium zooms out to fit a too-wide page, which widens
	// innerWidth: so elements are measured against the screen width itself.
	o := Eval[overflow](b, `((w) => {
		// An element sticks out when its box, or its content (text that does not wrap)
		// when it does not scroll, goes past the right edge. Keep the deepest ones.
		const found = [];
		for (const el of document.body.querySelectorAll("*")) {
			if (el.closest(".skip-link")) continue;
			// Inside an SVG (the map of /tiers-lieux), the <svg> box is what may stick
			// out: it clips its content, whose scrollWidth is not a CSS box's.
			if (el.ownerSVGElement) continue;
			// What scrolls inside its own box (a wide table in .table-wrap) is fine.
			let scrolled = false;
			for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
				const ox = getComputedStyle(p).overflowX;
				if (ox === "auto" || ox === "scroll") { scrolled = true; break; }
			}
			if (scrolled) continue;
			const r = el.getBoundingClientRect();
			if (r.width === 0 || r.height === 0) continue;
			let right = r.right;
			if (getComputedStyle(el).overflowX === "visible") right = Math.max(right, r.left + el.scrollWidth);
			if (right > w + 0.5) found.push([el, right]);
		}
		const deepest = found.filter(([el]) => !found.some(([o]) => o !== el && el.contains(o)));
		const out = deepest.slice(0, 8).map(([el, right]) => {
			let name = el.tagName.toLowerCase();
			if (el.id) name += "#" + el.id;
			if (el.classList.length) name += "." + [...el.classList].join(".");
			const tid = el.getAttribute("data-testid");
			if (tid) name += "[data-testid=" + tid + "]";
			return name + " (right=" + Math.round(right) + "px)";
		});
		return {scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, culprits: out};
	})(`+strconv.Itoa(width)+`)`)
	if o.InnerWidth != width {
		t.Errorf("%s: innerWidth = %d, want %d (the page is zoomed out to fit something too wide?)", page, o.InnerWidth, width)
	}
	if o.ScrollWidth > o.InnerWidth || o.ScrollWidth > width || len(o.Culprits) > 0 {
		t.Errorf("%s: horizontal overflow on a %d px screen: scrollWidth=%d innerWidth=%d; sticking out: %s",
			page, width, o.ScrollWidth, o.InnerWidth, fmt.Sprint(o.Culprits))
	}
}

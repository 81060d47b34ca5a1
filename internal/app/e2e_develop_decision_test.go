package app_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/fabrique-a-communs/fabrique/internal/apptest"
	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// TestE2EDevelopDecision: a coordinator finds, in the coordination's queue, a défi whose
// framing is complete, follows its link to the défi's status form, where développement
// is the move offered and chosen, attaches the défi to an existing commun and decides;
// the défi's page then shows the commun's steps, numbered by start date, with their
// funding and « Soutenir cette étape » for the step in an open call. On a 360 px phone
// and a 1280 px screen.
func TestE2EDevelopDecision(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	ctx := context.Background()
	const pass = "motdepasse-solide"
	lead := a.CreateUser(t, "Léa Porteuse", "lea@example.org", pass, fabrique.RoleContributor)
	member := a.CreateUser(t, "Nina Membre", "nina@example.org", pass, fabrique.RoleContributor)
	coord := a.CreateUser(t, "Camille Coordinatrice", "camille@example.org", pass, fabrique.RoleCoordinator)

	// Dokos, a commun of the cartographie, with two steps — the later one inserted first —
	// and a call open today for the later one.
	dokos, err := a.DB.CreateCommons(ctx, fabrique.CommonsForm{Name: "Dokos", Kind: "logiciel", Summary: "Un ERP pour les tiers-lieux."})
	if err != nil {
		t.Fatal(err)
	}
	today := time.Now().UTC().Truncate(24 * time.Hour)
	var later, sooner int64
	for _, st := range []struct {
		id    *int64
		title string
		start int
	}{{&later, "Prototype", 60}, {&sooner, "Inventaire", 10}} {
		if err := a.SQL.QueryRow(ctx, `INSERT INTO steps (commons_id, title, goal, starts_on, ends_on, created_by)
			VALUES ($1, $2, 800000, $3, $4, $5) RETURNING id`,
			dokos.ID, st.title, today.AddDate(0, 0, st.start), today.AddDate(0, 0, st.start+30), coord.ID).Scan(st.id); err != nil {
			t.Fatal(err)
		}
	}
	call, err := a.DB.CreateCall(ctx, coord, fabrique.NewCall{Title: "Appel à communs", StartsOn: today.AddDate(0, 0, -2), EndsOn: today.AddDate(0, 0, 30)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.DB.AddCallStep(ctx, coord, call.ID, later); err != nil {
		t.Fatal(err)
	}

	for _, width := range []int{360, 1280} {
		t.Run(strconv.Itoa(width), func(t *testing.T) {
			// A défi in préfiguration, team of two, framing complete.
			title := fmt.Sprintf("Comptabilité partagée %d", width)
			c, err := a.DB.CreateChallenge(ctx, fabrique.NewChallenge{Title: title, Summary: "Mutualiser la comptabilité.", Problem: "Chaque lieu tient ses comptes seul."}, lead.ID)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := a.SQL.Exec(ctx, `INSERT INTO challenge_members (challenge_id, user_id, role, state, decided_at) VALUES ($1, $2, 'member', 'accepted', now())`, c.ID, member.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := a.SQL.Exec(ctx, `UPDATE challenges SET status = 'prefiguration' WHERE id = $1`, c.ID); err != nil {
				t.Fatal(err)
			}
			var fr fabrique.Framing
			for _, fd := range fabrique.FramingFields {
				fr.Set(fd.Name, "Texte de "+fd.Label+".")
			}
			if err := a.DB.SaveFraming(ctx, c.ID, member, fr, nil); err != nil {
				t.Fatal(err)
			}

			b := NewBrowser(t, a.URL())
			if width == 360 {
				b.Do("emulate a phone", chromedp.EmulateViewport(360, 740, chromedp.EmulatePortrait, chromedp.EmulateMobile, chromedp.EmulateTouch))
			}
			b.Login("camille@example.org", pass)

			// The queue lists the défi, framed today.
			b.Open("/coordination", 200)
			item := fmt.Sprintf("[data-testid=develop-queue-item][data-slug=%q]", c.Slug)
			if s := b.Text(item + " h3"); s != title {
				t.Errorf("queue item title = %q, want %q", s, title)
			}
			if s := b.Text(item + " [data-testid=develop-queue-framed]"); !strings.HasPrefix(s, "Cadrage complet depuis le ") {
				t.Errorf("queue item framing = %q", s)
			}
			b.Click("open the défi's status form", item+" [data-testid=develop-queue-decide]", 200)
			if p := b.Path(); p != "/defis/"+c.Slug {
				t.Fatalf("after the queue's link: at %s, want /defis/%s", p, c.Slug)
			}
			if h := Eval[string](b, "location.hash"); h != "#parcours" {
				t.Errorf("anchor = %q, want #parcours", h)
			}
			// The status form is where the link led, on screen, with développement chosen.
			if top := Eval[float64](b, `document.querySelector("[data-testid=status-form]").getBoundingClientRect().top`); top < 0 || top > 740 {
				t.Errorf("status form at %.0f px from the top of the screen, want in view", top)
			}
			if v := Eval[string](b, `document.querySelector("#champ-statut").value`); v != string(fabrique.StatusDevelopment) {
				t.Errorf("statut chosen = %q, want developpement", v)
			}
			opts := b.Texts("#champ-statut option")
			if len(opts) != 3 || opts[0] != "En développement" || opts[1] != "Clore le défi" || !strings.HasPrefix(opts[2], "Revenir à l’étape") {
				t.Errorf("moves offered = %q, want développement, closing, then the step back", opts)
			}

			// Attached to Dokos, the défi moves to développement.
			b.FillForm("form[data-testid=status-form]", [2]string{"commons_id", strconv.FormatInt(dokos.ID, 10)}, [2]string{"note", "Pertinence démontrée."})
			b.Submit("move to développement", "form[data-testid=status-form]", 200)
			if s := b.Text("[data-testid=flash]"); !strings.Contains(s, "Le défi passe en développement") {
				t.Errorf("flash = %q", s)
			}
			if s := b.Text("[data-testid=challenge-page] > header [data-testid=status]"); s != "En développement" {
				t.Errorf("badge = %q, want «En développement»", s)
			}

			// The défi's page now shows Dokos' steps, as a person reads them.
			if s := b.Text("[data-testid=steps-commons]"); s != "Dokos" {
				t.Errorf("commun named = %q, want Dokos", s)
			}
			titles := b.Texts("[data-testid=challenge-step] [data-testid=step-title]")
			if apptest.Plain(strings.Join(titles, "|")) != "Étape 1 : Inventaire|Étape 2 : Prototype" {
				t.Errorf("steps = %q, want Inventaire then Prototype, numbered by start date", titles)
			}
			if n := b.Count("[data-testid=challenge-step] [data-testid=step-bars]"); n != 2 {
				t.Errorf("%d steps with their funding, want 2", n)
			}
			support := fmt.Sprintf("[data-testid=challenge-step][data-step-id='%d'] a[data-testid=support-step]", later)
			if s := b.Text(support); s != "Soutenir cette étape" {
				t.Errorf("support link = %q", s)
			}
			if h := b.Attr(support, "href"); h != fmt.Sprintf("/etapes/%d/promesses/nouvelle", later) {
				t.Errorf("support link leads to %q", h)
			}
			if n := b.Count(fmt.Sprintf("[data-testid=challenge-step][data-step-id='%d'] [data-testid=support-step]", sooner)); n != 0 {
				t.Errorf("the step in no open call offers « Soutenir cette étape »")
			}
			body := Eval[string](b, "document.body.innerText")
			for _, gone := range []string{"Nous préfigurons", "peut passer en développement"} {
				if strings.Contains(body, gone) {
					t.Errorf("the page in développement still says %q", gone)
				}
			}
			if w := Eval[int](b, "document.documentElement.scrollWidth"); w > width {
				t.Errorf("page is %d px wide on a %d px screen", w, width)
			}

			// Decided, the défi has left the queue.
			b.Open("/coordination", 200)
			if n := b.Count(item); n != 0 {
				t.Errorf("the défi is still in the queue after the decision")
			}
		})
	}
}

package app_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/fabrique-a-communs/fabrique/internal/apptest"
	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// TestE2ETeamAndStatus: a porteur proposes a défi; a contributor, in a browser of their
// own, asks to join; moving the défi to «équipe» is not offered while the porteur is
// alone, and the page says why;
// the porteur accepts the request, the team shows both, and the défi moves to «équipe»,
// with the change in its timeline.
func TestE2ETeamAndStatus(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	const pass = "motdepasse-solide"
	a.CreateUser(t, "Alice Martin", "alice@example.org", pass, fabrique.RoleContributor)
	bob := a.CreateUser(t, "Bruno Petit", "bruno@example.org", pass, fabrique.RoleContributor)

	// The porteur logs in and proposes the défi through the form.
	lead := NewBrowser(t, a.URL())
	lead.Login("alice@example.org", pass)
	lead.ClickLink("//main", "Proposer un défi")
	lead.Fill(
		[2]string{"title", "Réseau des fablabs"},
		[2]string{"summary", "Relier les fablabs des tiers-lieux pour partager machines et savoir-faire."},
		[2]string{"problem", "Les fablabs travaillent chacun de leur côté."},
	)
	lead.Submit("publish the défi", `form[action="/defis"]`, 200)
	const slug = "reseau-des-fablabs"
	page := "/defis/" + slug
	if p := lead.Path(); p != page {
		t.Fatalf("after publishing: at %s, want %s", p, page)
	}
	badge := "[data-testid=challenge-page] > header [data-testid=status]"
	if s := lead.Text(badge); s != "Défi identifié" {
		t.Errorf("badge = %q, want «Défi identifié»", s)
	}
	if n := lead.Count("[data-testid=join-request]"); n != 0 {
		t.Errorf("%d join requests on a new défi, want none", n)
	}

	// Alone, the porteur is not offered «équipe»: the page says why before anyone tries,
	// and what the team lacks.
	if n := lead.Count("form[data-testid=status-form]"); n != 0 {
		t.Errorf("the porteur alone is offered the status form")
	}
	if msg := lead.Text("[data-testid=move-reason][data-to=equipe]"); msg != "Il faut au moins deux membres dans l’équipe, porteur·se compris·e, pour passer à cette étape." {
		t.Errorf("reason shown before trying = %q", msg)
	}
	if s := lead.Text("[data-testid=team-missing-count]"); s != "il manque 1 membre." {
		t.Errorf("what the team lacks = %q", s)
	}
	if s := lead.Text(badge); s != "Défi identifié" {
		t.Errorf("badge = %q, want «Défi identifié»", s)
	}
	if c, err := a.DB.ChallengeBySlug(context.Background(), slug); err != nil || c.Status != fabrique.StatusIdentified {
		t.Fatalf("défi %+v, %v; want it still identifie", c, err)
	}

	// The contributor, in a browser of their own, asks to join with a message.
	contrib := NewBrowser(t, a.URL())
	contrib.Login("bruno@example.org", pass)
	contrib.Open(page, 200)
	const message = "Je gère le fablab de Ploërmel, je peux aider."
	contrib.FillForm("form[data-testid=join-form]", [2]string{"message", message})
	contrib.Submit("ask to join", "form[data-testid=join-form]", 200)
	if p := contrib.Path(); p != page {
		t.Errorf("after asking to join: at %s, want %s", p, page)
	}
	if s := contrib.Text("[data-testid=my-team-status]"); !strings.Contains(s, "Votre demande est en attente") {
		t.Errorf("requester's status = %q, want their request pending", s)
	}
	if n := contrib.Count("[data-testid=join-requests]"); n != 0 {
		t.Errorf("the requester sees the pending requests list")
	}

	// The porteur sees the request, with its message, and accepts it.
	lead.Open(page, 200)
	req := fmt.Sprintf("[data-testid=join-request][data-user-id='%d']", bob.ID)
	if s := lead.Text(req); !strings.Contains(s, "Bruno Petit") || !strings.Contains(s, message) {
		t.Errorf("pending request = %q, want Bruno Petit and the message", s)
	}
	lead.Click("accept Bruno", fmt.Sprintf(`form[action="/defis/%s/equipe/%d/accepter"] button`, slug, bob.ID), 200)
	if f := lead.Text("[data-testid=flash]"); !strings.Contains(f, "Demande acceptée") {
		t.Errorf("flash after accepting = %q", f)
	}
	if n := lead.Count("[data-testid=join-request]"); n != 0 {
		t.Errorf("%d pending requests after accepting, want none", n)
	}
	members := lead.Texts("[data-testid=team] [data-testid=team-member] strong")
	if len(members) != 2 || members[0] != "Alice Martin" || members[1] != "Bruno Petit" {
		t.Errorf("team = %q, want [Alice Martin Bruno Petit]", members)
	}
	if r := lead.Attr(fmt.Sprintf("[data-testid=team-member][data-user-id='%d']", bob.ID), "data-role"); r != fabrique.TeamMember {
		t.Errorf("Bruno's role = %q, want %q", r, fabrique.TeamMember)
	}

	// Now two, the porteur moves the défi to «équipe».
	const note = "Bruno rejoint l’équipe : nous sommes deux."
	lead.FillForm("form[data-testid=status-form]", [2]string{"statut", "equipe"}, [2]string{"note", note})
	lead.Submit("move to equipe", "form[data-testid=status-form]", 200)
	if p := lead.Path(); p != page {
		t.Errorf("after the move: at %s, want %s", p, page)
	}
	if s := lead.Text(badge); s != "Équipe constituée" {
		t.Errorf("badge = %q, want «Équipe constituée»", s)
	}
	if n := lead.Count("[data-testid=error-statut]"); n != 0 {
		t.Errorf("a statut error is still shown after the move")
	}
	last := "[data-testid=timeline] [data-testid=timeline-entry]:last-child"
	if to := lead.Attr(last, "data-to"); to != string(fabrique.StatusTeam) {
		t.Errorf("last timeline entry goes to %q, want equipe", to)
	}
	if l := lead.Text(last + " [data-testid=timeline-label]"); l != "Équipe constituée" {
		t.Errorf("last timeline label = %q, want «Équipe constituée»", l)
	}
	if s := lead.Text(last); !strings.Contains(s, "par Alice Martin") || !strings.Contains(s, note) {
		t.Errorf("last timeline entry = %q, want «par Alice Martin» and the note", s)
	}
	if n := lead.Count("[data-testid=timeline-entry][data-to=equipe]"); n != 1 {
		t.Errorf("%d timeline entries to equipe, want 1", n)
	}

	// The new member sees where they stand, and the badge, in their own browser.
	contrib.Open(page, 200)
	if s := contrib.Text("[data-testid=my-team-status]"); !strings.Contains(s, "Vous faites partie de l’équipe") {
		t.Errorf("member's status = %q", s)
	}
	if s := contrib.Text(badge); s != "Équipe constituée" {
		t.Errorf("badge seen by the member = %q", s)
	}
	if n := contrib.Count("form[data-testid=status-form]"); n != 0 {
		t.Errorf("a member who is not the porteur is offered the status form")
	}

	// Handing the porteur role over asks first, without JavaScript: the button only opens
	// the question, whose own button acts.
	lead.Open(page, 200)
	confirm := fmt.Sprintf("[data-testid=team-member][data-user-id='%d'] details[data-testid=confirm]", bob.ID)
	if Eval[bool](lead, fmt.Sprintf(`document.querySelector(%s).checkVisibility()`, jsString(confirm+" form button"))) {
		t.Errorf("the hand-over button is visible before the question is opened")
	}
	lead.Do("open the hand-over question", chromedp.Click(confirm+" > summary"))
	if q := lead.Text(confirm + " .confirm-panel p"); !strings.Contains(q, "Bruno Petit portera le défi à votre place") {
		t.Errorf("hand-over question = %q", q)
	}
	lead.Click("hand the role over to Bruno", confirm+" form button", 200)
	if r := lead.Attr(fmt.Sprintf("[data-testid=team-member][data-user-id='%d']", bob.ID), "data-role"); r != fabrique.TeamLead {
		t.Errorf("Bruno's role after the hand-over = %q, want %q", r, fabrique.TeamLead)
	}
}

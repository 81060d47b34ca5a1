package server_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/fabrique-a-communs/fabrique/internal/apptest"
	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// The notification centre lists what the person was told, newest first, the unread ones
// marked, each leading to its page; « Tout marquer comme lu » clears the marks; nobody
// sees another's.
func TestNotificationCentre(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	ctx := context.Background()
	const pass = "mot de passe solide"
	lead := a.CreateUser(t, "Paule Porteuse", "paule@example.org", pass, fabrique.RoleContributor)
	a.CreateUser(t, "Bruno Martin", "bruno@example.org", pass, fabrique.RoleContributor)
	wantLogin(t, a.Client(t).Get("/espace/notifications"))
	wantLogin(t, a.Client(t).Post("/espace/notifications/lues", nil))

	paule := a.Client(t)
	paule.Login("paule@example.org", pass)
	r := paule.Get("/espace/notifications")
	wantStatus(t, r, http.StatusOK)
	if r.Doc.Find("[data-testid=notifications-empty]").Length() != 1 {
		t.Error("no empty state before any notification")
	}
	for _, title := range []string{"Réseau des fablabs", "Monnaie locale"} {
		c, err := a.DB.CreateChallenge(ctx, fabrique.NewChallenge{Title: title, Summary: "Résumé.", Problem: "Problème."}, lead.ID)
		if err != nil {
			t.Fatal(err)
		}
		bruno := a.Client(t)
		bruno.Login("bruno@example.org", pass)
		bruno.Post("/defis/"+c.Slug+"/equipe", url.Values{"message": {"Bonjour"}})
	}
	r = paule.Get("/espace/notifications")
	items := r.Doc.Find("[data-testid=notification]")
	if items.Length() != 2 || r.Doc.Find("[data-testid=notification-unread]").Length() != 2 {
		t.Fatalf("%d notifications, %d unread; want 2 and 2", items.Length(), r.Doc.Find("[data-testid=notification-unread]").Length())
	}
	if first := items.First().Find("a").Text(); first != "Bruno Martin demande à rejoindre l’équipe de « Monnaie locale ». Acceptez ou refusez sa demande sur la page du défi." {
		t.Errorf("newest first: %q", first)
	}
	if href, _ := items.First().Find("a").Attr("href"); href != "/defis/monnaie-locale#equipe" {
		t.Errorf("link %q", href)
	}
	// The header counts them on every page, and says it to screen readers.
	badge := paule.Get("/defis").Doc.Find(`[data-testid="unread-count"]`)
	if badge.Text() != "2" || badge.AttrOr("aria-label", "") != "2 notifications non lues" {
		t.Errorf("header count %q", badge.Text())
	}
	if n := a.Client(t).Get("/defis").Doc.Find(`[data-testid="unread-count"]`).Length(); n != 0 {
		t.Error("a visitor's header shows a count")
	}
	// Bruno sees none of Paule's.
	bruno := a.Client(t)
	bruno.Login("bruno@example.org", pass)
	if n := bruno.Get("/espace/notifications").Doc.Find("[data-testid=notification]").Length(); n != 0 {
		t.Errorf("Bruno sees %d notifications of Paule's", n)
	}
	wantRedirect(t, paule.Post("/espace/notifications/lues", nil), "/espace/notifications")
	r = paule.Get("/espace/notifications")
	if n := r.Doc.Find("[data-testid=notification-unread]").Length(); n != 0 || r.Doc.Find("[data-testid=mark-read-form]").Length() != 0 {
		t.Errorf("after « Tout marquer comme lu »: %d unread", n)
	}
	if n := r.Doc.Find(`[data-testid="unread-count"]`).Length(); n != 0 {
		t.Error("the header still counts unread notifications once all are read")
	}
	// Beyond a page, the older ones are on the next.
	if _, err := a.SQL.Exec(ctx, `INSERT INTO notifications (user_id, kind, data, delivery, created_at)
		SELECT $1, 'join_request', '{"requester":"Ancien","title":"Vieux défi","slug":"vieux"}', 'site', now() - g * interval '1 hour'
		  FROM generate_series(1, 60) g`, lead.ID); err != nil {
		t.Fatal(err)
	}
	first, second := paule.Get("/espace/notifications"), paule.Get("/espace/notifications?page=2")
	if n, m := first.Doc.Find("[data-testid=notification]").Length(), second.Doc.Find("[data-testid=notification]").Length(); n != 50 || m != 12 {
		t.Errorf("pages of %d and %d notifications, want 50 and 12", n, m)
	}
	if first.Doc.Find(`a[href="/espace/notifications?page=2"]`).Length() == 0 {
		t.Error("no link to the second page")
	}
}

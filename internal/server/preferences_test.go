package server_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/fabrique-a-communs/fabrique/internal/apptest"
	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// The preferences form shows each kind's current delivery (its default until chosen),
// saves a choice, refuses an unknown value next to its field with nothing saved, and is
// only for a logged-in person, about themselves.
func TestNotificationPreferences(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	const pass = "mot de passe solide"
	a.CreateUser(t, "Paule Porteuse", "paule@example.org", pass, fabrique.RoleContributor)
	const path = "/espace/notifications/preferences"
	wantLogin(t, a.Client(t).Get(path))
	wantLogin(t, a.Client(t).Post(path, url.Values{"join_request": {"site"}}))

	c := a.Client(t)
	c.Login("paule@example.org", pass)
	r := c.Get(path)
	wantStatus(t, r, http.StatusOK)
	checked := func(r *apptest.Response, kind string) string {
		v, _ := r.Doc.Find(`[data-testid=pref-` + kind + `] input:checked`).Attr("value")
		return v
	}
	if got := checked(r, "join_request"); got != "immediat" {
		t.Errorf("join_request before any choice: %q, want its default immediat", got)
	}
	if got := checked(r, "status_changed"); got != "resume" {
		t.Errorf("status_changed before any choice: %q, want its default resume", got)
	}
	wantRedirect(t, c.Post(path, url.Values{"join_request": {"site"}, "status_changed": {"immediat"}}), path+"?enregistre=1")
	r = c.Get(path + "?enregistre=1")
	if checked(r, "join_request") != "site" || checked(r, "status_changed") != "immediat" || r.Doc.Find("[data-testid=preferences-saved]").Length() != 1 {
		t.Errorf("after saving: join_request %q, status_changed %q", checked(r, "join_request"), checked(r, "status_changed"))
	}
	// An unknown value: 422, its error beside the field, nothing saved (not even the valid one).
	r = c.Post(path, url.Values{"join_request": {"jamais"}, "status_changed": {"site"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if r.Doc.Find("[data-testid=pref-join_request] [data-testid=error-join_request]").Length() != 1 {
		t.Error("no error beside the refused field")
	}
	r = c.Get(path)
	if checked(r, "join_request") != "site" || checked(r, "status_changed") != "immediat" {
		t.Errorf("a refused form changed the preferences: %q, %q", checked(r, "join_request"), checked(r, "status_changed"))
	}
}

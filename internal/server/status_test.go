package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/fabrique-a-communs/fabrique/internal/apptest"
)

// moveTo posts the status form.
func (s *teamSetup) moveTo(c *apptest.Client, statut, note string) *apptest.Response {
	return c.Post(s.path("statut"), url.Values{"statut": {statut}, "note": {note}})
}

// statusNow returns the défi's status and the length of its timeline.
func (s *teamSetup) statusNow(t *testing.T) (status string, changes int) {
	t.Helper()
	if err := s.a.SQL.QueryRow(t.Context(), `SELECT status FROM challenges WHERE id = $1`, s.ch.ID).Scan(&status); err != nil {
		t.Fatal(err)
	}
	return status, countRows(t, s.a, `SELECT count(*) FROM challenge_status_changes WHERE challenge_id = $1`, s.ch.ID)
}

// completeFramingForm fills every field of the framing form.
func completeFramingForm() url.Values {
	return url.Values{
		"problems":           {"Les fablabs travaillent **seuls**."},
		"use_cases":          {"- partager une fiche machine\n- trouver de l’aide"},
		"actors":             {"Trois réseaux régionaux."},
		"existing_solutions": {"Movilab documente déjà des lieux."},
		"approach":           {"Un cahier des charges avec les fabmanagers."},
		"next_steps":         {"1. Inventaire\n2. Prototype"},
	}
}

func TestStatusMoves(t *testing.T) {
	t.Parallel()
	s := newTeamSetup(t)

	// Who sees the form.
	for name, c := range map[string]*apptest.Client{"anonymous": s.anC, "contributor": s.carolC} {
		if n := c.Get(s.path()).Doc.Find("[data-testid=status-form]").Length(); n != 0 {
			t.Errorf("status form for %s: got %d, want 0", name, n)
		}
	}
	// Alone, the porteur is told why « Équipe constituée » waits, before trying: no form
	// offers a move that the rules would refuse.
	r := s.leadC.Get(s.path())
	if n := r.Doc.Find("[data-testid=status-form]").Length(); n != 0 {
		t.Errorf("porteur alone: got %d status forms, want 0", n)
	}
	if got := text(r, "[data-testid=move-barred][data-to=equipe]"); got != "Équipe constituée" {
		t.Errorf("barred move: got %q, want Équipe constituée", got)
	}
	if got := text(r, "[data-testid=move-reason][data-to=equipe]"); got != "Il faut au moins deux membres dans l’équipe, porteur·se compris·e, pour passer à cette étape." {
		t.Errorf("reason shown before trying: got %q", got)
	}
	// The coordination sees the same reason, and may close the défi: closing is offered,
	// never preselected.
	r = s.coordC.Get(s.path())
	form := r.Doc.Find(`form[method=post][action="` + s.path("statut") + `"]`)
	var options []string
	form.Find("select[name=statut] option").Each(func(_ int, o *goquery.Selection) {
		options = append(options, o.AttrOr("value", "")+"="+strings.TrimSpace(o.Text()))
	})
	if got, want := strings.Join(options, ","), "=Choisir l’étape,clos=Clore le défi"; got != want {
		t.Errorf("coordinator's moves: got %s, want %s", got, want)
	}
	if got := form.Find("select[name=statut] option[selected]").AttrOr("value", "?"); got != "" {
		t.Errorf("preselected: got %q, want the empty choice", got)
	}
	if form.Find("textarea[name=note]").Length() != 1 {
		t.Errorf("status form: no note field")
	}

	wantLogin(t, s.moveTo(s.anC, "equipe", ""))
	wantStatus(t, s.moveTo(s.carolC, "equipe", ""), http.StatusForbidden)
	wantStatus(t, s.bobC.Post("/defis/n-existe-pas/statut", url.Values{"statut": {"equipe"}}), http.StatusNotFound)

	steps := []struct {
		name   string
		client *apptest.Client
		statut string
		note   string
		want   int
		reason string // the French sentence next to the statut field, for 422
		field  string
		before func()
	}{
		{"porteur, one member", s.leadC, "equipe", "", 422, "Il faut au moins deux membres dans l’équipe, porteur·se compris·e, pour passer à cette étape.", "statut", nil},
		{"unknown status", s.leadC, "termine", "", 422, "Cette étape n’existe pas.", "statut", nil},
		{"skipping a step", s.leadC, "prefiguration", "", 422, "Le défi ne peut pas sauter d’étape", "statut", nil},
		{"same step", s.coordC, "identifie", "", 422, "Le défi est déjà à cette étape.", "statut", nil},
		{"porteur with two members", s.leadC, "equipe", "Bob nous rejoint.", 303, "", "", func() { s.member(t, s.bobC, s.bob) }},
		{"member, not porteur", s.bobC, "prefiguration", "", 403, "", "", nil},
		{"porteur to préfiguration", s.leadC, "prefiguration", "", 303, "", "", nil},
		{"porteur to développement", s.leadC, "developpement", "", 403, "", "", nil},
		{"coordinator, framing incomplete", s.coordC, "developpement", "", 422, "Le cadrage doit être complet", "statut", nil},
		{"coordinator, framing complete", s.coordC, "developpement", "Pertinence démontrée.", 303, "", "", func() {
			wantRedirect(t, s.bobC.Post(s.path("cadrage"), completeFramingForm()), s.path()+"#titre-cadrage")
		}},
		{"porteur closes", s.leadC, "clos", "Abouti.", 403, "", "", nil},
		{"close without a note", s.coordC, "clos", "  ", 422, "Indiquez pourquoi le défi est clos (abouti, abandonné…).", "statut", nil},
		{"note too long", s.coordC, "clos", strings.Repeat("n", 2001), 422, "La note ne doit pas dépasser 2 000 caractères.", "note", nil},
		{"close", s.coordC, "clos", "Objectif atteint.", 303, "", "", nil},
		{"porteur reopens", s.leadC, "prefiguration", "", 403, "", "", nil},
		{"coordinator reopens", s.coordC, "prefiguration", "Une nouvelle piste.", 303, "", "", nil},
	}
	for _, st := range steps {
		if st.before != nil {
			st.before()
		}
		beforeStatus, beforeChanges := s.statusNow(t)
		r := s.moveTo(st.client, st.statut, st.note)
		if st.want == 303 {
			wantRedirect(t, r, s.path())
		} else {
			wantStatus(t, r, st.want)
		}
		status, changes := s.statusNow(t)
		switch {
		case st.want == 303 && (status != st.statut || changes != beforeChanges+1):
			t.Errorf("%s: got status %s with %d changes, want %s with %d", st.name, status, changes, st.statut, beforeChanges+1)
		case st.want != 303 && (status != beforeStatus || changes != beforeChanges):
			t.Errorf("%s: got status %s with %d changes, want %s with %d unchanged", st.name, status, changes, beforeStatus, beforeChanges)
		}
		if st.want == 422 {
			if got := text(r, "[data-testid=field-"+st.field+"] [data-testid=error-"+st.field+"]"); !strings.HasPrefix(got, st.reason) {
				t.Errorf("%s: got error %q next to %s, want %q", st.name, got, st.field, st.reason)
			}
			if got := r.Doc.Find("[data-testid=challenge-page]").Length(); got != 1 {
				t.Errorf("%s: the défi page is not re-rendered", st.name)
			}
		}
	}

	// The timeline, oldest first, with French labels, who and notes.
	r = s.anC.Get(s.path())
	var labels []string
	r.Doc.Find("[data-testid=timeline] [data-testid=timeline-label]").Each(func(_ int, l *goquery.Selection) {
		labels = append(labels, strings.TrimSpace(l.Text()))
	})
	want := "Défi identifié,Équipe constituée,En préfiguration,En développement,Clos,Défi rouvert"
	if got := strings.Join(labels, ","); got != want {
		t.Errorf("timeline: got %s, want %s", got, want)
	}
	entries := r.Doc.Find("[data-testid=timeline-entry]")
	if got := strings.Join(strings.Fields(entries.Eq(3).Text()), " "); !strings.Contains(got, "Camille Coordination") || !strings.Contains(got, "Pertinence démontrée.") {
		t.Errorf("développement entry: got %q, want the coordinator and the note", got)
	}
	if got := entries.Eq(3).Find("time").Length(); got != 1 {
		t.Errorf("développement entry: got %d dates, want 1", got)
	}
	if got := r.Doc.Find("[data-testid=challenge-page] header [data-testid=status]").AttrOr("data-status", ""); got != "prefiguration" {
		t.Errorf("status badge: got %q, want prefiguration", got)
	}
}

func TestStatusConcurrent(t *testing.T) {
	t.Parallel()
	s := newTeamSetup(t)
	s.member(t, s.bobC, s.bob)
	statuses := make([]int, 2)
	var wg sync.WaitGroup
	for i, c := range []*apptest.Client{s.leadC, s.coordC} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses[i] = s.moveTo(c, "equipe", "").StatusCode
		}()
	}
	wg.Wait()
	codes := map[int]int{}
	for _, st := range statuses {
		codes[st]++
	}
	if codes[http.StatusSeeOther] != 1 || codes[http.StatusUnprocessableEntity] != 1 {
		t.Errorf("got statuses %v, want one 303 and one 422", statuses)
	}
	if status, changes := s.statusNow(t); status != "equipe" || changes != 2 {
		t.Errorf("got status %s with %d changes, want equipe with 2 (creation and one move)", status, changes)
	}
}

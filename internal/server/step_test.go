package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

func stepFormValues(title string) url.Values {
	return url.Values{
		"title":       {title},
		"description": {"Déclarer ses jours **sans réseau**, synchronisés au retour."},
		"goal":        {"12 000"},
		"starts_on":   {"2027-01-04"},
		"ends_on":     {"2027-03-31"},
	}
}

// TestStepAuthorisation walks "POST /communs/{slug}/etapes" role by role: the porteur
// of the défi the commun came from and the coordination publish steps, nobody else.
func TestStepAuthorisation(t *testing.T) {
	t.Parallel()
	l := startDev(t, 0)
	k := l.develop(t)
	path := "/communs/" + k.Slug + "/etapes"
	cases := []struct {
		role string
		want int // 0: 303 to /connexion
	}{
		{"anonymous", 0},
		{"contributor", http.StatusForbidden},
		{"member", http.StatusForbidden},
		{"author", http.StatusForbidden},
		{"lead", http.StatusSeeOther},
		{"coordinator", http.StatusSeeOther},
	}
	published := 0
	for _, tc := range cases {
		r := l.clients[tc.role].Post(path, stepFormValues("Étape de "+tc.role))
		switch tc.want {
		case 0:
			if !isLoginRedirect(r) {
				t.Errorf("%s: got %d %q, want a redirect to /connexion", tc.role, r.StatusCode, r.Location())
			}
		case http.StatusSeeOther:
			wantRedirect(t, r, "/communs/"+k.Slug)
			published++
		default:
			if r.StatusCode != tc.want {
				t.Errorf("%s: got status %d, want %d", tc.role, r.StatusCode, tc.want)
			}
		}
		if n := countRows(t, l.a, `SELECT count(*) FROM steps`); n != published {
			t.Errorf("%s: got %d steps, want %d", tc.role, n, published)
		}
	}
	// A stranger's invalid form is a 403 too: rights come before the fields.
	wantStatus(t, l.clients["contributor"].Post(path, url.Values{"title": {""}}), http.StatusForbidden)
	wantStatus(t, l.clients["coordinator"].Post("/communs/n-existe-pas/etapes", stepFormValues("X")), http.StatusNotFound)
	if n := countRows(t, l.a, `SELECT count(*) FROM audit_log WHERE action = 'step.create'`); n != 2 {
		t.Errorf("got %d audit entries, want 2", n)
	}

	// Who sees the form: the porteur and the coordination.
	for role, want := range map[string]int{"anonymous": 0, "contributor": 0, "member": 0, "lead": 1, "coordinator": 1} {
		r := l.clients[role].Get("/communs/" + k.Slug)
		if n := r.Doc.Find(`form[method=post][action="` + path + `"]`).Length(); n != want {
			t.Errorf("%s: got %d step forms, want %d", role, n, want)
		}
	}
}

// TestStepInvalid: each refusal is a 422 with the commun's page re-rendered, the message
// next to its field, what was typed kept, and nothing written.
func TestStepInvalid(t *testing.T) {
	t.Parallel()
	l := startDev(t, 0)
	k := l.develop(t)
	lead := l.clients["lead"]
	cases := []struct {
		name, field, value, want string
	}{
		{"no title", "title", "  ", "Indiquez le titre de l’étape."},
		{"title too long", "title", strings.Repeat("é", 161), "Le titre ne doit pas dépasser 160 caractères."},
		{"description too long", "description", strings.Repeat("d", 20001), "La description ne doit pas dépasser 20 000 caractères."},
		{"no goal", "goal", "", "Indiquez un montant."},
		{"goal not a number", "goal", "beaucoup", "Ce montant n’est pas lisible. Écrivez par exemple 3000 ou 3 000,50."},
		{"goal zero", "goal", "0", "Le montant doit être supérieur à zéro."},
		{"goal negative", "goal", "-10", "Le montant doit être positif."},
		{"goal too large", "goal", "20 000 000", "Ce montant est trop élevé (10 000 000,00 € au plus)."},
		{"no start", "starts_on", "", "Indiquez une date."},
		{"start not a date", "starts_on", "2027-02-30", "Indiquez une date au format AAAA-MM-JJ, par exemple 2026-03-14."},
		{"start before 2020", "starts_on", "2019-12-31", "La date doit être comprise entre 2020 et 2100."},
		{"end after 2100", "ends_on", "2101-01-01", "La date doit être comprise entre 2020 et 2100."},
		{"end before start", "ends_on", "2027-01-03", "La fin de l’étape ne peut pas précéder son début."},
	}
	for _, tc := range cases {
		form := stepFormValues("Mode hors ligne")
		form.Set(tc.field, tc.value)
		r := lead.Post("/communs/"+k.Slug+"/etapes", form)
		wantStatus(t, r, http.StatusUnprocessableEntity)
		if got := text(r, "[data-testid=step-form] [data-testid=field-"+tc.field+"] [data-testid=error-"+tc.field+"]"); got != tc.want {
			t.Errorf("%s: got %q next to %s, want %q", tc.name, got, tc.field, tc.want)
		}
		if r.Doc.Find("[data-testid=commons-page]").Length() != 1 {
			t.Errorf("%s: the commun's page is not re-rendered", tc.name)
		}
		if tc.field != "title" {
			if got := r.Doc.Find("[data-testid=step-form] input[name=title]").AttrOr("value", ""); got != "Mode hors ligne" {
				t.Errorf("%s: title kept: got %q", tc.name, got)
			}
		}
	}
	if n := countRows(t, l.a, `SELECT count(*) FROM steps`); n != 0 {
		t.Errorf("got %d steps after refusals, want 0", n)
	}
	// The same day for start and end is a one-day step; a goal typed the French way.
	form := stepFormValues("Atelier")
	form.Set("ends_on", "2027-01-04")
	form.Set("goal", "1 500,50 €")
	wantRedirect(t, lead.Post("/communs/"+k.Slug+"/etapes", form), "/communs/"+k.Slug)
	if n := countRows(t, l.a, `SELECT count(*) FROM steps WHERE goal = 150050 AND starts_on = ends_on`); n != 1 {
		t.Errorf("got %d one-day steps of 1 500,50 €, want 1", n)
	}
}

// TestStepShow: each step shows what it is, when, and its figures, with a progress bar
// and its id for the calls.
func TestStepShow(t *testing.T) {
	t.Parallel()
	l := startDev(t, 0)
	k := l.develop(t)
	r := l.clients["anonymous"].Get("/communs/" + k.Slug)
	if r.Doc.Find("[data-testid=steps-empty]").Length() != 1 {
		t.Errorf("no empty state without steps")
	}
	late := stepFormValues("Export des rétributions")
	late.Set("starts_on", "2027-06-01")
	late.Set("ends_on", "2027-07-15")
	late.Set("goal", "3000")
	wantRedirect(t, l.clients["lead"].Post("/communs/"+k.Slug+"/etapes", late), "/communs/"+k.Slug)
	r = l.clients["coordinator"].Post("/communs/"+k.Slug+"/etapes", stepFormValues("Mode hors ligne"))
	wantRedirect(t, r, "/communs/"+k.Slug)
	if got := text(l.clients["coordinator"].Follow(r), "[data-testid=flash]"); !strings.Contains(got, "L’étape de développement est publiée") {
		t.Errorf("flash: got %q", got)
	}
	steps, err := l.a.DB.CommonsSteps(t.Context(), k.ID)
	if err != nil || len(steps) != 2 {
		t.Fatalf("steps: got %d (%v), want 2", len(steps), err)
	}

	r = l.clients["anonymous"].Get("/communs/" + k.Slug)
	items := r.Doc.Find("[data-testid=step]")
	if items.Length() != 2 {
		t.Fatalf("got %d steps shown, want 2", items.Length())
	}
	first := items.First()
	if got := first.AttrOr("data-step-id", ""); got != idOf(steps[0].ID) {
		t.Errorf("first step id: got %q, want %d (the one starting first)", got, steps[0].ID)
	}
	for sel, want := range map[string]string{
		"[data-testid=step-title]":           "Mode hors ligne",
		"[data-testid=step-goal]":            "12 000,00 €",
		"[data-testid=step-promised]":        "0,00 €",
		"[data-testid=step-confirmed]":       "0,00 €",
		"[data-testid=step-matched-secured]": "0,00 €",
		"[data-testid=step-spent]":           "0,00 €",
		"[data-testid=step-remaining]":       "12 000,00 €",
	} {
		if got := strings.TrimSpace(first.Find(sel).Text()); got != want {
			t.Errorf("%s: got %q, want %q", sel, got, want)
		}
	}
	if got := first.Find("[data-testid=step-description] strong").Text(); got != "sans réseau" {
		t.Errorf("description rendered: got %q", got)
	}
	var dates []string
	first.Find("[data-testid=step-dates] time").Each(func(_ int, s *goquery.Selection) { dates = append(dates, s.AttrOr("datetime", "")) })
	if strings.Join(dates, ",") != "2027-01-04,2027-03-31" {
		t.Errorf("dates: got %v", dates)
	}
	if bar := readBar(t, first); bar.Goal != 1200000 || bar.Filled() != "0.00%" || !strings.Contains(bar.Label, "sur un objectif de 12 000,00 €") {
		t.Errorf("funding bar: got %+v, want an empty bar against 1200000 with its sentence", bar)
	}

	// Confirmed pledges fill the bar (the figures are the calls' StepFigures).
	lootExec(t, l.a, `INSERT INTO funders (user_id, kind) VALUES ($1, 'particulier')`, l.contributor.ID)
	if _, err := l.a.SQL.Exec(t.Context(),
		`INSERT INTO pledges (step_id, user_id, funder_kind, amount, idempotency_key, state) VALUES ($1, $2, 'particulier', 300000, 'cle-promesse-1', 'promise')`,
		steps[0].ID, l.contributor.ID); err != nil {
		t.Fatal(err)
	}
	r = l.clients["anonymous"].Get("/communs/" + k.Slug)
	first = r.Doc.Find("[data-testid=step]").First()
	if got := strings.TrimSpace(first.Find("[data-testid=step-promised]").Text()); got != "3 000,00 €" {
		t.Errorf("promised: got %q, want 3 000,00 €", got)
	}
}

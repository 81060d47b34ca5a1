package server_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
)

// The coordination sets how a call's funders pay; a funder sees it, with their pledge's
// own reference, on the pledge's page (where the pledge form leads) and in /espace; no
// one else does. Bad instructions are refused by field and change nothing.
func TestCallPaymentInstructions(t *testing.T) {
	t.Parallel()
	w := newPlWorld(t)
	coord, funder := w.clients["coordination"], w.clients["financeur"]
	path := "/cofinancement/" + w.call + "/paiement"

	// Without instructions, the pledge's page says the coordination will tell.
	r := funder.Post(w.stepPath(), w.form("financeur", "100"))
	wantPledgePage(t, r)
	first := r.Location()
	if n := funder.Get(first).Doc.Find("[data-testid=payment-none]").Length(); n != 1 {
		t.Errorf("pledge page without instructions: want the note that the coordination will tell")
	}

	// Only the coordination sets them.
	good := url.Values{"payee": {"Compagnie des Tiers-Lieux"}, "iban": {"fr76 3000 6000 0112 3456 7890 189"}, "reference_prefix": {"appel-2027"}}
	wantStatus(t, funder.Post(path, good), http.StatusForbidden)
	// A wrong IBAN: 422, the error beside the field, nothing changed.
	bad := url.Values{"payee": {"Compagnie des Tiers-Lieux"}, "iban": {"FR76 3000 6000 0112 3456 7890 188"}, "reference_prefix": {"appel-2027"}}
	r = coord.Post(path, bad)
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if got := text(r, "[data-testid=call-payment] [data-testid=error-iban]"); !strings.Contains(got, "IBAN n’est pas valide") {
		t.Errorf("wrong IBAN: got %q beside the field", got)
	}
	if v := r.Doc.Find(`[data-testid=call-payment] input[name=iban]`).AttrOr("value", ""); v != "FR76 3000 6000 0112 3456 7890 188" {
		t.Errorf("the refused IBAN is not shown as typed: %q", v)
	}
	if n := countRows(t, w.a, `SELECT count(*) FROM calls WHERE iban <> '' OR payee <> ''`); n != 0 {
		t.Errorf("a refused form changed the call")
	}
	wantRedirect(t, coord.Post(path, good), "/cofinancement/"+w.call+"#titre-paiement")
	if n := countRows(t, w.a, `SELECT count(*) FROM calls WHERE iban = 'FR7630006000011234567890189' AND payee = 'Compagnie des Tiers-Lieux' AND reference_prefix = 'APPEL-2027'`); n != 1 {
		t.Errorf("instructions not saved as normalised")
	}
	if n := countRows(t, w.a, `SELECT count(*) FROM audit_log WHERE action = 'call.payment'`); n != 1 {
		t.Errorf("the change is not in the audit trail")
	}

	// The funder sees them on each of their pledges, with its own reference.
	r = funder.Post(w.stepPath(), w.form("financeur", "250"))
	wantPledgePage(t, r)
	id := strings.TrimPrefix(r.Location(), "/promesses/")
	page := funder.Get(r.Location())
	for sel, want := range map[string]string{
		"[data-testid=payment-payee]":     "Compagnie des Tiers-Lieux",
		"[data-testid=payment-iban]":      "FR76 3000 6000 0112 3456 7890 189",
		"[data-testid=payment-reference]": "APPEL-2027-" + id,
	} {
		if got := text(page, sel); got != want {
			t.Errorf("pledge page %s: got %q, want %q", sel, got, want)
		}
	}
	if got := text(page, "[data-testid=flash]"); !strings.Contains(got, "voici comment verser les fonds") {
		t.Errorf("confirmation flash: %q", got)
	}
	espace := funder.Get("/espace")
	if got := text(espace, `[data-testid=pledge][data-id="`+id+`"] [data-testid=payment-reference]`); got != "APPEL-2027-"+id {
		t.Errorf("/espace: reference %q", got)
	}
	// Others do not see them: another funder on this pledge (404 or 403), a visitor on
	// the call's page.
	if r := w.clients["autre-financeur"].Get("/promesses/" + id); r.Doc.Find("[data-testid=payment-instructions]").Length() != 0 {
		t.Errorf("another funder sees the payment instructions of this pledge")
	}
	if n := w.clients["anonyme"].Get("/cofinancement/" + w.call).Doc.Find("[data-testid=payment-instructions], [data-testid=call-payment]").Length(); n != 0 {
		t.Errorf("a visitor sees payment instructions on the call's page")
	}
}

// Steps are numbered within their commun, by start date — never by database id — and
// each step still to fund has « Soutenir cette étape ».
func TestStepNumbersAndSupport(t *testing.T) {
	t.Parallel()
	a := startDemo(t)
	seen := 0
	for _, slug := range []string{"dokos", "loot"} {
		r := a.Client(t).Get("/communs/" + slug)
		wantStatus(t, r, http.StatusOK)
		r.Doc.Find("[data-testid=step]").Each(func(i int, s *goquery.Selection) {
			seen++
			dates := strings.Join(strings.Fields(s.Find("[data-testid=step-dates]").Text()), " ")
			if want := fmt.Sprintf("étape n° %d", i+1); !strings.Contains(dates, want) {
				t.Errorf("%s, step %d: %q, want %q", slug, i+1, dates, want)
			}
			if href := s.Find("[data-testid=support-step]").AttrOr("href", ""); href != "/etapes/"+s.AttrOr("data-step-id", "")+"/promesses/nouvelle" {
				t.Errorf("%s, step %d: « Soutenir cette étape » leads to %q", slug, i+1, href)
			}
		})
	}
	if seen < 4 {
		t.Fatalf("the demo's communs show %d steps, want at least 4", seen)
	}
}

// The list of calls shows each call's goal (its steps'), what is secured against it and,
// while it is open, the days left to pledge.
func TestCallListProgressAndDaysLeft(t *testing.T) {
	t.Parallel()
	w := newPlWorld(t)
	p := w.pledge(t, "financeur", 2000_00, false)
	if _, _, err := w.a.DB.ConfirmPledge(t.Context(), p.ID, w.users["coordination"], p.Amount); err != nil {
		t.Fatal(err)
	}
	r := w.clients["anonyme"].Get("/cofinancement")
	card := r.Doc.Find(`[data-testid=call][data-slug="` + w.call + `"]`)
	bar := readBar(t, card.Find("[data-testid=call-progress]"))
	if bar.Goal != 10_000_00 || bar.Cents["confirme"] != 2_000_00 || bar.Filled() != "20.00%" {
		t.Errorf("call progress: got %+v filled to %s, want 2 000,00 € received of 10 000,00 €, 20.00%%", bar, bar.Filled())
	}
	if got := dd(r, `[data-testid=call][data-slug="`+w.call+`"]`, "funding-percent"); got != "Financement assuré à 20 %, à 20 % avec les promesses" {
		t.Errorf("call progress in words: got %q", got)
	}
	var endsOn time.Time
	if err := w.a.SQL.QueryRow(t.Context(), `SELECT ends_on FROM calls WHERE slug = $1`, w.call).Scan(&endsOn); err != nil {
		t.Fatal(err)
	}
	paris, _ := time.LoadLocation("Europe/Paris")
	now := time.Now().In(paris)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	left := int(endsOn.Sub(today).Hours()/24) + 1
	if got, want := text(r, `[data-testid=call][data-slug="`+w.call+`"] [data-testid=call-days-left]`), fmt.Sprintf("Encore %d jours pour promettre", left); got != want {
		t.Errorf("days left: %q, want %q", got, want)
	}
}

// The home page invites funders: « Cofinancer un commun », and the calls open today.
func TestHomeOpenCalls(t *testing.T) {
	t.Parallel()
	w := newPlWorld(t)
	c := w.clients["financeur"] // logged in: built each time, not from the page cache
	r := c.Get("/")
	if href := r.Doc.Find("[data-testid=home-cofinance]").AttrOr("href", ""); href != "/cofinancement" {
		t.Errorf("« Cofinancer un commun » leads to %q", href)
	}
	if href := r.Doc.Find(`[data-testid=home-call][data-slug="`+w.call+`"] a`).AttrOr("href", ""); href != "/cofinancement/"+w.call {
		t.Errorf("open call on the home page: link %q", href)
	}
	w.exec(t, `UPDATE calls SET closed_at = now(), closed_by = $2 WHERE slug = $1`, w.call, w.users["coordination"].ID)
	if n := c.Get("/").Doc.Find("[data-testid=home-call]").Length(); n != 0 {
		t.Errorf("a closed call is still on the home page")
	}
}

package app_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/fabrique-a-communs/fabrique/internal/apptest"
	"github.com/fabrique-a-communs/fabrique/internal/demo"
	"github.com/fabrique-a-communs/fabrique/internal/i18n"
)

// TestE2EReportPrintsToPDF prints a commun's report as a funder would: in print, the
// site's header and the links around the report are gone and its totals are there; to
// PDF, it makes A4 pages.
func TestE2EReportPrintsToPDF(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	ctx := context.Background()
	if _, err := demo.Demo(ctx, a.DB, a.SQL); err != nil {
		t.Fatal(err)
	}
	var slug string
	var received int64
	if err := a.SQL.QueryRow(ctx, `SELECT k.slug, coalesce(sum(p.amount), 0) FROM commons k JOIN steps s ON s.commons_id = k.id
		JOIN pledges p ON p.step_id = s.id AND p.state = 'confirmee' GROUP BY k.slug ORDER BY 2 DESC LIMIT 1`).Scan(&slug, &received); err != nil {
		t.Fatal(err)
	}
	b := NewBrowserAt(t, a.URL(), 1280, 900)
	b.Open("/communs/"+slug+"/bilan", 200)
	step, cancel := b.step()
	defer cancel()
	if _, err := chromedp.Call(step, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	if shown := Eval[string](b, `getComputedStyle(document.querySelector(".site-header")).display`); shown != "none" {
		t.Errorf("in print the site's header shows (display %q)", shown)
	}
	if got, want := strings.TrimSpace(apptest.Plain(b.Text("[data-testid=report-received]"))), apptest.Plain(i18n.Money(i18n.French, received)); got != want {
		t.Errorf("the printed report's received = %q, want %q", got, want)
	}
	prefer := true
	res, err := chromedp.Call(step, page.PrintToPDF, page.PrintToPDFParams{PreferCSSPageSize: &prefer})
	if err != nil {
		t.Fatalf("print to PDF: %v", err)
	}
	pdf := string(res.Data)
	pages := len(regexp.MustCompile(`/Type\s*/Page[^s]`).FindAllString(pdf, -1))
	if !strings.HasPrefix(pdf, "%PDF-") || pages < 1 {
		t.Fatalf("the PDF (%d bytes) has %d pages", len(pdf), pages)
	}
	// A4 is 595 × 842 points.
	if !regexp.MustCompile(`/MediaBox\s*\[\s*0\s+0\s+59[45]\.?\d*\s+84[12]\.?\d*\s*\]`).MatchString(pdf) {
		t.Errorf("the PDF's pages are not A4: %q", regexp.MustCompile(`/MediaBox\s*\[[^\]]*\]`).FindString(pdf))
	}
	t.Logf("the report printed to %d A4 pages (%d bytes)", pages, len(pdf))
}

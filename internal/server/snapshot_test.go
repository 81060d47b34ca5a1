package server_test

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/fabrique-a-communs/fabrique/internal/demo"
)

// TestDemoSnapshot writes every page of the demo, as crawled by TestNoGluedText, to
// $FABRIQUE_SNAPSHOT_DIR (skipped when it is unset): one file per viewer, language and
// URL holding the status, the redirect target, the content type and the body, plus
// index.txt. Two runs over the same code write the same bytes, so that a restructuring
// that must not change the HTML is checked by a diff -r of a snapshot taken before it and
// one taken after (make snapshot, docs/refactoring.md).
func TestDemoSnapshot(t *testing.T) {
	dir := os.Getenv("FABRIQUE_SNAPSHOT_DIR")
	if dir == "" {
		t.Skip("FABRIQUE_SNAPSHOT_DIR is not set")
	}
	t.Parallel()
	// Only what a snapshot writes is removed: dir may hold other things.
	for _, v := range snapshotViewers {
		if err := os.RemoveAll(filepath.Join(dir, v.name)); err != nil {
			t.Fatal(err)
		}
	}
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	run := snapshotRun{start: time.Now(), paris: paris}
	a := startDemo(t)
	base := a.URL()
	var index []string
	// One viewer after the other: a page a viewer sees must not depend on how far another
	// viewer's crawl has gone.
	for _, v := range snapshotViewers {
		c := a.Client(t)
		if v.email != "" {
			c.Login(v.email, demo.DemoPassword)
			c.Get("/espace") // shows the login's flash, which would show on a crawled page
		}
		for _, lang := range []string{"fr", "en"} {
			sub := filepath.Join(dir, v.name, lang)
			if err := os.MkdirAll(sub, 0o755); err != nil {
				t.Fatal(err)
			}
			write := func(pg gluePage) {
				name := snapshotFileName(pg.path)
				var b strings.Builder
				fmt.Fprintf(&b, "GET %s\nstatus: %d\n", pg.path, pg.status)
				if pg.location != "" {
					fmt.Fprintf(&b, "location: %s\n", normalizeSnapshot(pg.location, base, run))
				}
				fmt.Fprintf(&b, "content-type: %s\n\n%s", pg.ctype, normalizeSnapshot(pg.body, base, run))
				if err := os.WriteFile(filepath.Join(sub, name), []byte(b.String()), 0o644); err != nil {
					t.Fatal(err)
				}
				index = append(index, fmt.Sprintf("%s/%s/%s\t%d\t%s", v.name, lang, name, pg.status, pg.path))
			}
			// The downloads the pages link to (CSV, feed, Movilab text), which the crawl
			// leaves out, in the order first seen.
			var downloads []string
			seen := map[string]bool{}
			// One request at a time: a flash (« Connectez-vous pour continuer. ») shows on
			// the page fetched next, which must be the same page each run.
			crawlDemo(t, base, c.HTTP, lang, snapshotCrawl, func(pg gluePage, doc *html.Node) {
				write(pg)
				if doc == nil {
					return
				}
				for _, href := range links(doc) {
					if p, ok := downloadPath(base, pg.path, href); ok && !seen[p] {
						seen[p] = true
						downloads = append(downloads, p)
					}
				}
			})
			for _, p := range downloads {
				pg := fetchPage(c.HTTP, base, lang, p)
				if pg.err != nil {
					t.Errorf("[%s] GET %s: %v", lang, p, pg.err)
					continue
				}
				if pg.status != http.StatusOK {
					t.Errorf("[%s] GET %s: status %d", lang, p, pg.status)
				}
				write(pg)
			}
		}
	}
	slices.Sort(index)
	if err := os.WriteFile(filepath.Join(dir, "index.txt"), []byte(strings.Join(index, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d pages written to %s", len(index), dir)
}

// downloadPath returns the path and query of href, found on page from, when it is a
// download of this site that the crawl leaves out: a CSV, the Atom feed, a Movilab text.
func downloadPath(base, from, href string) (string, bool) {
	b, _ := url.Parse(base)
	u, err := b.Parse(from)
	if err == nil {
		u, err = u.Parse(strings.TrimSpace(href))
	}
	if err != nil || u.Host != b.Host {
		return "", false
	}
	p := u.EscapedPath()
	if !strings.HasSuffix(p, ".csv") && !strings.HasSuffix(p, ".atom") && !strings.HasSuffix(p, ".txt") {
		return "", false
	}
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	return p, true
}

// snapshotCrawl visits every page the glue test's crawl reaches and more: every page of
// each numeric-id shape (each contribution, pledge, step…) and every query seen.
var snapshotCrawl = crawlLimits{fetchers: 1, perIDShape: 1000, maxPages: 3000, everyQuery: true}

// snapshotViewers are the three points of view of the snapshot.
var snapshotViewers = []struct{ name, email string }{
	{"visiteur", ""},
	{"coordination", demo.CoordinatorEmail},
	{"porteuse", "nadia.benali@demo.fabrique.example"},
}

// snapshotFileName names a page's file after its path and query, escaped so that it is
// one file name: "/" is "_", other bytes outside [A-Za-z0-9.-] are %XX.
func snapshotFileName(p string) string {
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		switch c := p[i]; {
		case c == '/':
			b.WriteByte('_')
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '.', c == '-':
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String() + ".txt"
}

// snapshotVolatile are the only bits of a page that change from one run to the next over
// the same code and data; each match is passed to its replace. Keep this list short and
// every pattern narrow: what it hides, a diff of two snapshots cannot see.
var snapshotVolatile = []struct {
	re      *regexp.Regexp
	replace func(match string, run snapshotRun) string
}{
	// A pledge form's key against double submission: 18 random bytes, new on each render.
	{regexp.MustCompile(`name="idempotency_key" value="[A-Za-z0-9_-]{24}"`),
		func(string, snapshotRun) string { return `name="idempotency_key" value="KEY"` }},
	// An instant written during the run (the store's now(): the journal, a seed request),
	// machine-readable (UTC) or shown (Paris, to the minute). An instant outside the run,
	// such as the demo story's fixed times, is kept.
	{regexp.MustCompile(`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})`),
		func(m string, run snapshotRun) string {
			return run.instant(m, time.RFC3339Nano, time.UTC, "YYYY-MM-DDThh:mm:ssZ")
		}},
	// Its time of day, when a <time> whose instant is of the run (above) shows it in words:
	// "4 décembre 2026 à 21 h 43", "4 December 2026, 21:43". The day is kept.
	{regexp.MustCompile(`<time datetime="now\(YYYY-MM-DDThh:mm:ssZ\)">[^<]*</time>`),
		func(m string, _ snapshotRun) string { return snapshotClock.ReplaceAllString(m, "hh${1}mm") }},
	{regexp.MustCompile(`\b\d{2}/\d{2}/\d{4} \d{2}:\d{2}\b`),
		func(m string, run snapshotRun) string {
			return run.instant(m, "02/01/2006 15:04", run.paris, "DD/MM/YYYY hh:mm")
		}},
}

// snapshotClock is a time of day as the pages write it in a sentence: "21 h 43", "21:43".
var snapshotClock = regexp.MustCompile(`\b\d{1,2}( h |:)\d{2}\b`)

// snapshotRun is when the snapshot's data was written: from start, before the demo is
// loaded, to now.
type snapshotRun struct {
	start time.Time
	paris *time.Location
}

// instant returns "now(shape)" when m, read with layout in loc, is an instant of the run,
// else m.
func (r snapshotRun) instant(m, layout string, loc *time.Location, shape string) string {
	t, err := time.ParseInLocation(layout, m, loc)
	if err != nil || t.Before(r.start.Truncate(time.Minute)) || t.After(time.Now()) {
		return m
	}
	return "now(" + shape + ")"
}

// normalizeSnapshot replaces the test server's address (its port changes each run) and
// the volatile bits of s, then starts a line before each tag: the pages are written on
// one line, and a diff of one-line files says nothing. A newline is added before every
// "<", whatever was there, so that two different pages never give the same file.
func normalizeSnapshot(s, base string, run snapshotRun) string {
	s = strings.ReplaceAll(s, base, "http://fabrique.test")
	if u, err := url.Parse(base); err == nil {
		s = strings.ReplaceAll(s, u.Host, "fabrique.test")
	}
	for _, v := range snapshotVolatile {
		s = v.re.ReplaceAllStringFunc(s, func(m string) string { return v.replace(m, run) })
	}
	return strings.ReplaceAll(s, "<", "\n<")
}

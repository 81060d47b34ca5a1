package server_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/fabrique-a-communs/fabrique/internal/apptest"
	"github.com/fabrique-a-communs/fabrique/internal/demo"
)

// templ drops the whitespace between some nodes (a string expression before a component
// call on the next line, a component call before an element, …), and a component call
// followed by "{" on the same line swallows what follows as its children. A reader then
// sees « Du11 décembre 202611 mars 2027 ». TestNoGluedText renders every page of the demo
// the way each kind of visitor sees it, in French and in English, and fails on any word
// glued to another across an element boundary. web's TestTemplSpacing checks the
// templates themselves, in the states the demo does not show.

// gluePersonas are who crawls the demo: a visitor and demo accounts of every kind.
var gluePersonas = []struct{ name, email string }{
	{"visiteur", ""},
	{"coordination", demo.CoordinatorEmail},
	{"porteuse", "nadia.benali@demo.fabrique.example"},      // Loot's défi, in développement
	{"financeur-lieu", "marc.dubois@demo.fabrique.example"}, // porteur, member and funder for his tiers-lieu
	{"fondation", "helene.garnier@demo.fabrique.example"},   // a fondation's pledges
}

// glueStarts are where each crawl begins (with the pages whose link a page shows only past
// some count); every other page is reached by its links or derived from a page (derivedPages).
var glueStarts = []string{
	"/", "/defis", "/communs", "/cofinancement", "/tiers-lieux", "/transparence",
	"/connexion", "/inscription", "/espace", "/espace/contributions", "/espace/promesses",
	"/espace/financeur", "/coordination", "/coordination/journal", "/coordination/paiements",
	"/coordination/promesses", "/page-qui-n-existe-pas",
}

const (
	glueMaxPages    = 250 // per crawl: the demo has about a hundred distinct pages
	gluePerIDShape  = 4   // pages per path shape with a numeric id (/contributions/{n}, …)
	glueFetchers    = 3   // requests in flight per crawl
	glueMaxFindings = 40  // listed per crawl; the rest are counted
)

// crawlLimits say how far and how fast crawlDemo goes.
type crawlLimits struct {
	fetchers   int  // requests in flight
	perIDShape int  // pages per path shape with a numeric id
	maxPages   int  // the crawl fails when it reaches this many pages
	everyQuery bool // two URLs are one page only when equal, not when their query names are
}

var glueCrawl = crawlLimits{fetchers: glueFetchers, perIDShape: gluePerIDShape, maxPages: glueMaxPages}

func TestNoGluedText(t *testing.T) {
	t.Parallel()
	a := startDemo(t)
	start := time.Now()
	t.Cleanup(func() { t.Logf("crawled in %v", time.Since(start).Round(time.Millisecond)) })
	for _, p := range gluePersonas {
		t.Run(p.name, func(t *testing.T) {
			t.Parallel()
			c := a.Client(t)
			if p.email != "" {
				c.Login(p.email, demo.DemoPassword)
			}
			for _, lang := range []string{"fr", "en"} {
				t.Run(lang, func(t *testing.T) {
					t.Parallel()
					crawlForGlue(t, a.URL(), c.HTTP, lang)
				})
			}
		})
	}
}

// startDemo starts the app over the demo data, plus one waiting seed request: the demo
// decides every seed request it makes, and one waiting request more shows the
// coordination's queue too.
func startDemo(t *testing.T) *apptest.App {
	t.Helper()
	a := apptest.Start(t)
	ctx := context.Background()
	if _, err := demo.Demo(ctx, a.DB, a.SQL); err != nil {
		t.Fatal(err)
	}
	// c.id breaks the tie between défis created in the demo's one transaction (same
	// created_at), so that every run picks the same one.
	var challengeID, leadID int64
	if err := a.SQL.QueryRow(ctx, `
		SELECT c.id, c.lead_id FROM challenges c
		WHERE c.status IN ('equipe', 'prefiguration')
		  AND NOT EXISTS (SELECT 1 FROM seed_requests s WHERE s.challenge_id = c.id)
		ORDER BY c.created_at, c.id LIMIT 1`).Scan(&challengeID, &leadID); err != nil {
		t.Fatalf("a défi to ask a seed budget for: %v", err)
	}
	lead, err := a.DB.UserByID(ctx, leadID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.DB.RequestSeedBudget(ctx, challengeID, lead, 2000_00, "- Ateliers : 4 jours\n- Synthèse : 2 jours"); err != nil {
		t.Fatal(err)
	}
	return a
}

// gluePage is one answer of the crawl.
type gluePage struct {
	path     string
	status   int
	location string
	ctype    string
	body     string
	err      error
}

// crawlForGlue crawls the demo in lang and reports glued text.
func crawlForGlue(t *testing.T, base string, client *http.Client, lang string) {
	type finding struct {
		text, first string
		count       int
	}
	findings := map[string]*finding{}
	var order []string
	crawlDemo(t, base, client, lang, glueCrawl, func(pg gluePage, doc *html.Node) {
		if doc == nil {
			return
		}
		for _, g := range append(gluedText(doc), typographyFaults(doc, lang)...) {
			// The same glue in the same template, whatever the numbers around it.
			key := digits.ReplaceAllString(g, "9")
			if f := findings[key]; f != nil {
				f.count++
				continue
			}
			findings[key] = &finding{text: g, first: pg.path, count: 1}
			order = append(order, key)
		}
	})
	for i, g := range order {
		if i == glueMaxFindings {
			t.Errorf("[%s] … and %d more glued texts", lang, len(order)-i)
			break
		}
		f := findings[g]
		t.Errorf("[%s] glued text on %s (%d times): %s", lang, f.first, f.count, f.text)
	}
}

// crawlDemo visits every local page reachable from glueStarts with client (its cookies
// are the session) in lang, reports server errors, broken links and a wrong <html lang>,
// and calls visit with each answer in crawl order, which is the same from run to run over
// the same data. doc is the parsed page of an HTML answer that is no redirect, else nil.
func crawlDemo(t *testing.T, base string, client *http.Client, lang string, lim crawlLimits, visit func(pg gluePage, doc *html.Node)) {
	seen := map[string]bool{}    // dedupe key → queued
	perShape := map[string]int{} // numeric-id path shape → pages queued
	derived := map[string]bool{} // pages no link led to: a 404 there is no broken link
	var queue []string
	enqueue := func(from, href string, guessed bool) {
		p, ok := crawlablePath(base, from, href)
		if !ok {
			return
		}
		key, shape := dedupeKey(p)
		if lim.everyQuery {
			key = p
		}
		if seen[key] || len(seen) >= lim.maxPages {
			return
		}
		if shape != "" {
			if perShape[shape] >= lim.perIDShape {
				return
			}
			perShape[shape]++
		}
		seen[key] = true
		derived[p] = guessed
		queue = append(queue, p)
	}
	for _, s := range glueStarts {
		enqueue("/", s, true)
	}

	pages := 0
	for len(queue) > 0 {
		batch := queue
		queue = nil
		for _, pg := range fetchAll(client, base, lang, lim.fetchers, batch) {
			pages++
			switch {
			case pg.err != nil:
				t.Errorf("[%s] GET %s: %v", lang, pg.path, pg.err)
				continue
			case pg.status >= 500:
				t.Errorf("[%s] GET %s: status %d", lang, pg.path, pg.status)
			case pg.status == http.StatusNotFound && !derived[pg.path]:
				t.Errorf("[%s] GET %s: 404, a broken link", lang, pg.path)
			}
			if pg.location != "" {
				visit(pg, nil)
				enqueue(pg.path, pg.location, false)
				continue
			}
			if !strings.HasPrefix(pg.ctype, "text/html") {
				visit(pg, nil)
				continue
			}
			doc, err := html.Parse(strings.NewReader(pg.body))
			if err != nil {
				t.Errorf("[%s] GET %s: parse: %v", lang, pg.path, err)
				visit(pg, nil)
				continue
			}
			if got := attr(firstElement(doc, atom.Html), "lang"); got != lang {
				t.Errorf("[%s] GET %s: <html lang=%q>, want %q", lang, pg.path, got, lang)
			}
			visit(pg, doc)
			for _, href := range links(doc) {
				enqueue(pg.path, href, false)
			}
			if pg.status == http.StatusOK {
				for _, p := range derivedPages(pg.path, doc) {
					enqueue(pg.path, p, true)
				}
			}
		}
	}
	t.Logf("[%s] %d pages", lang, pages)
	if pages < 60 {
		t.Errorf("[%s] only %d pages crawled: the crawl lost its way", lang, pages)
	}
	if len(seen) >= lim.maxPages {
		t.Errorf("[%s] the crawl stopped at %d pages: raise its maxPages or dedupe more", lang, lim.maxPages)
	}
}

var (
	challengePath = regexp.MustCompile(`^/defis/([^/?]+)$`)
	callPath      = regexp.MustCompile(`^/cofinancement/([^/?]+)$`)
	// The pages behind the forms of a page: GET /contributions/{id} shows the contribution
	// its decision forms post to, GET /promesses/{id} the pledge.
	actionPages = []struct {
		action *regexp.Regexp
		page   string
	}{
		{regexp.MustCompile(`^/contributions/(\d+)/[a-z]+$`), "/contributions/$1"},
		{regexp.MustCompile(`^/promesses/(\d+)/[a-z]+$`), "/promesses/$1"},
		{regexp.MustCompile(`^/etapes/(\d+)/promesses$`), "/etapes/$1/promesses/nouvelle"},
	}
)

// derivedPages are the pages that path's page leads to without a link: the money pages of
// a défi, the pledge form and the funders of each step it shows, the page behind each of
// its forms, and its GET forms submitted as they are and with a search that finds nothing.
func derivedPages(path string, doc *html.Node) []string {
	var out []string
	if m := challengePath.FindStringSubmatch(path); m != nil && m[1] != "nouveau" {
		out = append(out, path+"/amorcage", path+"/contributions")
	}
	call := callPath.FindStringSubmatch(path)
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		if id := attr(n, "data-step-id"); id != "" {
			out = append(out, "/etapes/"+id+"/promesses/nouvelle")
			if call != nil && call[1] != "nouveau" {
				out = append(out, path+"/etapes/"+id+"/financeurs")
			}
		}
		if n.DataAtom != atom.Form {
			continue
		}
		action := attr(n, "action")
		if !strings.EqualFold(attr(n, "method"), "get") {
			for _, ap := range actionPages {
				if ap.action.MatchString(action) {
					out = append(out, ap.action.ReplaceAllString(action, ap.page))
				}
			}
			continue
		}
		as, none := url.Values{}, url.Values{}
		for f := range n.Descendants() {
			name := attr(f, "name")
			if f.Type != html.ElementNode || name == "" {
				continue
			}
			switch f.DataAtom {
			case atom.Input:
				as.Set(name, attr(f, "value"))
				if t := attr(f, "type"); t == "" || t == "search" || t == "text" {
					none.Set(name, "zzz-rien")
				}
			case atom.Select:
				as.Set(name, "")
			}
		}
		out = append(out, action+"?"+as.Encode())
		if len(none) > 0 {
			out = append(out, action+"?"+none.Encode())
		}
	}
	return out
}

var digits = regexp.MustCompile(`[0-9]+`)

func firstElement(doc *html.Node, a atom.Atom) *html.Node {
	for n := range doc.Descendants() {
		if n.Type == html.ElementNode && n.DataAtom == a {
			return n
		}
	}
	return nil
}

func attr(n *html.Node, key string) string {
	if n == nil {
		return ""
	}
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// fetchAll GETs paths with fetchers requests in flight and returns the answers in order.
func fetchAll(client *http.Client, base, lang string, fetchers int, paths []string) []gluePage {
	out := make([]gluePage, len(paths))
	next := make(chan int)
	var wg sync.WaitGroup
	for range fetchers {
		wg.Go(func() {
			for i := range next {
				out[i] = fetchPage(client, base, lang, paths[i])
			}
		})
	}
	for i := range paths {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}

func fetchPage(client *http.Client, base, lang, path string) gluePage {
	pg := gluePage{path: path}
	req, err := http.NewRequest(http.MethodGet, base+path, nil)
	if err != nil {
		pg.err = err
		return pg
	}
	// The cookie the language switch sets; the session's cookie is added by the jar.
	req.AddCookie(&http.Cookie{Name: "fabrique_lang", Value: lang})
	res, err := client.Do(req)
	if err != nil {
		pg.err = err
		return pg
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		pg.err = err
		return pg
	}
	pg.status, pg.location, pg.ctype, pg.body = res.StatusCode, res.Header.Get("Location"), res.Header.Get("Content-Type"), string(b)
	return pg
}

// crawlablePath resolves href found on page from and returns its path and query when the
// crawl should GET it: a page of this site, not a download, a feed, a static file, the
// language switch (the crawl sets the language itself) nor the logout.
func crawlablePath(base, from, href string) (string, bool) {
	b, _ := url.Parse(base)
	f, err := b.Parse(from)
	if err != nil {
		return "", false
	}
	u, err := f.Parse(strings.TrimSpace(href))
	if err != nil || u.Host != b.Host || (u.Scheme != "http" && u.Scheme != "https") {
		return "", false
	}
	p := u.EscapedPath()
	switch {
	case p == "/deconnexion", p == "/langue", p == "/sante", strings.HasPrefix(p, "/static/"),
		strings.HasSuffix(p, ".csv"), strings.HasSuffix(p, ".atom"), strings.HasSuffix(p, ".txt"):
		return "", false
	}
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	return p, true
}

// dedupeKey is what makes two URLs the same page for the crawl: the path and the names
// of the query parameters (the first /defis?page=N stands for every page of the list, the
// first ?suivant= for every way back). shape is the path with its numeric segments
// replaced, when it has any: the crawl visits a few pages of each such shape.
func dedupeKey(p string) (key, shape string) {
	path, query, _ := strings.Cut(p, "?")
	q, _ := url.ParseQuery(query)
	names := make([]string, 0, len(q))
	for k := range q {
		names = append(names, k)
	}
	sort.Strings(names)
	segs := strings.Split(path, "/")
	numeric := false
	for i, s := range segs {
		if s != "" && strings.Trim(s, "0123456789") == "" {
			segs[i], numeric = "{n}", true
		}
	}
	if numeric {
		shape = strings.Join(segs, "/")
	}
	return path + "?" + strings.Join(names, "&"), shape
}

// links are the hrefs of a page's links.
func links(doc *html.Node) []string {
	var out []string
	for n := range doc.Descendants() {
		if n.Type == html.ElementNode && n.DataAtom == atom.A && attr(n, "href") != "" {
			out = append(out, attr(n, "href"))
		}
	}
	return out
}

// inlineElements are the elements a browser lays out in the flow of the text around them:
// nothing separates their text from the text next to them but the spaces in the page.
// Every other element (blocks, <br>, table cells, form controls, images) separates it.
var inlineElements = map[atom.Atom]bool{
	atom.A: true, atom.Abbr: true, atom.B: true, atom.Bdi: true, atom.Bdo: true, atom.Cite: true,
	atom.Code: true, atom.Data: true, atom.Del: true, atom.Dfn: true, atom.Em: true, atom.I: true,
	atom.Ins: true, atom.Kbd: true, atom.Label: true, atom.Mark: true, atom.Output: true, atom.Q: true,
	atom.S: true, atom.Samp: true, atom.Small: true, atom.Span: true, atom.Strong: true, atom.Sub: true,
	atom.Sup: true, atom.Time: true, atom.U: true, atom.Var: true,
}

// gluedAllowed are the boundaries where letters or digits touch on purpose: an ordinal or
// an exponent (1<sup>er</sup>, m<sup>2</sup>). Keep this list short.
var gluedAllowed = map[atom.Atom]bool{atom.Sup: true, atom.Sub: true}

// gluedInText finds, inside one text, a letter glued to a year or to a day of a date
// (« Du11 décembre », « 2026au »): dates built by concatenation in Go code.
var gluedInText = regexp.MustCompile(`\p{L}\d{4}\b|\b\d{4}\p{L}|\p{L}\d{1,2} (?:janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre|January|February|March|April|May|June|July|August|September|October|November|December)\b`)

// gluedText returns a description of each place in doc's body where a letter or digit
// ends a text and another starts the next one across inline element boundaries only, so
// that a reader sees them as one word, and of each date glued to a word inside a text.
func gluedText(doc *html.Node) []string {
	var out []string
	var flow strings.Builder // the text of the current line of inline content
	var crossed []string     // the tags whose boundaries lie between the flow and the next text
	allowed := false
	var walk func(n *html.Node)
	breakFlow := func() {
		flow.Reset()
		crossed = crossed[:0]
		allowed = false
	}
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			s := n.Data
			if s == "" {
				return
			}
			if m := gluedInText.FindStringIndex(s); m != nil {
				out = append(out, fmt.Sprintf("%q in one text (%s)", excerpt(s, m[0], m[1]), locate(n)))
			}
			if prev := flow.String(); prev != "" && len(crossed) > 0 && !allowed {
				last, _ := utf8.DecodeLastRuneInString(prev)
				first, _ := utf8.DecodeRuneInString(s)
				if glued(last, first) {
					out = append(out, fmt.Sprintf("%q‸%q across %s (%s)", tail(prev, 30), head(s, 30), strings.Join(crossed, ""), locate(n)))
				}
			}
			flow.WriteString(s)
			crossed = crossed[:0]
			allowed = false
			return
		case html.ElementNode:
			switch n.DataAtom {
			case atom.Script, atom.Style, atom.Template, atom.Noscript, atom.Head,
				atom.Code: // machine text (a Message-ID, a token): not words to read
				breakFlow()
				return
			}
			inline := inlineElements[n.DataAtom]
			if !inline {
				breakFlow()
			} else {
				crossed = append(crossed, "<"+n.Data+">")
				allowed = allowed || gluedAllowed[n.DataAtom]
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
			if !inline {
				breakFlow()
			} else {
				crossed = append(crossed, "</"+n.Data+">")
				allowed = allowed || gluedAllowed[n.DataAtom]
			}
			return
		}
		// Documents and comments: a comment is not shown and separates nothing.
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

// glued reports whether a reader sees last and first, on both sides of a boundary, as
// one word: two letters or digits, an amount's unit stuck to a word (« 100 €payé »), or
// a separator (« · », « — ») stuck to anything (« 7 000,00 €· du »).
func glued(last, first rune) bool {
	word := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
	unit := func(r rune) bool { return unicode.Is(unicode.Sc, r) || r == '%' }
	sep := func(r rune) bool { return r == '·' || r == '—' }
	switch {
	case word(last) && word(first), unit(last) && word(first), word(last) && unit(first):
		return true
	case sep(first):
		return !unicode.IsSpace(last)
	case sep(last):
		return !unicode.IsSpace(first)
	}
	return false
}

// locate names the closest element with a data-testid or id above n, to find it in the template.
func locate(n *html.Node) string {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.Type != html.ElementNode {
			continue
		}
		for _, at := range p.Attr {
			if at.Key == "data-testid" {
				return "in [data-testid=" + at.Val + "]"
			}
			if at.Key == "id" {
				return "in #" + at.Val
			}
		}
	}
	return "in the page"
}

// spaces squashes runs of white space, as a browser shows them.
var spaces = regexp.MustCompile(`\s+`)

func tail(s string, n int) string {
	s = spaces.ReplaceAllString(s, " ")
	if r := []rune(s); len(r) > n {
		return "…" + string(r[len(r)-n:])
	}
	return s
}

func head(s string, n int) string {
	s = spaces.ReplaceAllString(s, " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

func excerpt(s string, i, j int) string {
	return tail(s[:i], 20) + s[i:j] + head(s[j:], 20)
}

// TestGluedTextCheck checks the check itself on small pages.
func TestGluedTextCheck(t *testing.T) {
	t.Parallel()
	cases := []struct {
		html  string
		glued bool
	}{
		{`<p>Du <time>11 décembre 2026</time> au <time>11 mars 2027</time></p>`, false},
		{`<p>Du<time>11 décembre 2026</time><time>11 mars 2027</time></p>`, true},
		{`<p>Du <time>11 décembre 2026</time><time>11 mars 2027</time></p>`, true},
		{`<p>12 membres<a href="/x">Voir</a></p>`, true},
		{`<p>12 membres <a href="/x">Voir</a></p>`, false},
		{`<p>12 membres<!-- c --><a href="/x">Voir</a></p>`, true},
		{`<p>objectif <span>7 000,00 €</span>· du</p>`, true},
		{`<p><a href="/x">Loot</a>— <a href="/x">Voir</a></p>`, true},
		{`<p><a href="/x">Loot</a> — <a href="/x">Voir</a></p>`, false},
		{`<p>Connecté·e en tant que <span>Marc</span></p>`, false},
		{`<p><span class="amount">100 €</span><span>payé</span></p>`, true},
		{`<p><span class="amount">100 €</span> <span>payé</span></p>`, false},
		{`<p><span class="amount">100 €</span>, <span>payé</span></p>`, false},
		{`<p><span>payé</span><span><span>100 €</span></span></p>`, true},
		{`<ul><li>Loot</li><li>Dokos</li></ul>`, false},
		{`<p>Loot<br>Dokos</p>`, false},
		{`<table><tr><td>Loot</td><td>12</td></tr></table>`, false},
		{`<div>Loot</div>Dokos`, false},
		{`<p>le 1<sup>er</sup> janvier</p>`, false},
		{`<p><label for="x">Montant</label><input id="x">€</p>`, false},
		{`<p>Du11 décembre 2026</p>`, true},
		{`<p>Appel2026</p>`, true},
		{`<p>Appel 2026, 11 mars</p>`, false},
		{`<script>var a="Du11 décembre"</script>`, false},
	}
	for _, c := range cases {
		doc, err := html.Parse(strings.NewReader(c.html))
		if err != nil {
			t.Fatal(err)
		}
		got := gluedText(doc)
		if (len(got) > 0) != c.glued {
			t.Errorf("%s: got %q, want glued %v", c.html, got, c.glued)
		}
	}
	for p, want := range map[string][2]string{
		"/defis?page=2&statut=idee":                {"/defis?page&statut", ""},
		"/defis?statut=clos&page=3":                {"/defis?page&statut", ""},
		"/contributions/12":                        {"/contributions/12?", "/contributions/{n}"},
		"/cofinancement/appel/etapes/3/financeurs": {"/cofinancement/appel/etapes/3/financeurs?", "/cofinancement/appel/etapes/{n}/financeurs"},
	} {
		if k, s := dedupeKey(p); k != want[0] || s != want[1] {
			t.Errorf("dedupeKey(%s) = %q, %q, want %q, %q", p, k, s, want[0], want[1])
		}
	}
}

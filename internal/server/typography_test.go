package server_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// What a French reader must never see, checked by TestNoGluedText's crawl on every page
// of the demo (typographyFaults): a line starting with « : », « » » or « ? » (the space
// before them breakable), « « » ending a line, an amount or a date cut in two, « (s) »
// instead of a real plural, a count of one with a plural noun, and a code of the audit
// trail (« pledge.confirm ») instead of its sentence.
var (
	breakBeforePunct = regexp.MustCompile(`[ \t\r\n]+[:;!?»]`)
	breakAfterQuote  = regexp.MustCompile(`«[ \t\r\n]`)
	brokenAmount     = regexp.MustCompile(`\d[ \t\r\n]+€|\d{1,3}[ \t\r\n]\d{3}\b`)
	brokenDate       = regexp.MustCompile(`\b(?:1er|\d{1,2})[ \t\r\n]+(?:janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre|January|February|March|April|May|June|July|August|September|October|November|December)\b|(?:janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre|January|February|March|April|May|June|July|August|September|October|November|December)[ \t\r\n]+\d{4}\b`)
	pluralMark       = regexp.MustCompile(`\p{L}\((?:s|es|x)\)`)
	onePlural        = regexp.MustCompile(`(?:^|[^\d\p{L},.])(?:[01][  \x{202f}](?:membres|défis|jours|contributions|promesses|financeurs|étapes|communs|modifications|demandes|tiers-lieux concernés)|1[  \x{202f}](?:members|challenges|days|contributions|pledges|funders|steps|edits|requests|third places))\b`)
	auditCode        = regexp.MustCompile(`(?:^|[^\p{L}\d./_-])(?:seed_fund|seed_request|pledge|call|contribution|commons|place|step)\.[a-z_]+\b`)
)

// typographyFaults returns a description of each fault of doc's text in lang.
func typographyFaults(doc *html.Node, lang string) []string {
	var out []string
	check := func(flow string, where *html.Node) {
		if flow == "" {
			return
		}
		rules := []struct {
			name string
			re   *regexp.Regexp
		}{
			{"« (s) »", pluralMark},
			{"plural after one", onePlural}, {"audit code", auditCode},
		}
		if lang == "fr" {
			rules = append(rules, struct {
				name string
				re   *regexp.Regexp
			}{"punctuation may start a line", breakBeforePunct}, struct {
				name string
				re   *regexp.Regexp
			}{"« may end a line", breakAfterQuote})
		}
		for _, r := range rules {
			if m := r.re.FindStringIndex(flow); m != nil {
				out = append(out, fmt.Sprintf("%s: %q (%s)", r.name, excerpt(flow, m[0], m[1]), locate(where)))
			}
		}
	}
	// The text of each line of inline content, across inline elements.
	var flow strings.Builder
	var last *html.Node
	end := func() {
		check(flow.String(), last)
		flow.Reset()
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			if !keptOnOneLine(n) {
				for _, r := range []struct {
					name string
					re   *regexp.Regexp
				}{{"amount may break", brokenAmount}, {"date may break", brokenDate}} {
					if m := r.re.FindStringIndex(n.Data); m != nil {
						out = append(out, fmt.Sprintf("%s: %q (%s)", r.name, excerpt(n.Data, m[0], m[1]), locate(n)))
					}
				}
			}
			flow.WriteString(n.Data)
			last = n
			return
		case html.ElementNode:
			switch n.DataAtom {
			case atom.Script, atom.Style, atom.Template, atom.Noscript, atom.Head, atom.Pre, atom.Code, atom.Textarea:
				end()
				return
			}
			inline := inlineElements[n.DataAtom]
			if !inline {
				end()
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
			if !inline {
				end()
			}
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	end()
	return out
}

// keptOnOneLine reports whether n is inside an element the style sheet keeps on one line.
func keptOnOneLine(n *html.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.Type != html.ElementNode {
			continue
		}
		if p.DataAtom == atom.Time || p.DataAtom == atom.Title || p.DataAtom == atom.Option {
			return true
		}
		for _, c := range strings.Fields(attr(p, "class")) {
			if c == "amount" || c == "nowrap" || c == "num" {
				return true
			}
		}
	}
	return false
}

func TestTypographyFaults(t *testing.T) {
	for _, tc := range []struct {
		lang, page string
		faults     int
	}{
		{"fr", "<p>Statut\u00a0: ouvert\u202f; «\u00a0x\u00a0» <span class=\"nowrap\">3 000,00 €</span> le <time>4 décembre 2026</time>, 2 membres, 1 membre</p>", 0},
		{"fr", "<p>Statut : ouvert</p>", 1},
		{"fr", "<p><strong>Statut</strong> : ouvert</p>", 1},
		{"fr", "<p>« x\u00a0»</p>", 1},
		{"fr", "<p>3 000,00 €</p>", 1},
		{"fr", "<p>4 décembre 2026</p>", 1},
		{"en", "<p>4 December 2026</p>", 1},
		{"fr", "<p>Total : <b class=\"amount\">3 000,00 €</b></p>", 1},
		{"fr", "<p>2 contribution(s)</p>", 1},
		{"fr", "<p>1 membres</p>", 1},
		{"en", "<p>1 members</p>", 1},
		{"en", "<p>11 members, 1 member, 21,1 days</p>", 0},
		{"fr", "<td>pledge.confirm</td>", 1},
		{"fr", "<p>Écrivez à contact@exemple.fr</p>", 0},
		{"en", "<p>Status : open</p>", 0}, // French content in English pages: not yet marked lang="fr"
		{"fr", "<pre>a : b</pre><textarea>a : b</textarea>", 0},
	} {
		doc, err := html.Parse(strings.NewReader(tc.page))
		if err != nil {
			t.Fatal(err)
		}
		if got := typographyFaults(doc, tc.lang); len(got) != tc.faults {
			t.Errorf("%s %q: %d faults %v, want %d", tc.lang, tc.page, len(got), got, tc.faults)
		}
	}
}

package server_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// What a French reader must never see, checked by TestNoGluedText's crawl on every page
// of the demo (typographyFaults): a line starting with « : », « » » or « ? » (the space
// before them breakable), « « » ending a line, an amount or a date cut in two, « (s) »
// instead of a real plural, a count of one with a plural noun, and a code of the audit
// trail (« pledge.confirm ») instead of its sentence. In English — an English page
// outside its parts marked lang="fr", or a part marked lang="en" — French spacing
// (a space before « : ; ! ? ») and French text: guillemets, or common French words,
// which a défi's title or a place's name shown untranslated must carry lang="fr" for.
var (
	breakBeforePunct = regexp.MustCompile(`[ \t\r\n]+[:;!?»]`)
	breakAfterQuote  = regexp.MustCompile(`«[ \t\r\n]`)
	brokenAmount     = regexp.MustCompile(`\d[ \t\r\n]+€|\d{1,3}[ \t\r\n]\d{3}\b`)
	brokenDate       = regexp.MustCompile(`\b(?:1er|\d{1,2})[ \t\r\n]+(?:janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre|January|February|March|April|May|June|July|August|September|October|November|December)\b|(?:janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre|January|February|March|April|May|June|July|August|September|October|November|December)[ \t\r\n]+\d{4}\b`)
	pluralMark       = regexp.MustCompile(`\p{L}\((?:s|es|x)\)`)
	onePlural        = regexp.MustCompile(`(?:^|[^\d\p{L},.])(?:[01][  \x{202f}](?:membres|défis|jours|contributions|promesses|financeurs|étapes|communs|modifications|demandes|tiers-lieux concernés)|1[  \x{202f}](?:members|challenges|days|contributions|pledges|funders|steps|edits|requests|third places))\b`)
	frenchSpacing    = regexp.MustCompile(`[ \t\r\n\x{a0}\x{202f}]+[:;!?]`)
	frenchQuotes     = regexp.MustCompile(`[«»]`)
	wordRun          = regexp.MustCompile(`[\p{L}'’-]+`)
	auditCode        = regexp.MustCompile(`(?:^|[^\p{L}\d./_-])(?:seed_fund|seed_request|pledge|call|contribution|commons|place|step)\.[a-z_]+\b`)
)

// frenchWords are common French words that English text does not use; hyphenated names
// (« Hauts-de-France ») are one word and match none.
var frenchWords = map[string]bool{
	"les": true, "des": true, "une": true, "est": true, "sont": true, "avec": true, "pour": true,
	"dans": true, "nous": true, "vous": true, "aux": true, "sur": true, "qui": true, "que": true,
	"du": true, "et": true, "au": true, "cette": true, "leur": true, "leurs": true, "être": true,
	"été": true, "mais": true, "sans": true, "ces": true, "par": true, "ne": true, "pas": true,
	"le": true, "la": true, "de": true, "à": true, "où": true, "très": true, "aussi": true,
}

// frenchInEnglish returns what in text, English by its lang, reads as French: a
// guillemet, or two common French words (one could be a name: « Le Corbusier »). The
// regions' names (« Pays de la Loire ») are proper names, the same in English.
func frenchInEnglish(text string) (int, int, bool) {
	for _, r := range fabrique.Regions {
		if strings.Contains(text, r) {
			text = strings.ReplaceAll(text, r, strings.Repeat("x", len(r)))
		}
	}
	if m := frenchQuotes.FindStringIndex(text); m != nil {
		return m[0], m[1], true
	}
	first := -1
	for _, m := range wordRun.FindAllStringIndex(text, -1) {
		if !frenchWords[strings.ToLower(text[m[0]:m[1]])] {
			continue
		}
		if first >= 0 {
			return first, m[1], true
		}
		first = m[0]
	}
	return 0, 0, false
}

// langOf is the language of n's text: its closest lang attribute, else page's.
func langOf(n *html.Node, page string) string {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.Type != html.ElementNode {
			continue
		}
		for _, a := range p.Attr {
			if a.Key == "lang" && p.DataAtom != atom.Html {
				l, _, _ := strings.Cut(strings.ToLower(a.Val), "-")
				return l
			}
		}
	}
	return page
}

// inOption reports whether n is the text of an <option>.
func inOption(n *html.Node) bool {
	return n.Parent != nil && n.Parent.Type == html.ElementNode && n.Parent.DataAtom == atom.Option
}

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
			// An option cannot mark a part of its text: « Create the commons “Gouvernance
			// partagée” » stays as it is (the accessibility statement says so).
			if langOf(n, lang) == "en" && !inOption(n) {
				if m := frenchSpacing.FindStringIndex(n.Data); m != nil {
					out = append(out, fmt.Sprintf("French spacing in English: %q (%s)", excerpt(n.Data, m[0], m[1]), locate(n)))
				}
				if i, j, ok := frenchInEnglish(n.Data); ok {
					out = append(out, fmt.Sprintf("French in English, without lang=\"fr\": %q (%s)", excerpt(n.Data, i, j), locate(n)))
				}
			}
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
		{"en", "<p>Status : open</p>", 1},
		{"en", "<p>Status\u00a0: open; done! <strong>Why</strong>?</p>", 1},
		{"en", `<p>Challenge: <span lang="fr">Gouvernance : les règles</span>, in Hauts-de-France</p>`, 0},
		{"en", `<p>Challenge: Gouvernance partagée : les règles de vie</p>`, 2},
		{"en", `<p>Challenge: « Loot »</p>`, 1},
		{"en", `<p>Proposed by Le Corbusier</p>`, 0},
		{"en", `<option>Pays de la Loire</option>`, 0},
		{"en", `<div lang="fr"><p>Le défi <span lang="en">the challenge : x</span></p></div>`, 1},
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

package movilab_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/fabrique-a-communs/fabrique/internal/movilab"
)

// wikiSeeds are texts built to turn into wiki markup: each construct MediaWiki reads.
var wikiSeeds = []string{
	"{| class=\"wikitable\"\n| x\n|}", "|}", "|-", "|+ légende", "! a !! b", "----", "-----x", "= Titre =", "== x",
	"* a", "# a", ": a", "; a : b", " pré", "__NOTOC__", "__notoc__", "__SANS_LIEN__", "_\\_NOTOC_\\_", "~~~~", "~~\\~~",
	"~~~~~", "{{Modèle|x}}", "{{{1}}}", "}}", "[[Page]]", "[[Fichier:x.png|thumb]]", "]]", "[https://ex.org x]",
	"<ref>x</ref>", "<nowiki>", "</nowiki>", "<pre>", "</pre>", "<!-- x -->", "<script>alert(1)</script>",
	"&lt;nowiki&gt;", "&#60;/nowiki&#62;", "''italique''", "'''gras'''", "-{zh-hans:x}-", "ISBN 978-2-07-036822-8",
	"RFC 2616", "PMID 12345", "a\\\nb", "`</pre>` `~~~~`", "```\n</pre>~~~~\n{|\n```", "    {|\n    __NOTOC__",
	"| a | b |\n|---|---|\n| !! x | y \\| z |", "[![a](https://i.ex/a.png)](https://ex.org)", "[x](https://ex.org/__NOTOC__~~~~)",
	"<https://ex.org/~~~~>", "> {|\n> |}", "- {|\n- ----\n- __NOTOC__", "x~~\n~~y", "_\n_", "*a*~~~~*b*", "x  \n{|",
	"Setext\n===", "> | a |\n> |---|\n> | b |", "- | a |\n  |---|\n  | b |", "> # t\n> - l", "a\r\nb\r{|\u2028{|", "[a]: https://ex.org\n\n[a]",
}

var (
	allowedTag  = regexp.MustCompile(`^<(/?(nowiki|pre|code|blockquote|s|i|b)>|nowiki />|br />)`)
	allowedAmp  = regexp.MustCompile(`^&(lt|gt|amp|#124|#33|#126);`)
	entity      = regexp.MustCompile(`^&#?[0-9A-Za-z]+;`)
	heading     = regexp.MustCompile(`^(={1,6}) .* (={1,6})$`)
	listLine    = regexp.MustCompile(`^[*#]+( |$)`)
	tableLine   = regexp.MustCompile(`^(\|-|\|\}|[|!]( .*)?)$`)
	outsideBad  = []string{"{{", "}}", "~~~", "__", "[[", "]]", "-{", "}-"}
	magicLinkRe = regexp.MustCompile(`\b(ISBN|RFC|PMID)[\s\x{a0}]*[0-9]`)
)

// checkWikitext fails unless out shows every text as typed: the only tags are the
// converter's, <nowiki> opens and closes in pairs, and outside <nowiki> and <pre> no
// sequence MediaWiki reads as markup appears, nor any line start that is not the
// converter's own structure (heading, list, table, rule). wikiLinks allows "[[…]]",
// written by the converter for Movilab pages.
func checkWikitext(t *testing.T, in any, out string, wikiLinks bool) {
	t.Helper()
	fail := func(format string, args ...any) {
		t.Helper()
		t.Fatalf("input %q\noutput %q\n"+format, append([]any{in, out}, args...)...)
	}
	// Tags, entities, and what lies outside <nowiki> and <pre>. Their content is
	// replaced by a mark, as MediaWiki does before reading the rest.
	var outside strings.Builder
	inNowiki, inPre := false, false
	for i := 0; i < len(out); {
		switch {
		case out[i] == '<':
			tag := allowedTag.FindString(out[i:])
			if tag == "" {
				fail("a tag the converter does not write at %d: %.30q", i, out[i:])
			}
			switch {
			case inNowiki && tag != "</nowiki>":
				fail("a tag inside <nowiki> at %d: %q", i, tag)
			case inPre && tag != "</pre>":
				fail("a tag inside <pre> at %d: %q", i, tag)
			case tag == "<nowiki>":
				inNowiki = true
			case tag == "</nowiki>":
				if !inNowiki {
					fail("</nowiki> without <nowiki> at %d", i)
				}
				inNowiki = false
				outside.WriteString("\x7f")
			case tag == "<pre>":
				inPre = true
			case tag == "</pre>":
				if !inPre {
					fail("</pre> without <pre> at %d", i)
				}
				inPre = false
				outside.WriteString("\x7f")
			case tag == "<nowiki />":
				outside.WriteString("\x7f")
			default:
				outside.WriteString(tag)
			}
			i += len(tag)
		case out[i] == '&':
			if entity.MatchString(out[i:]) && !allowedAmp.MatchString(out[i:]) {
				fail("an entity the converter does not write at %d: %.12q", i, out[i:])
			}
			if !inNowiki && !inPre {
				outside.WriteByte('&')
			}
			i++
		default:
			if inPre && out[i] == '~' {
				fail("a tilde inside <pre> at %d", i)
			}
			if !inNowiki && !inPre {
				outside.WriteByte(out[i])
			}
			i++
		}
	}
	if inNowiki || inPre {
		fail("<nowiki> or <pre> left open")
	}
	rest := outside.String()
	for _, bad := range outsideBad {
		if wikiLinks && (bad == "[[" || bad == "]]") {
			continue
		}
		if strings.Contains(rest, bad) {
			fail("%q outside <nowiki>: %q", bad, rest)
		}
	}
	if m := magicLinkRe.FindString(rest); m != "" {
		fail("magic link %q outside <nowiki>", m)
	}
	// Line starts: only the converter's structure.
	inTable := false
	for _, line := range strings.Split(rest, "\n") {
		switch {
		case inTable:
			if !tableLine.MatchString(line) {
				fail("a table line the converter does not write: %q", line)
			}
			inTable = line != "|}"
		case line == `{| class="wikitable"`:
			inTable = true
		case line == "" || line == "----" || heading.MatchString(line) || listLine.MatchString(line):
		case strings.ContainsRune("*#:;= |!\t", rune(line[0])) || strings.HasPrefix(line, "{|") || strings.HasPrefix(line, "----"):
			fail("a line starting with markup: %q", line)
		}
	}
	if inTable {
		fail("a table left open")
	}
}

func FuzzConvertMarkdown(f *testing.F) {
	for _, s := range wikiSeeds {
		f.Add(s, uint8(2))
	}
	f.Add("# a\n\n- b\n\n1. c\n\n| x |\n|---|\n| y |\n\n---\n\n> q", uint8(0))
	f.Fuzz(func(t *testing.T, src string, section uint8) {
		checkWikitext(t, src, movilab.Markdown(src, int(section%6)), false)
	})
}

func FuzzConvertPages(f *testing.F) {
	for _, s := range wikiSeeds {
		f.Add(s, s, s)
	}
	f.Fuzz(func(t *testing.T, name, plain, md string) {
		c := movilab.Challenge{Title: name, Status: name, Summary: plain, Problem: md,
			Framing: []movilab.Field{{Label: "Problèmes", Markdown: md}},
			Team:    []movilab.Person{{Name: name, Lead: true}},
			Places:  []movilab.Place{{Name: name, City: plain, Region: name}},
			Commons: []movilab.LinkedCommons{{Name: name, URL: "https://f.example/communs/" + name}},
			URL:     "https://f.example/defis/" + name}
		checkWikitext(t, c, c.Wikitext(), false)
		k := movilab.Commons{Name: name, Kind: name, Licence: name, Summary: plain, Description: md, Website: plain,
			SourceURL: "https://f.example/" + plain, MovilabURL: "https://movilab.org/wiki/" + name,
			Challenges: []movilab.Link{{Title: name, URL: "https://f.example/defis/" + name, Note: name}},
			Places:     []movilab.Place{{Name: name}}, URL: "https://f.example/communs/" + name}
		checkWikitext(t, k, k.Wikitext(), true)
	})
}

package typo

import (
	"os"
	"strings"
	"testing"
)

func TestAppend(t *testing.T) {
	const nb = "\u00a0"
	w := func(s string) string { return `<span class="nowrap">` + s + `</span>` }
	for _, tc := range []struct{ lang, in, want string }{
		{"fr", "<p>Statut : ouvert ; prêt ! Vraiment ?</p>", "<p>Statut" + nb + ": ouvert" + nb + "; prêt" + nb + "! Vraiment" + nb + "?</p>"},
		{"fr", "<p>« Outil »</p>", "<p>«" + nb + "Outil" + nb + "»</p>"},
		{"fr", "<p><strong>Statut</strong>\n  : ouvert</p>", "<p><strong>Statut</strong>" + nb + ": ouvert</p>"},
		{"fr", "<span>3 000,00 €</span> et 12 345 678,00 €.", "<span>" + w("3 000,00 €") + "</span> et " + w("12 345 678,00 €") + "."},
		{"fr", "du 1er mars 2027 au 4 décembre, en mai 2026 : 300 €", "du " + w("1er mars 2027") + " au " + w("4 décembre") + ", en " + w("mai 2026") + nb + ": " + w("300 €")},
		{"en", "4 December 2026: €3,000.00 ? 12 000", w("4 December 2026") + ": €3,000.00 ? " + w("12 000")},
		// Not text: tags, attributes, comments, raw elements stay as they are; titles and
		// options are typeset, not wrapped.
		// SVG text is typeset but never wrapped in an HTML span, which SVG does not allow.
		{"fr", `<svg><title>Fonds : 3 000 €</title><text>3 000 €</text></svg><p>3 000 €</p>`,
			"<svg><title>Fonds\u00a0: 3 000 €</title><text>3 000 €</text></svg><p><span class=\"nowrap\">3 000 €</span></p>"},
		{"fr", `<input value="a : b 3 000 €" title="« x »"><!-- a : b --><textarea>a : b</textarea><pre>x ; y</pre><script>a ? b : c</script>`,
			`<input value="a : b 3 000 €" title="« x »"><!-- a : b --><textarea>a : b</textarea><pre>x ; y</pre><script>a ? b : c</script>`},
		{"fr", "<title>Défi : 3 000 €</title><option>Fonds : 3 000,00 €</option><p>3 000 €</p>", "<title>Défi" + nb + ": 3 000 €</title><option>Fonds" + nb + ": 3 000,00 €</option><p>" + w("3 000 €") + "</p>"},
		{"fr", "<code>a : b</code> c : d", "<code>a : b</code> c" + nb + ": d"},
		// Not an amount, not a date.
		{"fr", "en 2026 100 personnes, version 1.5 000, 12000 €", "en 2026 100 personnes, version 1.5 000, " + w("12000 €")},
		{"fr", "le mardi 3 marsupiaux", "le mardi 3 marsupiaux"},
		{"fr", "a < b : vrai", "a < b" + nb + ": vrai"},
		{"fr", "https://exemple.fr/a?b", "https://exemple.fr/a?b"},
		// A part in the other language takes its own rules, up to its end tag, nested
		// elements of its name included.
		{"en", `<p>Title: <span lang="fr">Défi : <span>un</span> outil !</span> Done: yes</p>`,
			`<p>Title: <span lang="fr">Défi` + nb + `: <span>un</span> outil` + nb + `!</span> Done: yes</p>`},
		{"en", `<h1 lang="fr-FR">Gouvernance : règles</h1><p>a : b</p>`, `<h1 lang="fr-FR">Gouvernance` + nb + `: règles</h1><p>a : b</p>`},
		{"fr", `<p lang="en">Status : open</p><p>Statut : ouvert</p>`, `<p lang="en">Status : open</p><p>Statut` + nb + `: ouvert</p>`},
		{"en", `<img lang="fr" alt="x"><p>a : b</p>`, `<img lang="fr" alt="x"><p>a : b</p>`},
		{"en", `<html lang="en"><p>a : b</p></html>`, `<html lang="en"><p>a : b</p></html>`},
	} {
		if got := string(Append(nil, []byte(tc.in), tc.lang)); got != tc.want {
			t.Errorf("Append(%q, %s)\n got %q\nwant %q", tc.in, tc.lang, got, tc.want)
		}
	}
}

// The typeset page holds the same text, once no-break spaces are read as spaces and the
// spans it added are taken out.
func FuzzAppend(f *testing.F) {
	f.Add("<p>Statut : « ouvert » 3 000,00 € le 4 décembre 2026</p><textarea> : </textarea>", true)
	f.Fuzz(func(t *testing.T, in string, french bool) {
		lang := "en"
		if french {
			lang = "fr"
		}
		out := string(Append(nil, []byte(in), lang))
		out = strings.NewReplacer(`<span class="nowrap">`, "", `</span>`, "").Replace(out)
		in = strings.ReplaceAll(in, `</span>`, "")
		squash := func(s string) string { return strings.Join(strings.Fields(strings.ReplaceAll(s, "\u00a0", " ")), " ") }
		if squash(out) != squash(in) {
			t.Fatalf("text changed:\n in %q\nout %q", in, out)
		}
	})
}

func BenchmarkAppend(b *testing.B) {
	page := []byte(strings.Repeat(`<tr><td><a href="/defis/x?a=1">Un défi : « outil »</a></td><td class="amount">3 000,00 €</td><td><time>4 décembre 2026</time></td></tr>`+"\n", 400))
	b.SetBytes(int64(len(page)))
	var dst []byte
	for b.Loop() {
		dst = Append(dst[:0], page, "fr")
	}
}

// BenchmarkAppendPage typesets a page given in TYPO_PAGE (a rendered page of the demo).
func BenchmarkAppendPage(b *testing.B) {
	name := os.Getenv("TYPO_PAGE")
	if name == "" {
		b.Skip("TYPO_PAGE: a rendered page to typeset")
	}
	page, err := os.ReadFile(name)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(page)))
	var dst []byte
	for b.Loop() {
		dst = Append(dst[:0], page, "fr")
	}
}

func TestKeepsOnOneLine(t *testing.T) {
	for tag, want := range map[string]bool{
		`<td class="num">`:              true,
		`<span class="meta amount">`:    true,
		"<span class=\"meta\tnowrap\">": true,
		`<span class="numbers">`:        false,
		`<span class="">`:               false,
		`<span data-class="amount">`:    false,
		`<span>`:                        false,
	} {
		if got := keepsOnOneLine([]byte(tag)); got != want {
			t.Errorf("keepsOnOneLine(%s) = %v, want %v", tag, got, want)
		}
	}
}

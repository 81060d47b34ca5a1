package movilab_test

import (
	"strings"
	"testing"

	"github.com/fabrique-a-communs/fabrique/internal/movilab"
)

func TestMarkdown(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		src     string
		section int
		want    string
	}{
		{"empty", "", 2, ""},
		{"paragraphs", "Premier paragraphe,\nsur deux lignes.\n\nSecond paragraphe.", 2,
			"Premier paragraphe, sur deux lignes.\n\nSecond paragraphe."},
		{"hard break", "ligne 1  \nligne 2", 2, "ligne 1<br />ligne 2"},
		{"headings nested below the section", "# Titre\n\n## Sous-titre\n\ntexte", 2,
			"=== Titre ===\n\n==== Sous-titre ====\n\ntexte"},
		{"headings at the top", "# Titre", 0, "= Titre ="},
		{"headings capped at six", "###### Profond", 3, "====== Profond ======"},
		{"bold and italic", "Un **gras**, un *italique* et un ***les deux***.", 2,
			"Un '''gras''', un ''italique'' et un '''''les deux'''''."},
		{"apostrophes next to quotes", "l'*outil* et *l'atelier* et **sens'**'", 2, "l'<i>outil</i> et ''l'atelier'' et <b>sens'</b>'"},
		{"link", "Voir [Movilab](https://movilab.org/wiki/Accueil).", 2, "Voir [https://movilab.org/wiki/Accueil Movilab]."},
		{"link with bold label", "[**Dokos**](https://dokos.io)", 2, "[https://dokos.io '''Dokos''']"},
		{"bare url", "Site : https://dokos.io", 2, "Site : https://dokos.io"},
		{"autolink", "<https://dokos.io>", 2, "https://dokos.io"},
		{"email", "<contact@example.org>", 2, "[mailto:contact@example.org contact@example.org]"},
		{"javascript link keeps its label", "[clic](javascript:alert(1))", 2, "clic"},
		{"relative link keeps its label", "[le défi](/defis/x)", 2, "le défi"},
		{"link address escaped", "[a](<https://ex.org/a b>)", 2, "[https://ex.org/a%20b a]"},
		{"bullet list", "- un\n- deux\n- trois", 2, "* un\n* deux\n* trois"},
		{"numbered list", "1. un\n2. deux", 2, "# un\n# deux"},
		{"nested lists", "- un\n  1. a\n  2. b\n- deux\n  - c", 2, "* un\n*# a\n*# b\n* deux\n** c"},
		{"loose list item", "- un\n\n  suite\n- deux", 2, "* un<br />suite\n* deux"},
		{"task list", "- [ ] à faire\n- [x] fait", 2, "* ☐ à faire\n* ☑ fait"},
		{"code span", "la commande `ls [dir]`", 2, "la commande <code><nowiki>ls [dir]</nowiki></code>"},
		{"code block", "```\na < b && c\n```", 2, "<pre>a &lt; b &amp;&amp; c</pre>"},
		{"quote", "> cité", 2, "<blockquote>\ncité\n</blockquote>"},
		{"rule", "avant\n\n---\n\naprès", 2, "avant\n\n----\n\naprès"},
		{"strikethrough", "~~barré~~", 2, "<s>barré</s>"},
		{"table", "| a | b |\n|---|---|\n| 1 \\| x | 2 |", 2,
			"{| class=\"wikitable\"\n! a !! b\n|-\n| 1 &#124; x || 2\n|}"},
		{"wiki markup stays text", "[[Page]] {{Modèle}} ~~~~ ''x''", 2,
			"<nowiki>[[Page]] {{Modèle}} ~~~~ ''x''</nowiki>"},
		{"html stays text", "a <b>gras</b> <script>x</script>", 2, "a &lt;b>gras&lt;/b> &lt;script>x&lt;/script>"},
		{"br tag", "a<br>b", 2, "a<br />b"},
		{"entities", "R&D &amp; co &copy;", 2, "R&D & co ©"},
		{"escaped markdown", `a \*pas italique\*`, 2, "a *pas italique*"},
		{"escaped markdown at line start", `\*pas une liste`, 2, "<nowiki />*pas une liste"},
		{"line start kept as text", `\# pas un titre`, 2, "<nowiki /># pas un titre"},
		{"image", "![plan](https://ex.org/plan.png)", 2, "[https://ex.org/plan.png plan]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := movilab.Markdown(tt.src, tt.section); got != tt.want {
				t.Errorf("Markdown(%q, %d):\ngot  %q\nwant %q", tt.src, tt.section, got, tt.want)
			}
		})
	}
}

// wantContains fails for each piece missing from text.
func wantContains(t *testing.T, text string, pieces ...string) {
	t.Helper()
	for _, p := range pieces {
		if !strings.Contains(text, p) {
			t.Errorf("missing %q in:\n%s", p, text)
		}
	}
}

func TestChallengeWikitext(t *testing.T) {
	t.Parallel()
	c := movilab.Challenge{
		Title:   "Réseau des fablabs",
		Status:  "En préfiguration",
		Summary: "Relier les fablabs.\nPartager les machines.",
		Problem: "Les fablabs travaillent **seuls** :\n\n- pas d’annuaire\n- pas d’entraide",
		Framing: []movilab.Field{
			{Label: "Problèmes", Markdown: "1. trouver\n2. réserver"},
			{Label: "Cas d’usage", Markdown: ""},
		},
		Team: []movilab.Person{{Name: "Alice Martin", Lead: true}, {Name: "Bob Durand"}},
		Places: []movilab.Place{
			{Name: "La Myne", City: "Villeurbanne", Region: "Auvergne-Rhône-Alpes"},
			{Name: "Sans ville"},
		},
		Commons: []movilab.LinkedCommons{
			{Name: "Dokos", URL: "https://fabrique.example/communs/dokos", MovilabURL: "https://movilab.org/wiki/Dokos", Origin: true},
			{Name: "Cahier d’activités", URL: "https://fabrique.example/communs/cahier", MovilabURL: "https://movilab.org/wiki/Cahier_d%27activit%C3%A9s"},
			{Name: "Loot", URL: "https://fabrique.example/communs/loot"},
			{Name: "Ailleurs", URL: "https://fabrique.example/communs/ailleurs", MovilabURL: "https://example.org/wiki/Ailleurs"},
		},
		URL: "https://fabrique.example/defis/reseau-des-fablabs",
	}
	got := c.Wikitext()
	wantContains(t, got,
		"'''Réseau des fablabs''' est un défi",
		"* '''Étape''' : En préfiguration",
		"== Résumé ==\n\nRelier les fablabs.<br />Partager les machines.\n",
		"== Problème ==\n\nLes fablabs travaillent '''seuls''' :\n\n* pas d’annuaire\n* pas d’entraide\n",
		"== Préfiguration ==\n\n=== Problèmes ===\n\n# trouver\n# réserver\n\n=== Cas d’usage ===\n\nÀ compléter\n",
		"== Équipe ==\n\n* Alice Martin (porteur·se du défi)\n* Bob Durand\n",
		"== Tiers-lieux concernés ==\n\n* La Myne (Villeurbanne, Auvergne-Rhône-Alpes)\n* Sans ville\n",
		"* [[Dokos]] (commun issu du défi)",
		"* [[Cahier d'activités|Cahier d’activités]] (solution existante)",
		"* [https://fabrique.example/communs/loot Loot] (solution existante)",
		"* [https://example.org/wiki/Ailleurs Ailleurs] (solution existante)",
		"== Sur la Fabrique à communs ==\n\n* [https://fabrique.example/defis/reseau-des-fablabs Le défi sur la Fabrique à communs des tiers-lieux]\n",
	)
	if n := strings.Count(got, "\n== "); n != 7 {
		t.Errorf("sections: got %d, want 7 in:\n%s", n, got)
	}
}

func TestChallengeWikitextEmpty(t *testing.T) {
	t.Parallel()
	got := movilab.Challenge{Title: "Défi [[piège]]", Status: "Défi identifié", URL: "https://f.example/defis/x",
		Framing: []movilab.Field{{Label: "Problèmes"}}}.Wikitext()
	wantContains(t, got,
		"'''<nowiki>Défi [[piège]]</nowiki>'''",
		"== Problème ==\n\nÀ compléter\n",
		"=== Problèmes ===\n\nÀ compléter\n",
		"L’équipe reste à constituer.",
		"Aucun tiers-lieu ne s’est encore déclaré concerné.",
		"Aucun commun lié pour le moment.",
	)
}

func TestCommonsWikitext(t *testing.T) {
	t.Parallel()
	c := movilab.Commons{
		Name:        "Dokos",
		Kind:        "Logiciel",
		Licence:     "AGPL-3.0",
		Summary:     "Gestion de tiers-lieux.",
		Description: "## Fonctions\n\n- réservations\n- facturation",
		Website:     "https://dokos.io",
		SourceURL:   "https://gitlab.com/dokos/dokos",
		MovilabURL:  "https://movilab.org/wiki/Dokos",
		Challenges:  []movilab.Link{{Title: "Réserver les salles", URL: "https://f.example/defis/salles", Note: "En développement"}},
		Places:      []movilab.Place{{Name: "La Myne", City: "Villeurbanne", Region: "Auvergne-Rhône-Alpes"}},
		URL:         "https://f.example/communs/dokos",
	}
	got := c.Wikitext()
	wantContains(t, got,
		"'''Dokos''' est un commun",
		"* '''Type''' : Logiciel\n* '''Licence''' : AGPL-3.0",
		"== Liens ==\n\n* Site web : https://dokos.io\n* Code source : https://gitlab.com/dokos/dokos\n* Page Movilab : [[Dokos]]\n* [https://f.example/communs/dokos Le commun sur la Fabrique à communs des tiers-lieux]",
		"== Description ==\n\n==== Fonctions ====\n\n* réservations\n* facturation",
		"== Défis auxquels il répond ==\n\n* [https://f.example/defis/salles Réserver les salles] (En développement)",
		"== Tiers-lieux qui l’utilisent ==\n\n* La Myne (Villeurbanne, Auvergne-Rhône-Alpes)",
	)
	empty := movilab.Commons{Name: "Vide", Kind: "Autre", URL: "https://f.example/communs/vide"}.Wikitext()
	wantContains(t, empty, "'''Licence''' : à préciser", "== Description ==\n\nÀ compléter", "Aucun défi lié pour le moment.",
		"Aucun tiers-lieu ne s’est encore déclaré utilisateur.")
}

// Each construct MediaWiki reads, typed by someone, comes out as the text typed.
func TestMarkdownShowsWikiMarkupAsTyped(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, src, want string }{
		{"table start", "{| class=x", "<nowiki />{| class=x"},
		{"table end", "|}", "<nowiki />|}"},
		{"table row", "|- x", "<nowiki />|- x"},
		{"table caption", "|+ c", "<nowiki />|+ c"},
		{"table header", "! a !! b", "<nowiki />! a !! b"},
		{"rule with text", "-----x", "<nowiki />-----x"},
		{"rule escaped", `\----`, "<nowiki />----"},
		{"heading", "= T =", "<nowiki />= T ="},
		{"bullet", `\* a`, "<nowiki />* a"},
		{"number", `\# a`, "<nowiki /># a"},
		{"indent", ": a", "<nowiki />: a"},
		{"definition", "; a : b", "<nowiki />; a : b"},
		{"behaviour switch", `\_\_NOTOC\_\_`, "<nowiki>__NOTOC__</nowiki>"},
		{"behaviour switch in lower case", `\_\_notoc\_\_`, "<nowiki>__notoc__</nowiki>"},
		{"behaviour switch in French", `a \_\_SANS\_SOMMAIRE\_\_ b`, "<nowiki>a __SANS_SOMMAIRE__ b</nowiki>"},
		{"signature", `\~~~~`, "<nowiki>~~~~</nowiki>"},
		{"signature split by an escape", `~~\~~`, "<nowiki>~~~~</nowiki>"},
		{"template", "{{Modèle|x}}", "<nowiki>{{Modèle|x}}</nowiki>"},
		{"template parameter", "{{{1}}}", "<nowiki>{{{1}}}</nowiki>"},
		{"template end", "x }} y", "<nowiki>x }} y</nowiki>"},
		{"wiki link", "[[Page]]", "<nowiki>[[Page]]</nowiki>"},
		{"wiki link end", "fin ]]", "<nowiki>fin ]]</nowiki>"},
		{"language conversion", "-{zh:x}-", "<nowiki>-{zh:x}-</nowiki>"},
		{"magic link", "ISBN 978-2-07", "<nowiki>ISBN 978-2-07</nowiki>"},
		{"ref", "<ref>note</ref>", "&lt;ref>note&lt;/ref>"},
		{"html block", "<div style=\"x\">a</div>", "&lt;div style=\"x\">a&lt;/div>"},
		{"inline html", "a <span onclick=x>b</span>", "a &lt;span onclick=x>b&lt;/span>"},
		{"nowiki closed by the text", "</nowiki>{{x}}", "<nowiki>&lt;/nowiki>{{x}}</nowiki>"},
		{"nowiki closed by an entity", "&lt;/nowiki&gt;{{x}}", "<nowiki>&lt;/nowiki>{{x}}</nowiki>"},
		{"entity kept as typed", "&amp;lt;", "&amp;lt;"},
		{"table after a line break", "x  \n{|", "x<br />{|"},
		{"cell separators in a cell", "| a | b |\n|---|---|\n| !! x | y |", "{| class=\"wikitable\"\n! a !! b\n|-\n| &#33;&#33; x || y\n|}"},
		{"link address", "[x](https://ex.org/__NOTOC__~~~~?a=1&b=&lt;)", "[https://ex.org/_%5FNOTOC_%5F%7E%7E%7E%7E?a=1&b=&amp;lt; x]"},
		{"code block", "```\n</pre>~~~~\n```", "<pre>&lt;/pre&gt;&#126;&#126;&#126;&#126;</pre>"},
		{"code span", "`</code>~~~~`", "<code><nowiki>&lt;/code>~~~~</nowiki></code>"},
		{"image in a link", "[![a](https://i.ex/a.png)](https://ex.org)", "[https://ex.org a]"},
		{"table in a quote", "> | a |\n> |---|\n> | b |", "<blockquote>\n{| class=\"wikitable\"\n! a\n|-\n| b\n|}\n</blockquote>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := movilab.Markdown(tt.src, 2); got != tt.want {
				t.Errorf("Markdown(%q):\ngot  %q\nwant %q", tt.src, got, tt.want)
			}
		})
	}
}

// The fields typed without Markdown (a summary, names) show wiki markup as typed too.
func TestPlainTextShowsWikiMarkupAsTyped(t *testing.T) {
	t.Parallel()
	got := movilab.Challenge{
		Title:   "{| __notoc__",
		Summary: "{|\n|}\n|-\n----\n!x\n= h =\n__NOTOC__ ~~~~\n\n|} suite",
		Team:    []movilab.Person{{Name: "Alice\n{|"}},
		URL:     "https://f.example/defis/x",
	}.Wikitext()
	wantContains(t, got,
		"'''<nowiki>{| __notoc__</nowiki>''' est un défi",
		"== Résumé ==\n\n<nowiki />{|<br />|}<br />|-<br />----<br />!x<br />= h =<br /><nowiki>__NOTOC__ ~~~~</nowiki>\n\n<nowiki />|} suite\n",
		"* Alice {|\n",
	)
	// A Movilab address whose title would be markup gets an external link.
	k := movilab.Commons{Name: "Piège", Kind: "Autre", URL: "https://f.example/communs/piege",
		MovilabURL: "https://movilab.org/wiki/__NOTOC__~~~~"}.Wikitext()
	wantContains(t, k, "Page Movilab : [https://movilab.org/wiki/_%5FNOTOC_%5F%7E%7E%7E%7E Piège]")
	if strings.Contains(k, "[[") {
		t.Errorf("a wiki link to a title that is markup:\n%s", k)
	}
}

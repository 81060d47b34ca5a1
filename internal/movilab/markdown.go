package movilab

import (
	"net/url"
	"regexp"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// parser reads Markdown as the platform renders it (GFM), without the typographer, whose
// HTML entities would only clutter the wikitext. Safe for concurrent use.
var parser = goldmark.New(goldmark.WithExtensions(extension.GFM)).Parser()

// Markdown converts Markdown to wikitext: headings, bold and italic, links, bullet and
// numbered lists (nested), paragraphs, code, quotes, rules, tables and strikethrough; any
// other construct keeps its text. Headings are nested below a section of level section
// (2 for "== … =="), so "# Titre" under "== Problème ==" becomes "=== Titre ===". The
// text people wrote never turns into wiki markup: templates, wiki links, signatures and
// HTML tags come out as text.
func Markdown(src string, section int) string {
	source := []byte(src)
	w := &writer{src: source, section: section}
	return mergeNowiki(strings.Join(w.blocks(parser.Parse(text.NewReader(source))), "\n\n"))
}

// mergeNowiki joins the <nowiki> pieces of neighbouring texts, for a readable source.
func mergeNowiki(s string) string { return strings.ReplaceAll(s, "</nowiki><nowiki>", "") }

// writer walks goldmark's AST.
type writer struct {
	src     []byte
	section int
	inTable bool // a "|" in a cell would end it
	inLink  bool // a link in a link's label would nest "[…]"
}

// blocks renders the block children of n, one string per block.
func (w *writer) blocks(n ast.Node) []string {
	var out []string
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if s := w.block(c); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func (w *writer) block(n ast.Node) string {
	switch n := n.(type) {
	case *ast.Paragraph, *ast.TextBlock:
		return lineStart(strings.TrimSpace(w.inlines(n)))
	case *ast.Heading:
		level := min(max(w.section+n.Level, 1), 6)
		mark := strings.Repeat("=", level)
		return mark + " " + strings.TrimSpace(w.inlines(n)) + " " + mark
	case *ast.ThematicBreak:
		return "----"
	case *ast.CodeBlock, *ast.FencedCodeBlock:
		return "<pre>" + escapePre(strings.TrimRight(w.lines(n), "\n")) + "</pre>"
	case *ast.HTMLBlock:
		// Shown as the text it is: Movilab would sanitise it anyway.
		raw := w.lines(n)
		if n.HasClosure() {
			raw += string(n.ClosureLine.Value(w.src))
		}
		return lineStart(escapeText(strings.Join(strings.Fields(raw), " "), false))
	case *ast.Blockquote:
		// On their own lines, so that a table or a list inside starts a line.
		return "<blockquote>\n" + strings.Join(w.blocks(n), "\n\n") + "\n</blockquote>"
	case *ast.List:
		return strings.Join(w.list(n, ""), "\n")
	case *east.Table:
		return w.table(n)
	}
	// Anything else keeps its text.
	if n.Type() == ast.TypeBlock && n.HasChildren() && n.FirstChild().Type() == ast.TypeBlock {
		return strings.Join(w.blocks(n), "\n\n")
	}
	return lineStart(strings.TrimSpace(w.inlines(n)))
}

// list renders the items of l, one line each, under the markers of the enclosing lists.
// A wikitext list item is one line: further paragraphs of an item join it with a line
// break, and other blocks keep their text.
func (w *writer) list(l *ast.List, prefix string) []string {
	marker := "*"
	if l.IsOrdered() {
		marker = "#"
	}
	prefix += marker
	var lines []string
	for item := l.FirstChild(); item != nil; item = item.NextSibling() {
		var line string
		var nested []string
		for c := item.FirstChild(); c != nil; c = c.NextSibling() {
			if sub, ok := c.(*ast.List); ok {
				nested = append(nested, w.list(sub, prefix)...)
				continue
			}
			var s string
			switch c.(type) {
			case *ast.Paragraph, *ast.TextBlock:
				s = strings.TrimSpace(w.inlines(c))
			default:
				s = strings.Join(strings.Fields(w.block(c)), " ")
			}
			if s == "" {
				continue
			}
			if line != "" {
				line += "<br />"
			}
			line += s
		}
		if line != "" || len(nested) == 0 {
			lines = append(lines, strings.TrimRight(prefix+" "+line, " "))
		}
		lines = append(lines, nested...)
	}
	return lines
}

// table renders a GFM table as a wikitable.
func (w *writer) table(t *east.Table) string {
	w.inTable = true
	defer func() { w.inTable = false }()
	var b strings.Builder
	b.WriteString(`{| class="wikitable"`)
	for row := t.FirstChild(); row != nil; row = row.NextSibling() {
		sep := "|"
		if _, ok := row.(*east.TableHeader); ok {
			sep = "!"
		} else {
			b.WriteString("\n|-")
		}
		var cells []string
		for cell := row.FirstChild(); cell != nil; cell = cell.NextSibling() {
			cells = append(cells, strings.TrimSpace(w.inlines(cell)))
		}
		b.WriteString("\n" + sep + " " + strings.Join(cells, " "+sep+sep+" "))
	}
	b.WriteString("\n|}")
	return b.String()
}

// lines returns the raw lines of a code or HTML block.
func (w *writer) lines(n ast.Node) string {
	var b strings.Builder
	segs := n.Lines()
	for i := 0; i < segs.Len(); i++ {
		seg := segs.At(i)
		b.Write(seg.Value(w.src))
	}
	return b.String()
}

// inlines renders the inline children of n. Neighbouring texts are escaped as one run:
// "~~" then "~~", or "_" then "_", each harmless, would otherwise meet as "~~~~" (a
// signature) or "__" (a behaviour switch).
func (w *writer) inlines(n ast.Node) string {
	var b, run strings.Builder
	flush := func() {
		if run.Len() > 0 {
			b.WriteString(escapeText(run.String(), w.inTable))
			run.Reset()
		}
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			v := c.Value(w.src)
			if !c.IsRaw() {
				v = util.UnescapePunctuations(util.ResolveNumericReferences(util.ResolveEntityNames(v)))
			}
			run.Write(v)
			switch {
			case c.HardLineBreak():
				flush()
				b.WriteString("<br />")
			case c.SoftLineBreak():
				run.WriteString(" ")
			}
			continue
		case *ast.String:
			run.Write(c.Value)
			continue
		case *ast.RawHTML:
			if raw := w.rawHTML(c); !brTag.MatchString(raw) {
				run.WriteString(raw) // shown as the text it is
				continue
			}
		}
		flush()
		w.inline(&b, c)
	}
	flush()
	return b.String()
}

func (w *writer) rawHTML(n *ast.RawHTML) string {
	var raw strings.Builder
	for i := 0; i < n.Segments.Len(); i++ {
		seg := n.Segments.At(i)
		raw.Write(seg.Value(w.src))
	}
	return raw.String()
}

func (w *writer) inline(b *strings.Builder, n ast.Node) {
	switch n := n.(type) {
	case *ast.CodeSpan:
		var code strings.Builder
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			if t, ok := c.(*ast.Text); ok {
				code.Write(t.Value(w.src))
			} else if s, ok := c.(*ast.String); ok {
				code.Write(s.Value)
			}
		}
		b.WriteString("<code>" + escapeText(code.String(), w.inTable) + "</code>")
	case *ast.Emphasis:
		inner := w.inlines(n)
		open, close := "''", "''"
		if n.Level >= 2 {
			open, close = "'''", "'''"
		}
		// Apostrophes next to the quotes would change their meaning: use tags then.
		if w.apostrophe(n.PreviousSibling(), false) || w.apostrophe(n.FirstChild(), true) ||
			w.apostrophe(n.LastChild(), false) || w.apostrophe(n.NextSibling(), true) {
			open, close = "<i>", "</i>"
			if n.Level >= 2 {
				open, close = "<b>", "</b>"
			}
		}
		b.WriteString(open + inner + close)
	case *ast.Link:
		b.WriteString(w.link(string(n.Destination), n))
	case *ast.Image:
		b.WriteString(w.link(string(n.Destination), n))
	case *ast.AutoLink:
		dest := string(n.URL(w.src))
		if n.AutoLinkType == ast.AutoLinkEmail && !strings.HasPrefix(strings.ToLower(dest), "mailto:") {
			dest = "mailto:" + dest
		}
		label := escapeText(string(n.Label(w.src)), w.inTable)
		if w.inLink {
			b.WriteString(label)
		} else {
			b.WriteString(externalLink(dest, label))
		}
	case *ast.RawHTML: // a line break: other tags are text, see inlines
		b.WriteString("<br />")
	case *east.Strikethrough:
		b.WriteString("<s>" + w.inlines(n) + "</s>")
	case *east.TaskCheckBox:
		if n.IsChecked {
			b.WriteString("☑ ")
		} else {
			b.WriteString("☐ ")
		}
	default:
		b.WriteString(w.inlines(n))
	}
}

var brTag = regexp.MustCompile(`(?i)^<br\s*/?>$`)

// link renders a link or an image to dest labelled by n's children. Inside another
// link's label it keeps its label only: "[a [b c]]" is no wikitext.
func (w *writer) link(dest string, n ast.Node) string {
	if w.inLink {
		return w.inlines(n)
	}
	w.inLink = true
	label := strings.TrimSpace(w.inlines(n))
	w.inLink = false
	return externalLink(dest, label)
}

// apostrophe reports whether n is a text that starts (or ends) with an apostrophe,
// which would merge with the quotes of an emphasis next to it.
func (w *writer) apostrophe(n ast.Node, start bool) bool {
	t, ok := n.(*ast.Text)
	if !ok {
		return false
	}
	v := string(t.Value(w.src))
	if start {
		return strings.HasPrefix(v, "'")
	}
	return strings.HasSuffix(v, "'") && !t.SoftLineBreak() && !t.HardLineBreak()
}

// externalLink renders a link to dest labelled label (already wikitext). Only web and
// mail addresses become links: a relative or javascript: destination keeps its label.
func externalLink(dest, label string) string {
	u, err := url.Parse(strings.TrimSpace(dest))
	if err != nil || !(u.Scheme == "http" || u.Scheme == "https" || u.Scheme == "mailto") ||
		(u.Scheme != "mailto" && u.Host == "") {
		return label
	}
	href := linkTarget(u.String())
	if label == "" || label == dest || label == href {
		if u.Scheme == "mailto" {
			return "[" + href + " " + strings.TrimPrefix(href, "mailto:") + "]"
		}
		return href
	}
	return "[" + href + " " + label + "]"
}

// linkTarget escapes what would end an external link's address in wikitext, or be read
// in it as a signature (~~~), a behaviour switch (__NOTOC__) or an entity (&lt;): an
// address keeps its meaning with these characters percent-encoded, and MediaWiki
// decodes "&amp;" back.
func linkTarget(href string) string {
	href = entityLike.ReplaceAllString(linkTargetEscapes.Replace(href), "&amp;$1")
	for strings.Contains(href, "__") {
		href = strings.ReplaceAll(href, "__", "_%5F")
	}
	return href
}

var linkTargetEscapes = strings.NewReplacer(" ", "%20", "[", "%5B", "]", "%5D", "<", "%3C", ">", "%3E", "\"", "%22", "'", "%27",
	"|", "%7C", "{", "%7B", "}", "%7D", "~", "%7E")

// wikiMarkup finds what MediaWiki would read as markup inside a line: links, templates
// and their parameters, language conversion, bold/italic quotes, signatures, behaviour
// switches (__NOTOC__, __SOMMAIRE__, any case, any language) and magic links.
var wikiMarkup = regexp.MustCompile(`\[|\]|\{\{|\}\}|-\{|\}-|''|~~~|__|\b(?:ISBN|RFC|PMID)[\s\x{a0}]*[0-9]`)

// entityLike finds an "&" MediaWiki would read as the start of an HTML entity.
var entityLike = regexp.MustCompile(`&(#?[0-9A-Za-z]+;)`)

// lineBreaks are the characters that would start a new line, where MediaWiki reads
// lists, headings and tables: a text stays on its line.
var lineBreaks = strings.NewReplacer("\r\n", " ", "\r", " ", "\n", " ", "\v", " ", "\f", " ", "\u0085", " ", "\u2028", " ", "\u2029", " ")

// escapeText makes s, plain text, show as itself in wikitext: HTML tags and entities are
// escaped, so that a "</nowiki>" typed by someone cannot close ours, and a piece with wiki
// markup is wrapped in <nowiki>. In a table cell, "|" and "!" (which separate cells) are
// escaped too.
func escapeText(s string, inTable bool) string {
	s = lineBreaks.Replace(s)
	s = entityLike.ReplaceAllString(s, "&amp;$1")
	s = strings.ReplaceAll(s, "<", "&lt;")
	if inTable {
		s = strings.NewReplacer("|", "&#124;", "!", "&#33;").Replace(s)
	}
	if wikiMarkup.MatchString(s) {
		return "<nowiki>" + s + "</nowiki>"
	}
	return s
}

// escapePre escapes what <pre> would read as tags or entities, and the tildes a
// signature is made of.
func escapePre(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "~", "&#126;").Replace(s)
}

// lineStart keeps the start of a line from being read as a list, an indent, a heading,
// a preformatted block, a table or a rule.
func lineStart(line string) string {
	if line != "" && (strings.ContainsRune("*#:;= |!", rune(line[0])) || strings.HasPrefix(line, "{|") || strings.HasPrefix(line, "----")) {
		return "<nowiki />" + line
	}
	return line
}

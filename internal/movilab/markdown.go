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
		return "<pre>" + escapeHTML(strings.TrimRight(w.lines(n), "\n")) + "</pre>"
	case *ast.HTMLBlock:
		// Shown as the text it is: Movilab would sanitise it anyway.
		raw := w.lines(n)
		if n.HasClosure() {
			raw += string(n.ClosureLine.Value(w.src))
		}
		return lineStart(escapeText(strings.Join(strings.Fields(raw), " "), false))
	case *ast.Blockquote:
		return "<blockquote>" + strings.Join(w.blocks(n), "\n\n") + "</blockquote>"
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

// inlines renders the inline children of n.
func (w *writer) inlines(n ast.Node) string {
	var b strings.Builder
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		w.inline(&b, c)
	}
	return b.String()
}

func (w *writer) inline(b *strings.Builder, n ast.Node) {
	switch n := n.(type) {
	case *ast.Text:
		v := n.Value(w.src)
		if !n.IsRaw() {
			v = util.UnescapePunctuations(util.ResolveNumericReferences(util.ResolveEntityNames(v)))
		}
		b.WriteString(escapeText(string(v), w.inTable))
		switch {
		case n.HardLineBreak():
			b.WriteString("<br />")
		case n.SoftLineBreak():
			b.WriteString(" ")
		}
	case *ast.String:
		b.WriteString(escapeText(string(n.Value), w.inTable))
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
		b.WriteString(externalLink(string(n.Destination), strings.TrimSpace(w.inlines(n))))
	case *ast.Image:
		b.WriteString(externalLink(string(n.Destination), strings.TrimSpace(w.inlines(n))))
	case *ast.AutoLink:
		dest := string(n.URL(w.src))
		if n.AutoLinkType == ast.AutoLinkEmail && !strings.HasPrefix(strings.ToLower(dest), "mailto:") {
			dest = "mailto:" + dest
		}
		b.WriteString(externalLink(dest, escapeText(string(n.Label(w.src)), w.inTable)))
	case *ast.RawHTML:
		var raw strings.Builder
		for i := 0; i < n.Segments.Len(); i++ {
			seg := n.Segments.At(i)
			raw.Write(seg.Value(w.src))
		}
		if brTag.MatchString(raw.String()) {
			b.WriteString("<br />")
		} else {
			b.WriteString(escapeText(raw.String(), w.inTable))
		}
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

// linkTarget escapes what would end an external link's address in wikitext.
var linkTarget = strings.NewReplacer(" ", "%20", "[", "%5B", "]", "%5D", "<", "%3C", ">", "%3E", "\"", "%22", "'", "%27", "|", "%7C", "{", "%7B", "}", "%7D").Replace

// wikiMarkup finds what MediaWiki would read as markup inside a line: links, templates,
// bold/italic quotes, signatures, behaviour switches.
var wikiMarkup = regexp.MustCompile(`\[|\]|\{\{|\}\}|''|~~~|__[A-Z]+__`)

// entityLike finds an "&" MediaWiki would read as the start of an HTML entity.
var entityLike = regexp.MustCompile(`&(#?[0-9A-Za-z]+;)`)

// escapeText makes s, plain text, show as itself in wikitext: HTML tags and entities are
// escaped, and a piece with wiki markup is wrapped in <nowiki>. In a table cell, "|" is
// escaped too.
func escapeText(s string, inTable bool) string {
	s = entityLike.ReplaceAllString(s, "&amp;$1")
	s = strings.ReplaceAll(s, "<", "&lt;")
	if inTable {
		s = strings.ReplaceAll(s, "|", "&#124;")
	}
	if wikiMarkup.MatchString(s) {
		return "<nowiki>" + s + "</nowiki>"
	}
	return s
}

// escapeHTML escapes what <pre> would read as tags or entities.
func escapeHTML(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// lineStart keeps the first character of a line from being read as a list, an indent, a
// heading or a preformatted block.
func lineStart(line string) string {
	if line != "" && strings.ContainsRune("*#:;= ", rune(line[0])) {
		return "<nowiki />" + line
	}
	return line
}

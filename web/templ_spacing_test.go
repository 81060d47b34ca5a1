package web_test

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	parser "github.com/a-h/templ/parser/v2"
)

// templ minifies the space between nodes: it writes the space (or line break) that
// follows a node only when it judges the next node needs it (generator.isTrailingSpaceNeeded
// in templ v0.3): between text, string expressions and inline elements, and between a
// component call and the text after it, but not before a component call written on the
// next line, nor between a component call and an element or an if block. And a "{" after
// a component call on its line opens the call's children, which a component without
// { children... } drops. The pages then read « Du11 décembre 202611 mars 2027 ».
//
// TestTemplSpacing reads every template and fails where one of these rules eats the space
// between two pieces of inline text, in every branch, including the states the demo data
// does not show (internal/server's TestNoGluedText checks the rendered demo pages).
func TestTemplSpacing(t *testing.T) {
	files, err := filepath.Glob("*/*.templ")
	if err != nil || len(files) == 0 {
		t.Fatalf("no templates: %v", err)
	}
	c := &spacing{templates: map[string]*parser.HTMLTemplate{}, memo: map[memoKey]bool{}}
	type fileTemplate struct {
		file string
		t    *parser.HTMLTemplate
	}
	var all []fileTemplate
	for _, f := range files {
		tf, err := parser.Parse(f)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, n := range tf.Nodes {
			if ht, ok := n.(*parser.HTMLTemplate); ok {
				c.templates[templateName(ht.Expression.Value)] = ht
				all = append(all, fileTemplate{f, ht})
			}
		}
	}
	for _, ft := range all {
		c.file = ft.file
		c.walk(stripWhitespace(ft.t.Children), nil)
	}
	for _, p := range c.problems {
		t.Error(p)
	}
}

// spacing walks templates the way templ's generator writes them.
type spacing struct {
	templates map[string]*parser.HTMLTemplate // by name, for the component calls
	memo      map[memoKey]bool
	file      string
	problems  []string
}

type memoKey struct {
	name  string
	start bool
}

// walk checks nodes, written one after the other, followed by next (the node after the
// block that holds them, or nil).
func (c *spacing) walk(nodes []parser.Node, next parser.Node) {
	for i, n := range nodes {
		nx := next
		if i+1 < len(nodes) {
			nx = nodes[i+1]
		}
		// The node shown after n: a Go comment shows nothing, but it is the node templ
		// weighs n's space against, and drops it.
		shown := nx
		for j := i + 1; isComment(shown); j++ {
			shown = next
			if j+1 < len(nodes) {
				shown = nodes[j+1]
			}
		}
		if ws, ok := n.(parser.WhitespaceTrailer); ok && ws.Trailing() != parser.SpaceNone && shown != nil &&
			!spaceWritten(n, nx) && c.inline(n, false) && c.inline(shown, true) && !explicitSpace(n, false) && !explicitSpace(shown, true) {
			c.problems = append(c.problems, fmt.Sprintf("%s:%d: templ drops the space between %s and %s: write it as { \" \" }",
				c.file, line(n), describe(n), describe(shown)))
		}
		switch n := n.(type) {
		case *parser.Element:
			c.walk(stripWhitespace(n.Children), nil)
		case *parser.TemplElementExpression:
			if len(stripWhitespace(n.Children)) > 0 {
				if callee := c.templates[templateName(n.Expression.Value)]; callee != nil && !hasChildren(callee.Children) {
					c.problems = append(c.problems, fmt.Sprintf("%s:%d: @%s has no { children... }: what follows { on its line is dropped",
						c.file, line(n), n.Expression.Value))
				}
			}
			c.walk(stripEdges(n.Children), nil)
		case *parser.IfExpression:
			c.walk(stripEdges(n.Then), nx)
			for _, e := range n.ElseIfs {
				c.walk(stripEdges(e.Then), nx)
			}
			c.walk(stripEdges(n.Else), nx)
		case *parser.SwitchExpression:
			for _, cs := range n.Cases {
				c.walk(stripEdges(cs.Children), nx)
			}
		case *parser.ForExpression:
			c.walk(stripEdges(n.Children), nx)
		}
	}
}

// spaceWritten is templ's isTrailingSpaceNeeded: whether the generator writes the space
// that follows current in the template before next.
func spaceWritten(current, next parser.Node) bool {
	inlineOrText := func(n parser.Node) bool {
		switch n := n.(type) {
		case *parser.IfExpression, *parser.SwitchExpression, *parser.ForExpression, *parser.Text, *parser.StringExpression:
			return true
		case *parser.Element:
			return !n.IsBlockElement()
		}
		return false
	}
	textLike := func(n parser.Node) bool {
		switch n.(type) {
		case *parser.Text, *parser.StringExpression:
			return true
		}
		return false
	}
	selfClosingCall := func(n parser.Node) bool {
		t, ok := n.(*parser.TemplElementExpression)
		return ok && len(t.Children) == 0
	}
	switch {
	case inlineOrText(current) && inlineOrText(next):
		return true
	case selfClosingCall(current) && textLike(next):
		return true
	case textLike(current) && selfClosingCall(next):
		return current.(parser.WhitespaceTrailer).Trailing() == parser.SpaceHorizontal
	}
	return false
}

// separating are the elements a browser does not lay out as text in a line: text next to
// them does not read as glued to theirs.
var separating = map[string]bool{
	"input": true, "select": true, "textarea": true, "button": true, "img": true, "progress": true,
	"meter": true, "svg": true, "iframe": true, "object": true, "embed": true, "audio": true, "wbr": true,
}

// inline reports whether n starts (start) or ends (!start) with inline text: text, a
// string expression, an inline element, a component doing so, a block some branch of
// which does so.
func (c *spacing) inline(n parser.Node, start bool) bool {
	switch n := n.(type) {
	case *parser.Text, *parser.StringExpression:
		return true
	case *parser.Element:
		return !n.IsBlockElement() && !separating[n.Name]
	case *parser.TemplElementExpression:
		name := templateName(n.Expression.Value)
		callee := c.templates[name]
		if callee == nil {
			return false // templ.Raw, another package's component: unknown, not flagged
		}
		k := memoKey{name, start}
		if v, ok := c.memo[k]; ok {
			return v
		}
		c.memo[k] = false // a recursive component is not looked into twice
		nodes := stripWhitespace(callee.Children)
		v := len(nodes) > 0 && c.inline(edge(nodes, start), start)
		c.memo[k] = v
		return v
	case *parser.IfExpression:
		branches := [][]parser.Node{n.Then, n.Else}
		for _, e := range n.ElseIfs {
			branches = append(branches, e.Then)
		}
		return c.anyInline(branches, start)
	case *parser.SwitchExpression:
		var branches [][]parser.Node
		for _, cs := range n.Cases {
			branches = append(branches, cs.Children)
		}
		return c.anyInline(branches, start)
	case *parser.ForExpression:
		return c.anyInline([][]parser.Node{n.Children}, start)
	}
	return false
}

func (c *spacing) anyInline(branches [][]parser.Node, start bool) bool {
	for _, b := range branches {
		if b = stripEdges(b); len(b) > 0 && c.inline(edge(b, start), start) {
			return true
		}
	}
	return false
}

func edge(nodes []parser.Node, start bool) parser.Node {
	if start {
		return nodes[0]
	}
	return nodes[len(nodes)-1]
}

// spaceLiteral matches a string expression that begins (or ends) with a space: { " · " + x }.
var (
	startsWithSpace = regexp.MustCompile(`^"\s`)
	endsWithSpace   = regexp.MustCompile(`\s"$`)
)

// explicitSpace reports whether n itself writes a space at its start (or end), in every
// branch when it is a block.
func explicitSpace(n parser.Node, start bool) bool {
	switch n := n.(type) {
	case *parser.Text:
		r, _ := utf8.DecodeRuneInString(n.Value)
		if !start {
			r, _ = utf8.DecodeLastRuneInString(n.Value)
		}
		return unicode.IsSpace(r)
	case *parser.StringExpression:
		v := strings.TrimSpace(n.Expression.Value)
		if start {
			return startsWithSpace.MatchString(v)
		}
		return endsWithSpace.MatchString(v)
	case *parser.IfExpression:
		branches := [][]parser.Node{n.Then}
		for _, e := range n.ElseIfs {
			branches = append(branches, e.Then)
		}
		branches = append(branches, n.Else)
		for _, b := range branches {
			if b = stripEdges(b); len(b) > 0 && !explicitSpace(edge(b, start), start) {
				return false
			}
		}
		return true
	}
	return false
}

func isComment(n parser.Node) bool {
	_, ok := n.(*parser.GoComment)
	return ok
}

func hasChildren(nodes []parser.Node) bool {
	for _, n := range nodes {
		switch n := n.(type) {
		case *parser.ChildrenExpression:
			return true
		case parser.CompositeNode:
			if hasChildren(n.ChildNodes()) {
				return true
			}
		}
	}
	return false
}

// templateName is the name of a template from its declaration or a call to it:
// "stepItem(it StepItem)" and "components.Date(x)" give stepItem and Date.
func templateName(expr string) string {
	name, _, _ := strings.Cut(expr, "(")
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		name = name[i+1:]
	}
	return strings.TrimSpace(name)
}

func stripWhitespace(nodes []parser.Node) []parser.Node {
	var out []parser.Node
	for _, n := range nodes {
		if _, ok := n.(*parser.Whitespace); !ok {
			out = append(out, n)
		}
	}
	return out
}

// stripEdges drops the white space at the edges of a block, as the generator does; the
// white space inside it is written.
func stripEdges(nodes []parser.Node) []parser.Node {
	isWS := func(n parser.Node) bool { _, ok := n.(*parser.Whitespace); return ok }
	for len(nodes) > 0 && isWS(nodes[0]) {
		nodes = nodes[1:]
	}
	for len(nodes) > 0 && isWS(nodes[len(nodes)-1]) {
		nodes = nodes[:len(nodes)-1]
	}
	return nodes
}

func line(n parser.Node) uint32 {
	switch n := n.(type) {
	case *parser.Text:
		return n.Range.From.Line + 1
	case *parser.StringExpression:
		return n.Expression.Range.From.Line + 1
	case *parser.TemplElementExpression:
		return n.Range.From.Line + 1
	case *parser.Element:
		return n.Range.From.Line + 1
	}
	return 0
}

func describe(n parser.Node) string {
	switch n := n.(type) {
	case *parser.Text:
		return fmt.Sprintf("the text %q", n.Value)
	case *parser.StringExpression:
		return "{ " + n.Expression.Value + " }"
	case *parser.TemplElementExpression:
		return "@" + n.Expression.Value
	case *parser.Element:
		return "<" + n.Name + ">"
	case *parser.IfExpression:
		return "the if block"
	case *parser.ForExpression:
		return "the for block"
	case *parser.SwitchExpression:
		return "the switch block"
	}
	return fmt.Sprintf("%T", n)
}

package markdown_test

import (
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/fabrique-a-communs/fabrique/internal/markdown"
)

// render returns the HTML of src as a string.
func render(tb testing.TB, src string) string {
	tb.Helper()
	return string(markdown.Render(src))
}

// checkSafe parses out as a browser would and fails the test on anything that runs
// script or restyles the page: a script, iframe, object or embed element, an on*
// attribute, a style attribute, or a link whose scheme is javascript, vbscript or data.
func checkSafe(tb testing.TB, src, out string) {
	tb.Helper()
	if strings.Contains(strings.ToLower(out), "<script") {
		tb.Errorf("Render(%q): got %q, want no <script", src, out)
	}
	z := html.NewTokenizer(strings.NewReader(out))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		tok := z.Token()
		switch tok.Data {
		case "script", "iframe", "object", "embed", "style", "form", "input", "base", "meta", "link":
			tb.Errorf("Render(%q): got a <%s> element in %q", src, tok.Data, out)
		}
		for _, a := range tok.Attr {
			switch {
			case strings.HasPrefix(a.Key, "on"), a.Key == "style", a.Key == "srcdoc", a.Key == "formaction":
				tb.Errorf("Render(%q): got attribute %s=%q in %q", src, a.Key, a.Val, out)
			case a.Key == "href" || a.Key == "src" || a.Key == "cite" || a.Key == "action":
				if u := schemeOf(a.Val); u == "javascript:" || u == "vbscript:" || u == "data:" {
					tb.Errorf("Render(%q): got %s=%q in %q", src, a.Key, a.Val, out)
				}
				if strings.Contains(strings.ToLower(a.Val), "javascript:") {
					tb.Errorf("Render(%q): got %s=%q containing javascript: in %q", src, a.Key, a.Val, out)
				}
			}
		}
	}
}

// schemeOf returns the lower-case scheme of a URL the way a browser reads it: leading
// controls and spaces dropped, tabs and newlines removed anywhere.
func schemeOf(u string) string {
	u = strings.TrimLeft(u, "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ")
	u = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(u)
	u = strings.ToLower(u)
	if i := strings.IndexByte(u, ':'); i > 0 {
		return u[:i+1]
	}
	return ""
}

func TestRenderNeutralises(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		src    string
		absent []string
	}{
		{"script block", "<script>alert(1)</script>", []string{"<script", "alert(1)</script"}},
		{"script inline", "Texte <script>alert(1)</script> **gras**", []string{"<script"}},
		{"script upper case", "<SCRIPT SRC=//evil.example/x.js></SCRIPT>", []string{"<script", "evil.example/x.js\""}},
		{"javascript link", "[clic](javascript:alert(1))", []string{"javascript:"}},
		{"javascript link upper case", "[clic](JaVaScRiPt:alert(1))", []string{"javascript:"}},
		{"javascript autolink", "<javascript:alert(1)>", []string{`href="javascript:`}},
		{"javascript link with entity", "[clic](jav&#x61;script:alert(1))", []string{"javascript:"}},
		{"javascript in raw anchor", `<a href="javascript:alert(1)">clic</a>`, []string{"href=\"javascript:"}},
		{"javascript image", "![x](javascript:alert(1))", []string{"javascript:"}},
		{"onerror", `<img src=x onerror="alert(1)">`, []string{"onerror"}},
		{"onclick in a div", `<div onclick="alert(1)">x</div>`, []string{"onclick"}},
		{"iframe", `<iframe src="https://evil.example"></iframe>`, []string{"<iframe"}},
		{"style attribute", `<p style="position:fixed;top:0">x</p>`, []string{"style="}},
		{"style element", "<style>body{display:none}</style>", []string{"<style"}},
		{"data url link", "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", []string{"data:text/html"}},
		{"svg onload", `<svg onload="alert(1)"></svg>`, []string{"onload", "<svg"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out := render(t, tt.src)
			for _, s := range tt.absent {
				if strings.Contains(strings.ToLower(out), strings.ToLower(s)) {
					t.Errorf("Render(%q): got %q, want no %q", tt.src, out, s)
				}
			}
			checkSafe(t, tt.src, out)
		})
	}
}

func TestRenderKeeps(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		src  string
		want []string // regular expressions the output must match
	}{
		{"heading", "# Le problème\n\n## Contexte", []string{`<h1[^>]*>Le problème</h1>`, `<h2[^>]*>Contexte</h2>`}},
		{"bullet list", "- un\n- deux", []string{`<ul>\s*<li>un</li>\s*<li>deux</li>\s*</ul>`}},
		{"ordered list", "1. un\n2. deux", []string{`<ol>\s*<li>un</li>\s*<li>deux</li>\s*</ol>`}},
		{"link with nofollow", "[Movilab](https://movilab.org/wiki/Accueil)", []string{`<a href="https://movilab.org/wiki/Accueil" rel="nofollow">Movilab</a>`}},
		{"relative link", "[défis](/defis)", []string{`<a href="/defis" rel="nofollow">défis</a>`}},
		{"autolink", "Voir https://example.org/a?b=1.", []string{`<a href="https://example.org/a\?b=1" rel="nofollow">`}},
		{"emphasis", "*important* et **gras** et ~~barré~~", []string{`<em>important</em>`, `<strong>gras</strong>`, `<del>barré</del>`}},
		{"inline code", "la commande `make run`", []string{`<code>make run</code>`}},
		{"fenced code", "```go\nfunc main() { if a < b {} }\n```", []string{`<pre><code[^>]*>func main\(\) \{ if a &lt; b \{\} \}\n</code></pre>`}},
		{"indented code", "    <script>x</script>", []string{`<pre><code>&lt;script&gt;x&lt;/script&gt;\n</code></pre>`}},
		{"table", "| Lieu | Ville |\n| --- | --- |\n| Fablab | Lyon |", []string{`<table>`, `<th>Lieu</th>`, `<td>Fablab</td>`, `<td>Lyon</td>`, `</table>`}},
		{"blockquote", "> citation", []string{`<blockquote>\s*<p>citation</p>\s*</blockquote>`}},
		{"image", "![logo](https://example.org/logo.png)", []string{`<img src="https://example.org/logo.png" alt="logo"`}},
		{"text is escaped", "a < b & c", []string{`<p>a &lt; b &amp; c</p>`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out := render(t, tt.src)
			for _, w := range tt.want {
				if !regexp.MustCompile(w).MatchString(out) {
					t.Errorf("Render(%q): got %q, want a match for %s", tt.src, out, w)
				}
			}
			checkSafe(t, tt.src, out)
		})
	}
}

func FuzzRender(f *testing.F) {
	for _, s := range []string{
		"# Titre\n\n<script>alert(1)</script> **gras**",
		"[clic](javascript:alert(1))",
		"[clic](jav&#x61;script:alert(1))",
		"[clic](java\tscript:alert(1))",
		"<javascript:alert(1)>",
		`<a href="javascript:alert(1)">x</a>`,
		`<img src=x onerror=alert(1)>`,
		`<iframe src=x></iframe>`,
		`<p style="color:red">x</p>`,
		"<scr<script>ipt>alert(1)</script>",
		"| a | b |\n| - | - |\n| <script> | [x](javascript:y) |",
		"```\n<script>\n```",
		"[x]: javascript:alert(1)\n\n[y][x]",
		"![a](javascript:alert(1) \"t\")",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		checkSafe(t, src, render(t, src))
	})
}

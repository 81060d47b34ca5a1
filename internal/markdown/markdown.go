// Package markdown renders the Markdown people write (a défi's problem, the framing) to
// HTML that is safe to show: goldmark renders, then bluemonday keeps only the tags and
// attributes of user-generated content, so a <script> or an onclick never reaches a page.
package markdown

import (
	"bytes"
	"html/template"
	"regexp"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

var (
	md = goldmark.New(goldmark.WithExtensions(extension.GFM, extension.Typographer))
	// policy is safe for concurrent use once built.
	policy = func() *bluemonday.Policy {
		p := bluemonday.UGCPolicy()
		p.RequireNoFollowOnLinks(true)
		p.AddTargetBlankToFullyQualifiedLinks(false)
		// Keep the language of fenced code blocks, for a later highlighter.
		p.AllowAttrs("class").Matching(regexp.MustCompile(`^language-[a-zA-Z0-9+#-]+$`)).OnElements("code")
		return p
	}()
)

// Render turns Markdown into sanitised HTML.
func Render(src string) template.HTML {
	if html, ok := cache.get(src); ok {
		return html
	}
	html := render(src)
	cache.put(src, html)
	return html
}

func render(src string) template.HTML {
	var buf bytes.Buffer
	if err := md.Convert([]byte(src), &buf); err != nil {
		// goldmark only fails on writer errors, which a bytes.Buffer never returns;
		// fall back to the escaped text rather than lose it.
		return template.HTML(template.HTMLEscapeString(src))
	}
	return template.HTML(policy.SanitizeBytes(buf.Bytes()))
}

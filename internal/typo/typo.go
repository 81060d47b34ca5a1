// Package typo sets the typography of a rendered HTML page. In French, the spaces before
// « : ; ! ? » and inside « » become no-break spaces, so that no punctuation starts or ends
// a line. In both languages, an amount or a date written with spaces (« 3 000,00 € »,
// « 4 décembre 2026 ») is kept on one line by a <span class="nowrap"> around it — its text
// unchanged, so that it reads and copies as the platform writes amounts. It works on the
// page's text only — tags, attributes, comments and the content of script, style, pre,
// code and textarea are copied as they are — so that every text gets the same rules,
// whether it comes from the catalogue, a template, the domain or a person.
//
// A part of the page in the other language — an element with a lang attribute, such as
// a défi's French title on an English page (lang="fr") — takes the rules of its own
// language: French spacing is for French text only.
package typo

import (
	"bytes"
)

const nbsp = "\u00a0"

var months = [][]byte{
	[]byte("janvier"), []byte("février"), []byte("mars"), []byte("avril"), []byte("mai"), []byte("juin"),
	[]byte("juillet"), []byte("août"), []byte("septembre"), []byte("octobre"), []byte("novembre"), []byte("décembre"),
	[]byte("January"), []byte("February"), []byte("March"), []byte("April"), []byte("May"), []byte("June"),
	[]byte("July"), []byte("August"), []byte("September"), []byte("October"), []byte("November"), []byte("December"),
}

// monthInitial marks the first bytes of the month names.
var monthInitial = func() (a [256]bool) {
	for _, m := range months {
		a[m[0]] = true
	}
	return a
}()

var (
	nowrapOpen  = []byte(`<span class="nowrap">`)
	nowrapClose = []byte(`</span>`)
)

// Append appends src, an HTML page in lang ("fr", or any other for English rules), to
// dst with its text typeset.
func Append(dst, src []byte, lang string) []byte {
	pageFrench := lang == "fr"
	french := pageFrench
	wrap := true  // spans may be added: not in a title or an option
	kept := false // the text is the first inside an element that keeps it on one line
	// The element that holds a part in the other language, while in it, and how many
	// elements of its name are open inside it: its end tag ends the part.
	var part []byte
	depth := 0
	svg := 0 // open <svg> elements: HTML spans are not allowed in SVG text
	for len(src) > 0 {
		i := bytes.IndexByte(src, '<')
		if i < 0 {
			return appendText(dst, src, french, wrap && !kept)
		}
		dst = appendText(dst, src[:i], french, wrap && !kept)
		src = src[i:]
		n := markupLen(src)
		tag := src[:n]
		name := tagName(tag)
		switch {
		case part == nil && name != nil && !voidElement(name):
			if l, ok := langAttr(tag); ok && (l == "fr") != pageFrench {
				part, depth, french = name, 1, !pageFrench
			}
		case part != nil && name != nil && bytes.Equal(name, part) && !voidElement(name):
			depth++
		case part != nil && name == nil && isEndTag(tag, part):
			if depth--; depth == 0 {
				part, french = nil, pageFrench
			}
		}
		switch string(name) {
		case "script", "style", "pre", "code", "textarea":
			end := indexCloseTag(src[n:], name)
			if end < 0 {
				return append(dst, src...)
			}
			n += end
			kept = false
		case "title", "option":
			wrap, kept = false, false
		case "time":
			kept = true
		default:
			if len(tag) > 1 && tag[1] == '/' {
				wrap = true
			}
			kept = name != nil && keepsOnOneLine(tag) // only a start tag has a class
		}
		switch {
		case string(name) == "svg":
			svg++
		case name == nil && svg > 0 && isEndTag(tag, []byte("svg")):
			svg--
		}
		if svg > 0 {
			wrap = false
		}
		dst = append(dst, src[:n]...)
		src = src[n:]
	}
	return dst
}

// tagName returns the lower-case name of the start tag tag, or nil (an end tag, a
// comment…). templ writes tag names in lower case.
func tagName(tag []byte) []byte {
	if len(tag) < 3 || !isLetter(tag[1]) {
		return nil
	}
	n := 1
	for n < len(tag) && (isLetter(tag[n]) || isDigit(tag[n])) {
		n++
	}
	return tag[1:n]
}

// keepsOnOneLine reports whether tag starts an element whose CSS keeps it on one line:
// class amount, nowrap or num (web/static/app.css).
func keepsOnOneLine(tag []byte) bool {
	k := bytes.Index(tag, []byte(` class="`))
	if k < 0 {
		return false
	}
	class := tag[k+8:]
	if e := bytes.IndexByte(class, '"'); e >= 0 {
		class = class[:e]
	}
	// Word by word without allocating (bytes.Fields did, for every tag of every page).
	for len(class) > 0 {
		for len(class) > 0 && asciiSpace(class[0]) {
			class = class[1:]
		}
		n := 0
		for n < len(class) && !asciiSpace(class[n]) {
			n++
		}
		if c := class[:n]; string(c) == "amount" || string(c) == "nowrap" || string(c) == "num" {
			return true
		}
		class = class[n:]
	}
	return false
}

func asciiSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\f' }

// markupLen is the length of the tag, comment or declaration src starts with ('<'
// followed by something that is not markup is one byte of text).
func markupLen(src []byte) int {
	if bytes.HasPrefix(src, []byte("<!--")) {
		if j := bytes.Index(src[4:], []byte("-->")); j >= 0 {
			return 4 + j + 3
		}
		return len(src)
	}
	if len(src) < 2 || !(isLetter(src[1]) || src[1] == '/' || src[1] == '!' || src[1] == '?') {
		return 1
	}
	// The pages are templ's: an attribute's value has its '>' escaped, so the first '>'
	// ends the tag.
	if j := bytes.IndexByte(src, '>'); j >= 0 {
		return j + 1
	}
	return len(src)
}

// indexCloseTag returns the index of "</name" in src, case-insensitively, or -1.
func indexCloseTag(src, name []byte) int {
	for off := 0; ; {
		j := bytes.Index(src[off:], []byte("</"))
		if j < 0 {
			return -1
		}
		k := off + j
		if len(src) >= k+2+len(name) && bytes.EqualFold(src[k+2:k+2+len(name)], name) {
			return k
		}
		off = k + 2
	}
}

// langAttr returns the primary language of tag's lang attribute ("fr" for lang="fr-FR"),
// lower-cased, and whether it has one.
func langAttr(tag []byte) (string, bool) {
	k := bytes.Index(tag, []byte(` lang="`))
	if k < 0 {
		return "", false
	}
	v := tag[k+7:]
	if e := bytes.IndexByte(v, '"'); e >= 0 {
		v = v[:e]
	}
	if e := bytes.IndexByte(v, '-'); e >= 0 {
		v = v[:e]
	}
	return string(bytes.ToLower(v)), true
}

// isEndTag reports whether tag is the end tag of the element name.
func isEndTag(tag, name []byte) bool {
	return len(tag) >= 3+len(name) && tag[1] == '/' && bytes.EqualFold(tag[2:2+len(name)], name) &&
		(tag[2+len(name)] == '>' || isSpace(tag[2+len(name)]))
}

// voidElement reports whether name is an element without content nor end tag.
func voidElement(name []byte) bool {
	switch string(name) {
	case "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr":
		return true
	}
	return false
}

func isLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
func isSpace(c byte) bool  { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// appendText appends a text between tags, typeset.
func appendText(dst, text []byte, french, wrap bool) []byte {
	if !wrap || !hasDigit(text) { // every amount and date has a digit
		return appendPunctuation(dst, text, french)
	}
	from := 0 // text[from:] is yet to be written
	for i := 0; i < len(text); i++ {
		c := text[i]
		if i > 0 && (isWord(text[i-1]) || text[i-1] == ',' || text[i-1] == '.') {
			continue // inside a word or a number
		}
		var n int
		switch {
		case isDigit(c):
			n = spacedNumber(text[i:])
		case isLetter(c) || c >= 0xc0:
			n = monthYear(text[i:])
		}
		if n == 0 {
			continue
		}
		dst = appendPunctuation(dst, text[from:i], french)
		dst = append(dst, nowrapOpen...)
		dst = append(dst, text[i:i+n]...)
		dst = append(dst, nowrapClose...)
		from = i + n
		i += n - 1
	}
	return appendPunctuation(dst, text[from:], french)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func hasDigit(t []byte) bool {
	for _, c := range t {
		if isDigit(c) {
			return true
		}
	}
	return false
}
func isWord(c byte) bool { return isDigit(c) || isLetter(c) || c >= 0x80 && c != 0xa0 }

// digits returns how many digits t starts with.
func digits(t []byte) int {
	n := 0
	for n < len(t) && isDigit(t[n]) {
		n++
	}
	return n
}

// spacedNumber returns the length of the amount or date that t starts with, when it holds
// a space that a line could break at: « 3 000,00 € », « 300 € », « 12 000 »,
// « 4 décembre 2026 », « 1er mars », else 0.
func spacedNumber(t []byte) int {
	d := digits(t)
	n, spaced := d, false
	for d <= 3 && n+4 <= len(t) && t[n] == ' ' && digits(t[n+1:]) == 3 { // thousands
		n += 4
		spaced = true
	}
	if n+1 < len(t) && t[n] == ',' {
		if f := digits(t[n+1:]); f >= 1 && f <= 2 {
			n += 1 + f
		}
	}
	if bytes.HasPrefix(t[n:], []byte(" €")) {
		return n + len(" €")
	}
	if spaced {
		if n < len(t) && isWord(t[n]) {
			return 0
		}
		return n
	}
	// A date: a day, its month, maybe its year.
	if n != d || d > 2 {
		return 0
	}
	if t[0] == '1' && d == 1 && bytes.HasPrefix(t[1:], []byte("er")) {
		n += 2
	}
	if n >= len(t) || t[n] != ' ' {
		return 0
	}
	m := month(t[n+1:])
	if m == 0 {
		return 0
	}
	n += 1 + m
	if y := year(t[n:]); y > 0 {
		n += y
	}
	return n
}

// monthYear returns the length of « décembre 2026 » that t starts with, else 0.
func monthYear(t []byte) int {
	m := month(t)
	if m == 0 {
		return 0
	}
	if y := year(t[m:]); y > 0 {
		return m + y
	}
	return 0
}

// month returns the length of the month name t starts with as a word, else 0.
func month(t []byte) int {
	if len(t) < 3 || !monthInitial[t[0]] {
		return 0
	}
	for _, m := range months {
		if m[0] == t[0] && bytes.HasPrefix(t, m) && (len(t) == len(m) || !isWord(t[len(m)])) {
			return len(m)
		}
	}
	return 0
}

// year returns the length of « 2026 » (a space and four digits, as a word) t starts
// with, else 0.
func year(t []byte) int {
	if len(t) >= 5 && t[0] == ' ' && digits(t[1:]) == 4 && (len(t) == 5 || !isWord(t[5])) {
		return 5
	}
	return 0
}

// appendPunctuation appends text with, in French, a no-break space for the spaces before
// « : ; ! ? » » and after « « ».
func appendPunctuation(dst, text []byte, french bool) []byte {
	if !french {
		return append(dst, text...)
	}
	from := 0 // text[from:i] is yet to be copied
	for i := 0; i < len(text); i++ {
		switch c := text[i]; {
		case isSpace(c):
			j := i + 1
			for j < len(text) && isSpace(text[j]) {
				j++
			}
			if j < len(text) && (text[j] == ':' || text[j] == ';' || text[j] == '!' || text[j] == '?' ||
				text[j] == 0xc2 && j+1 < len(text) && text[j+1] == 0xbb) { // »
				dst = append(dst, text[from:i]...)
				dst = append(dst, nbsp...)
				from = j
			}
			i = j - 1
		case c == 0xc2 && i+1 < len(text) && text[i+1] == 0xab: // «
			j := i + 2
			for j < len(text) && isSpace(text[j]) {
				j++
			}
			if j > i+2 {
				dst = append(dst, text[from:i+2]...)
				dst = append(dst, nbsp...)
				from = j
			}
			i = j - 1
		}
	}
	return append(dst, text[from:]...)
}

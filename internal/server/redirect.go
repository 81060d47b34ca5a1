package server

import (
	"net/url"
	"path"
	"strings"
)

// localPath returns p when it is a path on this site, else fallback. It is the only way a
// redirect target taken from a request (suivant, Referer) is accepted, so that no link can
// send people to another site.
//
// The value returned is p cleaned the way http.Redirect cleans it (path.Clean on the part
// before the query, trailing slash kept), so what is checked is exactly what the browser
// gets: checking p and letting http.Redirect clean it afterwards turned "/./\evil.example"
// into "/\evil.example", which browsers follow to http://evil.example/. Backslashes and
// control characters are refused anywhere, raw or percent-encoded, because browsers read
// "\" as "/" and drop tabs and newlines from URLs.
func localPath(p, fallback string) string {
	if p == "" || p[0] != '/' || strings.HasPrefix(p, "//") || !redirectSafe(p) {
		return fallback
	}
	target, query, _ := strings.Cut(p, "?")
	trailing := strings.HasSuffix(target, "/")
	target = path.Clean(target)
	if trailing && !strings.HasSuffix(target, "/") {
		target += "/"
	}
	if query != "" || strings.HasSuffix(p, "?") {
		target += "?" + query
	}
	// path.Clean collapses "//", so the cleaned target starts with one slash and no
	// host; parse it anyway, as the browser will.
	if strings.HasPrefix(target, "//") {
		return fallback
	}
	if u, err := url.Parse(target); err != nil || u.Scheme != "" || u.Host != "" || u.Opaque != "" || u.User != nil {
		return fallback
	}
	return target
}

// redirectSafe reports whether p, and p percent-decoded as many times as it takes, has no
// backslash and no control character.
func redirectSafe(p string) bool {
	for i := 0; ; i++ {
		if strings.ContainsFunc(p, func(r rune) bool { return r == '\\' || r < 0x20 || r == 0x7f }) {
			return false
		}
		dec, err := url.PathUnescape(p)
		switch {
		case err != nil:
			// A bad escape as typed is refused; a "%" left by decoding ("%25") is text.
			return i > 0
		case dec == p:
			return true
		case i == 3:
			// Still changing after four decodings: nobody links like that.
			return false
		}
		p = dec
	}
}

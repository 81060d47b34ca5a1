package server

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func TestLocalPath(t *testing.T) {
	const fallback = "/repli"
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", fallback},
		{"root", "/", "/"},
		{"path", "/defis/nouveau", "/defis/nouveau"},
		{"path with query", "/defis?statut=equipe&page=2", "/defis?statut=equipe&page=2"},
		{"trailing slash kept", "/defis/", "/defis/"},
		{"fragment", "/defis/cantine#contributions", "/defis/cantine#contributions"},
		{"encoded percent", "/recherche?q=100%25", "/recherche?q=100%25"},
		{"encoded query", "/recherche?q=caf%C3%A9+%26+th%C3%A9", "/recherche?q=caf%C3%A9+%26+th%C3%A9"},
		{"query with slashes", "/defis?retour=//evil.example", "/defis?retour=//evil.example"},
		{"dot segments cleaned", "/defis/./x/../nouveau", "/defis/nouveau"},
		{"dot then double slash", "/.//evil.example", "/evil.example"},
		{"dot-dot then double slash", "/..//evil.example", "/evil.example"},
		{"encoded slash stays a path", "/%2F/evil.example", "/%2F/evil.example"},
		{"encoded double slash", "/%2F%2Fevil.example", "/%2F%2Fevil.example"},

		{"scheme-relative", "//evil.example", fallback},
		{"scheme-relative with path", "//evil.example/defis", fallback},
		{"triple slash", "///evil.example", fallback},
		{"backslash", `/\evil.example`, fallback},
		{"dot backslash", `/./\evil.example`, fallback},
		{"dot-dot backslash", `/x/../\evil.example`, fallback},
		{"double backslash", `\\evil.example`, fallback},
		{"backslash in query", `/defis?x=\y`, fallback},
		{"encoded backslash", "/%5Cevil.example", fallback},
		{"encoded backslash lower case", "/%5cevil.example", fallback},
		{"double-encoded backslash", "/%255Cevil.example", fallback},
		{"encoded backslash in query", "/defis?x=%5C", fallback},
		{"triple-encoded backslash", "/%25255C", fallback},
		{"encoded too many times", "/%2525252541", fallback},
		{"absolute http", "http://evil.example", fallback},
		{"absolute https", "https://evil.example/defis", fallback},
		{"scheme without slashes", "https:evil.example", fallback},
		{"javascript", "javascript:alert(1)", fallback},
		{"relative", "evil.example", fallback},
		{"leading space", " /defis", fallback},
		{"tab inside", "/\t/evil.example", fallback},
		{"newline inside", "/\n/evil.example", fallback},
		{"carriage return inside", "/\r/evil.example", fallback},
		{"tab in query", "/defis?\t", fallback},
		{"encoded tab", "/%09/evil.example", fallback},
		{"encoded newline", "/%0A/evil.example", fallback},
		{"encoded carriage return", "/%0d/evil.example", fallback},
		{"NUL", "/defis\x00", fallback},
		{"DEL", "/defis\x7f", fallback},
		{"encoded DEL", "/defis%7F", fallback},
		{"bad escape", "/defis%zz", fallback},
		{"header splitting", "/defis\r\nSet-Cookie: x=y", fallback},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := localPath(tt.in, fallback)
			if got != tt.want {
				t.Fatalf("localPath(%q): got %q, want %q", tt.in, got, tt.want)
			}
			// What was checked is what the browser gets: http.Redirect changes nothing.
			w := httptest.NewRecorder()
			http.Redirect(w, httptest.NewRequest(http.MethodGet, "/langue", nil), got, http.StatusSeeOther)
			if loc := w.Header().Get("Location"); loc != got {
				t.Errorf("http.Redirect(%q): got Location %q, want it unchanged", got, loc)
			}
			// And it is idempotent: checking the result again keeps it.
			if again := localPath(got, "/autre"); got != fallback && again != got {
				t.Errorf("localPath(localPath(%q)): got %q, want %q", tt.in, again, got)
			}
		})
	}
}

// FuzzLocalPath checks that whatever suivant holds, the redirect stays on the site: the
// target starts with one slash, holds no backslash or control character, and comes out
// of http.Redirect unchanged.
func FuzzLocalPath(f *testing.F) {
	for _, s := range []string{"/defis", "//x", `/\x`, `/./\x`, `/x/../\x`, "/%2F/x", "/%5Cx", "https:x", "http://x", `\\x`,
		"/\t/x", "/\n/x", "/.//x", "/..//x", "/x?y=%5C", "/x#/../\\y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		got := localPath(p, "/repli")
		if got == "/repli" {
			return
		}
		if !strings.HasPrefix(got, "/") || strings.HasPrefix(got, "//") ||
			strings.ContainsFunc(got, func(r rune) bool { return r == '\\' || r < 0x20 || r == 0x7f }) {
			t.Fatalf("localPath(%q) = %q: not a local path", p, got)
		}
		if u, err := url.Parse(got); err != nil || u.Host != "" || u.Scheme != "" {
			t.Fatalf("localPath(%q) = %q: parsed as %v, %v", p, got, u, err)
		}
		w := httptest.NewRecorder()
		http.Redirect(w, httptest.NewRequest(http.MethodGet, "/langue", nil), got, http.StatusSeeOther)
		if loc := w.Header().Get("Location"); loc != got && loc != hexEscaped(got) {
			t.Fatalf("localPath(%q) = %q, but http.Redirect sends %q", p, got, loc)
		}
	})
}

// hexEscaped is s with its non-ASCII bytes percent-encoded, as http.Redirect writes them.
func hexEscaped(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			fmt.Fprintf(&b, "%%%02x", s[i])
		} else {
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

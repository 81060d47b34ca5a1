package postgres_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// The store writes no French: its errors are coded by the domain and its sentences —
// error messages, audit lines, ledger memos — are internal/fabrique's, which pages and the
// i18n catalogue word. A French string literal in the store's code (comments aside) is a
// sentence that slipped back in.
func TestStoreWritesNoFrench(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	scanned := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0) // no parser.ParseComments: comments may be French
		if err != nil {
			t.Fatal(err)
		}
		scanned++
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || (lit.Kind != token.STRING && lit.Kind != token.CHAR) {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil {
				t.Fatalf("%s: %v", fset.Position(lit.Pos()), err)
			}
			if french(s) || sentence(s) {
				t.Errorf("%s: the store writes %s: move it to internal/fabrique", fset.Position(lit.Pos()), lit.Value)
			}
			return true
		})
	}
	if scanned < 20 {
		t.Fatalf("scanned %d files of the store: the scan no longer finds them", scanned)
	}
}

// french reports whether s holds a letter or a mark only French text uses here: an
// accented letter, a ligature, guillemets or the typographic apostrophe.
func french(s string) bool {
	return strings.ContainsAny(s, "éèêëàâäùûüçîïôöœæÉÈÊËÀÂÄÙÛÜÇÎÏÔÖŒÆ«»’")
}

// sentence reports whether s reads as a sentence for people — a capital first, a full
// stop, an exclamation or a question mark last — as French ones without an accent do
// ("Valeur invalide."). SQL and the store's own error wrappings ("postgres: …") never
// look like that.
func sentence(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" {
		return false
	}
	first := []rune(s)[0]
	return unicode.IsUpper(first) && strings.ContainsAny(s[len(s)-1:], ".!?")
}

package fabrique_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/i18n"
)

// Every action the store writes in the audit trail has its sentence, in both languages:
// the journal never shows a code such as « pledge.confirm ». The actions are the store's
// string literals shaped like one.
func TestEveryAuditActionHasASentence(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join("..", "postgres", "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	action := regexp.MustCompile(`^[a-z]+(?:_[a-z]+)*\.[a-z]+(?:_[a-z]+)*$`)
	fset := token.NewFileSet()
	found := 0
	for _, name := range files {
		if matched, _ := filepath.Match("*_test.go", filepath.Base(name)); matched {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil || !action.MatchString(s) {
				return true
			}
			found++
			label := fabrique.AuditActionLabel(s)
			switch {
			case label == "":
				t.Errorf("%s: audit action %q has no sentence (fabrique.AuditActionLabel)", fset.Position(lit.Pos()), s)
			case !i18n.Has(label):
				t.Errorf("audit action %q: %q has no English", s, label)
			}
			return true
		})
	}
	if found < 15 {
		t.Fatalf("found %d audit actions in the store: the scan no longer finds them", found)
	}
}

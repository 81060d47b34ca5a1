package i18n_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/fabrique-a-communs/fabrique/internal/i18n"
)

// keyPatterns find the message keys in the sources: calls to the catalog, field errors,
// error messages, page titles, flashes, and the French labels functions return.
var keyPatterns = []*regexp.Regexp{
	regexp.MustCompile(`\bT\(ctx, ("(?:[^"\\]|\\.)*")`),
	regexp.MustCompile(`components\.T\(("(?:[^"\\]|\\.)*")`),
	regexp.MustCompile(`\bPlural\(ctx, [^,]+, ("(?:[^"\\]|\\.)*"), ("(?:[^"\\]|\\.)*")\)`),
	regexp.MustCompile(`\.Add\("[a-z_]+", ("(?:[^"\\]|\\.)*")\)`),
	regexp.MustCompile(`Message: ("(?:[^"\\]|\\.)*")`),
	regexp.MustCompile(`Errorf\((?:fabrique\.)?E[A-Z]+, ("(?:[^"\\]|\\.)*")`),
	regexp.MustCompile(`(?:invalid[A-Za-z]*|[a-z]+Error)\(("(?:[^"\\]|\\.)*")\)`),
	regexp.MustCompile(`fieldError\([a-zA-Z_"]+, ("(?:[^"\\]|\\.)*")\)`),
	regexp.MustCompile(`\{"[a-z_]+", ("(?:[^"\\]|\\.)*"), ("(?:[^"\\]|\\.)*"), (?:true|false)\}`),
	regexp.MustCompile(`s\.page\(r, ("(?:[^"\\]|\\.)*")\)`),
	regexp.MustCompile(`renderError\(w, r, [^,]+, ("(?:[^"\\]|\\.)*"), ("(?:[^"\\]|\\.)*")\)`),
	regexp.MustCompile(`flash\((?:r\.Context\(\)|ctx), ("(?:[^"\\]|\\.)*")\)`),
	regexp.MustCompile(`fail\([^,]+, ("(?:[^"\\]|\\.)*")\)`),
	regexp.MustCompile(`return ("[A-ZÀ-Ý](?:[^"\\]|\\.)* (?:[^"\\]|\\.)*")`),
	regexp.MustCompile(`(?m)^\s*(?:const )?[a-zA-Z]+ += ("[A-ZÀ-Ý][^"]* [^"]*\.")$`),
}

// TestCatalogComplete fails when a French message has no English translation, so the
// language switch never shows a half-translated page.
func TestCatalogComplete(t *testing.T) {
	t.Parallel()
	root := filepath.Join("..", "..")
	seen := map[string]string{}
	for _, dir := range []string{"internal", "web"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			name := d.Name()
			if strings.HasSuffix(name, "_test.go") || strings.HasSuffix(name, "_templ.go") ||
				!(strings.HasSuffix(name, ".go") || strings.HasSuffix(name, ".templ")) ||
				strings.Contains(path, string(filepath.Separator)+"demo"+string(filepath.Separator)) {
				return nil
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			for _, re := range keyPatterns {
				for _, m := range re.FindAllStringSubmatch(string(b), -1) {
					for _, lit := range m[1:] {
						key, err := strconv.Unquote(lit)
						if err != nil || key == "" {
							continue
						}
						seen[key] = path
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(seen) < 50 {
		t.Fatalf("found %d message keys, want at least 50: the patterns no longer match the sources", len(seen))
	}
	for key, path := range seen {
		if !i18n.Has(key) {
			t.Errorf("%s: no English translation for %q", path, key)
		}
	}
}

// TestCatalogFormats checks that each translation takes the same verbs as its key.
func TestCatalogFormats(t *testing.T) {
	t.Parallel()
	verbs := regexp.MustCompile(`%[dsv]`)
	for _, key := range i18n.Keys() {
		en := i18n.Translate(i18n.English, key)
		if got, want := verbs.FindAllString(en, -1), verbs.FindAllString(key, -1); strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("%q → %q: got verbs %v, want %v", key, en, got, want)
		}
	}
}

// TestCatalogOneTranslation fails when two files of the catalog translate one French
// message differently: the English would then depend on the order the files register
// in, and the same figure could be named two ways.
func TestCatalogOneTranslation(t *testing.T) {
	t.Parallel()
	for _, key := range i18n.Conflicts() {
		t.Errorf("%q is translated differently in two messages_en_*.go files", key)
	}
}

// TestCatalogOneWordForCofinancing fails when the English says co-financing two ways:
// « cofinancement » is "co-financing" (or "co-finance", the verb) everywhere.
func TestCatalogOneWordForCofinancing(t *testing.T) {
	t.Parallel()
	for _, key := range i18n.Keys() {
		en := strings.ToLower(i18n.Translate(i18n.English, key))
		if strings.Contains(en, "co-fund") || strings.Contains(en, "cofund") || strings.Contains(en, "cofinanc") {
			t.Errorf("%q → %q: want co-financing", key, en)
		}
		if strings.Contains(strings.ToLower(key), "cofinanc") && !strings.Contains(en, "co-financ") {
			t.Errorf("%q → %q: want co-financing for « cofinancement »", key, en)
		}
	}
}

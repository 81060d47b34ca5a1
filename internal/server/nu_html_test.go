package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/fabrique-a-communs/fabrique/internal/demo"
)

// TestNuHtmlChecker renders every page of the demo, as each persona of TestNoGluedText
// sees it (the funders see pledge forms the others do not) in French and in English, and
// checks them all with the W3C Nu Html Checker (vnu.jar, npm package vnu-jar, run with
// Java) in one run, so that the JVM starts once.
// It fails on each error, naming the page, the place and the message; warnings are
// counted and listed with -v. Without java or the jar it is skipped, except on CI
// (env CI set), where a missing checker must not turn the test green: .ci/run and
// `make test` install the jar with `npm ci --prefix tools/vnu`.
func TestNuHtmlChecker(t *testing.T) {
	java, jar := nuChecker(t)
	t.Parallel()
	a := startDemo(t)
	dir := t.TempDir()
	start := time.Now()

	// The crawls run side by side in this test's goroutines rather than as parallel
	// subtests: those would each wait for one of the package's few parallel slots.
	var mu sync.Mutex
	pages := map[string]string{} // file written → "persona/lang path", for the report
	var firstWay nuFirstWay
	var wg sync.WaitGroup
	for _, p := range gluePersonas {
		c := a.Client(t)
		if p.email != "" {
			c.Login(p.email, demo.DemoPassword)
		}
		for _, lang := range []string{"fr", "en"} {
			sub := filepath.Join(dir, p.name, lang)
			if err := os.MkdirAll(sub, 0o755); err != nil {
				t.Fatal(err)
			}
			wg.Go(func() {
				crawlDemo(t, a.URL(), c.HTTP, lang, nuCrawl, func(pg gluePage, doc *html.Node) {
					if doc == nil || !firstWay.Add(p.name, lang, pg.path) {
						return
					}
					name := filepath.Join(sub, strings.TrimSuffix(snapshotFileName(pg.path), ".txt")+".html")
					if err := os.WriteFile(name, []byte(pg.body), 0o644); err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					pages[name] = p.name + "/" + lang + " " + pg.path
					mu.Unlock()
				})
			})
		}
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	crawled := time.Since(start)

	// The pages are checked as files: vnu checks every .html file under dir.
	cmd := exec.Command(java, "-jar", jar, "--format", "json", "--stdout", dir)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run() // exits 1 when it found an error: the report says which
	var report struct {
		Messages []nuMessage `json:"messages"`
	}
	if jerr := json.Unmarshal(stdout.Bytes(), &report); jerr != nil {
		t.Fatalf("vnu: %v (%v)\n%s", jerr, err, stderr.String())
	}
	cpu := time.Duration(0)
	if cmd.ProcessState != nil {
		cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	t.Logf("%d pages crawled in %v, checked by vnu in %v (%v of CPU)", len(pages),
		crawled.Round(time.Millisecond), (time.Since(start) - crawled).Round(time.Millisecond), cpu.Round(time.Millisecond))

	// The same message on many pages is one fault of a template: each is listed once,
	// with the first page it was seen on and the count.
	type finding struct {
		first nuMessage
		page  string
		count int
	}
	findings := map[string]*finding{}
	var order []string
	warnings, errors := 0, 0
	for _, m := range report.Messages {
		page := pages[m.file()]
		if page == "" {
			page = m.URL
		}
		isError := m.Type == "error" || m.Type == "non-document-error"
		switch {
		case isError:
			errors++
		case m.SubType == "warning":
			warnings++
		default:
			continue // plain information
		}
		key := m.Type + " " + digits.ReplaceAllString(m.Message, "9")
		if f := findings[key]; f != nil {
			f.count++
			continue
		}
		findings[key] = &finding{first: m, page: page, count: 1}
		order = append(order, key)
	}
	slices.SortStableFunc(order, func(a, b string) int { return strings.Compare(findings[a].first.Type, findings[b].first.Type) })
	for _, k := range order {
		f := findings[k]
		line := fmt.Sprintf("%s, line %d column %d (%d times): %s\n\t%s", f.page, f.first.LastLine, f.first.FirstColumn, f.count, f.first.Message, f.first.Extract)
		if f.first.Type == "info" {
			t.Logf("warning on %s", line)
		} else {
			t.Errorf("%s on %s", f.first.Type, line)
		}
	}
	t.Logf("vnu: %d errors, %d warnings on %d pages", errors, warnings, len(pages))
	if len(pages) < 300 {
		t.Errorf("only %d pages checked: the crawl lost its way", len(pages))
	}
}

// nuCrawl visits every page, as the snapshot does, with requests in flight.
var nuCrawl = crawlLimits{fetchers: glueFetchers, perIDShape: snapshotCrawl.perIDShape, maxPages: snapshotCrawl.maxPages, everyQuery: true}

// nuFirstWay remembers the pages checked, where two pages that differ only in their way
// back (?suivant=, which fills a hidden field and a link) are one: the connexion and
// inscription forms, linked from every page, would be checked hundreds of times.
type nuFirstWay struct {
	mu   sync.Mutex
	seen map[string]bool
}

// Add says whether persona's page at path in lang is new.
func (f *nuFirstWay) Add(persona, lang, path string) bool {
	key := persona + "/" + lang + " " + suivantValue.ReplaceAllString(path, "${1}suivant=")
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.seen == nil {
		f.seen = map[string]bool{}
	}
	if f.seen[key] {
		return false
	}
	f.seen[key] = true
	return true
}

var suivantValue = regexp.MustCompile(`([?&])suivant=[^&]*`)

// nuMessage is one message of vnu's JSON report.
type nuMessage struct {
	Type        string `json:"type"` // error, non-document-error or info
	SubType     string `json:"subType"`
	URL         string `json:"url"`
	LastLine    int    `json:"lastLine"`
	FirstColumn int    `json:"firstColumn"`
	Message     string `json:"message"`
	Extract     string `json:"extract"`
}

// file is the path of the file the message is about.
func (m nuMessage) file() string {
	u, err := url.Parse(m.URL)
	if err != nil || u.Scheme != "file" {
		return ""
	}
	return filepath.Clean(u.Path)
}

// nuChecker returns java and the checker's jar: $FABRIQUE_VNU_JAR, else the one
// `npm ci --prefix tools/vnu` installs. Without them the test is skipped, or fails on CI.
func nuChecker(t *testing.T) (java, jar string) {
	t.Helper()
	missing := func(why string) {
		if os.Getenv("CI") != "" {
			t.Fatal(why)
		}
		t.Skip(why + ": skipping the HTML check")
	}
	java, err := exec.LookPath("java")
	if err != nil {
		missing("no java found (apt-get install default-jre-headless)")
	}
	jar = os.Getenv("FABRIQUE_VNU_JAR")
	if jar == "" {
		jar = filepath.Join("..", "..", "tools", "vnu", "node_modules", "vnu-jar", "build", "dist", "vnu.jar")
	}
	if _, err := os.Stat(jar); err != nil {
		missing(fmt.Sprintf("no vnu.jar at %s (npm ci --prefix tools/vnu, or set FABRIQUE_VNU_JAR)", jar))
	}
	return java, jar
}

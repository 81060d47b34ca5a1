package app_test

// Shared set-up of the browser tests (TestE2E…): one headless Chromium for the whole
// package, started by the first test that needs it and stopped by TestMain, and for each
// NewBrowser a tab of its own in a browser context of its own (cookies, storage and cache
// apart, like a private window), so that tests run in parallel and two people of one test
// keep their sessions apart. Starting Chromium once instead of once per test is what keeps
// `make test` short on two cores. The helpers fail the test with the step that went wrong
// rather than a bare "context deadline exceeded".

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/fabrique-a-communs/fabrique/internal/apptest"
)

const (
	// browserTimeout bounds a whole browser test, browser start included: a long journey
	// took 30 s alone and over 60 s on two cores busy with the rest of the suite.
	browserTimeout = 120 * time.Second
	// stepTimeout bounds one step (a navigation, a wait for an element), so that a
	// missing element fails fast and names the step.
	stepTimeout = 15 * time.Second
)

// chromiumPath finds the browser: $CHROMIUM, then Debian's /usr/bin/chromium, then the
// usual names in PATH. Without one the browser tests are skipped (skip says why), except
// on CI (env CI set), where a missing browser must not silently turn the end-to-end tests
// green: err then.
func chromiumPath() (path, skip string, err error) {
	if p := os.Getenv("CHROMIUM"); p != "" {
		full, err := exec.LookPath(p)
		if err != nil {
			return "", "", fmt.Errorf("CHROMIUM=%q: %w", p, err)
		}
		return full, "", nil
	}
	candidates := []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}
	for _, c := range candidates {
		if full, err := exec.LookPath(c); err == nil {
			return full, "", nil
		}
	}
	if os.Getenv("CI") != "" {
		return "", "", errors.New("no browser for the end-to-end tests: install chromium (apt-get install chromium), or set CHROMIUM")
	}
	return "", "no chromium found (set CHROMIUM or apt-get install chromium): skipping the browser test", nil
}

// shared is the one browser of the package's tests, started at the first NewBrowser.
var shared struct {
	once    sync.Once
	skip    string          // why the browser tests are skipped, if they are
	err     error           // why the browser did not start, if it did not
	exe     string          // the browser's executable
	ctx     context.Context // its first tab, from which each test's tabs are made
	cancel  func()          // stops the browser
	out     *syncBuffer     // what the browser printed
	profile string          // its user-data dir, removed when it stops
}

// TestMain stops the shared browser, if a test started it, once every test is done.
func TestMain(m *testing.M) {
	code := m.Run()
	stopSharedBrowser()
	os.Exit(code)
}

// sharedBrowser starts the shared browser on its first call, and returns its context;
// it skips or fails t when there is no browser.
func sharedBrowser(t testing.TB) context.Context {
	t.Helper()
	shared.once.Do(startSharedBrowser)
	switch {
	case shared.skip != "":
		t.Skip(shared.skip)
	case shared.err != nil:
		t.Fatal(shared.err)
	}
	return shared.ctx
}

// startSharedBrowser starts a headless Chromium with its own profile and no network
// chatter, bound to no test: TestMain stops it.
func startSharedBrowser() {
	exe, skip, err := chromiumPath()
	if skip != "" || err != nil {
		shared.skip, shared.err = skip, err
		return
	}
	profile, err := os.MkdirTemp("", "fabrique-e2e-chromium-")
	if err != nil {
		shared.err = err
		return
	}
	out := &syncBuffer{}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox, // the tests may run as root
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-domain-reliability", true),
		chromedp.Flag("no-pings", true),
		chromedp.Flag("lang", "fr-FR"),
		// Less work per page on a machine of two cores, nothing a test looks at: the
		// compositor in software without a GPU process of its own, one renderer per tab
		// rather than per site, none of the features below (15 % of the browser tests'
		// CPU, measured on four of them).
		chromedp.Flag("disable-gpu-compositing", true),
		chromedp.Flag("in-process-gpu", true),
		chromedp.Flag("disable-site-isolation-trials", true),
		chromedp.Flag("disable-features", "Translate,BlinkGenPropertyTrees,PaintHolding,BackForwardCache,OptimizationHints,MediaRouter"),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1280, 900),
		chromedp.CombinedOutput(out),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	shared.exe, shared.ctx, shared.out, shared.profile = exe, ctx, out, profile
	shared.cancel = func() {
		cancelCtx()
		cancelAlloc()
		_ = os.RemoveAll(profile)
	}
	// The first Run starts the browser and ties it to ctx, which has no deadline (it
	// would stop the browser): the start is bounded from here instead.
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(ctx) }()
	select {
	case err = <-started:
	case <-time.After(browserTimeout):
		err = errors.New("timed out")
	}
	if err != nil {
		shared.err = fmt.Errorf("start chromium %s: %v\n%s", exe, err, quietOutput(out.String()))
		shared.cancel()
	}
}

// stopSharedBrowser stops the shared browser if it was started.
func stopSharedBrowser() {
	if shared.cancel != nil && shared.err == nil {
		shared.cancel()
	}
}

// browserTests is how many tests drive the browser at once, whatever -parallel lets the
// package's other tests do: on two cores a third journey makes every page of the others
// slower than their timeouts, while tests without a browser are better run eight at once.
const browserTests = 2

var browserSlots = struct {
	sync.Mutex
	free chan struct{}
	held map[testing.TB]bool
}{free: make(chan struct{}, browserTests), held: map[testing.TB]bool{}}

// takeBrowserSlot waits until t may drive the browser, once per test whatever its number
// of tabs, and frees the slot when t ends.
func takeBrowserSlot(t testing.TB) {
	browserSlots.Lock()
	held := browserSlots.held[t]
	browserSlots.held[t] = true
	browserSlots.Unlock()
	if held {
		return
	}
	browserSlots.free <- struct{}{}
	t.Cleanup(func() {
		<-browserSlots.free
		browserSlots.Lock()
		delete(browserSlots.held, t)
		browserSlots.Unlock()
	})
}

// Browser is one headless Chromium tab visiting the app at base.
type Browser struct {
	t    testing.TB
	ctx  context.Context // the tab; its first Run started the browser
	base string          // the app's base URL, without a trailing slash
}

// syncBuffer collects the browser's output from its own goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// NewBrowser opens a tab of the shared browser, in a browser context of its own (no
// cookie or storage of another Browser), 1280 × 900 px wide, ready to visit base; the tab
// and its context are closed when the test ends. The tab gets browserTimeout in all.
func NewBrowser(t testing.TB, base string) *Browser {
	t.Helper()
	browser := sharedBrowser(t)
	takeBrowserSlot(t)
	timeoutCtx, cancelTimeout := context.WithTimeout(browser, browserTimeout)
	ctx, cancelCtx := chromedp.NewContext(timeoutCtx, chromedp.WithNewBrowserContext())
	b := &Browser{t: t, ctx: ctx, base: strings.TrimSuffix(base, "/")}
	t.Cleanup(func() {
		if t.Failed() {
			b.saveFailureScreenshot()
			if s := quietOutput(shared.out.String()); s != "" {
				t.Logf("chromium output (of every test so far):\n%s", s)
			}
		}
		cancelCtx()
		cancelTimeout()
	})
	// The first Run opens the tab (in a window of its own, so that it renders and the
	// browser applies autofocus) and ties it to ctx: no step timeout there. The viewport
	// is set rather than left to the new window's size.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("open a tab of chromium %s: %v", shared.exe, err)
	}
	b.Viewport(1280, 900)
	return b
}

// viewport is the action that lays the tab's page out width × height CSS pixels wide,
// as a phone (touch, mobile viewport) below 800 px.
func (b *Browser) viewport(width, height int64) chromedp.Action[chromedp.Void] {
	if width < 800 {
		return chromedp.EmulateViewport(width, height, chromedp.EmulatePortrait, chromedp.EmulateMobile, chromedp.EmulateTouch)
	}
	return chromedp.EmulateViewport(width, height)
}

// Viewport lays the page out as a screen width × height CSS pixels (a phone below 800).
func (b *Browser) Viewport(width, height int64) {
	b.t.Helper()
	b.Do(fmt.Sprintf("set the viewport to %d × %d", width, height), b.viewport(width, height))
}

// quietOutput drops the browser's complaints about the missing D-Bus and GPU, and its
// launcher script's about the shell, which every container run prints and which never
// explain a failure.
func quietOutput(s string) string {
	var keep []string
	for _, l := range strings.Split(s, "\n") {
		if strings.TrimSpace(l) == "" || strings.Contains(l, "dbus/") || strings.Contains(l, "shared_image_manager") ||
			strings.Contains(l, "unexpected operator") {
			continue
		}
		keep = append(keep, l)
	}
	return strings.Join(keep, "\n")
}

// Ctx is the tab's context, for chromedp calls the helpers do not cover.
func (b *Browser) Ctx() context.Context { return b.ctx }

// step returns a context for one step.
func (b *Browser) step() (context.Context, context.CancelFunc) {
	return context.WithTimeout(b.ctx, stepTimeout)
}

// fail stops the test, saying which step failed, where the browser was, and why.
func (b *Browser) fail(what string, err error) {
	b.t.Helper()
	where := ""
	ctx, cancel := context.WithTimeout(b.ctx, 2*time.Second)
	defer cancel()
	if loc, lerr := chromedp.Run(ctx, chromedp.Location()); lerr == nil {
		where = " (at " + loc + ")"
	}
	if errors.Is(err, context.DeadlineExceeded) {
		err = fmt.Errorf("timed out: %w", err)
	}
	b.t.Fatalf("%s%s: %v", what, where, err)
}

// Do runs steps that return nothing, failing the test with what on error.
func (b *Browser) Do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.fail(what, err)
	}
}

// Open loads path (relative to the app) and checks the HTTP status of the document.
func (b *Browser) Open(path string, wantStatus int64) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	res, err := chromedp.Run(ctx, chromedp.NavigateResponse(b.base+path))
	if err != nil {
		b.fail("open "+path, err)
	}
	b.checkStatus("open "+path, res, wantStatus)
}

// Navigating runs steps that load a new page (a click on a link, a submit) and
// waits for it, checking the HTTP status of the final document.
func (b *Browser) Navigating(what string, wantStatus int64, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	res, err := chromedp.RunResponse(ctx, steps...)
	if err != nil {
		b.fail(what, err)
	}
	b.checkStatus(what, res, wantStatus)
}

func (b *Browser) checkStatus(what string, res *network.Response, want int64) {
	b.t.Helper()
	if res == nil {
		b.fail(what, errors.New("no response for the document"))
		return
	}
	if res.Status != want {
		b.fail(what, fmt.Errorf("HTTP %d for %s, want %d", res.Status, res.URL, want))
	}
}

// ClickLink follows the first visible link whose text is text, inside the elements
// matched by the XPath scope (such as "//header" or "//main"; "" for the whole page),
// as a person would, and checks the page it leads to answers 200.
func (b *Browser) ClickLink(scope, text string) {
	b.t.Helper()
	x := scope + "//a[normalize-space(.)=" + xpathString(text) + "]"
	b.Navigating(fmt.Sprintf("click link %q", text), 200, chromedp.Click(chromedp.Search(x), chromedp.NodeVisible))
}

func xpathString(s string) string {
	if !strings.Contains(s, `"`) {
		return `"` + s + `"`
	}
	return "concat('" + strings.ReplaceAll(s, "'", `', "'", '`) + "')"
}

// Fill types values into form fields, found by their id "champ-<name>".
func (b *Browser) Fill(fields ...[2]string) {
	b.t.Helper()
	for _, f := range fields {
		sel := chromedp.CSS("#champ-" + f[0])
		// Empty the field first with plain JavaScript: chromedp.Clear fails on an empty
		// textarea, and chromedp.SetValue(sel, "") sets "undefined" (cdproto's
		// CallArgument drops "" under json/v2 omitempty).
		b.Do("fill "+f[0],
			chromedp.WaitVisible(sel),
			chromedp.Evaluate[chromedp.Void](`document.getElementById("champ-`+f[0]+`").value = ""`),
			typeInto(sel, f[1]))
	}
}

// typeInto focuses the visible field sel and enters text in one Input.insertText, as
// a paste or an input method does: the field gets its input event, and a journey no
// longer spends a DevTools round trip per key (a fifth of TestE2ESeedBudgetToTransparency's
// time went to typing).
func typeInto[S chromedp.Selectable](sel S, text string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.Focus(sel, chromedp.NodeVisible),
		func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
			_, err := cdp.Call(ctx, t, input.InsertText, input.InsertTextParams{Text: text})
			return chromedp.Void{}, err
		})
}

// Submit clicks the submit button of the form matched by the CSS selector form and
// waits for the answer.
func (b *Browser) Submit(what, form string, wantStatus int64) {
	b.t.Helper()
	b.Navigating(what, wantStatus, chromedp.Click(chromedp.CSS(form+` button[type=submit]`), chromedp.NodeVisible))
}

// Text waits for the element matched by the CSS selector and returns its visible text,
// its no-break spaces read as spaces (apptest.Plain).
func (b *Browser) Text(sel string) string {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible))
	if err != nil {
		b.fail("read "+sel, err)
	}
	return strings.TrimSpace(apptest.Plain(s))
}

// Count returns how many elements match the CSS selector now, without waiting.
func (b *Browser) Count(sel string) int {
	b.t.Helper()
	return Eval[int](b, fmt.Sprintf("document.querySelectorAll(%s).length", jsString(sel)))
}

// Path is the current path (and query) of the tab.
func (b *Browser) Path() string {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		b.fail("location", err)
	}
	u, err := url.Parse(loc)
	if err != nil {
		b.t.Fatalf("location %q: %v", loc, err)
	}
	return u.RequestURI()
}

// Eval evaluates a JavaScript expression in the page (DevTools evaluation, which the
// site's CSP does not block) and decodes its value.
func Eval[T any](b *Browser, expr string) T {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.fail("evaluate "+expr, err)
	}
	return v
}

func jsString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(s) + `"`
}

// Screenshot saves a full-page PNG as <name>.png in the directory $E2E_SCREENSHOTS,
// and does nothing when that variable is not set.
func (b *Browser) Screenshot(name string) {
	b.t.Helper()
	dir := os.Getenv("E2E_SCREENSHOTS")
	if dir == "" {
		return
	}
	ctx, cancel := b.step()
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.fail("screenshot "+name, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Fatal(err)
	}
	p := filepath.Join(dir, name+".png")
	if err := os.WriteFile(p, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("screenshot: %s", p)
}

// saveFailureScreenshot keeps what the browser showed when the test failed.
func (b *Browser) saveFailureScreenshot() {
	dir := os.Getenv("E2E_SCREENSHOTS")
	if dir == "" {
		return
	}
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		return
	}
	name := "FAILED-" + regexp.MustCompile(`[^\w-]+`).ReplaceAllString(b.t.Name(), "_") + ".png"
	if os.MkdirAll(dir, 0o755) == nil && os.WriteFile(filepath.Join(dir, name), png, 0o644) == nil {
		b.t.Logf("screenshot of the failure: %s", filepath.Join(dir, name))
	}
}

// Login logs in through the login form as a person would, and fails the test unless the
// header then offers to log out.
func (b *Browser) Login(email, pass string) {
	b.t.Helper()
	b.Open("/connexion", 200)
	b.Fill([2]string{"email", email}, [2]string{"password", pass})
	b.Submit("log in as "+email, `form[action="/connexion"]`, 200)
	if n := b.Count("header [data-testid=logout]"); n != 1 {
		b.fail("log in as "+email, errors.New("no logout button after the login form"))
	}
}

// FillForm fills the fields of the form matched by the CSS selector form, found by their
// name rather than their id (several forms of a page may share a field's name): text
// fields and textareas are emptied then typed into, a select gets the option of that
// value, which must exist.
func (b *Browser) FillForm(form string, fields ...[2]string) {
	b.t.Helper()
	for _, f := range fields {
		sel := form + ` [name="` + f[0] + `"]`
		what := fmt.Sprintf("fill %s in %s", f[0], form)
		b.Do(what, chromedp.WaitVisible(chromedp.CSS(sel)))
		tag := Eval[string](b, fmt.Sprintf(`document.querySelector(%s).tagName`, jsString(sel)))
		if tag == "SELECT" {
			got := Eval[string](b, fmt.Sprintf(`(() => {
				const el = document.querySelector(%s);
				el.value = %s;
				el.dispatchEvent(new Event("change", {bubbles: true}));
				return el.value;
			})()`, jsString(sel), jsString(f[1])))
			if got != f[1] {
				b.fail(what, fmt.Errorf("the select has no option %q", f[1]))
			}
			continue
		}
		b.Do(what,
			chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector(%s).value = ""`, jsString(sel))),
			typeInto(chromedp.CSS(sel), f[1]))
	}
}

// Click clicks the visible element matched by the CSS selector (a button of a form, a
// link) and waits for the page it loads, checking its HTTP status.
func (b *Browser) Click(what, sel string, wantStatus int64) {
	b.t.Helper()
	b.Navigating(what, wantStatus, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
}

// Attr returns the attribute name of the first element matched by the CSS selector now,
// "" when there is no such element or attribute.
func (b *Browser) Attr(sel, name string) string {
	b.t.Helper()
	return Eval[string](b, fmt.Sprintf(`(document.querySelector(%s)?.getAttribute(%s)) ?? ""`, jsString(sel), jsString(name)))
}

// Texts returns the visible text of every element matched by the CSS selector now,
// trimmed, in document order.
func (b *Browser) Texts(sel string) []string {
	b.t.Helper()
	return Eval[[]string](b, fmt.Sprintf(`[...document.querySelectorAll(%s)].map(el => el.innerText.trim())`, jsString(sel)))
}

// SetValue sets the field name of the form matched by the CSS selector form to value
// through the DOM, and fires its input and change events: for the fields typing cannot
// fill the same way in every locale, such as <input type="date"> (value "YYYY-MM-DD").
func (b *Browser) SetValue(form, name, value string) {
	b.t.Helper()
	sel := form + ` [name="` + name + `"]`
	what := fmt.Sprintf("set %s in %s", name, form)
	b.Do(what, chromedp.WaitVisible(chromedp.CSS(sel)))
	got := Eval[string](b, fmt.Sprintf(`(() => {
		const el = document.querySelector(%s);
		el.value = %s;
		el.dispatchEvent(new Event("input", {bubbles: true}));
		el.dispatchEvent(new Event("change", {bubbles: true}));
		return el.value;
	})()`, jsString(sel), jsString(value)))
	if got != value {
		b.fail(what, fmt.Errorf("the field holds %q, want %q", got, value))
	}
}

// SetChecked checks (or unchecks) the checkbox name with value in the form matched by
// the CSS selector form.
func (b *Browser) SetChecked(form, name, value string, checked bool) {
	b.t.Helper()
	sel := form + ` input[name="` + name + `"][value="` + value + `"]`
	what := fmt.Sprintf("check %s=%s in %s", name, value, form)
	b.Do(what, chromedp.WaitVisible(chromedp.CSS(sel)))
	if Eval[bool](b, fmt.Sprintf(`document.querySelector(%s).checked`, jsString(sel))) != checked {
		b.Do(what, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
	}
	if Eval[bool](b, fmt.Sprintf(`document.querySelector(%s).checked`, jsString(sel))) != checked {
		b.fail(what, fmt.Errorf("the checkbox is not checked=%v", checked))
	}
}

// NewBrowserAt is NewBrowser with a screen width × height CSS pixels wide, a phone
// below 800.
func NewBrowserAt(t testing.TB, base string, width, height int64) *Browser {
	t.Helper()
	b := NewBrowser(t, base)
	b.Viewport(width, height)
	return b
}

// screens are the widths every journey is walked at, with their height: a phone and a
// laptop.
var screens = []struct{ Width, Height int64 }{{360, 740}, {1280, 900}}

// atEachScreen runs journey once per screen of screens, as parallel subtests named after
// the width, each of which starts its own app and browsers.
func atEachScreen(t *testing.T, journey func(t *testing.T, width, height int64)) {
	t.Helper()
	for _, s := range screens {
		t.Run(fmt.Sprintf("%dpx", s.Width), func(t *testing.T) {
			t.Parallel()
			journey(t, s.Width, s.Height)
		})
	}
}

// WaitFor waits, one step at most, until the JavaScript expression is true in the page:
// for what the browser does after the load, such as applying autofocus.
func (b *Browser) WaitFor(what, expr string) {
	b.t.Helper()
	b.Do("wait for "+what, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(stepTimeout)))
}

// InView reports whether the first element matched by the CSS selector is in the
// viewport now, its top edge inside the window (the person sees it without scrolling);
// a fragment scrolls its target to the top, give or take a fraction of a pixel.
func (b *Browser) InView(sel string) bool {
	b.t.Helper()
	return Eval[bool](b, fmt.Sprintf(`(() => {
		const el = document.querySelector(%s);
		if (!el) return false;
		const r = el.getBoundingClientRect();
		return r.height > 0 && r.top > -1 && r.top < window.innerHeight;
	})()`, jsString(sel)))
}

// checkErrorSummaryInView checks that a form refused with 422 shows its error summary
// where the person is looking: focused (the browser applies autofocus at its next
// rendering opportunity after the load, hence the wait) and inside the viewport.
func checkErrorSummaryInView(t *testing.T, b *Browser, what string) {
	t.Helper()
	b.WaitFor("the error summary to take the focus after "+what,
		`document.activeElement && document.activeElement.dataset.testid === "form-errors"`)
	if !b.InView("[data-testid=form-errors]") {
		top := Eval[float64](b, `document.querySelector("[data-testid=form-errors]").getBoundingClientRect().top / window.innerHeight`)
		t.Errorf("after %s the error summary is out of view (top at %.2f viewport heights)", what, top)
	}
}

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/fabrique-a-communs/fabrique/internal/app"
	"github.com/fabrique-a-communs/fabrique/internal/benchdata"
	"github.com/fabrique-a-communs/fabrique/internal/loadtest"
)

// scenarioNames are the scenarios, in the order they run (-only takes these names).
var scenarioNames = []string{"home", "defis", "search", "search-rare", "defi", "commun", "call", "transparence", "espace", "agenda", "coordination", "contribution", "pledge", "register"}

// result is one line of the table.
type result struct {
	name, label string
	path        string // the page driven (reads)
	read        bool
	skipped     string // why it did not run
	note        string
	app         *loadtest.Result
	ceiling     *loadtest.Result
	queries     float64 // per request
	mem         loadtest.Memory
	bytes       int
	built       bool             // a read page built for each request, past the page cache
	fresh       bool             // a logged-in page with its session read each time: no target, for comparison
	who         string           // "" for everyone; "member" or "coordinator": only as that person
	cookie      string           // the session the page is driven with ("" for a visitor)
	alone       *loadtest.Result // the same requests by one connection alone (logged-in pages)
}

type bench struct {
	o       *options
	member  string    // the session cookie of a member of the défi driven
	coord   string    // the session cookie of a coordinator
	extra   []*result // the member's measure of the last page read
	app     *app.App
	sql     *pgxpool.Pool // the bench's own, for its raw SQL
	queries *loadtest.QueryCounter
	client  *http.Client
	out     io.Writer
}

func (b *bench) wanted(name string) bool { return b.o.only == nil || b.o.only[name] }

// targets are the pages driven: the busiest défi in développement, the commun most défis
// link to, the call with the most pledges.
type targets struct {
	challenge, commons, call string
	callID                   int64
	rare                     string // a word few défis hold
	rareMatches              int
}

func (b *bench) targets(ctx context.Context) (targets, error) {
	var t targets
	pool := b.sql
	err := pool.QueryRow(ctx, `SELECT c.slug FROM challenges c JOIN contributions k ON k.challenge_id = c.id
		WHERE c.status = 'developpement' GROUP BY c.id ORDER BY count(*) DESC, c.id LIMIT 1`).Scan(&t.challenge)
	if err != nil {
		return t, fmt.Errorf("pick a défi: %w", err)
	}
	if err := pool.QueryRow(ctx, `SELECT m.slug FROM commons m JOIN challenge_commons l ON l.commons_id = m.id
		GROUP BY m.id ORDER BY count(*) DESC, m.id LIMIT 1`).Scan(&t.commons); err != nil {
		return t, fmt.Errorf("pick a commun: %w", err)
	}
	if err := pool.QueryRow(ctx, `SELECT c.id, c.slug FROM calls c LEFT JOIN pledges p ON p.call_id = c.id
		GROUP BY c.id ORDER BY count(p.id) DESC, c.id LIMIT 1`).Scan(&t.callID, &t.call); err != nil {
		return t, fmt.Errorf("pick a call: %w", err)
	}
	// The word of the search that fewest défis hold but a handful (as the search reads it:
	// a lexeme of their text).
	if err := pool.QueryRow(ctx, `SELECT word, ndoc FROM ts_stat('SELECT search FROM challenges')
		WHERE ndoc >= 5 AND word ~ '^[a-z]{5,}$' ORDER BY ndoc, word LIMIT 1`).Scan(&t.rare, &t.rareMatches); err != nil {
		return t, fmt.Errorf("pick a rare word: %w", err)
	}
	return t, nil
}

// runAll runs every scenario wanted: each read page, then its ceiling, then the writes.
func (b *bench) runAll(ctx context.Context) ([]*result, error) {
	t, err := b.targets(ctx)
	if err != nil {
		return nil, err
	}
	reads := []*result{
		{name: "home", label: "home `/`", path: "/"},
		{name: "defis", label: "défis `/defis`", path: "/defis"},
		{name: "search", label: "search `/defis?q=outil`", path: "/defis?q=outil"},
		{name: "search-rare", label: fmt.Sprintf("search, a rare word `/defis?q=%s` (%d défis)", t.rare, t.rareMatches), path: "/defis?q=" + url.QueryEscape(t.rare)},
		{name: "defi", label: "a défi `/defis/{slug}`", path: "/defis/" + t.challenge},
		{name: "commun", label: "a commun `/communs/{slug}`", path: "/communs/" + t.commons},
		{name: "call", label: "a call `/cofinancement/{slug}`", path: "/cofinancement/" + t.call},
		{name: "transparence", label: "accounts `/transparence`", path: "/transparence"},
	}
	reads = append(reads,
		&result{name: "espace", label: "my space `/espace`", path: "/espace", who: "member"},
		&result{name: "agenda", label: "rendez-vous `/agenda`", path: "/agenda"},
		&result{name: "coordination", label: "coordination `/coordination`", path: "/coordination", who: "coordinator"},
	)
	if b.wanted("agenda") || b.wanted("register") {
		if _, err := b.ensureEvents(ctx); err != nil {
			return nil, err
		}
	}
	if b.member, err = b.loginFirst(ctx, `SELECT u.email FROM challenge_members m JOIN users u ON u.id = m.user_id
		JOIN challenges c ON c.id = m.challenge_id WHERE c.slug = $1 AND m.state = 'accepted' ORDER BY m.role = 'member' DESC, u.id LIMIT 1`, t.challenge); err != nil {
		return nil, err
	}
	if b.coord, err = b.loginFirst(ctx, `SELECT email FROM users WHERE role = 'coordinator' ORDER BY id LIMIT 1`); err != nil {
		return nil, err
	}
	var all []*result
	for _, r := range reads {
		if !b.wanted(r.name) {
			continue
		}
		r.read = true
		all = append(all, r)
		built, err := b.runRead(ctx, r)
		if err != nil {
			return nil, err
		}
		if built != nil {
			all = append(all, built)
		}
		all = append(all, b.extra...)
		b.extra = nil
	}
	// Each write undone before the next runs, so that each starts from the same data and
	// an empty queue: the contributions leave thousands of notifications' deliveries
	// queued, which the job workers would otherwise go through while the pledges run (two
	// alternated pairs could not tell the difference on this machine; the order of the
	// scenarios no longer matters).
	for _, w := range []struct {
		r      *result
		writes func(context.Context, targets) writes
	}{
		{&result{name: "contribution", label: "write: log a contribution"}, b.contributionWrites},
		{&result{name: "pledge", label: "write: pledge to a step"}, b.pledgeWrites},
		{&result{name: "register", label: "write: register to a rendez-vous"}, b.registerWrites},
	} {
		if !b.wanted(w.r.name) {
			continue
		}
		undo, err := b.undoWrites(ctx)
		if err != nil {
			return nil, err
		}
		all = append(all, w.r)
		err = b.runWrite(ctx, w.r, w.writes(ctx, t))
		undo()
		if err != nil {
			return nil, err
		}
	}
	return all, nil
}

// runRead drives a page of the app as visitors get it (from the page cache, when on),
// then — with the cache on — the same page built for each request (a request saying
// Cache-Control: no-cache, which the cache lets through), then the ceiling serving its
// very bytes. The second measure is returned as a row of its own.
func (b *bench) runRead(ctx context.Context, r *result) (*result, error) {
	if r.who != "" {
		return nil, b.runLoggedIn(ctx, r)
	}
	page, err := loadtest.Fetch(ctx, b.client, b.app.URL()+r.path)
	if err != nil {
		return nil, err
	}
	r.bytes = len(page.Body)
	if page.Status == http.StatusNotFound || page.Status == http.StatusMethodNotAllowed {
		r.skipped = fmt.Sprintf("answers %d: not built yet", page.Status)
		fmt.Fprintf(b.out, "%-14s %s answers %d: skipped\n", r.name, r.path, page.Status)
		return nil, nil
	}
	if page.Status != http.StatusOK {
		r.note = fmt.Sprintf("answered %d when fetched for the ceiling", page.Status)
	}
	get := func(base string, header ...string) loadtest.RequestFunc {
		return func(int, uint64) (*http.Request, error) {
			req, err := http.NewRequest(http.MethodGet, base+r.path, nil)
			for i := 0; err == nil && i+1 < len(header); i += 2 {
				req.Header.Set(header[i], header[i+1])
			}
			return req, err
		}
	}
	var built *result
	r.ceiling, err = b.ceilingAround(ctx, r.path, page, func() error {
		if err := b.measure(ctx, r, get(b.app.URL())); err != nil {
			return err
		}
		if b.o.pageCache > 0 {
			built = &result{name: r.name + "-built", label: r.label + ", built each time", path: r.path, read: true, bytes: r.bytes, built: true}
			return b.measure(ctx, built, get(b.app.URL(), "Cache-Control", "no-cache"))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(b.out, "%-14s ceiling %8.0f req/s → %3.0f %%\n", "", r.ceiling.RPS(), 100*share(r))
	if built != nil {
		built.ceiling = r.ceiling
	}
	// The same page as a logged-in member of the défi driven sees it: never from the page
	// cache, their name and rights on it; against the ceiling of the bytes they get.
	member := &result{name: r.name + "-member", label: r.label + ", logged-in member", path: r.path, read: true, who: "member"}
	b.extra = append(b.extra, member)
	if err := b.runLoggedIn(ctx, member); err != nil {
		return nil, err
	}
	return built, nil
}

// runLoggedIn drives a page only one person sees (their space, the coordination), as
// that person, against a ceiling serving the bytes they got.
func (b *bench) runLoggedIn(ctx context.Context, r *result) error {
	r.cookie = b.member
	if r.who == "coordinator" {
		r.cookie = b.coord
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, b.app.URL()+r.path, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Cookie", r.cookie)
	res, err := b.client.Do(req)
	if err != nil {
		return err
	}
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		return err
	}
	if res.StatusCode != http.StatusOK {
		r.note = fmt.Sprintf("answered %d to %s", res.StatusCode, r.who)
	}
	r.bytes = len(body)
	asThem := func(int, uint64) (*http.Request, error) {
		req, err := http.NewRequest(http.MethodGet, b.app.URL()+r.path, nil)
		if err == nil {
			req.Header.Set("Cookie", r.cookie)
		}
		return req, err
	}
	page := loadtest.Page{Status: http.StatusOK, ContentType: res.Header.Get("Content-Type"), Body: body}
	// With the caches on, the same person's page again with their session read from
	// PostgreSQL (Cache-Control: no-cache, as a hard reload says): what their first page
	// after a change costs, the session kept by the instance being dropped by any change.
	var fresh *result
	if b.o.pageCache > 0 {
		fresh = &result{name: r.name + "-fresh", label: r.label + ", session read each time", path: r.path, read: true,
			who: r.who, cookie: r.cookie, bytes: r.bytes, fresh: true}
		b.extra = append(b.extra, fresh)
	}
	r.ceiling, err = b.ceilingAround(ctx, r.path, page, func() error {
		if err := b.measure(ctx, r, asThem); err != nil || fresh == nil {
			return err
		}
		return b.measure(ctx, fresh, func(int, uint64) (*http.Request, error) {
			req, err := asThem(0, 0)
			if err == nil {
				req.Header.Set("Cache-Control", "no-cache")
			}
			return req, err
		})
	})
	if fresh != nil {
		fresh.ceiling = r.ceiling
	}
	if err != nil || b.o.alone <= 0 {
		return err
	}
	// One request at a time: what a person waits for when the platform is not busy.
	cfg := b.config(nil, nil)
	cfg.Conns, cfg.Duration, cfg.Warmup = 1, b.o.alone, min(cfg.Warmup, 300*time.Millisecond)
	if r.alone, err = loadtest.Run(ctx, b.client, cfg, asThem); err != nil {
		return err
	}
	fmt.Fprintf(b.out, "%-14s alone   p50 %s, p99 %s\n", r.name, ms(r.alone.Latency.Quantile(0.5)), ms(r.alone.Latency.Quantile(0.99)))
	return nil
}

// ceilingAround measures the ceiling of page at path — Go's server sending its very
// bytes — half of the time before run (the app's measures) and half after, as one
// result: on a machine whose speed drifts (a virtual machine whose host is busy in turn,
// ±15 % from one minute to the next here) the app and its ceiling are then measured, on
// average, at the same moment. Each half is printed.
func (b *bench) ceilingAround(ctx context.Context, path string, page loadtest.Page, run func() error) (*loadtest.Result, error) {
	ceiling, err := loadtest.StartCeiling(map[string]loadtest.Page{path: page})
	if err != nil {
		return nil, err
	}
	defer ceiling.Close()
	next := func(int, uint64) (*http.Request, error) {
		return http.NewRequest(http.MethodGet, ceiling.URL()+path, nil)
	}
	cfg := b.config(nil, nil)
	cfg.Duration = max(cfg.Duration/2, time.Second)
	before, err := loadtest.Run(ctx, b.client, cfg, next)
	if err != nil {
		return nil, err
	}
	if err := run(); err != nil {
		return nil, err
	}
	after, err := loadtest.Run(ctx, b.client, cfg, next)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(b.out, "%-14s ceiling %8.0f req/s before, %8.0f after\n", "", before.RPS(), after.RPS())
	before.Add(after)
	return before, nil
}

// loginFirst logs in the first account query reads and returns its session cookie.
func (b *bench) loginFirst(ctx context.Context, query string, args ...any) (string, error) {
	var email string
	if err := b.sql.QueryRow(ctx, query, args...).Scan(&email); err != nil {
		return "", fmt.Errorf("bench: an account to log in: %w", err)
	}
	return b.login(ctx, email)
}

func share(r *result) float64 {
	if r.app == nil || r.ceiling == nil || r.ceiling.RPS() == 0 {
		return 0
	}
	return r.app.RPS() / r.ceiling.RPS()
}

func (b *bench) config(onStart, onStop func()) loadtest.Config {
	return loadtest.Config{Conns: b.o.conns, Duration: b.o.duration, Warmup: b.o.warmup,
		MaxRequests: b.o.maxRequests, OnStart: onStart, OnStop: onStop}
}

// measure drives the app with next and records throughput, latency, errors, the
// queries per request and the process's peak memory during the measured time.
func (b *bench) measure(ctx context.Context, r *result, next loadtest.RequestFunc) error {
	runtime.GC() // each scenario starts from the live heap, not the last one's garbage
	stopProfile, err := startProfile(b.o.profileDir, r.name)
	if err != nil {
		return err
	}
	var q0, q1 int64
	var watch *loadtest.MemoryPeak
	res, err := loadtest.Run(ctx, b.client, b.config(
		func() { q0, watch = b.queries.Count(), loadtest.WatchMemory(20*time.Millisecond) },
		func() { q1, r.mem = b.queries.Count(), watch.Stop() }), next)
	stopProfile()
	if err != nil {
		return err
	}
	r.app = res
	if res.Requests > 0 {
		r.queries = float64(q1-q0) / float64(res.Requests)
	}
	if res.Requests == 0 {
		fmt.Fprintf(b.out, "%-14s app     no request completed within %s\n", r.name, b.o.duration)
		return nil
	}
	fmt.Fprintf(b.out, "%-14s app     %8.0f req/s, p99 %s, errors %s, %.1f queries/req\n",
		r.name, res.RPS(), ms(res.Latency.Quantile(0.99)), res.ErrorSummary(), r.queries)
	return nil
}

// undoWrites notes the last contribution, pledge, notification, e-mail and job, and
// returns what deletes the ones the write scenarios add after them: otherwise each run
// added thousands of pledges to the call the next run reads, whose page then grew from
// run to run — and thousands of notifications to the coordinator, whose unread count
// every page of theirs reads — and thousands of delivery jobs, which the next run's
// workers then went through (cancelling them, their notifications gone) while it
// measured the pages. The contributions and pledges are still declared or promised
// (nothing in the ledger), so they can go.
func (b *bench) undoWrites(ctx context.Context) (func(), error) {
	var contributions, pledges, registrations, notifications, emails, jobs int64
	pool := b.sql
	if err := pool.QueryRow(ctx, `SELECT (SELECT coalesce(max(id), 0) FROM contributions), (SELECT coalesce(max(id), 0) FROM pledges),
			(SELECT coalesce(max(id), 0) FROM event_registrations),
			(SELECT coalesce(max(id), 0) FROM notifications), (SELECT coalesce(max(id), 0) FROM emails),
			(SELECT coalesce(max(id), 0) FROM river_job)`).
		Scan(&contributions, &pledges, &registrations, &notifications, &emails, &jobs); err != nil {
		return nil, fmt.Errorf("before the writes: %w", err)
	}
	return func() {
		ctx := context.WithoutCancel(ctx)
		c, err1 := pool.Exec(ctx, `DELETE FROM contributions WHERE id > $1 AND state = 'declaree'`, contributions)
		p, err2 := pool.Exec(ctx, `DELETE FROM pledges WHERE id > $1 AND state = 'promise'`, pledges)
		r, err6 := pool.Exec(ctx, `DELETE FROM event_registrations WHERE id > $1`, registrations)
		n, err3 := pool.Exec(ctx, `DELETE FROM notifications WHERE id > $1`, notifications)
		_, err4 := pool.Exec(ctx, `DELETE FROM emails WHERE id > $1`, emails)
		j, err5 := pool.Exec(ctx, `DELETE FROM river_job WHERE id > $1`, jobs)
		if err := errors.Join(err1, err2, err3, err4, err5, err6); err != nil {
			fmt.Fprintf(b.out, "Could not delete what the writes added (%v): the next run reads more data (-reseed loads it again).\n", err)
			return
		}
		// As autovacuum would: the next run's index-only scans need the visibility map.
		if _, err := pool.Exec(ctx, `VACUUM (ANALYZE) contributions, pledges, event_registrations, notifications, emails, river_job`); err != nil {
			fmt.Fprintf(b.out, "VACUUM after the writes: %v\n", err)
		}
		fmt.Fprintf(b.out, "Deleted what the writes added (%d contributions, %d pledges, %d registrations, %d notifications, %d jobs): the next run reads the same data.\n",
			c.RowsAffected(), p.RowsAffected(), r.RowsAffected(), n.RowsAffected(), j.RowsAffected())
	}, nil
}

// writes is a write scenario once prepared: the requests, or why it cannot run.
type writes struct {
	next loadtest.RequestFunc
	skip string
	err  error
}

// runWrite probes the write once (a route not built yet answers 404), then drives it.
func (b *bench) runWrite(ctx context.Context, r *result, w writes) error {
	if w.err != nil {
		return w.err
	}
	if w.skip != "" {
		r.skipped = w.skip
		fmt.Fprintf(b.out, "%-14s skipped: %s\n", r.name, w.skip)
		return nil
	}
	req, err := w.next(0, 1<<40)
	if err != nil {
		return err
	}
	res, err := b.client.Do(req.WithContext(ctx))
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	switch res.StatusCode {
	case http.StatusNotFound, http.StatusMethodNotAllowed:
		r.skipped = fmt.Sprintf("answers %d: not built yet", res.StatusCode)
		fmt.Fprintf(b.out, "%-14s %s answers %d: skipped\n", r.name, req.URL.Path, res.StatusCode)
		return nil
	case http.StatusSeeOther:
	default:
		r.note = fmt.Sprintf("the first request answered %d, want 303", res.StatusCode)
	}
	return b.measure(ctx, r, w.next)
}

// account is a bench account logged in by the generator.
type account struct {
	cookie string
	target string // the défi slug or the funder kind
}

// login logs email in and returns the session cookie, as a browser would.
func (b *bench) login(ctx context.Context, email string) (string, error) {
	form := url.Values{"email": {email}, "password": {benchdata.Password}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, b.app.URL()+"/connexion", strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	b.formHeaders(req)
	res, err := b.client.Do(req)
	if err != nil {
		return "", err
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		return "", fmt.Errorf("login %s: got status %d, want 303", email, res.StatusCode)
	}
	for _, c := range res.Cookies() {
		if c.Name == "fabrique_session" {
			return c.Name + "=" + c.Value, nil
		}
	}
	return "", fmt.Errorf("login %s: no session cookie", email)
}

// formHeaders makes req a same-origin form post.
func (b *bench) formHeaders(req *http.Request) {
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", b.app.URL())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
}

// postAs is the form body posted to the app's path as the account whose session cookie
// is cookie, as a browser of the site sends it.
func (b *bench) postAs(cookie, path, body string) (*http.Request, error) {
	req, err := http.NewRequest(http.MethodPost, b.app.URL()+path, strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	b.formHeaders(req)
	req.Header.Set("Cookie", cookie)
	return req, nil
}

// logins logs in the accounts read by query (email, target), up to one per connection.
func (b *bench) logins(ctx context.Context, query string, args ...any) ([]account, error) {
	rows, err := b.sql.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	type pair struct{ email, target string }
	pairs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (pair, error) {
		var p pair
		err := r.Scan(&p.email, &p.target)
		return p, err
	})
	if err != nil {
		return nil, err
	}
	var accounts []account
	for _, p := range pairs {
		cookie, err := b.login(ctx, p.email)
		if err != nil {
			return nil, err
		}
		accounts = append(accounts, account{cookie: cookie, target: p.target})
	}
	return accounts, nil
}

// contributionWrites: team members of défis that take contributions, each logged in on
// its own connection, log half a day on their défi (not the défi page measured).
func (b *bench) contributionWrites(ctx context.Context, t targets) writes {
	accounts, err := b.logins(ctx, `
		SELECT DISTINCT ON (m.user_id) u.email, c.slug
		FROM challenge_members m JOIN users u ON u.id = m.user_id JOIN challenges c ON c.id = m.challenge_id
		WHERE m.state = 'accepted' AND u.role = 'contributor' AND c.slug <> $2
		  AND c.status IN ('equipe', 'prefiguration', 'developpement')
		ORDER BY m.user_id, c.id LIMIT $1`, b.o.conns, t.challenge)
	if err != nil {
		return writes{err: fmt.Errorf("contribution writes: %w", err)}
	}
	if len(accounts) == 0 {
		return writes{skip: "no team member to log in"}
	}
	day := time.Now().In(paris()).AddDate(0, 0, -1).Format(time.DateOnly)
	return writes{next: func(w int, seq uint64) (*http.Request, error) {
		a := accounts[w%len(accounts)]
		form := url.Values{"date": {day}, "days": {"0,5"}, "activity": {"documentation"},
			"description": {"Mesure de charge (make bench)."}}
		return b.postAs(a.cookie, "/defis/"+a.target+"/contributions", form.Encode())
	}}
}

// pledgeWrites: funders, each logged in on its own connection, pledge 25 € to steps —
// those of the open call first, never those of the call page measured — each form with
// a fresh idempotency key.
func (b *bench) pledgeWrites(ctx context.Context, t targets) writes {
	rows, err := b.sql.Query(ctx, `
		SELECT s.id FROM steps s
		WHERE NOT EXISTS (SELECT 1 FROM call_steps cs WHERE cs.step_id = s.id AND cs.call_id = $1)
		ORDER BY EXISTS (SELECT 1 FROM call_steps cs JOIN calls c ON c.id = cs.call_id
		                 WHERE cs.step_id = s.id AND c.closed_at IS NULL AND current_date BETWEEN c.starts_on AND c.ends_on) DESC, s.id
		LIMIT 64`, t.callID)
	if err != nil {
		return writes{err: fmt.Errorf("pledge writes: %w", err)}
	}
	steps, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return writes{err: fmt.Errorf("pledge writes: %w", err)}
	}
	if len(steps) == 0 {
		return writes{skip: "no step to pledge to"}
	}
	accounts, err := b.logins(ctx, `SELECT u.email, f.kind FROM funders f JOIN users u ON u.id = f.user_id
		WHERE u.role = 'contributor' ORDER BY f.user_id LIMIT $1`, b.o.conns)
	if err != nil {
		return writes{err: fmt.Errorf("pledge writes: %w", err)}
	}
	if len(accounts) == 0 {
		return writes{skip: "no funder to log in"}
	}
	nonce := time.Now().UnixNano()
	return writes{next: func(w int, seq uint64) (*http.Request, error) {
		a := accounts[w%len(accounts)]
		step := steps[(uint64(w)+seq)%uint64(len(steps))]
		form := url.Values{"amount": {"25"}, "funder_kind": {a.target}, "message": {""},
			"idempotency_key": {fmt.Sprintf("bench-%x-%d-%d", nonce, w, seq)}}
		return b.postAs(a.cookie, fmt.Sprintf("/etapes/%d/promesses", step), form.Encode())
	}}
}

func paris() *time.Location {
	if loc, err := time.LoadLocation("Europe/Paris"); err == nil {
		return loc
	}
	return time.UTC
}

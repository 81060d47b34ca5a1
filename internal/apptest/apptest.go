// Package apptest starts the whole platform on a free port over a fresh database and
// drives it like a browser without JavaScript: a cookie jar, forms, no automatic
// redirects, and the answer parsed with goquery.
package apptest

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/fabrique-a-communs/fabrique/internal/app"
	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/jobs"
	"github.com/fabrique-a-communs/fabrique/internal/loadtest"
	"github.com/fabrique-a-communs/fabrique/internal/mail"
	"github.com/fabrique-a-communs/fabrique/internal/password"
	"github.com/fabrique-a-communs/fabrique/internal/pgtest"
	"github.com/fabrique-a-communs/fabrique/internal/server"
)

// App is a running platform for one test.
type App struct {
	*app.App
	Queries *QueryCounter
	SQL     *pgxpool.Pool // the test's own pool on the app's database, for raw SQL

	databaseURL string
}

// Option changes the configuration of a test app.
type Option func(*app.Config)

// WithServerConfig sets the HTTP tuning (rate limits, body cap). The page cache stays
// off unless c sets its TTL.
func WithServerConfig(c server.Config) Option {
	return func(cfg *app.Config) {
		if c.PageCacheTTL == 0 {
			c.PageCacheTTL = cfg.Server.PageCacheTTL
		}
		cfg.Server = c
	}
}

// WithPageCache turns the page cache on with ttl. Test apps run without it, so that each
// request reaches the database: the tests of pages check queries and data, not the cache.
func WithPageCache(ttl time.Duration) Option {
	return func(cfg *app.Config) { cfg.Server.PageCacheTTL = ttl }
}

// WithSMTP sends the app's e-mails to smtpURL, e.g. a mailtest.Server's URL(); without
// it, app.Mailer is nil and the e-mails stay in the outbox.
func WithSMTP(smtpURL string) Option {
	return func(cfg *app.Config) { cfg.SMTPURL, cfg.NoWorkers = smtpURL, false }
}

// WithS3 keeps the app's uploaded documents in the S3-compatible store of s3URL.
func WithS3(s3URL string) Option {
	return func(c *app.Config) { c.S3URL = s3URL }
}

// WithMail sends the app's e-mails through sender (nil: kept in the outbox).
func WithMail(sender mail.Sender) Option {
	return func(cfg *app.Config) { cfg.Mailer, cfg.NoWorkers = sender, false }
}

// WithJobs tunes the job queue (fast retries, polling).
func WithJobs(f func(*jobs.Config)) Option {
	return func(cfg *app.Config) { cfg.Jobs, cfg.NoWorkers = f, false }
}

// WithWorkers runs the job queue's workers, as the app always does, for a test that
// watches what jobs do (e-mails kept in the outbox, reminders). Without it, and without
// WithSMTP, WithMail or WithJobs, jobs are queued and never run: starting river is half
// of what an app's start costs the database.
func WithWorkers() Option {
	return func(cfg *app.Config) { cfg.NoWorkers = false }
}

// WaitPageCache waits until the page cache listens for changes (it serves nothing before).
func (a *App) WaitPageCache(tb testing.TB) {
	tb.Helper()
	for deadline := time.Now().Add(10 * time.Second); !a.Server.PageCacheListening(); {
		if time.Now().After(deadline) {
			tb.Fatal("apptest: the page cache does not listen for changes after 10 s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// Start runs the app on 127.0.0.1:0 over a fresh database, stopped when the test ends.
func Start(tb testing.TB, opts ...Option) *App {
	tb.Helper()
	return start(tb, pgtest.URL(tb), opts...)
}

// Another starts a second instance of the app on a's database, as two servers behind a
// load balancer share one: what one writes, the other reads.
func (a *App) Another(tb testing.TB, opts ...Option) *App {
	tb.Helper()
	return start(tb, a.databaseURL, opts...)
}

func start(tb testing.TB, dbURL string, opts ...Option) *App {
	tb.Helper()
	qc := &QueryCounter{}
	cfg := app.Config{
		DatabaseURL: dbURL,
		Addr:        "127.0.0.1:0",
		Logger:      slog.New(slog.NewTextHandler(io.Discard, nil)),
		MaxConns:    8,
		Tracer:      qc,
		Server:      server.Config{PageCacheTTL: -1},
		NoWorkers:   true, // WithWorkers, WithSMTP, WithMail and WithJobs run them
	}
	for _, o := range opts {
		o(&cfg)
	}
	ctx, cancel := context.WithCancel(context.Background())
	a, err := app.New(ctx, cfg)
	if err != nil {
		cancel()
		tb.Fatalf("apptest: start: %v", err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := a.Run(ctx); err != nil {
			tb.Errorf("apptest: run: %v", err)
		}
	}()
	tb.Cleanup(func() {
		cancel()
		<-done
		a.Close()
	})
	// Straight to the database, even when an option puts a proxy before the app's.
	return &App{App: a, Queries: qc, SQL: pgtest.Pool(tb, dbURL), databaseURL: dbURL}
}

// CreateUser makes an account directly in the store and returns it.
func (a *App) CreateUser(tb testing.TB, name, email, pass, role string) *fabrique.User {
	tb.Helper()
	hash, err := password.Hash(pass, password.Default)
	if err != nil {
		tb.Fatal(err)
	}
	u := &fabrique.User{Email: email, DisplayName: name, PasswordHash: hash, Role: role}
	if err := a.DB.CreateUser(context.Background(), u); err != nil {
		tb.Fatalf("apptest: create user %s: %v", email, err)
	}
	return u
}

// QueryCounter counts the queries the app sends to PostgreSQL, batched ones included:
// the benchmark's own counter.
type QueryCounter = loadtest.QueryCounter

// Client is a visitor with its own cookies.
type Client struct {
	tb   testing.TB
	base string
	HTTP *http.Client
}

// Client returns a new visitor of the app.
func (a *App) Client(tb testing.TB) *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{tb: tb, base: a.URL(), HTTP: &http.Client{
		Jar:     jar,
		Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}}
}

// Response is an answer, its body read and parsed. Body and Doc read the no-break spaces
// of the typography (package typo) as plain spaces, so that a test looks for the words a
// person reads; Raw is the body as sent.
type Response struct {
	*http.Response
	Body string
	Raw  string
	Doc  *goquery.Document
}

// Plain reads the no-break spaces of typeset text as plain spaces.
var Plain = strings.NewReplacer("\u00a0", " ", "\u202f", " ").Replace

// Location is the redirect target.
func (r *Response) Location() string { return r.Header.Get("Location") }

// Do sends req and reads the answer.
func (c *Client) Do(req *http.Request) *Response {
	c.tb.Helper()
	res, err := c.HTTP.Do(req)
	if err != nil {
		c.tb.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.tb.Fatalf("%s %s: read: %v", req.Method, req.URL, err)
	}
	body := Plain(string(b))
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		c.tb.Fatalf("%s %s: parse: %v", req.Method, req.URL, err)
	}
	return &Response{Response: res, Body: body, Raw: string(b), Doc: doc}
}

// Get fetches path.
func (c *Client) Get(path string) *Response {
	c.tb.Helper()
	req, err := http.NewRequest(http.MethodGet, c.base+path, nil)
	if err != nil {
		c.tb.Fatal(err)
	}
	return c.Do(req)
}

// Post submits a form to path, as a same-origin browser would.
func (c *Client) Post(path string, form url.Values) *Response {
	c.tb.Helper()
	req, err := http.NewRequest(http.MethodPost, c.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		c.tb.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", c.base)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return c.Do(req)
}

// PostFile submits a multipart form to path, its fields and one file (fileField, named
// fileName, data), as a same-origin browser would.
func (c *Client) PostFile(path string, form url.Values, fileField, fileName string, data []byte) *Response {
	c.tb.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range form {
		for _, v := range vs {
			if err := mw.WriteField(k, v); err != nil {
				c.tb.Fatal(err)
			}
		}
	}
	if fileField != "" {
		fw, err := mw.CreateFormFile(fileField, fileName)
		if err != nil {
			c.tb.Fatal(err)
		}
		if _, err := fw.Write(data); err != nil {
			c.tb.Fatal(err)
		}
	}
	if err := mw.Close(); err != nil {
		c.tb.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, c.base+path, &body)
	if err != nil {
		c.tb.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", c.base)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return c.Do(req)
}

// Follow fetches the target of a redirect.
func (c *Client) Follow(r *Response) *Response {
	c.tb.Helper()
	if r.StatusCode != http.StatusSeeOther && r.StatusCode != http.StatusFound {
		c.tb.Fatalf("got status %d, want a redirect", r.StatusCode)
	}
	return c.Get(r.Location())
}

// SignUp creates an account through the form and stays logged in.
func (c *Client) SignUp(name, email, pass string) *Response {
	c.tb.Helper()
	r := c.Post("/inscription", url.Values{"display_name": {name}, "email": {email}, "password": {pass}})
	if r.StatusCode != http.StatusSeeOther {
		c.tb.Fatalf("sign up %s: got status %d, want 303", email, r.StatusCode)
	}
	return r
}

// Login logs in through the form and fails the test unless it succeeds.
func (c *Client) Login(email, pass string) *Response {
	c.tb.Helper()
	r := c.Post("/connexion", url.Values{"email": {email}, "password": {pass}})
	if r.StatusCode != http.StatusSeeOther {
		c.tb.Fatalf("login %s: got status %d, want 303", email, r.StatusCode)
	}
	return r
}

// Cookie returns the value of the named cookie the client holds for the app.
func (c *Client) Cookie(name string) string {
	u, _ := url.Parse(c.base)
	for _, ck := range c.HTTP.Jar.Cookies(u) {
		if ck.Name == name {
			return ck.Value
		}
	}
	return ""
}

// WithMetrics serves /metrics on a port of its own (App.MetricsURL).
func WithMetrics() Option {
	return func(cfg *app.Config) { cfg.MetricsAddr = "127.0.0.1:0" }
}

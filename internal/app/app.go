// Package app wires the platform together — store, migrations, HTTP server — so that
// main and the tests start exactly the same thing. It holds no logic of its own.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	netmail "net/mail"
	"net/url"
	"runtime"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/fabrique-a-communs/fabrique/internal/docstore"
	"github.com/fabrique-a-communs/fabrique/internal/i18n"
	"github.com/fabrique-a-communs/fabrique/internal/jobs"
	"github.com/fabrique-a-communs/fabrique/internal/mail"
	"github.com/fabrique-a-communs/fabrique/internal/postgres"
	"github.com/fabrique-a-communs/fabrique/internal/server"
)

// Config is the whole configuration of a running app.
type Config struct {
	DatabaseURL string
	Addr        string // ":8080"; ":0" picks a free port (tests)
	// MetricsAddr, when set (METRICS_ADDR), serves /metrics in the Prometheus format on a
	// listener of its own, never on Addr: keep it off the public network.
	MetricsAddr string
	BaseURL     string // public URL; https makes cookies Secure
	Logger      *slog.Logger
	MaxConns    int32           // pool size; 0 for DefaultMaxConns
	Tracer      pgx.QueryTracer // optional, to count queries
	Server      server.Config   // HTTP tuning; zero values take defaults
	// PageCacheTTL, when not 0, sets Server's (negative: off); TrustedProxies, the
	// comma-separated CIDRs of TRUSTED_PROXIES, is parsed into Server's. They let the
	// command line configure the server without knowing its package.
	PageCacheTTL   time.Duration
	TrustedProxies string
	// MigrateDatabaseURL, when set, is the schema owner's: migrations are applied with
	// it, and the app then serves with DatabaseURL, a role that owns nothing.
	MigrateDatabaseURL string
	// Publisher, who publishes and hosts the site, sets Server's when it has a name.
	Publisher Publisher
	// SMTPURL (SMTP_URL) and MailFrom (MAIL_FROM) configure the e-mails: New builds
	// Mailer from them, and a bad value stops it before it connects to anything.
	// MailFrom defaults to mail.DefaultFrom(BaseURL). Without SMTPURL, Mailer stays nil:
	// the e-mails are kept in the outbox and shown at /coordination/courriels.
	SMTPURL  string
	MailFrom string
	// S3URL (S3_URL), when set, keeps uploaded documents (invoices, receipts) in an
	// S3-compatible store instead of PostgreSQL; New fails when its bucket does not answer.
	S3URL string
	// Mailer sends the outbox's e-mails; set by New from SMTPURL unless given (tests may
	// pass their own). nil: nothing is sent.
	Mailer mail.Sender
	// Jobs, when set, tunes the job queue (tests: retries, polling); Sender, Renderer and
	// Logger are the app's.
	Jobs func(*jobs.Config)
	// NoWorkers serves requests and queues jobs in their transactions, but leaves running
	// them to another instance: tests that do not watch jobs skip the queue's start and
	// stop, half the cost of starting an app.
	NoWorkers bool
}

// Publisher is who publishes and hosts the site, for the legal pages.
type Publisher = server.Publisher

// DefaultPageCacheTTL is how long the server keeps a public page in memory when
// Config.PageCacheTTL is 0: the server's own default, for tools that show it.
const DefaultPageCacheTTL = server.DefaultPageCacheTTL

// App is a running platform.
type App struct {
	DB *postgres.DB
	// Mailer is Config.Mailer as New resolved it (nil without SMTP_URL); MailDomain is
	// BASE_URL's host, the domain of the Message-IDs (mail.MessageID).
	Mailer     mail.Sender
	MailFrom   string
	MailDomain string
	Jobs       *jobs.Queue
	Server     *server.Server
	logger     *slog.Logger
	noWorkers  bool
	http       *http.Server
	listener   net.Listener
	// metrics serves /metrics on metricsListener (METRICS_ADDR); nil when off.
	metrics         *http.Server
	metricsListener net.Listener
}

// MetricsURL is where /metrics answers, "" when METRICS_ADDR is not set.
func (a *App) MetricsURL() string {
	if a.metricsListener == nil {
		return ""
	}
	_, port, _ := net.SplitHostPort(a.metricsListener.Addr().String())
	return "http://127.0.0.1:" + port + "/metrics"
}

// New connects to the database, applies pending migrations under an advisory lock,
// refuses a schema it does not know, and listens on cfg.Addr.
func New(ctx context.Context, cfg Config) (*App, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Addr == "" {
		cfg.Addr = ":8080"
	}
	if cfg.MaxConns <= 0 {
		cfg.MaxConns = DefaultMaxConns()
	}
	if cfg.PageCacheTTL != 0 {
		cfg.Server.PageCacheTTL = cfg.PageCacheTTL
	}
	if cfg.Publisher != (Publisher{}) {
		cfg.Server.Publisher = cfg.Publisher
	}
	if cfg.TrustedProxies != "" {
		proxies, err := server.ParseTrustedProxies(cfg.TrustedProxies)
		if err != nil {
			return nil, fmt.Errorf("TRUSTED_PROXIES: %w", err)
		}
		cfg.Server.TrustedProxies = proxies
	}
	if err := configureMail(&cfg); err != nil {
		return nil, err
	}
	db, err := postgres.Open(ctx, cfg.DatabaseURL, postgres.Options{MaxConns: cfg.MaxConns, Tracer: cfg.Tracer})
	if err != nil {
		return nil, err
	}
	if err := postgres.Migrate(ctx, db, cfg.MigrateDatabaseURL, cfg.Logger); err != nil {
		db.Close()
		return nil, err
	}
	if cfg.S3URL != "" {
		s3, err := docstore.ParseS3URL(cfg.S3URL)
		if err == nil {
			var store *docstore.S3
			if store, err = docstore.NewS3(ctx, s3); err == nil {
				db.SetDocumentStore(store)
			}
		}
		if err != nil {
			db.Close()
			return nil, fmt.Errorf("app: %w", err)
		}
	}
	srvCfg := cfg.Server
	srvCfg.BaseURL = cfg.BaseURL
	if strings.HasPrefix(cfg.BaseURL, "https://") {
		srvCfg.Secure = true
	}
	srvCfg.Metrics = cfg.MetricsAddr != ""
	srv := server.New(srvCfg, db, cfg.Logger)
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		srv.Close()
		db.Close()
		return nil, fmt.Errorf("app: listen on %s: %w", cfg.Addr, err)
	}
	var metricsLn net.Listener
	if cfg.MetricsAddr != "" {
		if metricsLn, err = net.Listen("tcp", cfg.MetricsAddr); err != nil {
			ln.Close()
			srv.Close()
			db.Close()
			return nil, fmt.Errorf("app: METRICS_ADDR: listen on %s: %w", cfg.MetricsAddr, err)
		}
	}
	// E-mails link to BASE_URL; without it (tests, make run), to this very listener.
	baseURL := strings.TrimSuffix(cfg.BaseURL, "/")
	if baseURL == "" {
		_, port, _ := net.SplitHostPort(ln.Addr().String())
		baseURL = "http://127.0.0.1:" + port
	}
	jobsCfg := jobs.Config{Renderer: jobs.Renderer{BaseURL: baseURL, Lang: i18n.French}}
	if cfg.Jobs != nil {
		cfg.Jobs(&jobsCfg)
	}
	jobsCfg.Sender, jobsCfg.Logger = cfg.Mailer, cfg.Logger
	queue, err := jobs.New(db, jobsCfg)
	if err != nil {
		ln.Close()
		if metricsLn != nil {
			metricsLn.Close()
		}
		srv.Close()
		db.Close()
		return nil, err
	}
	var metricsSrv *http.Server
	if metricsLn != nil {
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", srv.MetricsHandler())
		metricsSrv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second}
	}
	return &App{
		metrics:         metricsSrv,
		metricsListener: metricsLn,
		DB:              db,
		Jobs:            queue,
		Server:          srv,
		Mailer:          cfg.Mailer,
		MailFrom:        cfg.MailFrom,
		MailDomain:      mail.Domain(cfg.BaseURL),
		logger:          cfg.Logger,
		noWorkers:       cfg.NoWorkers,
		http: &http.Server{
			Handler:           srv,
			ReadHeaderTimeout: 10 * time.Second,
			ReadTimeout:       30 * time.Second,
			WriteTimeout:      60 * time.Second,
			IdleTimeout:       120 * time.Second,
			ErrorLog:          slog.NewLogLogger(cfg.Logger.Handler(), slog.LevelWarn),
		},
		listener: ln,
	}, nil
}

// configureMail fills cfg.MailFrom's default and builds cfg.Mailer from cfg.SMTPURL, so
// that a wrong SMTP_URL or MAIL_FROM fails at start-up, not at the first e-mail.
func configureMail(cfg *Config) error {
	if cfg.MailFrom == "" {
		cfg.MailFrom = mail.DefaultFrom(cfg.BaseURL)
	}
	if _, err := netmail.ParseAddress(cfg.MailFrom); err != nil {
		return fmt.Errorf("MAIL_FROM=%q: %w", cfg.MailFrom, err)
	}
	if cfg.Mailer != nil || cfg.SMTPURL == "" {
		return nil
	}
	m, err := mail.NewSMTP(cfg.SMTPURL, cfg.MailFrom)
	if err != nil {
		return err
	}
	cfg.Mailer = m
	if cfg.Logger != nil {
		cfg.Logger.Info("e-mails sent through SMTP", "smtp", redactedURL(cfg.SMTPURL), "from", cfg.MailFrom)
	}
	return nil
}

// redactedURL is u without its password, for the logs.
func redactedURL(u string) string {
	parsed, err := url.Parse(u)
	if err != nil {
		return "?"
	}
	return parsed.Redacted()
}

// DefaultMaxConns sizes the pool for the machine: four connections per CPU the Go
// runtime uses, at most 32. pgx's own default (4 on 2 CPUs) left requests queueing for
// a connection while PostgreSQL had CPU to spare: on 2 CPUs, 8 connections served the
// défi page 33 % faster than 4, and 16 no faster than 4 (docs/bench.md).
func DefaultMaxConns() int32 {
	return int32(min(4*runtime.GOMAXPROCS(0), 32))
}

// Addr is the address the app listens on, with the port chosen for ":0".
func (a *App) Addr() string { return a.listener.Addr().String() }

// URL is the base URL to reach the app on this machine.
func (a *App) URL() string {
	_, port, _ := net.SplitHostPort(a.Addr())
	return "http://127.0.0.1:" + port
}

// Run serves and works the job queue until ctx is done, then drains open requests for
// up to 10 seconds and lets running jobs finish for as long.
func (a *App) Run(ctx context.Context) error {
	if !a.noWorkers {
		// Stopped below, gracefully: river cancels running jobs when Start's context ends.
		if err := a.Jobs.Start(context.WithoutCancel(ctx)); err != nil {
			return err
		}
		defer func() {
			stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
			defer cancel()
			if err := a.Jobs.Stop(stopCtx); err != nil {
				a.logger.Warn("app: stop jobs", "err", err)
			}
		}()
	}
	errc := make(chan error, 1)
	go func() { errc <- a.http.Serve(a.listener) }()
	if a.metrics != nil {
		go func() {
			if err := a.metrics.Serve(a.metricsListener); err != nil && !errors.Is(err, http.ErrServerClosed) {
				a.logger.Warn("app: metrics", "err", err)
			}
		}()
		defer a.metrics.Close()
	}
	select {
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return fmt.Errorf("app: serve: %w", err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := a.http.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("app: shutdown: %w", err)
	}
	return nil
}

// Close releases the listener, the session cleanup and the pool.
func (a *App) Close() {
	_ = a.http.Close()
	if a.metrics != nil {
		_ = a.metrics.Close()
		_ = a.metricsListener.Close()
	}
	a.Server.Close()
	a.Jobs.Close()
	a.DB.Close()
}

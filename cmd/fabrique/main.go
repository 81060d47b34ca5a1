// Command fabrique is the platform of the Fabrique à communs des tiers-lieux: one binary
// that serves the site, migrates the database, creates accounts and loads data.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
	_ "time/tzdata" // Europe/Paris without the system zone database (minimal images)

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/fabrique-a-communs/fabrique/internal/app"
	"github.com/fabrique-a-communs/fabrique/internal/benchdata"
	"github.com/fabrique-a-communs/fabrique/internal/demo"
	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/password"
	"github.com/fabrique-a-communs/fabrique/internal/postgres"
)

const usage = `fabrique — la plateforme de la Fabrique à communs des tiers-lieux

Usage:
  fabrique serve                          apply pending migrations, then serve on $ADDR (:8080)
  fabrique migrate up|down|status         manage the database schema
  fabrique user create --email E --name N [--role contributor|coordinator]
                                          create an account; the password is read from stdin
  fabrique seed demo                      load the demo data (idempotent) and print the accounts
  fabrique seed bench --challenges N      synthetic data at scale, for make bench (--force on a non-empty database)

Environment:
  DATABASE_URL  postgres://postgres@127.0.0.1:5432/fabrique?sslmode=disable by default
  ADDR          listen address, :8080 by default
  BASE_URL      public URL (https:// makes cookies Secure)
  LOG_FORMAT    text (default) or json
  DB_MAX_CONNS  PostgreSQL connections of serve's pool, 4 per CPU (at most 32) by default
  MIGRATE_DATABASE_URL  the schema owner's, when the app's role owns nothing: migrations
                are applied with it (serve, migrate, seed demo), the app serves with
                DATABASE_URL (docs/deploy-roles.sql)
  SMTP_URL      smtp://[user:pass@]host:port (STARTTLS when offered) or smtps://… (TLS);
                empty: no e-mail leaves, they are kept and shown at /coordination/courriels
  MAIL_FROM     the e-mails' sender, "Fabrique à communs <ne-pas-repondre@BASE_URL's host>"
                by default
  TRUSTED_PROXIES  reverse proxies (comma-separated CIDRs) whose X-Forwarded-For/-Proto are believed
  PUBLISHER_NAME, PUBLISHER_ADDRESS, PUBLISHER_ID, PUBLISHER_PHONE, PUBLISHER_EMAIL,
  PUBLISHER_DIRECTOR, HOSTING_NAME, HOSTING_ADDRESS, HOSTING_PHONE
                who publishes and hosts the site, for /mentions-legales, /donnees-personnelles
                and /accessibilite; each one left empty shows a placeholder naming it
`

// defaultDatabaseURL matches scripts/db.sh's first choice.
const defaultDatabaseURL = "postgres://postgres@127.0.0.1:5432/fabrique?sslmode=disable"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout)
	stop()
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "fabrique:", err)
		os.Exit(1)
	}
}

func getenv(key, fallback string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return fallback
}

func newLogger() *slog.Logger {
	if os.Getenv("LOG_FORMAT") == "json" {
		return slog.New(slog.NewJSONHandler(os.Stderr, nil))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, nil))
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, usage)
		return nil
	}
	logger := newLogger()
	slog.SetDefault(logger)
	dbURL := getenv("DATABASE_URL", defaultDatabaseURL)

	switch args[0] {
	case "serve":
		return serve(ctx, dbURL, logger)
	case "migrate":
		if len(args) != 2 {
			return errors.New("usage: fabrique migrate up|down|status")
		}
		return migrate(ctx, getenv("MIGRATE_DATABASE_URL", dbURL), args[1], stdout, logger)
	case "user":
		if len(args) < 2 || args[1] != "create" {
			return errors.New("usage: fabrique user create --email E --name N [--role R]")
		}
		return createUser(ctx, dbURL, args[2:], stdin, stdout)
	case "seed":
		if len(args) < 2 {
			return errors.New("usage: fabrique seed demo | fabrique seed bench --challenges N")
		}
		switch args[1] {
		case "demo":
			return seedDemo(ctx, dbURL, stdout, logger)
		case "bench":
			return benchdata.Command(ctx, dbURL, args[2:], stdout, logger)
		}
		return fmt.Errorf("unknown seed %q", args[1])
	}
	fmt.Fprint(os.Stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}

func serve(ctx context.Context, dbURL string, logger *slog.Logger) error {
	var maxConns int32 // 0: app.DefaultMaxConns
	if v := os.Getenv("DB_MAX_CONNS"); v != "" {
		n, err := strconv.ParseInt(v, 10, 32)
		if err != nil || n < 1 {
			return fmt.Errorf("DB_MAX_CONNS=%q: want a number of connections, 1 or more", v)
		}
		maxConns = int32(n)
	}
	var ttl time.Duration // 0: the app's default
	if v := os.Getenv("PAGE_CACHE_TTL"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			return fmt.Errorf("PAGE_CACHE_TTL=%q: want a duration such as 2s, or 0 to turn the page cache off", v)
		}
		ttl = d
		if d == 0 {
			ttl = -1
		}
	}
	a, err := app.New(ctx, app.Config{
		DatabaseURL:    dbURL,
		Addr:           getenv("ADDR", ":8080"),
		MetricsAddr:    os.Getenv("METRICS_ADDR"),
		S3URL:          os.Getenv("S3_URL"),
		BaseURL:        os.Getenv("BASE_URL"),
		Logger:         logger,
		MaxConns:       maxConns,
		PageCacheTTL:   ttl,
		TrustedProxies: os.Getenv("TRUSTED_PROXIES"),
		// The schema owner applies migrations; DATABASE_URL's role may own nothing.
		MigrateDatabaseURL: os.Getenv("MIGRATE_DATABASE_URL"),
		Publisher:          publisherFromEnv(),
		SMTPURL:            strings.TrimSpace(os.Getenv("SMTP_URL")),
		MailFrom:           strings.TrimSpace(os.Getenv("MAIL_FROM")),
	})
	if err != nil {
		return err
	}
	defer a.Close()
	logger.Info("serving", "addr", a.Addr(), "url", a.URL())
	return a.Run(ctx)
}

// publisherFromEnv reads who publishes and hosts the site, for the legal pages.
func publisherFromEnv() app.Publisher {
	get := func(key string) string { return strings.TrimSpace(os.Getenv(key)) }
	return app.Publisher{
		Name:        get("PUBLISHER_NAME"),
		Address:     get("PUBLISHER_ADDRESS"),
		ID:          get("PUBLISHER_ID"),
		Phone:       get("PUBLISHER_PHONE"),
		Email:       get("PUBLISHER_EMAIL"),
		Director:    get("PUBLISHER_DIRECTOR"),
		HostName:    get("HOSTING_NAME"),
		HostAddress: get("HOSTING_ADDRESS"),
		HostPhone:   get("HOSTING_PHONE"),
	}
}

// openStore opens the store; with apply it first applies pending migrations, else it
// refuses a schema this binary does not match.
func openStore(ctx context.Context, dbURL string, apply bool, logger *slog.Logger) (*postgres.DB, error) {
	db, err := postgres.Open(ctx, dbURL, postgres.Options{MaxConns: 4})
	if err != nil {
		return nil, err
	}
	if apply {
		err = postgres.Migrate(ctx, db, os.Getenv("MIGRATE_DATABASE_URL"), logger)
	} else {
		err = postgres.CheckSchema(ctx, db, logger)
	}
	if err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func migrate(ctx context.Context, dbURL, cmd string, stdout io.Writer, logger *slog.Logger) error {
	db, err := postgres.Open(ctx, dbURL, postgres.Options{MaxConns: 2})
	if err != nil {
		return err
	}
	defer db.Close()
	m, err := postgres.NewMigrator(db, logger)
	if err != nil {
		return err
	}
	defer m.Close()
	switch cmd {
	case "up":
		return m.Up(ctx)
	case "down":
		return m.Down(ctx)
	case "status":
		st, err := m.Status(ctx)
		if err != nil {
			return err
		}
		for _, s := range st {
			applied := "pending"
			if s.State == "applied" {
				applied = "applied " + s.AppliedAt.Format("2006-01-02 15:04:05")
			}
			fmt.Fprintf(stdout, "%-30s %s\n", s.Source.Path, applied)
		}
		return nil
	}
	return fmt.Errorf("unknown migrate command %q (up, down, status)", cmd)
}

func createUser(ctx context.Context, dbURL string, args []string, stdin io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("user create", flag.ContinueOnError)
	email := fs.String("email", "", "email address")
	name := fs.String("name", "", "display name")
	role := fs.String("role", fabrique.RoleContributor, "contributor or coordinator")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if !fabrique.ValidRole(*role) {
		return fmt.Errorf("unknown role %q (contributor, coordinator)", *role)
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("read password: %w", err)
	}
	form := fabrique.SignUp{DisplayName: *name, Email: *email, Password: strings.TrimRight(line, "\r\n")}
	form.Normalize()
	if err := form.Validate(); err != nil {
		var msgs []string
		for field, msg := range fabrique.ErrorFields(err) {
			msgs = append(msgs, field+": "+msg)
		}
		return fmt.Errorf("invalid account: %s", strings.Join(msgs, "; "))
	}
	db, err := openStore(ctx, dbURL, false, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	hash, err := password.Hash(form.Password, password.Default)
	if err != nil {
		return err
	}
	u := &fabrique.User{Email: form.Email, DisplayName: form.DisplayName, PasswordHash: hash, Role: *role}
	if err := db.CreateUser(ctx, u); err != nil {
		if f := fabrique.ErrorFields(err); f["email"] != "" {
			return fmt.Errorf("%s", f["email"])
		}
		return err
	}
	fmt.Fprintf(stdout, "Compte créé : %s <%s>, rôle %s (id %d)\n", u.DisplayName, u.Email, u.Role, u.ID)
	return nil
}

func seedDemo(ctx context.Context, dbURL string, stdout io.Writer, logger *slog.Logger) error {
	db, err := openStore(ctx, dbURL, true, logger)
	if err != nil {
		return err
	}
	defer db.Close()
	// The demo's story is raw SQL: on a pool of its own, not the store's.
	pool, err := pgxpool.New(ctx, dbURL)
	if err != nil {
		return fmt.Errorf("seed demo: %w", err)
	}
	defer pool.Close()
	accounts, err := demo.Demo(ctx, db, pool)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, "Données de démonstration chargées. Comptes :")
	demo.PrintAccounts(stdout, accounts)
	return nil
}

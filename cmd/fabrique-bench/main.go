// Command fabrique-bench is `make bench`: it prepares a bench database (fabrique_bench on
// the server of DATABASE_URL, loaded by `fabrique seed bench` unless it already holds
// that many défis), runs the app in this process, drives its main pages and a write mix
// with the load generator of internal/loadtest, measures the ceiling — Go's net/http
// serving each page's very bytes from memory, driven the same way — and prints the table
// it also writes to docs/bench.md, with the machine it ran on.
package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/fabrique-a-communs/fabrique/internal/app"
	"github.com/fabrique-a-communs/fabrique/internal/benchdata"
	"github.com/fabrique-a-communs/fabrique/internal/loadtest"
	"github.com/fabrique-a-communs/fabrique/internal/postgres"
)

// Targets of issues 6 and 16, printed next to each figure; benchmarks, not tests:
// nothing fails.
const (
	targetCeilingShare = 0.25
	targetP99          = 20 * time.Millisecond
	targetMemory       = 150 << 20
	targetAloneP50     = 3 * time.Millisecond  // one request alone, a logged-in person's page
	targetWriteP99     = 50 * time.Millisecond // a write at the load's connections
)

const defaultDatabaseURL = "postgres://postgres@127.0.0.1:5432/fabrique?sslmode=disable"

type options struct {
	serverURL   string
	dbName      string
	challenges  int
	reseed      bool
	conns       int
	duration    time.Duration
	warmup      time.Duration
	maxRequests uint64
	pool        int
	out         string
	only        map[string]bool
	profileDir  string
	prepareOnly bool
	pageCache   time.Duration // the app's page cache TTL; 0: off
	alone       time.Duration // measured time of each logged-in page alone (1 connection); 0: not measured
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout)
	stop()
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "fabrique-bench:", err)
		os.Exit(1)
	}
}

func envInt(key string, fallback int) int {
	if v, err := strconv.Atoi(os.Getenv(key)); err == nil && v > 0 {
		return v
	}
	return fallback
}

func parseFlags(args []string, stdout io.Writer) (*options, error) {
	o := &options{}
	fs := flag.NewFlagSet("fabrique-bench", flag.ContinueOnError)
	fs.SetOutput(stdout)
	url := os.Getenv("DATABASE_URL")
	if url == "" {
		url = defaultDatabaseURL
	}
	fs.StringVar(&o.serverURL, "database-url", url, "a database URL of the PostgreSQL server to use ($DATABASE_URL)")
	fs.StringVar(&o.dbName, "db", "fabrique_bench", "the bench database on that server, created and loaded if needed")
	fs.IntVar(&o.challenges, "challenges", envInt("BENCH_CHALLENGES", benchdata.DefaultChallenges), "défis in the bench database ($BENCH_CHALLENGES)")
	fs.BoolVar(&o.reseed, "reseed", false, "drop the bench database and load it again")
	fs.IntVar(&o.conns, "conns", loadtest.DefaultConns, "concurrent connections")
	fs.DurationVar(&o.duration, "duration", loadtest.DefaultDuration, "measured time of each scenario")
	fs.DurationVar(&o.warmup, "warmup", time.Second, "unmeasured load before each scenario")
	fs.DurationVar(&o.alone, "alone", 2*time.Second, "measured time of each logged-in page asked by one connection alone (0: not measured)")
	fs.Uint64Var(&o.maxRequests, "max-requests", 2_000_000, "a scenario stops after this many requests")
	fs.IntVar(&o.pool, "pool", 0, "the app's PostgreSQL pool size (0: the app's default)")
	fs.StringVar(&o.out, "out", "docs/bench.md", "write the results there (\"\": only print them)")
	only := fs.String("only", "", "comma-separated scenarios to run ("+strings.Join(scenarioNames, ",")+"); all by default")
	fs.DurationVar(&o.pageCache, "page-cache", app.DefaultPageCacheTTL, "TTL of the app's page cache (0: off, and each page is measured once, built for each request)")
	fs.StringVar(&o.profileDir, "profile", "", "write a CPU and a heap profile of the app per scenario into this folder")
	fs.BoolVar(&o.prepareOnly, "prepare-only", false, "only prepare the bench database (the benchmark runs it in a child process)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if o.challenges <= 0 || o.conns <= 0 || o.duration <= 0 {
		return nil, errors.New("-challenges, -conns and -duration must be positive")
	}
	if *only != "" {
		o.only = map[string]bool{}
		for _, s := range strings.Split(*only, ",") {
			s = strings.TrimSpace(s)
			if !contains(scenarioNames, s) {
				return nil, fmt.Errorf("unknown scenario %q (%s)", s, strings.Join(scenarioNames, ", "))
			}
			o.only[s] = true
		}
	}
	return o, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	o, err := parseFlags(args, stdout)
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(&limitedWriter{w: os.Stderr, lines: 30}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	benchURL, maintURL, err := databaseURLs(o.serverURL, o.dbName)
	if err != nil {
		return err
	}
	if o.prepareOnly {
		_, err := prepare(ctx, o, benchURL, maintURL, stdout, logger)
		return err
	}
	seeding, err := prepareApart(ctx, o, benchURL, maintURL, stdout, logger)
	if err != nil {
		return err
	}

	queries := &loadtest.QueryCounter{}
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	cacheTTL := o.pageCache
	if cacheTTL <= 0 {
		cacheTTL = -1 // off
	}
	sql, err := openPool(ctx, benchURL)
	if err != nil {
		return err
	}
	defer sql.Close()
	poolSize := int32(o.pool)
	if poolSize <= 0 {
		poolSize = app.DefaultMaxConns()
	}
	a, err := app.New(runCtx, app.Config{DatabaseURL: benchURL, Addr: "127.0.0.1:0", Logger: logger,
		MaxConns: poolSize, Tracer: queries, PageCacheTTL: cacheTTL})
	if err != nil {
		return err
	}
	served := make(chan error, 1)
	go func() { served <- a.Run(runCtx) }()
	defer func() {
		cancel()
		<-served
		a.Close()
	}()

	for deadline := time.Now().Add(10 * time.Second); o.pageCache > 0 && !a.Server.PageCacheListening(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			return errors.New("the page cache does not listen for changes after 10 s")
		}
	}
	m := collectMachine(ctx, sql)
	m.Pool = int(poolSize)
	fmt.Fprintf(stdout, "\nApp on %s (pool of %d connections), %d connections × %s per scenario (+%s warm-up).\n\n",
		a.URL(), m.Pool, o.conns, o.duration, o.warmup)
	b := &bench{o: o, app: a, sql: sql, queries: queries, client: loadtest.NewClient(o.conns, loadtest.DefaultTimeout), out: stdout}
	rows, err := b.runAll(ctx)
	if err != nil {
		return err
	}
	m.PeakRSS = loadtest.PeakRSS()
	report := render(o, m, seeding, rows)
	fmt.Fprintln(stdout)
	fmt.Fprint(stdout, report.table)
	fmt.Fprintf(stdout, "\nPeak RSS of the process over the whole run (logins included): %s.\n", mb(m.PeakRSS))
	if o.out != "" {
		if err := os.MkdirAll(filepath.Dir(o.out), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(o.out, []byte(report.doc), 0o644); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Written to %s.\n", o.out)
	}
	return nil
}

// openPool opens the bench's own pool on the bench database, for its raw SQL (picking
// targets, counting, cleaning up after the writes, VACUUM): the app's pool stays inside
// its store. Two connections: the bench sends one query at a time.
func openPool(ctx context.Context, dbURL string) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(dbURL)
	if err != nil {
		return nil, err
	}
	cfg.MaxConns = 2
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open the bench's pool: %w", err)
	}
	return pool, nil
}

// databaseURLs returns the URL of the bench database and of the server's maintenance
// database, from any database URL of that server.
func databaseURLs(serverURL, dbName string) (bench, maint string, err error) {
	u, err := url.Parse(serverURL)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return "", "", fmt.Errorf("DATABASE_URL must be a postgres:// URL, got %q", serverURL)
	}
	if h := u.Hostname(); h != "127.0.0.1" && h != "localhost" && h != "::1" && h != "" {
		return "", "", fmt.Errorf("the bench runs on this machine only: the database server %q is not local", h)
	}
	b, m := *u, *u
	b.Path, m.Path = "/"+dbName, "/postgres"
	return b.String(), m.String(), nil
}

// seedInfo is how the bench database was prepared.
type seedInfo struct {
	Loaded        bool          // loaded by this run (else reused)
	Elapsed       time.Duration // of the whole preparation, when loaded
	Challenges    int64
	Contributions int64
	Movements     int64
	Comment       string // how and when it was loaded, kept as the database's comment
}

// prepareApart prepares the bench database in a child process (this program with
// -prepare-only) when it is not ready: loading 10 000 défis takes a few hundred MB,
// which would stay in this process's memory figures and its peak RSS.
func prepareApart(ctx context.Context, o *options, benchURL, maintURL string, stdout io.Writer, logger *slog.Logger) (seedInfo, error) {
	if !o.reseed {
		info, ready, err := readyState(ctx, o, benchURL, maintURL, logger)
		if err != nil || ready {
			if ready {
				fmt.Fprintf(stdout, "Bench database %s already holds %d défis of seed bench: reused (-reseed to load it again).\n", o.dbName, info.Challenges)
			}
			return info, err
		}
	}
	exe, err := os.Executable()
	if err != nil {
		return seedInfo{}, err
	}
	args := []string{"-prepare-only", "-database-url", o.serverURL, "-db", o.dbName, "-challenges", strconv.Itoa(o.challenges)}
	if o.reseed {
		args = append(args, "-reseed")
	}
	cmd := exec.CommandContext(ctx, exe, args...)
	cmd.Stdout, cmd.Stderr = stdout, os.Stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return seedInfo{}, fmt.Errorf("prepare the bench database: %w", err)
	}
	elapsed := time.Since(start)
	info, ready, err := readyState(ctx, o, benchURL, maintURL, logger)
	if err != nil {
		return seedInfo{}, err
	}
	if !ready {
		return seedInfo{}, fmt.Errorf("the bench database %s is not ready after loading it", o.dbName)
	}
	info.Loaded, info.Elapsed = true, elapsed
	return info, nil
}

// readyState tells whether the bench database exists and holds exactly o.challenges
// défis of seed bench, loaded by this version of the generator, and what it holds.
func readyState(ctx context.Context, o *options, benchURL, maintURL string, logger *slog.Logger) (seedInfo, bool, error) {
	maint, err := pgx.Connect(ctx, maintURL)
	if err != nil {
		return seedInfo{}, false, fmt.Errorf("connect to the server: %w", err)
	}
	var info seedInfo
	err = maint.QueryRow(ctx, `SELECT coalesce(shobj_description(oid, 'pg_database'), '') FROM pg_database WHERE datname = $1`,
		o.dbName).Scan(&info.Comment)
	maint.Close(ctx)
	if errors.Is(err, pgx.ErrNoRows) {
		return seedInfo{}, false, nil
	} else if err != nil {
		return seedInfo{}, false, err
	}
	if err := migrate(ctx, benchURL, logger); err != nil {
		return seedInfo{}, false, err
	}
	pool, err := openPool(ctx, benchURL)
	if err != nil {
		return seedInfo{}, false, err
	}
	defer pool.Close()
	var seeded bool
	err = pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM challenges), EXISTS (SELECT 1 FROM users WHERE email = $1),
		(SELECT count(*) FROM contributions), (SELECT count(*) FROM ledger_transactions)`,
		benchdata.CoordinatorEmail).Scan(&info.Challenges, &seeded, &info.Contributions, &info.Movements)
	if err != nil {
		return seedInfo{}, false, err
	}
	return info, seeded && info.Challenges == int64(o.challenges) && strings.Contains(info.Comment, dataTag()), nil
}

// dataTag marks, in the bench database's comment, the version of the data it was loaded
// with: a database of an older generator is loaded again.
func dataTag() string { return fmt.Sprintf("data version %d", benchdata.DataVersion) }

// prepare makes sure the bench database exists, is migrated, and holds exactly
// o.challenges défis of `seed bench`; otherwise it drops it and loads it again.
func prepare(ctx context.Context, o *options, benchURL, maintURL string, stdout io.Writer, logger *slog.Logger) (seedInfo, error) {
	maint, err := pgx.Connect(ctx, maintURL)
	if err != nil {
		return seedInfo{}, fmt.Errorf("connect to the server: %w", err)
	}
	defer maint.Close(ctx)
	ident := pgx.Identifier{o.dbName}.Sanitize()
	if !o.reseed {
		if info, ready, err := readyState(ctx, o, benchURL, maintURL, logger); err != nil || ready {
			return info, err
		}
	}
	fmt.Fprintf(stdout, "Creating the bench database %s (dropped first if it exists).\n", o.dbName)
	if _, err := maint.Exec(ctx, `DROP DATABASE IF EXISTS `+ident+` WITH (FORCE)`); err != nil {
		return seedInfo{}, fmt.Errorf("drop %s: %w", o.dbName, err)
	}
	if _, err := maint.Exec(ctx, `CREATE DATABASE `+ident); err != nil {
		return seedInfo{}, fmt.Errorf("create %s: %w", o.dbName, err)
	}
	if err := migrate(ctx, benchURL, logger); err != nil {
		return seedInfo{}, err
	}
	pool, err := openPool(ctx, benchURL)
	if err != nil {
		return seedInfo{}, err
	}
	defer pool.Close()
	fmt.Fprintf(stdout, "Loading %d défis into %s (fabrique seed bench --challenges %d)…\n", o.challenges, o.dbName, o.challenges)
	rep, err := benchdata.Seed(ctx, pool, benchdata.Options{Challenges: o.challenges})
	if err != nil {
		return seedInfo{}, err
	}
	rep.Print(stdout)
	comment := fmt.Sprintf("fabrique seed bench --challenges %d, %s: loaded in %s on %s", o.challenges, dataTag(),
		rep.Total.Round(100*time.Millisecond), time.Now().Format("2006-01-02 15:04 MST"))
	if _, err := maint.Exec(ctx, `COMMENT ON DATABASE `+ident+` IS '`+strings.ReplaceAll(comment, "'", "''")+`'`); err != nil {
		return seedInfo{}, fmt.Errorf("comment on %s: %w", o.dbName, err)
	}
	return seedInfo{Loaded: true, Elapsed: rep.Total, Challenges: int64(o.challenges),
		Contributions: rep.Rows("contributions"), Movements: rep.Rows("ledger_transactions")}, nil
}

// migrate applies the pending migrations to the bench database, with the store.
func migrate(ctx context.Context, dbURL string, logger *slog.Logger) error {
	db, err := postgres.Open(ctx, dbURL, postgres.Options{MaxConns: 2})
	if err != nil {
		return err
	}
	defer db.Close()
	return postgres.Migrate(ctx, db, "", logger)
}

// limitedWriter passes the first lines of the app's log through, then drops the rest:
// under load a failing page would flood the terminal.
type limitedWriter struct {
	mu    sync.Mutex
	w     io.Writer
	lines int
}

func (l *limitedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.lines > 0 {
		l.lines -= bytes.Count(p, []byte("\n"))
		if l.lines <= 0 {
			p = append(p, "… further log lines dropped\n"...)
		}
		return l.w.Write(p)
	}
	return len(p), nil
}

// machine is what the figures ran on.
type machine struct {
	Uname, CPU, Memory, Go, Postgres, Load string
	Cores, Procs, Pool                     int
	PeakRSS                                uint64 // of the whole run, logins and ceilings included
	Date                                   time.Time
}

func collectMachine(ctx context.Context, sql *pgxpool.Pool) machine {
	m := machine{Cores: runtime.NumCPU(), Procs: runtime.GOMAXPROCS(0), Go: runtime.Version(), Date: time.Now()}
	if out, err := exec.CommandContext(ctx, "uname", "-a").Output(); err == nil {
		m.Uname = strings.TrimSpace(string(out))
	} else {
		m.Uname = runtime.GOOS + "/" + runtime.GOARCH
	}
	m.CPU = procField("/proc/cpuinfo", "model name")
	if kb := procField("/proc/meminfo", "MemTotal"); kb != "" {
		if n, err := strconv.ParseUint(strings.Fields(kb)[0], 10, 64); err == nil {
			m.Memory = mib(n * 1024)
		}
	}
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		m.Load = strings.Join(strings.Fields(string(b))[:3], " ")
	}
	_ = sql.QueryRow(ctx, `SELECT version()`).Scan(&m.Postgres)
	return m
}

// procField returns the value of the first "key: value" line of a /proc file.
func procField(path, key string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == key {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

func mib(b uint64) string { return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20)) }

// startProfile starts the CPU profile of a scenario when -profile is set; the returned
// function stops it and writes the heap profile.
func startProfile(dir, name string) (func(), error) {
	if dir == "" {
		return func() {}, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	f, err := os.Create(filepath.Join(dir, name+".cpu.pprof"))
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
		if h, err := os.Create(filepath.Join(dir, name+".heap.pprof")); err == nil {
			_ = pprof.WriteHeapProfile(h)
			h.Close()
		}
	}, nil
}

// Package benchdata loads synthetic data at the scale of the whole tiers-lieux movement
// into a bench database (`fabrique seed bench --challenges N`): N défis in every status,
// their teams, timelines and framings, tiers-lieux in every region, communs with their
// steps, calls for co-financing with pledges from hundreds of funders, about 20
// contributions per défi, and every movement of money that implies in the ledger — all
// consistent with the platform's rules, deterministic for a given N, and bulk-loaded
// with COPY in a few transactions.
package benchdata

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"text/tabwriter"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/fabrique-a-communs/fabrique/internal/password"
	"github.com/fabrique-a-communs/fabrique/internal/postgres"
)

// Accounts of the bench data: every account has Password; the coordinator's address is
// CoordinatorEmail, the others end in @bench.example.
const (
	Password         = "bench-password-2026"
	CoordinatorEmail = "coordination@bench.example"
)

// DefaultChallenges is the number of défis `seed bench` loads by default.
const DefaultChallenges = 10000

// Options say what to load.
type Options struct {
	Challenges int  // N, the number of défis (> 0)
	Force      bool // load even if the database already holds défis
}

// TableCount is the number of rows loaded into a table.
type TableCount struct {
	Table string
	Rows  int64
}

// Report is what Seed loaded and how long it took.
type Report struct {
	Counts   []TableCount
	Generate time.Duration // building the rows in memory
	Load     time.Duration // COPY and commits, the ledger checks included
	Analyze  time.Duration
	Total    time.Duration
}

// Rows returns the count of table, 0 when it is not in the report.
func (r *Report) Rows(table string) int64 {
	for _, c := range r.Counts {
		if c.Table == table {
			return c.Rows
		}
	}
	return 0
}

// Print writes the counts and timings, aligned.
func (r *Report) Print(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	for _, c := range r.Counts {
		fmt.Fprintf(tw, "%d\t %s\n", c.Rows, c.Table)
	}
	tw.Flush()
	fmt.Fprintf(w, "generated in %s, loaded in %s, analysed in %s: %s in all\n",
		r.Generate.Round(time.Millisecond), r.Load.Round(time.Millisecond),
		r.Analyze.Round(time.Millisecond), r.Total.Round(time.Millisecond))
}

// DataVersion numbers what the generator makes: raise it when the data changes, so that
// make bench loads its database again rather than measure the older data (2: the
// notifications, and the towns one défi in ten names).
const DataVersion = 2

// identityTables are the tables whose ids the load chooses, after those in use.
var identityTables = []string{
	"users", "places", "challenges", "challenge_status_changes", "challenge_framing_revisions", "commons",
	"steps", "calls", "ledger_accounts", "ledger_transactions", "ledger_entries", "seed_requests", "pledges",
	"contributions", "audit_log", "notifications",
}

// ErrNotEmpty refuses to load into a database that already holds défis without Force.
var ErrNotEmpty = errors.New("benchdata: the database already holds défis")

// Seed loads opt.Challenges défis and everything around them into the database of pool,
// whose schema must be current. pool is the caller's own, not the store's: the load is
// raw SQL and COPY. It refuses a database that holds défis unless opt.Force
// (ErrNotEmpty), and one already loaded by Seed in any case (its coordinator exists).
func Seed(ctx context.Context, pool *pgxpool.Pool, opt Options) (*Report, error) {
	if opt.Challenges <= 0 {
		return nil, fmt.Errorf("benchdata: %d défis asked, want at least 1", opt.Challenges)
	}
	start := time.Now()
	var existing int64
	var seeded bool
	if err := pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM challenges),
		EXISTS (SELECT 1 FROM users WHERE email = $1)`, CoordinatorEmail).Scan(&existing, &seeded); err != nil {
		return nil, fmt.Errorf("benchdata: look at the database: %w", err)
	}
	if seeded {
		return nil, fmt.Errorf("benchdata: bench data is already loaded (%s exists): use a fresh database", CoordinatorEmail)
	}
	if existing > 0 && !opt.Force {
		return nil, fmt.Errorf("%w (%d): seed bench is for a bench database; --force loads anyway", ErrNotEmpty, existing)
	}
	hash, err := password.Hash(Password, password.Default) // once: every account shares it
	if err != nil {
		return nil, fmt.Errorf("benchdata: hash password: %w", err)
	}
	last, taken, accounts, err := inUse(ctx, pool)
	if err != nil {
		return nil, err
	}
	g := newGen(opt.Challenges, hash, last, taken, accounts)
	g.generate()
	rep := &Report{Generate: time.Since(start)}

	loadStart := time.Now()
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("benchdata: acquire: %w", err)
	}
	defer conn.Release()
	for _, group := range g.groups() {
		counts, err := load(ctx, conn.Conn(), group)
		if err != nil {
			return nil, err
		}
		rep.Counts = append(rep.Counts, counts...)
	}
	rep.Load = time.Since(loadStart)
	analyzeStart := time.Now()
	// VACUUM too, not only ANALYZE: the visibility map lets counts use index-only scans,
	// as on a database that has lived a while (and autovacuum may be off).
	if _, err := conn.Exec(ctx, `VACUUM (ANALYZE)`); err != nil {
		return nil, fmt.Errorf("benchdata: analyze: %w", err)
	}
	rep.Analyze = time.Since(analyzeStart)
	rep.Total = time.Since(start)
	return rep, nil
}

// inUse reads what the data must not collide with: the last id of each table, the slugs
// taken, and the ledger accounts that exist (the outside world, the seed funds).
func inUse(ctx context.Context, pool *pgxpool.Pool) (map[string]int64, map[string]map[string]bool, map[accountKey]int64, error) {
	last := map[string]int64{}
	for _, t := range identityTables {
		var id int64
		err := pool.QueryRow(ctx, fmt.Sprintf(`SELECT greatest((SELECT coalesce(max(id), 0) FROM %[1]s),
			coalesce(pg_sequence_last_value(pg_get_serial_sequence('%[1]s', 'id')::regclass), 0))`, t)).Scan(&id)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("benchdata: last id of %s: %w", t, err)
		}
		last[t] = id
	}
	taken := map[string]map[string]bool{}
	for _, t := range []string{"challenges", "places", "commons", "calls"} {
		taken[t] = map[string]bool{}
		rows, err := pool.Query(ctx, `SELECT slug FROM `+t)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("benchdata: slugs of %s: %w", t, err)
		}
		slugs, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return nil, nil, nil, fmt.Errorf("benchdata: slugs of %s: %w", t, err)
		}
		for _, s := range slugs {
			taken[t][s] = true
		}
	}
	accounts := map[accountKey]int64{}
	rows, err := pool.Query(ctx, `SELECT id, kind, coalesce(year, 0) FROM ledger_accounts WHERE kind IN ('outside', 'seed_fund')`)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("benchdata: ledger accounts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var kind string
		var year int
		if err := rows.Scan(&id, &kind, &year); err != nil {
			return nil, nil, nil, fmt.Errorf("benchdata: ledger accounts: %w", err)
		}
		accounts[accountKey{kind, int64(year)}] = id
	}
	return last, taken, accounts, rows.Err()
}

// Command runs `fabrique seed bench [--challenges N] [--force]` on the database at dbURL:
// it applies pending migrations, loads the data and prints the counts and the time.
func Command(ctx context.Context, dbURL string, args []string, stdout io.Writer, logger *slog.Logger) error {
	fs := flag.NewFlagSet("seed bench", flag.ContinueOnError)
	fs.SetOutput(stdout)
	n := fs.Int("challenges", DefaultChallenges, "number of défis to load")
	force := fs.Bool("force", false, "load even if the database already holds défis")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("seed bench: unexpected argument %q", fs.Arg(0))
	}
	db, err := postgres.Open(ctx, dbURL, postgres.Options{MaxConns: 2})
	if err != nil {
		return err
	}
	defer db.Close()
	if err := postgres.Migrate(ctx, db, "", logger); err != nil {
		return err
	}
	pool, err := pgxpool.New(ctx, dbURL)
	if err != nil {
		return fmt.Errorf("seed bench: %w", err)
	}
	defer pool.Close()
	rep, err := Seed(ctx, pool, Options{Challenges: *n, Force: *force})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Données de bench chargées : %d défis (mot de passe de tous les comptes : %s ; coordination : %s)\n",
		*n, Password, CoordinatorEmail)
	rep.Print(stdout)
	total, err := db.LedgerTotal(ctx)
	if err != nil {
		return err
	}
	if total != 0 {
		return fmt.Errorf("seed bench: the ledger sums to %d cents, want 0", total)
	}
	return nil
}

package benchdata_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/fabrique-a-communs/fabrique/internal/app"
	"github.com/fabrique-a-communs/fabrique/internal/benchdata"
	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/pgtest"
	"github.com/fabrique-a-communs/fabrique/internal/postgres"
)

const n = 200

// seeded loads N défis into a fresh database and returns its URL, the store, the test's
// own pool on it (the load's raw SQL and the checks go through it), and the report.
func seeded(t *testing.T) (string, *postgres.DB, *pgxpool.Pool, *benchdata.Report) {
	t.Helper()
	url := pgtest.URL(t)
	db, pool := pgtest.Open(t, url, postgres.Options{MaxConns: 4}), pgtest.Pool(t, url)
	rep, err := benchdata.Seed(context.Background(), pool, benchdata.Options{Challenges: n})
	if err != nil {
		t.Fatalf("Seed: %v", err)
	}
	return url, db, pool, rep
}

func count(t *testing.T, pool *pgxpool.Pool, sql string, args ...any) int64 {
	t.Helper()
	var c int64
	if err := pool.QueryRow(context.Background(), sql, args...).Scan(&c); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return c
}

func TestSeedIsConsistent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, db, pool, rep := seeded(t)

	// Counts, in proportion to N.
	for _, c := range []struct {
		table    string
		min, max int64
	}{
		{"challenges", n, n},
		{"users", n/2 + 1, n/2 + 1},
		{"places", n / 3, n / 3},
		{"commons", n / 20, n / 20},
		{"calls", 5, 5},
		{"contributions", 20 * n * 7 / 10, 20 * n * 13 / 10},
		{"funders", 30, n / 2},
		{"pledges", 100, 1000},
		{"steps", n / 20, 4 * n / 20},
	} {
		got := count(t, pool, `SELECT count(*) FROM `+c.table)
		if got < c.min || got > c.max {
			t.Errorf("%s: got %d rows, want %d to %d", c.table, got, c.min, c.max)
		}
		if r := rep.Rows(c.table); r != got {
			t.Errorf("%s: report says %d rows, the table holds %d", c.table, r, got)
		}
	}
	if got := count(t, pool, `SELECT count(DISTINCT region) FROM places`); got != int64(len(fabrique.Regions)) {
		t.Errorf("regions with places: got %d, want %d", got, len(fabrique.Regions))
	}
	for _, s := range fabrique.Statuses {
		if got := count(t, pool, `SELECT count(*) FROM challenges WHERE status = $1`, string(s)); got == 0 {
			t.Errorf("no défi in status %s", s)
		}
	}
	for _, s := range []string{"declaree", "validee", "payee", "refusee"} {
		if got := count(t, pool, `SELECT count(*) FROM contributions WHERE state = $1`, s); got == 0 {
			t.Errorf("no contribution %s", s)
		}
	}
	for _, s := range []string{"promise", "confirmee", "annulee", "expiree"} {
		if got := count(t, pool, `SELECT count(*) FROM pledges WHERE state = $1`, s); got == 0 {
			t.Errorf("no pledge %s", s)
		}
	}

	// The ledger sums to zero, and no account ever went below zero but the outside world.
	total, err := db.LedgerTotal(ctx)
	if err != nil || total != 0 {
		t.Errorf("LedgerTotal: got %d, %v; want 0", total, err)
	}
	if got := count(t, pool, `
		SELECT count(*) FROM (
		  SELECT a.kind, sum(e.amount) OVER (PARTITION BY a.id ORDER BY t.occurred_on, t.id) AS running
		  FROM ledger_entries e JOIN ledger_accounts a ON a.id = e.account_id JOIN ledger_transactions t ON t.id = e.transaction_id
		) x WHERE kind <> 'outside' AND running < 0`); got != 0 {
		t.Errorf("balances below zero at some date: got %d, want 0", got)
	}

	checks := []struct{ what, sql string }{
		{"défis whose last status change is not their status", `
			SELECT count(*) FROM challenges c WHERE c.status <> (
			  SELECT s.to_status FROM challenge_status_changes s WHERE s.challenge_id = c.id ORDER BY s.created_at DESC, s.id DESC LIMIT 1)`},
		{"timelines not starting from nothing to identifie", `
			SELECT count(*) FROM challenges c WHERE (
			  SELECT coalesce(s.from_status, '') || '>' || s.to_status FROM challenge_status_changes s
			  WHERE s.challenge_id = c.id ORDER BY s.created_at, s.id LIMIT 1) <> '>identifie'`},
		{"status changes whose from is not the previous to", `
			SELECT count(*) FROM (SELECT from_status, lag(to_status) OVER (PARTITION BY challenge_id ORDER BY created_at, id) AS prev
			                      FROM challenge_status_changes) x WHERE x.prev IS NOT NULL AND x.prev IS DISTINCT FROM x.from_status`},
		{"moves to développement or clos not made by a coordinator", `
			SELECT count(*) FROM challenge_status_changes s JOIN users u ON u.id = s.user_id
			WHERE s.to_status IN ('developpement', 'clos') AND u.role <> 'coordinator'`},
		{"défis past identifie with fewer than two members", `
			SELECT count(*) FROM challenges c WHERE c.id IN (SELECT challenge_id FROM challenge_status_changes WHERE to_status = 'equipe')
			AND (SELECT count(*) FROM challenge_members m WHERE m.challenge_id = c.id AND m.state IN ('accepted', 'left')) < 2`},
		{"défis with a porteur who is not their lead member", `
			SELECT count(*) FROM challenges c WHERE NOT EXISTS (
			  SELECT 1 FROM challenge_members m WHERE m.challenge_id = c.id AND m.user_id = c.lead_id AND m.role = 'lead' AND m.state = 'accepted')`},
		{"défis past préfiguration with an incomplete framing", `
			SELECT count(*) FROM challenges c WHERE c.id IN (SELECT challenge_id FROM challenge_status_changes WHERE to_status = 'prefiguration')
			AND NOT EXISTS (SELECT 1 FROM challenge_framings f WHERE f.challenge_id = c.id AND f.problems <> '' AND f.use_cases <> ''
			                AND f.existing_solutions <> '' AND f.approach <> '' AND f.next_steps <> '')`},
		{"défis in développement without their commun", `
			SELECT count(*) FROM challenges c WHERE c.status = 'developpement'
			AND NOT EXISTS (SELECT 1 FROM challenge_commons l WHERE l.challenge_id = c.id AND l.relation = 'origine')`},
		{"seed budgets over the ceiling", `
			SELECT count(*) FROM (SELECT challenge_id FROM seed_requests GROUP BY 1 HAVING sum(approved_amount) > 300000) x`},
		{"approved requests without their grant in the ledger", `
			SELECT count(*) FROM seed_requests r LEFT JOIN ledger_transactions t ON t.id = r.ledger_tx_id
			WHERE r.state = 'approved' AND (t.kind IS DISTINCT FROM 'seed_grant' OR t.amount <> r.approved_amount)`},
		{"défis whose validated and paid contributions pass their seed budget", `
			SELECT count(*) FROM challenges c WHERE
			  (SELECT coalesce(sum(k.amount), 0) FROM contributions k WHERE k.challenge_id = c.id AND k.commons_id IS NULL AND k.state IN ('validee', 'payee'))
			> (SELECT coalesce(sum(r.approved_amount), 0) FROM seed_requests r WHERE r.challenge_id = c.id)`},
		{"communs whose validated and paid contributions pass their funds received", `
			SELECT count(*) FROM commons m WHERE
			  (SELECT coalesce(sum(k.amount), 0) FROM contributions k WHERE k.commons_id = m.id AND k.state IN ('validee', 'payee'))
			> (SELECT coalesce(sum(e.amount) FILTER (WHERE e.amount > 0), 0) FROM ledger_entries e JOIN ledger_accounts a ON a.id = e.account_id
			   WHERE a.kind = 'commons_funds' AND a.commons_id = m.id)`},
		{"contributions validated by their author or by someone without the right", `
			SELECT count(*) FROM contributions k JOIN challenges c ON c.id = k.challenge_id JOIN users v ON v.id = k.validated_by
			WHERE k.validated_by = k.user_id OR (k.validated_by <> c.lead_id AND v.role <> 'coordinator')`},
		{"validated or paid contributions without a validator", `
			SELECT count(*) FROM contributions WHERE state IN ('validee', 'payee') AND validated_by IS NULL`},
		{"contributions by someone outside the team", `
			SELECT count(*) FROM contributions k WHERE NOT EXISTS (
			  SELECT 1 FROM challenge_members m WHERE m.challenge_id = k.challenge_id AND m.user_id = k.user_id AND m.state = 'accepted')`},
		{"paid contributions whose payment is not their amount out of the right account", `
			SELECT count(*) FROM contributions k LEFT JOIN ledger_transactions t ON t.id = k.ledger_tx_id
			LEFT JOIN ledger_entries e ON e.transaction_id = t.id AND e.amount < 0 LEFT JOIN ledger_accounts a ON a.id = e.account_id
			WHERE k.state = 'payee' AND (t.kind IS DISTINCT FROM 'payment' OR t.amount <> k.amount OR t.occurred_on <> k.paid_on
			  OR (k.commons_id IS NULL AND (a.kind <> 'seed_budget' OR a.challenge_id <> k.challenge_id))
			  OR (k.commons_id IS NOT NULL AND (a.kind <> 'commons_funds' OR a.commons_id <> k.commons_id)))`},
		{"contributions with a payee or a ledger movement but not paid", `
			SELECT count(*) FROM contributions WHERE state <> 'payee' AND (paid_by IS NOT NULL OR paid_on IS NOT NULL OR ledger_tx_id IS NOT NULL)`},
		{"confirmed pledges whose funds are not their amount into their commun", `
			SELECT count(*) FROM pledges p JOIN steps s ON s.id = p.step_id LEFT JOIN ledger_transactions t ON t.id = p.ledger_tx_id
			LEFT JOIN ledger_entries e ON e.transaction_id = t.id AND e.amount > 0 LEFT JOIN ledger_accounts a ON a.id = e.account_id
			WHERE p.state = 'confirmee' AND (t.kind IS DISTINCT FROM 'pledge' OR t.amount <> p.amount OR a.commons_id IS DISTINCT FROM s.commons_id)`},
		{"pledges whose kind is not their funder's", `
			SELECT count(*) FROM pledges p JOIN funders f ON f.user_id = p.user_id WHERE p.funder_kind <> f.kind`},
		{"pledges without a funder profile", `SELECT count(*) FROM pledges p WHERE NOT EXISTS (SELECT 1 FROM funders f WHERE f.user_id = p.user_id)`},
		{"pledges in a call their step is not part of", `
			SELECT count(*) FROM pledges p WHERE p.call_id IS NOT NULL
			AND NOT EXISTS (SELECT 1 FROM call_steps cs WHERE cs.call_id = p.call_id AND cs.step_id = p.step_id)`},
		{"promises left in a closed call", `
			SELECT count(*) FROM pledges p JOIN calls c ON c.id = p.call_id WHERE c.closed_at IS NOT NULL AND p.state = 'promise'`},
		{"calls whose matching pool was not funded with their pool", `
			SELECT count(*) FROM calls c WHERE c.pool <> (SELECT coalesce(sum(t.amount), 0) FROM ledger_transactions t
			WHERE t.kind = 'pool_funding' AND t.cause_id = c.id)`},
		{"seed funds that granted more than they received", `
			SELECT count(*) FROM (SELECT a.id FROM ledger_accounts a JOIN ledger_entries e ON e.account_id = a.id
			WHERE a.kind = 'seed_fund' GROUP BY a.id HAVING sum(e.amount) < 0) x`},
		{"challenge slugs that are not their title's", `SELECT count(*) FROM challenges WHERE slug !~ '^[a-z0-9]+(-[a-z0-9]+)*$'`},
		// Each decision on a contribution and each payment told its author, as the app does;
		// read, but for the last fortnight's.
		{"decided contributions and their authors' notifications, apart", `
			SELECT abs((SELECT count(*) FROM contributions WHERE state IN ('validee', 'payee', 'refusee')) -
			           (SELECT count(*) FROM notifications WHERE kind = 'contribution_decided'))
			     + abs((SELECT count(*) FROM contributions WHERE state = 'payee') -
			           (SELECT count(*) FROM notifications WHERE kind = 'contribution_paid'))`},
		{"notifications of another person than the contribution's author", `
			SELECT count(*) FROM notifications n WHERE NOT EXISTS (
			  SELECT 1 FROM contributions k WHERE k.user_id = n.user_id AND k.state <> 'declaree')`},
		{"notifications unread past a fortnight, or read before they were made", `
			SELECT count(*) FROM notifications
			WHERE (read_at IS NULL AND created_at < (SELECT max(created_at) FROM notifications) - interval '20 days')
			   OR read_at < created_at`},
		{"no unread notification", `SELECT (count(*) FILTER (WHERE read_at IS NULL) = 0)::int FROM notifications`},
	}
	for _, c := range checks {
		if got := count(t, pool, c.sql); got != 0 {
			t.Errorf("%s: got %d, want 0", c.what, got)
		}
	}

	// Slugs: each is its title's, made unique by a suffix as the store does.
	rows, err := pool.Query(ctx, `SELECT slug, title FROM challenges`)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for rows.Next() {
		var slug, title string
		if err := rows.Scan(&slug, &title); err != nil {
			t.Fatal(err)
		}
		if seen[slug] {
			t.Errorf("slug %q used twice", slug)
		}
		seen[slug] = true
		base, ok := fabrique.Slugify(title), false
		for k := 1; k < 10000 && !ok; k++ {
			ok = slug == base && k == 1 || slug == fabrique.SlugWithSuffix(base, k)
		}
		if !ok {
			t.Errorf("slug %q is not made from its title %q", slug, title)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}

	// A second load is refused; a database holding other défis too, unless forced.
	if _, err := benchdata.Seed(ctx, pool, benchdata.Options{Challenges: n}); err == nil {
		t.Error("a second Seed on the same database: got no error, want it refused")
	}
}

func TestSeedRefusesADatabaseWithDefis(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := pgtest.URL(t)
	db, pool := pgtest.Open(t, url, postgres.Options{}), pgtest.Pool(t, url)
	u := &fabrique.User{Email: "porteuse@example.org", DisplayName: "Porteuse", PasswordHash: "x"}
	if err := db.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateChallenge(ctx, fabrique.NewChallenge{Title: "Un outil de réservation", Summary: "Résumé", Problem: "Problème"}, u.ID); err != nil {
		t.Fatal(err)
	}
	_, err := benchdata.Seed(ctx, pool, benchdata.Options{Challenges: 20})
	if !errors.Is(err, benchdata.ErrNotEmpty) {
		t.Fatalf("Seed on a database with a défi: got %v, want ErrNotEmpty", err)
	}
	if got := count(t, pool, `SELECT count(*) FROM challenges`); got != 1 {
		t.Errorf("défis after a refused load: got %d, want 1", got)
	}
	// Forced, it loads beside the défi already there: the slug it takes is left alone.
	if _, err := benchdata.Seed(ctx, pool, benchdata.Options{Challenges: 20, Force: true}); err != nil {
		t.Fatalf("forced Seed: %v", err)
	}
	if got := count(t, pool, `SELECT count(*) FROM challenges`); got != 21 {
		t.Errorf("défis after a forced load: got %d, want 21", got)
	}
	if total, err := db.LedgerTotal(ctx); err != nil || total != 0 {
		t.Errorf("LedgerTotal: got %d, %v; want 0", total, err)
	}
	// The sequences moved past the loaded ids: the platform's own inserts still work.
	if _, err := db.CreateChallenge(ctx, fabrique.NewChallenge{Title: "Un outil de réservation", Summary: "Résumé", Problem: "Problème"}, u.ID); err != nil {
		t.Errorf("CreateChallenge after the load: %v", err)
	}
}

func TestSeedIsDeterministic(t *testing.T) {
	t.Parallel()
	digest := func() string {
		pool := pgtest.Pool(t, pgtest.URL(t))
		if _, err := benchdata.Seed(context.Background(), pool, benchdata.Options{Challenges: 60}); err != nil {
			t.Fatal(err)
		}
		var sum string
		err := pool.QueryRow(context.Background(), `SELECT md5(
			(SELECT string_agg(concat_ws(':', id, slug, status, lead_id, created_at), ',' ORDER BY id) FROM challenges) ||
			(SELECT string_agg(concat_ws(':', id, user_id, state, amount, ledger_tx_id), ',' ORDER BY id) FROM contributions) ||
			(SELECT string_agg(concat_ws(':', id, kind, amount, occurred_on), ',' ORDER BY id) FROM ledger_transactions) ||
			(SELECT string_agg(concat_ws(':', id, state, amount), ',' ORDER BY id) FROM pledges))`).Scan(&sum)
		if err != nil {
			t.Fatal(err)
		}
		return sum
	}
	if a, b := digest(), digest(); a != b {
		t.Errorf("two loads of 60 défis differ: %s, %s", a, b)
	}
}

// TestPagesAnswerOnBenchData runs the app on the loaded data: its pages answer, and a
// bench account logs in with the bench password.
func TestPagesAnswerOnBenchData(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url, _, pool, _ := seeded(t)
	runCtx, cancel := context.WithCancel(ctx)
	a, err := app.New(runCtx, app.Config{DatabaseURL: url, Addr: "127.0.0.1:0",
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), MaxConns: 4})
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- a.Run(runCtx) }()
	t.Cleanup(func() {
		cancel()
		<-done
		a.Close()
	})

	var paths []string
	for _, s := range fabrique.Statuses {
		var slug string
		if err := pool.QueryRow(ctx, `SELECT slug FROM challenges WHERE status = $1 ORDER BY id LIMIT 1`, string(s)).Scan(&slug); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, "/defis/"+slug)
	}
	var busiest, commons, place string
	if err := pool.QueryRow(ctx, `SELECT c.slug FROM challenges c JOIN contributions k ON k.challenge_id = c.id
		GROUP BY c.id ORDER BY count(*) DESC, c.id LIMIT 1`).Scan(&busiest); err != nil {
		t.Fatal(err)
	}
	if err := pool.QueryRow(ctx, `SELECT m.slug FROM commons m JOIN challenge_commons l ON l.commons_id = m.id
		GROUP BY m.id ORDER BY count(*) DESC, m.id LIMIT 1`).Scan(&commons); err != nil {
		t.Fatal(err)
	}
	if err := pool.QueryRow(ctx, `SELECT slug FROM places ORDER BY id LIMIT 1`).Scan(&place); err != nil {
		t.Fatal(err)
	}
	paths = append(paths, "/", "/defis", "/defis?q=outil", "/defis?statut=developpement&page=2", "/defis/"+busiest,
		"/defis/"+busiest+"/contributions", "/communs", "/communs/"+commons, "/tiers-lieux", "/tiers-lieux/"+place,
		"/transparence", "/transparence.csv", "/defis.atom")

	client := &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, p := range paths {
		res, err := client.Get(a.URL() + p)
		if err != nil {
			t.Fatalf("GET %s: %v", p, err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Errorf("GET %s: got status %d, want 200", p, res.StatusCode)
		}
	}
	// The pages of the calls are being built: they answer, or are not there yet.
	var call string
	if err := pool.QueryRow(ctx, `SELECT slug FROM calls ORDER BY id DESC LIMIT 1`).Scan(&call); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/cofinancement", "/cofinancement/" + call} {
		res, err := client.Get(a.URL() + p)
		if err != nil {
			t.Fatalf("GET %s: %v", p, err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK && res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: got status %d, want 200 (or 404 until the calls land)", p, res.StatusCode)
		}
	}

	// A team member logs in with the bench password.
	var email string
	if err := pool.QueryRow(ctx, `SELECT u.email FROM users u JOIN challenge_members m ON m.user_id = u.id
		WHERE m.state = 'accepted' AND u.role = 'contributor' ORDER BY u.id LIMIT 1`).Scan(&email); err != nil {
		t.Fatal(err)
	}
	for _, e := range []string{email, benchdata.CoordinatorEmail} {
		req, _ := http.NewRequest(http.MethodPost, a.URL()+"/connexion",
			strings.NewReader(urlValues("email", e, "password", benchdata.Password)))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", a.URL())
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusSeeOther {
			t.Errorf("login %s: got status %d, want 303", e, res.StatusCode)
		}
	}
}

func urlValues(kv ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v.Encode()
}

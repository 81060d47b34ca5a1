package demo_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/fabrique-a-communs/fabrique/internal/demo"
	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/password"
	"github.com/fabrique-a-communs/fabrique/internal/pgtest"
	"github.com/fabrique-a-communs/fabrique/internal/postgres"
)

var countedTables = []string{
	"users", "places", "place_members", "challenges", "challenge_members",
	"challenge_status_changes", "challenge_places", "commons", "challenge_commons",
	"challenge_framings", "challenge_framing_revisions",
	"commons_places", "seed_requests", "contributions", "ledger_transactions", "ledger_entries", "audit_log",
	"steps", "calls", "call_steps", "funders", "pledges",
}

func tableCounts(t *testing.T, pool *pgxpool.Pool) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, table := range countedTables {
		var n int
		if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM `+table).Scan(&n); err != nil {
			t.Fatalf("count %s: %v", table, err)
		}
		out[table] = n
	}
	return out
}

// newDB returns the store on a fresh database and the test's own pool on it.
func newDB(t *testing.T) (*postgres.DB, *pgxpool.Pool) {
	t.Helper()
	url := pgtest.URL(t)
	return pgtest.Open(t, url, postgres.Options{}), pgtest.Pool(t, url)
}

func TestDemo(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, pool := newDB(t)

	first, err := demo.Demo(ctx, db, pool)
	if err != nil {
		t.Fatalf("first Demo: %v", err)
	}
	before := tableCounts(t, pool)
	second, err := demo.Demo(ctx, db, pool)
	if err != nil {
		t.Fatalf("second Demo: %v", err)
	}
	after := tableCounts(t, pool)
	for _, table := range countedTables {
		if before[table] == 0 {
			t.Errorf("%s: no rows after the first run", table)
		}
		if before[table] != after[table] {
			t.Errorf("%s: %d rows after the first run, %d after the second", table, before[table], after[table])
		}
	}
	// A database loaded before framings existed gets them on the next run.
	if _, err := pool.Exec(ctx, `DELETE FROM challenge_framing_revisions; DELETE FROM challenge_framings`); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Demo(ctx, db, pool); err != nil {
		t.Fatalf("third Demo: %v", err)
	}
	for table, n := range tableCounts(t, pool) {
		if n != before[table] {
			t.Errorf("%s: %d rows after the first run, %d after framings were deleted and Demo ran again", table, before[table], n)
		}
	}
	if total, err := db.LedgerTotal(ctx); err != nil || total != 0 {
		t.Errorf("ledger total: got %d, %v; want 0", total, err)
	}
	// The demo's tiers-lieux are verified and its tiers-lieu pledges made by accepted
	// members, so its matching figures count them as before verification existed.
	var unverified, unmatchable, placePledges int
	if err := pool.QueryRow(ctx, `SELECT
	    (SELECT count(*) FROM places WHERE verified_at IS NULL),
	    (SELECT count(*) FROM pledges p WHERE p.funder_kind = 'tiers-lieu' AND NOT EXISTS (
	        SELECT 1 FROM places pl JOIN place_members m ON m.place_id = pl.id
	        WHERE pl.id = p.place_id AND pl.verified_at IS NOT NULL AND m.user_id = p.user_id)),
	    (SELECT count(*) FROM pledges WHERE funder_kind = 'tiers-lieu')`).Scan(&unverified, &unmatchable, &placePledges); err != nil {
		t.Fatal(err)
	}
	if unverified != 0 || unmatchable != 0 || placePledges == 0 {
		t.Errorf("demo: %d unverified places, %d of %d tiers-lieu pledges not matchable; want 0, 0 of some", unverified, unmatchable, placePledges)
	}
	var paid, validated int
	// One day paid as before invoices, one by its invoice; three validated, two billed.
	if err := pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE state = 'payee'), count(*) FILTER (WHERE state = 'validee') FROM contributions WHERE event_id IS NULL`).Scan(&paid, &validated); err != nil || paid != 2 || validated != 5 {
		t.Errorf("demo contributions: got %d paid, %d validated (%v); want 2, 5", paid, validated, err)
	}
	// Billing: the association named, profiles of the four kinds, statements of the CAE
	// contributor whose days reserve their VAT, invoices in every state, a waived expense
	// with its donation receipt and one waiting.
	var kinds, statements, withVAT, invoiceStates, receipts, waiting int
	if err := pool.QueryRow(ctx, `SELECT
	    (SELECT count(DISTINCT kind) FROM billing_profiles WHERE current),
	    (SELECT count(*) FROM statements),
	    (SELECT count(*) FROM contributions k JOIN statements s ON s.id = k.statement_id WHERE k.reserved = k.amount * 12 / 10),
	    (SELECT count(DISTINCT state) FROM invoices),
	    (SELECT count(*) FROM expenses WHERE waived AND receipt_number IS NOT NULL),
	    (SELECT count(*) FROM expenses WHERE state = 'declaree')`).
		Scan(&kinds, &statements, &withVAT, &invoiceStates, &receipts, &waiting); err != nil || kinds != 4 || statements != 4 || withVAT == 0 ||
		invoiceStates != 4 || receipts != 1 || waiting != 1 {
		t.Errorf("demo billing: %d kinds of profile, %d statements, %d days reserving VAT, %d invoice states, %d receipts, %d expenses waiting (%v); want 4, 4, some, 4, 1, 1",
			kinds, statements, withVAT, invoiceStates, receipts, waiting, err)
	}
	// The rendez-vous: a past session with its minutes and attendance, one to come with
	// people registered, a residency whose days were logged, one by someone outside the team.
	var past, upcoming, residencyDays, outsiders int
	if err := pool.QueryRow(ctx, `SELECT
	    (SELECT count(*) FROM events WHERE kind = 'ressources-et-vous' AND ends_at < now() AND minutes <> ''
	        AND EXISTS (SELECT 1 FROM event_registrations r WHERE r.event_id = events.id AND r.present)),
	    (SELECT count(*) FROM events WHERE kind = 'ressources-et-vous' AND starts_at > now()
	        AND EXISTS (SELECT 1 FROM event_registrations r WHERE r.event_id = events.id)),
	    (SELECT coalesce(sum(quarters), 0) FROM contributions WHERE event_id IS NOT NULL),
	    (SELECT count(DISTINCT k.user_id) FROM contributions k JOIN events e ON e.id = k.event_id
	      WHERE NOT EXISTS (SELECT 1 FROM challenge_members m WHERE m.challenge_id = k.challenge_id AND m.user_id = k.user_id AND m.state = 'accepted'))`).
		Scan(&past, &upcoming, &residencyDays, &outsiders); err != nil {
		t.Fatal(err)
	}
	if past != 1 || upcoming != 1 || residencyDays == 0 || outsiders == 0 {
		t.Errorf("demo rendez-vous: %d past with minutes, %d to come, %d residency quarters, %d outside the team", past, upcoming, residencyDays, outsiders)
	}
	if len(first) != len(second) || len(first) != before["users"] {
		t.Errorf("accounts: %d then %d, users: %d", len(first), len(second), before["users"])
	}

	t.Run("every status appears", func(t *testing.T) {
		for _, s := range fabrique.Statuses {
			var n int
			if err := pool.QueryRow(ctx, `SELECT count(*) FROM challenges WHERE status = $1`, string(s)).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n == 0 {
				t.Errorf("no défi in status %s", s)
			}
		}
	})

	t.Run("teams", func(t *testing.T) {
		rows, err := pool.Query(ctx, `
			SELECT c.slug, c.status,
			       count(*) FILTER (WHERE m.role = 'lead'),
			       count(*) FILTER (WHERE m.role = 'lead' AND m.state = 'accepted' AND m.user_id = c.lead_id),
			       count(*) FILTER (WHERE m.state = 'accepted')
			FROM challenges c LEFT JOIN challenge_members m ON m.challenge_id = c.id
			GROUP BY c.id ORDER BY c.slug`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var slug string
			var status fabrique.Status
			var leads, leadOK, accepted int
			if err := rows.Scan(&slug, &status, &leads, &leadOK, &accepted); err != nil {
				t.Fatal(err)
			}
			if leads != 1 || leadOK != 1 {
				t.Errorf("%s: %d leads, %d matching lead_id", slug, leads, leadOK)
			}
			if status != fabrique.StatusIdentified && accepted < 2 {
				t.Errorf("%s (%s): %d accepted members, want ≥ 2", slug, status, accepted)
			}
			if status == fabrique.StatusIdentified && accepted != 1 {
				t.Errorf("%s (%s): %d accepted members, want the porteur alone", slug, status, accepted)
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("timelines", func(t *testing.T) {
		rows, err := pool.Query(ctx, `
			SELECT c.slug, c.status, c.created_at, c.updated_at, s.from_status, s.to_status, s.created_at,
			       s.note, u.role
			FROM challenges c
			JOIN challenge_status_changes s ON s.challenge_id = c.id
			JOIN users u ON u.id = s.user_id
			ORDER BY c.slug, s.created_at, s.id`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		type last struct {
			status  string
			to      string
			updated time.Time
			at      time.Time
		}
		lasts := map[string]*last{}
		now := time.Now()
		for rows.Next() {
			var slug, status, to, note, role string
			var from *string
			var created, updated, at time.Time
			if err := rows.Scan(&slug, &status, &created, &updated, &from, &to, &at, &note, &role); err != nil {
				t.Fatal(err)
			}
			l, seen := lasts[slug]
			switch {
			case !seen && (from != nil || to != string(fabrique.StatusIdentified) || !at.Equal(created)):
				t.Errorf("%s: timeline starts %v → %s at %v, défi created %v", slug, from, to, at, created)
			case seen && (from == nil || *from != l.to || !at.After(l.at)):
				t.Errorf("%s: step %v → %s at %v follows %s at %v", slug, from, to, at, l.to, l.at)
			}
			if (to == string(fabrique.StatusDevelopment) || to == string(fabrique.StatusClosed)) && role != fabrique.RoleCoordinator {
				t.Errorf("%s: → %s recorded by a %s", slug, to, role)
			}
			if note == "" || at.After(now) {
				t.Errorf("%s: step → %s has an empty note or a future date (%v)", slug, to, at)
			}
			lasts[slug] = &last{status: status, to: to, updated: updated, at: at}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		if len(lasts) != before["challenges"] {
			t.Errorf("%d défis have a timeline, want %d", len(lasts), before["challenges"])
		}
		for slug, l := range lasts {
			if l.to != l.status {
				t.Errorf("%s: status %s, last change to %s", slug, l.status, l.to)
			}
			if !l.updated.Equal(l.at) {
				t.Errorf("%s: updated %v, last change %v", slug, l.updated, l.at)
			}
		}
	})

	t.Run("communs", func(t *testing.T) {
		for _, slug := range []string{"movilab", "cahier-d-activites", "dokos", "loot"} {
			var name, summary, description string
			err := pool.QueryRow(ctx, `SELECT name, summary, description FROM commons WHERE slug = $1`, slug).
				Scan(&name, &summary, &description)
			if err != nil {
				t.Errorf("commun %s: %v", slug, err)
			} else if summary == "" || description == "" {
				t.Errorf("commun %s: empty summary or description", slug)
			}
		}
		// Every défi in development answers to the commun it gave rise to.
		var orphans int
		err := pool.QueryRow(ctx, `
			SELECT count(*) FROM challenges c
			WHERE c.status = 'developpement' AND NOT EXISTS (
			  SELECT 1 FROM challenge_commons l WHERE l.challenge_id = c.id AND l.relation = 'origine')`).Scan(&orphans)
		if err != nil || orphans != 0 {
			t.Errorf("défis in development without an 'origine' commun: %d (%v)", orphans, err)
		}
	})

	t.Run("framings", func(t *testing.T) {
		rows, err := pool.Query(ctx, `
			SELECT c.slug,
			       EXISTS (SELECT 1 FROM challenge_status_changes s WHERE s.challenge_id = c.id AND s.to_status = 'prefiguration'),
			       f.challenge_id IS NOT NULL,
			       coalesce(f.problems, ''), coalesce(f.use_cases, ''), coalesce(f.actors, ''),
			       coalesce(f.existing_solutions, ''), coalesce(f.approach, ''), coalesce(f.next_steps, ''),
			       (SELECT count(*) FROM challenge_framing_revisions r WHERE r.challenge_id = c.id),
			       coalesce((SELECT r.problems = f.problems AND r.next_steps = f.next_steps AND r.created_at = f.updated_at
			                 AND r.user_id = f.updated_by
			                 FROM challenge_framing_revisions r WHERE r.challenge_id = c.id
			                 ORDER BY r.created_at DESC LIMIT 1), false),
			       coalesce(f.updated_at <= now(), true)
			FROM challenges c LEFT JOIN challenge_framings f ON f.challenge_id = c.id ORDER BY c.slug`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		framed := 0
		for rows.Next() {
			var slug string
			var reached, written, lastMatches, past bool
			var f fabrique.Framing
			var revisions int
			if err := rows.Scan(&slug, &reached, &written, &f.Problems, &f.UseCases, &f.Actors, &f.ExistingSolutions,
				&f.Approach, &f.NextSteps, &revisions, &lastMatches, &past); err != nil {
				t.Fatal(err)
			}
			if reached != written {
				t.Errorf("%s: reached préfiguration %v, framing written %v", slug, reached, written)
			}
			if !written {
				continue
			}
			framed++
			if !f.Complete() || f.Actors == "" {
				t.Errorf("%s: framing incomplete, missing %v", slug, f.Missing())
			}
			if revisions != 2 || !lastMatches || !past {
				t.Errorf("%s: %d revisions, last matches the framing %v, in the past %v; want 2, true, true", slug, revisions, lastMatches, past)
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		if framed == 0 {
			t.Error("no framing at all")
		}
	})

	t.Run("development", func(t *testing.T) {
		calls, err := db.Calls(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(calls) != 1 {
			t.Fatalf("%d calls, want 1", len(calls))
		}
		c := calls[0]
		today := time.Now()
		if c.Title != "Appel à communs 2026" || c.Phase(today) != "ouvert" && c.Phase(today.AddDate(0, 0, 1)) != "ouvert" {
			t.Errorf("call %q in phase %s, want «Appel à communs 2026» open", c.Title, c.Phase(today))
		}
		rule := fabrique.MatchRule{Percent: 100, Kinds: []string{"tiers-lieu"}, Cap: 5000_00, Pool: 10000_00}
		if c.Rule.Percent != rule.Percent || len(c.Rule.Kinds) != 1 || c.Rule.Kinds[0] != "tiers-lieu" || c.Rule.Cap != rule.Cap || c.Rule.Pool != rule.Pool {
			t.Errorf("call rule = %+v, want %+v", c.Rule, rule)
		}
		// Loot: 1 500 € from a tiers-lieu confirmed, 3 000 € from a fondation confirmed;
		// Dokos: 2 500 € confirmed (fondation), 1 000 € promised (tiers-lieu), 2 000 € promised (anonymous).
		for _, tc := range []struct {
			name string
			got  int64
			want int64
		}{
			{"steps", int64(c.Steps), 4},
			{"confirmed", c.Confirmed, 7000_00},
			{"promised", c.Promised, 3000_00},
			{"secured matching", c.MatchedSecured, 1500_00},
			{"projected matching", c.MatchedProjected, 2500_00},
		} {
			if tc.got != tc.want {
				t.Errorf("call %s: got %d, want %d", tc.name, tc.got, tc.want)
			}
		}
		var anonymous, places, foundations int
		if err := pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM pledges WHERE anonymous),
			(SELECT count(*) FROM funders WHERE kind = 'tiers-lieu' AND place_id IS NOT NULL),
			(SELECT count(*) FROM funders WHERE kind = 'fondation')`).Scan(&anonymous, &places, &foundations); err != nil {
			t.Fatal(err)
		}
		if anonymous != 1 || places != 1 || foundations != 1 {
			t.Errorf("got %d anonymous pledges, %d tiers-lieu and %d fondation funders; want 1, 1, 1", anonymous, places, foundations)
		}
		for slug, want := range map[string]int64{"loot": 4500_00, "dokos": 2500_00} {
			m, err := db.CommonsBySlug(ctx, slug)
			if err != nil {
				t.Fatal(err)
			}
			got, err := db.Balance(ctx, fabrique.AccountRef{Kind: fabrique.AccountCommonsFunds, CommonsID: m.ID})
			if err != nil || got != want {
				t.Errorf("funds of %s: got %d (%v), want %d", slug, got, err, want)
			}
			steps, err := db.CommonsSteps(ctx, m.ID)
			if err != nil || len(steps) != 2 {
				t.Errorf("steps of %s: got %d (%v), want 2", slug, len(steps), err)
			}
		}
	})

	t.Run("coordinator", func(t *testing.T) {
		var role, hash string
		err := pool.QueryRow(ctx, `SELECT role, password_hash FROM users WHERE email = $1`, demo.CoordinatorEmail).
			Scan(&role, &hash)
		if err != nil {
			t.Fatal(err)
		}
		if role != fabrique.RoleCoordinator {
			t.Errorf("coordinator role = %q", role)
		}
		if ok, err := password.Check(demo.DemoPassword, hash); !ok || err != nil {
			t.Errorf("password.Check = %v, %v", ok, err)
		}
		var found bool
		for _, a := range first {
			if a.Email == demo.CoordinatorEmail {
				found = a.Role == fabrique.RoleCoordinator && a.Password == demo.DemoPassword
			}
		}
		if !found {
			t.Errorf("the accounts do not list the coordinator: %+v", first)
		}
	})
}

// TestDemoReadyForDevelopment checks that the coordinator can move every demo défi in
// préfiguration to développement, its team and framing being complete.
func TestDemoReadyForDevelopment(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, pool := newDB(t)
	if _, err := demo.Demo(ctx, db, pool); err != nil {
		t.Fatal(err)
	}
	coord, err := db.UserByEmail(ctx, demo.CoordinatorEmail)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := pool.Query(ctx, `SELECT id, slug FROM challenges WHERE status = 'prefiguration' ORDER BY slug`)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		id   int64
		slug string
	}
	var list []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.slug); err != nil {
			t.Fatal(err)
		}
		list = append(list, r)
	}
	rows.Close()
	if len(list) == 0 {
		t.Fatal("no demo défi in préfiguration")
	}
	for _, r := range list {
		if err := db.ChangeStatus(ctx, r.id, coord, fabrique.StatusDevelopment, "Pertinence démontrée."); err != nil {
			t.Errorf("%s → développement: %v", r.slug, err)
		}
	}
}

func TestPrintAccounts(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	demo.PrintAccounts(&b, []demo.Account{
		{Email: "coordination@fabrique.example", Password: "pw-123456789", Role: fabrique.RoleCoordinator, Note: "coordination"},
		{Email: "a@demo.fabrique.example", Password: "pw-123456789", Role: fabrique.RoleContributor, Note: "porteuse du défi « X »"},
	})
	lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "E-mail") || !strings.Contains(lines[0], "Mot de passe") {
		t.Fatalf("table:\n%s", b.String())
	}
	// Columns are aligned: the password starts at the same rune offset on every line.
	col := strings.Index(lines[1], "pw-")
	if col < 0 || strings.Index(lines[2], "pw-") != col || !strings.Contains(lines[1], "coordinateur") {
		t.Errorf("misaligned table:\n%s", b.String())
	}
}

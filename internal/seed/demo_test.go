package seed_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/password"
	"github.com/fabrique-a-communs/fabrique/internal/pgtest"
	"github.com/fabrique-a-communs/fabrique/internal/postgres"
	"github.com/fabrique-a-communs/fabrique/internal/seed"
)

var countedTables = []string{
	"users", "places", "place_members", "challenges", "challenge_members",
	"challenge_status_changes", "challenge_places", "commons", "challenge_commons",
}

func tableCounts(t *testing.T, db *postgres.DB) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, table := range countedTables {
		var n int
		if err := db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM `+table).Scan(&n); err != nil {
			t.Fatalf("count %s: %v", table, err)
		}
		out[table] = n
	}
	return out
}

func TestDemo(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.New(t)

	first, err := seed.Demo(ctx, db)
	if err != nil {
		t.Fatalf("first Demo: %v", err)
	}
	before := tableCounts(t, db)
	second, err := seed.Demo(ctx, db)
	if err != nil {
		t.Fatalf("second Demo: %v", err)
	}
	after := tableCounts(t, db)
	for _, table := range countedTables {
		if before[table] == 0 {
			t.Errorf("%s: no rows after the first run", table)
		}
		if before[table] != after[table] {
			t.Errorf("%s: %d rows after the first run, %d after the second", table, before[table], after[table])
		}
	}
	if len(first) != len(second) || len(first) != before["users"] {
		t.Errorf("accounts: %d then %d, users: %d", len(first), len(second), before["users"])
	}

	t.Run("every status appears", func(t *testing.T) {
		for _, s := range fabrique.Statuses {
			var n int
			if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM challenges WHERE status = $1`, string(s)).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n == 0 {
				t.Errorf("no défi in status %s", s)
			}
		}
	})

	t.Run("teams", func(t *testing.T) {
		rows, err := db.Pool.Query(ctx, `
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
		rows, err := db.Pool.Query(ctx, `
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
			err := db.Pool.QueryRow(ctx, `SELECT name, summary, description FROM commons WHERE slug = $1`, slug).
				Scan(&name, &summary, &description)
			if err != nil {
				t.Errorf("commun %s: %v", slug, err)
			} else if summary == "" || description == "" {
				t.Errorf("commun %s: empty summary or description", slug)
			}
		}
		// Every défi in development answers to the commun it gave rise to.
		var orphans int
		err := db.Pool.QueryRow(ctx, `
			SELECT count(*) FROM challenges c
			WHERE c.status = 'developpement' AND NOT EXISTS (
			  SELECT 1 FROM challenge_commons l WHERE l.challenge_id = c.id AND l.relation = 'origine')`).Scan(&orphans)
		if err != nil || orphans != 0 {
			t.Errorf("défis in development without an 'origine' commun: %d (%v)", orphans, err)
		}
	})

	t.Run("coordinator", func(t *testing.T) {
		var role, hash string
		err := db.Pool.QueryRow(ctx, `SELECT role, password_hash FROM users WHERE email = $1`, seed.CoordinatorEmail).
			Scan(&role, &hash)
		if err != nil {
			t.Fatal(err)
		}
		if role != fabrique.RoleCoordinator {
			t.Errorf("coordinator role = %q", role)
		}
		if ok, err := password.Check(seed.DemoPassword, hash); !ok || err != nil {
			t.Errorf("password.Check = %v, %v", ok, err)
		}
		var found bool
		for _, a := range first {
			if a.Email == seed.CoordinatorEmail {
				found = a.Role == fabrique.RoleCoordinator && a.Password == seed.DemoPassword
			}
		}
		if !found {
			t.Errorf("the accounts do not list the coordinator: %+v", first)
		}
	})
}

func TestPrintAccounts(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	seed.PrintAccounts(&b, []seed.Account{
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

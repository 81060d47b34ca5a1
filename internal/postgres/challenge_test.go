package postgres_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/pgtest"
	"github.com/fabrique-a-communs/fabrique/internal/postgres"
)

// mustChallenge creates a défi titled title, led by lead.
func mustChallenge(tb testing.TB, db *postgres.DB, title string, lead *fabrique.User) *fabrique.Challenge {
	tb.Helper()
	c, err := db.CreateChallenge(context.Background(), fabrique.NewChallenge{
		Title: title, Summary: "Résumé de " + title + ".", Problem: "Le problème.",
	}, lead.ID)
	if err != nil {
		tb.Fatalf("CreateChallenge(%q): %v", title, err)
	}
	return c
}

// mustExec runs sql on db; the store has no method yet for what the tests set up.
func mustExec(tb testing.TB, db *postgres.DB, sql string, args ...any) {
	tb.Helper()
	if _, err := postgres.Pool(db).Exec(context.Background(), sql, args...); err != nil {
		tb.Fatalf("exec %q: %v", sql, err)
	}
}

// setStatus moves c to status, last updated at updated.
func setStatus(tb testing.TB, db *postgres.DB, c *fabrique.Challenge, status fabrique.Status, updated time.Time) {
	tb.Helper()
	mustExec(tb, db, `UPDATE challenges SET status = $2, updated_at = $3 WHERE id = $1`, c.ID, string(status), updated)
}

// slugsOf returns the slugs of list, in order.
func slugsOf(list []*fabrique.Challenge) []string {
	slugs := make([]string, len(list))
	for i, c := range list {
		slugs[i] = c.Slug
	}
	return slugs
}

func TestCreateChallenge(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.New(t)
	alice := mustUser(t, db, "Alice Martin")

	c := mustChallenge(t, db, "Réseau des fablabs", alice)
	if c.ID == 0 || c.Slug != "reseau-des-fablabs" {
		t.Errorf("got ID %d, slug %q, want an ID and %q", c.ID, c.Slug, "reseau-des-fablabs")
	}
	if c.Status != fabrique.StatusIdentified {
		t.Errorf("status: got %q, want %q", c.Status, fabrique.StatusIdentified)
	}
	if c.LeadID != alice.ID || c.LeadName != "Alice Martin" || c.TeamSize != 1 {
		t.Errorf("got lead %d %q, team %d, want %d %q, 1", c.LeadID, c.LeadName, c.TeamSize, alice.ID, "Alice Martin")
	}
	if c.CreatedAt.IsZero() || c.UpdatedAt.IsZero() {
		t.Errorf("got CreatedAt %v, UpdatedAt %v, want both set", c.CreatedAt, c.UpdatedAt)
	}

	got, err := db.ChallengeBySlug(ctx, c.Slug)
	if err != nil {
		t.Fatalf("ChallengeBySlug: %v", err)
	}
	if got.ID != c.ID || got.Title != "Réseau des fablabs" || got.Problem != "Le problème." {
		t.Errorf("ChallengeBySlug: got %+v, want %+v", got, c)
	}

	team, err := db.ChallengeTeam(ctx, c.ID)
	if err != nil {
		t.Fatalf("ChallengeTeam: %v", err)
	}
	if len(team) != 1 || team[0].UserID != alice.ID || team[0].Role != fabrique.TeamLead || team[0].Since.IsZero() {
		t.Errorf("ChallengeTeam: got %+v, want only Alice as lead", team)
	}

	var from *string
	var to string
	var by int64
	var n int
	err = postgres.Pool(db).QueryRow(ctx,
		`SELECT from_status, to_status, user_id, count(*) OVER () FROM challenge_status_changes WHERE challenge_id = $1`,
		c.ID).Scan(&from, &to, &by, &n)
	if err != nil {
		t.Fatalf("status history: %v", err)
	}
	if n != 1 || from != nil || to != string(fabrique.StatusIdentified) || by != alice.ID {
		t.Errorf("status history: got %d rows, first %v → %q by %d, want 1 row NULL → %q by %d", n, from, to, by, fabrique.StatusIdentified, alice.ID)
	}

	tests := []struct {
		title string
		slug  string
	}{
		{"Réseau des fablabs", "reseau-des-fablabs-2"},
		{"Réseau des Fablabs !", "reseau-des-fablabs-3"},
		{"Réseau", "reseau"},
		{"Nouveau", "nouveau-2"},
		{"Recherche", "recherche-2"},
	}
	for _, tt := range tests {
		if c := mustChallenge(t, db, tt.title, alice); c.Slug != tt.slug {
			t.Errorf("CreateChallenge(%q): got slug %q, want %q", tt.title, c.Slug, tt.slug)
		}
	}

	_, err = db.CreateChallenge(ctx, fabrique.NewChallenge{Title: "!!!", Summary: "s", Problem: "p"}, alice.ID)
	checkCode(t, err, fabrique.EINVALID)
	_, err = db.ChallengeBySlug(ctx, "inconnu")
	checkCode(t, err, fabrique.ENOTFOUND)
}

// A long title whose slug is cut still gets unique suffixed slugs within the bound.
func TestCreateChallengeLongTitle(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	alice := mustUser(t, db, "Alice Martin")
	title := "Mutualiser les outils numériques libres entre les tiers-lieux ruraux de la région"
	seen := map[string]bool{}
	for range 12 {
		c := mustChallenge(t, db, title, alice)
		if len(c.Slug) > fabrique.MaxSlugLen || seen[c.Slug] {
			t.Errorf("got slug %q (length %d, seen before %v), want a new slug of at most %d", c.Slug, len(c.Slug), seen[c.Slug], fabrique.MaxSlugLen)
		}
		seen[c.Slug] = true
	}
}

func TestCreateChallengeConcurrent(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	alice := mustUser(t, db, "Alice Martin")
	const n = 20
	var wg sync.WaitGroup
	slugs := make([]string, n)
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := db.CreateChallenge(context.Background(), fabrique.NewChallenge{
				Title: "Réseau des fablabs", Summary: "Résumé.", Problem: "Problème.",
			}, alice.ID)
			if err != nil {
				errs[i] = err
				return
			}
			slugs[i] = c.Slug
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("CreateChallenge #%d: got %v, want nil", i, err)
		}
	}
	want := []string{"reseau-des-fablabs"}
	for i := 2; i <= n; i++ {
		want = append(want, fmt.Sprintf("reseau-des-fablabs-%d", i))
	}
	slices.Sort(want)
	slices.Sort(slugs)
	if !slices.Equal(slugs, want) {
		t.Errorf("got slugs %v, want %v", slugs, want)
	}
}

func TestChallenges(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.New(t)
	alice := mustUser(t, db, "Alice Martin")
	var all []*fabrique.Challenge // newest first
	for i := range 7 {
		all = slices.Insert(all, 0, mustChallenge(t, db, fmt.Sprintf("Défi numéro %d", i+1), alice))
	}
	now := time.Now()
	setStatus(t, db, all[0], fabrique.StatusTeam, now)
	setStatus(t, db, all[3], fabrique.StatusTeam, now)
	setStatus(t, db, all[5], fabrique.StatusClosed, now)

	tests := []struct {
		name   string
		filter fabrique.ChallengeFilter
		want   []*fabrique.Challenge
		total  int
	}{
		{"first page", fabrique.ChallengeFilter{Limit: 3}, all[:3], 7},
		{"second page", fabrique.ChallengeFilter{Limit: 3, Offset: 3}, all[3:6], 7},
		{"last page", fabrique.ChallengeFilter{Limit: 3, Offset: 6}, all[6:], 7},
		{"past the end", fabrique.ChallengeFilter{Limit: 3, Offset: 9}, nil, 7},
		{"one page", fabrique.ChallengeFilter{Limit: 20}, all, 7},
		{"team", fabrique.ChallengeFilter{Status: fabrique.StatusTeam, Limit: 20}, []*fabrique.Challenge{all[0], all[3]}, 2},
		{"team, paged", fabrique.ChallengeFilter{Status: fabrique.StatusTeam, Limit: 1, Offset: 1}, []*fabrique.Challenge{all[3]}, 2},
		{"identified", fabrique.ChallengeFilter{Status: fabrique.StatusIdentified, Limit: 2}, []*fabrique.Challenge{all[1], all[2]}, 4},
		{"closed", fabrique.ChallengeFilter{Status: fabrique.StatusClosed, Limit: 20}, []*fabrique.Challenge{all[5]}, 1},
		{"none in development", fabrique.ChallengeFilter{Status: fabrique.StatusDevelopment, Limit: 20}, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			list, total, err := db.Challenges(ctx, tt.filter)
			if err != nil {
				t.Fatalf("Challenges(%+v): %v", tt.filter, err)
			}
			if got, want := slugsOf(list), slugsOf(tt.want); !slices.Equal(got, want) {
				t.Errorf("Challenges(%+v): got %v, want %v", tt.filter, got, want)
			}
			if total != tt.total {
				t.Errorf("Challenges(%+v): got total %d, want %d", tt.filter, total, tt.total)
			}
			for _, c := range list {
				if c.LeadName != "Alice Martin" || c.TeamSize != 1 {
					t.Errorf("%s: got lead %q, team %d, want %q, 1", c.Slug, c.LeadName, c.TeamSize, "Alice Martin")
				}
			}
		})
	}
}

func TestHomeChallenges(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.New(t)
	alice := mustUser(t, db, "Alice Martin")
	base := time.Now().Add(-time.Hour)
	byStatus := map[fabrique.Status]*fabrique.Challenge{}
	for i, s := range fabrique.Statuses {
		c := mustChallenge(t, db, "Défi "+string(s), alice)
		// The défi furthest in the process was active last.
		setStatus(t, db, c, s, base.Add(time.Duration(i)*time.Minute))
		byStatus[s] = c
	}
	want := []string{byStatus[fabrique.StatusDevelopment].Slug, byStatus[fabrique.StatusFraming].Slug, byStatus[fabrique.StatusTeam].Slug}
	newer := mustChallenge(t, db, "Un défi tout neuf", alice) // identified, the newest

	active, recent, err := db.HomeChallenges(ctx, 10, 10)
	if err != nil {
		t.Fatalf("HomeChallenges: %v", err)
	}
	if got := slugsOf(active); !slices.Equal(got, want) {
		t.Errorf("in progress: got %v, want %v", got, want)
	}
	for _, c := range active {
		if !c.Status.InProgress() {
			t.Errorf("in progress: got %s in status %q", c.Slug, c.Status)
		}
	}
	if got, want := slugsOf(recent), []string{newer.Slug, byStatus[fabrique.StatusIdentified].Slug}; !slices.Equal(got, want) {
		t.Errorf("newest identified: got %v, want %v", got, want)
	}
	active, recent, err = db.HomeChallenges(ctx, 2, 1)
	if err != nil {
		t.Fatalf("HomeChallenges: %v", err)
	}
	if got := slugsOf(active); !slices.Equal(got, want[:2]) {
		t.Errorf("in progress, 2: got %v, want %v", got, want[:2])
	}
	if got := slugsOf(recent); !slices.Equal(got, []string{newer.Slug}) {
		t.Errorf("newest identified, 1: got %v, want %v", got, []string{newer.Slug})
	}
}

func TestChallengeTeam(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.New(t)
	// Names chosen so that sorting by name alone would not put the lead first.
	zoe := mustUser(t, db, "Zoé Lefèvre")
	bob := mustUser(t, db, "Bob Durand")
	anne := mustUser(t, db, "Anne Petit")
	carl := mustUser(t, db, "Carl Moreau")
	dana := mustUser(t, db, "Dana Roux")
	c := mustChallenge(t, db, "Réseau des fablabs", zoe)
	other := mustChallenge(t, db, "Autre défi", bob)
	member := `INSERT INTO challenge_members (challenge_id, user_id, role, state, decided_at) VALUES ($1, $2, 'member', $3, $4)`
	now := time.Now()
	mustExec(t, db, member, c.ID, bob.ID, "accepted", now.Add(-2*time.Minute))
	mustExec(t, db, member, c.ID, anne.ID, "accepted", now.Add(-time.Minute))
	mustExec(t, db, member, c.ID, carl.ID, "pending", nil)
	mustExec(t, db, member, c.ID, dana.ID, "refused", now)
	mustExec(t, db, member, other.ID, anne.ID, "left", now)

	tests := []struct {
		name      string
		challenge *fabrique.Challenge
		want      []string
	}{
		{"lead first, then by date", c, []string{"Zoé Lefèvre", "Bob Durand", "Anne Petit"}},
		{"lead alone", other, []string{"Bob Durand"}},
	}
	for _, tt := range tests {
		team, err := db.ChallengeTeam(ctx, tt.challenge.ID)
		if err != nil {
			t.Fatalf("ChallengeTeam: %v", err)
		}
		var names []string
		for _, m := range team {
			names = append(names, m.DisplayName)
		}
		if !slices.Equal(names, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, names, tt.want)
		}
		if len(team) > 0 && team[0].Role != fabrique.TeamLead {
			t.Errorf("%s: got first role %q, want %q", tt.name, team[0].Role, fabrique.TeamLead)
		}
		got, err := db.ChallengeBySlug(ctx, tt.challenge.Slug)
		if err != nil {
			t.Fatalf("ChallengeBySlug: %v", err)
		}
		if got.TeamSize != len(tt.want) {
			t.Errorf("%s: got TeamSize %d, want %d", tt.name, got.TeamSize, len(tt.want))
		}
	}
	if team, err := db.ChallengeTeam(ctx, -1); err != nil || len(team) != 0 {
		t.Errorf("ChallengeTeam(unknown): got %v, %v, want an empty team", team, err)
	}
}

func TestUserChallenges(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.New(t)
	alice := mustUser(t, db, "Alice Martin")
	bob := mustUser(t, db, "Bob Durand")
	carol := mustUser(t, db, "Carol Blanc")
	a := mustChallenge(t, db, "Défi d’Alice", alice)
	b := mustChallenge(t, db, "Défi de Bob", bob)
	c := mustChallenge(t, db, "Autre défi de Bob", bob)
	member := `INSERT INTO challenge_members (challenge_id, user_id, role, state, decided_at) VALUES ($1, $2, 'member', $3, now())`
	mustExec(t, db, member, b.ID, alice.ID, "accepted")
	mustExec(t, db, member, c.ID, alice.ID, "pending")
	mustExec(t, db, member, c.ID, carol.ID, "left")
	now := time.Now()
	setStatus(t, db, a, fabrique.StatusIdentified, now.Add(-time.Hour))
	setStatus(t, db, b, fabrique.StatusTeam, now.Add(-30*time.Minute))

	tests := []struct {
		name string
		user *fabrique.User
		want []string
	}{
		{"lead and member, most recent first", alice, []string{b.Slug, a.Slug}},
		{"lead of two", bob, []string{c.Slug, b.Slug}},
		{"left the team", carol, nil},
	}
	for _, tt := range tests {
		list, err := db.UserChallenges(ctx, tt.user.ID)
		if err != nil {
			t.Fatalf("UserChallenges: %v", err)
		}
		if got := slugsOf(list); !slices.Equal(got, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}

package postgres_test

import (
	"context"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/pgtest"
	"github.com/fabrique-a-communs/fabrique/internal/postgres"
)

// mustChallengeText creates a défi with its three texts, created at the given time so
// the order of the list does not depend on the speed of the test.
func mustChallengeText(tb testing.TB, db *postgres.DB, lead *fabrique.User, created time.Time, title, summary, problem string) *fabrique.Challenge {
	tb.Helper()
	c, err := db.CreateChallenge(context.Background(), fabrique.NewChallenge{Title: title, Summary: summary, Problem: problem}, lead.ID)
	if err != nil {
		tb.Fatalf("CreateChallenge(%q): %v", title, err)
	}
	mustExec(tb, db, `UPDATE challenges SET created_at = $2 WHERE id = $1`, c.ID, created)
	return c
}

// mustPlace creates a tiers-lieu in region concerned by the défis.
func mustPlace(tb testing.TB, db *postgres.DB, slug, region string, concerned ...*fabrique.Challenge) {
	tb.Helper()
	var id int64
	if err := postgres.Pool(db).QueryRow(context.Background(),
		`INSERT INTO places (slug, name, region) VALUES ($1, $1, $2) RETURNING id`, slug, region).Scan(&id); err != nil {
		tb.Fatalf("insert place %s: %v", slug, err)
	}
	for _, c := range concerned {
		mustExec(tb, db, `INSERT INTO challenge_places (challenge_id, place_id) VALUES ($1, $2)`, c.ID, id)
	}
}

func TestChallengesSearch(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.New(t)
	alice := mustUser(t, db, "Alice Martin")
	day := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	// From the oldest to the newest: without a ranking, the newest would come first.
	titled := mustChallengeText(t, db, alice, day, "Un outil de réservation des salles",
		"Réserver les salles des tiers-lieux.", "Chacun réserve à sa façon.")
	digital := mustChallengeText(t, db, alice, day.Add(time.Hour), "Médiation numérique",
		"Des ateliers numériques pour les habitants.", "Les médiateurs manquent de supports.")
	team := mustChallengeText(t, db, alice, day.Add(2*time.Hour), "Accueillir des bénévoles",
		"Une equipe de bénévoles à former.", "Personne ne sait par où commencer.")
	problemOnly := mustChallengeText(t, db, alice, day.Add(3*time.Hour), "Cantine partagée",
		"Cuisiner ensemble.", "Il manque des outils pour planifier les repas, et des outils pour commander.")
	mustExec(t, db, `UPDATE challenges SET status = 'equipe' WHERE id = ANY($1)`, []int64{team.ID, problemOnly.ID})
	mustPlace(t, db, "la-myne", "Auvergne-Rhône-Alpes", titled, problemOnly)
	mustPlace(t, db, "le-64", "Bretagne", problemOnly, digital)

	long := strings.Repeat("numérique ", 500)
	tests := []struct {
		name   string
		filter fabrique.ChallengeFilter
		want   []string
		total  int
	}{
		{"no search: newest first", fabrique.ChallengeFilter{},
			[]string{problemOnly.Slug, team.Slug, digital.Slug, titled.Slug}, 4},
		{"accents folded", fabrique.ChallengeFilter{Query: "numerique"}, []string{digital.Slug}, 1},
		{"plural found from the singular", fabrique.ChallengeFilter{Query: "numériques"}, []string{digital.Slug}, 1},
		{"capital accent folded", fabrique.ChallengeFilter{Query: "Équipe"}, []string{team.Slug}, 1},
		{"a title match ranks above a problem-only match", fabrique.ChallengeFilter{Query: "outil"},
			[]string{titled.Slug, problemOnly.Slug}, 2},
		{"plural query", fabrique.ChallengeFilter{Query: "OUTILS"}, []string{titled.Slug, problemOnly.Slug}, 2},
		{"every word must match", fabrique.ChallengeFilter{Query: "outil salles"}, []string{titled.Slug}, 1},
		{"or, equal ranks newest first", fabrique.ChallengeFilter{Query: "médiation or cantine"}, []string{problemOnly.Slug, digital.Slug}, 2},
		{"exclusion", fabrique.ChallengeFilter{Query: "outils -cantine"}, []string{titled.Slug}, 1},
		{"phrase", fabrique.ChallengeFilter{Query: `"ateliers numériques"`}, []string{digital.Slug}, 1},
		{"no match", fabrique.ChallengeFilter{Query: "photovoltaïque"}, nil, 0},
		{"search and status", fabrique.ChallengeFilter{Query: "outil", Status: fabrique.StatusTeam}, []string{problemOnly.Slug}, 1},
		{"region", fabrique.ChallengeFilter{Region: "Bretagne"}, []string{problemOnly.Slug, digital.Slug}, 2},
		{"region and status", fabrique.ChallengeFilter{Region: "Bretagne", Status: fabrique.StatusIdentified}, []string{digital.Slug}, 1},
		{"search and region", fabrique.ChallengeFilter{Query: "outil", Region: "Auvergne-Rhône-Alpes"},
			[]string{titled.Slug, problemOnly.Slug}, 2},
		{"region without défis", fabrique.ChallengeFilter{Region: "Corse"}, nil, 0},
		{"search, page 1", fabrique.ChallengeFilter{Query: "outil", Limit: 1}, []string{titled.Slug}, 2},
		{"search, page 2", fabrique.ChallengeFilter{Query: "outil", Limit: 1, Offset: 1}, []string{problemOnly.Slug}, 2},
		{"search, past the end", fabrique.ChallengeFilter{Query: "outil", Limit: 1, Offset: 5}, nil, 2},
		{"negative offset", fabrique.ChallengeFilter{Query: "outil", Offset: -3}, []string{titled.Slug, problemOnly.Slug}, 2},
		// Junk never fails: no lexeme means no match.
		{"operators only", fabrique.ChallengeFilter{Query: `'&|!:*()`}, nil, 0},
		{"stop words only", fabrique.ChallengeFilter{Query: "la de des du et"}, nil, 0},
		{"tsquery syntax", fabrique.ChallengeFilter{Query: "outil & | !"}, []string{titled.Slug, problemOnly.Slug}, 2},
		{"unbalanced quote", fabrique.ChallengeFilter{Query: `"numérique`}, []string{digital.Slug}, 1},
		{"long query cut", fabrique.ChallengeFilter{Query: long}, []string{digital.Slug}, 1},
		{"invalid UTF-8 and NUL", fabrique.ChallengeFilter{Query: "num\xffé\x00rique outil"}, nil, 0},
		{"spaces only", fabrique.ChallengeFilter{Query: "  \t "}, []string{problemOnly.Slug, team.Slug, digital.Slug, titled.Slug}, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			list, total, err := db.Challenges(ctx, tt.filter)
			if err != nil {
				t.Fatalf("Challenges(%.80q): %v", tt.filter.Query, err)
			}
			if got := slugsOf(list); strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("Challenges(%.80q): got %v, want %v", tt.filter.Query, got, tt.want)
			}
			if total != tt.total {
				t.Errorf("Challenges(%.80q): got total %d, want %d", tt.filter.Query, total, tt.total)
			}
		})
	}
}

func TestSearchText(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"", ""},
		{"  outils   numériques \n", "outils numériques"},
		{"a\x00b\tc\x1b", "a b c"},
		{"num\xffrique", "num rique"},
		{strings.Repeat("é", 300), strings.Repeat("é", postgres.MaxSearchLen)},
	}
	for _, tt := range tests {
		got := postgres.SearchText(tt.in)
		if got != tt.want {
			t.Errorf("SearchText(%.40q): got %.40q, want %.40q", tt.in, got, tt.want)
		}
		if !utf8.ValidString(got) || utf8.RuneCountInString(got) > postgres.MaxSearchLen {
			t.Errorf("SearchText(%.40q): got %d characters, valid %v", tt.in, utf8.RuneCountInString(got), utf8.ValidString(got))
		}
	}
}

package fabrique_test

import (
	"strings"
	"testing"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

func TestNewChallengeValidate(t *testing.T) {
	t.Parallel()
	valid := fabrique.NewChallenge{
		Title:   "Réseau des fablabs",
		Summary: "Relier les fablabs de la région.",
		Problem: "Les fablabs ne se **connaissent** pas.",
	}
	tests := []struct {
		name   string
		edit   func(c *fabrique.NewChallenge)
		fields []string
	}{
		{"valid", func(c *fabrique.NewChallenge) {}, nil},
		{"empty form", func(c *fabrique.NewChallenge) { *c = fabrique.NewChallenge{} }, []string{"title", "summary", "problem"}},
		{"no title", func(c *fabrique.NewChallenge) { c.Title = "" }, []string{"title"}},
		{"title of 2 letters", func(c *fabrique.NewChallenge) { c.Title = "Ré" }, []string{"title"}},
		{"title of 3 letters", func(c *fabrique.NewChallenge) { c.Title = "Été" }, nil},
		{"title of 160 accented letters", func(c *fabrique.NewChallenge) { c.Title = strings.Repeat("é", 160) }, nil},
		{"title of 161 accented letters", func(c *fabrique.NewChallenge) { c.Title = strings.Repeat("é", 161) }, []string{"title"}},
		{"title without letter or digit", func(c *fabrique.NewChallenge) { c.Title = "!!! ???" }, []string{"title"}},
		{"title of emoji", func(c *fabrique.NewChallenge) { c.Title = "🚀🚀🚀" }, []string{"title"}},
		{"no summary", func(c *fabrique.NewChallenge) { c.Summary = "" }, []string{"summary"}},
		{"summary of 500 accented letters", func(c *fabrique.NewChallenge) { c.Summary = strings.Repeat("à", 500) }, nil},
		{"summary of 501 accented letters", func(c *fabrique.NewChallenge) { c.Summary = strings.Repeat("à", 501) }, []string{"summary"}},
		{"no problem", func(c *fabrique.NewChallenge) { c.Problem = "" }, []string{"problem"}},
		{"problem of 20000 accented letters", func(c *fabrique.NewChallenge) { c.Problem = strings.Repeat("ç", 20000) }, nil},
		{"problem of 20001 accented letters", func(c *fabrique.NewChallenge) { c.Problem = strings.Repeat("ç", 20001) }, []string{"problem"}},
		{"title and problem", func(c *fabrique.NewChallenge) { c.Title, c.Problem = "", "" }, []string{"title", "problem"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := valid
			tt.edit(&c)
			checkFields(t, c.Validate(), tt.fields...)
		})
	}
}

func TestNewChallengeNormalize(t *testing.T) {
	t.Parallel()
	c := fabrique.NewChallenge{Title: "  Réseau \t des\nfablabs ", Summary: "\n Résumé. ", Problem: " Ligne 1\r\nLigne 2\r\n"}
	c.Normalize()
	want := fabrique.NewChallenge{Title: "Réseau des fablabs", Summary: "Résumé.", Problem: "Ligne 1\nLigne 2"}
	if c != want {
		t.Errorf("got %+v, want %+v", c, want)
	}
}

func TestStatus(t *testing.T) {
	t.Parallel()
	tests := []struct {
		status     fabrique.Status
		label      string
		inProgress bool
	}{
		{fabrique.StatusIdentified, "Défi identifié", false},
		{fabrique.StatusTeam, "Équipe constituée", true},
		{fabrique.StatusFraming, "En préfiguration", true},
		{fabrique.StatusDevelopment, "En développement", true},
		{fabrique.StatusClosed, "Clos", false},
	}
	if len(tests) != len(fabrique.Statuses) {
		t.Fatalf("got %d statuses, want %d", len(fabrique.Statuses), len(tests))
	}
	for i, tt := range tests {
		if fabrique.Statuses[i] != tt.status {
			t.Errorf("Statuses[%d]: got %q, want %q", i, fabrique.Statuses[i], tt.status)
		}
		if !tt.status.Valid() {
			t.Errorf("%q.Valid(): got false, want true", tt.status)
		}
		if got := tt.status.Label(); got != tt.label {
			t.Errorf("%q.Label(): got %q, want %q", tt.status, got, tt.label)
		}
		if got := tt.status.InProgress(); got != tt.inProgress {
			t.Errorf("%q.InProgress(): got %v, want %v", tt.status, got, tt.inProgress)
		}
	}
	for _, s := range []fabrique.Status{"", "Identifie", "inconnu", "clos "} {
		if s.Valid() {
			t.Errorf("%q.Valid(): got true, want false", s)
		}
		if got := s.Label(); got != string(s) {
			t.Errorf("%q.Label(): got %q, want %q", s, got, string(s))
		}
	}
}

// Regions belong to places; they are tested here with the other fixed lists of the domain.
func TestRegions(t *testing.T) {
	t.Parallel()
	if got := len(fabrique.Regions); got != 18 {
		t.Errorf("len(Regions): got %d, want 18", got)
	}
	seen := map[string]bool{}
	for _, r := range fabrique.Regions {
		if seen[r] {
			t.Errorf("Regions: got %q twice, want each once", r)
		}
		seen[r] = true
		if !fabrique.ValidRegion(r) {
			t.Errorf("ValidRegion(%q): got false, want true", r)
		}
	}
	for _, r := range []string{"", "Bretagne ", "bretagne", "Rhône-Alpes", "Provence-Alpes-Côte d'Azur"} {
		if fabrique.ValidRegion(r) {
			t.Errorf("ValidRegion(%q): got true, want false", r)
		}
	}
}

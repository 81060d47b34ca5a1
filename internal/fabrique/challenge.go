package fabrique

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Status is where a défi stands in the process.
type Status string

// The statuses of a défi, in the order of the process (DESIGN.md §2).
const (
	StatusIdentified  Status = "identifie"
	StatusTeam        Status = "equipe"
	StatusFraming     Status = "prefiguration"
	StatusDevelopment Status = "developpement"
	StatusClosed      Status = "clos"
)

// Statuses lists every status in process order.
var Statuses = []Status{StatusIdentified, StatusTeam, StatusFraming, StatusDevelopment, StatusClosed}

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	for _, x := range Statuses {
		if s == x {
			return true
		}
	}
	return false
}

// Label is the French label of the status, as the Fabrique names its steps.
func (s Status) Label() string {
	switch s {
	case StatusIdentified:
		return "Défi identifié"
	case StatusTeam:
		return "Équipe constituée"
	case StatusFraming:
		return "En préfiguration"
	case StatusDevelopment:
		return "En développement"
	case StatusClosed:
		return "Clos"
	}
	return string(s)
}

// InProgress reports whether the défi is being worked on (shown on the home page).
func (s Status) InProgress() bool {
	return s == StatusTeam || s == StatusFraming || s == StatusDevelopment
}

// Challenge is a défi: a problem shared by tiers-lieux.
type Challenge struct {
	ID        int64
	Slug      string
	Title     string
	Summary   string
	Problem   string // Markdown
	Status    Status
	LeadID    int64
	LeadName  string
	TeamSize  int // accepted members, the porteur included
	CreatedAt time.Time
	UpdatedAt time.Time
}

// The refusals about défis.
var (
	// ErrChallengeNotFound is a défi asked for by its id.
	ErrChallengeNotFound = Errorf(ENOTFOUND, "Ce défi n’existe pas.")
	// ErrChallengeTitleTaken: every slug derived from the title is taken.
	ErrChallengeTitleTaken = Errorf(ECONFLICT, "Trop de défis portent déjà ce titre.")
)

// ChallengeFilter selects a page of défis.
type ChallengeFilter struct {
	Status Status // "" for all
	Query  string // French full-text search, "" for none; ranks the results when set
	Region string // one of Regions: défis concerning a tiers-lieu of that region; "" for all
	Offset int
	Limit  int
}

// NewChallenge is the form proposing a défi.
type NewChallenge struct {
	Title   string
	Summary string
	Problem string
}

// Limits of a défi's text fields, in characters.
const (
	MaxTitleLen   = 160
	MaxSummaryLen = 500
	MaxProblemLen = 20000
)

// Normalize trims the fields.
func (c *NewChallenge) Normalize() {
	c.Title = strings.Join(strings.Fields(c.Title), " ")
	c.Summary = strings.TrimSpace(c.Summary)
	c.Problem = strings.TrimSpace(strings.ReplaceAll(c.Problem, "\r\n", "\n"))
}

// Validate checks the form field by field.
func (c *NewChallenge) Validate() error {
	var v Validation
	switch n := utf8.RuneCountInString(c.Title); {
	case n == 0:
		v.Add("title", "Donnez un titre au défi.")
	case n < 3:
		v.Add("title", "Le titre doit contenir au moins 3 caractères.")
	case n > MaxTitleLen:
		v.Add("title", "Le titre ne doit pas dépasser 160 caractères.")
	default:
		if Slugify(c.Title) == "" {
			v.Add("title", "Le titre doit contenir au moins une lettre ou un chiffre.")
		}
	}
	switch n := utf8.RuneCountInString(c.Summary); {
	case n == 0:
		v.Add("summary", "Résumez le défi en une ou deux phrases.")
	case n > MaxSummaryLen:
		v.Add("summary", "Le résumé ne doit pas dépasser 500 caractères.")
	}
	switch n := utf8.RuneCountInString(c.Problem); {
	case n == 0:
		v.Add("problem", "Décrivez le problème que rencontrent les tiers-lieux.")
	case n > MaxProblemLen:
		v.Add("problem", "La description ne doit pas dépasser 20 000 caractères.")
	}
	return v.Err()
}

package fabrique

import "time"

// Defaults of the amorçage phase (DESIGN.md §3, the Fabrique's first programme).
const (
	DefaultSeedCeiling int64 = 3000_00 // a défi's seed budget, at most
	DefaultDayRate     int64 = 230_00  // a day of work, HT
)

// AcceptsSeedRequest reports whether a défi in status s may ask for, and be granted, a
// seed budget: once its team is formed and while it frames the commun.
func (s Status) AcceptsSeedRequest() bool { return s == StatusTeam || s == StatusFraming }

// AcceptsContributions reports whether a défi in status s takes contributions: once its
// team is formed, and until it is closed.
func (s Status) AcceptsContributions() bool {
	return s == StatusTeam || s == StatusFraming || s == StatusDevelopment
}

// Seed request states.
const (
	SeedPending  = "pending"
	SeedApproved = "approved"
	SeedRefused  = "refused"
)

// SeedRequest is a porteur's request for a seed budget and the coordination's decision.
type SeedRequest struct {
	ID             int64
	ChallengeID    int64
	RequestedBy    int64
	RequesterName  string
	Amount         int64 // cents requested
	Plan           string
	State          string
	ApprovedAmount int64 // cents granted, when approved
	FundYear       int
	Note           string
	DecidedBy      int64
	DeciderName    string
	DecidedAt      time.Time
	CreatedAt      time.Time
}

// Contribution states: declaree → validee → payee, or refusee.
const (
	ContributionDeclared  = "declaree"
	ContributionValidated = "validee"
	ContributionPaid      = "payee"
	ContributionRefused   = "refusee"
)

// ContributionStateLabel is the French label of a contribution state.
func ContributionStateLabel(state string) string {
	switch state {
	case ContributionDeclared:
		return "Déclarée"
	case ContributionValidated:
		return "Validée"
	case ContributionPaid:
		return "Payée"
	case ContributionRefused:
		return "Refusée"
	}
	return state
}

// Activities are the kinds of work a contribution records.
var Activities = []struct{ Value, Label string }{
	{"developpement", "Développement"},
	{"documentation", "Documentation"},
	{"animation", "Animation"},
	{"design", "Design"},
	{"coordination", "Coordination"},
	{"formation", "Formation"},
	{"autre", "Autre"},
}

// ValidActivity reports whether v is one of Activities.
func ValidActivity(v string) bool {
	for _, a := range Activities {
		if a.Value == v {
			return true
		}
	}
	return false
}

// Contribution is a day count logged by a team member.
type Contribution struct {
	ID          int64
	ChallengeID int64
	UserID      int64
	UserName    string
	WorkedOn    time.Time
	Quarters    int
	Activity    string
	Description string
	Volunteer   bool
	DayRate     int64
	Amount      int64 // DayAmount(Quarters, DayRate), 0 when volunteer
	State       string
	Reason      string
	ValidatedBy int64
	PaidOn      time.Time
	Reference   string
	CreatedAt   time.Time
}

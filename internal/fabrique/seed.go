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

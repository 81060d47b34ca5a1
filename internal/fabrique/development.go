package fabrique

import "time"

// Step is a development step of a commun ("étape de développement"): what will be done,
// when, for how much.
type Step struct {
	ID          int64
	CommonsID   int64
	CommonsSlug string
	CommonsName string
	Title       string
	Description string // Markdown
	Goal        int64  // cents
	StartsOn    time.Time
	EndsOn      time.Time
	CreatedAt   time.Time
}

// StepFigures are a step's money, all derived at read time from pledges, the matching
// rule of its calls, the ledger and contributions.
type StepFigures struct {
	Goal             int64
	Promised         int64 // pledges still promises
	Confirmed        int64 // pledges whose funds were received
	MatchedSecured   int64 // matching brought by confirmed pledges
	MatchedProjected int64 // matching promises would bring too
	Spent            int64 // contributions paid for the step
	Remaining        int64 // Goal − Confirmed − MatchedSecured, never below zero
}

// Funder is the funder profile of an account.
type Funder struct {
	UserID       int64
	Kind         string // one of FunderKinds
	Organisation string
	PlaceID      int64 // the tiers-lieu, for Kind "tiers-lieu"
}

// Pledge is a funder's pledge (promesse) to a step.
type Pledge struct {
	ID         int64
	StepID     int64
	CallID     int64
	UserID     int64
	FunderName string // display name, or organisation; "" when anonymous to this viewer
	FunderKind string
	Amount     int64
	Anonymous  bool
	Message    string
	State      string
	CreatedAt  time.Time
	UpdatedAt  time.Time
	DecidedAt  time.Time
	// Unmatchable is set on a tiers-lieu pledge that no matching rule counts now: its place
	// is not verified, or its funder is not an accepted member of it.
	Unmatchable bool
}

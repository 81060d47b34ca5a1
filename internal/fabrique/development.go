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

// MatchedOnPromises is the matching the promises would add to the secured matching once
// honoured (« abondement prévu »): MatchedProjected − MatchedSecured, never below zero.
// MatchedProjected counts the secured part too; pages show this difference so that the
// four amounts of a step's funding bar add up. It can be zero while promises wait: when
// the pool is short, the promises of other communs shrink every commun's share.
func (f StepFigures) MatchedOnPromises() int64 {
	return max(0, f.MatchedProjected-f.MatchedSecured)
}

// Secured is what the step has for sure: funds received and the matching they bring.
func (f StepFigures) Secured() int64 { return f.Confirmed + f.MatchedSecured }

// Expected is what the step would have with every promise honoured: Secured, the
// promises and the matching they would add.
func (f StepFigures) Expected() int64 { return f.Secured() + f.Promised + f.MatchedOnPromises() }

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

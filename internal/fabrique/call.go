package fabrique

import "time"

// CallPhase is where a call stands in time; its value is the data-phase of the pages.
type CallPhase string

// Call phases.
const (
	// CallUpcoming is a call whose first day has not come.
	CallUpcoming CallPhase = "a-venir"
	// CallOpen is a call taking pledges.
	CallOpen CallPhase = "ouvert"
	// CallOver is a call past its last day, waiting for the coordination to close it.
	CallOver CallPhase = "termine"
	// CallClosed is a call the coordination closed.
	CallClosed CallPhase = "clos"
)

// Bounds of the call form.
const (
	// MaxCallTitleLen bounds a call's title, in characters, as the schema checks.
	MaxCallTitleLen = 160
	// MaxCallDescriptionLen bounds a call's description, in characters.
	MaxCallDescriptionLen = 20000
	// MaxMatchPercent bounds a call's matching percent: a multiplier of 10.
	MaxMatchPercent = 1000
	// MinCallYear is the first year a call may start or end in.
	MinCallYear = 2020
	// MaxCallYear is the last year a call may start or end in.
	MaxCallYear = 2100
)

// Call is a call for co-financing ("appel à cofinancement").
type Call struct {
	ID          int64
	Slug        string
	Title       string
	Description string // Markdown
	StartsOn    time.Time
	EndsOn      time.Time
	Rule        MatchRule // Rule.Pool is the matching pool
	ClosedAt    time.Time // zero while the call is not closed
	CreatedAt   time.Time
}

// Phase is where a call stands on day.
func (c *Call) Phase(day time.Time) CallPhase {
	d := day.Format("2006-01-02")
	switch {
	case !c.ClosedAt.IsZero():
		return CallClosed
	case d < c.StartsOn.Format("2006-01-02"):
		return CallUpcoming
	case d > c.EndsOn.Format("2006-01-02"):
		return CallOver // over, waiting for the coordination to close it
	}
	return CallOpen
}

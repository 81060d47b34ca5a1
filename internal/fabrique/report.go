package fabrique

import "time"

// Reports for funders (DESIGN §3 « Reports »): what a commun's money came from and paid
// for, printable and as CSV. Anonymous funders stay anonymous.

// ReportFunder is a funder's confirmed pledges to a commun; anonymous ones are gathered
// in one line, Anonymous set, without a name.
type ReportFunder struct {
	Name      string
	Kind      string // a funder kind (FunderKinds)
	Anonymous bool
	Pledges   int
	Amount    int64
}

// ReportDays is days of work and their amount, by a key (an activity, a month "2026-05").
type ReportDays struct {
	Key      string
	Quarters int
	Amount   int64
}

// ReportEvent is a rendez-vous held, with its attendance.
type ReportEvent struct {
	Event      *Event
	Registered int
	Present    int
}

// CommonsReport is a commun's report: funds received by funder, the matching, the days
// paid from its funds by activity and by month, the volunteer days valued at the day
// rate, its steps with their figures, the rendez-vous held.
type CommonsReport struct {
	Commons         *Commons
	Funders         []ReportFunder
	Received        int64 // confirmed pledges: the ledger's pledge movements into its funds
	Matching        int64 // the ledger's matching movements into its funds
	Paid            int64 // the ledger's payments out of its funds
	PaidByActivity  []ReportDays
	PaidByMonth     []ReportDays
	VolunteerDays   int   // quarters
	VolunteerValued int64 // quarters × day rate / 4, as the Cerfa financial report values volunteering
	Steps           []Step
	Figures         map[int64]StepFigures
	Events          []ReportEvent
	Progress        []MonthFunds // what had come in by the end of each month
}

// ReportLine is one line of a call's report: a commun, or a kind of funder, with what was
// promised (promises still open), received (confirmed) and matched (posted at the closing).
type ReportLine struct {
	Key      string // a commun's name, or a funder kind
	Slug     string // the commun's, "" for a funder kind
	Pledges  int
	Promised int64
	Received int64
	Matched  int64
}

// CallReport is a call's report: its rule and pool, and per commun and per funder kind
// what was pledged, received and matched.
type CallReport struct {
	Call      *Call
	ByCommons []ReportLine
	ByKind    []ReportLine
	Total     ReportLine
	Progress  []MonthFunds // what had come in by the end of each month
}

// YearReport is the programme's year: défis, seed money, days, co-financing, rendez-vous.
type YearReport struct {
	Year              int
	ByStatus          []ReportCount // défis proposed that year, by their status today
	ByRegion          []ReportCount // the same, by the region of the tiers-lieux concerned
	SeedFund          int64         // put in the year's seed fund
	SeedGranted       int64         // seed budgets granted from it
	SeedSpent         int64         // retributions paid from seed budgets that year
	PaidQuarters      int           // days paid that year (quarters)
	Paid              int64
	VolunteerQuarters int // volunteer days validated, worked that year
	CommonsFunded     int // communs that received funds or matching that year
	Raised            int64
	Matched           int64
	Events            int             // rendez-vous held that year, not cancelled
	Participants      int             // people marked present at them
	Plan              *WorkPlanReport // the coordination's plan against its days
}

// ReportCount is a count under a key (a status, a region).
type ReportCount struct {
	Key   string
	Count int
}

// MonthFunds is the money received in one month: pledges confirmed and matching posted.
type MonthFunds struct {
	Month    time.Time // the first day of the month
	Received int64
	Matched  int64
}

// maxProgressMonths bounds a progress chart: the last five years.
const maxProgressMonths = 60

// FundingProgress returns, for every month from the first with money to the last, what
// had come in by the end of that month (received and matched, cumulated), the months
// without movement included so that the time runs evenly.
func FundingProgress(months []MonthFunds) []MonthFunds {
	if len(months) == 0 {
		return nil
	}
	var out []MonthFunds
	var cum MonthFunds
	i := 0
	for m := months[0].Month; !m.After(months[len(months)-1].Month); m = m.AddDate(0, 1, 0) {
		for i < len(months) && !months[i].Month.After(m) {
			cum.Received += months[i].Received
			cum.Matched += months[i].Matched
			i++
		}
		out = append(out, MonthFunds{Month: m, Received: cum.Received, Matched: cum.Matched})
	}
	if len(out) > maxProgressMonths {
		out = out[len(out)-maxProgressMonths:]
	}
	return out
}

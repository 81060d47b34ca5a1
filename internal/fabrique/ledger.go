package fabrique

import "time"

// Ledger account kinds (DESIGN.md §3).
const (
	AccountSeedFund     = "seed_fund"     // the Fabrique's seed fund of a year
	AccountSeedBudget   = "seed_budget"   // a défi's seed budget
	AccountCommonsFunds = "commons_funds" // a commun's development funds
	AccountMatchingPool = "matching_pool" // a call's matching pool
	AccountOutside      = "outside"       // the outside world: funders and payees
)

// Ledger transaction kinds.
const (
	TxFundAllocation = "fund_allocation" // the seed fund raised or lowered
	TxSeedGrant      = "seed_grant"      // a seed budget approved, from the fund
	TxPayment        = "payment"         // a contribution paid, to its author
	TxPledge         = "pledge"          // a pledge confirmed, funds received
	TxMatching       = "matching"        // matching posted from a pool
	TxPoolFunding    = "pool_funding"    // a matching pool funded
	TxReversal       = "reversal"        // a mistake corrected
)

// AccountRef names a ledger account by its kind and the one reference that kind takes.
type AccountRef struct {
	Kind        string
	Year        int   // seed_fund, operating
	ChallengeID int64 // seed_budget
	CommonsID   int64 // commons_funds
	CallID      int64 // matching_pool
}

// Movement is money moving from one account to another, in cents (> 0).
type Movement struct {
	Kind       string
	Amount     int64
	From, To   AccountRef
	CauseType  string // what caused it: "seed_request", "contribution", "pledge"…
	CauseID    int64
	Memo       string
	Reference  string // a bank reference, for payments
	UserID     int64  // who did it
	OccurredOn time.Time
}

// TransactionKindLabel is the French name of a kind of movement, for the public accounts.
func TransactionKindLabel(kind string) string {
	switch kind {
	case TxFundAllocation:
		return "Dotation du fonds d’amorçage"
	case TxSeedGrant:
		return "Budget d’amorçage accordé"
	case TxPayment:
		return "Rétribution payée"
	case TxPledge:
		return "Cofinancement reçu"
	case TxMatching:
		return "Abondement versé"
	case TxPoolFunding:
		return "Dotation de l’abondement"
	case TxReversal:
		return "Contre-passation"
	case TxOperatingAllocation:
		return "Dotation du budget de fonctionnement"
	case TxCoordinationPayment:
		return "Temps de coordination payé"
	}
	return kind
}

// PostedMovement is one ledger transaction as the public accounts show it: the money went
// from one account to another. Personal data is limited to display names.
type PostedMovement struct {
	ID         int64
	OccurredOn time.Time
	Kind       string
	Amount     int64
	Reference  string
	Memo       string
	Detail     string // shown with the movement, as written: an invoice's statement and amounts
	Note       string // shown with the movement, a catalog key
	From, To   AccountView
}

// AccountView names an account for people: its kind and what it belongs to.
type AccountView struct {
	Kind          string
	Year          int
	ChallengeSlug string
	Title         string // the défi's title, the commun's name, or the person outside
}

// AccountBalance is an account, or a kind of account, with its balance.
type AccountBalance struct {
	AccountView
	Balance int64
	Count   int // accounts summed, for a kind's total
}

// MovementFilter selects movements: a year of occurrence and défis, all optional. A
// défi's movements are those touching its accounts.
type MovementFilter struct {
	Year          int
	ChallengeSlug string // one défi by its address (?defi=, kept for bookmarked links)
	Title         string // words of défis' titles (?q=), French full-text
	Limit, Offset int    // Limit 0: all (the CSV export)
}

// ByChallenge tells whether f narrows the movements to some défis.
func (f MovementFilter) ByChallenge() bool { return f.ChallengeSlug != "" || f.Title != "" }

// Transparency is what the transparency page shows: a page of movements, how many match
// the filter, the balances, and what the filter form offers.
type Transparency struct {
	Movements []PostedMovement
	Total     int
	// Balances are the accounts' balances to this day or, with a year, what came in less
	// what went out of each account in that year.
	Balances []AccountBalance
	Years    []int // the years that have movements, newest first
	// Challenges is how many défis the filter's slug and title match, when it has either;
	// ChallengeTitle is the title of the défi its slug names ("" when none).
	Challenges     int
	ChallengeTitle string
}

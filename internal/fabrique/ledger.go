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
	Year        int   // seed_fund
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

package fabrique

import "time"

// Bounds of the pledge forms, as the schema checks them.
const (
	// MaxPledgeMessageLen bounds a pledge's message, in characters.
	MaxPledgeMessageLen = 1000
	// MinIdempotencyKeyLen is the shortest idempotency key a pledge form may carry.
	MinIdempotencyKeyLen = 8
	// MaxIdempotencyKeyLen is the longest idempotency key a pledge form may carry.
	MaxIdempotencyKeyLen = 100
	// MaxOrganisationLen bounds a funder's organisation name, in characters.
	MaxOrganisationLen = 160
)

// NewPledge is a pledge as its form gives it, checked by the caller.
type NewPledge struct {
	StepID         int64
	UserID         int64
	Kind           string // the funder's kind: their profile's, or Profile's
	Amount         int64  // cents, > 0
	Anonymous      bool
	Message        string
	IdempotencyKey string
	// Profile is the funder profile made with the first pledge, for an account that has
	// none; an account that has one keeps it.
	Profile *Funder
	Today   time.Time // the day in Paris, which says which calls are open
}

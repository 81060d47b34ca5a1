package fabrique

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

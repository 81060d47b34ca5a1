package fabrique

import "time"

// Todo is what waits for a person, the first part of their space (« À faire »): the
// decisions others wait for from them, then their own requests waiting for others.
type Todo struct {
	JoinRequests  []TodoJoinRequest    // to join a défi the person leads
	Contributions []TodoContributions  // declared in a défi the person leads (any, for a coordinator), not theirs
	PlaceRequests []TodoPlaceRequest   // to join a tiers-lieu the person is a member of (any, for a coordinator)
	Coordination  TodoCoordination     // the coordination's queues (zero for others)
	MyRequests    []TodoMyRequest      // the person's own requests to join a défi, waiting
	MyPlaces      []TodoMyPlaceRequest // the person's own requests to join a tiers-lieu, waiting
}

// TodoLimit is how many items of each list the space shows; the pages they link to show all.
const TodoLimit = 10

// TodoJoinRequest is a person asking to join a défi.
type TodoJoinRequest struct {
	ChallengeSlug, ChallengeTitle string
	UserID                        int64
	UserName, Message             string
	Since                         time.Time
}

// TodoContributions are the contributions of one défi waiting for validation.
type TodoContributions struct {
	ChallengeSlug, ChallengeTitle string
	Count                         int
	Since                         time.Time // the oldest
}

// TodoPlaceRequest is a person asking to join a tiers-lieu.
type TodoPlaceRequest struct {
	PlaceSlug, PlaceName, UserName string
	Since                          time.Time
}

// TodoCoordination counts what waits in the coordination's queues.
type TodoCoordination struct {
	SeedRequests, PledgesToConfirm, PaymentsDue int
}

// Empty reports whether nothing waits in the coordination's queues.
func (c TodoCoordination) Empty() bool {
	return c.SeedRequests == 0 && c.PledgesToConfirm == 0 && c.PaymentsDue == 0
}

// TodoMyRequest is the person's request to join a défi.
type TodoMyRequest struct {
	ChallengeSlug, ChallengeTitle string
	Since                         time.Time
}

// TodoMyPlaceRequest is the person's request to join a tiers-lieu.
type TodoMyPlaceRequest struct {
	PlaceSlug, PlaceName string
	Since                time.Time
}

// ToDecide reports whether something waits for the person's decision.
func (t Todo) ToDecide() bool {
	return len(t.JoinRequests) > 0 || len(t.Contributions) > 0 || len(t.PlaceRequests) > 0 || !t.Coordination.Empty()
}

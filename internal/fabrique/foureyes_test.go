package fabrique_test

import (
	"testing"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// TestCheckSeedDecider walks every role against a request: only a coordinator who is
// neither its requester nor the défi's porteur decides.
func TestCheckSeedDecider(t *testing.T) {
	t.Parallel()
	const requester, lead, other = 1, 2, 3
	user := func(id int64, role string) *fabrique.User { return &fabrique.User{ID: id, Role: role} }
	co, contrib := fabrique.RoleCoordinator, fabrique.RoleContributor
	tests := []struct {
		name    string
		u       *fabrique.User
		f       fabrique.SeedDeciderFacts
		want    string // error code, "" when allowed
		wantBar string
	}{
		{"visitor", nil, fabrique.SeedDeciderFacts{RequestedBy: lead, LeadID: lead}, fabrique.EFORBIDDEN, ""},
		{"contributor", user(other, contrib), fabrique.SeedDeciderFacts{RequestedBy: lead, LeadID: lead}, fabrique.EFORBIDDEN, ""},
		{"porteur, not coordinator", user(lead, contrib), fabrique.SeedDeciderFacts{RequestedBy: lead, LeadID: lead}, fabrique.EFORBIDDEN, fabrique.SeedDeciderRequester},
		{"other coordinator", user(other, co), fabrique.SeedDeciderFacts{RequestedBy: lead, LeadID: lead}, "", ""},
		{"coordinator, porteur and requester", user(lead, co), fabrique.SeedDeciderFacts{RequestedBy: lead, LeadID: lead}, fabrique.EFORBIDDEN, fabrique.SeedDeciderRequester},
		{"coordinator, requester, no longer porteur", user(requester, co), fabrique.SeedDeciderFacts{RequestedBy: requester, LeadID: lead}, fabrique.EFORBIDDEN, fabrique.SeedDeciderRequester},
		{"coordinator, porteur since the request", user(lead, co), fabrique.SeedDeciderFacts{RequestedBy: requester, LeadID: lead}, fabrique.EFORBIDDEN, fabrique.SeedDeciderLead},
		{"coordinator, neither", user(other, co), fabrique.SeedDeciderFacts{RequestedBy: requester, LeadID: lead}, "", ""},
	}
	for _, tt := range tests {
		err := fabrique.CheckSeedDecider(tt.u, tt.f)
		if got := fabrique.ErrorCode(err); got != tt.want {
			t.Errorf("%s: got %q (%v), want %q", tt.name, got, err, tt.want)
		}
		if err != nil && fabrique.ErrorMessage(err) == "" {
			t.Errorf("%s: refused without a sentence", tt.name)
		}
		if got := fabrique.SeedDeciderBar(tt.u, tt.f); got != tt.wantBar {
			t.Errorf("%s: bar got %q, want %q", tt.name, got, tt.wantBar)
		}
	}
}

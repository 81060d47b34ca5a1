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

// TestCheckSeedDecision walks every role × request state × défi status × decision: the
// four-eyes rule first, then a refusal's note, a request decided once, and an approval
// only while the défi is in équipe or préfiguration.
func TestCheckSeedDecision(t *testing.T) {
	t.Parallel()
	const requester, lead, other = 1, 2, 3
	user := func(id int64, role string) *fabrique.User { return &fabrique.User{ID: id, Role: role} }
	co, contrib := fabrique.RoleCoordinator, fabrique.RoleContributor
	decisions := map[string]fabrique.SeedDecision{
		"approve":         {Approve: true},
		"approve, note":   {Approve: true, Note: "ok"},
		"refuse, note":    {Note: "non"},
		"refuse, no note": {},
	}
	states := []string{fabrique.SeedPending, fabrique.SeedApproved, fabrique.SeedRefused}
	barred := map[string]*fabrique.User{
		"visitor":                    nil,
		"contributor":                user(other, contrib),
		"requester, not coordinator": user(requester, contrib),
		"porteur, not coordinator":   user(lead, contrib),
		"coordinator, requester":     user(requester, co),
		"coordinator, porteur":       user(lead, co),
	}
	for name, u := range barred {
		for dn, d := range decisions {
			for _, state := range states {
				for _, status := range fabrique.Statuses {
					f := fabrique.SeedDecisionFacts{SeedDeciderFacts: fabrique.SeedDeciderFacts{RequestedBy: requester, LeadID: lead}, State: state, Status: status}
					if got := fabrique.ErrorCode(fabrique.CheckSeedDecision(u, d, f)); got != fabrique.EFORBIDDEN {
						t.Errorf("%s, %s on %s (%s): got %q, want %q", name, dn, state, status, got, fabrique.EFORBIDDEN)
					}
				}
			}
		}
	}
	// The deciding coordinator: the outcome for each défi status, in the order of
	// fabrique.Statuses (identifie, equipe, prefiguration, developpement, clos).
	const ok, inv, clash = "", fabrique.EINVALID, fabrique.ECONFLICT
	tests := []struct {
		decision string
		state    string
		want     [5]string
	}{
		{"approve", fabrique.SeedPending, [5]string{inv, ok, ok, inv, inv}},
		{"approve, note", fabrique.SeedPending, [5]string{inv, ok, ok, inv, inv}},
		{"refuse, note", fabrique.SeedPending, [5]string{ok, ok, ok, ok, ok}},
		{"refuse, no note", fabrique.SeedPending, [5]string{inv, inv, inv, inv, inv}},
		{"approve", fabrique.SeedApproved, [5]string{clash, clash, clash, clash, clash}},
		{"approve, note", fabrique.SeedApproved, [5]string{clash, clash, clash, clash, clash}},
		{"refuse, note", fabrique.SeedApproved, [5]string{clash, clash, clash, clash, clash}},
		{"refuse, no note", fabrique.SeedApproved, [5]string{inv, inv, inv, inv, inv}},
		{"approve", fabrique.SeedRefused, [5]string{clash, clash, clash, clash, clash}},
		{"approve, note", fabrique.SeedRefused, [5]string{clash, clash, clash, clash, clash}},
		{"refuse, note", fabrique.SeedRefused, [5]string{clash, clash, clash, clash, clash}},
		{"refuse, no note", fabrique.SeedRefused, [5]string{inv, inv, inv, inv, inv}},
	}
	decider := user(other, co)
	for _, tt := range tests {
		for i, status := range fabrique.Statuses {
			f := fabrique.SeedDecisionFacts{SeedDeciderFacts: fabrique.SeedDeciderFacts{RequestedBy: requester, LeadID: lead}, State: tt.state, Status: status}
			err := fabrique.CheckSeedDecision(decider, decisions[tt.decision], f)
			if got := fabrique.ErrorCode(err); got != tt.want[i] {
				t.Errorf("%s on %s (%s): got %q (%v), want %q", tt.decision, tt.state, status, got, err, tt.want[i])
			}
			if err != nil && fabrique.ErrorMessage(err) == "" {
				t.Errorf("%s on %s (%s): refused without a sentence", tt.decision, tt.state, status)
			}
		}
	}
	if fields := fabrique.ErrorFields(fabrique.CheckSeedDecision(decider, fabrique.SeedDecision{}, fabrique.SeedDecisionFacts{
		SeedDeciderFacts: fabrique.SeedDeciderFacts{RequestedBy: requester, LeadID: lead}, State: fabrique.SeedPending, Status: fabrique.StatusTeam})); fields["note"] == "" {
		t.Errorf("a refusal without a note: got fields %v, want one on note", fields)
	}
}

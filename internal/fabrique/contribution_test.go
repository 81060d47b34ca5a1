package fabrique_test

import (
	"testing"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// TestCheckContributionDecision walks every decision × role × state: the porteur or a
// coordinator validates and refuses, a coordinator pays, never their own contribution,
// and the state must allow it; a decision already taken is "already", not an error.
func TestCheckContributionDecision(t *testing.T) {
	t.Parallel()
	const author, lead, other = 1, 2, 3
	user := func(id int64, role string) *fabrique.User { return &fabrique.User{ID: id, Role: role} }
	co, contrib := fabrique.RoleCoordinator, fabrique.RoleContributor
	roles := map[string]*fabrique.User{
		"visitor":             nil,
		"team member":         user(other, contrib),
		"author":              user(author, contrib),
		"author coordinator":  user(author, co),
		"porteur":             user(lead, contrib),
		"porteur coordinator": user(lead, co),
		"coordinator":         user(other, co),
	}
	states := []string{fabrique.ContributionDeclared, fabrique.ContributionValidated, fabrique.ContributionPaid, fabrique.ContributionRefused}
	const (
		ok      = "ok"
		already = "already"
		forbid  = fabrique.EFORBIDDEN
		invalid = fabrique.EINVALID
		clash   = fabrique.ECONFLICT
	)
	// want is the outcome for each state, in the order of states.
	tests := []struct {
		decision  fabrique.ContributionDecision
		role      string
		volunteer bool
		want      [4]string
	}{
		{fabrique.ContributionValidate, "visitor", false, [4]string{forbid, forbid, forbid, forbid}},
		{fabrique.ContributionValidate, "team member", false, [4]string{forbid, forbid, forbid, forbid}},
		{fabrique.ContributionValidate, "author", false, [4]string{forbid, forbid, forbid, forbid}},
		{fabrique.ContributionValidate, "author coordinator", false, [4]string{forbid, forbid, forbid, forbid}},
		{fabrique.ContributionValidate, "porteur", false, [4]string{ok, already, clash, clash}},
		{fabrique.ContributionValidate, "porteur coordinator", false, [4]string{ok, already, clash, clash}},
		{fabrique.ContributionValidate, "coordinator", false, [4]string{ok, already, clash, clash}},
		{fabrique.ContributionValidate, "coordinator", true, [4]string{ok, already, clash, clash}},

		{fabrique.ContributionRefuse, "visitor", false, [4]string{forbid, forbid, forbid, forbid}},
		{fabrique.ContributionRefuse, "team member", false, [4]string{forbid, forbid, forbid, forbid}},
		{fabrique.ContributionRefuse, "author", false, [4]string{forbid, forbid, forbid, forbid}},
		{fabrique.ContributionRefuse, "author coordinator", false, [4]string{forbid, forbid, forbid, forbid}},
		{fabrique.ContributionRefuse, "porteur", false, [4]string{ok, ok, clash, already}},
		{fabrique.ContributionRefuse, "porteur coordinator", false, [4]string{ok, ok, clash, already}},
		{fabrique.ContributionRefuse, "coordinator", false, [4]string{ok, ok, clash, already}},
		{fabrique.ContributionRefuse, "coordinator", true, [4]string{ok, ok, clash, already}},

		{fabrique.ContributionPay, "visitor", false, [4]string{forbid, forbid, forbid, forbid}},
		{fabrique.ContributionPay, "team member", false, [4]string{forbid, forbid, forbid, forbid}},
		{fabrique.ContributionPay, "author", false, [4]string{forbid, forbid, forbid, forbid}},
		{fabrique.ContributionPay, "author coordinator", false, [4]string{forbid, forbid, forbid, forbid}},
		{fabrique.ContributionPay, "porteur", false, [4]string{forbid, forbid, forbid, forbid}},
		{fabrique.ContributionPay, "porteur coordinator", false, [4]string{invalid, ok, already, clash}},
		{fabrique.ContributionPay, "coordinator", false, [4]string{invalid, ok, already, clash}},
		{fabrique.ContributionPay, "coordinator", true, [4]string{invalid, invalid, invalid, invalid}},
		{fabrique.ContributionPay, "porteur", true, [4]string{forbid, forbid, forbid, forbid}},

		{"delete", "coordinator", false, [4]string{invalid, invalid, invalid, invalid}},
	}
	for _, tt := range tests {
		for i, state := range states {
			c := &fabrique.ContributionRecord{LeadID: lead, Contribution: fabrique.Contribution{UserID: author, State: state, Volunteer: tt.volunteer}}
			gotAlready, err := fabrique.CheckContributionDecision(roles[tt.role], tt.decision, c)
			got := fabrique.ErrorCode(err)
			switch {
			case err == nil && gotAlready:
				got = already
			case err == nil:
				got = ok
			case gotAlready:
				t.Errorf("%s by %s on %s: already with an error %v", tt.decision, tt.role, state, err)
			case fabrique.ErrorMessage(err) == "":
				t.Errorf("%s by %s on %s: refused without a sentence", tt.decision, tt.role, state)
			}
			if got != tt.want[i] {
				t.Errorf("%s by %s on %s (volunteer %v): got %s (%v), want %s", tt.decision, tt.role, state, tt.volunteer, got, err, tt.want[i])
			}
			if may := fabrique.MayTakeContributionDecision(roles[tt.role], tt.decision, c); may != (tt.want[i] == ok) {
				t.Errorf("%s by %s on %s: may got %v, want %v", tt.decision, tt.role, state, may, tt.want[i] == ok)
			}
		}
	}
}

// TestCheckLogContribution walks every state of the person's row in the team × status
// of the défi: only an accepted member logs work (EFORBIDDEN, whatever the status), on a
// défi whose team is formed and not closed (EINVALID).
func TestCheckLogContribution(t *testing.T) {
	t.Parallel()
	for _, state := range teamStates {
		for _, status := range fabrique.Statuses {
			want := ""
			switch {
			case state != fabrique.MemberAccepted:
				want = fabrique.EFORBIDDEN
			case status == fabrique.StatusIdentified || status == fabrique.StatusClosed:
				want = fabrique.EINVALID
			}
			err := fabrique.CheckLogContribution(state, status)
			if got := fabrique.ErrorCode(err); got != want {
				t.Errorf("state %q, %s: got %q (%v), want %q", state, status, got, err, want)
			}
		}
	}
}

package fabrique_test

import (
	"testing"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// teamRoles are the people who may act on a défi's team: the porteur (id 1), a
// coordinator, another member and a contributor outside the team. A visitor has no
// session and never reaches the store; nil stands for one anyway.
var teamRoles = []struct {
	name string
	u    *fabrique.User
}{
	{"visitor", nil},
	{"porteur", &fabrique.User{ID: 1, Role: fabrique.RoleContributor}},
	{"coordinator", &fabrique.User{ID: 9, Role: fabrique.RoleCoordinator}},
	{"contributor", &fabrique.User{ID: 7, Role: fabrique.RoleContributor}},
}

// teamStates are the states of the row of the person a decision is about, "" for none.
var teamStates = []string{"", fabrique.MemberPending, fabrique.MemberAccepted, fabrique.MemberRefused, fabrique.MemberLeft}

// TestCheckJoinDecision walks every role × request state × défi open or closed × accept
// or refuse: only the porteur and coordinators decide, only a pending request, and a
// closed défi takes no new member (a refusal is still possible).
func TestCheckJoinDecision(t *testing.T) {
	t.Parallel()
	// want[role][state] on an open défi, for accepting and refusing alike.
	want := map[string]map[string]string{
		"visitor":     {"": fabrique.EFORBIDDEN, "pending": fabrique.EFORBIDDEN, "accepted": fabrique.EFORBIDDEN, "refused": fabrique.EFORBIDDEN, "left": fabrique.EFORBIDDEN},
		"contributor": {"": fabrique.EFORBIDDEN, "pending": fabrique.EFORBIDDEN, "accepted": fabrique.EFORBIDDEN, "refused": fabrique.EFORBIDDEN, "left": fabrique.EFORBIDDEN},
		"porteur":     {"": fabrique.ENOTFOUND, "pending": "", "accepted": fabrique.ECONFLICT, "refused": fabrique.ECONFLICT, "left": fabrique.ECONFLICT},
		"coordinator": {"": fabrique.ENOTFOUND, "pending": "", "accepted": fabrique.ECONFLICT, "refused": fabrique.ECONFLICT, "left": fabrique.ECONFLICT},
	}
	for _, r := range teamRoles {
		for _, state := range teamStates {
			for _, status := range []fabrique.Status{fabrique.StatusTeam, fabrique.StatusClosed} {
				for _, accept := range []bool{true, false} {
					expected := want[r.name][state]
					if status == fabrique.StatusClosed && accept && expected != fabrique.EFORBIDDEN {
						expected = fabrique.ECONFLICT // closed: reopen before accepting
					}
					err := fabrique.CheckJoinDecision(r.u, accept, fabrique.TeamFacts{Status: status, LeadID: 1, State: state})
					if got := fabrique.ErrorCode(err); got != expected {
						t.Errorf("%s, state %q, %s, accept %v: got %q (%v), want %q", r.name, state, status, accept, got, err, expected)
					}
					if err != nil && fabrique.ErrorMessage(err) == "" {
						t.Errorf("%s, state %q: refused without a sentence", r.name, state)
					}
				}
			}
		}
	}
}

// TestCheckHandOver walks every role × state of the future porteur's row: only the
// porteur and coordinators hand the role over, to an accepted member who is not the
// porteur already.
func TestCheckHandOver(t *testing.T) {
	t.Parallel()
	want := map[string]map[string]string{
		"visitor":     {"": fabrique.EFORBIDDEN, "pending": fabrique.EFORBIDDEN, "accepted": fabrique.EFORBIDDEN, "refused": fabrique.EFORBIDDEN, "left": fabrique.EFORBIDDEN},
		"contributor": {"": fabrique.EFORBIDDEN, "pending": fabrique.EFORBIDDEN, "accepted": fabrique.EFORBIDDEN, "refused": fabrique.EFORBIDDEN, "left": fabrique.EFORBIDDEN},
		"porteur":     {"": fabrique.ENOTFOUND, "pending": fabrique.ECONFLICT, "accepted": "", "refused": fabrique.ECONFLICT, "left": fabrique.ECONFLICT},
		"coordinator": {"": fabrique.ENOTFOUND, "pending": fabrique.ECONFLICT, "accepted": "", "refused": fabrique.ECONFLICT, "left": fabrique.ECONFLICT},
	}
	for _, r := range teamRoles {
		for _, state := range teamStates {
			err := fabrique.CheckHandOver(r.u, 5, fabrique.TeamFacts{LeadID: 1, State: state})
			if got := fabrique.ErrorCode(err); got != want[r.name][state] {
				t.Errorf("%s, state %q: got %q (%v), want %q", r.name, state, got, err, want[r.name][state])
			}
		}
		// Handing the role to the porteur themself is refused after the permission check.
		wantSelf := fabrique.ECONFLICT
		if r.name == "visitor" || r.name == "contributor" {
			wantSelf = fabrique.EFORBIDDEN
		}
		err := fabrique.CheckHandOver(r.u, 1, fabrique.TeamFacts{LeadID: 1, State: fabrique.MemberAccepted})
		if got := fabrique.ErrorCode(err); got != wantSelf {
			t.Errorf("%s, to the porteur: got %q (%v), want %q", r.name, got, err, wantSelf)
		}
	}
}

// TestCheckLeaveTeam walks every state × role of the row of the person leaving: an
// accepted member or a pending request leaves, the porteur hands the role over first,
// and someone not in the team cannot leave it (ECONFLICT both).
func TestCheckLeaveTeam(t *testing.T) {
	t.Parallel()
	for _, state := range teamStates {
		for _, role := range []string{"", fabrique.TeamMember, fabrique.TeamLead} {
			if (state == "") != (role == "") {
				continue // a row has both, no row neither
			}
			want := fabrique.ECONFLICT
			if role == fabrique.TeamMember && (state == fabrique.MemberAccepted || state == fabrique.MemberPending) {
				want = ""
			}
			err := fabrique.CheckLeaveTeam(state, role)
			if got := fabrique.ErrorCode(err); got != want {
				t.Errorf("state %q, role %q: got %q (%v), want %q", state, role, got, err, want)
			}
		}
	}
	if got, want := fabrique.ErrorMessage(fabrique.CheckLeaveTeam(fabrique.MemberAccepted, fabrique.TeamLead)),
		"Le·la porteur·se ne peut pas quitter l’équipe : confiez d’abord ce rôle à un autre membre."; got != want {
		t.Errorf("porteur: got %q, want %q", got, want)
	}
}

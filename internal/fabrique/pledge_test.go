package fabrique

import (
	"errors"
	"testing"
)

// TestCheckPledgeDecision walks every role × decision × pledge state.
func TestCheckPledgeDecision(t *testing.T) {
	const funderID = 7
	roles := map[string]*User{
		"funder":             {ID: funderID, Role: RoleContributor},
		"coordinator":        {ID: 8, Role: RoleCoordinator},
		"coordinator funder": {ID: funderID, Role: RoleCoordinator},
		"stranger":           {ID: 9, Role: RoleContributor},
	}
	// want: "ok", "already", or an error code.
	want := map[PledgeDecision]map[string]string{
		PledgeModify:  {"funder": "ok", "coordinator": EFORBIDDEN, "coordinator funder": "ok", "stranger": EFORBIDDEN},
		PledgeCancel:  {"funder": "ok", "coordinator": "ok", "coordinator funder": "ok", "stranger": EFORBIDDEN},
		PledgeConfirm: {"funder": EFORBIDDEN, "coordinator": "ok", "coordinator funder": EFORBIDDEN, "stranger": EFORBIDDEN},
	}
	for d, byRole := range want {
		for role, u := range roles {
			for _, state := range []string{PledgePromise, PledgeConfirmed, PledgeCancelled, PledgeExpired} {
				exp := byRole[role]
				if exp == "ok" {
					switch {
					case d == PledgeCancel && state == PledgeCancelled, d == PledgeConfirm && state == PledgeConfirmed:
						exp = "already"
					case state != PledgePromise:
						exp = ECONFLICT
					}
				}
				already, err := CheckPledgeDecision(u, d, funderID, state)
				got := "ok"
				var fe *Error
				switch {
				case errors.As(err, &fe):
					got = fe.Code
				case err != nil:
					got = err.Error()
				case already:
					got = "already"
				}
				if got != exp {
					t.Errorf("%s by %s on %s: got %s, want %s", d, role, state, got, exp)
				}
			}
		}
	}
}

// TestMayReadPledge: its funder and the coordination, nobody else.
func TestMayReadPledge(t *testing.T) {
	for _, c := range []struct {
		name string
		u    *User
		want bool
	}{
		{"visitor", nil, false},
		{"funder", &User{ID: 7, Role: RoleContributor}, true},
		{"coordinator", &User{ID: 8, Role: RoleCoordinator}, true},
		{"stranger", &User{ID: 9, Role: RoleContributor}, false},
	} {
		if got := MayReadPledge(c.u, 7); got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}

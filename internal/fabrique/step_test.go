package fabrique_test

import (
	"testing"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// TestCheckStepEditor walks every role × being the porteur of a défi the commun came
// from: a coordinator or that porteur adds steps, nobody else.
func TestCheckStepEditor(t *testing.T) {
	t.Parallel()
	for _, r := range teamRoles {
		for _, originLead := range []bool{false, true} {
			may := r.u != nil && (originLead || r.name == "coordinator")
			if got := fabrique.MayEditSteps(r.u, originLead); got != may {
				t.Errorf("MayEditSteps %s, origin lead %v: got %v, want %v", r.name, originLead, got, may)
			}
			want := fabrique.EFORBIDDEN
			if may {
				want = ""
			}
			err := fabrique.CheckStepEditor(r.u, originLead)
			if got := fabrique.ErrorCode(err); got != want {
				t.Errorf("%s, origin lead %v: got %q (%v), want %q", r.name, originLead, got, err, want)
			}
		}
	}
}

package fabrique_test

import (
	"testing"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// TestCheckFramingEditor walks every role × membership of the défi's team: a coordinator
// or an accepted member changes the framing, nobody else.
func TestCheckFramingEditor(t *testing.T) {
	t.Parallel()
	for _, r := range teamRoles {
		for _, member := range []bool{false, true} {
			want := fabrique.EFORBIDDEN
			if member || r.name == "coordinator" {
				want = ""
			}
			err := fabrique.CheckFramingEditor(r.u, member)
			if got := fabrique.ErrorCode(err); got != want {
				t.Errorf("%s, member %v: got %q (%v), want %q", r.name, member, got, err, want)
			}
		}
	}
}

package fabrique_test

import (
	"fmt"
	"testing"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

var roles = map[string]fabrique.Actor{
	"anonyme":      {},
	"contributeur": {LoggedIn: true},
	"membre":       {LoggedIn: true, Member: true},
	"porteur":      {LoggedIn: true, Member: true, Lead: true},
	"coordination": {LoggedIn: true, Coordinator: true},
}

const (
	I = fabrique.StatusIdentified
	E = fabrique.StatusTeam
	P = fabrique.StatusFraming
	D = fabrique.StatusDevelopment
	C = fabrique.StatusClosed
)

// porteurMoves and coordinatorMoves are DESIGN.md §2 written out: every move not listed
// is refused — 403 for someone without the right, 422 for a move the rules refuse.
var (
	porteurMoves = map[[2]fabrique.Status]bool{{I, E}: true, {E, P}: true}
	// The coordination may also step back one step, close, and reopen.
	coordinatorMoves = map[[2]fabrique.Status]bool{
		{I, E}: true, {E, P}: true, {P, D}: true,
		{E, I}: true, {P, E}: true, {D, P}: true,
		{I, C}: true, {E, C}: true, {P, C}: true, {D, C}: true,
		{C, I}: true, {C, E}: true, {C, P}: true, {C, D}: true,
	}
	// Moves in the process that only the coordination makes: a porteur gets 403, not 422.
	coordinatorOnly = map[[2]fabrique.Status]bool{
		{P, D}: true, {E, I}: true, {P, E}: true, {D, P}: true,
		{I, C}: true, {E, C}: true, {P, C}: true, {D, C}: true,
		{C, I}: true, {C, E}: true, {C, P}: true, {C, D}: true,
	}
)

// TestCheckTransitionTable walks every pair of statuses (and an unknown one) for every
// role, with every guard satisfied.
func TestCheckTransitionTable(t *testing.T) {
	t.Parallel()
	all := append([]fabrique.Status{}, fabrique.Statuses...)
	all = append(all, "inconnu")
	ok := fabrique.TransitionFacts{Members: 2, FramingComplete: true}
	for role, actor := range roles {
		for _, from := range fabrique.Statuses {
			for _, to := range all {
				move := [2]fabrique.Status{from, to}
				var want string
				switch {
				case !actor.Lead && !actor.Coordinator:
					want = fabrique.EFORBIDDEN
				case actor.Coordinator && coordinatorMoves[move], actor.Lead && porteurMoves[move]:
					want = ""
				case actor.Lead && coordinatorOnly[move]:
					want = fabrique.EFORBIDDEN
				default:
					want = fabrique.EINVALID
				}
				err := fabrique.CheckTransition(from, to, "une raison", actor, ok)
				if got := fabrique.ErrorCode(err); got != want {
					t.Errorf("%s: %s → %s: got %q (%v), want %q", role, from, to, got, err, want)
				}
				if want == fabrique.EINVALID && fabrique.ErrorMessage(err) == "" {
					t.Errorf("%s: %s → %s: a refusal without a sentence", role, from, to)
				}
			}
		}
	}
}

// TestCheckTransitionGuards checks each guard refuses with 422 and a French sentence.
func TestCheckTransitionGuards(t *testing.T) {
	t.Parallel()
	porteur, coord := roles["porteur"], roles["coordination"]
	tests := []struct {
		from, to fabrique.Status
		note     string
		actor    fabrique.Actor
		facts    fabrique.TransitionFacts
		want     string
	}{
		{I, E, "", porteur, fabrique.TransitionFacts{Members: 1}, fabrique.EINVALID},
		{I, E, "", porteur, fabrique.TransitionFacts{Members: 2}, ""},
		{I, E, "", coord, fabrique.TransitionFacts{Members: 0}, fabrique.EINVALID},
		{E, P, "", porteur, fabrique.TransitionFacts{Members: 1}, fabrique.EINVALID},
		{P, D, "", coord, fabrique.TransitionFacts{Members: 3, FramingComplete: false}, fabrique.EINVALID},
		{P, D, "", coord, fabrique.TransitionFacts{Members: 3, FramingComplete: true}, ""},
		{D, C, "", coord, fabrique.TransitionFacts{Members: 3}, fabrique.EINVALID},
		{D, C, "   ", coord, fabrique.TransitionFacts{Members: 3}, fabrique.EINVALID},
		{D, C, "Abouti : le commun est lancé.", coord, fabrique.TransitionFacts{Members: 3}, ""},
		{I, C, "Doublon", coord, fabrique.TransitionFacts{Members: 1}, ""},
		{C, I, "", coord, fabrique.TransitionFacts{Members: 1}, ""},
		{C, E, "", coord, fabrique.TransitionFacts{Members: 1}, fabrique.EINVALID},
		{C, D, "", coord, fabrique.TransitionFacts{Members: 2, FramingComplete: false}, fabrique.EINVALID},
		{C, D, "", coord, fabrique.TransitionFacts{Members: 2, FramingComplete: true}, ""},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s→%s/%d", tt.from, tt.to, tt.facts.Members), func(t *testing.T) {
			err := fabrique.CheckTransition(tt.from, tt.to, tt.note, tt.actor, tt.facts)
			if got := fabrique.ErrorCode(err); got != tt.want {
				t.Fatalf("got %q (%v), want %q", got, err, tt.want)
			}
			if tt.want == fabrique.EINVALID && fabrique.ErrorFields(err)["statut"] == "" {
				t.Errorf("got no message on the statut field")
			}
		})
	}
}

func TestNextMoves(t *testing.T) {
	t.Parallel()
	if got := fabrique.NextMoves(I, roles["porteur"]); len(got) != 1 || got[0] != E {
		t.Errorf("porteur from identifie: got %v, want [equipe]", got)
	}
	if got := fabrique.NextMoves(P, roles["porteur"]); len(got) != 0 {
		t.Errorf("porteur from prefiguration: got %v, want none (développement is the coordination's)", got)
	}
	if got := fabrique.NextMoves(P, roles["coordination"]); len(got) != 3 {
		t.Errorf("coordination from prefiguration: got %v, want [equipe developpement clos]", got)
	}
	if got := fabrique.NextMoves(C, roles["membre"]); len(got) != 0 {
		t.Errorf("member: got %v, want none", got)
	}
}

func TestFramingMissing(t *testing.T) {
	t.Parallel()
	var f fabrique.Framing
	if got := len(f.Missing()); got != 5 {
		t.Fatalf("empty framing: got %d missing, want 5 (actors is optional)", got)
	}
	for _, fd := range fabrique.FramingFields {
		f.Set(fd.Name, "  rempli  ")
	}
	f.Set("actors", "")
	f.Normalize()
	if !f.Complete() {
		t.Errorf("got missing %v, want complete", f.Missing())
	}
	if f.Get("problems") != "rempli" {
		t.Errorf("got %q, want trimmed", f.Get("problems"))
	}
	f.Set("approach", "\n\t ")
	if f.Complete() || f.Missing()[0].Name != "approach" {
		t.Errorf("got missing %v, want [approach]", f.Missing())
	}
}

func TestStatusAccepts(t *testing.T) {
	t.Parallel()
	for _, s := range fabrique.Statuses {
		wantSeed := s == E || s == P
		wantWork := s == E || s == P || s == D
		if got := s.AcceptsSeedRequest(); got != wantSeed {
			t.Errorf("%s.AcceptsSeedRequest(): got %v, want %v", s, got, wantSeed)
		}
		if got := s.AcceptsContributions(); got != wantWork {
			t.Errorf("%s.AcceptsContributions(): got %v, want %v", s, got, wantWork)
		}
	}
}

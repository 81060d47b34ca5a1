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

// TestMoveOptions: the status form's moves for each role, status and facts, in the order
// shown, with the reasons of those still barred.
func TestMoveOptions(t *testing.T) {
	t.Parallel()
	const (
		members = "Il faut au moins deux membres dans l’équipe, porteur·se compris·e, pour passer à cette étape."
		framing = "Le cadrage doit être complet (problèmes, cas d’usage, solutions existantes, démarche, prochaines étapes) pour passer en développement."
		devOnly = "Seule la coordination décide du passage en développement."
	)
	alone := fabrique.TransitionFacts{Members: 1}
	team := fabrique.TransitionFacts{Members: 2}
	ready := fabrique.TransitionFacts{Members: 2, FramingComplete: true}
	type opt struct {
		to      fabrique.Status
		allowed bool
		reasons []string
	}
	tests := []struct {
		name  string
		role  string
		from  fabrique.Status
		facts fabrique.TransitionFacts
		want  []opt
	}{
		{"porteur alone", "porteur", I, alone, []opt{{E, false, []string{members}}}},
		{"porteur with a team", "porteur", I, team, []opt{{E, true, nil}}},
		{"porteur, team formed", "porteur", E, team, []opt{{P, true, nil}}},
		{"porteur, framing incomplete", "porteur", P, team, []opt{{D, false, []string{devOnly, framing}}}},
		{"porteur, framing complete", "porteur", P, ready, []opt{{D, false, []string{devOnly}}}},
		{"porteur in développement", "porteur", D, ready, nil},
		{"porteur, closed", "porteur", C, ready, nil},
		{"member", "membre", E, team, nil},
		{"contributor", "contributeur", I, team, nil},
		{"visitor", "anonyme", P, ready, nil},
		{"coordinator, alone", "coordination", I, alone, []opt{{E, false, []string{members}}, {C, true, nil}}},
		{"coordinator, team", "coordination", E, team, []opt{{P, true, nil}, {C, true, nil}, {I, true, nil}}},
		{"coordinator, framing incomplete", "coordination", P, team, []opt{{D, false, []string{framing}}, {C, true, nil}, {E, true, nil}}},
		{"coordinator, framing complete", "coordination", P, ready, []opt{{D, true, nil}, {C, true, nil}, {E, true, nil}}},
		{"coordinator in développement", "coordination", D, ready, []opt{{C, true, nil}, {P, true, nil}}},
		{"coordinator, closed, alone", "coordination", C, alone, []opt{{I, true, nil}, {E, false, []string{members}}, {P, false, []string{members}}, {D, false, []string{members}}}},
		{"coordinator, closed, team", "coordination", C, team, []opt{{I, true, nil}, {E, true, nil}, {P, true, nil}, {D, false, []string{framing}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := fabrique.MoveOptions(tc.from, roles[tc.role], tc.facts)
			if len(got) != len(tc.want) {
				t.Fatalf("got %d options %+v, want %d %+v", len(got), got, len(tc.want), tc.want)
			}
			for i, w := range tc.want {
				g := got[i]
				if g.To != w.to || g.Allowed != w.allowed || fmt.Sprint(g.Reasons) != fmt.Sprint(w.reasons) {
					t.Errorf("option %d: got %s allowed=%v %q, want %s allowed=%v %q", i, g.To, g.Allowed, g.Reasons, w.to, w.allowed, w.reasons)
				}
			}
		})
	}
}

// TestMoveOptionsAgreeWithCheckTransition: whatever the role, status and facts, an option
// is allowed exactly when CheckTransition lets it through, every move it lets through is
// offered, and steps back come after every other move.
func TestMoveOptionsAgreeWithCheckTransition(t *testing.T) {
	t.Parallel()
	for role, a := range roles {
		for _, from := range fabrique.Statuses {
			for _, f := range []fabrique.TransitionFacts{{}, {Members: 1}, {Members: 2}, {Members: 2, FramingComplete: true}, {Members: 5, FramingComplete: true}} {
				opts := fabrique.MoveOptions(from, a, f)
				offered := map[fabrique.Status]bool{}
				for i, o := range opts {
					err := fabrique.CheckTransition(from, o.To, "x", a, f)
					if o.Allowed != (err == nil) {
						t.Errorf("%s %s→%s %+v: allowed=%v, CheckTransition says %v", role, from, o.To, f, o.Allowed, err)
					}
					if !o.Allowed && len(o.Reasons) == 0 {
						t.Errorf("%s %s→%s %+v: barred without a reason", role, from, o.To, f)
					}
					if i > 0 && opts[i-1].Back && !o.Back {
						t.Errorf("%s %s %+v: %s comes after a step back", role, from, f, o.To)
					}
					if o.Allowed {
						offered[o.To] = true
					}
				}
				for _, to := range fabrique.Statuses {
					if fabrique.CheckTransition(from, to, "x", a, f) == nil && !offered[to] {
						t.Errorf("%s %s→%s %+v: allowed by the rules, not offered", role, from, to, f)
					}
				}
			}
		}
	}
}

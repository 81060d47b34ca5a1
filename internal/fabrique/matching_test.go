package fabrique_test

import (
	"math/rand/v2"
	"testing"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

var allKinds = []string{"tiers-lieu", "collectivite", "fondation", "entreprise", "particulier"}

func TestMatchExamples(t *testing.T) {
	t.Parallel()
	p := func(c, s int64, kind string, amount int64, state string) fabrique.MatchPledge {
		return fabrique.MatchPledge{CommonsID: c, StepID: s, Kind: kind, Amount: amount, State: state}
	}
	pledges := []fabrique.MatchPledge{
		p(1, 10, "tiers-lieu", 1000_00, fabrique.PledgeConfirmed),
		p(1, 11, "tiers-lieu", 500_00, fabrique.PledgePromise),
		p(1, 10, "fondation", 5000_00, fabrique.PledgeConfirmed), // not matched
		p(2, 20, "tiers-lieu", 2000_00, fabrique.PledgeConfirmed),
		p(2, 20, "tiers-lieu", 999_00, fabrique.PledgeCancelled), // ignored
	}
	tests := []struct {
		name      string
		rule      fabrique.MatchRule
		promises  bool
		wantC1    int64
		wantC2    int64
		wantTotal int64
	}{
		{"1 € = 1 €, secured", fabrique.MatchRule{Percent: 100, Kinds: []string{"tiers-lieu"}, Pool: 100000_00}, false, 1000_00, 2000_00, 3000_00},
		{"1 € = 1 €, projected", fabrique.MatchRule{Percent: 100, Kinds: []string{"tiers-lieu"}, Pool: 100000_00}, true, 1500_00, 2000_00, 3500_00},
		{"1 € = 2 €", fabrique.MatchRule{Percent: 200, Kinds: []string{"tiers-lieu"}, Pool: 100000_00}, false, 2000_00, 4000_00, 6000_00},
		{"capped per commun", fabrique.MatchRule{Percent: 200, Kinds: []string{"tiers-lieu"}, Cap: 2500_00, Pool: 100000_00}, false, 2000_00, 2500_00, 4500_00},
		{"pool too small: scaled down", fabrique.MatchRule{Percent: 100, Kinds: []string{"tiers-lieu"}, Pool: 1500_00}, false, 500_00, 1000_00, 1500_00},
		{"foundations matched too", fabrique.MatchRule{Percent: 100, Kinds: []string{"tiers-lieu", "fondation"}, Pool: 100000_00}, false, 6000_00, 2000_00, 8000_00},
		{"no rule", fabrique.MatchRule{Pool: 100000_00}, true, 0, 0, 0},
		{"no pool", fabrique.MatchRule{Percent: 100, Kinds: []string{"tiers-lieu"}}, true, 0, 0, 0},
	}
	for _, tt := range tests {
		m := fabrique.Match(tt.rule, pledges, tt.promises)
		if m.ByCommons[1] != tt.wantC1 || m.ByCommons[2] != tt.wantC2 || m.Total != tt.wantTotal {
			t.Errorf("%s: got %d, %d, total %d; want %d, %d, total %d", tt.name, m.ByCommons[1], m.ByCommons[2], m.Total, tt.wantC1, tt.wantC2, tt.wantTotal)
		}
	}
	// Projected, 1 € = 1 €: commun 1's 1 500 € are shared between its steps 1 000 / 500.
	m := fabrique.Match(tests[1].rule, pledges, true)
	if m.ByStep[10] != 1000_00 || m.ByStep[11] != 500_00 || m.ByStep[20] != 2000_00 {
		t.Errorf("by step: got %v", m.ByStep)
	}
}

func randomCase(r *rand.Rand) (fabrique.MatchRule, []fabrique.MatchPledge) {
	rule := fabrique.MatchRule{
		Percent: r.IntN(4) * 50,
		Pool:    r.Int64N(50000_00),
	}
	if r.IntN(2) == 0 {
		rule.Cap = r.Int64N(10000_00)
	}
	for _, k := range allKinds {
		if r.IntN(2) == 0 {
			rule.Kinds = append(rule.Kinds, k)
		}
	}
	states := []string{fabrique.PledgePromise, fabrique.PledgeConfirmed, fabrique.PledgeCancelled, fabrique.PledgeExpired}
	var pledges []fabrique.MatchPledge
	for i := r.IntN(30); i > 0; i-- {
		c := int64(1 + r.IntN(4))
		pledges = append(pledges, fabrique.MatchPledge{
			CommonsID: c, StepID: c*10 + int64(r.IntN(3)), Kind: allKinds[r.IntN(len(allKinds))],
			Amount: 1 + r.Int64N(5000_00), State: states[r.IntN(len(states))],
		})
	}
	return rule, pledges
}

// TestMatchProperties checks on random calls that matching never exceeds the pool nor a
// cap, that steps add up to at most their commun, that the pledges' order changes
// nothing, and that a commun's matching never drops when one of its pledges is added.
// (The projected matching of a commun may be below its secured one: other communs'
// promises share the same pool.)
func TestMatchProperties(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 5000; i++ {
		rule, pledges := randomCase(r)
		for _, withPromises := range []bool{false, true} {
			m := fabrique.Match(rule, pledges, withPromises)
			var sum int64
			for c, v := range m.ByCommons {
				if v <= 0 || rule.Cap > 0 && v > rule.Cap {
					t.Fatalf("case %d: commun %d gets %d, cap %d", i, c, v, rule.Cap)
				}
				sum += v
				var steps int64
				for s, sv := range m.ByStep {
					if s/10 == c {
						steps += sv
					}
				}
				if steps > v {
					t.Fatalf("case %d: steps of commun %d get %d > %d", i, c, steps, v)
				}
			}
			if sum != m.Total || m.Total > rule.Pool {
				t.Fatalf("case %d: total %d (sum %d), pool %d", i, m.Total, sum, rule.Pool)
			}

			shuffled := append([]fabrique.MatchPledge(nil), pledges...)
			r.Shuffle(len(shuffled), func(a, b int) { shuffled[a], shuffled[b] = shuffled[b], shuffled[a] })
			again := fabrique.Match(rule, shuffled, withPromises)
			if again.Total != m.Total || len(again.ByCommons) != len(m.ByCommons) {
				t.Fatalf("case %d: order changed the total: %d vs %d", i, again.Total, m.Total)
			}
			for c, v := range m.ByCommons {
				if again.ByCommons[c] != v {
					t.Fatalf("case %d: order changed commun %d: %d vs %d", i, c, again.ByCommons[c], v)
				}
			}

			// Monotonic: one more confirmed pledge of a matched kind to commun c.
			if len(rule.Kinds) > 0 {
				c := int64(1 + r.IntN(4))
				more := append(append([]fabrique.MatchPledge(nil), pledges...), fabrique.MatchPledge{
					CommonsID: c, StepID: c * 10, Kind: rule.Kinds[0], Amount: 1 + r.Int64N(3000_00), State: fabrique.PledgeConfirmed})
				if after := fabrique.Match(rule, more, withPromises); after.ByCommons[c] < m.ByCommons[c] {
					t.Fatalf("case %d: commun %d dropped from %d to %d with one more pledge", i, c, m.ByCommons[c], after.ByCommons[c])
				}
			}
		}
	}
}

func TestMatchHugeAmounts(t *testing.T) {
	t.Parallel()
	var pledges []fabrique.MatchPledge
	for i := 0; i < 1000; i++ {
		pledges = append(pledges, fabrique.MatchPledge{CommonsID: int64(i % 3), StepID: int64(i % 3), Kind: "tiers-lieu", Amount: fabrique.MaxAmount, State: fabrique.PledgeConfirmed})
	}
	m := fabrique.Match(fabrique.MatchRule{Percent: 1000, Kinds: []string{"tiers-lieu"}, Pool: fabrique.MaxAmount}, pledges, false)
	if m.Total > fabrique.MaxAmount || m.Total < fabrique.MaxAmount-3 {
		t.Errorf("got total %d, want the pool %d (less rounding)", m.Total, fabrique.MaxAmount)
	}
}

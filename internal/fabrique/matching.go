package fabrique

import "math/bits"

// Funder kinds, as a pledge and a matching rule name them.
var FunderKinds = []struct{ Value, Label string }{
	{"tiers-lieu", "Tiers-lieu"},
	{"collectivite", "Collectivité"},
	{"fondation", "Fondation"},
	{"entreprise", "Entreprise"},
	{"particulier", "Particulier"},
}

// ValidFunderKind reports whether k is one of FunderKinds.
func ValidFunderKind(k string) bool {
	for _, f := range FunderKinds {
		if f.Value == k {
			return true
		}
	}
	return false
}

// Pledge states: promise → confirmee (funds received) | annulee | expiree.
const (
	PledgePromise   = "promise"
	PledgeConfirmed = "confirmee"
	PledgeCancelled = "annulee"
	PledgeExpired   = "expiree"
)

// MatchRule is a call's matching rule, as in the tiers-lieux programmes where "1 € from
// a tiers-lieu brings 1 € (or 2 €) to the commun".
type MatchRule struct {
	Percent int      // each matched euro brings Percent/100 euros: 100 for "1 € = 1 €"
	Kinds   []string // the funder kinds whose pledges are matched
	Cap     int64    // at most this much per commun, in cents; 0: no cap but the pool
	Pool    int64    // the call's matching pool, in cents
}

// MatchPledge is what matching looks at in a pledge.
type MatchPledge struct {
	CommonsID int64
	StepID    int64
	Kind      string
	Amount    int64
	State     string
	// Unmatchable is set on a pledge no rule counts whatever its kind: a tiers-lieu pledge
	// whose place is not verified or whose funder is not an accepted member of it (see
	// PlacePledgeMatchable). The stores set it from the current state of the place.
	Unmatchable bool
}

// Matching is what a rule brings, by commun and by step, in cents.
type Matching struct {
	ByCommons map[int64]int64
	ByStep    map[int64]int64
	Total     int64
}

// Match computes the matching of a call from its pledges — confirmed ones only for the
// secured matching, promises too for the projected one. It is a pure function of the
// data: deterministic, independent of the pledges' order, never above the pool nor a
// commun's cap, and a commun's matching never drops when its own pledges grow. When the
// pool cannot cover every commun, each one's share is scaled down in proportion, rounded
// down to the cent (the cents left over stay in the pool).
func Match(rule MatchRule, pledges []MatchPledge, withPromises bool) Matching {
	m := Matching{ByCommons: map[int64]int64{}, ByStep: map[int64]int64{}}
	if rule.Percent <= 0 || rule.Pool <= 0 {
		return m
	}
	matched := map[string]bool{}
	for _, k := range rule.Kinds {
		matched[k] = true
	}
	eligible := map[int64]int64{}     // by commun
	eligibleStep := map[int64]int64{} // by step
	stepCommons := map[int64]int64{}
	for _, p := range pledges {
		if p.Amount <= 0 || p.Unmatchable || !matched[p.Kind] || !(p.State == PledgeConfirmed || withPromises && p.State == PledgePromise) {
			continue
		}
		eligible[p.CommonsID] += p.Amount
		eligibleStep[p.StepID] += p.Amount
		stepCommons[p.StepID] = p.CommonsID
	}
	raw := map[int64]int64{}
	var total int64
	for c, e := range eligible {
		r := mulDiv(e, int64(rule.Percent), 100)
		if rule.Cap > 0 && r > rule.Cap {
			r = rule.Cap
		}
		raw[c] = r
		total += r
	}
	for c, r := range raw {
		if total > rule.Pool {
			r = mulDiv(r, rule.Pool, total)
		}
		if r > 0 {
			m.ByCommons[c] = r
			m.Total += r
		}
	}
	// A commun's matching is shared among its steps in proportion to their pledges.
	for s, e := range eligibleStep {
		c := stepCommons[s]
		if share := mulDiv(m.ByCommons[c], e, eligible[c]); share > 0 {
			m.ByStep[s] = share
		}
	}
	return m
}

// mulDiv returns a × b / c rounded down, without overflow for a, b, c ≥ 0 and c > 0
// when the result fits an int64.
func mulDiv(a, b, c int64) int64 {
	if a <= 0 || b <= 0 || c <= 0 {
		return 0
	}
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	if hi >= uint64(c) {
		return int64(^uint64(0) >> 1) // the result would not fit: saturate
	}
	q, _ := bits.Div64(hi, lo, uint64(c))
	if q > uint64(^uint64(0)>>1) {
		return int64(^uint64(0) >> 1)
	}
	return int64(q)
}

package postgres_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/postgres"
)

// pageRead is a field of a page's batch and what its store function returns on its own.
type pageRead struct {
	what string
	got  any
	read func() (any, error)
}

// wantPageReads checks each field of a page's batch against its store function.
func wantPageReads(t *testing.T, who string, reads []pageRead) {
	t.Helper()
	for _, c := range reads {
		want, err := c.read()
		if err != nil {
			t.Fatalf("%s: %s: %v", who, c.what, err)
		}
		if !reflect.DeepEqual(c.got, want) {
			t.Errorf("%s, %s: got %+v, want %+v", who, c.what, c.got, want)
		}
	}
}

// stepIDs are the ids of steps.
func stepIDs(steps []fabrique.Step) []int64 {
	ids := make([]int64, len(steps))
	for i, st := range steps {
		ids[i] = st.ID
	}
	return ids
}

// TestCommonsAndCallPages checks that the batches of a commun's page and of a call's page
// return what each store function returns on its own, for every viewer, on a commun that
// has a bit of everything — défis, tiers-lieux, team, steps in a call and out of it,
// pledges, funds spent and committed — on a bare commun, and on calls with and without
// steps; a call's page for a visitor, a funder with a profile and pledges, a member of
// tiers-lieux without a profile, an account with neither, and the coordination.
func TestCommonsAndCallPages(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := mustCallFixture(t)
	db := f.db
	member := mustUser(t, db, "Marc Membre")

	// The commun of a défi (its team: the porteur and the member), which another défi uses.
	ch := mustChallenge(t, db, "Cantine partagée", f.lead)
	mustDevReady(t, db, ch, member)
	k := mustDevelop(t, db, ch, f.coord, fabrique.StatusMove{Note: "Pertinence démontrée.", CommonsKind: "methode"}).Commons.ID
	other := mustChallenge(t, db, "Autre défi", f.funder)
	mustExec(t, db, `INSERT INTO challenge_commons (challenge_id, commons_id, relation) VALUES ($1, $2, 'solution')`, other.ID, k)

	// Tiers-lieux: one the member's that uses it, one the member's that does not (theirs
	// to declare).
	atelier := mustCreatePlace(t, db, "Atelier du Nord", "Hauts-de-France", member)
	mustCreatePlace(t, db, "Bureau commun", "Bretagne", member)
	if _, err := db.DeclareCommonsPlace(ctx, k, atelier.ID, member.ID); err != nil {
		t.Fatal(err)
	}

	// Steps: a in the call with another commun's step, b out of it; the funder's pledges in
	// and out of the call, and one of the member's in it; work paid from the commun's funds
	// and work still to pay.
	a, b := f.step(t, k, 1000000), f.step(t, k, 500000)
	elsewhere := f.step(t, f.commons(t), 300000)
	c := f.call(t, "Appel 2026", tiersLieuRule)
	f.join(t, c, a)
	f.join(t, c, elsewhere)
	f.pledge(t, c.ID, a, "tiers-lieu", 200000, fabrique.PledgeConfirmed)
	f.pledge(t, c.ID, a, "fondation", 50000, fabrique.PledgePromise)
	f.pledge(t, c.ID, a, "tiers-lieu", 30000, fabrique.PledgePromise)
	f.pledge(t, c.ID, elsewhere, "tiers-lieu", 100000, fabrique.PledgeConfirmed)
	f.pledge(t, 0, b, "entreprise", 70000, fabrique.PledgeConfirmed)
	mustExec(t, db, `INSERT INTO pledges (step_id, call_id, user_id, funder_kind, amount, state, idempotency_key)
		VALUES ($1, $2, $3, 'particulier', 10000, 'promise', 'cle-membre')`, elsewhere, c.ID, member.ID)
	payment, err := db.Post(ctx, fabrique.Movement{Kind: fabrique.TxPayment, Amount: 100000, From: fundsOf(k),
		To: fabrique.AccountRef{Kind: fabrique.AccountOutside}, CauseType: "contribution"})
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, db, `INSERT INTO contributions (challenge_id, user_id, worked_on, quarters, activity, day_rate, amount, reserved, paid_amount, state, paid_on, ledger_tx_id, commons_id, step_id)
		VALUES ($1, $2, '2026-03-01', 4, 'developpement', 100000, 100000, 100000, 100000, 'payee', '2026-03-10', $3, $4, $5),
		       ($1, $2, '2026-03-02', 4, 'developpement', 100000, 100000, 100000, 0, 'validee', NULL, NULL, $4, $5)`,
		ch.ID, member.ID, payment, k, a)

	// The funder has a funder profile; the member, in two tiers-lieux, has none.
	if _, err := db.SaveFunder(ctx, fabrique.Funder{UserID: f.funder.ID, Kind: "fondation", Organisation: "Fondation des Communs"}); err != nil {
		t.Fatal(err)
	}

	bare := f.commons(t)
	empty := f.call(t, "Appel vide", fabrique.MatchRule{})

	for _, viewer := range []*fabrique.User{nil, f.lead, member, f.coord, f.funder} {
		var viewerID int64
		who := "visitor"
		if viewer != nil {
			viewerID, who = viewer.ID, viewer.DisplayName
		}
		for _, id := range []int64{k, bare} {
			p, err := db.CommonsPage(ctx, id, viewerID)
			if err != nil {
				t.Fatalf("%s: CommonsPage(%d): %v", who, id, err)
			}
			wantPageReads(t, who, []pageRead{
				{"CommonsChallenges", p.Challenges, func() (any, error) { return db.CommonsChallenges(ctx, id) }},
				{"CommonsPlaces", p.Places, func() (any, error) { return db.CommonsPlaces(ctx, id, viewerID) }},
				{"CommonsTeam", p.Team, func() (any, error) { return db.CommonsTeam(ctx, id) }},
				{"CommonsSteps", p.Steps, func() (any, error) { return db.CommonsSteps(ctx, id) }},
				{"StepFigures", p.Figures, func() (any, error) { return db.StepFigures(ctx, stepIDs(p.Steps)) }},
				{"CommonsFunds", p.Funds, func() (any, error) { return db.CommonsFunds(ctx, id) }},
			})
		}
	}
	// What a call's page asks of its viewer: the pledge form's needs while the call is
	// open (Funder), and the pledges the viewer may see.
	viewers := []struct {
		who string
		v   postgres.CallViewer
	}{
		{"visitor", postgres.CallViewer{}},
		{"porteur", postgres.CallViewer{UserID: f.lead.ID, PledgesLimit: 500}},
		{"member", postgres.CallViewer{UserID: member.ID, PledgesLimit: 500}},
		{"member, call not open", postgres.CallViewer{UserID: member.ID, PledgesLimit: 500}},
		{"funder", postgres.CallViewer{UserID: f.funder.ID, PledgesLimit: 500}},
		{"funder, 2 pledges at most", postgres.CallViewer{UserID: f.funder.ID, PledgesLimit: 2}},
		{"coordination", postgres.CallViewer{UserID: f.coord.ID, AllPledges: true}},
		{"coordination, 3 pledges at most", postgres.CallViewer{UserID: f.coord.ID, AllPledges: true, PledgesLimit: 3}},
	}
	for _, call := range []*fabrique.Call{c, empty} {
		for _, choices := range []bool{false, true} {
			for _, perStep := range []int{1, postgres.CallPageFundersPerStep} {
				for _, viewer := range viewers {
					v := viewer.v
					who := call.Slug + ", " + viewer.who
					p, err := db.CallPage(ctx, call, perStep, choices, v)
					if err != nil {
						t.Fatalf("%s: CallPage: %v", who, err)
					}
					funders, counts, err := db.CallFunders(ctx, call.ID, perStep)
					if err != nil {
						t.Fatal(err)
					}
					var want []fabrique.Step // nil unless asked
					if choices {
						if want, err = db.StepsOutsideCall(ctx, call); err != nil {
							t.Fatal(err)
						}
					}
					wantPageReads(t, who, []pageRead{
						{"CallSteps", p.Steps, func() (any, error) { return db.CallSteps(ctx, call.ID) }},
						{"StepFigures", p.Figures, func() (any, error) { return db.StepFigures(ctx, stepIDs(p.Steps)) }},
						{"CallMatching", p.Matching, func() (any, error) { return db.CallMatching(ctx, call) }},
						{"Balance", p.PoolBalance, func() (any, error) { return db.Balance(ctx, poolOf(call)) }},
						{"CallFunders", p.Funders, func() (any, error) { return funders, nil }},
						{"CallFunders' counts", p.FunderCounts, func() (any, error) { return counts, nil }},
						{"StepsOutsideCall", p.Choices, func() (any, error) { return want, nil }},
						{"CallPledges", p.Pledges, func() (any, error) {
							if v.UserID == 0 {
								return []*fabrique.PledgeRecord(nil), nil
							}
							owner := v.UserID
							if v.AllPledges {
								owner = 0
							}
							return db.CallPledges(ctx, call.ID, owner, v.PledgesLimit)
						}},
					})
				}
			}
		}
	}

	// The commun and the call really have a bit of everything: each query of the batches
	// has rows to read.
	p, err := db.CommonsPage(ctx, k, member.ID)
	if err != nil {
		t.Fatal(err)
	}
	cp, err := db.CallPage(ctx, c, postgres.CallPageFundersPerStep, true, postgres.CallViewer{UserID: f.funder.ID})
	if err != nil {
		t.Fatal(err)
	}
	all, err := db.CallPage(ctx, c, postgres.CallPageFundersPerStep, false, postgres.CallViewer{UserID: f.coord.ID, AllPledges: true})
	if err != nil {
		t.Fatal(err)
	}
	for what, n := range map[string][2]int{
		"défis":                  {len(p.Challenges), 2},
		"places":                 {len(p.Places), 2},
		"team":                   {len(p.Team), 2},
		"steps":                  {len(p.Steps), 2},
		"figures":                {len(p.Figures), 2},
		"steps of the call":      {len(cp.Steps), 2},
		"figures of the call":    {len(cp.Figures), 2},
		"funders of a":           {len(cp.Funders[a]), 3},
		"steps that may join":    {len(cp.Choices), 1},
		"steps matched securely": {len(cp.Matching.Secured.ByStep), 2},
		"the funder's pledges":   {len(cp.Pledges), 4},
		"the call's pledges":     {len(all.Pledges), 5},
	} {
		if n[0] != n[1] {
			t.Errorf("%s: got %d, want %d", what, n[0], n[1])
		}
	}
	if fa := p.Figures[a]; fa.Spent != 100000 || fa.MatchedSecured == 0 || fa.Promised != 80000 || p.Funds.Paid != 100000 || p.Funds.Committed != 100000 || cp.PoolBalance != tiersLieuRule.Pool {
		t.Errorf("got figures of a %+v, funds %+v, pool %d; want work paid and matching on a, work committed, the pool full",
			fa, p.Funds, cp.PoolBalance)
	}
}

package postgres_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/postgres"
)

// TestChallengePage checks that the batch of the défi's page returns what each store
// function returns on its own, for every viewer, on a défi that has a bit of everything:
// team, timeline, framing, places, communs, seed requests, budget, steps and
// contributions.
func TestChallengePage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := mustLootFixture(t, 0)
	db := f.db

	// Tiers-lieux: one of the member's concerned, one not (theirs to declare), and one of
	// the outsider's concerned.
	atelier := mustCreatePlace(t, db, "Atelier du Nord", "Hauts-de-France", f.member)
	mustCreatePlace(t, db, "Bureau commun", "Bretagne", f.member)
	cabane := mustCreatePlace(t, db, "Cabane", "Occitanie", f.outsider)
	for _, d := range []struct{ place, user int64 }{{atelier.ID, f.member.ID}, {cabane.ID, f.outsider.ID}} {
		if _, err := db.DeclareChallengePlace(ctx, f.c.ID, d.place, d.user); err != nil {
			t.Fatal(err)
		}
	}

	// Seed: one request granted, then one waiting; work paid from the seed budget.
	mustSeedFund(t, db, f.coord, seedYear, 1000000)
	mustSeedRequest(t, db, f.c, f.lead, 200000)
	if _, err := db.DecideSeedRequest(ctx, f.c.ID, f.coord, fabrique.SeedDecision{Approve: true, Year: seedYear}); err != nil {
		t.Fatal(err)
	}
	mustSeedRequest(t, db, f.c, f.lead, 50000)
	validated := f.declare(t, f.member, 8, false)
	if _, _, err := db.ValidateContribution(ctx, validated.ID, f.coord); err != nil {
		t.Fatal(err)
	}
	f.declare(t, f.member, 2, true)
	f.declare(t, f.lead, 4, false)

	// Développement: a commun of origin with two steps, another commun as a solution,
	// and work on the commun's funds.
	mustDevReady(t, db, f.c, f.member)
	moved := mustDevelop(t, db, f.c, f.coord, fabrique.StatusMove{Note: "Pertinence démontrée.", CommonsKind: "methode"})
	mustExec(t, db, `INSERT INTO steps (commons_id, title, goal, starts_on, ends_on, created_by) VALUES
		($1, 'Prototype', 100000, '2026-04-01', '2026-05-31', $2), ($1, 'Cadrage', 50000, '2026-02-01', '2026-03-31', $2)`,
		moved.Commons.ID, f.coord.ID)
	solution := mustCommons(t, db, "dokos", "Dokos")
	mustExec(t, db, `INSERT INTO challenge_commons (challenge_id, commons_id, relation) VALUES ($1, $2, 'solution')`, f.c.ID, solution)
	f.declare(t, f.member, 4, false)

	lim := postgres.ChallengePageLimits{Revisions: 1, SeedRequests: 5, Contributions: 3}
	for _, viewer := range []*fabrique.User{nil, f.lead, f.member, f.coord, f.outsider} {
		var viewerID int64
		name := "visitor"
		if viewer != nil {
			viewerID, name = viewer.ID, viewer.DisplayName
		}
		got, err := db.ChallengePage(ctx, f.c.ID, viewerID, lim)
		if err != nil {
			t.Fatalf("%s: ChallengePage: %v", name, err)
		}
		for _, c := range []struct {
			what string
			got  any
			read func() (any, error)
		}{
			{"ChallengeMembers", got.Members, func() (any, error) { return db.ChallengeMembers(ctx, f.c.ID, viewerID) }},
			{"ChallengeTimeline", got.Timeline, func() (any, error) { return db.ChallengeTimeline(ctx, f.c.ID) }},
			{"ChallengeFraming", got.Framing, func() (any, error) { return db.ChallengeFraming(ctx, f.c.ID, lim.Revisions) }},
			{"ChallengePlaces", got.Places, func() (any, error) { return db.ChallengePlaces(ctx, f.c.ID, viewerID) }},
			{"ChallengeCommons", got.Commons, func() (any, error) { return db.ChallengeCommons(ctx, f.c.ID) }},
			{"ChallengeSeed", got.Seed, func() (any, error) { return db.ChallengeSeed(ctx, f.c.ID, lim.SeedRequests) }},
			{"BudgetOverview", got.Budget, func() (any, error) { return db.BudgetOverview(ctx, f.c.ID, viewerID) }},
			{"ChallengeMemberDays", got.Days, func() (any, error) { return db.ChallengeMemberDays(ctx, f.c.ID) }},
			{"ChallengeContributions", contributionValues(got.Contributions), func() (any, error) {
				list, err := db.ChallengeContributions(ctx, f.c.ID, lim.Contributions, 0)
				return contributionValues(list), err
			}},
		} {
			want, err := c.read()
			if err != nil {
				t.Fatalf("%s: %s: %v", name, c.what, err)
			}
			if !reflect.DeepEqual(c.got, want) {
				t.Errorf("%s seen by %s: got %+v, want %+v", c.what, name, c.got, want)
			}
		}
	}

	// The défi really has a bit of everything: each query of the batch has rows to read.
	p, err := db.ChallengePage(ctx, f.c.ID, f.member.ID, lim)
	if err != nil {
		t.Fatal(err)
	}
	for what, n := range map[string][2]int{
		"members":            {len(p.Members), 2},
		"status changes":     {len(p.Timeline), 2},
		"framing revisions":  {len(p.Framing.Revisions), 1},
		"places":             {len(p.Places), 3},
		"communs":            {len(p.Commons), 2},
		"seed requests":      {len(p.Seed.Requests), 2},
		"steps":              {len(p.Budget.Steps), 2},
		"people with days":   {len(p.Days), 2},
		"contributions read": {len(p.Contributions), 3},
	} {
		if n[0] != n[1] {
			t.Errorf("%s: got %d, want %d", what, n[0], n[1])
		}
	}
	if !p.Budget.IsMember || p.Budget.Count != 4 || p.Budget.Budgeted != 200000 || p.Budget.Commons.CommonsID != moved.Commons.ID ||
		p.Seed.Granted != 200000 || p.Seed.Pending() == nil {
		t.Errorf("got budget %+v, seed %+v; want the member's view of 4 contributions, 2 000 € granted, the commun's funds, a request waiting",
			p.Budget, p.Seed)
	}
	if p.Steps != nil || p.Figures != nil || p.StepCalls != nil {
		t.Errorf("steps read without being asked for: %+v %+v %+v", p.Steps, p.Figures, p.StepCalls)
	}

	// Asked for, the steps of the défi's commun: as its page lists them (by start date),
	// with the same figures, and the calls each takes part in.
	mustExec(t, db, `INSERT INTO calls (slug, title, starts_on, ends_on, created_by) VALUES ('appel', 'Appel', '2026-01-01', '2026-12-31', $1)`, f.coord.ID)
	mustExec(t, db, `INSERT INTO call_steps (call_id, step_id) SELECT c.id, s.id FROM calls c, steps s WHERE c.slug = 'appel' AND s.title = 'Prototype'`)
	lim.Steps = true
	p, err = db.ChallengePage(ctx, f.c.ID, 0, lim)
	if err != nil {
		t.Fatal(err)
	}
	steps, err := db.CommonsSteps(ctx, moved.Commons.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(p.Steps, steps) || len(steps) != 2 || steps[0].Title != "Cadrage" {
		t.Errorf("steps: got %+v, want the commun's %+v, Cadrage first", p.Steps, steps)
	}
	figures, err := db.StepFigures(ctx, []int64{steps[0].ID, steps[1].ID})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(p.Figures, figures) {
		t.Errorf("figures: got %+v, want %+v", p.Figures, figures)
	}
	if calls := p.StepCalls[steps[1].ID]; len(calls) != 1 || calls[0].Slug != "appel" || len(p.StepCalls) != 1 {
		t.Errorf("calls of the steps: got %+v, want the Prototype in « appel »", p.StepCalls)
	}
}

// contributionValues are the contributions of list, as values a failure prints.
func contributionValues(list []*fabrique.ContributionRecord) []fabrique.ContributionRecord {
	out := make([]fabrique.ContributionRecord, len(list))
	for i, rec := range list {
		out[i] = *rec
	}
	return out
}

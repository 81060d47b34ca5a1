package postgres_test

import (
	"context"
	"testing"
	"time"
)

// A person's space reads their single figures in one statement: the same totals as
// UserContributionTotals, their funder profile when they have one, how many pledges they
// made, and a calendar token made once and kept.
func TestEspaceFigures(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newPledgeWorld(t)
	w.mustPledge(t, w.funder, 2500, "espace-1")
	w.mustPledge(t, w.funder, 4000, "espace-2")
	e, err := w.db.Espace(ctx, w.funder, 5, 5, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if e.Funder == nil || e.Funder.UserID != w.funder.ID || e.Funder.Kind != "particulier" {
		t.Errorf("funder profile: %+v, want theirs (particulier)", e.Funder)
	}
	if e.PledgeCount != 2 || len(e.Pledges) != 2 {
		t.Errorf("pledges: count %d, listed %d, want 2 and 2", e.PledgeCount, len(e.Pledges))
	}
	if e.CalendarToken == "" {
		t.Error("no calendar token")
	}
	again, err := w.db.Espace(ctx, w.funder, 5, 5, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if again.CalendarToken != e.CalendarToken {
		t.Errorf("calendar token changed from %q to %q between two visits", e.CalendarToken, again.CalendarToken)
	}

	f := mustLootFixture(t, 3000_00)
	f.declare(t, f.member, 4, false)
	f.declare(t, f.member, 2, true)
	e, err = f.db.Espace(ctx, f.member, 5, 5, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	want, err := f.db.UserContributionTotals(ctx, f.member.ID)
	if err != nil {
		t.Fatal(err)
	}
	if e.Totals != want || want.Count != 2 || want.Declared == 0 || want.VolunteerQuarters != 2 {
		t.Errorf("totals: %+v, want %+v (two contributions, one volunteer)", e.Totals, want)
	}
	if e.Funder != nil || e.PledgeCount != 0 || e.CalendarToken == "" {
		t.Errorf("without a funder profile: funder %+v, %d pledges, token %q; want none, 0, a token", e.Funder, e.PledgeCount, e.CalendarToken)
	}
}

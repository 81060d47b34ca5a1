package fabrique

import (
	"testing"
	"time"
)

func TestFundingProgress(t *testing.T) {
	month := func(y int, m time.Month) time.Time { return time.Date(y, m, 1, 0, 0, 0, 0, time.UTC) }
	got := FundingProgress([]MonthFunds{
		{Month: month(2025, time.November), Received: 100},
		{Month: month(2026, time.February), Received: 50, Matched: 50},
		{Month: month(2026, time.March), Matched: 10},
	})
	want := []MonthFunds{
		{month(2025, time.November), 100, 0},
		{month(2025, time.December), 100, 0},
		{month(2026, time.January), 100, 0},
		{month(2026, time.February), 150, 50},
		{month(2026, time.March), 150, 60},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d months, want %d: %v", len(got), len(want), got)
	}
	for i := range want {
		if !got[i].Month.Equal(want[i].Month) || got[i].Received != want[i].Received || got[i].Matched != want[i].Matched {
			t.Errorf("month %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
	if FundingProgress(nil) != nil {
		t.Error("no money, no months")
	}
	long := FundingProgress([]MonthFunds{{Month: month(2010, time.January), Received: 1}, {Month: month(2026, time.June), Received: 2}})
	if len(long) != maxProgressMonths || long[len(long)-1].Received != 3 || !long[len(long)-1].Month.Equal(month(2026, time.June)) {
		t.Errorf("a long history keeps the last %d months ending on the total: %d months, last %+v", maxProgressMonths, len(long), long[len(long)-1])
	}
}

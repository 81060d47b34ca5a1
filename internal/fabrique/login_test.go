package fabrique_test

import (
	"testing"
	"time"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

func TestLoginPolicyWait(t *testing.T) {
	t.Parallel()
	p := fabrique.LoginPolicy{Window: time.Hour, MaxPerAccount: 5, Delay: time.Minute, MaxPerAddress: 50}
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	ago := func(d time.Duration) time.Time { return now.Add(-d) }
	tests := []struct {
		name string
		c    fabrique.LoginCounts
		want time.Duration
	}{
		{"no failure", fabrique.LoginCounts{Now: now}, 0},
		{"under the account limit", fabrique.LoginCounts{Now: now, Account: 4, AccountLast: now, Address: 4, AddressOldest: now}, 0},
		{"at the account limit: first delay", fabrique.LoginCounts{Now: now, Account: 5, AccountLast: ago(10 * time.Second), Address: 5, AddressOldest: ago(time.Minute)}, 50 * time.Second},
		{"first delay over", fabrique.LoginCounts{Now: now, Account: 5, AccountLast: ago(time.Minute), Address: 5, AddressOldest: ago(time.Minute)}, 0},
		{"one more failure doubles it", fabrique.LoginCounts{Now: now, Account: 6, AccountLast: now, Address: 6, AddressOldest: ago(time.Minute)}, 2 * time.Minute},
		{"three more: eight times", fabrique.LoginCounts{Now: now, Account: 8, AccountLast: now, Address: 8, AddressOldest: ago(time.Minute)}, 8 * time.Minute},
		{"capped at the window", fabrique.LoginCounts{Now: now, Account: 12, AccountLast: now, Address: 12, AddressOldest: ago(time.Minute)}, time.Hour},
		{"no overflow", fabrique.LoginCounts{Now: now, Account: 500, AccountLast: now, Address: 10, AddressOldest: now}, time.Hour},
		{"spraying: until the oldest leaves the window", fabrique.LoginCounts{Now: now, Account: 0, Address: 50, AddressOldest: ago(40 * time.Minute)}, 20 * time.Minute},
		{"both: the longer", fabrique.LoginCounts{Now: now, Account: 7, AccountLast: now, Address: 50, AddressOldest: ago(50 * time.Minute)}, 10 * time.Minute},
	}
	for _, tt := range tests {
		if got := p.Wait(tt.c); got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}

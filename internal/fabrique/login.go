package fabrique

import "time"

// LoginPolicy is how login attempts are rate-limited. Failures are counted per client
// address, never per account alone: a guesser from elsewhere must not shut the owner out.
type LoginPolicy struct {
	Window time.Duration // how long a failure counts
	// MaxPerAccount failures from one address on one account go unhindered; after that
	// the address waits Delay since its last failure, doubled at each further failure
	// (at most Window).
	MaxPerAccount int
	Delay         time.Duration
	// MaxPerAddress failures from one address across accounts (password spraying), after
	// which it waits until the oldest of them leaves the window.
	MaxPerAddress int
}

// LoginCounts are the failures of one address within the window, read together with the
// clock of the store that keeps them.
type LoginCounts struct {
	Now           time.Time
	Account       int       // on the account tried
	AccountLast   time.Time // the latest of them
	Address       int       // on any account
	AddressOldest time.Time // the oldest of them
}

// Wait returns how long the address must wait before its next attempt is checked, 0 if
// it may try now.
func (p LoginPolicy) Wait(c LoginCounts) time.Duration {
	var wait time.Duration
	if c.Address >= p.MaxPerAddress {
		wait = c.AddressOldest.Add(p.Window).Sub(c.Now)
	}
	if over := c.Account - p.MaxPerAccount; over >= 0 {
		delay := p.Window
		if over < 30 && p.Delay<<over < p.Window {
			delay = p.Delay << over
		}
		wait = max(wait, c.AccountLast.Add(delay).Sub(c.Now))
	}
	return max(wait, 0)
}

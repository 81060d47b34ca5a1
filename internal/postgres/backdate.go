package postgres

import (
	"context"
	"time"
)

type backdateKey struct{}

// Backdated returns a copy of ctx in which the store dates what it appends to the ledger
// and to the audit trail at t rather than at the database's now(). Those two are
// append-only, so they cannot be dated afterwards: the demo (internal/demo) loads a past
// year of money through the store's own rules this way. Nothing else may use it.
func Backdated(ctx context.Context, t time.Time) context.Context {
	return context.WithValue(ctx, backdateKey{}, t)
}

// backdated returns the time Backdated put in ctx, as a query argument: nil (now())
// without one.
func backdated(ctx context.Context) any {
	if t, ok := ctx.Value(backdateKey{}).(time.Time); ok {
		return t
	}
	return nil
}

// backdatedDay is backdated's day in Paris, the Fabrique's calendar, for a ledger
// movement's date: nil without one.
func backdatedDay(ctx context.Context) any {
	t, ok := ctx.Value(backdateKey{}).(time.Time)
	if !ok {
		return nil
	}
	if loc, err := time.LoadLocation("Europe/Paris"); err == nil {
		t = t.In(loc)
	}
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

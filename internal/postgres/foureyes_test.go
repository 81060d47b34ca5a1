package postgres_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/postgres"
)

// TestContributionFourEyesCoordinatorLead: a porteur who is also a coordinator holds
// both rights that decide on contributions, yet never validates nor pays their own
// days (DESIGN.md §3): another coordinator does.
func TestContributionFourEyesCoordinatorLead(t *testing.T) {
	t.Parallel()
	f := mustLootFixture(t, 300000)
	ctx := context.Background()
	mustExec(t, f.db, `UPDATE users SET role = 'coordinator' WHERE id = $1`, f.lead.ID)
	f.lead.Role = fabrique.RoleCoordinator
	paidOn := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)

	own := f.declare(t, f.lead, 8, false)
	_, _, err := f.db.ValidateContribution(ctx, own.ID, f.lead)
	checkCode(t, err, fabrique.EFORBIDDEN)
	_, _, err = f.db.RefuseContribution(ctx, own.ID, f.lead, "Erreur.")
	checkCode(t, err, fabrique.EFORBIDDEN)
	if _, _, err := f.db.ValidateContribution(ctx, own.ID, f.coord); err != nil {
		t.Fatalf("validation by another coordinator: %v", err)
	}
	_, _, err = f.db.PayContribution(ctx, own.ID, f.lead, "VIR-1", paidOn)
	checkCode(t, err, fabrique.EFORBIDDEN)
	if got := f.state(t, own.ID); got != fabrique.ContributionValidated {
		t.Errorf("after the author's payment: got state %s, want validee", got)
	}
	if _, _, err := f.db.PayContribution(ctx, own.ID, f.coord, "VIR-2", paidOn); err != nil {
		t.Fatalf("payment by another coordinator: %v", err)
	}
	// The schema holds the validation rule too, whatever the code does.
	other := f.declare(t, f.member, 4, false)
	_, err = postgres.Pool(f.db).Exec(ctx, `UPDATE contributions SET state = 'validee', validated_by = user_id WHERE id = $1`, other.ID)
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "23514" { // check_violation
		t.Errorf("a contribution validated by its author in SQL: got %v, want a check violation", err)
	}
	if total, err := f.db.LedgerTotal(ctx); err != nil || total != 0 {
		t.Errorf("ledger total: got %d (%v), want 0", total, err)
	}
}

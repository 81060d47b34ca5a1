package fabrique_test

import (
	"errors"
	"testing"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// TestSeedLimitErrorWording checks each limit is worded, in French, on the amount field.
func TestSeedLimitErrorWording(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		err  fabrique.SeedLimitError
		want string
	}{
		{fabrique.SeedLimitError{Limit: fabrique.LimitFund, Year: 2026, Amount: 150000}, "Le fonds d’amorçage 2026 n’a plus que 1 500,00 €."},
		{fabrique.SeedLimitError{Limit: fabrique.LimitCeiling, Amount: 100000}, "Le budget d’amorçage d’un défi est plafonné à 3 000,00 € : il reste 1 000,00 € pour ce défi."},
		{fabrique.SeedLimitError{Limit: fabrique.LimitGranted, Year: 2026, Amount: 300000}, "Le fonds d’amorçage 2026 a déjà accordé 3 000,00 € : il ne peut pas descendre en dessous."},
		{fabrique.SeedLimitError{Limit: fabrique.LimitRequested, Amount: 300000}, "Le montant accordé ne peut pas dépasser le montant demandé (3 000,00 €)."},
	} {
		if got := fabrique.ErrorFields(&tt.err)["amount"]; got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
}

// TestAuditDetails pins the audit lines the store writes, as they were when the store
// wrote them: the journal shows them, and past rows keep that wording.
func TestAuditDetails(t *testing.T) {
	t.Parallel()
	k := &fabrique.ContributionRecord{ChallengeTitle: "Réseau", Contribution: fabrique.Contribution{
		ID: 7, UserName: "Marc", Quarters: 6, Amount: 345_00, Reason: "doublon"}}
	approved := &fabrique.SeedRequest{Amount: 3000_00, ApprovedAmount: 2000_00, FundYear: 2026, State: fabrique.SeedApproved, Note: "Bon plan."}
	refused := &fabrique.SeedRequest{Amount: 3000_00, State: fabrique.SeedRefused, Note: "Trop tôt."}
	for _, tt := range []struct{ got, want string }{
		{fabrique.ContributionAuditDetail(fabrique.ContributionRefuse, k, fabrique.ContributionValidated),
			"Marc, 1,5 jour, défi « Réseau », 345,00 €, était Validée ; motif : doublon"},
		{fabrique.ContributionPaymentMemo(k), "Contribution n° 7 de Marc (1,5 jour)"},
		{fabrique.SeedDecisionAuditDetail("Réseau", approved), "« Réseau » : 2 000,00 € accordés sur le fonds d’amorçage 2026 (3 000,00 € demandés). Bon plan."},
		{fabrique.SeedDecisionAuditDetail("Réseau", refused), "« Réseau » : demande de 3 000,00 € refusée. Trop tôt."},
		{fabrique.SeedSelfDecisionAuditDetail("Réseau", 3000_00, true, fabrique.SeedDeciderLead),
			"« Réseau » : tentative d’approuver la demande de 3 000,00 € refusée (quatre yeux) : la personne porte le défi."},
		{fabrique.SeedSelfDecisionAuditDetail("Réseau", 3000_00, false, fabrique.SeedDeciderRequester),
			"« Réseau » : tentative de refuser la demande de 3 000,00 € refusée (quatre yeux) : la personne a fait la demande."},
		{fabrique.SeedFundMemo(2026, 5000_00), "Fonds d’amorçage 2026 porté à 5 000,00 €"},
		{fabrique.SeedFundAuditDetail(2026, 0, 5000_00), "Fonds d’amorçage 2026 : 0,00 € → 5 000,00 €"},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

// TestCheckSeedRequest walks every role × status × request pending or not, then the
// amounts: only the porteur asks, whatever else holds; then only in équipe or
// préfiguration, with no request open, for more than zero and within the ceiling.
func TestCheckSeedRequest(t *testing.T) {
	t.Parallel()
	for _, r := range teamRoles { // the porteur is id 1
		for _, status := range fabrique.Statuses {
			for _, pending := range []bool{false, true} {
				var want string
				switch {
				case r.name != "porteur":
					want = fabrique.EFORBIDDEN
				case !status.AcceptsSeedRequest(), pending:
					want = fabrique.EINVALID
				}
				err := fabrique.CheckSeedRequest(r.u, 1000_00, fabrique.SeedRequestFacts{LeadID: 1, Status: status, Pending: pending})
				if got := fabrique.ErrorCode(err); got != want {
					t.Errorf("%s, %s, pending %v: got %q (%v), want %q", r.name, status, pending, got, err, want)
				}
				if want == fabrique.EINVALID && status.AcceptsSeedRequest() && err != fabrique.ErrSeedRequestPending {
					t.Errorf("%s, %s, pending: got %v, want ErrSeedRequestPending", r.name, status, err)
				}
			}
		}
	}
	porteur := &fabrique.User{ID: 1, Role: fabrique.RoleContributor}
	for _, tt := range []struct {
		amount, approved int64
		want             string // an error code, or a limit
		left             int64  // the SeedLimitError's amount
	}{
		{0, 0, fabrique.EINVALID, 0},
		{-1, 0, fabrique.EINVALID, 0},
		{3000_00, 0, "", 0},
		{2000_01, 1000_00, fabrique.LimitCeiling, 2000_00},
		{1, 3500_00, fabrique.LimitCeiling, 0}, // never a negative amount left
	} {
		err := fabrique.CheckSeedRequest(porteur, tt.amount, fabrique.SeedRequestFacts{LeadID: 1, Status: fabrique.StatusTeam, Approved: tt.approved})
		var le *fabrique.SeedLimitError
		got := fabrique.ErrorCode(err)
		if errors.As(err, &le) {
			got = le.Limit
			if le.Amount != tt.left {
				t.Errorf("%d after %d: got %d left, want %d", tt.amount, tt.approved, le.Amount, tt.left)
			}
		}
		if got != tt.want {
			t.Errorf("%d after %d: got %q (%v), want %q", tt.amount, tt.approved, got, err, tt.want)
		}
	}
}

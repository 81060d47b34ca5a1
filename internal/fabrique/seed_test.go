package fabrique_test

import (
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

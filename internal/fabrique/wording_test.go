package fabrique_test

import (
	"testing"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// TestStoreWording pins the ledger memos and audit lines the store writes, as they were
// when the store worded them: past rows keep that wording, and the journal and the
// transparency pages show them.
func TestStoreWording(t *testing.T) {
	t.Parallel()
	pledge := &fabrique.PledgeRecord{Pledge: fabrique.Pledge{ID: 12}, StepTitle: "Prototype", UserName: "Marc", Organisation: "Fab Lab"}
	anonymous := *pledge
	anonymous.Anonymous = true
	for _, tt := range []struct{ got, want string }{
		{fabrique.CallPoolMemo("Printemps"), "Enveloppe d’abondement de l’appel « Printemps »"},
		{fabrique.CallMatchingMemo("Printemps"), "Abondement de l’appel « Printemps »"},
		{fabrique.CallStepAuditDetail("Prototype", "Printemps"), "Étape « Prototype » ajoutée à l’appel « Printemps »"},
		{fabrique.PlaceVerifiedAuditDetail("La Forge"), "Tiers-lieu « La Forge » vérifié"},
		{fabrique.PledgeMemo(pledge), "Promesse n° 12 de Fab Lab, étape « Prototype »"},
		{fabrique.PledgeMemo(&anonymous), "Promesse n° 12 de financeur anonyme, étape « Prototype »"},
		{fabrique.SeedGrantMemo("Réseau"), "Budget d’amorçage de « Réseau »"},
		{fabrique.CommonsResumedAuditDetail("Réseau", "Outil"), "défi « Réseau » de retour en développement, commun « Outil »"},
		{fabrique.CommonsAttachedAuditDetail("Réseau", "Outil"), "défi « Réseau » rattaché au commun « Outil »"},
		{fabrique.CommonsCreatedAuditDetail("Outil", "Réseau"), "commun « Outil » créé à partir du défi « Réseau »"},
		{fabrique.CallPoolMemo("100 % libre"), "Enveloppe d’abondement de l’appel « 100 % libre »"}, // a title is no format
	} {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

// TestFieldErrors checks the store's refusals of a form field: EINVALID, the form's
// sentence, and the sentence next to the field the form shows it by.
func TestFieldErrors(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		err   error
		field string
	}{
		{fabrique.CallStepUnknownError(), "step_id"},
		{fabrique.CallClosedStepError(), "step_id"},
		{fabrique.CallStepBusyError(), "step_id"},
		{fabrique.ContributionStepError(), "step_id"},
		{fabrique.DevelopCommonsUnknownError(), "commons_id"},
		{fabrique.DevelopCommonsOriginError(), "commons_id"},
		{fabrique.FramingCommonsError(), "solution_commons"},
		{fabrique.FunderKindError("kind"), "kind"},
		{fabrique.FunderPlaceError("place_id"), "place_id"},
		{fabrique.PledgeKindMismatchError(), "funder_kind"},
		{fabrique.PledgeProfileMissingError(), "funder_kind"},
		{fabrique.EmailTakenError(), "email"},
	} {
		fields := fabrique.ErrorFields(tt.err)
		if code := fabrique.ErrorCode(tt.err); code != fabrique.EINVALID || len(fields) != 1 || fields[tt.field] == "" {
			t.Errorf("%v: got code %q, fields %v, want %q on %q", tt.err, code, fields, fabrique.EINVALID, tt.field)
		}
		if got, want := fabrique.ErrorMessage(tt.err), "Le formulaire contient des erreurs."; got != want {
			t.Errorf("%v: got message %q, want %q", tt.err, got, want)
		}
	}
	// Each call builds its own map: a caller adding to it changes no other refusal.
	fabrique.ErrorFields(fabrique.EmailTakenError())["other"] = "x"
	if fields := fabrique.ErrorFields(fabrique.EmailTakenError()); len(fields) != 1 {
		t.Errorf("got fields %v, want the email's only", fields)
	}
}

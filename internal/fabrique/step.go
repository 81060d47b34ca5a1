package fabrique

import (
	"fmt"

	"github.com/fabrique-a-communs/fabrique/internal/i18n"
)

// Bounds of the step form, as the schema checks them.
const (
	// MaxStepTitleLen bounds a step's title, in characters.
	MaxStepTitleLen = 160
	// MaxStepDescriptionLen bounds a step's description, in characters.
	MaxStepDescriptionLen = 20000
)

// ErrStepNotFound is a development step asked for by its id.
var ErrStepNotFound = Errorf(ENOTFOUND, "Cette étape n’existe pas.")

// MayEditSteps reports whether u may add development steps to a commun: a coordinator,
// or the porteur of a défi the commun came from (originLead).
func MayEditSteps(u *User, originLead bool) bool {
	return u != nil && (u.IsCoordinator() || originLead)
}

// CheckStepEditor is MayEditSteps as a decision: nil, or EFORBIDDEN.
func CheckStepEditor(u *User, originLead bool) error {
	if !MayEditSteps(u, originLead) {
		return Errorf(EFORBIDDEN, "Seuls le·la porteur·se du commun et la coordination ajoutent des étapes de développement.")
	}
	return nil
}

// StepAuditDetail is the audit line of step st just added to the commun named
// commonsName, in French, the audit trail's language.
func StepAuditDetail(st Step, commonsName string) string {
	return fmt.Sprintf("étape « %s » du commun « %s », objectif %s, du %s au %s",
		st.Title, commonsName, i18n.Money(i18n.French, st.Goal), st.StartsOn.Format("2006-01-02"), st.EndsOn.Format("2006-01-02"))
}

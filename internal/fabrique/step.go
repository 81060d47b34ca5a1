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

// StepAuditDetail is the audit line of step st just added to the commun named
// commonsName, in French, the audit trail's language.
func StepAuditDetail(st Step, commonsName string) string {
	return fmt.Sprintf("étape « %s » du commun « %s », objectif %s, du %s au %s",
		st.Title, commonsName, i18n.Money(i18n.French, st.Goal), st.StartsOn.Format("2006-01-02"), st.EndsOn.Format("2006-01-02"))
}

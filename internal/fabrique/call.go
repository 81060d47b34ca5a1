package fabrique

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/fabrique-a-communs/fabrique/internal/i18n"
)

// CallPhase is where a call stands in time; its value is the data-phase of the pages.
type CallPhase string

// Call phases.
const (
	// CallUpcoming is a call whose first day has not come.
	CallUpcoming CallPhase = "a-venir"
	// CallOpen is a call taking pledges.
	CallOpen CallPhase = "ouvert"
	// CallOver is a call past its last day, waiting for the coordination to close it.
	CallOver CallPhase = "termine"
	// CallClosed is a call the coordination closed.
	CallClosed CallPhase = "clos"
)

// Bounds of the call form.
const (
	// MaxCallTitleLen bounds a call's title, in characters, as the schema checks.
	MaxCallTitleLen = 160
	// MaxCallDescriptionLen bounds a call's description, in characters.
	MaxCallDescriptionLen = 20000
	// MaxMatchPercent bounds a call's matching percent: a multiplier of 10.
	MaxMatchPercent = 1000
	// MinCallYear is the first year a call may start or end in.
	MinCallYear = 2020
	// MaxCallYear is the last year a call may start or end in.
	MaxCallYear = 2100
)

// Call is a call for co-financing ("appel à cofinancement").
type Call struct {
	ID          int64
	Slug        string
	Title       string
	Description string // Markdown
	StartsOn    time.Time
	EndsOn      time.Time
	Rule        MatchRule // Rule.Pool is the matching pool
	Payment     PaymentInstructions
	ClosedAt    time.Time // zero while the call is not closed
	CreatedAt   time.Time
}

// Phase is where a call stands on day.
func (c *Call) Phase(day time.Time) CallPhase {
	d := day.Format("2006-01-02")
	switch {
	case !c.ClosedAt.IsZero():
		return CallClosed
	case d < c.StartsOn.Format("2006-01-02"):
		return CallUpcoming
	case d > c.EndsOn.Format("2006-01-02"):
		return CallOver // over, waiting for the coordination to close it
	}
	return CallOpen
}

// NewCall is a call for co-financing as a coordinator describes it.
type NewCall struct {
	Title       string
	Description string // Markdown
	StartsOn    time.Time
	EndsOn      time.Time
	Rule        MatchRule // Pool 0 or Percent 0: no matching
	Payment     PaymentInstructions
}

// Normalize trims the texts and sorts the matched kinds without duplicates.
func (nc *NewCall) Normalize() {
	nc.Title = strings.Join(strings.Fields(nc.Title), " ")
	nc.Description = strings.TrimSpace(strings.ReplaceAll(nc.Description, "\r\n", "\n"))
	nc.Payment.Normalize()
	kinds := slices.Clone(nc.Rule.Kinds)
	slices.Sort(kinds)
	nc.Rule.Kinds = slices.Compact(kinds)
	if nc.Rule.Percent == 0 {
		nc.Rule.Kinds, nc.Rule.Cap = nil, 0 // no rule: nothing to match nor cap
	}
}

// Validate checks the call; its errors are by form field.
func (nc *NewCall) Validate() error {
	var v Validation
	switch n := utf8.RuneCountInString(nc.Title); {
	case n == 0:
		v.Add("title", "Donnez un titre à l’appel.")
	case n > MaxCallTitleLen:
		v.Add("title", "Le titre ne doit pas dépasser 160 caractères.")
	case Slugify(nc.Title) == "":
		v.Add("title", "Le titre doit contenir au moins une lettre ou un chiffre.")
	}
	if utf8.RuneCountInString(nc.Description) > MaxCallDescriptionLen {
		v.Add("description", "La description ne doit pas dépasser 20 000 caractères.")
	}
	if y := nc.StartsOn.Year(); nc.StartsOn.IsZero() || y < MinCallYear || y > MaxCallYear {
		v.Add("starts_on", "Indiquez une date d’ouverture entre 2020 et 2100.")
	}
	if y := nc.EndsOn.Year(); nc.EndsOn.IsZero() || y < MinCallYear || y > MaxCallYear {
		v.Add("ends_on", "Indiquez une date de clôture entre 2020 et 2100.")
	} else if nc.EndsOn.Before(nc.StartsOn) {
		v.Add("ends_on", "La clôture ne peut pas précéder l’ouverture.")
	}
	r := nc.Rule
	if r.Pool < 0 || r.Pool > MaxAmount {
		v.Add("pool", "Ce montant est trop élevé (10 000 000,00 € au plus).")
	}
	if r.Percent < 0 || r.Percent > MaxMatchPercent {
		v.Add("match_multiplier", "Le multiplicateur va de 0 (pas d’abondement) à 10.")
	}
	for _, k := range r.Kinds {
		if !ValidFunderKind(k) {
			v.Add("match_kinds", "Choisissez les types de financeurs parmi ceux proposés.")
		}
	}
	if r.Percent > 0 && len(r.Kinds) == 0 {
		v.Add("match_kinds", "Choisissez au moins un type de financeur dont les promesses sont abondées.")
	}
	if r.Cap < 0 || r.Cap > MaxAmount {
		v.Add("match_cap", "Ce montant est trop élevé (10 000 000,00 € au plus).")
	}
	nc.Payment.Validate(&v)
	return v.Err()
}

// What only the coordination does with calls.
var (
	ErrCallLaunchCoordinationOnly  = Errorf(EFORBIDDEN, "Seule la coordination lance les appels à cofinancement.")
	ErrCallComposeCoordinationOnly = Errorf(EFORBIDDEN, "Seule la coordination compose les appels à cofinancement.")
	ErrCallCloseCoordinationOnly   = Errorf(EFORBIDDEN, "Seule la coordination clôture les appels à cofinancement.")
)

// The refusals about calls.
var (
	// ErrCallTitleTaken: every slug derived from the title is taken.
	ErrCallTitleTaken = Errorf(ECONFLICT, "Trop d’appels portent déjà ce titre.")
	// ErrCallNotFound is a call asked for by its id.
	ErrCallNotFound = Errorf(ENOTFOUND, "Cet appel n’existe pas.")
	// ErrCallExportNotFound is an unknown call whose pledges the coordination exports.
	ErrCallExportNotFound = Errorf(ENOTFOUND, "Cet appel à cofinancement n’existe pas.")
	// ErrStepNotInCall is a step that takes no part in the call asked.
	ErrStepNotInCall = Errorf(ENOTFOUND, "Cette étape ne participe pas à cet appel.")
)

// CallStepUnknownError refuses, next to the step_id field, a step added to a call that
// does not exist.
func CallStepUnknownError() error { return fieldError("step_id", "Cette étape n’existe pas.") }

// CallClosedStepError refuses, next to the step_id field, a step added to a closed call.
func CallClosedStepError() error {
	return fieldError("step_id", "Cet appel est clôturé : il ne prend plus d’étapes.")
}

// CallStepBusyError refuses, next to the step_id field, a step already in another call
// not closed whose period overlaps: a pledge belongs to one call.
func CallStepBusyError() error {
	return fieldError("step_id", "Cette étape participe déjà à un autre appel en cours sur la même période : une promesse ne compte que pour un appel.")
}

// CallStepAuditDetail is the audit line of the step titled stepTitle added to the call
// titled callTitle, in French, the audit trail's language.
func CallStepAuditDetail(stepTitle, callTitle string) string {
	return fmt.Sprintf("Étape « %s » ajoutée à l’appel « %s »", stepTitle, callTitle)
}

// CallPoolMemo is the ledger memo of the matching pool given to the call titled title.
func CallPoolMemo(title string) string {
	return fmt.Sprintf("Enveloppe d’abondement de l’appel « %s »", title)
}

// CallMatchingMemo is the ledger memo of the matching the call titled title pays a commun
// when it closes.
func CallMatchingMemo(title string) string {
	return fmt.Sprintf("Abondement de l’appel « %s »", title)
}

// CallAuditDetail is the audit line of call nc just opened, in French, the audit
// trail's language.
func CallAuditDetail(nc NewCall) string {
	return fmt.Sprintf("Appel « %s » du %s au %s, enveloppe %s, règle %d %% (%s), plafond %s",
		nc.Title, nc.StartsOn.Format(time.DateOnly), nc.EndsOn.Format(time.DateOnly),
		i18n.Money(i18n.French, nc.Rule.Pool), nc.Rule.Percent, strings.Join(nc.Rule.Kinds, ", "),
		i18n.Money(i18n.French, nc.Rule.Cap))
}

// CallPaymentAuditDetail is the audit line of call title's new payment instructions.
func CallPaymentAuditDetail(title string, p PaymentInstructions) string {
	if !p.Set() {
		return fmt.Sprintf("Appel « %s » : instructions de paiement retirées", title)
	}
	prefix := p.ReferencePrefix
	if prefix == "" {
		prefix = "PROMESSE"
	}
	return fmt.Sprintf("Appel « %s » : virement à %s, IBAN %s, référence %s-<n° de la promesse>",
		title, p.Payee, p.GroupedIBAN(), prefix)
}

// CallClosedAuditDetail is the audit line of the call titled title just closed: matched
// cents paid to that many communs, that many promises expired.
func CallClosedAuditDetail(title string, matched int64, commons, expired int) string {
	communs, promesses := "communs", "promesses expirées"
	if commons < 2 {
		communs = "commun"
	}
	if expired < 2 {
		promesses = "promesse expirée"
	}
	return fmt.Sprintf("Appel « %s » clôturé : %s d’abondement versés à %d %s, %d %s",
		title, i18n.Money(i18n.French, matched), commons, communs, expired, promesses)
}

// CallSummary is a call with its totals, as the list of calls shows it.
type CallSummary struct {
	Call
	Steps            int   // steps taking part
	Goal             int64 // the sum of their goals
	Promised         int64 // pledges of the call still promises
	Confirmed        int64 // pledges of the call whose funds were received
	MatchedSecured   int64 // matching brought by confirmed pledges
	MatchedProjected int64 // matching promises would bring too
}

// Secured is what the call's steps have for sure: funds received and the matching they
// bring.
func (s *CallSummary) Secured() int64 { return s.Confirmed + s.MatchedSecured }

// DaysLeft is how many days the call still takes pledges after day (its last day
// included), 0 when it is not open.
func (s *CallSummary) DaysLeft(day time.Time) int {
	if s.Phase(day) != CallOpen {
		return 0
	}
	d0 := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.UTC)
	end := time.Date(s.EndsOn.Year(), s.EndsOn.Month(), s.EndsOn.Day(), 0, 0, 0, 0, time.UTC)
	return int(end.Sub(d0).Hours()/24) + 1
}

// CallMatching is what a call's rule brings from its pledges, computed at read time.
type CallMatching struct {
	Secured   Matching // confirmed pledges only
	Projected Matching // promises too
}

// CallClosing is the outcome of closing a call.
type CallClosing struct {
	AlreadyClosed bool  // the call was closed before: nothing was done
	Matched       int64 // matching posted from the pool, in cents
	Commons       int   // communs it was posted to
	Expired       int   // promises that expired
}

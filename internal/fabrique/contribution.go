package fabrique

import (
	"fmt"
	"time"

	"github.com/fabrique-a-communs/fabrique/internal/i18n"
)

// Contributions are Loot's job (DESIGN.md §3): a team member logs days, the porteur or a
// coordinator validates them, a coordinator records their payment.

// AcceptsContributions reports whether a défi in status s takes contributions: once its
// team is formed, and until it is closed.
func (s Status) AcceptsContributions() bool {
	return s == StatusTeam || s == StatusFraming || s == StatusDevelopment
}

// Contribution states: declaree → validee → payee, or refusee.
const (
	ContributionDeclared  = "declaree"
	ContributionValidated = "validee"
	ContributionPaid      = "payee"
	ContributionRefused   = "refusee"
)

// ContributionStateLabel is the French label of a contribution state.
func ContributionStateLabel(state string) string {
	switch state {
	case ContributionDeclared:
		return "Déclarée"
	case ContributionValidated:
		return "Validée"
	case ContributionPaid:
		return "Payée"
	case ContributionRefused:
		return "Refusée"
	}
	return state
}

// Activities are the kinds of work a contribution records.
var Activities = []struct{ Value, Label string }{
	{"developpement", "Développement"},
	{"documentation", "Documentation"},
	{"animation", "Animation"},
	{"design", "Design"},
	{"coordination", "Coordination"},
	{"formation", "Formation"},
	{"autre", "Autre"},
}

// ValidActivity reports whether v is one of Activities.
func ValidActivity(v string) bool {
	for _, a := range Activities {
		if a.Value == v {
			return true
		}
	}
	return false
}

// Contribution is a day count logged by a team member.
type Contribution struct {
	ID          int64
	ChallengeID int64
	UserID      int64
	UserName    string
	WorkedOn    time.Time
	Quarters    int
	Activity    string
	Description string
	Volunteer   bool
	DayRate     int64
	Amount      int64 // DayAmount(Quarters, DayRate), 0 when volunteer: the nominal price HT
	Reserved    int64 // what validation reserves: Amount plus the VAT estimated at VATRate
	VATRate     int   // basis points, as reserved
	PaidAmount  int64 // what its payment paid (its share of an invoice's TTC)
	State       string
	Reason      string
	ValidatedBy int64
	PaidOn      time.Time
	Reference   string
	CreatedAt   time.Time
	EventID     int64 // the residency the days were worked at (DESIGN §2), 0 for none
	StatementID int64 // the statement to invoice it is billed on, 0 for none yet
	Statement   string
}

// ContributionRecord is a contribution with its défi, as the pages list it.
type ContributionRecord struct {
	Contribution
	ChallengeSlug  string
	ChallengeTitle string
	LeadID         int64 // the défi's porteur, who may decide on it
	Email          string
	CommonsID      int64 // the commun whose funds pay it; 0: the défi's seed budget
	CommonsName    string
	StepID         int64  // the commun's step it is for; 0: none
	StepTitle      string // the step's title
}

// ContributionTotals sums a person's contributions by state, in cents and quarter-days.
type ContributionTotals struct {
	Count             int
	Declared          int64 // awaiting a decision
	Validated         int64 // validated, to be paid
	Paid              int64
	Refused           int
	PaidQuarters      int // paid work, refused aside
	VolunteerQuarters int // volunteer work, refused aside
}

// MemberDays is the work a person logged on a défi, refused contributions aside.
type MemberDays struct {
	UserID            int64
	Name              string
	PaidQuarters      int   // paid work (not volunteer), in every state but refused
	VolunteerQuarters int   // volunteer work
	PaidAmount        int64 // already paid to them
}

// BudgetOverview is a défi's seed budget and its contributions, in cents, and the
// development funds of the commun it gave rise to: what the budget panel shows.
// Committed and Declared count the contributions the seed budget pays; those paid by the
// commun's funds count in Commons (with every other défi drawing on them) and in Count.
type BudgetOverview struct {
	Budgeted  int64 // every movement of the budget but payments: the grants, net of reversals
	Committed int64 // validated, not yet paid
	Paid      int64 // payments out of the budget
	Remaining int64 // Budgeted − Committed − Paid: what validations may still reserve
	Declared  int64 // declared, awaiting a decision
	DayRate   int64 // the défi's current day rate
	Count     int   // contributions of the défi, in every state
	IsMember  bool  // the viewer is an accepted member of the team

	Commons CommonsFunds // the funds of the défi's commun; Commons.CommonsID 0 while it has none
	Steps   []StepChoice // that commun's steps, in the order they start
}

// StepChoice is a step as a select offers it.
type StepChoice struct {
	ID    int64
	Title string
}

// CommonsFunds are a commun's development funds, in cents: what its confirmed pledges
// and posted matching brought, and what the development work of every défi drawing on
// them reserved and was paid.
type CommonsFunds struct {
	CommonsID   int64
	CommonsSlug string
	CommonsName string
	Received    int64 // every movement of the funds but payments: pledges and matching, net of reversals
	Committed   int64 // contributions validated, not yet paid
	Paid        int64 // payments out of the funds
	Remaining   int64 // Received − Committed − Paid: what validations may still reserve
	Declared    int64 // contributions awaiting a decision
}

// BudgetAlert is a seed budget close to its end.
type BudgetAlert struct {
	ChallengeSlug  string
	ChallengeTitle string
	Budgeted       int64
	Remaining      int64
}

// ErrContributionNotFound is a contribution asked for by its id.
var ErrContributionNotFound = Errorf(ENOTFOUND, "Cette contribution n’existe pas.")

// CheckLogContribution says whether someone whose row in the défi's team is in
// memberState ("" for none) may log work on the défi in status, as read under their
// share locks: only an accepted member (EFORBIDDEN), and only while the défi takes
// contributions (EINVALID). Rights come before the status.
func CheckLogContribution(memberState string, status Status) error {
	if memberState != MemberAccepted {
		return Errorf(EFORBIDDEN, "Seuls les membres de l’équipe déclarent des contributions.")
	}
	if !status.AcceptsContributions() {
		return Errorf(EINVALID, "Ce défi ne reçoit pas de contributions : elles se déclarent une fois l’équipe constituée, et jusqu’à la clôture.")
	}
	return nil
}

// ContributionStepError refuses, next to the step_id field, a contribution for a step
// that is not one of the commun the défi gave rise to.
func ContributionStepError() error {
	return fieldError("step_id", "Choisissez une étape du commun issu de ce défi.")
}

// ContributionShortError refuses a contribution the account payer cannot pay: when it is
// validated (validating), or when its payment is recorded. The sentence names the
// account: a commun's funds, or the défi's seed budget.
func ContributionShortError(payer AccountRef, validating bool) error {
	switch {
	case payer.Kind == AccountCommonsFunds && validating:
		return Errorf(EINVALID, "Les fonds du commun restants ne couvrent pas cette contribution : elle ne peut pas être validée.")
	case payer.Kind == AccountCommonsFunds:
		return Errorf(EINVALID, "Les fonds du commun ne couvrent plus ce paiement.")
	case validating:
		return Errorf(EINVALID, "Le budget d’amorçage restant ne couvre pas cette contribution : elle ne peut pas être validée.")
	}
	return Errorf(EINVALID, "Le budget d’amorçage du défi ne couvre plus ce paiement.")
}

// ContributionDecision is what may be done to a contribution once logged.
type ContributionDecision string

// The decisions on a contribution.
const (
	ContributionValidate ContributionDecision = "validate" // by the porteur or a coordinator
	ContributionRefuse   ContributionDecision = "refuse"   // the same, with a reason
	ContributionPay      ContributionDecision = "pay"      // a coordinator records its payment
)

// CheckContributionDecision applies the rules of DESIGN.md §3 to u taking decision d on
// c, as read under its lock: the défi's porteur or a coordinator validates or refuses, a
// coordinator pays, and never on their own contribution (four eyes); then the state must
// allow it. It returns already when c is in the state d leads to (a second click: nothing
// to do), else nil when u may, else an EFORBIDDEN, EINVALID or ECONFLICT error with a
// French sentence. Rights come before the state, so a stranger learns nothing of it.
func CheckContributionDecision(u *User, d ContributionDecision, c *ContributionRecord) (already bool, err error) {
	switch d {
	case ContributionValidate:
		switch {
		case u != nil && u.ID == c.UserID:
			return false, Errorf(EFORBIDDEN, "Vous ne pouvez pas valider votre propre contribution : une autre personne de l’équipe ou de la coordination le fait.")
		case !mayDecideContribution(u, c):
			return false, Errorf(EFORBIDDEN, "Seuls le·la porteur·se du défi et la coordination valident les contributions.")
		}
		switch c.State {
		case ContributionValidated:
			return true, nil
		case ContributionPaid:
			return false, Errorf(ECONFLICT, "Cette contribution est déjà payée.")
		case ContributionRefused:
			return false, Errorf(ECONFLICT, "Cette contribution a été refusée : elle ne peut plus être validée.")
		}
		return false, nil
	case ContributionRefuse:
		switch {
		case u != nil && u.ID == c.UserID:
			return false, Errorf(EFORBIDDEN, "Vous ne pouvez pas décider de votre propre contribution.")
		case !mayDecideContribution(u, c):
			return false, Errorf(EFORBIDDEN, "Seuls le·la porteur·se du défi et la coordination refusent les contributions.")
		}
		switch c.State {
		case ContributionRefused:
			return true, nil
		case ContributionPaid:
			return false, Errorf(ECONFLICT, "Cette contribution est déjà payée : elle ne peut plus être refusée.")
		}
		if c.StatementID != 0 { // its author asked to be paid for it: the invoice follows
			return false, Errorf(ECONFLICT, "Cette contribution est sur un relevé à facturer : elle ne peut plus être refusée.")
		}
		return false, nil
	case ContributionPay:
		switch {
		case !u.IsCoordinator():
			return false, Errorf(EFORBIDDEN, "Seule la coordination enregistre les paiements.")
		case u.ID == c.UserID: // money never leaves on one person's say alone
			return false, Errorf(EFORBIDDEN, "Vous ne pouvez pas enregistrer le paiement de votre propre contribution.")
		case c.Volunteer:
			return false, Errorf(EINVALID, "Une contribution bénévole n’est pas payée.")
		}
		switch c.State {
		case ContributionPaid:
			return true, nil
		case ContributionDeclared:
			return false, Errorf(EINVALID, "Cette contribution doit d’abord être validée.")
		case ContributionValidated:
			if c.StatementID != 0 {
				return false, Errorf(EINVALID, "Cette contribution est sur un relevé à facturer : elle se paie avec sa facture.")
			}
		case ContributionRefused:
			return false, Errorf(ECONFLICT, "Cette contribution a été refusée : elle ne peut pas être payée.")
		}
		return false, nil
	}
	return false, Errorf(EINVALID, "Valeur invalide.") // no such decision
}

// mayDecideContribution: the défi's porteur or a coordinator, never its author.
func mayDecideContribution(u *User, c *ContributionRecord) bool {
	return u != nil && u.ID != c.UserID && (u.IsCoordinator() || u.ID == c.LeadID)
}

// MayTakeContributionDecision reports whether u may take decision d on c now: allowed,
// and not already taken.
func MayTakeContributionDecision(u *User, d ContributionDecision, c *ContributionRecord) bool {
	already, err := CheckContributionDecision(u, d, c)
	return err == nil && !already
}

// ContributionAuditDetail is the audit line of decision d just taken on c, in French, the
// audit trail's language; from is c's state before a refusal.
func ContributionAuditDetail(d ContributionDecision, c *ContributionRecord, from string) string {
	s := fmt.Sprintf("%s, %s, défi « %s »", c.UserName, FormatDaysWithUnit(c.Quarters), c.ChallengeTitle)
	if c.Volunteer {
		s += ", bénévole"
	} else {
		s += ", " + i18n.Money(i18n.French, c.Amount)
	}
	switch d {
	case ContributionRefuse:
		return s + ", était " + ContributionStateLabel(from) + " ; motif : " + c.Reason
	case ContributionPay:
		return s + ", payée le " + c.PaidOn.Format("2006-01-02") + ", référence " + c.Reference
	}
	return s
}

// ContributionPaymentMemo is the ledger memo of c's payment.
func ContributionPaymentMemo(c *ContributionRecord) string {
	return fmt.Sprintf("Contribution n° %d de %s (%s)", c.ID, c.UserName, FormatDaysWithUnit(c.Quarters))
}

// FromCommons reports whether c is paid from its commun's funds rather than the défi's
// seed budget.
func (c *ContributionRecord) FromCommons() bool { return c.CommonsID != 0 }

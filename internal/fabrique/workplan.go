package fabrique

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/fabrique-a-communs/fabrique/internal/i18n"
)

// The coordination's work plan (DESIGN §5, issue 15): the seed's own table of days a year
// per service for four communs accompanied; the days a coordinator logs against a
// service, validated by another coordinator and paid at the day rate from the
// programme's operating account of the year, a ledger account funded like the seed fund.

// Ledger account and transaction kinds of the operating account.
const (
	AccountOperating       = "operating"            // the programme's operating account of a year
	TxOperatingAllocation  = "operating_allocation" // the operating account raised or lowered
	TxCoordinationPayment  = "coordination_payment" // a coordinator's validated days paid
	CauseCoordinationTime  = "coordination_time"
	CauseOperatingAccount  = "operating"
	maxTimeQuarters        = 4 * 5 // one entry: at most five days
	maxTimeDescriptionRune = 2000
)

// WorkServices are the services of the plan, in the seed's order.
var WorkServices = []string{"animation-defis", "amorcage", "cofinancement", "ressources-et-vous", "residences"}

// DefaultPlanDays are the days a year the seed plans per service.
var DefaultPlanDays = map[string]int{"animation-defis": 5, "amorcage": 8, "cofinancement": 20, "ressources-et-vous": 10, "residences": 10}

// WorkServiceLabel is a service's name in the Fabrique's words.
func WorkServiceLabel(s string) string {
	switch s {
	case "animation-defis":
		return "Animation des défis"
	case "amorcage":
		return "Amorçage"
	case "cofinancement":
		return "Cofinancement"
	case "ressources-et-vous":
		return "Ressources & vous"
	case "residences":
		return "Résidences contributives"
	}
	return s
}

// ValidWorkService reports whether s is a service of the plan.
func ValidWorkService(s string) bool {
	_, ok := DefaultPlanDays[s]
	return ok
}

// WorkPlan is a year's days planned per service, in quarter-days.
type WorkPlan struct {
	Year     int
	Quarters map[string]int
	Saved    bool // false: the seed's defaults, never saved for this year
}

// DefaultWorkPlan is the seed's plan for year.
func DefaultWorkPlan(year int) WorkPlan {
	p := WorkPlan{Year: year, Quarters: map[string]int{}}
	for s, d := range DefaultPlanDays {
		p.Quarters[s] = d * 4
	}
	return p
}

// Total is the days planned over every service, in quarter-days.
func (p WorkPlan) Total() int {
	n := 0
	for _, q := range p.Quarters {
		n += q
	}
	return n
}

// ParsePlanDays reads a service's days planned for a year: zero allowed, quarter steps,
// at most 366 days. The error names the field jours_{service}.
func ParsePlanDays(service, s string) (int, error) {
	field := "jours_" + service
	intPart, frac := strings.TrimSpace(s), ""
	if i := strings.IndexAny(intPart, ",."); i >= 0 {
		intPart, frac = intPart[:i], intPart[i+1:]
	}
	if (intPart == "" && frac == "") || len(intPart) > 3 || len(frac) > 2 ||
		strings.Trim(intPart, "0123456789") != "" || strings.Trim(frac, "0123456789") != "" {
		return 0, fieldError(field, "Indiquez un nombre de jours par quart de journée : 10 ; 7,5 ; 2,25.")
	}
	days, _ := strconv.Atoi("0" + intPart)
	extra, ok := fracQuarters(frac)
	if !ok {
		return 0, fieldError(field, msgQuarterSteps)
	}
	q := days*4 + extra
	if q > 4*366 {
		return 0, fieldError(field, "Indiquez au plus 366 jours.")
	}
	return q, nil
}

// Coordination time states.
const (
	TimeDeclared  = "declaree"
	TimeValidated = "validee"
	TimeRefused   = "refusee"
	TimePaid      = "payee"
)

// TimeStateLabel is a state's French name.
func TimeStateLabel(s string) string {
	switch s {
	case TimeDeclared:
		return "À valider"
	case TimeValidated:
		return "Validé, à payer"
	case TimeRefused:
		return "Refusé"
	case TimePaid:
		return "Payé"
	}
	return s
}

// NewCoordinationTime is what a coordinator logs of their own days.
type NewCoordinationTime struct {
	WorkedOn    time.Time
	Service     string
	Quarters    int
	Description string
	CommonsSlug string // optional
}

// Validate checks the entry field by field; the date no later than today (Paris).
func (n *NewCoordinationTime) Validate(now time.Time) error {
	var v Validation
	n.Description = strings.TrimSpace(n.Description)
	if n.WorkedOn.IsZero() {
		v.Add("date", "Indiquez le jour travaillé (JJ/MM/AAAA).")
	} else if n.WorkedOn.After(now) {
		v.Add("date", "Le jour travaillé ne peut pas être dans le futur.")
	} else if n.WorkedOn.Year() < MinFundYear {
		v.Add("date", "Indiquez un jour à partir de 2020.")
	}
	if !ValidWorkService(n.Service) {
		v.Add("service", "Choisissez le service du plan de travail.")
	}
	if n.Quarters <= 0 || n.Quarters > maxTimeQuarters {
		v.Add("days", "Une saisie compte de 0,25 à 5 jours.")
	}
	if n.Description == "" {
		v.Add("description", "Dites en une phrase ce qui a été fait.")
	} else if utf8.RuneCountInString(n.Description) > maxTimeDescriptionRune {
		v.Add("description", "La description compte au plus 2 000 caractères.")
	}
	return v.Err()
}

// CoordinationTime is a coordinator's logged days, as the pages show them.
type CoordinationTime struct {
	ID          int64
	UserID      int64
	UserName    string
	WorkedOn    time.Time
	Service     string
	Quarters    int
	Description string
	CommonsSlug string
	CommonsName string
	DayRate     int64
	Amount      int64
	State       string
	Reason      string
	ValidatedBy int64
	PaidBy      int64
	PaidOn      time.Time
	Reference   string
}

// Decisions on a coordinator's days.
const (
	TimeValidate = "validate"
	TimeRefuse   = "refuse"
	TimePay      = "pay"
)

// CheckTimeDecision applies the rules of decision d by u on t: only a coordinator, never
// on their own days (four eyes); validate or refuse days to validate, pay validated days.
// A decision already taken returns already true and no error, so a double click does
// nothing twice.
func CheckTimeDecision(u *User, d string, t *CoordinationTime) (already bool, err error) {
	if !u.IsCoordinator() {
		return false, Errorf(EFORBIDDEN, "Seule la coordination valide et paie le temps de coordination.")
	}
	if u.ID == t.UserID {
		return false, Errorf(EFORBIDDEN, "Un·e autre coordinateur·rice doit valider et payer vos jours : personne ne décide de sa propre rétribution.")
	}
	switch {
	case d == TimeValidate && t.State == TimeValidated, d == TimeRefuse && t.State == TimeRefused, d == TimePay && t.State == TimePaid:
		return true, nil
	case (d == TimeValidate || d == TimeRefuse) && t.State != TimeDeclared:
		return false, Errorf(ECONFLICT, "Ces jours ont déjà été traités.")
	case d == TimePay && t.State != TimeValidated:
		return false, Errorf(ECONFLICT, "Seuls des jours validés se paient.")
	}
	return false, nil
}

// MayDecideTime reports whether u may take decision d on t now.
func MayDecideTime(u *User, d string, t *CoordinationTime) bool {
	already, err := CheckTimeDecision(u, d, t)
	return err == nil && !already
}

// OperatingShortError refuses days the operating account of year cannot pay.
func OperatingShortError(year int, left int64) error {
	return Errorf(EINVALID, "Le budget de fonctionnement %d n’a plus que %s disponibles : augmentez-le sur le plan de travail avant de valider ces jours.", year, i18n.Money(i18n.French, left))
}

// CoordinationTimeMemo is the public accounts' line of a payment of t.
func CoordinationTimeMemo(t *CoordinationTime) string {
	return fmt.Sprintf("Temps de coordination — %s, %s, %s", t.UserName, FormatDaysWithUnit(t.Quarters), WorkServiceLabel(t.Service))
}

// OperatingFundMemo is the public accounts' line of the operating account set to amount.
func OperatingFundMemo(year int, amount int64) string {
	return fmt.Sprintf("Budget de fonctionnement %d porté à %s", year, i18n.Money(i18n.French, amount))
}

// OperatingFund is the operating account of a year: what was allocated, validated days
// not yet paid, paid, and what is left to validate.
type OperatingFund struct {
	Year      int
	Total     int64 // allocated
	Committed int64 // validated, unpaid
	Paid      int64
}

// Left is what the account can still take on.
func (f OperatingFund) Left() int64 { return f.Total - f.Paid - f.Committed }

// ServiceDays are the days of one service (or a commun) in a year: planned, validated or
// paid, and waiting for validation, in quarter-days.
type ServiceDays struct {
	Service     string
	CommonsSlug string
	CommonsName string
	Planned     int
	Done        int // validated or paid
	Waiting     int // logged, to validate
}

// WorkPlanReport is a year's plan against what was logged.
type WorkPlanReport struct {
	Plan      WorkPlan
	Services  []ServiceDays // every service, in the plan's order
	ByCommons []ServiceDays // per commun and service, days logged (validated or paid); a commun's empty name: none
	Fund      OperatingFund
}

// TotalDone is the days validated or paid over every service.
func (r WorkPlanReport) TotalDone() int {
	n := 0
	for _, s := range r.Services {
		n += s.Done
	}
	return n
}

// ErrTimeCommonsUnknown refuses days logged against a commun that does not exist.
var ErrTimeCommonsUnknown = fieldError("commons_slug", "Choisissez un commun de la liste, ou aucun.")

// OperatingBelowUsedError refuses an operating account set below what it has paid and
// validated, next to the amount.
func OperatingBelowUsedError(used int64) error {
	_ = used // shown in the table beside the form
	return fieldError("amount", "Le budget ne peut pas descendre sous ce qu’il a déjà payé ou réservé pour des jours validés (le tableau ci-dessus).")
}

// CommonsOption is a commun in a list to choose from.
type CommonsOption struct {
	Slug, Name string
}

// Refusals of the work plan's pages to anyone but the coordination, and of unknown days.
var (
	ErrWorkPlanCoordinationOnly  = Errorf(EFORBIDDEN, "Seule la coordination établit son plan de travail.")
	ErrOperatingCoordinationOnly = Errorf(EFORBIDDEN, "Seule la coordination fixe le budget de fonctionnement.")
	ErrTimeCoordinationOnly      = Errorf(EFORBIDDEN, "Seule la coordination saisit son temps sur le plan de travail.")
	ErrCoordinationTimeNotFound  = Errorf(ENOTFOUND, "Ces jours de coordination n’existent pas.")
)

// CoordinationTimeAuditDetail is the journal's line of days t, in French, the audit
// trail's language.
func CoordinationTimeAuditDetail(t *CoordinationTime) string {
	s := fmt.Sprintf("%s, %s, %s, le %s", t.UserName, FormatDaysWithUnit(t.Quarters), WorkServiceLabel(t.Service), t.WorkedOn.Format("02/01/2006"))
	if t.CommonsName != "" {
		s += ", commun « " + t.CommonsName + " »"
	}
	return s
}

// WorkPlanAuditDetail is the journal's line of the plan p saved.
func WorkPlanAuditDetail(p WorkPlan) string {
	parts := make([]string, 0, len(WorkServices))
	for _, s := range WorkServices {
		parts = append(parts, WorkServiceLabel(s)+" "+FormatDaysWithUnit(p.Quarters[s]))
	}
	return fmt.Sprintf("Plan %d : %s", p.Year, strings.Join(parts, ", "))
}

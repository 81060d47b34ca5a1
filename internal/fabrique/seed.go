package fabrique

import (
	"fmt"
	"time"

	"github.com/fabrique-a-communs/fabrique/internal/i18n"
)

// Defaults of the amorçage phase (DESIGN.md §3, the Fabrique's first programme).
const (
	DefaultSeedCeiling int64 = 3000_00 // a défi's seed budget, at most
	DefaultDayRate     int64 = 230_00  // a day of work, HT
)

// AcceptsSeedRequest reports whether a défi in status s may ask for, and be granted, a
// seed budget: once its team is formed and while it frames the commun.
func (s Status) AcceptsSeedRequest() bool { return s == StatusTeam || s == StatusFraming }

// Seed request states.
const (
	SeedPending  = "pending"
	SeedApproved = "approved"
	SeedRefused  = "refused"
)

// SeedRequest is a porteur's request for a seed budget and the coordination's decision.
type SeedRequest struct {
	ID             int64
	ChallengeID    int64
	RequestedBy    int64
	RequesterName  string
	Amount         int64 // cents requested
	Plan           string
	State          string
	ApprovedAmount int64 // cents granted, when approved
	FundYear       int
	Note           string
	DecidedBy      int64
	DeciderName    string
	DecidedAt      time.Time
	CreatedAt      time.Time
}

// Bounds of the seed forms.
const (
	MinFundYear    = 2020
	MaxFundYear    = 2100
	MaxSeedPlanLen = 20000 // characters, as the schema checks
	MaxSeedNoteLen = 2000
)

// Limits a SeedLimitError names.
const (
	LimitCeiling   = "ceiling"   // the défi's seed budget would pass the ceiling
	LimitFund      = "fund"      // the year's fund has not that much left
	LimitGranted   = "granted"   // the fund would go below what it already granted
	LimitRequested = "requested" // more granted than requested
)

// The sentences of the limits, keys of the message catalog.
const (
	msgSeedCeiling   = "Le budget d’amorçage d’un défi est plafonné à %s : il reste %s pour ce défi."
	msgSeedFundShort = "Le fonds d’amorçage %d n’a plus que %s."
	msgSeedGranted   = "Le fonds d’amorçage %d a déjà accordé %s : il ne peut pas descendre en dessous."
	msgSeedRequested = "Le montant accordé ne peut pas dépasser le montant demandé (%s)."
)

// SeedLimitError is an amount refused by a limit of the seed phase, with the figure that
// explains it, so the refusal can be worded in the visitor's language. It unwraps to an
// EINVALID error on the "amount" field, in French.
type SeedLimitError struct {
	Limit  string // LimitCeiling, LimitFund, LimitGranted or LimitRequested
	Year   int    // the fund's year, for LimitFund and LimitGranted
	Amount int64  // cents: left under the ceiling or in the fund, granted, or requested
}

// Sentence words the refusal in lang.
func (e *SeedLimitError) Sentence(lang i18n.Lang) string {
	money := func(c int64) string { return i18n.Money(lang, c) }
	switch e.Limit {
	case LimitCeiling:
		return i18n.Translate(lang, msgSeedCeiling, money(DefaultSeedCeiling), money(e.Amount))
	case LimitFund:
		return i18n.Translate(lang, msgSeedFundShort, e.Year, money(e.Amount))
	case LimitGranted:
		return i18n.Translate(lang, msgSeedGranted, e.Year, money(e.Amount))
	}
	return i18n.Translate(lang, msgSeedRequested, money(e.Amount))
}

// Error implements the error interface.
func (e *SeedLimitError) Error() string { return "seed limit: " + e.Sentence(i18n.French) }

// Unwrap gives the domain error, so ErrorCode and ErrorFields see an invalid amount.
func (e *SeedLimitError) Unwrap() error {
	return &Error{Code: EINVALID, Message: "Le formulaire contient des erreurs.",
		Fields: map[string]string{"amount": e.Sentence(i18n.French)}}
}

// SeedFundSummary is a year's seed fund, from the ledger: what was allocated to it, what
// it granted to défis, and what is left (its balance).
type SeedFundSummary struct {
	Year    int
	Total   int64
	Granted int64
	Left    int64
}

// SeedDecision is a coordinator's decision on a défi's seed request.
type SeedDecision struct {
	RequestID int64  // the request decided; 0 for the défi's pending request
	Approve   bool   // approve, else refuse
	Amount    int64  // cents granted on approval; 0 for the amount requested
	Note      string // required for a refusal
	Year      int    // the seed fund that pays an approval: the current year
}

// ChallengeSeedState is the seed phase of one défi: its requests and what was granted.
type ChallengeSeedState struct {
	Requests []SeedRequest // newest first, at most the limit asked
	Granted  int64         // approved so far, in cents, over every request
}

// Pending returns the request waiting for a decision, or nil.
func (s *ChallengeSeedState) Pending() *SeedRequest {
	for i := range s.Requests {
		if s.Requests[i].State == SeedPending {
			return &s.Requests[i]
		}
	}
	return nil
}

// SeedQueueItem is a pending seed request in the coordination's queue, with its défi.
type SeedQueueItem struct {
	SeedRequest
	ChallengeSlug   string
	ChallengeTitle  string
	ChallengeStatus Status
	ChallengeLeadID int64 // the défi's porteur now, for the four-eyes rule
	Granted         int64 // granted to the défi before this request
}

// Age is how long the request has waited at now, in whole days.
func (it SeedQueueItem) Age(now time.Time) int {
	return int(now.Sub(it.CreatedAt) / (24 * time.Hour))
}

// What only the coordination does with seed money.
var (
	ErrSeedFundCoordinationOnly     = Errorf(EFORBIDDEN, "Seule la coordination fixe le fonds d’amorçage.")
	ErrSeedDecisionCoordinationOnly = Errorf(EFORBIDDEN, "Seule la coordination décide des budgets d’amorçage.")
)

// The refusals about seed requests.
var (
	// ErrSeedRequestPending refuses a second open request for a défi.
	ErrSeedRequestPending = Errorf(EINVALID, "Une demande est déjà en attente pour ce défi : attendez la décision de la coordination.")
	// ErrNoPendingSeedRequest is a decision on the pending request of a défi that has none.
	ErrNoPendingSeedRequest = Errorf(ECONFLICT, "Aucune demande de budget d’amorçage n’est en attente pour ce défi.")
	// ErrSeedRequestNotFound is a seed request asked for by its id.
	ErrSeedRequestNotFound = Errorf(ENOTFOUND, "Cette demande n’existe pas.")
)

// SeedRequestFacts are what a request for a seed budget looks at, read under the défi's
// lock in the request's transaction.
type SeedRequestFacts struct {
	LeadID   int64  // the défi's porteur
	Status   Status // the défi's
	Pending  bool   // a request waits for a decision
	Approved int64  // seed budget approved so far, in cents
}

// CheckSeedRequest applies the rules of a request of amount cents by u: only the défi's
// porteur asks (EFORBIDDEN), while the défi is in équipe or préfiguration and no other
// request is open (EINVALID), for more than zero and no more than is left under the
// ceiling (a SeedLimitError). Rights come first, so a stranger learns nothing more.
func CheckSeedRequest(u *User, amount int64, f SeedRequestFacts) error {
	if u == nil || u.ID != f.LeadID {
		return Errorf(EFORBIDDEN, "Seul·e le·la porteur·se du défi demande son budget d’amorçage.")
	}
	if !f.Status.AcceptsSeedRequest() {
		return Errorf(EINVALID, "Le budget d’amorçage se demande quand l’équipe est constituée ou pendant la préfiguration.")
	}
	if f.Pending {
		return ErrSeedRequestPending
	}
	if amount <= 0 {
		return Errorf(EINVALID, "Le montant doit être supérieur à zéro.")
	}
	if left := DefaultSeedCeiling - f.Approved; amount > left {
		return &SeedLimitError{Limit: LimitCeiling, Amount: max(left, 0)}
	}
	return nil
}

// SeedGrantMemo is the ledger memo of the seed budget granted to the défi titled title.
func SeedGrantMemo(title string) string {
	return fmt.Sprintf("Budget d’amorçage de « %s »", title)
}

// SeedFundMemo is the ledger memo of the allocation that sets the fund of year to amount
// cents.
func SeedFundMemo(year int, amount int64) string {
	return fmt.Sprintf("Fonds d’amorçage %d porté à %s", year, i18n.Money(i18n.French, amount))
}

// SeedFundAuditDetail is the audit line of the fund of year set from one amount to
// another, in French, the audit trail's language.
func SeedFundAuditDetail(year int, from, to int64) string {
	return fmt.Sprintf("Fonds d’amorçage %d : %s → %s", year, i18n.Money(i18n.French, from), i18n.Money(i18n.French, to))
}

// SeedDecisionAuditDetail is the audit line of the decision just taken on r, a request
// of the défi titled title: approved (r.ApprovedAmount from the fund of r.FundYear) or
// refused, with r.Note.
func SeedDecisionAuditDetail(title string, r *SeedRequest) string {
	if r.State == SeedRefused {
		return fmt.Sprintf("« %s » : demande de %s refusée. %s", title, i18n.Money(i18n.French, r.Amount), r.Note)
	}
	detail := fmt.Sprintf("« %s » : %s accordés sur le fonds d’amorçage %d (%s demandés).",
		title, i18n.Money(i18n.French, r.ApprovedAmount), r.FundYear, i18n.Money(i18n.French, r.Amount))
	if r.Note != "" {
		detail += " " + r.Note
	}
	return detail
}

// SeedSelfDecisionAuditDetail is the audit line of an attempt the four-eyes rule refused:
// to approve (or refuse) a request of amount cents on the défi titled title, barred for
// bar (SeedDeciderRequester or SeedDeciderLead).
func SeedSelfDecisionAuditDetail(title string, amount int64, approve bool, bar string) string {
	verb := "de refuser"
	if approve {
		verb = "d’approuver"
	}
	why := "a fait la demande"
	if bar == SeedDeciderLead {
		why = "porte le défi"
	}
	return fmt.Sprintf("« %s » : tentative %s la demande de %s refusée (quatre yeux) : la personne %s.",
		title, verb, i18n.Money(i18n.French, amount), why)
}

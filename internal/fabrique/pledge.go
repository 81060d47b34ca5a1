package fabrique

import (
	"fmt"
	"time"

	"github.com/fabrique-a-communs/fabrique/internal/i18n"
)

// Bounds of the pledge forms, as the schema checks them.
const (
	// MaxPledgeMessageLen bounds a pledge's message, in characters.
	MaxPledgeMessageLen = 1000
	// MinIdempotencyKeyLen is the shortest idempotency key a pledge form may carry.
	MinIdempotencyKeyLen = 8
	// MaxIdempotencyKeyLen is the longest idempotency key a pledge form may carry.
	MaxIdempotencyKeyLen = 100
	// MaxOrganisationLen bounds a funder's organisation name, in characters.
	MaxOrganisationLen = 160
)

// NewPledge is a pledge as its form gives it, checked by the caller.
type NewPledge struct {
	StepID         int64
	UserID         int64
	Kind           string // the funder's kind: their profile's, or Profile's
	Amount         int64  // cents, > 0
	Anonymous      bool
	Message        string
	IdempotencyKey string
	// Profile is the funder profile made with the first pledge, for an account that has
	// none; an account that has one keeps it.
	Profile *Funder
	Today   time.Time // the day in Paris, which says which calls are open
}

// PledgeDecision is an action on an existing pledge.
type PledgeDecision string

// Actions on an existing pledge.
const (
	// PledgeModify changes a promise's amount, anonymity or message.
	PledgeModify PledgeDecision = "modify"
	// PledgeCancel cancels a promise: withdrawn by its funder, cancelled by a coordinator.
	PledgeCancel PledgeDecision = "cancel"
	// PledgeConfirm records that a promise's funds were received.
	PledgeConfirm PledgeDecision = "confirm"
)

// MayReadPledge reports whether u may see in full a pledge of funderID: its funder or the
// coordination.
func MayReadPledge(u *User, funderID int64) bool {
	return u != nil && (u.ID == funderID || u.IsCoordinator())
}

// CheckPledgeDecision says whether u may take decision d on a pledge of funderID in state:
// only its funder modifies it; its funder or a coordinator cancels it; a coordinator other
// than its funder confirms it (EFORBIDDEN otherwise). Only a promise changes (ECONFLICT);
// cancelling a cancelled pledge or confirming a confirmed one is already done, not an error,
// so a second click does nothing.
func CheckPledgeDecision(u *User, d PledgeDecision, funderID int64, state string) (already bool, err error) {
	mine := u != nil && u.ID == funderID
	switch d {
	case PledgeModify:
		if !mine {
			return false, Errorf(EFORBIDDEN, "Seul le financeur modifie sa promesse.")
		}
	case PledgeCancel:
		if !mine && !u.IsCoordinator() {
			return false, Errorf(EFORBIDDEN, "Seuls le financeur et la coordination annulent une promesse.")
		}
		if state == PledgeCancelled {
			return true, nil
		}
	case PledgeConfirm:
		if !u.IsCoordinator() {
			return false, Errorf(EFORBIDDEN, "Seule la coordination confirme la réception des fonds.")
		}
		if mine {
			return false, Errorf(EFORBIDDEN, "Vous ne pouvez pas confirmer votre propre promesse : une autre personne de la coordination le fera.")
		}
		if state == PledgeConfirmed {
			return true, nil
		}
	default:
		return false, fmt.Errorf("fabrique: unknown pledge decision %q", d) // a programming error
	}
	if state != PledgePromise {
		return false, pledgeDecidedError(state)
	}
	return false, nil
}

// pledgeDecidedError is the refusal to act on a pledge no longer a promise.
func pledgeDecidedError(state string) error {
	switch state {
	case PledgeConfirmed:
		return Errorf(ECONFLICT, "Les fonds de cette promesse sont déjà reçus : elle ne peut plus changer.")
	case PledgeCancelled:
		return Errorf(ECONFLICT, "Cette promesse est annulée : elle ne peut plus changer.")
	}
	return Errorf(ECONFLICT, "Cette promesse a expiré à la clôture de l’appel : elle ne peut plus changer.")
}

// MsgPledgeKindMismatch refuses a pledge whose kind is not the funder profile's.
const MsgPledgeKindMismatch = "Ce type ne correspond pas à votre profil de financeur : modifiez d’abord votre profil dans votre espace."

// The refusals about pledges.
var (
	// ErrPledgeNotFound is a pledge asked for by its id.
	ErrPledgeNotFound = Errorf(ENOTFOUND, "Cette promesse n’existe pas.")
	// ErrPledgeKeyReused is a pledge form's idempotency key already used for a pledge to
	// another step.
	ErrPledgeKeyReused = Errorf(ECONFLICT, "Ce formulaire a déjà servi pour une autre promesse : rechargez la page.")
	// ErrPledgeAmountChanged is a confirmation of funds for an amount the pledge no
	// longer has.
	ErrPledgeAmountChanged = Errorf(ECONFLICT, "Le montant de cette promesse a changé depuis l’affichage de la page : vérifiez-le avant de confirmer.")
)

// PledgeKindMismatchError refuses, next to the funder_kind field, a pledge whose kind is
// not the funder profile's.
func PledgeKindMismatchError() error { return fieldError("funder_kind", MsgPledgeKindMismatch) }

// PledgeProfileMissingError refuses, next to the funder_kind field, a pledge from an
// account without a funder profile that brought none.
func PledgeProfileMissingError() error {
	return fieldError("funder_kind", "Complétez votre profil de financeur pour promettre.")
}

// PledgeMemo is the ledger memo of the funds of rec received: public (transparence), so an
// anonymous funder stays anonymous.
func PledgeMemo(rec *PledgeRecord) string {
	funder := "financeur anonyme"
	if !rec.Anonymous {
		funder = rec.PublicName()
	}
	return fmt.Sprintf("Promesse n° %d de %s, étape « %s »", rec.ID, funder, rec.StepTitle)
}

// PledgeRecord is a pledge with its step, commun, call and funder, as pages list it.
// Pledge.FunderName is the public name: "" for an anonymous pledge. UserName, Email and
// Organisation name the funder whatever the anonymity: for coordinators and the funder.
type PledgeRecord struct {
	Pledge
	StepTitle     string
	CommonsID     int64
	CommonsSlug   string
	CommonsName   string
	CallSlug      string // "" for a pledge in no call
	CallTitle     string
	UserName      string
	Email         string
	Organisation  string
	DecidedByName string
	LedgerTxID    int64
	// The tiers-lieu a tiers-lieu pledge was made in the name of (PlaceID 0: none),
	// whether it is verified and the funder an accepted member of it, as they are now: what
	// the coordinator confirming funds checks, and what decides whether it is matched.
	PlaceID       int64
	PlaceSlug     string
	PlaceName     string
	PlaceVerified bool
	PlaceMember   bool
	// Payment is how the funder pays it: its call's instructions (none set, or no call:
	// the coordination tells), and Payment.Reference(ID) the reference to write.
	Payment PaymentInstructions
}

// PublicName is how the funder signs a pledge: their organisation, else their name,
// whatever the anonymity — callers decide who may read it.
func (p *PledgeRecord) PublicName() string {
	if p.Organisation != "" {
		return p.Organisation
	}
	return p.UserName
}

// PledgeAuditDetail describes a pledge for the audit trail, in French, the audit trail's
// language; read by the coordination only.
func PledgeAuditDetail(rec *PledgeRecord) string {
	s := fmt.Sprintf("%s (%s), %s, étape « %s » du commun « %s »", rec.PublicName(), rec.FunderKind,
		i18n.Money(i18n.French, rec.Amount), rec.StepTitle, rec.CommonsName)
	if rec.Anonymous {
		s += ", anonyme"
	}
	return s
}

// PledgeStep is a step as its pledge form shows it: its commun, and the open call a
// pledge made today would join (CallID 0: none).
type PledgeStep struct {
	Step
	CallID    int64
	CallSlug  string
	CallTitle string
}

// PledgeChange is what a funder may change in their promise.
type PledgeChange struct {
	Amount    int64
	Anonymous bool
	Message   string
}

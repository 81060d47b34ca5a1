package fabrique

// The four-eyes rules of DESIGN.md §3: nobody decides alone on their own request.

// SeedDeciderFacts are what the four-eyes rule of a seed decision looks at, read under
// the défi's lock in the decision's transaction.
type SeedDeciderFacts struct {
	RequestedBy int64 // who asked for the seed budget
	LeadID      int64 // the défi's porteur now
}

// Reasons a coordinator may not decide on a seed request.
const (
	SeedDeciderRequester = "requester" // they made the request
	SeedDeciderLead      = "lead"      // they lead the défi
)

// SeedDeciderBar returns why u may not decide on a seed request with facts f — "" when
// u may: a coordinator who is neither its requester nor the défi's porteur. Someone who
// is no coordinator is no decider at all (CheckSeedDecider), not barred.
func SeedDeciderBar(u *User, f SeedDeciderFacts) string {
	switch {
	case u == nil:
		return ""
	case u.ID == f.RequestedBy:
		return SeedDeciderRequester
	case u.ID == f.LeadID:
		return SeedDeciderLead
	}
	return ""
}

// CheckSeedDecider applies the four-eyes rule to u deciding on a seed request with facts
// f: only a coordinator decides, and never on a request they made nor for a défi they
// lead, so no one grants money to themself. It returns nil when u may decide, else an
// EFORBIDDEN error with a French sentence.
func CheckSeedDecider(u *User, f SeedDeciderFacts) error {
	if !u.IsCoordinator() {
		return ErrSeedDecisionCoordinationOnly
	}
	switch SeedDeciderBar(u, f) {
	case SeedDeciderRequester:
		return Errorf(EFORBIDDEN, "Un·e autre coordinateur·rice doit décider : vous avez demandé ce budget d’amorçage.")
	case SeedDeciderLead:
		return Errorf(EFORBIDDEN, "Un·e autre coordinateur·rice doit décider : vous portez ce défi.")
	}
	return nil
}

// SeedDecisionFacts are what a seed decision looks at, read under the défi's and the
// request's locks in the decision's transaction.
type SeedDecisionFacts struct {
	SeedDeciderFacts
	State  string // the request's: SeedPending, SeedApproved or SeedRefused
	Status Status // the défi's
}

// CheckSeedDecision applies the rules of a seed decision d by u: the four-eyes rule
// (CheckSeedDecider) first, then a refusal needs a note (EINVALID on "note"), a request
// is decided once (ECONFLICT), and an approval needs a défi still in équipe or
// préfiguration (EINVALID). It returns nil when u may take d; the limits on the amount
// (SeedLimitError) are the store's, which reads the fund.
func CheckSeedDecision(u *User, d SeedDecision, f SeedDecisionFacts) error {
	if err := CheckSeedDecider(u, f.SeedDeciderFacts); err != nil {
		return err
	}
	if !d.Approve && d.Note == "" {
		return &Error{Code: EINVALID, Message: "Le formulaire contient des erreurs.",
			Fields: map[string]string{"note": "Expliquez au·à la porteur·se pourquoi la demande est refusée."}}
	}
	switch f.State {
	case SeedApproved:
		return Errorf(ECONFLICT, "Cette demande a déjà été approuvée.")
	case SeedRefused:
		return Errorf(ECONFLICT, "Cette demande a déjà été refusée.")
	}
	if d.Approve && !f.Status.AcceptsSeedRequest() {
		return Errorf(EINVALID, "Le défi n’est plus en équipe ni en préfiguration : cette demande ne peut plus être approuvée, refusez-la.")
	}
	return nil
}

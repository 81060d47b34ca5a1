package fabrique

import (
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// Regions are the 18 regions of France (13 in mainland France, Corsica included, and 5
// overseas), as a tiers-lieu declares its own.
var Regions = []string{
	"Auvergne-Rhône-Alpes",
	"Bourgogne-Franche-Comté",
	"Bretagne",
	"Centre-Val de Loire",
	"Corse",
	"Grand Est",
	"Hauts-de-France",
	"Île-de-France",
	"Normandie",
	"Nouvelle-Aquitaine",
	"Occitanie",
	"Pays de la Loire",
	"Provence-Alpes-Côte d’Azur",
	"Guadeloupe",
	"Martinique",
	"Guyane",
	"La Réunion",
	"Mayotte",
}

// ValidRegion reports whether r is one of the 18 regions.
func ValidRegion(r string) bool {
	for _, x := range Regions {
		if x == r {
			return true
		}
	}
	return false
}

// Place is a tiers-lieu.
type Place struct {
	ID        int64
	Slug      string
	Name      string
	City      string
	Region    string
	Website   string
	CreatedAt time.Time
	// VerifiedAt is when a coordinator verified the place (it exists, this is its team);
	// zero while it is not. Only a verified place's pledges count for a matching rule.
	VerifiedAt time.Time
}

// Verified reports whether a coordinator verified the place.
func (p *Place) Verified() bool { return !p.VerifiedAt.IsZero() }

// PlaceVerification is who verified a tiers-lieu, when, and their note, which
// coordinators see.
type PlaceVerification struct {
	At     time.Time
	ByName string
	Note   string
}

// MaxVerificationNoteLen bounds a verification's note, in characters.
const MaxVerificationNoteLen = 1000

// The refusals about tiers-lieux.
var (
	// ErrPlaceNotFound is a tiers-lieu asked for by its id.
	ErrPlaceNotFound = Errorf(ENOTFOUND, "Ce tiers-lieu n’existe pas.")
	// ErrPlaceNotVerified is the verification asked of a tiers-lieu not verified.
	ErrPlaceNotVerified = Errorf(ENOTFOUND, "Ce tiers-lieu n’est pas vérifié.")
	// ErrPlaceVerifyCoordinationOnly: only the coordination verifies a tiers-lieu.
	ErrPlaceVerifyCoordinationOnly = Errorf(EFORBIDDEN, "Seule la coordination vérifie les tiers-lieux.")
	// ErrPlaceDeclareMembersOnly refuses to declare a tiers-lieu concerned by a défi on
	// behalf of someone who does not belong to it.
	ErrPlaceDeclareMembersOnly = Errorf(EFORBIDDEN, "Seuls les membres d’un tiers-lieu peuvent le déclarer concerné.")
	// ErrPlaceWithdrawMembersOnly refuses to withdraw a tiers-lieu from a défi on behalf
	// of someone who neither belongs to it nor coordinates.
	ErrPlaceWithdrawMembersOnly = Errorf(EFORBIDDEN, "Seuls les membres du tiers-lieu et la coordination peuvent le retirer.")
)

// PlaceVerifiedAuditDetail is the audit line of the tiers-lieu named name just verified,
// in French, the audit trail's language.
func PlaceVerifiedAuditDetail(name string) string {
	return fmt.Sprintf("Tiers-lieu « %s » vérifié", name)
}

// PlacePledgeMatchable reports whether a pledge of kind may count for a call's matching
// rule, given its funder's tiers-lieu: a pledge in the name of a tiers-lieu counts only
// when the place is verified and the funder is an accepted member of it (DESIGN.md §3),
// judged on the state at the time the matching is computed. Any other kind is not
// concerned.
func PlacePledgeMatchable(kind string, placeVerified, acceptedMember bool) bool {
	return kind != FunderKindPlace || placeVerified && acceptedMember
}

// FunderKindPlace is the funder kind of a pledge made in the name of a tiers-lieu.
const FunderKindPlace = "tiers-lieu"

// PlaceStats are the counts shown on a tiers-lieu's card.
type PlaceStats struct {
	MemberCount    int // people who declared they belong to it
	ChallengeCount int // défis it declared itself concerned by
	CommonsCount   int // communs it uses
}

// PlaceSummary is a tiers-lieu with its counts, as lists and its page show it.
type PlaceSummary struct {
	Place
	PlaceStats
}

// PlaceFilter selects a page of tiers-lieux.
type PlaceFilter struct {
	Region string // one of Regions, "" for all
	Offset int
	Limit  int
}

// PlaceMember is a person who belongs to a tiers-lieu. Only the display name is public.
type PlaceMember struct {
	UserID      int64
	DisplayName string
	Since       time.Time
}

// LinkedPlace is a tiers-lieu seen from a défi or a commun: whether it is linked to it
// (concerned by the défi, using the commun) and whether the viewer belongs to it.
type LinkedPlace struct {
	Place
	Linked bool
	Mine   bool
}

// NewPlace is the form declaring a tiers-lieu.
type NewPlace struct {
	Name    string
	City    string
	Region  string
	Website string
}

// Limits of a tiers-lieu's text fields, in characters.
const (
	MaxPlaceNameLen = 120
	MaxCityLen      = 120
	MaxURLLen       = 500
)

// Normalize trims the fields.
func (p *NewPlace) Normalize() {
	p.Name = strings.Join(strings.Fields(p.Name), " ")
	p.City = strings.Join(strings.Fields(p.City), " ")
	p.Region = strings.TrimSpace(p.Region)
	p.Website = strings.TrimSpace(p.Website)
}

// Validate checks the form field by field.
func (p *NewPlace) Validate() error {
	var v Validation
	switch n := utf8.RuneCountInString(p.Name); {
	case n == 0:
		v.Add("name", "Indiquez le nom du tiers-lieu.")
	case n > MaxPlaceNameLen:
		v.Add("name", "Le nom ne doit pas dépasser 120 caractères.")
	default:
		if Slugify(p.Name) == "" {
			v.Add("name", "Le nom doit contenir au moins une lettre ou un chiffre.")
		}
	}
	switch n := utf8.RuneCountInString(p.City); {
	case n == 0:
		v.Add("city", "Indiquez la commune du tiers-lieu.")
	case n > MaxCityLen:
		v.Add("city", "La commune ne doit pas dépasser 120 caractères.")
	}
	if !ValidRegion(p.Region) {
		v.Add("region", "Choisissez une des 18 régions.")
	}
	if msg := validateWebURL(p.Website); msg != "" {
		v.Add("website", msg)
	}
	return v.Err()
}

// validateWebURL returns a message when s, optional, is not an absolute http(s) URL, or "".
// Only http and https are accepted: the link is shown to everyone, and a javascript: or
// data: URL would run in their browser.
func validateWebURL(s string) string {
	if s == "" {
		return ""
	}
	if utf8.RuneCountInString(s) > MaxURLLen {
		return "L’adresse ne doit pas dépasser 500 caractères."
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Hostname() == "" ||
		u.User != nil || strings.ContainsAny(s, " \t\n\r") {
		return "Indiquez une adresse web complète, commençant par https:// ou http://."
	}
	return ""
}

// States of a request to join a tiers-lieu. An accepted request makes its author a
// member of the place.
const (
	PlaceRequestPending  = "pending"
	PlaceRequestAccepted = "accepted"
	PlaceRequestRefused  = "refused"
)

// PlaceRequest is a request to join a tiers-lieu, as its page shows it.
type PlaceRequest struct {
	UserID      int64
	DisplayName string
	State       string // PlaceRequestPending, PlaceRequestAccepted, PlaceRequestRefused
	Message     string
	AskedAt     time.Time
}

// PlaceRequestFacts is what the store read under lock before deciding a request to join
// a tiers-lieu.
type PlaceRequestFacts struct {
	Member bool   // the decider is a member of the place
	State  string // the request's state; "" when there is none
}

// CheckPlaceDecision says whether u may accept (or refuse) a request to join a tiers-lieu:
// u must be a member of the place or a coordinator, and a request must exist. Deciding
// again what was decided changes nothing and reports already; the contrary decision is
// refused.
func CheckPlaceDecision(u *User, accept bool, f PlaceRequestFacts) (already bool, err error) {
	if !u.IsCoordinator() && !f.Member {
		return false, Errorf(EFORBIDDEN, "Seuls les membres du tiers-lieu et la coordination examinent les demandes.")
	}
	switch {
	case f.State == "":
		return false, Errorf(ENOTFOUND, "Aucune demande de cette personne pour ce tiers-lieu.")
	case f.State == PlaceRequestAccepted && accept, f.State == PlaceRequestRefused && !accept:
		return true, nil
	case f.State == PlaceRequestAccepted:
		return false, Errorf(ECONFLICT, "Cette demande a déjà été acceptée.")
	case f.State == PlaceRequestRefused:
		return false, Errorf(ECONFLICT, "Cette demande a déjà été refusée.")
	}
	return false, nil
}

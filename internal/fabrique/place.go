package fabrique

import (
	"fmt"
	"net/mail"
	"net/url"
	"strings"
	"time"
	"unicode"
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
	// ErrPlaceEditMembersOnly refuses to edit a tiers-lieu on behalf of someone who
	// neither belongs to it nor coordinates.
	ErrPlaceEditMembersOnly = Errorf(EFORBIDDEN, "Seuls les membres du tiers-lieu et la coordination peuvent le modifier.")
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

// PlaceDetails are what a tiers-lieu's own page says beyond its card. Only the page
// reads them (PlaceBySlug): lists leave them empty.
type PlaceDetails struct {
	Description string // Markdown
	Address     string // postal address, on one or more lines
	// Contact is an e-mail address or a phone number. Pages show it to logged-in people
	// only: an address or a number printed on a public page is harvested by spam robots.
	Contact string
}

// PlaceSummary is a tiers-lieu with its counts, as lists and its page show it, and its
// details when its page reads it.
type PlaceSummary struct {
	Place
	PlaceStats
	PlaceDetails
}

// Form returns the tiers-lieu as its edit form.
func (p *PlaceSummary) Form() NewPlace {
	return NewPlace{Name: p.Name, City: p.City, Region: p.Region, Website: p.Website,
		Description: p.Description, Address: p.Address, Contact: p.Contact}
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

// NewPlace is the form declaring a tiers-lieu, and editing it.
type NewPlace struct {
	Name        string
	City        string
	Region      string
	Website     string
	Description string // Markdown, optional
	Address     string // optional
	Contact     string // an e-mail or a phone number, optional
}

// Limits of a tiers-lieu's text fields, in characters (the description, address and
// contact are checked by migration 00023 too).
const (
	MaxPlaceNameLen        = 120
	MaxCityLen             = 120
	MaxURLLen              = 500
	MaxPlaceDescriptionLen = 5000
	MaxPlaceAddressLen     = 300
	MaxPlaceAddressLines   = 5
	MaxPlaceContactLen     = 254 // the longest e-mail address
)

// Normalize trims the fields. The address keeps its lines, each with its spaces
// collapsed, and loses its empty ones.
func (p *NewPlace) Normalize() {
	p.Name = strings.Join(strings.Fields(p.Name), " ")
	p.City = strings.Join(strings.Fields(p.City), " ")
	p.Region = strings.TrimSpace(p.Region)
	p.Website = strings.TrimSpace(p.Website)
	p.Description = strings.TrimSpace(strings.ReplaceAll(p.Description, "\r\n", "\n"))
	var lines []string
	for _, l := range strings.Split(strings.ReplaceAll(p.Address, "\r\n", "\n"), "\n") {
		if l = strings.Join(strings.Fields(l), " "); l != "" {
			lines = append(lines, l)
		}
	}
	p.Address = strings.Join(lines, "\n")
	p.Contact = strings.Join(strings.Fields(p.Contact), " ")
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
	if utf8.RuneCountInString(p.Description) > MaxPlaceDescriptionLen {
		v.Add("description", "La présentation ne doit pas dépasser 5 000 caractères.")
	}
	switch {
	case utf8.RuneCountInString(p.Address) > MaxPlaceAddressLen:
		v.Add("address", "L’adresse ne doit pas dépasser 300 caractères.")
	case strings.Count(p.Address, "\n") >= MaxPlaceAddressLines:
		v.Add("address", "L’adresse tient en 5 lignes au plus.")
	}
	if msg := validateContact(p.Contact); msg != "" {
		v.Add("contact", msg)
	}
	return v.Err()
}

// validateContact returns a message when s, optional, is neither an e-mail address nor a
// phone number, or "".
func validateContact(s string) string {
	switch {
	case s == "":
		return ""
	case utf8.RuneCountInString(s) > MaxPlaceContactLen:
		return "Le contact ne doit pas dépasser 254 caractères."
	case strings.Contains(s, "@"):
		// A plain address, which a mailto: link carries as it is: no header nor query
		// (?subject=…) may ride along, and the domain is a host name.
		a, err := mail.ParseAddress(s)
		at := strings.LastIndexByte(s, '@')
		domain := s[at+1:]
		if err != nil || a.Address != s || !strings.Contains(domain, ".") || strings.ContainsAny(s[:at], "?#&%/") ||
			strings.IndexFunc(domain, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '.' && r != '-' }) >= 0 {
			return "Cette adresse e-mail n’est pas valide."
		}
		return ""
	case PhoneDigits(s) == "":
		return "Indiquez une adresse e-mail ou un numéro de téléphone (par exemple 04 78 00 00 00 ou +33 4 78 00 00 00)."
	}
	return ""
}

// PhoneDigits returns the number s dials, as a tel: link wants it (a leading + and the
// digits), or "" when s is not a phone number: 6 to 15 digits (E.164's longest), grouped
// by spaces, dots, dashes or parentheses, with an optional leading +.
func PhoneDigits(s string) string {
	var b strings.Builder
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && i == 0:
			b.WriteRune(r)
		case r == ' ' || r == '.' || r == '-' || r == '(' || r == ')' || unicode.Is(unicode.Zs, r):
		default:
			return ""
		}
	}
	n := len(strings.TrimPrefix(b.String(), "+"))
	if n < 6 || n > 15 {
		return ""
	}
	return b.String()
}

// ContactIsEmail reports whether a valid contact is an e-mail address rather than a
// phone number.
func ContactIsEmail(contact string) bool { return strings.Contains(contact, "@") }

// CheckPlaceEdit says whether u may edit a tiers-lieu: an accepted member of it or a
// coordinator.
func CheckPlaceEdit(u *User, member bool) error {
	if u == nil || (!member && !u.IsCoordinator()) {
		return ErrPlaceEditMembersOnly
	}
	return nil
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

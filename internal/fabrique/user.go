package fabrique

import (
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

// Roles of an account. A coordinator is staff of the Fabrique; everyone else contributes.
const (
	RoleContributor = "contributor"
	RoleCoordinator = "coordinator"
)

// MinPasswordLen is the shortest password accepted, in characters.
const MinPasswordLen = 10

// maxPasswordLen bounds the work argon2id does on attacker-chosen input.
const maxPasswordLen = 256

// User is an account.
type User struct {
	ID           int64
	Email        string
	DisplayName  string
	PasswordHash string
	Role         string
	CreatedAt    time.Time
	// EmailVerifiedAt is when the person followed the link e-mailed to their address;
	// nil: not verified (the account is usable all the same).
	EmailVerifiedAt *time.Time
	// SessionEpoch rises when every session of the account must end (password reset or
	// change): a session logged in at an older epoch is logged out.
	SessionEpoch int
	// Lang is the language the person reads the site in ("fr", "en"): their e-mails' too.
	Lang string
	// Unread counts the person's unread notifications; read only for the logged-in person
	// (postgres.SessionUser), for the header.
	Unread int
	// Own are the facts of their own a few pages show them, read with their session;
	// nil when not read (a page then reads what it needs).
	Own *OwnFacts
}

// OwnFacts are what a défi's, a commun's and a call's pages show their logged-in viewer
// alone, read with the session in the same query, so that a viewer with none of them
// costs those pages no query of their own.
// Each is read only for the pages that show it: its Known flag says it was.
type OwnFacts struct {
	PlaceIDs []int64           // the tiers-lieux they belong to, by id
	Places   []Place           // those tiers-lieux, as pages list them (by name): the server's to fill
	Teams    map[int64]TeamRow // their rows in défis' teams, by défi
	Pledges  bool              // they made at least one pledge
	Funder   *Funder           // their funder profile, nil without one

	PlacesKnown, TeamsKnown, PledgesKnown, FunderKnown bool
}

// TeamRow is a person's row in a défi's team: its role (TeamLead, TeamMember) and state.
type TeamRow struct {
	Role, State string
}

// IsCoordinator reports whether u holds the coordinator role; nil is an anonymous visitor.
func (u *User) IsCoordinator() bool { return u != nil && u.Role == RoleCoordinator }

// CheckCoordinator says whether u may do what only the coordination does: nil for a
// coordinator, else refusal, the EFORBIDDEN error that names the task.
func CheckCoordinator(u *User, refusal *Error) error {
	if u.IsCoordinator() {
		return nil
	}
	return refusal
}

// EmailTakenError refuses, next to the email field, an address another account has,
// whatever its case.
func EmailTakenError() error {
	return fieldError("email", "Un compte existe déjà avec cette adresse e-mail.")
}

// ErrNoAccountWithEmail is an address no account has.
var ErrNoAccountWithEmail = Errorf(ENOTFOUND, "Aucun compte avec cette adresse e-mail.")

// SignUp is the sign-up form.
type SignUp struct {
	DisplayName string
	Email       string
	Password    string
}

// Normalize trims what people paste around their name and email.
func (s *SignUp) Normalize() {
	s.DisplayName = strings.Join(strings.Fields(s.DisplayName), " ")
	s.Email = strings.TrimSpace(s.Email)
}

// Validate checks the sign-up form field by field.
func (s *SignUp) Validate() error {
	var v Validation
	switch n := utf8.RuneCountInString(s.DisplayName); {
	case n == 0:
		v.Add("display_name", "Indiquez votre nom.")
	case n > 80:
		v.Add("display_name", "Le nom ne doit pas dépasser 80 caractères.")
	}
	if err := ValidateEmail(s.Email); err != "" {
		v.Add("email", err)
	}
	if err := ValidatePassword(s.Password); err != "" {
		v.Add("password", err)
	}
	return v.Err()
}

// ValidateEmail returns a message when email is not a plain address, or "".
func ValidateEmail(email string) string {
	if email == "" {
		return "Indiquez votre adresse e-mail."
	}
	a, err := mail.ParseAddress(email)
	if err != nil || a.Address != email || len(email) > 254 || !strings.Contains(email[strings.LastIndexByte(email, '@')+1:], ".") {
		return "Cette adresse e-mail n’est pas valide."
	}
	return ""
}

// ValidatePassword returns a message when password is too short or too long, or "".
func ValidatePassword(password string) string {
	switch n := utf8.RuneCountInString(password); {
	case n < MinPasswordLen:
		return "Le mot de passe doit contenir au moins 10 caractères."
	case len(password) > maxPasswordLen:
		return "Le mot de passe ne doit pas dépasser 256 caractères."
	}
	return ""
}

// ValidRole reports whether role is a known role.
func ValidRole(role string) bool { return role == RoleContributor || role == RoleCoordinator }

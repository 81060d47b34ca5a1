package fabrique

import "time"

// AccountEmail is an account e-mail to make (DESIGN §3b): password reset, e-mail
// verification, confirming a new address, telling the old one, warning the owner of an
// address someone tried to sign up with. Account e-mails ignore preferences. A job makes
// it — a handler never sends mail — so that a reset request answers alike whether the
// address has an account.
type AccountEmail struct {
	Kind string // EmailKindReset, EmailKindVerify, EmailKindEmailChange, EmailKindEmailChanged, EmailKindSignupTaken
	// The account: by UserID, or by Email (reset, sign-up taken) — an address without an
	// account makes no e-mail.
	UserID int64
	Email  string
	// NewEmail is the address to confirm (EmailKindEmailChange, which goes to it) or the one
	// now used (EmailKindEmailChanged, which goes to Email, the old one).
	NewEmail string
	Lang     string // the requester's language: the e-mail is written in it
}

// AccountTokenPurpose is what an e-mailed link does (account_tokens.purpose).
type AccountTokenPurpose string

const (
	TokenReset  AccountTokenPurpose = "reset"  // choose a new password
	TokenVerify AccountTokenPurpose = "verify" // confirm the account's address
	TokenEmail  AccountTokenPurpose = "email"  // confirm a new address
)

// AccountEmailRule is how one kind of account e-mail behaves: the link it carries and how
// long that link is valid, and how many such e-mails one account gets per hour (more are
// dropped silently: a reset requested ten times sends three links).
type AccountEmailRule struct {
	Token      AccountTokenPurpose // "" for an e-mail without a link to use once
	Valid      time.Duration
	MaxPerHour int
}

// AccountEmailRules are the rules of each account e-mail kind.
var AccountEmailRules = map[string]AccountEmailRule{
	EmailKindReset:        {Token: TokenReset, Valid: time.Hour, MaxPerHour: 3},
	EmailKindVerify:       {Token: TokenVerify, Valid: 48 * time.Hour, MaxPerHour: 3},
	EmailKindEmailChange:  {Token: TokenEmail, Valid: 48 * time.Hour, MaxPerHour: 3},
	EmailKindEmailChanged: {MaxPerHour: 10},
	EmailKindSignupTaken:  {MaxPerHour: 2},
}

// ErrTokenInvalid is an e-mailed link that cannot be used: unknown, used, or expired.
// One answer for all three: it says nothing of the account.
var ErrTokenInvalid = Errorf(ENOTFOUND, "Ce lien n’est plus valable : il a déjà servi ou il a expiré.")

// ErrEmailTakenOnConfirm is a new address another account took meanwhile.
var ErrEmailTakenOnConfirm = Errorf(ECONFLICT, "Cette adresse e-mail est déjà celle d’un autre compte : votre adresse n’a pas changé.")

// StruckToken replaces a link's token in the outbox's copy of a sent account e-mail.
const StruckToken = "[retiré-après-envoi]"

package fabrique

import "time"

// Email is one e-mail of the outbox, as it was rendered, and what became of it.
type Email struct {
	ID          int64
	UserID      *int64 // nil once the person is deleted
	To          string
	Kind        string // a NotificationKind, EmailKindDigest or an account e-mail's kind
	Subject     string
	Text        string
	HTML        string
	MessageID   string
	Unsubscribe string // the one-click unsubscribe token; "" for account e-mails
	State       EmailState
	Attempts    int
	LastError   string // the SMTP server's (or the connection's) answer to the last attempt
	CreatedAt   time.Time
	SentAt      *time.Time
}

// EmailDraft is an e-mail rendered for the outbox, before it has an id.
type EmailDraft struct {
	Kind      string
	Subject   string
	Text      string
	HTML      string
	MessageID string // "<…@host>", generated once so that every retry carries the same
	// UnsubscribeToken is the one-click unsubscribe link's token (notifications and
	// digests); "" for account e-mails.
	UnsubscribeToken string
}

// Recipient is who an e-mail goes to.
type Recipient struct {
	UserID int64
	Email  string
	Name   string
	Lang   string // the language their e-mails are written in ("fr", "en")
}

// EmailStateLabel is the French name of a state, in the outbox.
func EmailStateLabel(s EmailState) string {
	switch s {
	case EmailQueued:
		return "En attente"
	case EmailSent:
		return "Envoyé"
	case EmailFailed:
		return "Échec"
	case EmailKept:
		return "Conservé"
	}
	return string(s)
}

// ErrEmailNotFailed: only a failed e-mail is sent again by hand; a sent one never twice.
var ErrEmailNotFailed = Errorf(ECONFLICT, "Seul un courriel en échec peut être renvoyé.")

// Package mail sends the platform's e-mails over SMTP (github.com/wneessen/go-mail),
// configured by SMTP_URL and MAIL_FROM (DESIGN §3b). It knows nothing of notifications:
// jobs render a Message from the outbox and hand it to a Sender.
package mail

import (
	"context"
	"time"
)

// Message is one e-mail as it leaves: both parts already rendered.
type Message struct {
	To        string // one address
	Subject   string
	Text      string // the plain-text part
	HTML      string // the HTML part
	MessageID string // "<…@domain>", stable for the outbox row, so a retry carries the same id
	Date      time.Time
	// Unsubscribe is the one-click unsubscribe URL (RFC 8058): when set, the message gets
	// List-Unsubscribe: <URL> and List-Unsubscribe-Post: List-Unsubscribe=One-Click.
	// Empty for account e-mails.
	Unsubscribe string
}

// Sender sends one message; an error is the SMTP server's answer (or the connection's),
// recorded in the outbox and retried by the job.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

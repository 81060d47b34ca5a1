package mail

import (
	"bytes"
	"context"
	"fmt"

	"github.com/fabrique-a-communs/fabrique/internal/i18n"
	"github.com/fabrique-a-communs/fabrique/internal/typo"
	mailweb "github.com/fabrique-a-communs/fabrique/web/mail"
)

// The content of an e-mail, re-exported so that jobs need only this package. A job puts
// the recipient's language in ctx (i18n.WithLang), writes the blocks in it, renders, and
// sets what belongs to the outbox row:
//
//	msg, err := mail.Render(ctx, mail.Email{
//		Subject: subject,                    // translated by the job
//		Blocks: []mail.Block{
//			mail.P(hello),                   // « Bonjour Awa, »
//			mail.Link{Label: see, URL: "/defis/12/equipe"}, // made absolute from BaseURL
//		},
//		Reason:      mail.ReasonKind(ctx, kindLabel), // "" for account e-mails
//		BaseURL:     baseURL,
//		Unsubscribe: baseURL + "/desabonnement/" + token, // "" for account e-mails
//	})
//	msg.To, msg.MessageID, msg.Date = address, row.MessageID, now
type (
	Email = mailweb.Email
	Block = mailweb.Block
	P     = mailweb.P
	Link  = mailweb.Link
	Quote = mailweb.Quote
	List  = mailweb.List
	Item  = mailweb.Item
)

// ReasonKind is the footer's reason for a notification of the kind labelled label.
var ReasonKind = mailweb.ReasonKind

// Render renders e in ctx's language (i18n.WithLang) into a Message's Subject, Text and
// HTML (French typography applied to the HTML, as on the site) and Unsubscribe; the
// caller sets To, MessageID and Date, which belong to the outbox row.
func Render(ctx context.Context, e Email) (Message, error) {
	var buf bytes.Buffer
	if err := mailweb.EmailHTML(e).Render(ctx, &buf); err != nil {
		return Message{}, fmt.Errorf("mail: render %q: %w", e.Subject, err)
	}
	html := typo.Append(nil, buf.Bytes(), string(i18n.LangFrom(ctx)))
	return Message{
		Subject:     e.Subject,
		Text:        mailweb.Text(ctx, e),
		HTML:        string(html),
		Unsubscribe: e.Unsubscribe,
	}, nil
}

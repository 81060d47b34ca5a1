// Package mail holds the e-mails' layout: one description of an e-mail's content (Email,
// a list of blocks) rendered twice, as HTML by the templ layout and as plain text by
// Text, so that both parts always say the same thing. internal/mail.Render puts them
// into a mail.Message; jobs build an Email and call it.
package mail

import (
	"context"
	"strings"

	"github.com/fabrique-a-communs/fabrique/internal/i18n"
)

// PreferencesPath is where a person chooses, per kind, how they are told.
const PreferencesPath = "/espace/notifications/preferences"

// Email is one e-mail's content, already in the recipient's language: the blocks are
// written by the job (i18n.T with the recipient's language in ctx), the footer by the
// layout.
type Email struct {
	Subject string
	Blocks  []Block
	// Reason ends the footer's « Vous recevez ce courriel parce que… »; empty: the
	// person has an account. ReasonKind writes the one of a notification kind.
	Reason string
	// BaseURL (BASE_URL) makes every link absolute: the blocks' paths starting with "/",
	// the preferences link.
	BaseURL string
	// Unsubscribe is the one-click unsubscribe URL, shown in the footer; empty for
	// account e-mails (password reset, verification), which ignore preferences.
	Unsubscribe string
}

// Block is one piece of an e-mail's body: P, Link, Quote or List.
type Block interface{ block() }

// P is a paragraph of text.
type P string

// Link is a link on its own line, the e-mail's action: in HTML a link, in text
// « Label : URL ». A URL starting with "/" is made absolute from BaseURL.
type Link struct{ Label, URL string }

// Quote is someone's words, quoted as they wrote them (a refusal's reason).
type Quote string

// List is a list of items, each a text and an optional link (a digest's lines).
type List []Item

// Item is one line of a List.
type Item struct{ Text, URL string }

func (P) block()     {}
func (Link) block()  {}
func (Quote) block() {}
func (List) block()  {}

// ReasonKind is the footer's reason for a notification of the kind labelled label
// (fabrique.NotificationKinds' label, translated).
func ReasonKind(ctx context.Context, label string) string {
	return i18n.T(ctx, "vous avez choisi d’être prévenu·e par courriel de : %s.", label)
}

// abs makes a path absolute from base; a full URL stays as it is.
func abs(base, u string) string {
	if strings.HasPrefix(u, "/") && !strings.HasPrefix(u, "//") {
		return strings.TrimSuffix(base, "/") + u
	}
	return u
}

func reason(ctx context.Context, e Email) string {
	if e.Reason != "" {
		return e.Reason
	}
	return i18n.T(ctx, "vous avez un compte sur la Fabrique à communs.")
}

// Text renders e as the plain-text part: paragraphs separated by a blank line, links as
// « Label : URL », quotes prefixed with "> ", list items with "- ", then the footer.
func Text(ctx context.Context, e Email) string {
	var b strings.Builder
	para := func(s string) {
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(s)
	}
	for _, bl := range e.Blocks {
		switch bl := bl.(type) {
		case P:
			para(string(bl))
		case Link:
			para(link(ctx, bl.Label, abs(e.BaseURL, bl.URL)))
		case Quote:
			para("> " + strings.ReplaceAll(strings.TrimSpace(string(bl)), "\n", "\n> "))
		case List:
			lines := make([]string, len(bl))
			for i, it := range bl {
				lines[i] = "- " + it.Text
				if it.URL != "" {
					lines[i] = "- " + link(ctx, it.Text, abs(e.BaseURL, it.URL))
				}
			}
			para(strings.Join(lines, "\n"))
		}
	}
	// "-- " opens a signature: mail readers show the footer apart and leave it out of replies.
	b.WriteString("\n\n-- \n")
	b.WriteString(i18n.T(ctx, "La Fabrique à communs des tiers-lieux"))
	b.WriteString("\n")
	b.WriteString(i18n.T(ctx, "Vous recevez ce courriel parce que") + " " + reason(ctx, e))
	b.WriteString("\n")
	b.WriteString(link(ctx, i18n.T(ctx, "Choisir ce que vous recevez"), abs(e.BaseURL, PreferencesPath)))
	if e.Unsubscribe != "" {
		b.WriteString("\n")
		b.WriteString(link(ctx, i18n.T(ctx, "Ne plus recevoir ces courriels"), e.Unsubscribe))
	}
	b.WriteString("\n")
	return b.String()
}

// link writes a link for the plain-text part: « Label : URL » in French, "Label: URL" in
// English.
func link(ctx context.Context, label, url string) string {
	if i18n.LangFrom(ctx) == i18n.French {
		return label + "\u00a0: " + url
	}
	return label + ": " + url
}

func langOf(ctx context.Context) i18n.Lang { return i18n.LangFrom(ctx) }

package jobs

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"html"
	"net/url"
	"strings"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/i18n"
	"github.com/fabrique-a-communs/fabrique/internal/mail"
)

// Renderer turns notifications into e-mails: the one place e-mails get their words and
// layout, so that web/mail's templates can replace it whole. Links are built from BaseURL.
type Renderer struct {
	BaseURL string // "https://fabrique.example", no trailing slash
	Lang    i18n.Lang
}

// host is the domain of Message-IDs: BaseURL's host, "localhost" without one.
func (r Renderer) host() string {
	if u, err := url.Parse(r.BaseURL); err == nil && u.Hostname() != "" {
		return u.Hostname()
	}
	return "localhost"
}

func (r Renderer) sentence(s fabrique.Sentence) string { return s.In(r.Lang) }

func randomToken(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("jobs: crypto/rand: %v", err)) // never fails on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// messageID is a Message-ID of our domain, random, made once per e-mail.
func (r Renderer) messageID() string { return mail.MessageID(r.host()) }

// UnsubscribeURL is the one-click unsubscribe link of token (DESIGN §5).
func (r Renderer) UnsubscribeURL(token string) string {
	return r.BaseURL + "/desabonnement/" + url.PathEscape(token)
}

func (r Renderer) preferencesURL() string { return r.BaseURL + "/espace/notifications/preferences" }

// item is one thing told: its sentence and the page it leads to.
type item struct{ sentence, link string }

func (r Renderer) item(n fabrique.Notification) item {
	_, body := fabrique.NotificationSentences(n.Kind, n.Data)
	it := item{sentence: r.sentence(body)}
	if n.URL != "" {
		it.link = r.BaseURL + n.URL
	}
	return it
}

// Notification renders one notification's e-mail to rc.
func (r Renderer) Notification(n fabrique.Notification, rc fabrique.Recipient) fabrique.EmailDraft {
	subject, _ := fabrique.NotificationSentences(n.Kind, n.Data)
	return r.draft(string(n.Kind), r.sentence(subject), rc, "", []item{r.item(n)})
}

// Digest renders the daily digest of ns to rc.
func (r Renderer) Digest(rc fabrique.Recipient, ns []fabrique.Notification) fabrique.EmailDraft {
	items := make([]item, len(ns))
	for i, n := range ns {
		items[i] = r.item(n)
	}
	return r.draft(fabrique.EmailKindDigest, i18n.Translate(r.Lang, fabrique.DigestSubject), rc,
		i18n.Translate(r.Lang, fabrique.DigestIntro), items)
}

func (r Renderer) draft(kind, subject string, rc fabrique.Recipient, intro string, items []item) fabrique.EmailDraft {
	token := randomToken(24)
	hello := i18n.Translate(r.Lang, "Bonjour %s,", rc.Name)
	footer := i18n.Translate(r.Lang, fabrique.EmailFooter)
	seeLabel := i18n.Translate(r.Lang, fabrique.EmailLinkLabel)
	prefs := i18n.Translate(r.Lang, fabrique.EmailPreferencesLabel)
	unsub := i18n.Translate(r.Lang, fabrique.EmailUnsubscribeLabel)
	labelled := func(label, link string) string { return i18n.Translate(r.Lang, "%s : %s", label, link) }

	var t, h strings.Builder
	esc := html.EscapeString
	fmt.Fprintf(&t, "%s\n\n", hello)
	fmt.Fprintf(&h, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\"><title>%s</title></head><body>\n<p>%s</p>\n",
		r.Lang, esc(subject), esc(hello))
	if intro != "" {
		fmt.Fprintf(&t, "%s\n\n", intro)
		fmt.Fprintf(&h, "<p>%s</p>\n", esc(intro))
	}
	if len(items) > 1 {
		h.WriteString("<ul>\n")
	}
	for _, it := range items {
		if len(items) > 1 {
			fmt.Fprintf(&t, "- %s\n", it.sentence)
			h.WriteString("<li>")
		} else {
			fmt.Fprintf(&t, "%s\n", it.sentence)
			h.WriteString("<p>")
		}
		h.WriteString(esc(it.sentence))
		if it.link != "" {
			fmt.Fprintf(&t, "  %s\n", labelled(seeLabel, it.link))
			fmt.Fprintf(&h, " <a href=\"%s\">%s</a>", esc(it.link), esc(seeLabel))
		}
		if len(items) > 1 {
			h.WriteString("</li>\n")
		} else {
			h.WriteString("</p>\n")
		}
		if len(items) > 1 {
			t.WriteString("\n")
		}
	}
	if len(items) > 1 {
		h.WriteString("</ul>\n")
	}
	fmt.Fprintf(&t, "\n-- \n%s\n%s\n%s\n", footer, labelled(prefs, r.preferencesURL()), labelled(unsub, r.UnsubscribeURL(token)))
	fmt.Fprintf(&h, "<hr>\n<p><small>%s <a href=\"%s\">%s</a> · <a href=\"%s\">%s</a></small></p>\n</body></html>\n",
		esc(footer), esc(r.preferencesURL()), esc(prefs), esc(r.UnsubscribeURL(token)), esc(unsub))
	return fabrique.EmailDraft{
		Kind: kind, Subject: subject, Text: t.String(), HTML: h.String(),
		MessageID: r.messageID(), UnsubscribeToken: token,
	}
}

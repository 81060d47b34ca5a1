package jobs

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net/url"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/i18n"
	"github.com/fabrique-a-communs/fabrique/internal/mail"
)

// Renderer turns notifications into e-mails, in each recipient's language, through the
// e-mails' one layout (web/mail, via mail.Render): the account e-mails (account.go) use it
// too. Links are built from BaseURL.
type Renderer struct {
	BaseURL string    // "https://fabrique.example", no trailing slash
	Lang    i18n.Lang // for a recipient without a language
}

// host is the domain of Message-IDs: BaseURL's host, "localhost" without one.
func (r Renderer) host() string {
	if u, err := url.Parse(r.BaseURL); err == nil && u.Hostname() != "" {
		return u.Hostname()
	}
	return "localhost"
}

// ctxFor is a context in rc's language.
func (r Renderer) ctxFor(rc fabrique.Recipient) context.Context {
	lang := r.Lang
	if rc.Lang != "" {
		lang = i18n.Parse(rc.Lang)
	}
	if lang == "" {
		lang = i18n.French
	}
	return i18n.WithLang(context.Background(), lang)
}

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

// Notification renders one notification's e-mail to rc.
func (r Renderer) Notification(n fabrique.Notification, rc fabrique.Recipient) (fabrique.EmailDraft, error) {
	ctx := r.ctxFor(rc)
	lang := i18n.LangFrom(ctx)
	subject, body := fabrique.NotificationSentences(n.Kind, n.Data)
	blocks := []mail.Block{mail.P(i18n.T(ctx, "Bonjour %s,", rc.Name)), mail.P(body.In(lang))}
	if n.URL != "" {
		blocks = append(blocks, mail.Link{Label: i18n.T(ctx, fabrique.EmailLinkLabel), URL: n.URL})
	}
	label := string(n.Kind)
	if info, ok := fabrique.KindInfo(n.Kind); ok {
		label = i18n.T(ctx, info.Label)
	}
	return r.draft(ctx, string(n.Kind), subject.In(lang), blocks, mail.ReasonKind(ctx, label))
}

// Digest renders the daily digest of ns to rc: one line per notification, each leading
// to its page.
func (r Renderer) Digest(rc fabrique.Recipient, ns []fabrique.Notification) (fabrique.EmailDraft, error) {
	ctx := r.ctxFor(rc)
	lang := i18n.LangFrom(ctx)
	items := make(mail.List, len(ns))
	for i, n := range ns {
		_, body := fabrique.NotificationSentences(n.Kind, n.Data)
		items[i] = mail.Item{Text: body.In(lang), URL: n.URL}
	}
	blocks := []mail.Block{mail.P(i18n.T(ctx, "Bonjour %s,", rc.Name)), mail.P(i18n.T(ctx, fabrique.DigestIntro)), items}
	return r.draft(ctx, fabrique.EmailKindDigest, i18n.T(ctx, fabrique.DigestSubject), blocks,
		mail.ReasonKind(ctx, i18n.T(ctx, "le résumé quotidien")))
}

// draft renders a notification e-mail with its one-click unsubscribe link.
func (r Renderer) draft(ctx context.Context, kind, subject string, blocks []mail.Block, reason string) (fabrique.EmailDraft, error) {
	token := randomToken(24)
	m, err := mail.Render(ctx, mail.Email{Subject: subject, Blocks: blocks, Reason: reason,
		BaseURL: r.BaseURL, Unsubscribe: r.UnsubscribeURL(token)})
	if err != nil {
		return fabrique.EmailDraft{}, err
	}
	return fabrique.EmailDraft{Kind: kind, Subject: m.Subject, Text: m.Text, HTML: m.HTML,
		MessageID: r.messageID(), UnsubscribeToken: token}, nil
}

package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/fabrique-a-communs/fabrique/internal/apptest"
	"github.com/fabrique-a-communs/fabrique/internal/i18n"
	"github.com/fabrique-a-communs/fabrique/internal/mail"
	"github.com/fabrique-a-communs/fabrique/internal/mailtest"
)

// TestAppMailer: with SMTP_URL the app's Mailer sends through that server, from the
// default MAIL_FROM; without it the Mailer is nil (the outbox keeps the e-mails).
func TestAppMailer(t *testing.T) {
	t.Parallel()
	srv := mailtest.Start(t)
	a := apptest.Start(t, apptest.WithSMTP(srv.URL()))
	if a.Mailer == nil {
		t.Fatal("no Mailer with SMTP_URL set")
	}
	if a.MailFrom != "Fabrique à communs <ne-pas-repondre@localhost>" || a.MailDomain != "localhost" {
		t.Errorf("MailFrom %q, MailDomain %q", a.MailFrom, a.MailDomain)
	}
	ctx := i18n.WithLang(context.Background(), i18n.French)
	msg, err := mail.Render(ctx, mail.Email{
		Subject: "Bienvenue",
		Blocks:  []mail.Block{mail.P("Bonjour,"), mail.Link{Label: "Votre espace", URL: "/espace"}},
		BaseURL: a.URL(),
	})
	if err != nil {
		t.Fatal(err)
	}
	msg.To, msg.MessageID = "camille@example.org", mail.MessageID(a.MailDomain)
	if err := a.Mailer.Send(ctx, msg); err != nil {
		t.Fatal(err)
	}
	got := srv.WaitFor(t, 1, 5*time.Second)[0]
	if got.From != "ne-pas-repondre@localhost" || got.Header.Get("Message-Id") != msg.MessageID {
		t.Errorf("from %q, Message-ID %q", got.From, got.Header.Get("Message-Id"))
	}
	// The link works when followed.
	link := got.Links()[0]
	if !strings.HasPrefix(link, a.URL()+"/espace") {
		t.Fatalf("link %q", link)
	}
	if r := a.Client(t).Get(strings.TrimPrefix(link, a.URL())); r.StatusCode != 200 && r.StatusCode != 303 {
		t.Errorf("GET %s: %d", link, r.StatusCode)
	}

	if b := apptest.Start(t); b.Mailer != nil {
		t.Error("a Mailer without SMTP_URL")
	}
}

package mail_test

import (
	"context"
	"net/mail"
	"net/textproto"
	"regexp"
	"strings"
	"testing"
	"time"

	fmail "github.com/fabrique-a-communs/fabrique/internal/mail"
	"github.com/fabrique-a-communs/fabrique/internal/mailtest"
)

func message() fmail.Message {
	return fmail.Message{
		To:          "alice@example.org",
		Subject:     "Écoute : une demande pour rejoindre « Réemploi »",
		Text:        "Bonjour Alice,\n\nVoir la demande : https://fabrique.example/defis/1\n",
		HTML:        `<p>Bonjour Alice,</p><p><a href="https://fabrique.example/defis/1">Voir la demande</a> — déjà là</p>`,
		MessageID:   "<abc123@fabrique.example>",
		Date:        time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC),
		Unsubscribe: "https://fabrique.example/desabonnement/tok",
	}
}

func newSender(t *testing.T, url string, opts ...fmail.Option) fmail.Sender {
	t.Helper()
	s, err := fmail.NewSMTP(url, "Fabrique à communs <ne-pas-repondre@fabrique.example>", opts...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestSendHeadersAndParts: what leaves is what the outbox holds — the exact Message-ID,
// the date, a UTF-8 subject and sender name, both parts, and the one-click unsubscribe.
func TestSendHeadersAndParts(t *testing.T) {
	t.Parallel()
	srv := mailtest.Start(t)
	if err := newSender(t, srv.URL()).Send(context.Background(), message()); err != nil {
		t.Fatal(err)
	}
	got := srv.WaitFor(t, 1, 5*time.Second)[0]
	h := got.Header
	if got.From != "ne-pas-repondre@fabrique.example" || len(got.To) != 1 || got.To[0] != "alice@example.org" {
		t.Errorf("envelope from %q to %q", got.From, got.To)
	}
	if h.Get("Message-Id") != "<abc123@fabrique.example>" {
		t.Errorf("Message-ID = %q", h.Get("Message-Id"))
	}
	if got.Subject != message().Subject {
		t.Errorf("subject = %q, want %q", got.Subject, message().Subject)
	}
	if strings.ContainsFunc(h.Get("Subject"), func(r rune) bool { return r > 127 }) {
		t.Errorf("raw subject %q is not encoded", h.Get("Subject"))
	}
	from, err := h.AddressList("From")
	if err != nil || len(from) != 1 || from[0].Name != "Fabrique à communs" || from[0].Address != "ne-pas-repondre@fabrique.example" {
		t.Errorf("From = %q (%v)", h.Get("From"), err)
	}
	if to, err := h.AddressList("To"); err != nil || len(to) != 1 || to[0].Address != "alice@example.org" {
		t.Errorf("To = %q (%v)", h.Get("To"), err)
	}
	if d, err := h.Date(); err != nil || !d.Equal(message().Date) {
		t.Errorf("Date = %q (%v)", h.Get("Date"), err)
	}
	if !strings.HasPrefix(h.Get("Content-Type"), "multipart/alternative") {
		t.Errorf("Content-Type = %q", h.Get("Content-Type"))
	}
	if got.Text != message().Text {
		t.Errorf("text part = %q", got.Text)
	}
	if got.HTML != message().HTML {
		t.Errorf("HTML part = %q", got.HTML)
	}
	if h.Get("List-Unsubscribe") != "<https://fabrique.example/desabonnement/tok>" ||
		h.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
		t.Errorf("List-Unsubscribe = %q, -Post = %q", h.Get("List-Unsubscribe"), h.Get("List-Unsubscribe-Post"))
	}
	if links := got.Links(); len(links) != 1 || links[0] != "https://fabrique.example/defis/1" {
		t.Errorf("links = %q", links)
	}
}

// TestAccountMailHasNoUnsubscribe: an account e-mail (no Unsubscribe) carries neither
// List-Unsubscribe header.
func TestAccountMailHasNoUnsubscribe(t *testing.T) {
	t.Parallel()
	srv := mailtest.Start(t)
	m := message()
	m.Unsubscribe = ""
	if err := newSender(t, srv.URL()).Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	h := srv.WaitFor(t, 1, 5*time.Second)[0].Header
	for _, k := range []string{"List-Unsubscribe", "List-Unsubscribe-Post"} {
		if _, ok := h[textproto.CanonicalMIMEHeaderKey(k)]; ok {
			t.Errorf("%s: %q on an account e-mail", k, h.Get(k))
		}
	}
}

// TestRefusalIsReturned: the server's answer comes back as the error, with its code and
// text, for the outbox's last_error; nothing arrived. Accepting again delivers.
func TestRefusalIsReturned(t *testing.T) {
	t.Parallel()
	srv := mailtest.Start(t)
	s := newSender(t, srv.URL())
	srv.Refuse(451, "Try again later")
	err := s.Send(context.Background(), message())
	if err == nil || !strings.Contains(err.Error(), "451") || !strings.Contains(err.Error(), "Try again later") {
		t.Fatalf("err = %v, want the server's 451", err)
	}
	if n := len(srv.Messages()); n != 0 {
		t.Fatalf("%d message(s) arrived after a refusal", n)
	}
	srv.Accept()
	if err := s.Send(context.Background(), message()); err != nil {
		t.Fatal(err)
	}
	srv.WaitFor(t, 1, 5*time.Second)
}

// TestUnreachableServer: a closed port is an error, within the timeout.
func TestUnreachableServer(t *testing.T) {
	t.Parallel()
	s := newSender(t, "smtp://127.0.0.1:1")
	start := time.Now()
	if err := s.Send(context.Background(), message()); err == nil {
		t.Fatal("sent to a closed port")
	}
	if d := time.Since(start); d > fmail.Timeout {
		t.Errorf("took %s", d)
	}
}

// TestSTARTTLSWithAuth: over STARTTLS the sender authenticates with the URL's user;
// a wrong password is refused by the server.
func TestSTARTTLSWithAuth(t *testing.T) {
	t.Parallel()
	srv := mailtest.Start(t, mailtest.WithSTARTTLS(), mailtest.WithAuth("fab", "s3cret"))
	if err := newSender(t, srv.URL(), fmail.WithTLSConfig(srv.TLSConfig())).Send(context.Background(), message()); err != nil {
		t.Fatal(err)
	}
	srv.WaitFor(t, 1, 5*time.Second)
	bad := strings.Replace(srv.URL(), "s3cret", "wrong", 1)
	if err := newSender(t, bad, fmail.WithTLSConfig(srv.TLSConfig())).Send(context.Background(), message()); err == nil {
		t.Fatal("a wrong password was accepted")
	}
	// Without the certificate trusted, opportunistic TLS fails the handshake rather than
	// sending the password in clear.
	if err := newSender(t, srv.URL()).Send(context.Background(), message()); err == nil {
		t.Fatal("sent with an untrusted certificate")
	}
	if n := len(srv.Messages()); n != 1 {
		t.Fatalf("%d messages arrived, want 1", n)
	}
}

// TestSMTPS: smtps:// speaks TLS from the first byte.
func TestSMTPS(t *testing.T) {
	t.Parallel()
	srv := mailtest.Start(t, mailtest.WithImplicitTLS(), mailtest.WithAuth("fab", "s3cret"))
	if !strings.HasPrefix(srv.URL(), "smtps://") {
		t.Fatalf("URL = %q", srv.URL())
	}
	if err := newSender(t, srv.URL(), fmail.WithTLSConfig(srv.TLSConfig())).Send(context.Background(), message()); err != nil {
		t.Fatal(err)
	}
	if got := srv.WaitFor(t, 1, 5*time.Second)[0]; got.Subject != message().Subject {
		t.Errorf("subject = %q", got.Subject)
	}
}

// TestNewSMTPRefusesBadConfig: a wrong SMTP_URL or MAIL_FROM stops the start-up with a
// message naming the variable — and never shows the password.
func TestNewSMTPRefusesBadConfig(t *testing.T) {
	t.Parallel()
	from := "Fabrique <x@example.org>"
	for _, c := range []struct{ url, from, want string }{
		{"http://mail.example.org:25", from, "smtp or smtps"},
		{"smtp://", from, "SMTP_URL"},
		{"smtp://mail.example.org:99999", from, "bad port"},
		{"smtp://mail.example.org:x", from, "SMTP_URL"},
		{"smtp://u:topsecret@mail.example.org:25/path", from, "SMTP_URL"},
		{"smtp://u:topsecret@mail.example.org:2x5", from, "SMTP_URL"}, // url.Parse fails: its error quotes the URL
		{"mail.example.org:25", from, "SMTP_URL"},
		{"smtp://mail.example.org:25", "not an address", "MAIL_FROM"},
	} {
		_, err := fmail.NewSMTP(c.url, c.from)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("NewSMTP(%q, %q) = %v, want an error with %q", c.url, c.from, err, c.want)
		}
		if err != nil && strings.Contains(err.Error(), "topsecret") {
			t.Errorf("the error shows the password: %v", err)
		}
	}
	for _, u := range []string{"smtp://mailpit:1025", "smtps://u:p@mail.example.org", "smtp://mail.example.org"} {
		if _, err := fmail.NewSMTP(u, from); err != nil {
			t.Errorf("NewSMTP(%q): %v", u, err)
		}
	}
}

func TestMessageIDAndDefaults(t *testing.T) {
	t.Parallel()
	re := regexp.MustCompile(`^<[a-z2-7]{26}@fabrique\.example>$`)
	a, b := fmail.MessageID("fabrique.example"), fmail.MessageID("fabrique.example")
	if !re.MatchString(a) || a == b {
		t.Errorf("MessageID = %q, %q", a, b)
	}
	for base, want := range map[string]string{
		"https://fabrique.example:8443/x": "fabrique.example",
		"":                                "localhost",
		"http://127.0.0.1:8080":           "[127.0.0.1]",
	} {
		if got := fmail.Domain(base); got != want {
			t.Errorf("Domain(%q) = %q, want %q", base, got, want)
		}
	}
	if got := fmail.DefaultFrom("https://fabrique.example"); got != "Fabrique à communs <ne-pas-repondre@fabrique.example>" {
		t.Errorf("DefaultFrom = %q", got)
	}
	if _, err := mail.ParseAddress(fmail.DefaultFrom("http://127.0.0.1:8080")); err != nil {
		t.Errorf("DefaultFrom of an IP: %v", err)
	}
}

// TestSendHeldGivesUp: a server that never answers DATA fails the Send as soon as the
// context is done (300 ms here), rather than holding the worker for the 10 s timeout;
// the held message, kept on release, is what a retry would send a second time with the
// same Message-ID.
func TestSendHeldGivesUp(t *testing.T) {
	t.Parallel()
	srv := mailtest.Start(t)
	held, release := srv.Hold()
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	errc := make(chan error, 1)
	start := time.Now()
	go func() { errc <- newSender(t, srv.URL()).Send(ctx, message()) }()
	<-held
	select {
	case err := <-errc:
		if err == nil {
			t.Fatal("a held message counted as sent")
		}
		t.Logf("gave up after %s: %v", time.Since(start).Round(time.Millisecond), err)
	case <-time.After(3 * time.Second):
		t.Fatal("Send still waiting 3 s after its context was done")
	}
	release()
	got := srv.WaitFor(t, 1, 5*time.Second)
	if got[0].Header.Get("Message-Id") != message().MessageID {
		t.Errorf("Message-ID = %q", got[0].Header.Get("Message-Id"))
	}
}

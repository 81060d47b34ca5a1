package mail

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/base32"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// Timeout bounds each step of a conversation with the SMTP server (connect, each
// command): a stuck server fails the job, which is retried, instead of holding a worker.
const Timeout = 10 * time.Second

// SMTP sends through one SMTP server, a new connection per message: the river workers
// send concurrently and share nothing but the configuration.
type SMTP struct {
	host string
	opts []gomail.Option
	from *mail.Address
}

// Option adjusts NewSMTP's client; only tests need one.
type Option func(*smtpOptions)

type smtpOptions struct{ tls *tls.Config }

// WithTLSConfig sets the TLS configuration for STARTTLS and smtps (tests trust their
// self-signed certificate with it); the server name is filled in from the URL.
func WithTLSConfig(c *tls.Config) Option { return func(o *smtpOptions) { o.tls = c } }

// NewSMTP reads SMTP_URL and MAIL_FROM:
//
//	smtp://[user:pass@]host[:port]   port 587 by default, STARTTLS when the server offers it
//	smtps://[user:pass@]host[:port]  implicit TLS, port 465 by default
//
// With a user, it authenticates with PLAIN or LOGIN (whichever the server offers; go-mail
// refuses both on a connection that is not encrypted). A URL or an address it cannot
// read is an error here, at start-up, rather than at the first e-mail.
func NewSMTP(smtpURL, from string, options ...Option) (Sender, error) {
	var o smtpOptions
	for _, opt := range options {
		opt(&o)
	}
	u, err := url.Parse(smtpURL)
	if err != nil {
		// url.Parse's error quotes the whole URL, password included: say only what is wrong.
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		return nil, fmt.Errorf("SMTP_URL: %w", err)
	}
	if u.Hostname() == "" || u.Path != "" && u.Path != "/" || u.RawQuery != "" {
		return nil, fmt.Errorf("SMTP_URL=%q: want smtp://[user:pass@]host:port or smtps://[user:pass@]host:port", redact(u))
	}
	port := 587
	tlsConf := &tls.Config{ServerName: u.Hostname(), MinVersion: tls.VersionTLS12}
	if o.tls != nil {
		tlsConf = o.tls.Clone()
		tlsConf.ServerName = u.Hostname()
	}
	opts := []gomail.Option{gomail.WithTimeout(Timeout), gomail.WithTLSConfig(tlsConf)}
	switch u.Scheme {
	case "smtp":
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	case "smtps":
		port = 465
		opts = append(opts, gomail.WithSSL())
	default:
		return nil, fmt.Errorf("SMTP_URL=%q: the scheme must be smtp or smtps", redact(u))
	}
	if p := u.Port(); p != "" {
		port, err = strconv.Atoi(p)
		if err != nil || port < 1 || port > 65535 {
			return nil, fmt.Errorf("SMTP_URL=%q: bad port %q", redact(u), p)
		}
	}
	opts = append(opts, gomail.WithPort(port))
	if user := u.User.Username(); user != "" {
		pass, _ := u.User.Password()
		opts = append(opts, gomail.WithOpportunisticSMTPAuth(gomail.SMTPAuthPlain, gomail.SMTPAuthLogin),
			gomail.WithUsername(user), gomail.WithPassword(pass))
	}
	addr, err := mail.ParseAddress(from)
	if err != nil {
		return nil, fmt.Errorf("MAIL_FROM=%q: %w", from, err)
	}
	s := &SMTP{host: u.Hostname(), opts: opts, from: addr}
	if _, err := gomail.NewClient(s.host, s.opts...); err != nil {
		return nil, fmt.Errorf("SMTP_URL=%q: %w", redact(u), err)
	}
	return s, nil
}

// redact hides the password of u in error messages and logs.
func redact(u *url.URL) string { return u.Redacted() }

// Send sends m and returns the server's refusal, if any, as the error.
func (s *SMTP) Send(ctx context.Context, m Message) error {
	msg, err := s.build(m)
	if err != nil {
		return err
	}
	c, err := gomail.NewClient(s.host, s.opts...)
	if err != nil {
		return err
	}
	// go-mail heeds ctx while connecting only, then each command's 10 s deadline: the
	// conversation goes on in its goroutine, and Send returns as soon as ctx is done (the
	// job stopped or timed out) — the server may still take the message, as after any
	// crash, and its retry then carries the same Message-ID.
	errc := make(chan error, 1)
	go func() { errc <- c.DialAndSendWithContext(ctx, msg) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return fmt.Errorf("mail: %w", context.Cause(ctx))
	}
}

func (s *SMTP) build(m Message) (*gomail.Msg, error) {
	if m.MessageID == "" {
		return nil, errors.New("mail: a message needs its Message-ID")
	}
	msg := gomail.NewMsg(gomail.WithCharset(gomail.CharsetUTF8), gomail.WithEncoding(gomail.EncodingQP))
	msg.FromMailAddress(s.from)
	if err := msg.To(m.To); err != nil {
		return nil, fmt.Errorf("mail: recipient %q: %w", m.To, err)
	}
	msg.Subject(m.Subject) // go-mail encodes it (RFC 2047) when it is not ASCII
	date := m.Date
	if date.IsZero() {
		date = time.Now()
	}
	msg.SetDateWithValue(date)
	// Exactly the outbox's id, so a retry carries the same one (go-mail adds the <>).
	msg.SetMessageIDWithValue(strings.TrimSuffix(strings.TrimPrefix(m.MessageID, "<"), ">"))
	if m.Unsubscribe != "" {
		msg.SetGenHeaderPreformatted(gomail.HeaderListUnsubscribe, "<"+m.Unsubscribe+">")
		msg.SetGenHeaderPreformatted(gomail.HeaderListUnsubscribePost, "List-Unsubscribe=One-Click")
	}
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	return msg, nil
}

// MessageID returns a new "<random@domain>" for a message of the outbox: 128 random
// bits, so two ids never meet.
func MessageID(domain string) string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	id := strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:]))
	if domain == "" {
		domain = "localhost"
	}
	return "<" + id + "@" + domain + ">"
}

// Domain is the host of baseURL (BASE_URL), without its port: the domain of the
// Message-IDs and of the default sender. "localhost" when baseURL names none.
func Domain(baseURL string) string {
	u, err := url.Parse(baseURL)
	if err != nil || u.Hostname() == "" {
		return "localhost"
	}
	if ip := net.ParseIP(u.Hostname()); ip != nil {
		return "[" + u.Hostname() + "]" // an address literal, as RFC 5322 writes it
	}
	return u.Hostname()
}

// defaultFromName is the sender's name: the platform's, in every language.
const defaultFromName = "Fabrique à communs"

// DefaultFrom is MAIL_FROM when it is not set: a no-reply address of BASE_URL's domain.
func DefaultFrom(baseURL string) string {
	d := Domain(baseURL)
	if strings.HasPrefix(d, "[") {
		d = "localhost" // an address literal is no place to reply to, nor valid in net/mail
	}
	return defaultFromName + " <ne-pas-repondre@" + d + ">"
}

// Package mailtest is an SMTP server inside the test process (github.com/emersion/go-smtp):
// the app sends to Server.URL() through its real SMTP client, and the test reads what
// arrived, parsed — headers, the plain-text part and the HTML part, decoded.
//
//	srv := mailtest.Start(t)
//	… configure the app with SMTP_URL = srv.URL() …
//	msgs := srv.WaitFor(t, 1, 5*time.Second)
//	msgs[0].Header.Get("List-Unsubscribe"), msgs[0].Text, msgs[0].Links()
//
// srv.Refuse(451, "…") makes it answer every message with that error (temporary
// failures, to test retries) until srv.Accept().
package mailtest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"math/big"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Received is one message as the server got it.
type Received struct {
	From    string   // the envelope's MAIL FROM
	To      []string // the envelope's RCPT TO
	Raw     []byte
	Header  mail.Header
	Subject string // decoded (RFC 2047)
	Text    string // the text/plain part, decoded, lines ending in \n
	HTML    string // the text/html part, decoded, lines ending in \n
}

// Links returns the URLs of the HTML part's href attributes, in order.
func (r Received) Links() []string {
	var out []string
	for _, m := range hrefRe.FindAllStringSubmatch(r.HTML, -1) {
		out = append(out, strings.ReplaceAll(m[1], "&amp;", "&"))
	}
	return out
}

var hrefRe = regexp.MustCompile(`href="([^"]*)"`)

// Server is a running SMTP server; Start closes it when the test ends.
type Server struct {
	Addr string // 127.0.0.1:port

	srv      *smtp.Server
	implicit bool
	user     string
	pass     string
	certPool *x509.CertPool

	mu      sync.Mutex
	msgs    []Received
	refuse  *smtp.SMTPError
	arrived chan struct{} // closed and replaced at each message
	hold    chan struct{} // non-nil: DATA waits for it to close before answering
	held    chan struct{} // one value each time DATA starts waiting
}

// Option configures Start.
type Option func(*Server) error

// WithSTARTTLS offers STARTTLS with a self-signed certificate for 127.0.0.1; the client
// trusts it through TLSConfig.
func WithSTARTTLS() Option {
	return func(s *Server) error { return s.selfSigned() }
}

// WithImplicitTLS makes the server speak TLS from the first byte (smtps://).
func WithImplicitTLS() Option {
	return func(s *Server) error {
		s.implicit = true
		return s.selfSigned()
	}
}

// WithAuth requires AUTH PLAIN with user and password before MAIL FROM (over TLS only:
// combine with WithSTARTTLS or WithImplicitTLS).
func WithAuth(user, pass string) Option {
	return func(s *Server) error {
		s.user, s.pass = user, pass
		return nil
	}
}

// Start listens on a free port of 127.0.0.1 and serves until the test ends.
func Start(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s := &Server{arrived: make(chan struct{})}
	s.srv = smtp.NewServer(backend{s})
	s.srv.Domain = "mailtest.local"
	s.srv.ReadTimeout = 10 * time.Second
	s.srv.WriteTimeout = 10 * time.Second
	s.srv.MaxMessageBytes = 10 << 20
	s.srv.MaxRecipients = 50
	for _, o := range opts {
		if err := o(s); err != nil {
			t.Fatalf("mailtest: %v", err)
		}
	}
	var ln net.Listener
	var err error
	if s.implicit {
		ln, err = tls.Listen("tcp", "127.0.0.1:0", s.srv.TLSConfig)
	} else {
		ln, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		t.Fatalf("mailtest: listen: %v", err)
	}
	s.Addr = ln.Addr().String()
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = s.srv.Serve(ln)
	}()
	t.Cleanup(func() {
		_ = s.srv.Close()
		<-done
	})
	return s
}

// URL is the SMTP_URL that reaches the server: smtp:// (or smtps:// with
// WithImplicitTLS), with the user and password of WithAuth.
func (s *Server) URL() string {
	scheme := "smtp"
	if s.implicit {
		scheme = "smtps"
	}
	userinfo := ""
	if s.user != "" {
		userinfo = s.user + ":" + s.pass + "@"
	}
	return scheme + "://" + userinfo + s.Addr
}

// TLSConfig is a client configuration that trusts the server's certificate (nil when
// the server has none).
func (s *Server) TLSConfig() *tls.Config {
	if s.certPool == nil {
		return nil
	}
	return &tls.Config{RootCAs: s.certPool, MinVersion: tls.VersionTLS12}
}

// Messages returns what arrived so far, oldest first.
func (s *Server) Messages() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.msgs...)
}

// WaitFor waits until at least n messages arrived and returns them all; the test fails
// after timeout, saying how many came.
func (s *Server) WaitFor(t testing.TB, n int, timeout time.Duration) []Received {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		msgs, arrived := append([]Received(nil), s.msgs...), s.arrived
		s.mu.Unlock()
		if len(msgs) >= n {
			return msgs
		}
		select {
		case <-arrived:
		case <-deadline.C:
			t.Fatalf("mailtest: %d message(s) after %s, want %d", len(msgs), timeout, n)
			return nil
		}
	}
}

// Refuse makes the server answer every message's DATA with code and text (e.g. 451 for a
// temporary failure, 550 for a permanent one) until Accept.
func (s *Server) Refuse(code int, text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refuse = &smtp.SMTPError{Code: code, EnhancedCode: smtp.NoEnhancedCode, Message: text}
}

// Hold makes the server, once it has read a message's DATA, wait before answering until
// release is called; held receives a value each time a message waits. A test stops the
// sender there (a worker killed mid-send); on release the held messages are kept, as a
// real server may have kept a message whose 250 the sender never read.
func (s *Server) Hold() (held <-chan struct{}, release func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	hold, h := make(chan struct{}), make(chan struct{}, 100)
	s.hold, s.held = hold, h
	var once sync.Once
	return h, func() {
		once.Do(func() {
			s.mu.Lock()
			if s.hold == hold {
				s.hold, s.held = nil, nil
			}
			s.mu.Unlock()
			close(hold)
		})
	}
}

// Accept undoes Refuse.
func (s *Server) Accept() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refuse = nil
}

func (s *Server) add(r Received) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.msgs = append(s.msgs, r)
	close(s.arrived)
	s.arrived = make(chan struct{})
}

func (s *Server) refusal() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.refuse == nil {
		return nil
	}
	return s.refuse
}

// selfSigned makes a certificate for 127.0.0.1, trusted by TLSConfig's pool.
func (s *Server) selfSigned() error {
	if s.srv.TLSConfig != nil {
		return nil
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "mailtest"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:              []string{"localhost"},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return err
	}
	s.certPool = x509.NewCertPool()
	s.certPool.AddCert(cert)
	s.srv.TLSConfig = &tls.Config{
		Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key, Leaf: cert}},
		MinVersion:   tls.VersionTLS12,
	}
	return nil
}

type backend struct{ s *Server }

func (b backend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	return &session{s: b.s, conn: c}, nil
}

type session struct {
	s      *Server
	conn   *smtp.Conn
	authed bool
	from   string
	to     []string
}

func (se *session) AuthMechanisms() []string {
	if se.s.user == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (se *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, user, pass string) error {
		if user != se.s.user || pass != se.s.pass {
			return smtp.ErrAuthFailed
		}
		se.authed = true
		return nil
	}), nil
}

func (se *session) Mail(from string, _ *smtp.MailOptions) error {
	if se.s.user != "" && !se.authed {
		return smtp.ErrAuthRequired
	}
	se.from = from
	return nil
}

func (se *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	se.to = append(se.to, to)
	return nil
}

func (se *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	se.s.mu.Lock()
	hold, held := se.s.hold, se.s.held
	se.s.mu.Unlock()
	if hold != nil {
		held <- struct{}{}
		<-hold
	}
	if err := se.s.refusal(); err != nil {
		return err
	}
	rec, err := Parse(raw)
	if err != nil {
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.NoEnhancedCode, Message: err.Error()}
	}
	rec.From, rec.To = se.from, append([]string(nil), se.to...)
	se.s.add(rec)
	return nil
}

func (se *session) Reset() { se.from, se.to = "", nil }

func (se *session) Logout() error { return nil }

// Parse reads a raw message: its headers, its subject decoded, and its text/plain and
// text/html parts decoded from quoted-printable or base64, however deep in multipart/*.
func Parse(raw []byte) (Received, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return Received{}, err
	}
	rec := Received{Raw: raw, Header: msg.Header}
	dec := new(mime.WordDecoder)
	rec.Subject, err = dec.DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		return Received{}, fmt.Errorf("subject: %w", err)
	}
	err = walk(&rec, msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), msg.Body)
	return rec, err
}

func walk(rec *Received, contentType, encoding string, body io.Reader) error {
	if contentType == "" {
		contentType = "text/plain; charset=us-ascii"
	}
	mediatype, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return fmt.Errorf("content-type %q: %w", contentType, err)
	}
	if strings.HasPrefix(mediatype, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			// NextRawPart: multipart.NextPart would decode quoted-printable itself and
			// drop the header, and base64 needs the same handling anyway.
			p, err := mr.NextRawPart()
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				return err
			}
			if err := walk(rec, p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p); err != nil {
				return err
			}
		}
	}
	var r io.Reader = body
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "quoted-printable":
		r = quotedprintable.NewReader(body)
	case "base64":
		r = base64.NewDecoder(base64.StdEncoding, newlineStripper{body})
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return fmt.Errorf("%s body: %w", mediatype, err)
	}
	text := strings.ReplaceAll(string(b), "\r\n", "\n") // SMTP's line ends, Go's
	switch mediatype {
	case "text/plain":
		rec.Text = text
	case "text/html":
		rec.HTML = text
	}
	return nil
}

// newlineStripper drops CR and LF, which base64 bodies are wrapped with.
type newlineStripper struct{ r io.Reader }

func (n newlineStripper) Read(p []byte) (int, error) {
	for {
		k, err := n.r.Read(p)
		j := 0
		for _, c := range p[:k] {
			if c != '\r' && c != '\n' {
				p[j] = c
				j++
			}
		}
		if j > 0 || err != nil {
			return j, err
		}
	}
}

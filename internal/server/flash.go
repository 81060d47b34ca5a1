package server

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"
)

// The flash — the message a form leaves for the page it sends its author to — travels in
// a cookie of its own, not in the session: kept in the session, it rewrote the session's
// row in PostgreSQL (a statement and a commit, a WAL flush) on the form's answer, and
// again on the next page, which took it out. A contribution or a pledge went 12 % faster
// at 32 connections without that write (make bench, alternated with the build before).
//
// The cookie is bound to the session: its message is signed with the session's token (an
// HMAC), which only the session's holder knows, so that no one can make a page show
// someone else a message of their choosing (a cookie set from a neighbouring domain
// would not carry the signature), nor carry a message from one session to another. A
// request without a session token yet (a visitor's first form) keeps its flash in the
// session, as before; the cookie, read once, is cleared by the answer that shows it.

const flashCookieName = "fabrique_flash"

// flashBox is what a request's handler does with the flash cookie, applied to the
// answer's headers when they are written (flashWriter).
type flashBox struct {
	ctx   context.Context // the request's, with its session
	msg   string          // left for the next page
	clear bool            // the request carried one: read, and to be cleared
}

type flashBoxKey struct{}

// flashes carries a flashBox through the request and writes its cookie with the answer.
// It runs after the session is loaded (scs commits the session when the answer's
// headers are written: after flashWriter's).
func (s *Server) flashes(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		box := &flashBox{ctx: r.Context()}
		r = r.WithContext(context.WithValue(r.Context(), flashBoxKey{}, box))
		next.ServeHTTP(&flashWriter{ResponseWriter: w, s: s, box: box}, r)
	})
}

// flash leaves msg, a catalog key, for the next page.
func (s *Server) flash(ctx context.Context, msg string) {
	if box, ok := ctx.Value(flashBoxKey{}).(*flashBox); ok {
		box.msg = msg
		return
	}
	s.sessions.Put(ctx, "flash", msg)
}

// takeFlash returns the flash left for r's page, "" if none, and takes it out.
func (s *Server) takeFlash(r *http.Request) string {
	ctx := r.Context()
	msg := s.sessions.PopString(ctx, "flash")
	if c, err := r.Cookie(flashCookieName); err == nil {
		if box, ok := ctx.Value(flashBoxKey{}).(*flashBox); ok {
			box.clear = true
		}
		if m, ok := openFlash(s.sessions.Token(ctx), c.Value); ok {
			msg = m
		}
	}
	return msg
}

type flashWriter struct {
	http.ResponseWriter
	s       *Server
	box     *flashBox
	written bool
}

func (w *flashWriter) WriteHeader(code int) {
	if !w.written {
		w.written = true
		w.s.writeFlash(w.ResponseWriter.Header(), w.box)
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *flashWriter) Write(b []byte) (int, error) {
	if !w.written {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

func (w *flashWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// writeFlash sets the cookie box asks for on h: the flash left, signed with the
// session's token as it stands now (renewed at login and logout), or its clearing.
func (s *Server) writeFlash(h http.Header, box *flashBox) {
	c := &http.Cookie{Name: flashCookieName, Path: "/", HttpOnly: true, Secure: s.cfg.Secure, SameSite: http.SameSiteLaxMode}
	switch {
	case box.msg != "":
		token := s.sessions.Token(box.ctx)
		if token == "" {
			// No session token before the session's first commit: the flash goes in the
			// session, committed with this answer.
			s.sessions.Put(box.ctx, "flash", box.msg)
			if !box.clear {
				return
			}
			c.MaxAge = -1
		} else {
			c.Value, c.MaxAge = sealFlash(token, box.msg), flashMaxAge
		}
	case box.clear:
		c.MaxAge = -1
	default:
		return
	}
	h.Add("Set-Cookie", c.String())
}

// flashMaxAge bounds how long a flash waits for its page, in seconds.
const flashMaxAge = 300

// sealFlash is the cookie's value for msg in the session of token: the message and its
// HMAC, in base64url.
func sealFlash(token, msg string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(msg)) + "." + base64.RawURLEncoding.EncodeToString(flashMAC(token, msg))
}

// openFlash returns the message of a cookie's value sealed in the session of token.
func openFlash(token, value string) (string, bool) {
	if token == "" {
		return "", false
	}
	m, sig, ok := strings.Cut(value, ".")
	if !ok {
		return "", false
	}
	msg, err1 := base64.RawURLEncoding.DecodeString(m)
	mac, err2 := base64.RawURLEncoding.DecodeString(sig)
	if err1 != nil || err2 != nil || !hmac.Equal(mac, flashMAC(token, string(msg))) {
		return "", false
	}
	return string(msg), true
}

func flashMAC(token, msg string) []byte {
	h := hmac.New(sha256.New, []byte(token))
	h.Write([]byte("fabrique flash\x00"))
	h.Write([]byte(msg))
	return h.Sum(nil)
}

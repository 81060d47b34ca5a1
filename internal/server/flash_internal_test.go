package server

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/alexedwards/scs/v2"
)

// flashApp is a server with sessions in memory and two routes: /laisser leaves a flash,
// /lire answers the flash taken, /session writes the session.
func flashApp() (*Server, http.Handler) {
	s := &Server{sessions: scs.New()}
	mux := http.NewServeMux()
	mux.HandleFunc("/laisser", func(w http.ResponseWriter, r *http.Request) {
		s.flash(r.Context(), "Contribution enregistrée.")
		http.Redirect(w, r, "/lire", http.StatusSeeOther)
	})
	mux.HandleFunc("/lire", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(s.takeFlash(r)))
	})
	mux.HandleFunc("/session", func(w http.ResponseWriter, r *http.Request) {
		s.sessions.Put(r.Context(), "vu", true)
	})
	return s, s.sessions.LoadAndSave(s.flashes(mux))
}

func serve(h http.Handler, path string, cookies ...*http.Cookie) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for _, c := range cookies {
		req.AddCookie(c)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

func cookieOf(t *testing.T, w *httptest.ResponseRecorder, name string) *http.Cookie {
	t.Helper()
	for _, c := range w.Result().Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// In a session, the flash travels in its own cookie, signed with the session's token: the
// session is not written for it, the page after shows it once and clears the cookie, and
// a cookie not signed with this session's token — forged, changed, or another session's
// — shows nothing.
func TestFlashCookieSignedWithTheSession(t *testing.T) {
	s, h := flashApp()
	session := cookieOf(t, serve(h, "/session"), s.sessions.Cookie.Name)
	if session == nil {
		t.Fatal("no session cookie")
	}
	w := serve(h, "/laisser", session)
	if c := cookieOf(t, w, s.sessions.Cookie.Name); c != nil {
		t.Error("the session written for a flash")
	}
	flash := cookieOf(t, w, flashCookieName)
	if flash == nil || flash.Value == "" || !flash.HttpOnly || flash.MaxAge <= 0 {
		t.Fatalf("the flash's cookie: %+v", flash)
	}
	w = serve(h, "/lire", session, flash)
	if got := w.Body.String(); got != "Contribution enregistrée." {
		t.Errorf("the flash read: %q", got)
	}
	if c := cookieOf(t, w, flashCookieName); c == nil || c.MaxAge >= 0 {
		t.Errorf("the flash's cookie not cleared once read: %+v", c)
	}
	if got := serve(h, "/lire", session).Body.String(); got != "" {
		t.Errorf("the flash read again: %q", got)
	}
	other := cookieOf(t, serve(h, "/session"), s.sessions.Cookie.Name)
	for name, value := range map[string]string{
		"another session's": sealFlash(other.Value, "Contribution enregistrée."),
		"changed":           sealFlash(session.Value, "Votre compte est suspendu.")[:10] + flash.Value[10:],
		"unsigned":          "Vm90cmUgY29tcHRlIGVzdCBzdXNwZW5kdS4",
		"garbage":           "%%%.%%%",
	} {
		w := serve(h, "/lire", session, &http.Cookie{Name: flashCookieName, Value: value})
		if got := w.Body.String(); got != "" {
			t.Errorf("%s flash shown: %q", name, got)
		}
		if c := cookieOf(t, w, flashCookieName); c == nil || c.MaxAge >= 0 {
			t.Errorf("%s flash's cookie not cleared", name)
		}
	}
}

// Without a session token yet (a visitor's first request), the flash goes in the
// session, which the answer creates, and the next page shows it.
func TestFlashWithoutSessionGoesInTheSession(t *testing.T) {
	s, h := flashApp()
	w := serve(h, "/laisser")
	if c := cookieOf(t, w, flashCookieName); c != nil {
		t.Errorf("a flash's cookie without a session: %+v", c)
	}
	session := cookieOf(t, w, s.sessions.Cookie.Name)
	if session == nil {
		t.Fatal("no session for the flash")
	}
	if got := serve(h, "/lire", session).Body.String(); got != "Contribution enregistrée." {
		t.Errorf("the flash read: %q", got)
	}
}

// Behind HTTPS the flash's cookie is Secure, as the session's; SameSite=Lax always.
func TestFlashCookieSecureBehindHTTPS(t *testing.T) {
	for _, secure := range []bool{false, true} {
		s, h := flashApp()
		s.cfg.Secure = secure
		session := cookieOf(t, serve(h, "/session"), s.sessions.Cookie.Name)
		flash := cookieOf(t, serve(h, "/laisser", session), flashCookieName)
		if flash == nil || flash.Secure != secure || flash.SameSite != http.SameSiteLaxMode {
			t.Errorf("secure %v: the flash's cookie %+v", secure, flash)
		}
	}
}

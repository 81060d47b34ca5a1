package server

import (
	"bytes"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/fabrique-a-communs/fabrique/internal/csvexport"
	"github.com/fabrique-a-communs/fabrique/internal/i18n"
	"github.com/go-chi/chi/v5"
)

// The helpers every resource file uses to read a request: the form, path ids, the page
// number, typed text, and today's date in France.

// maxPage bounds the page number so OFFSET stays sane whatever the query says.
const maxPage = 10000

// paris is the Fabrique's time zone, which picks the default date of the forms.
var paris = i18n.Paris

// parseForm parses a urlencoded body. A body over the cap answers 413, a malformed one
// or one with text PostgreSQL cannot store (invalid UTF-8, NUL) answers 400: bad input is
// refused before any handler sees it.
func (s *Server) parseForm(w http.ResponseWriter, r *http.Request) bool {
	if err := r.ParseForm(); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			s.renderError(w, r, http.StatusRequestEntityTooLarge, "Formulaire trop volumineux", "Le formulaire envoyé dépasse la taille autorisée.")
			return false
		}
		s.renderError(w, r, http.StatusBadRequest, "Requête invalide", "Le formulaire envoyé est mal formé.")
		return false
	}
	for _, values := range r.Form {
		for _, v := range values {
			if !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
				s.renderError(w, r, http.StatusBadRequest, "Requête invalide", "Le formulaire contient des caractères invalides.")
				return false
			}
		}
	}
	return true
}

// pathID reads the path's parameter name as an id; anything but a positive integer
// names nothing.
func pathID(r *http.Request, name string) (int64, bool) {
	id, err := strconv.ParseInt(chi.URLParam(r, name), 10, 64)
	return id, err == nil && id > 0
}

// pageNumber reads ?page=, forgiving junk: anything not a positive number is page 1.
func pageNumber(q url.Values) int {
	n, err := strconv.Atoi(q.Get("page"))
	if err != nil || n < 1 {
		return 1
	}
	return min(n, maxPage)
}

// cleanText trims a text typed in a textarea and unifies its line ends.
func cleanText(s string) string {
	return strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
}

// franceToday is today's date in Paris, at midnight UTC like the dates read from forms.
func franceToday() time.Time {
	y, m, d := time.Now().In(paris).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// sendCSV answers the CSV written into buf by cw as an attachment named name, once cw is
// flushed; a private one (names, addresses) is kept by no cache.
func (s *Server) sendCSV(w http.ResponseWriter, r *http.Request, buf *bytes.Buffer, cw *csvexport.Writer, name string, private bool) {
	if err := cw.Flush(); err != nil {
		s.serverError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	if private {
		h.Set("Cache-Control", "no-store")
	}
	_, _ = w.Write(buf.Bytes())
}

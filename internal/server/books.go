package server

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/web/pages"
)

// The books (DESIGN §3 « Books »): how the ledger's accounts read in the association's
// chart of accounts, and the year's movements as a FEC-shaped file for its accountant.

func (s *Server) registerBooksRoutes(r chi.Router) {
	r.Group(func(r chi.Router) {
		r.Use(s.requireLogin, s.coordinatorsOnly)
		r.Get("/coordination/comptabilite", s.handleBooks)
		r.Post("/coordination/comptabilite", s.handleBooksSave)
		r.Get("/coordination/comptabilite/fec", s.handleFEC)
	})
}

// handleBooks handles "GET /coordination/comptabilite".
func (s *Server) handleBooks(w http.ResponseWriter, r *http.Request) {
	settings, err := s.db.BooksSettings(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.renderBooks(w, r, http.StatusOK, settings, nil)
}

func (s *Server) renderBooks(w http.ResponseWriter, r *http.Request, status int, settings fabrique.BooksSettings, errs map[string]string) {
	years, err := s.db.LedgerYears(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, status, pages.Books(pages.BooksView{Page: s.page(r, "Comptabilité"), Settings: settings, Errors: errs, Years: years}))
}

// handleBooksSave handles "POST /coordination/comptabilite".
func (s *Server) handleBooksSave(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	f := r.PostForm
	settings := fabrique.BooksSettings{SIREN: f.Get("siren"), JournalCode: f.Get("journal_code"), JournalLabel: f.Get("journal_label"),
		Accounts: map[string]fabrique.BookAccount{}}
	for _, k := range fabrique.BookAccountKinds {
		settings.Accounts[k] = fabrique.BookAccount{Num: f.Get("compte_" + k), Label: f.Get("libelle_" + k)}
	}
	settings.Normalize()
	if err := settings.Validate(); err != nil {
		s.renderBooks(w, r, http.StatusUnprocessableEntity, settings, fabrique.ErrorFields(err))
		return
	}
	if err := s.db.SaveBooksSettings(r.Context(), userFrom(r.Context()), settings); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.flash(r.Context(), "Le plan de comptes de l’export est enregistré.")
	redirect(w, r, "/coordination/comptabilite")
}

// fecDate writes a day as the FEC does: AAAAMMJJ.
func fecDate(t time.Time) string { return t.Format("20060102") }

// handleFEC handles "GET /coordination/comptabilite/fec?annee=YYYY": the year's ledger
// movements, FEC-shaped: the 18 columns, a header line, tab-separated UTF-8, dates
// AAAAMMJJ, amounts with a decimal comma, one écriture per ledger transaction numbered
// without a gap, named {SIREN}FEC{AAAAMMJJ}.txt after the year's closing date.
func (s *Server) handleFEC(w http.ResponseWriter, r *http.Request) {
	year, err := strconv.Atoi(r.URL.Query().Get("annee"))
	if err != nil || year < 2000 || year > 2100 {
		s.renderError(w, r, http.StatusUnprocessableEntity, "Demande invalide", "Indiquez l’année de l’export, par exemple annee=2026.")
		return
	}
	settings, err := s.db.BooksSettings(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	lines, err := s.db.FECLines(r.Context(), year)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	var b bytes.Buffer
	b.WriteString(strings.Join(fabrique.FECColumns, "\t") + "\r\n")
	for _, l := range settings.FECLines(lines) {
		account, debit, credit := l.Account, l.Debit, l.Credit
		label := l.Memo
		if label == "" {
			label = fmt.Sprintf("Mouvement %d", l.TxID)
		}
		piece := l.Reference
		if piece == "" {
			piece = fmt.Sprintf("TX%d", l.TxID)
		}
		cells := []string{settings.JournalCode, settings.JournalLabel, strconv.Itoa(l.EcritureNum), fecDate(l.Date),
			account.Num, account.Label, l.AuxNum, l.AuxLabel, piece, fecDate(l.Date), label,
			fabrique.FECAmount(debit), fabrique.FECAmount(credit), "", "", fecDate(l.Validated.In(paris)), "", ""}
		for i, c := range cells {
			cells[i] = fabrique.FECText(c)
		}
		b.WriteString(strings.Join(cells, "\t") + "\r\n")
	}
	name := fmt.Sprintf("%sFEC%d1231.txt", settings.SIREN, year)
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	h.Set("Cache-Control", "no-store")
	_, _ = w.Write(b.Bytes())
}

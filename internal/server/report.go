package server

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/fabrique-a-communs/fabrique/internal/csvexport"
	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/web/pages"
)

// Reports for funders (DESIGN §3 « Reports »): printable pages whose figures are the
// ledger's, also as CSV. Public, like /transparence: anonymous funders stay anonymous.

func (s *Server) registerReportRoutes(r chi.Router) {
	r.Get("/communs/{slug}/bilan", s.handleCommonsReport)
	r.Get("/communs/{slug}/bilan.csv", s.handleCommonsReportCSV)
	r.Get("/cofinancement/{slug}/bilan", s.handleCallReport)
	r.Get("/cofinancement/{slug}/bilan.csv", s.handleCallReportCSV)
	r.Get("/bilan/{year}", s.handleYearReport)
}

// yearReport reads the report of the path's {year} ("2026", or "2026.csv" with csv set).
func (s *Server) yearReport(w http.ResponseWriter, r *http.Request) (rep *fabrique.YearReport, csv bool) {
	v := chi.URLParam(r, "year")
	v, csv = strings.CutSuffix(v, ".csv")
	year, err := strconv.Atoi(v)
	if err != nil || year < 2000 || year > 2100 {
		s.notFound(w, r)
		return nil, false
	}
	if rep, err = s.db.YearReport(r.Context(), year); err != nil {
		s.serverError(w, r, err)
		return nil, false
	}
	return rep, csv
}

// handleYearReport handles "GET /bilan/{year}" and "GET /bilan/{year}.csv".
func (s *Server) handleYearReport(w http.ResponseWriter, r *http.Request) {
	rep, csv := s.yearReport(w, r)
	if rep == nil {
		return
	}
	if !csv {
		s.render(w, r, http.StatusOK, pages.YearReport(pages.YearReportView{Page: s.page(r, "Bilan de l’année"), Report: rep}))
		return
	}
	var buf bytes.Buffer
	cw := csvexport.NewWriter(&buf, csvexport.Format{CRLF: true})
	cw.Header("Rubrique", "Libellé", "Nombre", "Montant (€)")
	none := csvexport.Text("")
	for _, c := range rep.ByStatus {
		cw.Row(csvexport.Text("Défis par étape"), csvexport.Text(fabrique.Status(c.Key).Label()), csvexport.Int(int64(c.Count)), none)
	}
	for _, c := range rep.ByRegion {
		cw.Row(csvexport.Text("Défis par région"), csvexport.Text(c.Key), csvexport.Int(int64(c.Count)), none)
	}
	for _, f := range []struct {
		label string
		n     csvexport.Cell
		cents int64
	}{
		{"Fonds d’amorçage de l’année", none, rep.SeedFund},
		{"Budgets d’amorçage accordés", none, rep.SeedGranted},
		{"Rétributions payées sur les budgets d’amorçage", none, rep.SeedSpent},
		{"Rétributions payées en tout (jours)", csvexport.Decimal(int64(rep.PaidQuarters)*25, 2), rep.Paid},
		{"Jours bénévoles", csvexport.Decimal(int64(rep.VolunteerQuarters)*25, 2), 0},
		{"Communs financés", csvexport.Int(int64(rep.CommonsFunded)), 0},
		{"Cofinancement reçu", none, rep.Raised},
		{"Abondement versé", none, rep.Matched},
		{"Rendez-vous tenus", csvexport.Int(int64(rep.Events)), 0},
		{"Participations", csvexport.Int(int64(rep.Participants)), 0},
	} {
		cw.Row(csvexport.Text("Chiffres"), csvexport.Text(f.label), f.n, csvexport.Amount(f.cents))
	}
	if p := rep.Plan; p != nil {
		days := func(q int) csvexport.Cell { return csvexport.Decimal(int64(q)*25, 2) }
		for _, sd := range p.Services {
			label := csvexport.Text(fabrique.WorkServiceLabel(sd.Service))
			cw.Row(csvexport.Text("Plan de travail, jours prévus"), label, days(sd.Planned), none)
			cw.Row(csvexport.Text("Plan de travail, jours réalisés"), label, days(sd.Done), none)
		}
		cw.Row(csvexport.Text("Chiffres"), csvexport.Text("Temps de coordination payé"), none, csvexport.Amount(p.Fund.Paid))
	}
	s.sendCSV(w, r, &buf, cw, "bilan-"+strconv.Itoa(rep.Year)+".csv", false)
}

func (s *Server) callReport(w http.ResponseWriter, r *http.Request) *fabrique.CallReport {
	c, err := s.db.CallBySlug(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		s.error(w, r, err)
		return nil
	}
	rep, err := s.db.CallReport(r.Context(), c)
	if err != nil {
		s.serverError(w, r, err)
		return nil
	}
	return rep
}

// handleCallReport handles "GET /cofinancement/{slug}/bilan".
func (s *Server) handleCallReport(w http.ResponseWriter, r *http.Request) {
	rep := s.callReport(w, r)
	if rep == nil {
		return
	}
	p := s.page(r, "Bilan")
	p.Title = rep.Call.Title
	s.render(w, r, http.StatusOK, pages.CallReport(pages.CallReportView{Page: p, Report: rep}))
}

// handleCallReportCSV handles "GET /cofinancement/{slug}/bilan.csv".
func (s *Server) handleCallReportCSV(w http.ResponseWriter, r *http.Request) {
	rep := s.callReport(w, r)
	if rep == nil {
		return
	}
	var buf bytes.Buffer
	cw := csvexport.NewWriter(&buf, csvexport.Format{CRLF: true})
	cw.Header("Rubrique", "Libellé", "Promesses", "Promis (€)", "Reçu (€)", "Abondement (€)")
	row := func(section string, l fabrique.ReportLine) {
		cw.Row(csvexport.Text(section), csvexport.Text(l.Key), csvexport.Int(int64(l.Pledges)),
			csvexport.Amount(l.Promised), csvexport.Amount(l.Received), csvexport.Amount(l.Matched))
	}
	for _, l := range rep.ByCommons {
		row("Commun", l)
	}
	for _, l := range rep.ByKind {
		row("Type de financeur", l)
	}
	total := rep.Total
	total.Key = "Total"
	row("Total", total)
	s.sendCSV(w, r, &buf, cw, "bilan-"+rep.Call.Slug+".csv", false)
}

func (s *Server) commonsReport(w http.ResponseWriter, r *http.Request) *fabrique.CommonsReport {
	c, err := s.db.CommonsBySlug(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		s.error(w, r, err)
		return nil
	}
	rep, err := s.db.CommonsReport(r.Context(), c)
	if err != nil {
		s.serverError(w, r, err)
		return nil
	}
	return rep
}

// handleCommonsReport handles "GET /communs/{slug}/bilan".
func (s *Server) handleCommonsReport(w http.ResponseWriter, r *http.Request) {
	rep := s.commonsReport(w, r)
	if rep == nil {
		return
	}
	p := s.page(r, "Bilan")
	p.Title = rep.Commons.Name
	s.render(w, r, http.StatusOK, pages.CommonsReport(pages.CommonsReportView{Page: p, Report: rep}))
}

// handleCommonsReportCSV handles "GET /communs/{slug}/bilan.csv": the report's figures,
// one per line: section, what, days, amount.
func (s *Server) handleCommonsReportCSV(w http.ResponseWriter, r *http.Request) {
	rep := s.commonsReport(w, r)
	if rep == nil {
		return
	}
	var buf bytes.Buffer
	cw := csvexport.NewWriter(&buf, csvexport.Format{CRLF: true})
	cw.Header("Rubrique", "Libellé", "Jours", "Montant (€)")
	none := csvexport.Text("")
	cw.Row(csvexport.Text("Ressources"), csvexport.Text("Fonds reçus des financeurs"), none, csvexport.Amount(rep.Received))
	cw.Row(csvexport.Text("Ressources"), csvexport.Text("Abondement"), none, csvexport.Amount(rep.Matching))
	cw.Row(csvexport.Text("Emplois"), csvexport.Text("Rétributions payées"), none, csvexport.Amount(rep.Paid))
	cw.Row(csvexport.Text("Bénévolat"), csvexport.Text("Bénévolat valorisé au tarif journalier"),
		csvexport.Decimal(int64(rep.VolunteerDays)*25, 2), csvexport.Amount(rep.VolunteerValued))
	for _, f := range rep.Funders {
		name := f.Name
		if f.Anonymous {
			name = "Financeurs anonymes"
		}
		cw.Row(csvexport.Text("Financeur"), csvexport.Text(name+" ("+strconv.Itoa(f.Pledges)+")"), none, csvexport.Amount(f.Amount))
	}
	for _, d := range rep.PaidByActivity {
		cw.Row(csvexport.Text("Activité"), csvexport.Text(d.Key), csvexport.Decimal(int64(d.Quarters)*25, 2), csvexport.Amount(d.Amount))
	}
	for _, d := range rep.PaidByMonth {
		cw.Row(csvexport.Text("Mois"), csvexport.Text(d.Key), csvexport.Decimal(int64(d.Quarters)*25, 2), csvexport.Amount(d.Amount))
	}
	s.sendCSV(w, r, &buf, cw, "bilan-"+rep.Commons.Slug+".csv", false)
}

package server

import (
	"bytes"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/fabrique-a-communs/fabrique/internal/csvexport"
	"github.com/fabrique-a-communs/fabrique/web/pages"
)

// Payments: the coordination's batch of validated contributions to pay, by payee, and its
// bank transfer file. A payment itself is recorded on the contribution
// (handleContributionPay).

func (s *Server) registerPaymentRoutes(r chi.Router) {
	r.Group(func(r chi.Router) {
		r.Use(s.requireLogin)
		r.With(s.coordinatorsOnly).Get("/coordination/paiements", s.handlePaymentIndex)
		r.With(s.coordinatorsOnly).Get("/coordination/paiements.csv", s.handlePaymentCSV)
	})
}

const paymentsListed = 500 // on the payment batch; the CSV has them all

// coordinationPaymentsSummary gathers, in two queries, the retributions to pay and the
// seed budgets near their end, for the coordination's queue.
func (s *Server) coordinationPaymentsSummary(r *http.Request) (pages.PaymentsSummary, error) {
	ctx := r.Context()
	var sum pages.PaymentsSummary
	var err error
	if sum.Count, sum.Total, err = cached2UntilChange(ctx, s.data, "payments:due", s.db.PaymentsDue); err != nil {
		return sum, err
	}
	if sum.NearEnd, err = cachedUntilChange(ctx, s.data, "payments:near-end", s.db.BudgetsNearEnd); err != nil {
		return sum, err
	}
	return sum, nil
}

// handlePaymentIndex handles "GET /coordination/paiements": the payment batch, by payee.
func (s *Server) handlePaymentIndex(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	sum, err := s.coordinationPaymentsSummary(r)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	list, err := s.db.ContributionsToPay(r.Context(), paymentsListed)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	vm := pages.PaymentsView{Page: s.page(r, "Paiements à effectuer"), Summary: sum,
		Truncated: sum.Count > len(list), Today: franceToday().Format(time.DateOnly), TodayDay: franceToday()}
	if vm.Invoices, vm.InvoicesTotal, err = s.db.InvoicesToPay(r.Context()); err != nil {
		s.serverError(w, r, err)
		return
	}
	if vm.ToCheck, err = s.db.InvoicesToCheck(r.Context()); err != nil {
		s.serverError(w, r, err)
		return
	}
	for _, rec := range list { // ordered by payee: each payee's contributions follow each other
		if n := len(vm.Payees); n == 0 || vm.Payees[n-1].UserID != rec.UserID {
			vm.Payees = append(vm.Payees, pages.PayeeBatch{UserID: rec.UserID, Name: rec.UserName, Email: rec.Email})
		}
		p := &vm.Payees[len(vm.Payees)-1]
		item := contributionItem(u, rec)
		item.CanValidate, item.CanRefuse = false, false // decided on the défi's page; here, one pays
		p.Items = append(p.Items, item)
		p.Total += rec.Amount
	}
	s.render(w, r, http.StatusOK, pages.Payments(vm))
}

// handlePaymentCSV handles "GET /coordination/paiements.csv": the bank transfer file of
// every contribution to pay, for French spreadsheets: UTF-8 with a byte order mark (so
// Excel reads the accents), ";" between fields, decimal commas, dates as DD/MM/YYYY.
func (s *Server) handlePaymentCSV(w http.ResponseWriter, r *http.Request) {
	list, err := s.db.ContributionsToPay(r.Context(), 0)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	var buf bytes.Buffer
	cw := csvexport.NewWriter(&buf, csvexport.Format{CRLF: true})
	cw.Header("Bénéficiaire", "E-mail", "Défi", "Contribution", "Date", "Jours", "Montant (€)", "Référence suggérée")
	for _, rec := range list {
		cw.Row(csvexport.Text(rec.UserName), csvexport.Text(rec.Email), csvexport.Text(rec.ChallengeTitle),
			csvexport.Int(rec.ID), csvexport.Date(rec.WorkedOn), csvexport.Decimal(int64(rec.Quarters)*25, 2),
			csvexport.Amount(rec.Amount), csvexport.Text(pages.SuggestedReference(rec.ID)))
	}
	s.sendCSV(w, r, &buf, cw, "paiements-"+franceToday().Format(time.DateOnly)+".csv", true)
}

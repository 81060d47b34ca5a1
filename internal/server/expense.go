package server

import (
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/web/pages"
)

// Expenses on receipts (issue 17): /defis/{slug}/frais lists a défi's expenses and lets its
// team members claim theirs; /frais/{id}/… are the decisions, the receipt's file and the
// donation receipt of a waived expense.

func (s *Server) registerExpenseRoutes(r chi.Router) {
	r.Group(func(r chi.Router) {
		r.Use(s.requireLogin)
		r.Get("/defis/{slug}/frais", s.handleExpenses)
		r.Post("/defis/{slug}/frais", s.handleExpenseClaim)
		r.Post("/frais/{id}/{decision:valider|refuser|rembourser|recu}", s.handleExpenseDecision)
		r.Get("/frais/{id}/justificatif", s.handleExpenseDocument)
		r.Get("/frais/{id}/recu-fiscal", s.handleDonationReceipt)
	})
}

// expensesAccess tells what the viewer is to the défi c: a member (who may claim), its
// porteur, a coordinator — anyone else may not see its expenses.
func (s *Server) expensesAccess(r *http.Request, c *fabrique.Challenge) (member, allowed bool, err error) {
	u := userFrom(r.Context())
	if member, err = s.db.AcceptedMember(r.Context(), c.ID, u.ID); err != nil {
		return false, false, err
	}
	return member, member || u.IsCoordinator() || u.ID == c.LeadID, nil
}

// handleExpenses handles "GET /defis/{slug}/frais".
func (s *Server) handleExpenses(w http.ResponseWriter, r *http.Request) {
	c, ok := s.challengeFromURL(w, r)
	if !ok {
		return
	}
	s.renderExpenses(w, r, http.StatusOK, c, nil, nil)
}

// renderExpensesRefused answers 422 with the défi's expenses and msg, a decision refused.
func (s *Server) renderExpensesRefused(w http.ResponseWriter, r *http.Request, c *fabrique.Challenge, msg string) {
	s.renderExpensesWith(w, r, http.StatusUnprocessableEntity, c, nil, nil, msg)
}

func (s *Server) renderExpenses(w http.ResponseWriter, r *http.Request, status int, c *fabrique.Challenge, form *fabrique.ExpenseForm, errs map[string]string) {
	s.renderExpensesWith(w, r, status, c, form, errs, "")
}

func (s *Server) renderExpensesWith(w http.ResponseWriter, r *http.Request, status int, c *fabrique.Challenge, form *fabrique.ExpenseForm, errs map[string]string, msg string) {
	member, allowed, err := s.expensesAccess(r, c)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if !allowed {
		s.forbidden(w, r)
		return
	}
	list, err := s.db.ChallengeExpenses(r.Context(), c.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	settings, err := s.db.BillingSettings(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	u := userFrom(r.Context())
	vm := pages.ExpensesView{Page: s.page(r, "Frais"), Challenge: c, CanClaim: member, Errors: errs, Error: msg,
		Today: franceToday().Format(time.DateOnly), WaiverText: fabrique.WaiverText}
	vm.Page.Title = c.Title // a title people wrote is not a catalog key
	if form != nil {
		vm.Form = *form
	}
	for _, e := range list {
		it := pages.ExpenseItem{Expense: e, Mine: e.UserID == u.ID}
		for _, d := range []fabrique.ExpenseDecision{fabrique.ExpenseValidate, fabrique.ExpenseRefuse, fabrique.ExpenseReimburse, fabrique.ExpenseReceipt} {
			if already, err := fabrique.CheckExpenseDecision(u, d, e, settings.DonationReceipts); err == nil && !already {
				it.Can = append(it.Can, string(d))
			}
		}
		it.SeeFile = it.Mine || u.IsCoordinator() || u.ID == c.LeadID
		it.SeeReceipt = e.ReceiptNumber != "" && (it.Mine || u.IsCoordinator())
		vm.Expenses = append(vm.Expenses, it)
	}
	s.render(w, r, status, pages.Expenses(vm))
}

// handleExpenseClaim handles "POST /defis/{slug}/frais" (multipart: date, description,
// amount, file, renonciation).
func (s *Server) handleExpenseClaim(w http.ResponseWriter, r *http.Request) {
	c, ok := s.challengeFromURL(w, r)
	if !ok {
		return
	}
	member, _, err := s.expensesAccess(r, c)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if !member {
		s.error(w, r, fabrique.ErrExpenseNotTeam)
		return
	}
	up, ok := s.readUpload(w, r, "file")
	if !ok {
		return
	}
	form := fabrique.ExpenseForm{Date: up.fields["date"], Description: up.fields["description"], Amount: up.fields["amount"],
		Waived: up.fields["renonciation"] != ""}
	in, verr := fabrique.ParseExpenseForm(form, franceToday())
	errs := fabrique.ErrorFields(verr)
	in.Receipt = up.document()
	if err := fabrique.CheckDocument("file", in.Receipt, false); err != nil {
		if errs == nil {
			errs = map[string]string{}
		}
		for k, v := range fabrique.ErrorFields(err) {
			errs[k] = v
		}
	}
	if len(errs) > 0 {
		s.renderExpenses(w, r, http.StatusUnprocessableEntity, c, &form, errs)
		return
	}
	ctx := r.Context()
	if _, err := s.db.ClaimExpense(ctx, c.ID, userFrom(ctx).ID, in); err != nil {
		s.error(w, r, err)
		return
	}
	if in.Waived {
		s.flash(ctx, "Vos frais sont déclarés, abandonnés à l’association : merci !")
	} else {
		s.flash(ctx, "Vos frais sont déclarés : le·la porteur·se ou la coordination les valide, puis la coordination les rembourse.")
	}
	redirect(w, r, "/defis/"+c.Slug+"/frais")
}

// expenseFromURL returns the expense named by {id}, or answers 404 and false.
func (s *Server) expenseFromURL(w http.ResponseWriter, r *http.Request) (*fabrique.Expense, bool) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return nil, false
	}
	e, err := s.db.ExpenseByID(r.Context(), id)
	if err != nil {
		s.error(w, r, err)
		return nil, false
	}
	return e, true
}

// handleExpenseDecision handles "POST /frais/{id}/valider", "/refuser" (reason),
// "/rembourser" (paid_on, reference) and "/recu".
func (s *Server) handleExpenseDecision(w http.ResponseWriter, r *http.Request) {
	e, ok := s.expenseFromURL(w, r)
	if !ok || !s.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	u := userFrom(ctx)
	d := fabrique.ExpenseDecision(chi.URLParam(r, "decision"))
	back := "/defis/" + e.ChallengeSlug + "/frais"
	if _, err := fabrique.CheckExpenseDecision(u, d, e, true); fabrique.ErrorCode(err) == fabrique.EFORBIDDEN {
		s.error(w, r, err) // rights first: someone else gets 403 whatever they sent
		return
	}
	var reason, reference string
	var paidOn time.Time
	var err error
	switch d {
	case fabrique.ExpenseRefuse:
		reason, err = fabrique.CheckExpenseRefusal(r.PostForm.Get("reason"))
	case fabrique.ExpenseReimburse:
		var msg string
		if paidOn, msg = parseWorkDay(r.PostForm.Get("paid_on")); msg != "" {
			err = fabrique.FieldError("paid_on", msg)
		} else {
			reference, err = fabrique.CheckPaymentReference(r.PostForm.Get("reference"))
		}
	}
	var already bool
	if err == nil {
		already, err = s.db.DecideExpense(ctx, e.ID, u, d, reason, paidOn, reference)
	}
	switch {
	case fabrique.ErrorCode(err) == fabrique.EINVALID:
		c, cerr := s.db.ChallengeBySlug(ctx, e.ChallengeSlug)
		if cerr != nil {
			s.serverError(w, r, cerr)
			return
		}
		msg := fabrique.ErrorMessage(err)
		for _, v := range fabrique.ErrorFields(err) {
			msg = v // a field of the decision's form: said at the top of the page
		}
		s.renderExpensesRefused(w, r, c, msg)
		return
	case err != nil:
		s.error(w, r, err)
		return
	case already:
		s.flash(ctx, "Cette décision était déjà prise : rien n’a changé.")
	default:
		s.flash(ctx, "La décision sur les frais est enregistrée.")
	}
	redirect(w, r, back)
}

// handleExpenseDocument handles "GET /frais/{id}/justificatif": the receipt's file, for
// its author, the défi's porteur and the coordination.
func (s *Server) handleExpenseDocument(w http.ResponseWriter, r *http.Request) {
	e, ok := s.expenseFromURL(w, r)
	if !ok {
		return
	}
	u := userFrom(r.Context())
	if e.UserID != u.ID && e.LeadID != u.ID && !u.IsCoordinator() {
		s.forbidden(w, r)
		return
	}
	s.serveDocument(w, r, e.DocumentID, "justificatif-"+strconv.FormatInt(e.ID, 10))
}

// handleDonationReceipt handles "GET /frais/{id}/recu-fiscal": the printable donation
// receipt of a waived expense, for its author and the coordination.
func (s *Server) handleDonationReceipt(w http.ResponseWriter, r *http.Request) {
	e, ok := s.expenseFromURL(w, r)
	if !ok {
		return
	}
	u := userFrom(r.Context())
	if e.UserID != u.ID && !u.IsCoordinator() {
		s.forbidden(w, r)
		return
	}
	if e.ReceiptNumber == "" {
		s.notFound(w, r)
		return
	}
	settings, err := s.db.BillingSettings(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	vm := pages.DonationReceiptView{Page: s.page(r, "Reçu de don"), Expense: e, Issuer: settings}
	vm.Page.Title = "Reçu " + e.ReceiptNumber // a number is not a catalog key
	s.render(w, r, http.StatusOK, pages.DonationReceipt(vm))
}

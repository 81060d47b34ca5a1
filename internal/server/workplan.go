package server

import (
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/postgres"
	"github.com/fabrique-a-communs/fabrique/web/components"
	"github.com/fabrique-a-communs/fabrique/web/pages"
)

// The coordination's work plan (issue 15): the days planned per service, the operating
// account that pays the coordination's days, and the days each coordinator logs, which
// another coordinator validates and pays.

const (
	timePerPage     = 50
	maxTimeReason   = 500
	maxTimeMaxPages = 1000
)

func (s *Server) registerWorkPlanRoutes(r chi.Router) {
	r.Group(func(r chi.Router) {
		r.Use(s.requireLogin, s.coordinatorsOnly)
		r.Get("/coordination/plan", s.handleWorkPlan)
		r.Post("/coordination/plan", s.handleWorkPlanSave)
		r.Post("/coordination/fonctionnement", s.handleOperatingFundSet)
		r.Get("/coordination/temps", s.handleCoordinationTime)
		r.Post("/coordination/temps", s.handleCoordinationTimeLog)
		r.Post("/coordination/temps/{id}/valider", s.handleCoordinationTimeDecision(fabrique.TimeValidate))
		r.Post("/coordination/temps/{id}/refuser", s.handleCoordinationTimeDecision(fabrique.TimeRefuse))
		r.Post("/coordination/temps/{id}/payer", s.handleCoordinationTimeDecision(fabrique.TimePay))
	})
}

// queryYear reads ?annee=YYYY, the current year when absent or wrong.
func queryYear(r *http.Request) int {
	if y, ok := parseFundYear(r.URL.Query().Get("annee")); ok {
		return y
	}
	return currentFundYear()
}

// handleWorkPlan handles "GET /coordination/plan?annee=YYYY".
func (s *Server) handleWorkPlan(w http.ResponseWriter, r *http.Request) {
	s.renderWorkPlan(w, r, http.StatusOK, queryYear(r), nil, nil, nil)
}

// renderWorkPlan shows the plan of year; plan or fund, when not nil, is what was typed
// in that form and refused with errs.
func (s *Server) renderWorkPlan(w http.ResponseWriter, r *http.Request, status, year int, plan map[string]string, fund *pages.FundForm, errs map[string]string) {
	report, err := s.db.WorkPlanReport(r.Context(), year)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	vm := pages.WorkPlanView{Page: s.page(r, "Plan de travail"), Year: year, Report: report, PlanForm: plan,
		FundForm: pages.FundForm{Year: strconv.Itoa(year), Amount: pages.AmountInput(report.Fund.Total)}}
	if plan == nil {
		vm.PlanForm = map[string]string{}
		for _, svc := range fabrique.WorkServices {
			vm.PlanForm[svc] = pages.PlanDaysInput(report.Plan.Quarters[svc])
		}
	} else {
		vm.PlanErrors = errs
	}
	if fund != nil {
		vm.FundForm, vm.FundErrors = *fund, errs
	}
	s.render(w, r, status, pages.WorkPlan(vm))
}

// handleWorkPlanSave handles "POST /coordination/plan": year, jours_{service}.
func (s *Server) handleWorkPlanSave(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	year, ok := parseFundYear(strings.TrimSpace(r.PostForm.Get("year")))
	if !ok {
		s.renderError(w, r, http.StatusUnprocessableEntity, "Demande invalide", "Indiquez l’année du plan, sur quatre chiffres.")
		return
	}
	typed := map[string]string{}
	plan := fabrique.WorkPlan{Year: year, Quarters: map[string]int{}}
	var v fabrique.Validation
	for _, svc := range fabrique.WorkServices {
		typed[svc] = strings.TrimSpace(r.PostForm.Get("jours_" + svc))
		q, err := fabrique.ParsePlanDays(svc, typed[svc])
		if err != nil {
			for f, msg := range fabrique.ErrorFields(err) {
				v.Add(f, msg)
			}
			continue
		}
		plan.Quarters[svc] = q
	}
	if err := v.Err(); err != nil {
		s.renderWorkPlan(w, r, http.StatusUnprocessableEntity, year, typed, nil, fabrique.ErrorFields(err))
		return
	}
	if err := s.db.SaveWorkPlan(r.Context(), userFrom(r.Context()), plan); err != nil {
		s.error(w, r, err)
		return
	}
	s.flash(r.Context(), "Le plan de travail est enregistré.")
	redirect(w, r, "/coordination/plan?annee="+strconv.Itoa(year))
}

// handleOperatingFundSet handles "POST /coordination/fonctionnement": year, amount.
func (s *Server) handleOperatingFundSet(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	form := pages.FundForm{Year: strings.TrimSpace(r.PostForm.Get("year")), Amount: strings.TrimSpace(r.PostForm.Get("amount"))}
	year, ok := parseFundYear(form.Year)
	if !ok {
		s.renderError(w, r, http.StatusUnprocessableEntity, "Demande invalide", "Indiquez l’année du budget, sur quatre chiffres.")
		return
	}
	amount, err := parseFundAmount(form.Amount)
	if err == nil {
		_, err = s.db.SetOperatingFund(r.Context(), userFrom(r.Context()), year, amount)
	}
	switch fabrique.ErrorCode(err) {
	case "":
		s.flash(r.Context(), "Le budget de fonctionnement est mis à jour.")
		redirect(w, r, "/coordination/plan?annee="+strconv.Itoa(year))
	case fabrique.EINVALID:
		errs := fabrique.ErrorFields(err)
		if len(errs) == 0 {
			errs = map[string]string{"amount": fabrique.ErrorMessage(err)}
		}
		s.renderWorkPlan(w, r, http.StatusUnprocessableEntity, year, nil, &form, errs)
	default:
		s.error(w, r, err)
	}
}

// handleCoordinationTime handles "GET /coordination/temps?annee=YYYY&page=N".
func (s *Server) handleCoordinationTime(w http.ResponseWriter, r *http.Request) {
	s.renderCoordinationTime(w, r, http.StatusOK, queryYear(r), pages.CoordinationTimeForm{Date: franceToday().Format("2006-01-02")}, nil, 0, pages.ActionForm{})
}

func (s *Server) renderCoordinationTime(w http.ResponseWriter, r *http.Request, status, year int, form pages.CoordinationTimeForm, errs map[string]string, actionID int64, action pages.ActionForm) {
	ctx := r.Context()
	page, err := strconv.Atoi(r.URL.Query().Get("page"))
	if err != nil || page < 1 {
		page = 1
	}
	page = min(page, maxTimeMaxPages)
	entries, total, err := s.db.CoordinationTimes(ctx, year, timePerPage, (page-1)*timePerPage)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	commons, err := s.db.CommonsOptions(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, status, pages.CoordinationTime(pages.CoordinationTimeView{
		Page: s.page(r, "Temps de coordination"), Year: year, Entries: entries, Commons: commons,
		Pager: components.NewPager(page, timePerPage, total, "/coordination/temps?annee="+strconv.Itoa(year)+"&"),
		Form:  form, Errors: errs, Today: franceToday().Format("2006-01-02"), ActionID: actionID, Action: action,
	}))
}

// handleCoordinationTimeLog handles "POST /coordination/temps": date, service, days,
// description, commons_slug.
func (s *Server) handleCoordinationTimeLog(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	f := r.PostForm
	form := pages.CoordinationTimeForm{Date: strings.TrimSpace(f.Get("date")), Service: strings.TrimSpace(f.Get("service")),
		Days: strings.TrimSpace(f.Get("days")), Description: cleanText(f.Get("description")), CommonsSlug: strings.TrimSpace(f.Get("commons_slug"))}
	in := fabrique.NewCoordinationTime{Service: form.Service, Description: form.Description, CommonsSlug: form.CommonsSlug}
	errs := map[string]string{}
	var msg string
	if in.WorkedOn, msg = parseWorkDay(form.Date); msg != "" {
		errs["date"] = msg
	}
	if q, err := fabrique.ParseDays(form.Days); err != nil {
		errs["days"] = fabrique.ErrorMessage(err)
	} else {
		in.Quarters = q
	}
	year := currentFundYear()
	if !in.WorkedOn.IsZero() {
		year = in.WorkedOn.Year()
	}
	if err := in.Validate(franceToday()); err != nil {
		for k, m := range fabrique.ErrorFields(err) {
			if errs[k] == "" {
				errs[k] = m
			}
		}
	}
	if len(errs) == 0 {
		_, err := s.db.LogCoordinationTime(r.Context(), userFrom(r.Context()), in)
		if fabrique.ErrorCode(err) == fabrique.EINVALID {
			errs = fabrique.ErrorFields(err)
		} else if err != nil {
			s.error(w, r, err)
			return
		}
	}
	if len(errs) > 0 {
		s.renderCoordinationTime(w, r, http.StatusUnprocessableEntity, year, form, errs, 0, pages.ActionForm{})
		return
	}
	s.flash(r.Context(), "Vos jours sont enregistrés : un·e autre coordinateur·rice les validera.")
	redirect(w, r, "/coordination/temps?annee="+strconv.Itoa(year))
}

// handleCoordinationTimeDecision handles "POST /coordination/temps/{id}/valider",
// "/refuser" (reason) and "/payer" (reference, paid_on).
func (s *Server) handleCoordinationTimeDecision(decision string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
		if err != nil || id <= 0 {
			s.notFound(w, r)
			return
		}
		if !s.parseForm(w, r) {
			return
		}
		ctx := r.Context()
		action := pages.ActionForm{Reason: cleanText(r.PostForm.Get("reason")),
			Reference: strings.Join(strings.Fields(r.PostForm.Get("reference")), " "), PaidOn: strings.TrimSpace(r.PostForm.Get("paid_on"))}
		d := postgres.TimeDecision{Decision: decision, Reason: action.Reason, Reference: action.Reference, PaidOn: franceToday()}
		var v fabrique.Validation
		switch decision {
		case fabrique.TimeRefuse:
			if n := utf8.RuneCountInString(action.Reason); n == 0 {
				v.Add("reason", "Dites pourquoi ces jours sont refusés.")
			} else if n > maxTimeReason {
				v.Add("reason", "Le motif compte au plus 500 caractères.")
			}
		case fabrique.TimePay:
			switch n := utf8.RuneCountInString(action.Reference); {
			case n == 0:
				v.Add("reference", "Indiquez la référence du virement.")
			case n > maxPaymentReference:
				v.Add("reference", "La référence ne doit pas dépasser 100 caractères.")
			}
			if action.PaidOn != "" {
				var msg string
				if d.PaidOn, msg = parseWorkDay(action.PaidOn); msg != "" {
					v.Add("paid_on", msg)
				}
			}
		}
		action.Errors = v.Fields
		var already bool
		var rec *fabrique.CoordinationTime
		if len(action.Errors) == 0 {
			rec, already, err = s.db.DecideCoordinationTime(ctx, userFrom(ctx), id, d)
			switch fabrique.ErrorCode(err) {
			case "":
			case fabrique.EINVALID:
				action.Message = fabrique.ErrorMessage(err)
			default:
				s.error(w, r, err)
				return
			}
		}
		if len(action.Errors) > 0 || action.Message != "" {
			entry, err := s.db.CoordinationTimeByID(ctx, id)
			if err != nil {
				s.error(w, r, err)
				return
			}
			s.renderCoordinationTime(w, r, http.StatusUnprocessableEntity, entry.WorkedOn.Year(), pages.CoordinationTimeForm{Date: franceToday().Format("2006-01-02")}, nil, id, action)
			return
		}
		switch {
		case already:
			s.flash(ctx, "Cette décision était déjà prise : rien n’a été enregistré deux fois.")
		case decision == fabrique.TimeValidate:
			s.flash(ctx, "Jours validés : leur montant est réservé sur le budget de fonctionnement.")
		case decision == fabrique.TimeRefuse:
			s.flash(ctx, "Jours refusés.")
		default:
			s.flash(ctx, "Paiement enregistré : l’écriture est passée au grand livre.")
		}
		redirect(w, r, "/coordination/temps?annee="+strconv.Itoa(rec.WorkedOn.Year()))
	}
}

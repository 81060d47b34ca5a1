package server

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/fabrique-a-communs/fabrique/internal/csvexport"
	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/web/pages"
)

// Billing (DESIGN §3 « Paying people as they are actually paid », issue 17): how each
// person is paid (/espace/facturation), the association's identity and VAT setting
// (/coordination/facturation), and the statements to invoice a person asks for
// (/espace/releves) and prints (/releves/{number}).

func (s *Server) registerBillingRoutes(r chi.Router) {
	r.Group(func(r chi.Router) {
		r.Use(s.requireLogin)
		r.Get("/espace/facturation", s.handleBillingProfile)
		r.Post("/espace/facturation", s.handleBillingProfileSave)
		r.Get("/espace/releves", s.handleStatements)
		r.Post("/espace/releves", s.handleStatementCreate)
		r.Get("/releves/{number}", s.handleStatementShow)
	})
	r.Group(func(r chi.Router) {
		r.Use(s.coordinatorsOnly)
		r.Get("/coordination/facturation", s.handleBillingSettings)
		r.Post("/coordination/facturation", s.handleBillingSettingsSave)
	})
}

// handleBillingProfile handles "GET /espace/facturation".
func (s *Server) handleBillingProfile(w http.ResponseWriter, r *http.Request) {
	s.renderBillingProfile(w, r, http.StatusOK, nil, nil)
}

// renderBillingProfile answers with the billing profile page; form nil: the current
// profile's values.
func (s *Server) renderBillingProfile(w http.ResponseWriter, r *http.Request, status int, form *pages.BillingProfileForm, errs map[string]string) {
	list, err := s.db.BillingProfiles(r.Context(), userFrom(r.Context()).ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	vm := pages.BillingProfileView{Page: s.page(r, "Ma facturation"), Errors: errs}
	if len(list) > 0 && list[0].Current {
		vm.Current, list = list[0], list[1:]
	}
	vm.Former = list
	if form != nil {
		vm.Form = *form
	} else {
		vm.Form = pages.BillingProfileFormOf(vm.Current)
	}
	s.render(w, r, status, pages.BillingProfileEdit(vm))
}

// handleBillingProfileSave handles "POST /espace/facturation": the viewer's billing
// profile, a new current one when it differs from the current one.
func (s *Server) handleBillingProfileSave(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	f := r.PostForm
	form := pages.BillingProfileForm{Kind: f.Get("kind"), LegalName: f.Get("legal_name"), TradeName: f.Get("trade_name"),
		SIRET: f.Get("siret"), VATNumber: f.Get("vat_number"), VATRegime: f.Get("vat_regime"), VATRate: f.Get("vat_rate")}
	p := fabrique.BillingProfile{Kind: form.Kind, LegalName: form.LegalName, TradeName: form.TradeName, SIRET: form.SIRET,
		VATNumber: form.VATNumber, VATRegime: form.VATRegime}
	p.VATRate, _ = strconv.Atoi(strings.TrimSpace(form.VATRate)) // junk: 0, refused for a liable regime
	ctx := r.Context()
	changed, err := s.db.SaveBillingProfile(ctx, userFrom(ctx).ID, p)
	switch fabrique.ErrorCode(err) {
	case "":
		if changed {
			s.flash(ctx, "Votre profil de facturation est enregistré.")
		} else {
			s.flash(ctx, "Rien n’a changé : votre profil de facturation est le même.")
		}
		redirect(w, r, "/espace/facturation")
	case fabrique.EINVALID:
		s.renderBillingProfile(w, r, http.StatusUnprocessableEntity, &form, fabrique.ErrorFields(err))
	default:
		s.error(w, r, err)
	}
}

// handleBillingSettings handles "GET /coordination/facturation".
func (s *Server) handleBillingSettings(w http.ResponseWriter, r *http.Request) {
	st, err := s.db.BillingSettings(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, pages.BillingSettingsEdit(pages.BillingSettingsView{Page: s.page(r, "Facturation"),
		Form: pages.BillingSettingsForm{LegalName: st.LegalName, Address: st.Address, SIREN: st.SIREN, VATRecoverable: st.VATRecoverable,
			DonationReceipts: st.DonationReceipts}}))
}

// handleBillingSettingsSave handles "POST /coordination/facturation".
func (s *Server) handleBillingSettingsSave(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	f := r.PostForm
	form := pages.BillingSettingsForm{LegalName: f.Get("legal_name"), Address: f.Get("address"), SIREN: f.Get("siren"),
		VATRecoverable: f.Get("tva_recuperable") != "", DonationReceipts: f.Get("recus_fiscaux") != ""}
	ctx := r.Context()
	err := s.db.SaveBillingSettings(ctx, userFrom(ctx), fabrique.BillingSettings{LegalName: form.LegalName, Address: form.Address,
		SIREN: form.SIREN, VATRecoverable: form.VATRecoverable, DonationReceipts: form.DonationReceipts})
	switch fabrique.ErrorCode(err) {
	case "":
		s.flash(ctx, "Les réglages de facturation sont enregistrés.")
		redirect(w, r, "/coordination/facturation")
	case fabrique.EINVALID:
		s.render(w, r, http.StatusUnprocessableEntity, pages.BillingSettingsEdit(pages.BillingSettingsView{Page: s.page(r, "Facturation"),
			Form: form, Errors: fabrique.ErrorFields(err)}))
	default:
		s.error(w, r, err)
	}
}

// handleStatements handles "GET /espace/releves".
func (s *Server) handleStatements(w http.ResponseWriter, r *http.Request) {
	s.renderStatements(w, r, http.StatusOK, nil)
}

// renderStatements answers with the viewer's days to bill, by défi and budget, and their
// statements; err, when a request was refused, is said above them.
func (s *Server) renderStatements(w http.ResponseWriter, r *http.Request, status int, refusal error) {
	ctx := r.Context()
	u := userFrom(ctx)
	lines, err := s.db.BillableContributions(ctx, u.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	list, err := s.db.UserStatements(ctx, u.ID, 100)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	profiles, err := s.db.BillingProfiles(ctx, u.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	vm := pages.StatementsView{Page: s.page(r, "Demander le paiement"), Statements: list,
		HasProfile: len(profiles) > 0 && profiles[0].Current}
	if refusal != nil {
		if vm.Errors = fabrique.ErrorFields(refusal); vm.Errors == nil {
			vm.Error = fabrique.ErrorMessage(refusal)
		}
	}
	for _, k := range lines {
		n := len(vm.Groups)
		if n == 0 || vm.Groups[n-1].Lines[0].ChallengeID != k.ChallengeID || vm.Groups[n-1].Lines[0].CommonsID != k.CommonsID {
			g := pages.BillableGroup{Title: k.ChallengeTitle, Slug: k.ChallengeSlug, Funds: k.CommonsName}
			vm.Groups = append(vm.Groups, g)
			n++
		}
		vm.Groups[n-1].Lines = append(vm.Groups[n-1].Lines, k)
	}
	s.render(w, r, status, pages.Statements(vm))
}

// handleStatementCreate handles "POST /espace/releves" (contribution_id, repeated): a
// statement of the viewer's validated days, then its page.
func (s *Server) handleStatementCreate(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	var ids []int64
	for _, v := range r.PostForm["contribution_id"] {
		id, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil || id <= 0 {
			s.renderStatements(w, r, http.StatusUnprocessableEntity, fabrique.StatementChoiceError())
			return
		}
		ids = append(ids, id)
	}
	ctx := r.Context()
	st, err := s.db.CreateStatement(ctx, userFrom(ctx).ID, ids, time.Now())
	switch fabrique.ErrorCode(err) {
	case "":
		s.flash(ctx, "Le relevé est émis : transmettez-le à la structure qui vous facture.")
		redirect(w, r, "/releves/"+st.Number)
	case fabrique.EINVALID:
		s.renderStatements(w, r, http.StatusUnprocessableEntity, err)
	default:
		s.error(w, r, err)
	}
}

// handleStatementShow handles "GET /releves/{number}" and "GET /releves/{number}.csv":
// the statement, for its author and the coordination only.
func (s *Server) handleStatementShow(w http.ResponseWriter, r *http.Request) {
	number, csv := strings.CutSuffix(chi.URLParam(r, "number"), ".csv")
	ctx := r.Context()
	st, err := s.db.StatementByNumber(ctx, number)
	if err != nil {
		s.error(w, r, err)
		return
	}
	u := userFrom(ctx)
	if st.UserID != u.ID && !u.IsCoordinator() {
		s.forbidden(w, r)
		return
	}
	if csv {
		var buf bytes.Buffer
		cw := csvexport.NewWriter(&buf, csvexport.Format{CRLF: true})
		cw.Header("Relevé", "Date", "Activité", "Description", "Jours", "Prix du jour HT (€)", "Montant HT (€)")
		for _, k := range st.Lines {
			cw.Row(csvexport.Text(st.Number), csvexport.Date(k.WorkedOn), csvexport.Text(pages.ActivityText(k.Activity)),
				csvexport.Text(k.Description), csvexport.Decimal(int64(k.Quarters)*25, 2), csvexport.Amount(k.DayRate), csvexport.Amount(k.Amount))
		}
		cw.Row(csvexport.Text(st.Number), csvexport.Text(""), csvexport.Text("Total HT"), csvexport.Text(""),
			csvexport.Decimal(int64(st.Quarters)*25, 2), csvexport.Text(""), csvexport.Amount(st.TotalHT))
		s.sendCSV(w, r, &buf, cw, "releve-"+st.Number+".csv", true)
		return
	}
	s.renderStatement(w, r, http.StatusOK, st, nil, nil)
}

// renderStatement answers with the statement's page: its invoice, or for its author the
// form filing it (form nil: empty, the statement's total as HT).
func (s *Server) renderStatement(w http.ResponseWriter, r *http.Request, status int, st *fabrique.Statement, form *fabrique.InvoiceForm, errs map[string]string) {
	u := userFrom(r.Context())
	inv, err := s.db.StatementInvoice(r.Context(), st.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	vm := pages.StatementView{Page: s.page(r, "Relevé à facturer"), Statement: st, Mine: st.UserID == u.ID, Invoice: inv, Errors: errs}
	vm.Page.Title = "Relevé " + st.Number // a number is not a catalog key
	vm.CanFile = vm.Mine && (inv == nil || inv.State == fabrique.InvoiceToFix)
	if form != nil {
		vm.Form = *form
	} else {
		vm.Form = fabrique.InvoiceForm{HT: pages.AmountInput(st.TotalHT)}
	}
	s.render(w, r, status, pages.StatementPage(vm))
}

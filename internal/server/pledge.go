package server

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"

	"github.com/fabrique-a-communs/fabrique/internal/csvexport"
	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/postgres"
	"github.com/fabrique-a-communs/fabrique/web/components"
	"github.com/fabrique-a-communs/fabrique/web/pages"
)

// Funders and their pledges (promesses): any account pledges to a step, giving its
// funder profile with the first pledge; a coordinator confirms the funds were received
// (which posts the ledger movement) or cancels; the funder changes or withdraws their
// promise until then.

func (s *Server) registerPledgeRoutes(r chi.Router) {
	// A step's pledge page is public: a visitor sees what a pledge would bring before
	// being asked to log in.
	r.Get("/etapes/{id}/promesses/nouvelle", s.handlePledgeNew)
	r.Group(func(r chi.Router) {
		r.Use(s.requireLogin)
		r.Get("/espace/financeur", s.handleFunderShow)
		r.Post("/espace/financeur", s.handleFunderSave)
		r.Get("/espace/promesses", s.handleEspacePledges)
		r.Post("/etapes/{id}/promesses", s.handlePledgeCreate)
		r.Get("/promesses/{id}", s.handlePledgeShow)
		r.Post("/promesses/{id}/modifier", s.handlePledgeUpdate)
		r.Post("/promesses/{id}/annuler", s.handlePledgeCancel)
		r.Post("/promesses/{id}/confirmer", s.handlePledgeConfirm)
		r.With(s.coordinatorsOnly).Get("/coordination/promesses", s.handleCoordinationPledges)
		r.With(s.coordinatorsOnly).Get("/cofinancement/{slug}/promesses.csv", s.handlePledgeCSV)
	})
}

const (
	pledgesOnCall         = 500 // on a call's page, for the coordination; the CSV has them all
	pledgesInEspace       = 10  // in /espace, which links to the full list
	pledgesWaitingOnQueue = 20  // in /coordination, which links to the full list
	pledgesPerPage        = 30
)

// newIdempotencyKey returns a fresh random key for a pledge form: a form sent twice
// carries the same key and records one pledge.
func newIdempotencyKey() string {
	b := make([]byte, 18)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go ≥ 1.24)
	return base64.RawURLEncoding.EncodeToString(b)
}

// parsePledgeForm reads a pledge form. With profile, the account has no funder profile
// yet and the form gives it.
func parsePledgeForm(form url.Values, funder *fabrique.Funder) (pages.PledgeForm, fabrique.NewPledge, map[string]string) {
	var v fabrique.Validation
	f := pages.PledgeForm{
		Amount:    strings.TrimSpace(form.Get("amount")),
		Kind:      strings.TrimSpace(form.Get("funder_kind")),
		Anonymous: form.Get("anonymous") != "",
		Message:   cleanText(form.Get("message")),
		Key:       strings.TrimSpace(form.Get("idempotency_key")),
	}
	in := fabrique.NewPledge{Kind: f.Kind, Anonymous: f.Anonymous, Message: f.Message, IdempotencyKey: f.Key}
	if a, err := fabrique.ParseAmount(f.Amount); err != nil {
		v.Add("amount", fabrique.ErrorMessage(err))
	} else {
		in.Amount = a
	}
	if funder == nil {
		pf, profile := parseFunderFields(form, "funder_kind", &v)
		f.Organisation, f.PlaceID = pf.Organisation, pf.PlaceID
		in.Profile = &profile
	} else if !fabrique.ValidFunderKind(f.Kind) {
		v.Add("funder_kind", "Choisissez un type de financeur de la liste.")
	} else if f.Kind != funder.Kind {
		v.Add("funder_kind", fabrique.MsgPledgeKindMismatch)
	}
	if utf8.RuneCountInString(f.Message) > fabrique.MaxPledgeMessageLen {
		v.Add("message", "Le message ne doit pas dépasser 1 000 caractères.")
	}
	if n := utf8.RuneCountInString(f.Key); n < fabrique.MinIdempotencyKeyLen || n > fabrique.MaxIdempotencyKeyLen {
		v.Add("idempotency_key", "Ce formulaire a expiré : vérifiez les champs et envoyez-le à nouveau.")
		f.Key = newIdempotencyKey() // the form shown again carries a valid one
	}
	return f, in, v.Fields
}

// parsePledgeChange reads the change of a promise.
func parsePledgeChange(form url.Values) (pages.PledgeChangeForm, fabrique.PledgeChange) {
	var v fabrique.Validation
	f := pages.PledgeChangeForm{
		Amount:    strings.TrimSpace(form.Get("amount")),
		Anonymous: form.Get("anonymous") != "",
		Message:   cleanText(form.Get("message")),
	}
	ch := fabrique.PledgeChange{Anonymous: f.Anonymous, Message: f.Message}
	if a, err := fabrique.ParseAmount(f.Amount); err != nil {
		v.Add("amount", fabrique.ErrorMessage(err))
	} else {
		ch.Amount = a
	}
	if utf8.RuneCountInString(f.Message) > fabrique.MaxPledgeMessageLen {
		v.Add("message", "Le message ne doit pas dépasser 1 000 caractères.")
	}
	f.Errors = v.Fields
	return f, ch
}

// pledgeItem is rec as u may see it, with the actions u may take. An anonymous funder's
// name, the person behind an organisation and a tiers-lieu pledge's place reach only those
// who may read the pledge in full (fabrique.MayReadPledge); the e-mail, the coordination.
func pledgeItem(u *fabrique.User, rec *fabrique.PledgeRecord, now time.Time) pages.PledgeItem {
	mine := u != nil && u.ID == rec.UserID
	promise := rec.State == fabrique.PledgePromise
	it := pages.PledgeItem{
		PledgeRecord: rec,
		Signature:    rec.FunderName,
		AgeDays:      int(now.Sub(rec.CreatedAt).Hours() / 24),
		Mine:         mine,
		CanModify:    mine && promise,
		CanWithdraw:  mine && promise,
		CanConfirm:   u.IsCoordinator() && !mine && promise,
		CanCancel:    u.IsCoordinator() && !mine && promise,
		ShowPayment:  mine && promise,
	}
	if fabrique.MayReadPledge(u, rec.UserID) {
		it.Signature = rec.PublicName()
		if rec.Organisation != "" {
			it.FunderPerson = rec.UserName
		}
		it.ShowPlace = rec.FunderKind == fabrique.FunderKindPlace
	}
	if u.IsCoordinator() {
		it.FunderEmail = rec.Email
	}
	return it
}

func pledgeItems(u *fabrique.User, list []*fabrique.PledgeRecord) []pages.PledgeItem {
	now := time.Now()
	items := make([]pages.PledgeItem, len(list))
	for i, rec := range list {
		items[i] = pledgeItem(u, rec, now)
	}
	return items
}

// callViewer is what a call's page reads for u (nil: a visitor) in its batch: the
// pledges u may see — every one for the coordination, their own for a funder. The pledge
// form is on each step's own page, not on the call's.
func callViewer(u *fabrique.User) postgres.CallViewer {
	if u == nil {
		return postgres.CallViewer{}
	}
	return postgres.CallViewer{UserID: u.ID, AllPledges: u.IsCoordinator(), PledgesLimit: pledgesOnCall}
}

// callPledgesView builds the pledges part of a call's page for u from cp, read as
// callViewer(u) asks.
func callPledgesView(u *fabrique.User, call *fabrique.Call, open bool, cp *postgres.CallPage) pages.CallPledgesView {
	vm := pages.CallPledgesView{Call: call, Steps: cp.Steps, Open: open,
		ReturnTo: "/cofinancement/" + call.Slug, LoginURL: "/connexion?suivant=" + url.QueryEscape("/cofinancement/"+call.Slug)}
	if u == nil {
		return vm
	}
	vm.LoggedIn, vm.IsCoordinator = true, u.IsCoordinator()
	vm.Pledges, vm.Truncated = pledgeItems(u, cp.Pledges), len(cp.Pledges) == pledgesOnCall
	return vm
}

// userPledgesView reads u's funder profile, limit of their pledges from offset and the
// money of the steps they back, in at most four queries.
func (s *Server) userPledgesView(r *http.Request, u *fabrique.User, limit, offset int) (pages.EspacePledgesView, error) {
	ctx := r.Context()
	vm := pages.EspacePledgesView{UserID: u.ID, ReturnTo: "/espace"}
	var err error
	if vm.Funder, err = s.funderOf(r, u); err != nil {
		return vm, err
	}
	list, total, err := s.db.UserPledges(ctx, u.ID, limit, offset)
	if err != nil {
		return vm, err
	}
	var figures map[int64]fabrique.StepFigures
	if len(list) > 0 {
		ids := make([]int64, 0, len(list))
		for _, rec := range list {
			ids = append(ids, rec.StepID)
		}
		if figures, err = s.db.StepFigures(ctx, ids); err != nil {
			return vm, err
		}
	}
	setUserPledges(&vm, u, list, total, figures)
	return vm, nil
}

// setUserPledges puts in vm u's pledges (total in all) and the steps they back, each
// once with its figures.
func setUserPledges(vm *pages.EspacePledgesView, u *fabrique.User, list []*fabrique.PledgeRecord, total int, figures map[int64]fabrique.StepFigures) {
	vm.Pledges, vm.Total = pledgeItems(u, list), total
	seen := map[int64]bool{}
	for _, rec := range list {
		if seen[rec.StepID] {
			continue
		}
		seen[rec.StepID] = true
		f, ok := figures[rec.StepID]
		if !ok {
			continue
		}
		vm.Steps = append(vm.Steps, pages.FundedStep{ID: rec.StepID, Title: rec.StepTitle,
			CommonsSlug: rec.CommonsSlug, CommonsName: rec.CommonsName, Figures: f})
	}
}

// coordinationPledgesView gathers the promises waiting for the coordination.
func (s *Server) coordinationPledgesView(r *http.Request) (pages.CoordinationPledgesView, error) {
	return s.waitingPledgesView(r, pledgesWaitingOnQueue, 0)
}

// waitingPledgesView reads limit of the promises waiting from offset, in two queries at most.
func (s *Server) waitingPledgesView(r *http.Request, limit, offset int) (pages.CoordinationPledgesView, error) {
	vm := pages.CoordinationPledgesView{ReturnTo: "/coordination"}
	key := "pledges:waiting:" + strconv.Itoa(limit) + ":" + strconv.Itoa(offset)
	list, total, err := cached2UntilChange(r.Context(), s.data, key, func(ctx context.Context) ([]*fabrique.PledgeRecord, int, error) {
		return s.db.WaitingPledges(ctx, limit, offset)
	})
	if err != nil {
		return vm, err
	}
	vm.Pledges, vm.Total = pledgeItems(userFrom(r.Context()), list), total
	return vm, nil
}

// stepFromURL returns the step of the path's {id} with the call a pledge would join, or
// answers 404 and false.
func (s *Server) stepFromURL(w http.ResponseWriter, r *http.Request) (*fabrique.PledgeStep, bool) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return nil, false
	}
	st, err := s.db.PledgeStepByID(r.Context(), id, franceToday())
	if err != nil {
		s.error(w, r, err)
		return nil, false
	}
	return st, true
}

// handlePledgeNew handles "GET /etapes/{id}/promesses/nouvelle": a step's pledge form
// on a page of its own (the call's page holds the same form).
func (s *Server) handlePledgeNew(w http.ResponseWriter, r *http.Request) {
	st, ok := s.stepFromURL(w, r)
	if !ok {
		return
	}
	u := userFrom(r.Context())
	if u == nil {
		// The step, its figures and the rule; the login, which comes back here, in
		// place of the form.
		s.renderPledgeNew(w, r, http.StatusOK, st, pages.PledgeFormView{
			LoginURL: "/connexion?suivant=" + url.QueryEscape(r.URL.Path)})
		return
	}
	f, places, err := s.funderSetup(r, u)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	form := pages.PledgeForm{Key: newIdempotencyKey()}
	if f != nil {
		form.Kind = f.Kind
	}
	s.renderPledgeNew(w, r, http.StatusOK, st, pages.PledgeFormView{Form: form, Funder: f, Places: places})
}

func (s *Server) renderPledgeNew(w http.ResponseWriter, r *http.Request, status int, st *fabrique.PledgeStep, fv pages.PledgeFormView) {
	fv.StepID = st.ID
	ctx := r.Context()
	figures, err := s.db.StepFigures(ctx, []int64{st.ID})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	vm := pages.PledgeNewView{Page: s.page(r, "Promettre un cofinancement"), Step: st, Figures: figures[st.ID], Form: fv}
	if st.CallSlug != "" {
		c, err := s.db.CallBySlug(ctx, st.CallSlug)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		vm.Rule = &c.Rule
	}
	s.render(w, r, status, pages.PledgeNew(vm))
}

// pledgeHome is the page a pledge is shown on: its call's, or its commun's.
func pledgeHome(rec *fabrique.PledgeRecord) string {
	if rec.CallSlug != "" {
		return "/cofinancement/" + rec.CallSlug
	}
	return "/communs/" + rec.CommonsSlug
}

// handlePledgeCreate handles "POST /etapes/{id}/promesses" (amount, funder_kind,
// anonymous, message, idempotency_key; organisation and place_id with the first pledge).
// The pledge joins the call open today that the step takes part in; a step in no open
// call (in none, or only in calls upcoming or over) still receives pledges, which no
// matching counts. The same form sent twice records one pledge and answers the same.
func (s *Server) handlePledgeCreate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	u := userFrom(ctx)
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	// The funder profile the form is read with came with the session (formFactsOf); the
	// step is read only for a page that shows it (the form refused): CreatePledge checks
	// both in its transaction, a step that does not exist answered 404 as before. Else
	// the step, as stepFromURL reads it, and the profile, in one round trip.
	var st *fabrique.PledgeStep
	var funder *fabrique.Funder
	var err error
	if own := u.Own; own != nil && own.FunderKnown {
		funder = own.Funder
	} else if st, funder, err = s.db.PledgeSetup(ctx, id, u.ID, franceToday()); err != nil {
		s.error(w, r, err)
		return
	}
	if !s.parseForm(w, r) {
		return
	}
	var places []fabrique.Place // the tiers-lieux a first profile may name
	if funder == nil {
		if places, err = s.db.FunderPlaces(ctx, u.ID); err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	form, in, errs := parsePledgeForm(r.PostForm, funder)
	invalid := func(errs map[string]string, msg string) {
		if st == nil {
			var err error
			if st, err = s.db.PledgeStepByID(ctx, id, franceToday()); err != nil {
				s.error(w, r, err)
				return
			}
		}
		s.renderPledgeNew(w, r, http.StatusUnprocessableEntity, st, pages.PledgeFormView{
			Form: form, Errors: errs, Message: msg, Funder: funder, Places: places})
	}
	if len(errs) > 0 {
		invalid(errs, "")
		return
	}
	in.StepID, in.UserID, in.Today = id, u.ID, franceToday()
	rec, created, err := s.db.CreatePledge(ctx, in)
	switch fabrique.ErrorCode(err) {
	case "":
	case fabrique.EINVALID:
		invalid(fabrique.ErrorFields(err), fabrique.ErrorMessage(err))
		return
	default:
		s.error(w, r, err)
		return
	}
	if created {
		s.flash(ctx, "Merci ! Votre promesse est enregistrée : voici comment verser les fonds. La coordination la confirmera à leur réception.")
	} else {
		s.flash(ctx, "Cette promesse était déjà enregistrée : elle n’a pas été comptée deux fois.")
	}
	// Its own page says how to pay it: the confirmation a funder needs.
	redirect(w, r, "/promesses/"+strconv.FormatInt(rec.ID, 10))
}

// pledgeFromURL returns the pledge of the path's {id}, or answers 404 and false.
func (s *Server) pledgeFromURL(w http.ResponseWriter, r *http.Request) (*fabrique.PledgeRecord, bool) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return nil, false
	}
	rec, err := s.db.PledgeByID(r.Context(), id)
	if err != nil {
		s.error(w, r, err)
		return nil, false
	}
	return rec, true
}

// pledgeReturn is where an action on rec goes back to: the page its form was on, or the
// pledge's page.
func pledgeReturn(r *http.Request, rec *fabrique.PledgeRecord) string {
	return localPath(r.PostForm.Get("suivant"), "/promesses/"+strconv.FormatInt(rec.ID, 10))
}

// handlePledgeShow handles "GET /promesses/{id}": a pledge with the forms of the
// actions the viewer may take, for its funder and the coordination.
func (s *Server) handlePledgeShow(w http.ResponseWriter, r *http.Request) {
	rec, ok := s.pledgeFromURL(w, r)
	if !ok {
		return
	}
	if !fabrique.MayReadPledge(userFrom(r.Context()), rec.UserID) {
		s.forbidden(w, r)
		return
	}
	s.renderPledge(w, r, http.StatusOK, rec, pages.PledgeChangeForm{})
}

func (s *Server) renderPledge(w http.ResponseWriter, r *http.Request, status int, rec *fabrique.PledgeRecord, form pages.PledgeChangeForm) {
	item := pledgeItem(userFrom(r.Context()), rec, time.Now())
	if form.Amount == "" && form.Errors == nil {
		form = pages.PledgeChangeForm{Amount: pages.AmountInput(rec.Amount), Anonymous: rec.Anonymous, Message: rec.Message}
	}
	s.render(w, r, status, pages.PledgeShow(pages.PledgeShowView{Page: s.page(r, "Promesse de cofinancement"),
		Item: item, Form: form, Home: pledgeHome(rec)}))
}

// handlePledgeUpdate handles "POST /promesses/{id}/modifier" (amount, anonymous,
// message): the funder changes their promise.
func (s *Server) handlePledgeUpdate(w http.ResponseWriter, r *http.Request) {
	rec, ok := s.pledgeFromURL(w, r)
	if !ok || !s.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	u := userFrom(ctx)
	if rec.UserID != u.ID { // rights before fields: a stranger learns nothing from errors
		s.forbidden(w, r)
		return
	}
	form, ch := parsePledgeChange(r.PostForm)
	if len(form.Errors) > 0 {
		s.renderPledge(w, r, http.StatusUnprocessableEntity, rec, form)
		return
	}
	if _, err := s.db.UpdatePledge(ctx, rec.ID, u, ch); err != nil {
		s.error(w, r, err) // 409 once decided
		return
	}
	s.flash(ctx, "Votre promesse est modifiée.")
	redirect(w, r, pledgeReturn(r, rec))
}

// handlePledgeCancel handles "POST /promesses/{id}/annuler": the funder withdraws their
// promise, or a coordinator cancels it. Cancelling again is answered like the first
// time; a pledge confirmed or expired meanwhile answers 409.
func (s *Server) handlePledgeCancel(w http.ResponseWriter, r *http.Request) {
	rec, ok := s.pledgeFromURL(w, r)
	if !ok || !s.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	u := userFrom(ctx)
	if !fabrique.MayReadPledge(u, rec.UserID) {
		s.forbidden(w, r)
		return
	}
	_, already, err := s.db.CancelPledge(ctx, rec.ID, u)
	if err != nil {
		s.error(w, r, err)
		return
	}
	switch {
	case already:
		s.flash(ctx, "Cette promesse était déjà annulée.")
	case rec.UserID == u.ID:
		s.flash(ctx, "Votre promesse est retirée.")
	default:
		s.flash(ctx, "Promesse annulée : son financeur le voit dans son espace.")
	}
	redirect(w, r, pledgeReturn(r, rec))
}

// handlePledgeConfirm handles "POST /promesses/{id}/confirmer" (expected_amount, in
// cents, optional): a coordinator records that the funds were received, which posts the
// ledger movement. Confirming again moves nothing and says so; a pledge withdrawn,
// cancelled or changed meanwhile answers 409.
func (s *Server) handlePledgeConfirm(w http.ResponseWriter, r *http.Request) {
	rec, ok := s.pledgeFromURL(w, r)
	if !ok || !s.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	u := userFrom(ctx)
	if !u.IsCoordinator() {
		s.forbidden(w, r)
		return
	}
	var expected int64
	if v := strings.TrimSpace(r.PostForm.Get("expected_amount")); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			s.renderError(w, r, http.StatusUnprocessableEntity, "Demande invalide", "Le montant attendu est illisible : rechargez la page.")
			return
		}
		expected = n
	}
	_, already, err := s.db.ConfirmPledge(ctx, rec.ID, u, expected)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if already {
		s.flash(ctx, "Cette promesse était déjà confirmée : rien n’a été enregistré deux fois.")
	} else {
		s.flash(ctx, "Fonds reçus : la promesse est confirmée et l’écriture est passée au grand livre.")
	}
	redirect(w, r, pledgeReturn(r, rec))
}

// handleEspacePledges handles "GET /espace/promesses": all the viewer's pledges, paginated.
func (s *Server) handleEspacePledges(w http.ResponseWriter, r *http.Request) {
	page := pageNumber(r.URL.Query())
	vm, err := s.userPledgesView(r, userFrom(r.Context()), pledgesPerPage, (page-1)*pledgesPerPage)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	vm.ReturnTo = "/espace/promesses?page=" + strconv.Itoa(page)
	vm.Pager = ptr(components.NewPager(page, pledgesPerPage, vm.Total, "/espace/promesses?"))
	s.render(w, r, http.StatusOK, pages.EspacePledges(pages.EspacePledgesPageView{
		Page: s.page(r, "Mes promesses"), Section: vm}))
}

// handleCoordinationPledges handles "GET /coordination/promesses": every promise waiting
// for its funds, the oldest first, paginated.
func (s *Server) handleCoordinationPledges(w http.ResponseWriter, r *http.Request) {
	page := pageNumber(r.URL.Query())
	vm, err := s.waitingPledgesView(r, pledgesPerPage, (page-1)*pledgesPerPage)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	vm.ReturnTo = "/coordination/promesses?page=" + strconv.Itoa(page)
	vm.Pager = ptr(components.NewPager(page, pledgesPerPage, vm.Total, "/coordination/promesses?"))
	s.render(w, r, http.StatusOK, pages.CoordinationPledges(pages.CoordinationPledgesPageView{
		Page: s.page(r, "Promesses à confirmer"), Section: vm}))
}

// handlePledgeCSV handles "GET /cofinancement/{slug}/promesses.csv": every pledge of a
// call for the coordination — anonymous funders named, it is for them — as French
// spreadsheets read it: UTF-8 with a byte order mark, ";" between fields, decimal commas,
// dates as DD/MM/YYYY, and no cell a spreadsheet would take for a formula.
func (s *Server) handlePledgeCSV(w http.ResponseWriter, r *http.Request) {
	slug := chi.URLParam(r, "slug")
	list, err := s.db.CallPledgesBySlug(r.Context(), slug)
	if err != nil {
		s.error(w, r, err)
		return
	}
	var buf bytes.Buffer
	cw := csvexport.NewWriter(&buf, csvexport.Format{CRLF: true})
	cw.Header("Promesse", "Financeur", "Organisation", "E-mail", "Type", "Anonyme", "Montant (€)",
		"Statut", "Créée le", "Décidée le", "Étape", "Commun", "Message")
	day := func(t time.Time) csvexport.Cell {
		if t.IsZero() {
			return csvexport.Date(t)
		}
		return csvexport.Date(t.In(paris))
	}
	for _, rec := range list {
		anonymous := "non"
		if rec.Anonymous {
			anonymous = "oui"
		}
		cw.Row(csvexport.Int(rec.ID), csvexport.Text(rec.UserName), csvexport.Text(rec.Organisation),
			csvexport.Text(rec.Email), csvexport.Text(pages.FunderKindLabel(rec.FunderKind)), csvexport.Text(anonymous),
			csvexport.Amount(rec.Amount), csvexport.Text(pages.PledgeStateText(rec.State)), day(rec.CreatedAt), day(rec.DecidedAt),
			csvexport.Text(rec.StepTitle), csvexport.Text(rec.CommonsName), csvexport.Text(rec.Message))
	}
	s.sendCSV(w, r, &buf, cw, "promesses-"+slug+".csv", true)
}

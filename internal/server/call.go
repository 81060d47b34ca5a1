package server

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/i18n"
	"github.com/fabrique-a-communs/fabrique/internal/markdown"
	"github.com/fabrique-a-communs/fabrique/internal/postgres"
	"github.com/fabrique-a-communs/fabrique/web/components"
	"github.com/fabrique-a-communs/fabrique/web/pages"
)

func (s *Server) registerCallRoutes(r chi.Router) {
	r.Get("/cofinancement", s.handleCallIndex)
	r.With(s.coordinatorsOnly).Get("/cofinancement/nouveau", s.handleCallNew)
	r.With(s.coordinatorsOnly).Post("/cofinancement", s.handleCallCreate)
	r.Get("/cofinancement/{slug}", s.handleCallShow)
	r.Get("/cofinancement/{slug}/etapes/{id}/financeurs", s.handleCallStepFunders)
	r.With(s.coordinatorsOnly).Post("/cofinancement/{slug}/etapes", s.handleCallStepAdd)
	r.With(s.coordinatorsOnly).Post("/cofinancement/{slug}/cloture", s.handleCallClose)
	r.With(s.coordinatorsOnly).Post("/cofinancement/{slug}/paiement", s.handleCallPayment)
}

// handleCallIndex handles "GET /cofinancement": the calls by phase, each with its rule
// and totals, in two queries.
func (s *Server) handleCallIndex(w http.ResponseWriter, r *http.Request) {
	calls, err := s.db.Calls(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	vm := pages.CallIndexView{Page: s.page(r, "Appels à cofinancement"), CanCreate: userFrom(r.Context()).IsCoordinator()}
	today := franceToday()
	for i := range calls {
		c := &calls[i]
		card := pages.CallCard{CallSummary: c, Phase: c.Phase(today), Today: today}
		switch card.Phase {
		case fabrique.CallOpen:
			vm.Open = append(vm.Open, card)
		case fabrique.CallUpcoming:
			vm.Upcoming = append(vm.Upcoming, card)
		case fabrique.CallOver:
			vm.Over = append(vm.Over, card)
		default:
			vm.Closed = append(vm.Closed, card)
		}
	}
	s.render(w, r, http.StatusOK, pages.CallIndex(vm))
}

// handleCallNew handles "GET /cofinancement/nouveau".
func (s *Server) handleCallNew(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, pages.CallNew(pages.CallNewView{Page: s.page(r, "Lancer un appel à cofinancement"),
		Form: pages.CallForm{Multiplier: "1", Kinds: []string{"tiers-lieu"}}}))
}

// handleCallCreate handles "POST /cofinancement": a coordinator launches a call; its
// matching pool is funded at once.
func (s *Server) handleCallCreate(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	form, nc, v := parseCallForm(r.PostForm)
	invalid := func(fields map[string]string) {
		s.render(w, r, http.StatusUnprocessableEntity, pages.CallNew(pages.CallNewView{
			Page: s.page(r, "Lancer un appel à cofinancement"), Form: form, Errors: fields}))
	}
	nc.Normalize()
	if err := nc.Validate(); err != nil {
		for f, msg := range fabrique.ErrorFields(err) {
			v.Add(f, msg) // a parsing message, added first, stays
		}
	}
	if err := v.Err(); err != nil {
		invalid(fabrique.ErrorFields(err))
		return
	}
	c, err := s.db.CreateCall(r.Context(), userFrom(r.Context()), nc)
	switch fabrique.ErrorCode(err) {
	case "":
		s.flash(r.Context(), "L’appel à cofinancement est lancé. Ajoutez-y maintenant les étapes des communs.")
		redirect(w, r, "/cofinancement/"+c.Slug)
	case fabrique.EINVALID:
		invalid(fabrique.ErrorFields(err))
	default:
		s.error(w, r, err)
	}
}

// parseCallForm reads the call form; what cannot be read is reported by field, the rest
// is left to NewCall.Validate.
func parseCallForm(form url.Values) (pages.CallForm, fabrique.NewCall, *fabrique.Validation) {
	f := pages.CallForm{
		Title:       strings.TrimSpace(form.Get("title")),
		Description: form.Get("description"),
		StartsOn:    strings.TrimSpace(form.Get("starts_on")),
		EndsOn:      strings.TrimSpace(form.Get("ends_on")),
		Pool:        strings.TrimSpace(form.Get("pool")),
		Multiplier:  strings.TrimSpace(form.Get("match_multiplier")),
		Kinds:       form["match_kinds"],
		Cap:         strings.TrimSpace(form.Get("match_cap")),
		Payment:     parsePayment(form),
	}
	nc := fabrique.NewCall{Title: f.Title, Description: f.Description, Payment: f.Payment}
	v := &fabrique.Validation{}
	var msg string
	if nc.StartsOn, msg = parseCallDate(f.StartsOn); msg != "" {
		v.Add("starts_on", msg)
	}
	if nc.EndsOn, msg = parseCallDate(f.EndsOn); msg != "" {
		v.Add("ends_on", msg)
	}
	var err error
	if nc.Rule.Pool, err = parseOptionalAmount(f.Pool); err != nil {
		v.Add("pool", fabrique.ErrorMessage(err))
	}
	if nc.Rule.Percent, msg = parseMultiplier(f.Multiplier); msg != "" {
		v.Add("match_multiplier", msg)
	}
	if nc.Rule.Cap, err = parseOptionalAmount(f.Cap); err != nil {
		v.Add("match_cap", fabrique.ErrorMessage(err))
	}
	for _, k := range f.Kinds {
		if k = strings.TrimSpace(k); k != "" {
			nc.Rule.Kinds = append(nc.Rule.Kinds, k)
		}
	}
	return f, nc, v
}

// parsePayment reads the payment instructions of the call form, as typed.
func parsePayment(form url.Values) fabrique.PaymentInstructions {
	return fabrique.PaymentInstructions{Payee: form.Get("payee"), IBAN: form.Get("iban"), ReferencePrefix: form.Get("reference_prefix")}
}

// parseCallDate reads a YYYY-MM-DD date; the message says what is wrong, or is "".
func parseCallDate(s string) (time.Time, string) {
	if s == "" {
		return time.Time{}, "Indiquez une date."
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, "Indiquez une date au format AAAA-MM-JJ, par exemple 2026-03-14."
	}
	return d, ""
}

// parseOptionalAmount reads an amount that may be left empty or zero (0 cents).
func parseOptionalAmount(s string) (int64, error) {
	t := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "€"))
	if t == "" || (strings.Trim(t, "0,. ") == "" && strings.Contains(t, "0")) {
		return 0, nil
	}
	return fabrique.ParseAmount(s)
}

// parseMultiplier reads the matching multiplier — "1", "2", "0,5", "1.5", at most two
// decimals, from 0 to 10 — as a percentage: what one matched euro brings, in cents.
// Empty is 0: no matching.
func parseMultiplier(s string) (int, string) {
	const unreadable = "Indiquez le multiplicateur par un nombre : 1 ; 2 ; 0,5 ; 1,5."
	if s == "" {
		return 0, ""
	}
	whole, frac, _ := strings.Cut(strings.ReplaceAll(s, ",", "."), ".")
	digits := func(d string, maxLen int) bool {
		return len(d) <= maxLen && strings.Trim(d, "0123456789") == ""
	}
	if whole == "" && frac == "" || !digits(whole, 3) || !digits(frac, 2) || strings.HasSuffix(s, ".") || strings.HasSuffix(s, ",") {
		return 0, unreadable
	}
	n := 0
	for _, c := range whole {
		n = n*10 + int(c-'0')
	}
	n *= 100
	if len(frac) == 1 {
		frac += "0"
	}
	for i, c := range frac {
		n += int(c-'0') * [2]int{10, 1}[i]
	}
	if n > fabrique.MaxMatchPercent {
		return 0, "Le multiplicateur va de 0 (pas d’abondement) à 10."
	}
	return n, ""
}

// callPage is the layout's page of a call's page for r.
func (s *Server) callPage(r *http.Request, c *fabrique.Call) components.Page {
	p := s.page(r, "")
	p.Title = c.Title // a title people wrote is not a catalog key
	return p
}

// callFromURL returns the call named by the path's {slug}, or answers 404 and false.
func (s *Server) callFromURL(w http.ResponseWriter, r *http.Request) (*fabrique.Call, bool) {
	c, err := s.db.CallBySlug(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		s.error(w, r, err)
		return nil, false
	}
	return c, true
}

// handleCallShow handles "GET /cofinancement/{slug}".
func (s *Server) handleCallShow(w http.ResponseWriter, r *http.Request) {
	slug := chi.URLParam(r, "slug")
	c, err := cached(r.Context(), s.data, "call-slug:"+slug, func(ctx context.Context) (*fabrique.Call, error) {
		return s.db.CallBySlug(ctx, slug)
	})
	if err != nil {
		s.error(w, r, err)
		return
	}
	// The call as everyone of the viewer's class sees it kept rendered; the pledges
	// section (the viewer's pledges, funder profile and tiers-lieux) rendered for each.
	s.renderShared(w, r, http.StatusOK, "call:"+strconv.FormatInt(c.ID, 10), c.Title, func(ctx context.Context, p components.Page) (templ.Component, error) {
		vm, err := s.callShowView(ctx, r.Method, p, c)
		return pages.CallShow(vm), err
	}, func() (map[string]templ.Component, error) {
		u := userFrom(r.Context())
		cp, err := s.callPageFor(r.Context(), r.Method, c, u, false)
		if err != nil {
			return nil, err
		}
		pledges := callPledgesView(u, c, c.Phase(franceToday()) == fabrique.CallOpen, cp)
		return map[string]templ.Component{"pledges": pages.CallPledgesSection(pledges)}, nil
	})
}

// callShowView gathers a call's page in a fixed number of queries, whatever the number
// of its steps and pledges, and in two round trips: the call (read before), then one
// batch of its steps, their figures (two), the call's matching, its pool's balance, the
// funders, the steps that may join (for coordinators, while it is open), and for a
// logged-in viewer what the pledges section shows them — their funder profile and
// tiers-lieux (while it is open) and their pledges, or all of them for the coordination.
// The matching is recomputed from the pledges at every read.
func (s *Server) callShowView(ctx context.Context, method string, page components.Page, c *fabrique.Call) (pages.CallShowView, error) {
	u := userFrom(ctx)
	canManage := u.IsCoordinator()
	phase := c.Phase(franceToday())
	choices := canManage && c.ClosedAt.IsZero()
	cp, err := s.callPageFor(ctx, method, c, u, choices)
	if err != nil {
		return pages.CallShowView{}, err
	}
	vm := pages.CallShowView{
		Page:            page,
		Call:            c,
		Phase:           phase,
		DescriptionHTML: markdown.Render(c.Description),
		Matching:        cp.Matching,
		PoolBalance:     cp.PoolBalance,
		CanManage:       canManage,
		Choices:         cp.Choices,
		Pledges:         callPledgesView(u, c, phase == fabrique.CallOpen, cp),
	}
	if canManage {
		vm.Payment = c.Payment
		vm.Payment.IBAN = c.Payment.GroupedIBAN()
	}
	for _, st := range cp.Steps {
		vm.Steps = append(vm.Steps, pages.CallStepItem{Step: st, Figures: cp.Figures[st.ID],
			Funders: cp.Funders[st.ID], FunderCount: cp.FunderCounts[st.ID]})
	}
	return vm, nil
}

// callPageFor reads call c's page as u sees it: for a GET with the data cache, the call
// as anyone sees it, read once per change of the data, then what only u sees (their
// pledges, or all of them for the coordination; with choices, the steps that may join)
// apart — nothing for a viewer who never pledged (read with their session).
func (s *Server) callPageFor(ctx context.Context, method string, c *fabrique.Call, u *fabrique.User, choices bool) (*postgres.CallPage, error) {
	if method != http.MethodGet || s.data == nil {
		return s.db.CallPage(ctx, c, postgres.CallPageFundersPerStep, choices, callViewer(u))
	}
	cp, err := cached(ctx, s.data, "call-page:"+strconv.FormatInt(c.ID, 10), func(ctx context.Context) (*postgres.CallPage, error) {
		return s.db.CallPage(ctx, c, postgres.CallPageFundersPerStep, false, postgres.CallViewer{})
	})
	if err != nil {
		return nil, err
	}
	viewer := callViewer(u)
	if !u.IsCoordinator() && u != nil && u.Own != nil && u.Own.PledgesKnown && !u.Own.Pledges {
		viewer = postgres.CallViewer{}
	}
	return s.db.CallPageForViewer(ctx, cp, c, choices, viewer)
}

// handleCallStepFunders handles "GET /cofinancement/{slug}/etapes/{id}/financeurs":
// every live pledge of a step of the call, newest first, a page (?page=) at a time, in
// three queries whatever their number. A step not in the call is not found; a junk page
// number is page 1, and a page past the last is empty, as on /defis.
func (s *Server) handleCallStepFunders(w http.ResponseWriter, r *http.Request) {
	c, ok := s.callFromURL(w, r)
	if !ok {
		return
	}
	stepID, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	ctx := r.Context()
	st, total, err := s.db.CallStep(ctx, c.ID, stepID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	page := pageNumber(r.URL.Query())
	funders, err := s.db.StepFunders(ctx, st.ID, postgres.StepFundersPerPage, (page-1)*postgres.StepFundersPerPage)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	vm := pages.CallStepFundersView{
		Page: s.page(r, "Financeurs"), Call: c, Step: st, Funders: funders,
		Pager: components.NewPager(page, postgres.StepFundersPerPage, total, string(pages.CallStepFundersHref(c.Slug, st.ID))+"?"),
	}
	vm.Page.Title = i18n.T(ctx, "Financeurs de l’étape « %s »", st.Title)
	s.render(w, r, http.StatusOK, pages.CallStepFunders(vm))
}

// handleCallStepAdd handles "POST /cofinancement/{slug}/etapes": a coordinator makes a
// step take part in the call. Adding a step already in is a success that changes nothing.
func (s *Server) handleCallStepAdd(w http.ResponseWriter, r *http.Request) {
	c, ok := s.callFromURL(w, r)
	if !ok || !s.parseForm(w, r) {
		return
	}
	raw := strings.TrimSpace(r.PostForm.Get("step_id"))
	invalid := func(fields map[string]string) {
		vm, err := s.callShowView(r.Context(), r.Method, s.callPage(r, c), c)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		vm.StepID, vm.StepErrors = raw, fields
		s.render(w, r, http.StatusUnprocessableEntity, pages.CallShow(vm))
	}
	stepID, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || stepID <= 0 {
		invalid(map[string]string{"step_id": "Choisissez une étape dans la liste."})
		return
	}
	added, err := s.db.AddCallStep(r.Context(), userFrom(r.Context()), c.ID, stepID)
	switch fabrique.ErrorCode(err) {
	case "":
		if added {
			s.flash(r.Context(), "L’étape participe maintenant à l’appel.")
		} else {
			s.flash(r.Context(), "Cette étape participait déjà à l’appel.")
		}
		redirect(w, r, "/cofinancement/"+c.Slug)
	case fabrique.EINVALID:
		fields := fabrique.ErrorFields(err)
		if c, err = s.db.CallBySlug(r.Context(), c.Slug); err != nil { // it may have closed meanwhile
			s.error(w, r, err)
			return
		}
		invalid(fields)
	default:
		s.error(w, r, err)
	}
}

// handleCallClose handles "POST /cofinancement/{slug}/cloture": a coordinator closes the
// call, which posts its secured matching and expires its promises. Closing a call
// already closed answers 303 with a flash, like a double click: the decision is the
// same, and the store posted the matching once.
func (s *Server) handleCallClose(w http.ResponseWriter, r *http.Request) {
	c, ok := s.callFromURL(w, r)
	if !ok || !s.parseForm(w, r) {
		return
	}
	res, err := s.db.CloseCall(r.Context(), userFrom(r.Context()), c.ID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if res.AlreadyClosed {
		s.flash(r.Context(), "Cet appel était déjà clôturé : rien n’a été versé une seconde fois.")
	} else {
		s.flash(r.Context(), "L’appel est clôturé : l’abondement garanti est versé aux communs et les promesses en attente ont expiré.")
	}
	redirect(w, r, "/cofinancement/"+c.Slug)
}

// handleCallPayment handles "POST /cofinancement/{slug}/paiement" (payee, iban,
// reference_prefix): the coordination sets how the call's funders pay their pledges.
func (s *Server) handleCallPayment(w http.ResponseWriter, r *http.Request) {
	c, ok := s.callFromURL(w, r)
	if !ok || !s.parseForm(w, r) {
		return
	}
	typed := parsePayment(r.PostForm)
	err := s.db.SetCallPayment(r.Context(), userFrom(r.Context()), c.ID, typed)
	switch fabrique.ErrorCode(err) {
	case "":
		s.flash(r.Context(), "Instructions de paiement enregistrées : les financeurs de l’appel les voient avec leurs promesses.")
		redirect(w, r, "/cofinancement/"+c.Slug+"#titre-paiement")
	case fabrique.EINVALID:
		vm, verr := s.callShowView(r.Context(), r.Method, s.callPage(r, c), c)
		if verr != nil {
			s.serverError(w, r, verr)
			return
		}
		vm.Payment, vm.PaymentErrors = typed, fabrique.ErrorFields(err)
		s.render(w, r, http.StatusUnprocessableEntity, pages.CallShow(vm))
	default:
		s.error(w, r, err)
	}
}

package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/web/components"
	"github.com/fabrique-a-communs/fabrique/web/pages"
)

// Contributions and retributions (Loot's job): team members log their days, the porteur
// or a coordinator validates them, a coordinator records their payment.

func (s *Server) registerContributionRoutes(r chi.Router) {
	r.Get("/defis/{slug}/contributions", s.handleContributionIndex)
	r.Get("/contributions/{id}", s.handleContributionShow)
	r.Group(func(r chi.Router) {
		r.Use(s.requireLogin)
		r.Post("/defis/{slug}/contributions", s.handleContributionCreate)
		r.Post("/contributions/{id}/valider", s.handleContributionValidate)
		r.Post("/contributions/{id}/refuser", s.handleContributionRefuse)
		r.Post("/contributions/{id}/payer", s.handleContributionPay)
		r.Get("/espace/contributions", s.handleEspaceContributions)
	})
	s.registerPaymentRoutes(r) // the payments of the contributions validated here
}

const (
	contributionsOnChallenge = 10 // on the défi's page, which links to the full list
	contributionsPerPage     = 30 // on the full list
	contributionsInEspace    = 10 // in /espace, which links to the full list
	maxContributionText      = 2000
	maxPaymentReference      = 100
)

// firstWorkDay is the earliest date a contribution or payment may bear: the Fabrique's
// programme did not exist before.
var firstWorkDay = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)

// latestWorkDay is the latest date that is not in the future somewhere in France: in
// Wallis-et-Futuna (UTC+12), tomorrow in Paris may already be today.
func latestWorkDay() time.Time {
	y, m, d := time.Now().In(time.FixedZone("UTC+12", 12*3600)).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// parseWorkDay reads a YYYY-MM-DD date, neither in the future nor before 2020; the
// message says what is wrong, or is "".
func parseWorkDay(s string) (time.Time, string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, "Indiquez une date."
	}
	d, err := time.Parse(time.DateOnly, s)
	switch {
	case err != nil:
		return time.Time{}, "Indiquez une date au format AAAA-MM-JJ, par exemple 2026-03-14."
	case d.Before(firstWorkDay):
		return time.Time{}, "La date doit être le 1er janvier 2020 ou après."
	case d.After(latestWorkDay()):
		return time.Time{}, "La date ne peut pas être dans le futur."
	}
	return d, ""
}

// parseContributionForm reads the contribution form; errors are by field.
func parseContributionForm(form url.Values) (pages.ContributionForm, fabrique.Contribution, map[string]string) {
	f := pages.ContributionForm{
		Date:        strings.TrimSpace(form.Get("date")),
		Days:        strings.TrimSpace(form.Get("days")),
		Activity:    strings.TrimSpace(form.Get("activity")),
		Description: cleanText(form.Get("description")),
		Volunteer:   form.Get("benevole") != "",
		StepID:      strings.TrimSpace(form.Get("step_id")),
	}
	in := fabrique.Contribution{Activity: f.Activity, Description: f.Description, Volunteer: f.Volunteer}
	var v fabrique.Validation
	var msg string
	if in.WorkedOn, msg = parseWorkDay(f.Date); msg != "" {
		v.Add("date", msg)
	}
	if q, err := fabrique.ParseDays(f.Days); err != nil {
		v.Add("days", fabrique.ErrorMessage(err))
	} else {
		in.Quarters = q
	}
	if f.Activity == "" {
		v.Add("activity", "Choisissez une activité.")
	} else if !fabrique.ValidActivity(f.Activity) {
		v.Add("activity", "Choisissez une activité de la liste.")
	}
	if utf8.RuneCountInString(f.Description) > maxContributionText {
		v.Add("description", "La description ne doit pas dépasser 2 000 caractères.")
	}
	return f, in, v.Fields
}

// contributionItem is rec with the decisions u may take on it.
func contributionItem(u *fabrique.User, rec *fabrique.ContributionRecord) pages.ContributionItem {
	return pages.ContributionItem{
		ContributionRecord: rec,
		CanValidate:        fabrique.MayTakeContributionDecision(u, fabrique.ContributionValidate, rec),
		CanRefuse:          fabrique.MayTakeContributionDecision(u, fabrique.ContributionRefuse, rec),
		CanPay:             fabrique.MayTakeContributionDecision(u, fabrique.ContributionPay, rec),
	}
}

func contributionItems(u *fabrique.User, list []*fabrique.ContributionRecord) []pages.ContributionItem {
	items := make([]pages.ContributionItem, len(list))
	for i, rec := range list {
		items[i] = contributionItem(u, rec)
	}
	return items
}

// budgetView reads the budget panels (the seed budget, and the funds and steps of the
// défi's commun), the days by person and limit contributions from offset, in three
// queries whatever their number.
func (s *Server) budgetView(r *http.Request, c *fabrique.Challenge, limit, offset int) (pages.ChallengeBudgetView, error) {
	ctx := r.Context()
	u := userFrom(ctx)
	var viewerID int64
	if u != nil {
		viewerID = u.ID
	}
	b, err := s.db.BudgetOverview(ctx, c.ID, viewerID)
	if err != nil {
		return pages.ChallengeBudgetView{}, err
	}
	// The same queries whatever the data, even none: the page's cost never varies.
	days, err := s.db.ChallengeMemberDays(ctx, c.ID)
	if err != nil {
		return pages.ChallengeBudgetView{}, err
	}
	list, err := s.db.ChallengeContributions(ctx, c.ID, limit, offset)
	if err != nil {
		return pages.ChallengeBudgetView{}, err
	}
	return budgetViewFrom(u, c, b, days, list, ""), nil
}

// budgetViewFrom builds the budget panels, the days by person and the contributions of
// a défi from what BudgetOverview (seen by u), ChallengeMemberDays and
// ChallengeContributions return; returnTo is where its action forms come back to.
func budgetViewFrom(u *fabrique.User, c *fabrique.Challenge, b fabrique.BudgetOverview, days []fabrique.MemberDays, list []*fabrique.ContributionRecord, returnTo string) pages.ChallengeBudgetView {
	vm := pages.ChallengeBudgetView{Challenge: c, Today: franceToday().Format(time.DateOnly), ReturnTo: returnTo}
	vm.Budget, vm.Total, vm.IsMember = b, b.Count, b.IsMember
	vm.CanDeclare = b.IsMember && c.Status.AcceptsContributions()
	if b.Commons.CommonsID != 0 {
		vm.Commons = &b.Commons
		vm.Development = c.Status == fabrique.StatusDevelopment
		vm.Steps = b.Steps
	}
	vm.Members = days
	vm.Contributions = contributionItems(u, list)
	return vm
}

// handleContributionIndex handles "GET /defis/{slug}/contributions": every contribution
// of a défi, paginated, with its budget and the contribution form.
func (s *Server) handleContributionIndex(w http.ResponseWriter, r *http.Request) {
	c, ok := s.challengeFromURL(w, r)
	if !ok {
		return
	}
	s.renderContributionIndex(w, r, c, http.StatusOK, func(*pages.ChallengeBudgetView) {})
}

// renderContributionIndex renders a défi's contributions; edit puts a refused form's
// values and errors in the view.
func (s *Server) renderContributionIndex(w http.ResponseWriter, r *http.Request, c *fabrique.Challenge, status int, edit func(*pages.ChallengeBudgetView)) {
	if status == http.StatusUnprocessableEntity {
		// A refused form is shown where it was sent from: the défi's page.
		s.renderChallengeInvalid(w, r, c.Slug, func(vm *pages.ChallengeShowView) { edit(&vm.Budget) })
		return
	}
	page := pageNumber(r.URL.Query())
	vm, err := s.budgetView(r, c, contributionsPerPage, (page-1)*contributionsPerPage)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	base := "/defis/" + c.Slug + "/contributions?"
	vm.Pager = ptr(components.NewPager(page, contributionsPerPage, vm.Total, base))
	vm.ReturnTo = base + "page=" + strconv.Itoa(page)
	edit(&vm)
	p := s.page(r, "Contributions")
	p.Title = c.Title // a title people wrote is not a catalog key
	s.render(w, r, status, pages.ChallengeContributions(pages.ChallengeContributionsView{Page: p, Budget: vm}))
}

// handleContributionCreate handles "POST /defis/{slug}/contributions": a team member
// logs their work.
func (s *Server) handleContributionCreate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	u := userFrom(ctx)
	// The défi and whether u is in its team: rights come before the fields, so a
	// stranger learns nothing from the form's errors. Their place in the team came with
	// the session (formFactsOf) and the défi's id is kept by slug (slugIDs): no query
	// before the transaction, which checks both again under lock; the défi itself is read
	// only for a page that shows it (the form refused). Else both in one query.
	slug := chi.URLParam(r, "slug")
	var c *fabrique.Challenge
	var id int64
	var member bool
	var err error
	if own := u.Own; own != nil && own.TeamsKnown {
		if id, err = s.challengeID(ctx, slug); err == nil {
			row, ok := own.Teams[id]
			member = ok && row.State == fabrique.MemberAccepted
		}
	} else if c, member, err = s.db.ChallengeMembership(ctx, slug, u.ID); err == nil {
		id = c.ID
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	if !s.parseForm(w, r) {
		return
	}
	form, in, errs := parseContributionForm(r.PostForm)
	if v := strings.TrimSpace(r.PostForm.Get("event_id")); v != "" {
		// Days of a residency, by a participant who may not be in the team: the store
		// checks they were marked present at a residency about this défi.
		if id, err := strconv.ParseInt(v, 10, 64); err == nil && id > 0 {
			in.EventID = id
		} else {
			s.renderError(w, r, http.StatusUnprocessableEntity, "Demande invalide", "Ce rendez-vous n’existe pas.")
			return
		}
	}
	if !member && in.EventID == 0 {
		s.forbidden(w, r)
		return
	}
	invalid := func(errs map[string]string, msg string) {
		if c == nil {
			var err error
			if c, err = s.db.ChallengeBySlug(ctx, slug); err != nil {
				s.error(w, r, err)
				return
			}
		}
		s.renderContributionIndex(w, r, c, http.StatusUnprocessableEntity, func(vm *pages.ChallengeBudgetView) {
			vm.Form, vm.Errors, vm.Message = form, errs, msg
		})
	}
	var stepID int64
	if form.StepID != "" {
		if id, err := strconv.ParseInt(form.StepID, 10, 64); err == nil && id > 0 {
			stepID = id
		} else if errs == nil {
			errs = map[string]string{"step_id": "Choisissez une étape du commun issu de ce défi."}
		} else {
			errs["step_id"] = "Choisissez une étape du commun issu de ce défi."
		}
	}
	if len(errs) > 0 {
		invalid(errs, "")
		return
	}
	rec, err := s.db.LogContribution(ctx, id, u.ID, in, stepID)
	if err != nil && in.EventID != 0 && fabrique.ErrorCode(err) == fabrique.EINVALID {
		// From a residency's page: the refusal is said on an error page that leads back.
		s.renderError(w, r, http.StatusUnprocessableEntity, "Contribution refusée", contributionRefusal(err))
		return
	}
	switch fabrique.ErrorCode(err) {
	case "":
	case fabrique.EINVALID: // a step not of the défi's commun, or a status without contributions
		if fields := fabrique.ErrorFields(err); len(fields) > 0 {
			invalid(fields, "")
		} else {
			invalid(nil, fabrique.ErrorMessage(err))
		}
		return
	default:
		s.error(w, r, err)
		return
	}
	if rec.Volunteer {
		s.flash(ctx, "Contribution bénévole enregistrée, merci ! Elle attend la validation du·de la porteur·se du défi.")
	} else {
		s.flash(ctx, "Contribution enregistrée : elle attend la validation du·de la porteur·se du défi.")
	}
	redirect(w, r, localPath(r.PostForm.Get("suivant"), "/defis/"+slug+"#contributions"))
}

// contributionRefusal is the first field message of err, or its message.
func contributionRefusal(err error) string {
	fields := fabrique.ErrorFields(err)
	for _, k := range []string{"event_id", "date", "days", "activity", "description", "step_id"} {
		if m := fields[k]; m != "" {
			return m
		}
	}
	return fabrique.ErrorMessage(err)
}

// contributionFromURL returns the contribution of the path's {id}, or answers 404 and false.
func (s *Server) contributionFromURL(w http.ResponseWriter, r *http.Request) (*fabrique.ContributionRecord, bool) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return nil, false
	}
	rec, err := s.db.ContributionByID(r.Context(), id)
	if err != nil {
		s.error(w, r, err)
		return nil, false
	}
	return rec, true
}

// contributionReturn is where a decision goes back to: the page its form was on, or the
// défi's contributions.
func contributionReturn(r *http.Request, rec *fabrique.ContributionRecord) string {
	return localPath(r.PostForm.Get("suivant"), "/defis/"+rec.ChallengeSlug+"#contributions")
}

// handleContributionShow handles "GET /contributions/{id}".
func (s *Server) handleContributionShow(w http.ResponseWriter, r *http.Request) {
	rec, ok := s.contributionFromURL(w, r)
	if !ok {
		return
	}
	s.renderContribution(w, r, rec, http.StatusOK, pages.ActionForm{})
}

// renderContribution renders a contribution's page with its decision forms; form holds
// a refused form's values and errors.
func (s *Server) renderContribution(w http.ResponseWriter, r *http.Request, rec *fabrique.ContributionRecord, status int, form pages.ActionForm) {
	ctx := r.Context()
	if status != http.StatusOK { // a refused decision: show the contribution as it now is
		fresh, err := s.db.ContributionByID(ctx, rec.ID)
		if err != nil {
			s.error(w, r, err)
			return
		}
		rec = fresh
	}
	var remaining int64
	if rec.CommonsID != 0 {
		f, err := s.db.CommonsFunds(ctx, rec.CommonsID)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		remaining = f.Remaining
	} else {
		b, err := s.db.BudgetOverview(ctx, rec.ChallengeID, 0)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		remaining = b.Remaining
	}
	returnTo := ""
	if r.Method == http.MethodPost {
		returnTo = contributionReturn(r, rec)
	}
	p := s.page(r, "Contribution")
	p.Title = fmt.Sprintf("%s — %s", rec.UserName, rec.ChallengeTitle) // names people wrote
	s.render(w, r, status, pages.Contribution(pages.ContributionView{
		Page: p, Item: contributionItem(userFrom(ctx), rec), Remaining: remaining,
		Today: franceToday().Format(time.DateOnly), ReturnTo: returnTo, Form: form,
	}))
}

// handleContributionValidate handles "POST /contributions/{id}/valider". Validating again
// a contribution already validated (a double click) is answered like the first time,
// with a flash saying so: the second request changes nothing, so there is no conflict
// to report. A budget that cannot cover it answers 422 with the reason.
func (s *Server) handleContributionValidate(w http.ResponseWriter, r *http.Request) {
	rec, ok := s.contributionFromURL(w, r)
	if !ok || !s.parseForm(w, r) {
		return
	}
	_, already, err := s.db.ValidateContribution(r.Context(), rec.ID, userFrom(r.Context()))
	switch fabrique.ErrorCode(err) {
	case "":
	case fabrique.EINVALID:
		s.renderContribution(w, r, rec, http.StatusUnprocessableEntity, pages.ActionForm{Message: fabrique.ErrorMessage(err)})
		return
	default:
		s.error(w, r, err)
		return
	}
	switch {
	case already:
		s.flash(r.Context(), "Cette contribution était déjà validée.")
	case rec.CommonsID != 0:
		s.flash(r.Context(), "Contribution validée : son montant est réservé sur les fonds du commun.")
	default:
		s.flash(r.Context(), "Contribution validée : son montant est réservé sur le budget du défi.")
	}
	redirect(w, r, contributionReturn(r, rec))
}

// handleContributionRefuse handles "POST /contributions/{id}/refuser" (reason).
func (s *Server) handleContributionRefuse(w http.ResponseWriter, r *http.Request) {
	rec, ok := s.contributionFromURL(w, r)
	if !ok || !s.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	u := userFrom(ctx)
	if _, err := fabrique.CheckContributionDecision(u, fabrique.ContributionRefuse, rec); fabrique.ErrorCode(err) == fabrique.EFORBIDDEN {
		s.forbidden(w, r)
		return
	}
	form := pages.ActionForm{Reason: cleanText(r.PostForm.Get("reason"))}
	var v fabrique.Validation
	switch n := utf8.RuneCountInString(form.Reason); {
	case n == 0:
		v.Add("reason", "Indiquez le motif du refus : son auteur le lira.")
	case n > maxContributionText:
		v.Add("reason", "Le motif ne doit pas dépasser 2 000 caractères.")
	}
	if form.Errors = v.Fields; len(form.Errors) > 0 {
		s.renderContribution(w, r, rec, http.StatusUnprocessableEntity, form)
		return
	}
	_, already, err := s.db.RefuseContribution(ctx, rec.ID, u, form.Reason)
	if err != nil {
		s.error(w, r, err) // 403, 404, or 409 when it was paid meanwhile
		return
	}
	if already {
		s.flash(ctx, "Cette contribution était déjà refusée.")
	} else {
		s.flash(ctx, "Contribution refusée : son auteur voit le motif dans son espace.")
	}
	redirect(w, r, contributionReturn(r, rec))
}

// handleContributionPay handles "POST /contributions/{id}/payer" (reference, paid_on). A
// payment recorded again (clicked twice) posts nothing more and says so.
func (s *Server) handleContributionPay(w http.ResponseWriter, r *http.Request) {
	rec, ok := s.contributionFromURL(w, r)
	if !ok || !s.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	u := userFrom(ctx)
	if _, err := fabrique.CheckContributionDecision(u, fabrique.ContributionPay, rec); fabrique.ErrorCode(err) == fabrique.EFORBIDDEN {
		s.forbidden(w, r)
		return
	}
	form := pages.ActionForm{
		Reference: strings.Join(strings.Fields(r.PostForm.Get("reference")), " "),
		PaidOn:    strings.TrimSpace(r.PostForm.Get("paid_on")),
	}
	var v fabrique.Validation
	switch n := utf8.RuneCountInString(form.Reference); {
	case n == 0:
		v.Add("reference", "Indiquez la référence du virement.")
	case n > maxPaymentReference:
		v.Add("reference", "La référence ne doit pas dépasser 100 caractères.")
	}
	paidOn := franceToday()
	if form.PaidOn != "" {
		var msg string
		if paidOn, msg = parseWorkDay(form.PaidOn); msg != "" {
			v.Add("paid_on", msg)
		}
	}
	if form.Errors = v.Fields; len(form.Errors) > 0 {
		s.renderContribution(w, r, rec, http.StatusUnprocessableEntity, form)
		return
	}
	_, already, err := s.db.PayContribution(ctx, rec.ID, u, form.Reference, paidOn)
	switch fabrique.ErrorCode(err) {
	case "":
	case fabrique.EINVALID: // not validated, volunteer, or a budget that no longer covers it
		form.Message = fabrique.ErrorMessage(err)
		s.renderContribution(w, r, rec, http.StatusUnprocessableEntity, form)
		return
	default:
		s.error(w, r, err)
		return
	}
	if already {
		s.flash(ctx, "Cette contribution était déjà payée : rien n’a été enregistré deux fois.")
	} else {
		s.flash(ctx, "Paiement enregistré : l’écriture est passée au grand livre.")
	}
	redirect(w, r, contributionReturn(r, rec))
}

// espaceContributionsView gathers the viewer's contributions for /espace.
// userContributionsView reads u's totals and limit of their contributions from offset,
// in two queries.
func (s *Server) userContributionsView(r *http.Request, u *fabrique.User, limit, offset int) (pages.EspaceContributionsView, error) {
	ctx := r.Context()
	vm := pages.EspaceContributionsView{UserID: u.ID}
	t, err := s.db.UserContributionTotals(ctx, u.ID)
	if err != nil {
		return vm, err
	}
	vm.Totals = t
	list, err := s.db.UserContributions(ctx, u.ID, limit, offset)
	if err != nil {
		return vm, err
	}
	vm.Contributions = contributionItems(u, list)
	return vm, nil
}

// handleEspaceContributions handles "GET /espace/contributions": all the viewer's
// contributions, paginated.
func (s *Server) handleEspaceContributions(w http.ResponseWriter, r *http.Request) {
	page := pageNumber(r.URL.Query())
	vm, err := s.userContributionsView(r, userFrom(r.Context()), contributionsPerPage, (page-1)*contributionsPerPage)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	vm.Pager = ptr(components.NewPager(page, contributionsPerPage, vm.Totals.Count, "/espace/contributions?"))
	s.render(w, r, http.StatusOK, pages.EspaceContributions(pages.EspaceContributionsPageView{
		Page: s.page(r, "Mes contributions"), Section: vm}))
}

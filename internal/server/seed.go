package server

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/i18n"
	"github.com/fabrique-a-communs/fabrique/internal/markdown"
	"github.com/fabrique-a-communs/fabrique/web/pages"
)

// seedHistoryLimit bounds the seed requests a défi's page lists.
const seedHistoryLimit = 50

func (s *Server) registerSeedRoutes(r chi.Router) {
	r.Get("/defis/{slug}/amorcage", s.handleSeedShow)
	r.With(s.requireLogin).Post("/defis/{slug}/amorcage", s.handleSeedRequestCreate)
	r.With(s.coordinatorsOnly).Post("/defis/{slug}/amorcage/decision", s.handleSeedRequestDecide)
	// The coordination's queue lives with the seed fund it mostly serves.
	s.registerCoordinationRoutes(r)
}

// fabriqueZone is the time zone of the Fabrique: its seed fund's year turns at midnight
// in Paris.
var fabriqueZone = func() *time.Location {
	if l, err := time.LoadLocation("Europe/Paris"); err == nil {
		return l
	}
	return time.UTC
}()

// currentFundYear is the year whose seed fund pays an approval made now.
func currentFundYear() int { return time.Now().In(fabriqueZone).Year() }

// challengeSeedView gathers the seed-request part of a défi's page (its seed page): one
// query, two for a coordinator while a request waits (the fund it would draw on).
func (s *Server) challengeSeedView(r *http.Request, c *fabrique.Challenge) (pages.ChallengeSeedView, error) {
	st, err := s.db.ChallengeSeed(r.Context(), c.ID, seedHistoryLimit)
	if err != nil {
		return pages.ChallengeSeedView{}, err
	}
	return s.challengeSeedViewFrom(r, c, st)
}

// challengeSeedViewFrom builds the seed-request part of a défi's page from its seed
// state (as ChallengeSeed returns it with seedHistoryLimit); it reads the fund the
// waiting request would draw on for a coordinator only, in one query.
func (s *Server) challengeSeedViewFrom(r *http.Request, c *fabrique.Challenge, st *fabrique.ChallengeSeedState) (pages.ChallengeSeedView, error) {
	u := userFrom(r.Context())
	vm := pages.ChallengeSeedView{
		Challenge: c,
		Granted:   st.Granted,
		Ceiling:   fabrique.DefaultSeedCeiling,
		IsLead:    u != nil && u.ID == c.LeadID,
		Allowed:   c.Status.AcceptsSeedRequest(),
		FundYear:  currentFundYear(),
	}
	for i, req := range st.Requests {
		item := pages.SeedRequestItem{SeedRequest: req, PlanHTML: markdown.Render(req.Plan)}
		if i == 0 {
			vm.Current = &item
		} else {
			vm.Past = append(vm.Past, item)
		}
	}
	if u.IsCoordinator() && vm.Current != nil && vm.Current.State == fabrique.SeedPending {
		facts := fabrique.SeedDeciderFacts{RequestedBy: vm.Current.RequestedBy, LeadID: c.LeadID}
		if vm.DecideBar = fabrique.SeedDeciderBar(u, facts); vm.DecideBar != "" {
			// Four eyes: another coordinator decides; say whether there is one.
			n, err := s.db.Coordinators(r.Context())
			if err != nil {
				return pages.ChallengeSeedView{}, err
			}
			vm.SoleCoordinator = n < 2
			return vm, nil
		}
		vm.CanDecide = true
		fund, err := s.db.SeedFund(r.Context(), vm.FundYear)
		if err != nil {
			return pages.ChallengeSeedView{}, err
		}
		vm.FundLeft = fund.Left
	}
	return vm, nil
}

// renderSeedPage shows the seed page of c with status; edit fills in a form's values and
// errors.
func (s *Server) renderSeedPage(w http.ResponseWriter, r *http.Request, c *fabrique.Challenge, status int, edit func(vm *pages.ChallengeSeedView)) {
	if status == http.StatusUnprocessableEntity && edit != nil {
		// A refused form is shown where it was sent from: the défi's page.
		s.renderChallengeInvalid(w, r, c.Slug, func(vm *pages.ChallengeShowView) { edit(&vm.Seed) })
		return
	}
	vm, err := s.challengeSeedView(r, c)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if edit != nil {
		edit(&vm)
	}
	p := s.page(r, "Budget d’amorçage")
	p.Title = i18n.T(r.Context(), "Budget d’amorçage") + " · " + c.Title // a title people wrote is not a catalog key
	s.render(w, r, status, pages.ChallengeSeedPage(pages.ChallengeSeedPageView{Page: p, Seed: vm}))
}

// seedFieldErrors returns the per-field messages of a refusal in the visitor's language:
// a limit is worded with its figures.
func seedFieldErrors(r *http.Request, err error) map[string]string {
	var le *fabrique.SeedLimitError
	if errors.As(err, &le) {
		return map[string]string{"amount": le.Sentence(i18n.LangFrom(r.Context()))}
	}
	return fabrique.ErrorFields(err)
}

// seedFormMessage is the form-level sentence of a refusal that names no field.
func seedFormMessage(err error) string {
	if len(fabrique.ErrorFields(err)) > 0 {
		return ""
	}
	return fabrique.ErrorMessage(err)
}

// handleSeedShow handles "GET /defis/{slug}/amorcage".
func (s *Server) handleSeedShow(w http.ResponseWriter, r *http.Request) {
	c, ok := s.challengeFromURL(w, r)
	if !ok {
		return
	}
	s.renderSeedPage(w, r, c, http.StatusOK, nil)
}

// handleSeedRequestCreate handles "POST /defis/{slug}/amorcage": the porteur asks for a
// seed budget. The store judges the status, the open request and the ceiling under the
// défi's lock; a refusal re-renders the form with 422.
func (s *Server) handleSeedRequestCreate(w http.ResponseWriter, r *http.Request) {
	c, ok := s.challengeFromURL(w, r)
	if !ok {
		return
	}
	u := userFrom(r.Context())
	if u.ID != c.LeadID {
		s.forbidden(w, r) // a coordinator is no porteur, unless they lead this défi
		return
	}
	if !s.parseForm(w, r) {
		return
	}
	form := pages.SeedRequestForm{
		Amount: strings.TrimSpace(r.PostForm.Get("amount")),
		Plan:   cleanText(r.PostForm.Get("plan")),
	}
	invalid := func(fields map[string]string, msg string) {
		s.renderSeedPage(w, r, c, http.StatusUnprocessableEntity, func(vm *pages.ChallengeSeedView) {
			vm.Form, vm.Errors, vm.Message = form, fields, msg
			if msg != "" && len(fields) == 0 {
				vm.Form = pages.SeedRequestForm{}
			}
		})
	}
	if !c.Status.AcceptsSeedRequest() {
		invalid(nil, "Le budget d’amorçage se demande quand l’équipe est constituée ou pendant la préfiguration.")
		return
	}
	var v fabrique.Validation
	amount, err := fabrique.ParseAmount(form.Amount)
	if err != nil {
		v.Add("amount", fabrique.ErrorMessage(err))
	}
	switch n := utf8.RuneCountInString(form.Plan); {
	case n == 0:
		v.Add("plan", "Décrivez le plan : ce qui sera fait, par qui, en combien de jours.")
	case n > fabrique.MaxSeedPlanLen:
		v.Add("plan", "Le plan ne doit pas dépasser 20 000 caractères.")
	}
	if err := v.Err(); err != nil {
		invalid(fabrique.ErrorFields(err), "")
		return
	}
	_, err = s.db.RequestSeedBudget(r.Context(), c.ID, u, amount, form.Plan)
	switch fabrique.ErrorCode(err) {
	case "":
		s.flash(r.Context(), "Votre demande de budget d’amorçage est envoyée à la coordination.")
		redirect(w, r, "/defis/"+c.Slug)
	case fabrique.EINVALID:
		invalid(seedFieldErrors(r, err), seedFormMessage(err))
	default:
		s.error(w, r, err)
	}
}

// handleSeedRequestDecide handles "POST /defis/{slug}/amorcage/decision": a coordinator
// approves the défi's pending request, in full or in part, or refuses it with a note.
// The optional request_id pins the request the form showed. A request already decided
// answers 409 with the conflict page rather than a silent redirect: the second
// coordinator must learn that their decision was not the one applied.
func (s *Server) handleSeedRequestDecide(w http.ResponseWriter, r *http.Request) {
	c, ok := s.challengeFromURL(w, r)
	if !ok || !s.parseForm(w, r) {
		return
	}
	form := pages.SeedDecisionForm{
		Decision: strings.TrimSpace(r.PostForm.Get("decision")),
		Amount:   strings.TrimSpace(r.PostForm.Get("amount")),
		Note:     cleanText(r.PostForm.Get("note")),
	}
	d := fabrique.SeedDecision{Approve: form.Decision == "approuver", Note: form.Note, Year: currentFundYear()}
	if id := strings.TrimSpace(r.PostForm.Get("request_id")); id != "" {
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil || n <= 0 {
			s.notFound(w, r)
			return
		}
		d.RequestID = n
	}
	var v fabrique.Validation
	switch form.Decision {
	case "approuver":
		if form.Amount != "" {
			amount, err := fabrique.ParseAmount(form.Amount)
			if err != nil {
				v.Add("amount", fabrique.ErrorMessage(err))
			}
			d.Amount = amount
		}
	case "refuser":
		if form.Note == "" {
			v.Add("note", "Expliquez au·à la porteur·se pourquoi la demande est refusée.")
		}
	default:
		v.Add("decision", "Choisissez d’approuver ou de refuser la demande.")
	}
	if utf8.RuneCountInString(form.Note) > fabrique.MaxSeedNoteLen {
		v.Add("note", "La note ne doit pas dépasser 2 000 caractères.")
	}
	invalid := func(fields map[string]string, msg string) {
		s.renderSeedPage(w, r, c, http.StatusUnprocessableEntity, func(vm *pages.ChallengeSeedView) {
			vm.Decision, vm.DecisionErrors, vm.DecisionMessage = form, fields, msg
		})
	}
	u := userFrom(r.Context())
	if err := v.Err(); err != nil {
		if u.ID == c.LeadID {
			// The porteur is not offered the form: their attempt is refused (and audited)
			// by the store as any other. The decision sent cannot be applied — a refusal
			// without its note — should the défi have changed hands since.
			probe := fabrique.SeedDecision{RequestID: d.RequestID}
			if _, perr := s.db.DecideSeedRequest(r.Context(), c.ID, u, probe); fabrique.ErrorCode(perr) == fabrique.EFORBIDDEN {
				s.renderError(w, r, http.StatusForbidden, "Accès refusé", fabrique.ErrorMessage(perr))
				return
			}
		}
		invalid(fabrique.ErrorFields(err), "")
		return
	}
	req, err := s.db.DecideSeedRequest(r.Context(), c.ID, u, d)
	switch fabrique.ErrorCode(err) {
	case "":
		if req.State == fabrique.SeedApproved {
			s.flash(r.Context(), "Le budget d’amorçage est accordé.")
		} else {
			s.flash(r.Context(), "La demande de budget d’amorçage est refusée.")
		}
		redirect(w, r, localPath(r.PostForm.Get("suivant"), "/defis/"+c.Slug))
	case fabrique.EINVALID:
		invalid(seedFieldErrors(r, err), seedFormMessage(err))
	case fabrique.EFORBIDDEN:
		// Four eyes: say who must decide instead of the generic refusal.
		s.renderError(w, r, http.StatusForbidden, "Accès refusé", fabrique.ErrorMessage(err))
	default:
		s.error(w, r, err)
	}
}

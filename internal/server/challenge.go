package server

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/i18n"
	"github.com/fabrique-a-communs/fabrique/internal/markdown"
	"github.com/fabrique-a-communs/fabrique/internal/postgres"
	"github.com/fabrique-a-communs/fabrique/web/components"
	"github.com/fabrique-a-communs/fabrique/web/pages"
)

func (s *Server) registerChallengeRoutes(r chi.Router) {
	r.Get("/defis", s.handleChallengeIndex)
	r.With(s.requireLogin).Get("/defis/nouveau", s.handleChallengeNew)
	r.With(s.requireLogin).Post("/defis", s.handleChallengeCreate)
	r.Get("/defis/{slug}", s.handleChallengeShow)
}

// handleHome handles "GET /": the défis in progress and the newest ones, in one round trip.
// What it lists is the same for everyone: from the data cache.
func (s *Server) handleHome(w http.ResponseWriter, r *http.Request) {
	s.renderShared(w, r, http.StatusOK, "home", i18n.T(r.Context(), "Accueil"), func(ctx context.Context, p components.Page) (templ.Component, error) {
		vm, err := cached(ctx, s.data, "home", func(ctx context.Context) (pages.HomeView, error) {
			var vm pages.HomeView
			var err error
			if vm.InProgress, vm.Recent, err = s.db.HomeChallenges(ctx, 6, 4); err != nil {
				return vm, err
			}
			if vm.OpenCalls, err = s.db.OpenCalls(ctx, franceToday(), 3); err != nil {
				return vm, err
			}
			vm.Events, _, err = s.db.Events(ctx, fabrique.EventFilter{NotCancelled: true, NoCount: true, Limit: 4})
			return vm, err
		})
		vm.Page = p
		return pages.Home(vm), err
	}, nil)
}

// handleChallengeNew handles "GET /defis/nouveau".
func (s *Server) handleChallengeNew(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, pages.ChallengeNew(pages.ChallengeFormView{Page: s.page(r, "Proposer un défi")}))
}

// handleChallengeCreate handles "POST /defis".
func (s *Server) handleChallengeCreate(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	form := fabrique.NewChallenge{
		Title:   r.PostForm.Get("title"),
		Summary: r.PostForm.Get("summary"),
		Problem: r.PostForm.Get("problem"),
	}
	form.Normalize()
	if err := form.Validate(); err != nil {
		s.render(w, r, http.StatusUnprocessableEntity, pages.ChallengeNew(pages.ChallengeFormView{
			Page: s.page(r, "Proposer un défi"), Form: form, Errors: fabrique.ErrorFields(err)}))
		return
	}
	c, err := s.db.CreateChallenge(r.Context(), form, userFrom(r.Context()).ID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.flash(r.Context(), "Votre défi est publié. Faites-le connaître pour monter une équipe !")
	redirect(w, r, "/defis/"+c.Slug)
}

// handleChallengeShow handles "GET /defis/{slug}". For a visitor, and for a logged-in
// person who neither leads the défi nor coordinates, the page's content is the same for
// everyone in the same place in the team (outside it, member, request waiting or
// refused): kept rendered (renderSharedPage), the viewer's tiers-lieux rendered for each.
func (s *Server) handleChallengeShow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	slug := chi.URLParam(r, "slug")
	c, err := cached(ctx, s.data, "challenge-slug:"+slug, func(ctx context.Context) (*fabrique.Challenge, error) {
		return s.db.ChallengeBySlug(ctx, slug)
	})
	if err != nil {
		s.error(w, r, err)
		return
	}
	u := userFrom(ctx)
	if s.data == nil || u.IsCoordinator() || (u != nil && u.ID == c.LeadID) {
		vm, err := s.challengeShowView(r, c)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		s.render(w, r, http.StatusOK, pages.ChallengeShow(vm))
		return
	}
	// The viewer's place in the team and tiers-lieux from the facts read with their
	// session, no query; read here, in one round trip, when the facts were not. The rest
	// of the page only when the content is not kept.
	cp, err := s.sharedChallengePage(ctx, c)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	shared := cp
	places, known, err := s.ownPlaces(ctx, cp.Places, u)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	viewerRead := false
	if u != nil && (!known || !u.Own.TeamsKnown) {
		// No facts read with the session: the viewer's row and tiers-lieux read here.
		if cp, err = s.challengeForViewer(ctx, shared, c, u); err != nil {
			s.serverError(w, r, err)
			return
		}
		places, viewerRead = cp.Places, true
	}
	var class string
	if viewerRead {
		class = teamView(c, u, cp.Members).Viewer
	} else {
		class = ownPlaceInTeam(u, c.ID)
	}
	p := s.page(r, "")
	p.Title = c.Title // a title people wrote is not a catalog key
	key := "challenge:" + strconv.FormatInt(c.ID, 10) + ":" + class
	s.renderSharedPage(w, r, http.StatusOK, key, p, func(ctx context.Context, p components.Page) (templ.Component, error) {
		own := cp
		if u != nil && !viewerRead {
			var err error
			if own, err = s.challengeForViewer(ctx, shared, c, u); err != nil {
				return nil, err
			}
		}
		vm, err := s.challengeShowViewFrom(r, c, own)
		if err != nil {
			return nil, err
		}
		if got := challengeSharedClass(u, c, vm); p.BodyOnly && got != class {
			// The team changed between the session's facts and its rows: this
			// request gets the page rendered for it.
			return nil, errNotShared
		}
		vm.Page = p
		return pages.ChallengeShow(vm), nil
	}, func() (map[string]templ.Component, error) {
		// The same for everyone of the class who has the same tiers-lieux here.
		return map[string]templ.Component{"places": keptPart{
			key: "challenge-places:" + strconv.FormatInt(c.ID, 10) + ":" + viewerClass(u) + ":" + placesFactsKey(places),
			c:   pages.ChallengePlacesSection(challengePlacesViewFrom(classUser(u), c, places, cp.Commons)),
		}}, nil
	})
}

// ownPlaces is shared — the tiers-lieux concerned by a défi or using a commun, read for
// anyone, in the order pages list them — as u sees them, from the tiers-lieux read with
// their session: theirs among them marked, the others of theirs after them (unlinked, in
// their own order). The pages split such a list into the places concerned and the
// viewer's to declare, each in its order: what a read for u would give them. False when
// their tiers-lieux were not read with the session.
//
// The session gives their ids; the places of a set of ids, in the pages' order, are
// public and come from the data cache, whoever asked for them first.
func (s *Server) ownPlaces(ctx context.Context, shared []fabrique.LinkedPlace, u *fabrique.User) ([]fabrique.LinkedPlace, bool, error) {
	if u == nil {
		return shared, true, nil
	}
	if u.Own == nil || !u.Own.PlacesKnown {
		return nil, false, nil
	}
	if len(u.Own.PlaceIDs) == 0 {
		return shared, true, nil
	}
	if u.Own.Places == nil {
		var key strings.Builder
		key.WriteString("places-by-id:")
		for i, id := range u.Own.PlaceIDs {
			if i > 0 {
				key.WriteByte(',')
			}
			key.WriteString(strconv.FormatInt(id, 10))
		}
		ids := u.Own.PlaceIDs
		list, err := cached(ctx, s.data, key.String(), func(ctx context.Context) ([]fabrique.Place, error) {
			return s.db.PlacesByID(ctx, ids)
		})
		if err != nil {
			return nil, false, err
		}
		u.Own.Places = list
	}
	out := slices.Clone(shared)
	for _, p := range u.Own.Places {
		i := slices.IndexFunc(out[:len(shared)], func(l fabrique.LinkedPlace) bool { return l.ID == p.ID })
		if i >= 0 {
			out[i].Mine = true
		} else {
			out = append(out, fabrique.LinkedPlace{Place: p, Mine: true})
		}
	}
	return out, true, nil
}

// challengeForViewer is shared, the défi's page as anyone sees it, as u sees it: their
// row in the team and their tiers-lieux read (one round trip).
func (s *Server) challengeForViewer(ctx context.Context, shared *postgres.ChallengePage, c *fabrique.Challenge, u *fabrique.User) (*postgres.ChallengePage, error) {
	members, places, err := s.db.ChallengeViewer(ctx, c.ID, u.ID)
	if err != nil {
		return nil, err
	}
	return shared.ForViewer(u.ID, members, places), nil
}

// sharedChallengePage is the défi's page as anyone sees it (read for viewer 0), once per
// change of the data.
func (s *Server) sharedChallengePage(ctx context.Context, c *fabrique.Challenge) (*postgres.ChallengePage, error) {
	lim := challengePageLimits(c)
	key := "challenge-page:" + strconv.FormatInt(c.ID, 10) + ":" + strconv.FormatBool(lim.Steps)
	return cached(ctx, s.data, key, func(ctx context.Context) (*postgres.ChallengePage, error) {
		return s.db.ChallengePage(ctx, c.ID, 0, lim)
	})
}

// challengePageLimits are how much of its lists the défi's page shows.
func challengePageLimits(c *fabrique.Challenge) postgres.ChallengePageLimits {
	return postgres.ChallengePageLimits{
		Revisions: lastFramingRevisions, SeedRequests: seedHistoryLimit, Contributions: contributionsOnChallenge,
		Steps: c.Status == fabrique.StatusDevelopment}
}

// challengeSharedClass is the viewer's place in the team when vm, the défi's page as
// u sees it, holds nothing but what everyone in that place sees, or "": u leads the défi
// or coordinates, or the page offers u a decision of their own (a day to validate, a
// seed request to decide, steps to add). The viewer's tiers-lieux are a viewer part.
func challengeSharedClass(u *fabrique.User, c *fabrique.Challenge, vm pages.ChallengeShowView) string {
	if u.IsCoordinator() || (u != nil && u.ID == c.LeadID) || vm.Team.CanManage ||
		vm.Seed.IsLead || vm.Seed.CanDecide || vm.Seed.DecideBar != "" || (vm.Steps != nil && vm.Steps.CanAddStep) {
		return ""
	}
	for _, it := range vm.Budget.Contributions {
		if it.CanValidate || it.CanRefuse || it.CanPay {
			return ""
		}
	}
	return vm.Team.Viewer
}

// challengeFromURL returns the défi named by the path's {slug}, or answers 404 and false.
func (s *Server) challengeFromURL(w http.ResponseWriter, r *http.Request) (*fabrique.Challenge, bool) {
	c, err := s.db.ChallengeBySlug(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		s.error(w, r, err)
		return nil, false
	}
	return c, true
}

// lastFramingRevisions is how many edits of the framing the défi's page lists.
const lastFramingRevisions = 5

// challengeShowView gathers what the défi's page shows to the viewer in a fixed number of
// queries, whatever the size of its team, timeline or history, and in two round trips
// for most viewers: the défi (read before), then one batch of its team rows, timeline,
// framing sheet, places and communs, seed requests, budget, days by person and latest
// contributions. Editors add the communs to choose from (for the framing, or the move to
// développement), and a coordinator the seed fund while a request waits.
func (s *Server) challengeShowView(r *http.Request, c *fabrique.Challenge) (pages.ChallengeShowView, error) {
	ctx := r.Context()
	u := userFrom(ctx)
	var viewerID int64
	if u != nil {
		viewerID = u.ID
	}
	lim := challengePageLimits(c)
	var cp *postgres.ChallengePage
	var err error
	if r.Method == http.MethodGet && s.data != nil {
		// The page as anyone sees it, read once per change of the data; then the
		// viewer's own team row and tiers-lieux (ChallengeViewer), never shared.
		cp, err = s.sharedChallengePage(ctx, c)
		if err == nil && u != nil {
			cp, err = s.challengeForViewer(ctx, cp, c, u)
		}
	} else {
		cp, err = s.db.ChallengePage(ctx, c.ID, viewerID, lim)
	}
	if err != nil {
		return pages.ChallengeShowView{}, err
	}
	return s.challengeShowViewFrom(r, c, cp)
}

// challengeShowViewFrom is the défi's page for r's viewer from cp, read as they see it.
func (s *Server) challengeShowViewFrom(r *http.Request, c *fabrique.Challenge, cp *postgres.ChallengePage) (pages.ChallengeShowView, error) {
	u := userFrom(r.Context())
	entries, timeline, sheet := cp.Members, cp.Timeline, cp.Framing
	places := challengePlacesViewFrom(u, c, cp.Places, cp.Commons)
	seed, err := s.challengeSeedViewFrom(r, c, cp.Seed)
	if err != nil {
		return pages.ChallengeShowView{}, err
	}
	seed.OnChallenge = true
	budget := budgetViewFrom(u, c, cp.Budget, cp.Days, cp.Contributions, "/defis/"+c.Slug+"#contributions")
	budget.FiguresAbove = true

	team := teamView(c, u, entries)
	actor := fabrique.Actor{
		LoggedIn:    u != nil,
		Coordinator: u.IsCoordinator(),
		Lead:        team.Viewer == pages.ViewerLead,
		Member:      team.Viewer == pages.ViewerLead || team.Viewer == pages.ViewerMember,
	}
	framing := framingView(c, sheet, actor)
	framing.Status = c.Status
	facts := fabrique.TransitionFacts{Members: len(team.Members), FramingComplete: framing.Written && len(framing.Missing) == 0}
	status, err := s.challengeStatusView(r, c, actor, facts, timeline)
	if err != nil {
		return pages.ChallengeShowView{}, err
	}
	vm := pages.ChallengeShowView{
		Page:        s.page(r, c.Title),
		Challenge:   c,
		ProblemHTML: markdown.Render(c.Problem),
		Events:      cp.Events,
		Team:        team,
		Status:      status,
		Framing:     framing,
		Places:      places,
		Seed:        seed,
		Budget:      budget,
	}
	if c.Status == fabrique.StatusDevelopment {
		vm.Steps = challengeStepsView(u, actor, budget.Commons, cp)
	}
	vm.Page.Title = c.Title // a title people wrote is not a catalog key
	return vm, nil
}

// renderChallengeInvalid answers a refused form of the défi's page with 422 and the page
// re-rendered; edit puts the form's values and errors in their section. The défi is read
// again, as the refusal may come from a change made meanwhile.
func (s *Server) renderChallengeInvalid(w http.ResponseWriter, r *http.Request, slug string, edit func(vm *pages.ChallengeShowView)) {
	c, err := s.db.ChallengeBySlug(r.Context(), slug)
	if err != nil {
		s.error(w, r, err)
		return
	}
	vm, err := s.challengeShowView(r, c)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	edit(&vm)
	s.render(w, r, http.StatusUnprocessableEntity, pages.ChallengeShow(vm))
}

// challengeStepsView is the steps part of the page of a défi in développement: the steps
// of its commun numbered as on the commun's page (stepItems), each with the call open
// today that takes pledges for it.
func challengeStepsView(u *fabrique.User, actor fabrique.Actor, commons *fabrique.CommonsFunds, cp *postgres.ChallengePage) *pages.ChallengeStepsView {
	vm := &pages.ChallengeStepsView{Commons: commons, CanAddStep: fabrique.MayEditSteps(u, actor.Lead)}
	today := franceToday()
	for _, it := range stepItems(cp.Steps, cp.Figures) {
		item := pages.ChallengeStepItem{StepItem: it}
		for _, call := range cp.StepCalls[it.ID] {
			if call.Phase(today) == fabrique.CallOpen {
				item.OpenCall = &call
				break
			}
		}
		vm.Steps = append(vm.Steps, item)
	}
	return vm
}

package server

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/web/components"
	"github.com/fabrique-a-communs/fabrique/web/pages"
)

// placesPerPage is the length of a page of /tiers-lieux.
const placesPerPage = 20

func (s *Server) registerPlaceRoutes(r chi.Router) {
	r.Get("/tiers-lieux", s.handlePlaceIndex)
	r.With(s.requireLogin).Get("/tiers-lieux/nouveau", s.handlePlaceNew)
	r.With(s.requireLogin).Post("/tiers-lieux", s.handlePlaceCreate)
	r.Get("/tiers-lieux/{slug}", s.handlePlaceShow)
	r.With(s.requireLogin).Post("/tiers-lieux/{slug}/membres", s.handlePlaceJoin)
	r.With(s.requireLogin).Post("/tiers-lieux/{slug}/membres/quitter", s.handlePlaceLeave)
	r.With(s.requireLogin).Post("/defis/{slug}/tiers-lieux", s.handleChallengePlaceDeclare)
	r.With(s.requireLogin).Post("/defis/{slug}/tiers-lieux/{placeID}/retirer", s.handleChallengePlaceWithdraw)
}

// handlePlaceIndex handles "GET /tiers-lieux".
func (s *Server) handlePlaceIndex(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	region := q.Get("region")
	if !fabrique.ValidRegion(region) {
		region = "" // an unknown region shows every place rather than an error
	}
	page := pageNumber(q)
	list, total, err := s.db.Places(r.Context(), fabrique.PlaceFilter{
		Region: region, Limit: placesPerPage, Offset: (page - 1) * placesPerPage})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	base := "/tiers-lieux?"
	if region != "" {
		base += "region=" + url.QueryEscape(region) + "&"
	}
	s.render(w, r, http.StatusOK, pages.PlaceIndex(pages.PlaceIndexView{
		Page:   s.page(r, "Tiers-lieux"),
		Places: list,
		Region: region,
		Pager:  components.NewPager(page, placesPerPage, total, base),
	}))
}

// handlePlaceNew handles "GET /tiers-lieux/nouveau".
func (s *Server) handlePlaceNew(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, pages.PlaceNew(pages.PlaceFormView{Page: s.page(r, "Déclarer mon tiers-lieu")}))
}

// handlePlaceCreate handles "POST /tiers-lieux": the creator becomes the first member.
func (s *Server) handlePlaceCreate(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	form := fabrique.NewPlace{
		Name:    r.PostForm.Get("name"),
		City:    r.PostForm.Get("city"),
		Region:  r.PostForm.Get("region"),
		Website: r.PostForm.Get("website"),
	}
	form.Normalize()
	if err := form.Validate(); err != nil {
		s.render(w, r, http.StatusUnprocessableEntity, pages.PlaceNew(pages.PlaceFormView{
			Page: s.page(r, "Déclarer mon tiers-lieu"), Form: form, Errors: fabrique.ErrorFields(err)}))
		return
	}
	p, err := s.db.CreatePlace(r.Context(), form, userFrom(r.Context()).ID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.flash(r.Context(), "Votre tiers-lieu est déclaré. Vous pouvez maintenant dire quels défis le concernent.")
	redirect(w, r, "/tiers-lieux/"+p.Slug)
}

// handlePlaceShow handles "GET /tiers-lieux/{slug}".
func (s *Server) handlePlaceShow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p, err := s.db.PlaceBySlug(ctx, chi.URLParam(r, "slug"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	members, err := s.db.PlaceMembers(ctx, p.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	challenges, err := s.db.PlaceChallenges(ctx, p.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	commons, err := s.db.PlaceCommons(ctx, p.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	vm := pages.PlaceShowView{Page: s.page(r, p.Name), Place: p, Members: members, Challenges: challenges, Commons: commons}
	vm.Page.Title = p.Name // a name people wrote is not a catalog key
	if u := userFrom(ctx); u != nil {
		for _, m := range members {
			if m.UserID == u.ID {
				vm.IsMember = true
			}
		}
	}
	s.render(w, r, http.StatusOK, pages.PlaceShow(vm))
}

// handlePlaceJoin handles "POST /tiers-lieux/{slug}/membres" ("J’en fais partie").
func (s *Server) handlePlaceJoin(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p, err := s.db.PlaceBySlug(ctx, chi.URLParam(r, "slug"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	added, err := s.db.JoinPlace(ctx, p.ID, userFrom(ctx).ID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if added {
		s.flash(ctx, "Vous faites maintenant partie de ce tiers-lieu.")
	} else {
		s.flash(ctx, "Vous faites déjà partie de ce tiers-lieu.")
	}
	redirect(w, r, "/tiers-lieux/"+p.Slug)
}

// handlePlaceLeave handles "POST /tiers-lieux/{slug}/membres/quitter".
func (s *Server) handlePlaceLeave(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p, err := s.db.PlaceBySlug(ctx, chi.URLParam(r, "slug"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	left, err := s.db.LeavePlace(ctx, p.ID, userFrom(ctx).ID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if left {
		s.flash(ctx, "Vous ne faites plus partie de ce tiers-lieu.")
	} else {
		s.flash(ctx, "Vous ne faisiez pas partie de ce tiers-lieu.")
	}
	redirect(w, r, "/tiers-lieux/"+p.Slug)
}

// placeIDFromForm reads the place_id field; a missing or non-numeric one answers 422,
// as only a hand-made request sends it.
func (s *Server) placeIDFromForm(w http.ResponseWriter, r *http.Request) (int64, bool) {
	if !s.parseForm(w, r) {
		return 0, false
	}
	id, err := strconv.ParseInt(r.PostForm.Get("place_id"), 10, 64)
	if err != nil || id <= 0 {
		s.renderError(w, r, http.StatusUnprocessableEntity, "Demande invalide", "Choisissez un de vos tiers-lieux.")
		return 0, false
	}
	return id, true
}

// handleChallengePlaceDeclare handles "POST /defis/{slug}/tiers-lieux" ("ce défi nous
// concerne"), by a member of the place.
func (s *Server) handleChallengePlaceDeclare(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	c, err := s.db.ChallengeBySlug(ctx, chi.URLParam(r, "slug"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	placeID, ok := s.placeIDFromForm(w, r)
	if !ok {
		return
	}
	added, err := s.db.DeclareChallengePlace(ctx, c.ID, placeID, userFrom(ctx).ID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if added {
		s.flash(ctx, "Votre tiers-lieu est déclaré concerné par ce défi.")
	} else {
		s.flash(ctx, "Votre tiers-lieu était déjà déclaré concerné par ce défi.")
	}
	redirect(w, r, "/defis/"+c.Slug)
}

// handleChallengePlaceWithdraw handles "POST /defis/{slug}/tiers-lieux/{placeID}/retirer",
// by a member of the place or a coordinator.
func (s *Server) handleChallengePlaceWithdraw(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	c, err := s.db.ChallengeBySlug(ctx, chi.URLParam(r, "slug"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	placeID, ok := pathID(r, "placeID")
	if !ok {
		s.notFound(w, r)
		return
	}
	if err := s.db.WithdrawChallengePlace(ctx, c.ID, placeID, userFrom(ctx)); err != nil {
		s.error(w, r, err)
		return
	}
	s.flash(ctx, "Le tiers-lieu n’est plus déclaré concerné par ce défi.")
	redirect(w, r, "/defis/"+c.Slug)
}

// challengePlacesViewFrom builds the tiers-lieux and communs part of a défi's page from the
// places concerned by it or of the viewer (as ChallengePlaces returns them) and its
// communs (as ChallengeCommons returns them).
func challengePlacesViewFrom(u *fabrique.User, c *fabrique.Challenge, places []fabrique.LinkedPlace, commons []fabrique.LinkedCommons) pages.ChallengePlacesView {
	vm := pages.ChallengePlacesView{Challenge: c, Viewer: u, Commons: commons}
	for _, p := range places {
		if p.Linked {
			vm.Concerned = append(vm.Concerned, p)
		}
		if p.Mine {
			vm.HasPlace = true
			if !p.Linked {
				vm.Declarable = append(vm.Declarable, p)
			}
		}
	}
	return vm
}

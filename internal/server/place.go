package server

import (
	"net/http"
	"net/url"
	"strconv"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/i18n"
	"github.com/fabrique-a-communs/fabrique/internal/markdown"
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
	r.With(s.requireLogin).Get("/tiers-lieux/{slug}/modifier", s.handlePlaceEdit)
	r.With(s.requireLogin).Post("/tiers-lieux/{slug}/modifier", s.handlePlaceUpdate)
	r.With(s.requireLogin).Post("/tiers-lieux/{slug}/membres", s.handlePlaceJoin)
	r.With(s.requireLogin).Post("/tiers-lieux/{slug}/membres/quitter", s.handlePlaceLeave)
	r.With(s.requireLogin).Post("/tiers-lieux/{slug}/membres/{userID}/accepter", s.handlePlaceAccept)
	r.With(s.requireLogin).Post("/tiers-lieux/{slug}/membres/{userID}/refuser", s.handlePlaceRefuse)
	r.With(s.coordinatorsOnly).Post("/tiers-lieux/{slug}/verification", s.handlePlaceVerify)
	r.With(s.requireLogin).Post("/defis/{slug}/tiers-lieux", s.handleChallengePlaceDeclare)
	r.With(s.requireLogin).Post("/defis/{slug}/tiers-lieux/{placeID}/retirer", s.handleChallengePlaceWithdraw)
}

// handlePlaceIndex handles "GET /tiers-lieux": the map of the regions, then the list,
// filtered by region (?region=, which each region of the map links to).
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
	counts, err := s.db.PlaceCountsByRegion(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	base := "/tiers-lieux?"
	if region != "" {
		base += "region=" + url.QueryEscape(region) + "&"
	}
	s.render(w, r, http.StatusOK, pages.PlaceIndex(pages.PlaceIndexView{
		Page:         s.page(r, "Tiers-lieux"),
		Places:       list,
		Region:       region,
		RegionCounts: counts,
		Pager:        components.NewPager(page, placesPerPage, total, base),
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
	form := placeForm(r)
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

// placeForm reads the form declaring or editing a tiers-lieu.
func placeForm(r *http.Request) fabrique.NewPlace {
	f := fabrique.NewPlace{
		Name:        r.PostForm.Get("name"),
		City:        r.PostForm.Get("city"),
		Region:      r.PostForm.Get("region"),
		Website:     r.PostForm.Get("website"),
		Description: r.PostForm.Get("description"),
		Address:     r.PostForm.Get("address"),
		Contact:     r.PostForm.Get("contact"),
	}
	f.Normalize()
	return f
}

// placeToEdit reads the path's tiers-lieu for its edit form, and answers 403 to who may
// not edit it: only its accepted members and the coordination do.
func (s *Server) placeToEdit(w http.ResponseWriter, r *http.Request) (*fabrique.PlaceSummary, bool) {
	ctx := r.Context()
	p, err := s.db.PlaceBySlug(ctx, chi.URLParam(r, "slug"))
	if err != nil {
		s.error(w, r, err)
		return nil, false
	}
	u := userFrom(ctx)
	member := false
	if !u.IsCoordinator() {
		members, err := s.db.PlaceMembers(ctx, p.ID)
		if err != nil {
			s.serverError(w, r, err)
			return nil, false
		}
		for _, m := range members {
			member = member || m.UserID == u.ID
		}
	}
	if err := fabrique.CheckPlaceEdit(u, member); err != nil {
		s.error(w, r, err)
		return nil, false
	}
	return p, true
}

// handlePlaceEdit handles "GET /tiers-lieux/{slug}/modifier".
func (s *Server) handlePlaceEdit(w http.ResponseWriter, r *http.Request) {
	p, ok := s.placeToEdit(w, r)
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, pages.PlaceEdit(pages.PlaceFormView{
		Page: s.placeEditPage(r, p), Slug: p.Slug, Name: p.Name, Form: p.Form()}))
}

// placeEditPage is the page of the edit form, titled with the place's name.
func (s *Server) placeEditPage(r *http.Request, p *fabrique.PlaceSummary) components.Page {
	page := s.page(r, "Modifier le tiers-lieu")
	page.Title = i18n.T(r.Context(), "Modifier %s", p.Name) // a name people wrote is not a catalog key
	return page
}

// handlePlaceUpdate handles "POST /tiers-lieux/{slug}/modifier"; the slug stays.
func (s *Server) handlePlaceUpdate(w http.ResponseWriter, r *http.Request) {
	p, ok := s.placeToEdit(w, r)
	if !ok || !s.parseForm(w, r) {
		return
	}
	form := placeForm(r)
	if err := form.Validate(); err != nil {
		s.render(w, r, http.StatusUnprocessableEntity, pages.PlaceEdit(pages.PlaceFormView{
			Page: s.placeEditPage(r, p), Slug: p.Slug, Name: p.Name, Form: form, Errors: fabrique.ErrorFields(err)}))
		return
	}
	if err := s.db.UpdatePlace(r.Context(), userFrom(r.Context()), p.ID, form); err != nil {
		s.error(w, r, err)
		return
	}
	s.flash(r.Context(), "Le tiers-lieu est mis à jour.")
	redirect(w, r, "/tiers-lieux/"+p.Slug)
}

// handlePlaceShow handles "GET /tiers-lieux/{slug}".
func (s *Server) handlePlaceShow(w http.ResponseWriter, r *http.Request) {
	p, err := s.db.PlaceBySlug(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	vm, err := s.placeShowView(r, p)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, pages.PlaceShow(vm))
}

// placeShowView reads what a tiers-lieu's page shows to the viewer: its members, défis
// and communs; the requests to join, to those who decide them (an accepted member, a
// coordinator), and the viewer's own; who verified it, to coordinators.
func (s *Server) placeShowView(r *http.Request, p *fabrique.PlaceSummary) (pages.PlaceShowView, error) {
	ctx := r.Context()
	u := userFrom(ctx)
	vm := pages.PlaceShowView{Page: s.page(r, p.Name), Place: p, DescriptionHTML: markdown.Render(p.Description)}
	vm.Page.Title = p.Name // a name people wrote is not a catalog key
	var err error
	if vm.Members, err = s.db.PlaceMembers(ctx, p.ID); err != nil {
		return vm, err
	}
	if vm.Challenges, err = s.db.PlaceChallenges(ctx, p.ID); err != nil {
		return vm, err
	}
	if vm.Commons, err = s.db.PlaceCommons(ctx, p.ID); err != nil {
		return vm, err
	}
	if u == nil {
		return vm, nil // the contact stays out of visitors' pages: spam robots read them
	}
	vm.Contact = p.Contact
	for _, m := range vm.Members {
		if m.UserID == u.ID {
			vm.IsMember = true
		}
	}
	vm.CanDecide = vm.IsMember || u.IsCoordinator()
	vm.CanEdit = fabrique.CheckPlaceEdit(u, vm.IsMember) == nil
	requests, err := s.db.PlaceRequests(ctx, p.ID, u.ID)
	if err != nil {
		return vm, err
	}
	for _, q := range requests {
		if q.UserID == u.ID && !vm.IsMember {
			vm.MyRequest = q.State
		}
		if q.State == fabrique.PlaceRequestPending && vm.CanDecide {
			vm.Requests = append(vm.Requests, q)
		}
	}
	if u.IsCoordinator() && p.Verified() {
		if vm.Verification, err = s.db.PlaceVerificationOf(ctx, p.ID); err != nil {
			return vm, err
		}
	}
	return vm, nil
}

// handlePlaceJoin handles "POST /tiers-lieux/{slug}/membres" ("J’en fais partie"): a
// request to join, with message, that an accepted member or a coordinator decides.
func (s *Server) handlePlaceJoin(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p, err := s.db.PlaceBySlug(ctx, chi.URLParam(r, "slug"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	if !s.parseForm(w, r) {
		return
	}
	message := cleanText(r.PostForm.Get("message"))
	if utf8.RuneCountInString(message) > fabrique.MaxJoinMessageLen {
		vm, err := s.placeShowView(r, p)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		vm.Message, vm.Errors = message, map[string]string{"message": "Le message ne doit pas dépasser 1 000 caractères."}
		s.render(w, r, http.StatusUnprocessableEntity, pages.PlaceShow(vm))
		return
	}
	asked, err := s.db.RequestToJoinPlace(ctx, p.ID, userFrom(ctx).ID, message)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if asked {
		s.flash(ctx, "Votre demande est envoyée : un membre du tiers-lieu ou la coordination vous répondra.")
	} else {
		s.flash(ctx, "Vous faites déjà partie de ce tiers-lieu.")
	}
	redirect(w, r, "/tiers-lieux/"+p.Slug)
}

// handlePlaceAccept handles "POST /tiers-lieux/{slug}/membres/{userID}/accepter".
func (s *Server) handlePlaceAccept(w http.ResponseWriter, r *http.Request) {
	s.decidePlaceRequest(w, r, true)
}

// handlePlaceRefuse handles "POST /tiers-lieux/{slug}/membres/{userID}/refuser".
func (s *Server) handlePlaceRefuse(w http.ResponseWriter, r *http.Request) {
	s.decidePlaceRequest(w, r, false)
}

// decidePlaceRequest accepts or refuses the request of the path's {userID}, by an
// accepted member of the place or a coordinator. The same decision taken twice (two
// members at once, a double click) says so; the contrary of a decision taken answers 409.
func (s *Server) decidePlaceRequest(w http.ResponseWriter, r *http.Request, accept bool) {
	ctx := r.Context()
	p, err := s.db.PlaceBySlug(ctx, chi.URLParam(r, "slug"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	userID, ok := pathID(r, "userID")
	if !ok {
		s.notFound(w, r)
		return
	}
	already, err := s.db.DecidePlaceRequest(ctx, p.ID, userFrom(ctx), userID, accept)
	if err != nil {
		s.error(w, r, err)
		return
	}
	switch {
	case already && accept:
		s.flash(ctx, "Cette demande a déjà été acceptée.")
	case already:
		s.flash(ctx, "Cette demande a déjà été refusée.")
	case accept:
		s.flash(ctx, "Demande acceptée : la personne fait maintenant partie du tiers-lieu.")
	default:
		s.flash(ctx, "Demande refusée.")
	}
	redirect(w, r, "/tiers-lieux/"+p.Slug)
}

// handlePlaceVerify handles "POST /tiers-lieux/{slug}/verification" (note), by a
// coordinator: the place exists, this is its team; its pledges may now be matched.
func (s *Server) handlePlaceVerify(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p, err := s.db.PlaceBySlug(ctx, chi.URLParam(r, "slug"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	if !s.parseForm(w, r) {
		return
	}
	note := cleanText(r.PostForm.Get("note"))
	if utf8.RuneCountInString(note) > fabrique.MaxVerificationNoteLen {
		vm, err := s.placeShowView(r, p)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		vm.Note, vm.Errors = note, map[string]string{"note": "La note ne doit pas dépasser 1 000 caractères."}
		s.render(w, r, http.StatusUnprocessableEntity, pages.PlaceShow(vm))
		return
	}
	already, err := s.db.VerifyPlace(ctx, userFrom(ctx), p.ID, note)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if already {
		s.flash(ctx, "Ce tiers-lieu est déjà vérifié.")
	} else {
		s.flash(ctx, "Tiers-lieu vérifié : ses promesses peuvent maintenant être abondées.")
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

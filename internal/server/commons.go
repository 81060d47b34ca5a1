package server

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/markdown"
	"github.com/fabrique-a-communs/fabrique/internal/postgres"
	"github.com/fabrique-a-communs/fabrique/web/components"
	"github.com/fabrique-a-communs/fabrique/web/pages"
)

// commonsPerPage is the length of a page of /communs.
const commonsPerPage = 20

func (s *Server) registerCommonsRoutes(r chi.Router) {
	r.Get("/communs", s.handleCommonsIndex)
	r.With(s.coordinatorsOnly).Get("/communs/nouveau", s.handleCommonsNew)
	r.With(s.coordinatorsOnly).Post("/communs", s.handleCommonsCreate)
	r.Get("/communs/{slug}", s.handleCommonsShow)
	r.With(s.coordinatorsOnly).Get("/communs/{slug}/modifier", s.handleCommonsEdit)
	r.With(s.coordinatorsOnly).Post("/communs/{slug}/modifier", s.handleCommonsUpdate)
	r.With(s.requireLogin).Post("/communs/{slug}/tiers-lieux", s.handleCommonsPlaceDeclare)
}

// handleCommonsIndex handles "GET /communs": the cartographie des ressources.
func (s *Server) handleCommonsIndex(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	kind := q.Get("type")
	if !fabrique.ValidCommonsKind(kind) {
		kind = "" // an unknown type shows every commun rather than an error
	}
	page := pageNumber(q)
	list, total, err := s.db.Commons(r.Context(), fabrique.CommonsFilter{
		Kind: kind, Limit: commonsPerPage, Offset: (page - 1) * commonsPerPage})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	base := "/communs?"
	if kind != "" {
		base += "type=" + url.QueryEscape(kind) + "&"
	}
	s.render(w, r, http.StatusOK, pages.CommonsIndex(pages.CommonsIndexView{
		Page:    s.page(r, "Cartographie des ressources"),
		Commons: list,
		Kind:    kind,
		Pager:   components.NewPager(page, commonsPerPage, total, base),
	}))
}

// handleCommonsNew handles "GET /communs/nouveau".
func (s *Server) handleCommonsNew(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, pages.CommonsFormPage(pages.CommonsFormView{
		Page: s.page(r, "Ajouter un commun"), Form: fabrique.CommonsForm{Kind: "logiciel"}}))
}

// commonsForm reads the commun form from the request.
func commonsForm(r *http.Request) fabrique.CommonsForm {
	f := fabrique.CommonsForm{
		Name:        r.PostForm.Get("name"),
		Kind:        r.PostForm.Get("kind"),
		Summary:     r.PostForm.Get("summary"),
		Description: r.PostForm.Get("description"),
		Licence:     r.PostForm.Get("licence"),
		Website:     r.PostForm.Get("website"),
		SourceURL:   r.PostForm.Get("source_url"),
		MovilabURL:  r.PostForm.Get("movilab_url"),
	}
	f.Normalize()
	return f
}

// handleCommonsCreate handles "POST /communs".
func (s *Server) handleCommonsCreate(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	form := commonsForm(r)
	if err := form.Validate(); err != nil {
		s.render(w, r, http.StatusUnprocessableEntity, pages.CommonsFormPage(pages.CommonsFormView{
			Page: s.page(r, "Ajouter un commun"), Form: form, Errors: fabrique.ErrorFields(err)}))
		return
	}
	c, err := s.db.CreateCommons(r.Context(), form)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.flash(r.Context(), "Le commun est ajouté à la cartographie.")
	redirect(w, r, "/communs/"+c.Slug)
}

// handleCommonsShow handles "GET /communs/{slug}".
func (s *Server) handleCommonsShow(w http.ResponseWriter, r *http.Request) {
	slug := chi.URLParam(r, "slug")
	c, err := cached(r.Context(), s.data, "commons-slug:"+slug, func(ctx context.Context) (*fabrique.Commons, error) {
		return s.db.CommonsBySlug(ctx, slug)
	})
	if err != nil {
		s.error(w, r, err)
		return
	}
	// The commun as everyone of the viewer's class sees it kept rendered; what says
	// which tiers-lieux are the viewer's, and the step form of its porteur·ses, rendered
	// for each.
	s.renderShared(w, r, http.StatusOK, "commons:"+strconv.FormatInt(c.ID, 10), c.Name, func(ctx context.Context, p components.Page) (templ.Component, error) {
		vm, err := s.commonsShowView(ctx, r.Method, p, c)
		return pages.CommonsShow(vm), err
	}, func() (map[string]templ.Component, error) {
		u := userFrom(r.Context())
		cp, err := s.commonsPageFor(r.Context(), r.Method, c, u)
		if err != nil {
			return nil, err
		}
		// Each the same for everyone of the class with the same tiers-lieux here, and the
		// same right to add a step.
		vm := pages.CommonsShowView{Page: components.Page{User: classUser(u)}, Commons: c, CanAddStep: mayAddCommonsStep(u, cp)}
		commonsPlacesViewFrom(cp.Places, &vm)
		key := "commons:" + strconv.FormatInt(c.ID, 10) + ":" + viewerClass(u)
		return map[string]templ.Component{
			"places":   keptPart{key: key + ":places:" + placesFactsKey(cp.Places), c: pages.CommonsPlacesSection(vm)},
			"add-step": keptPart{key: key + ":add-step:" + strconv.FormatBool(vm.CanAddStep), c: pages.CommonsAddStep(vm)},
		}, nil
	})
}

// commonsShowView gathers what a commun's page shows to the viewer in two round trips,
// whatever the size of its lists: the commun (read before), then one batch of the défis
// it answers, the places using it, its team (the défis it came from), its development
// steps with their figures, and its development funds; then its rendez-vous.
//
// page is the layout's page.
func (s *Server) commonsShowView(ctx context.Context, method string, page components.Page, c *fabrique.Commons) (pages.CommonsShowView, error) {
	u := userFrom(ctx)
	cp, err := s.commonsPageFor(ctx, method, c, u)
	if err != nil {
		return pages.CommonsShowView{}, err
	}
	vm := pages.CommonsShowView{Page: page, Commons: c, DescriptionHTML: markdown.Render(c.Description),
		Challenges: cp.Challenges, CanEdit: u.IsCoordinator(), CanAddStep: mayAddCommonsStep(u, cp),
		Team: cp.Team, Steps: stepItems(cp.Steps, cp.Figures), Funds: cp.Funds}
	commonsPlacesViewFrom(cp.Places, &vm)
	vm.Events, _, err = s.db.Events(ctx, fabrique.EventFilter{CommonsSlug: c.Slug, NotCancelled: true, NoCount: true, Limit: 4})
	return vm, err
}

// commonsPageFor reads commun c's page as u sees it: for a GET with the data cache, the
// commun as anyone sees it, read once per change of the data, and the tiers-lieux, which
// say which are u's, read apart unless the facts read with their session suffice
// (ownPlaces).
func (s *Server) commonsPageFor(ctx context.Context, method string, c *fabrique.Commons, u *fabrique.User) (*postgres.CommonsPage, error) {
	if method != http.MethodGet || s.data == nil {
		var viewerID int64
		if u != nil {
			viewerID = u.ID
		}
		return s.db.CommonsPage(ctx, c.ID, viewerID)
	}
	cp, err := cached(ctx, s.data, "commons-page:"+strconv.FormatInt(c.ID, 10), func(ctx context.Context) (*postgres.CommonsPage, error) {
		return s.db.CommonsPage(ctx, c.ID, 0)
	})
	if err != nil || u == nil {
		return cp, err
	}
	places, known, err := s.ownPlaces(ctx, cp.Places, u)
	if err != nil {
		return nil, err
	}
	if !known {
		if places, err = s.db.CommonsPlaces(ctx, c.ID, u.ID); err != nil {
			return nil, err
		}
	}
	own := *cp
	own.Places = places
	return &own, nil
}

// commonsPlacesViewFrom puts in vm the tiers-lieux using the commun and the viewer's
// own that do not say so yet, from places as the viewer sees them.
func commonsPlacesViewFrom(places []fabrique.LinkedPlace, vm *pages.CommonsShowView) {
	for _, p := range places {
		if p.Linked {
			vm.Places = append(vm.Places, p)
		}
		if p.Mine {
			vm.HasPlace = true
			if !p.Linked {
				vm.Declarable = append(vm.Declarable, p)
			}
		}
	}
}

// mayAddCommonsStep says whether u may add steps to the commun of cp: a coordinator, or
// the porteur of a défi it came from.
func mayAddCommonsStep(u *fabrique.User, cp *postgres.CommonsPage) bool {
	if u.IsCoordinator() {
		return true
	}
	for _, m := range cp.Team {
		if m.Lead && u != nil && m.UserID == u.ID {
			return true
		}
	}
	return false
}

// handleCommonsEdit handles "GET /communs/{slug}/modifier".
func (s *Server) handleCommonsEdit(w http.ResponseWriter, r *http.Request) {
	c, err := s.db.CommonsBySlug(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, pages.CommonsFormPage(pages.CommonsFormView{
		Page: s.page(r, "Modifier le commun"), Slug: c.Slug, Form: c.Form()}))
}

// handleCommonsUpdate handles "POST /communs/{slug}/modifier"; the slug stays.
func (s *Server) handleCommonsUpdate(w http.ResponseWriter, r *http.Request) {
	c, err := s.db.CommonsBySlug(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	if !s.parseForm(w, r) {
		return
	}
	form := commonsForm(r)
	if err := form.Validate(); err != nil {
		s.render(w, r, http.StatusUnprocessableEntity, pages.CommonsFormPage(pages.CommonsFormView{
			Page: s.page(r, "Modifier le commun"), Slug: c.Slug, Form: form, Errors: fabrique.ErrorFields(err)}))
		return
	}
	if _, err := s.db.UpdateCommons(r.Context(), c.Slug, form); err != nil {
		s.error(w, r, err)
		return
	}
	s.flash(r.Context(), "Le commun est mis à jour.")
	redirect(w, r, "/communs/"+c.Slug)
}

// handleCommonsPlaceDeclare handles "POST /communs/{slug}/tiers-lieux" ("nous utilisons
// ce commun"), by a member of the place.
func (s *Server) handleCommonsPlaceDeclare(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	c, err := s.db.CommonsBySlug(ctx, chi.URLParam(r, "slug"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	placeID, ok := s.placeIDFromForm(w, r)
	if !ok {
		return
	}
	added, err := s.db.DeclareCommonsPlace(ctx, c.ID, placeID, userFrom(ctx).ID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if added {
		s.flash(ctx, "Votre tiers-lieu figure parmi les utilisateurs de ce commun.")
	} else {
		s.flash(ctx, "Votre tiers-lieu figurait déjà parmi les utilisateurs de ce commun.")
	}
	redirect(w, r, "/communs/"+c.Slug)
}

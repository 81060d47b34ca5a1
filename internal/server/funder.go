package server

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/web/pages"
)

// Funder profiles: the kind of funder an account pledges as (tiers-lieu, collectivité,
// fondation, entreprise, particulier), set at /espace/financeur or with a first pledge.

// parseFunderFields reads the funder profile's fields; kindField names the kind's field
// ("kind" on the profile form, "funder_kind" on a pledge form). Whether the tiers-lieu
// is one of the account's is checked by the store.
func parseFunderFields(form url.Values, kindField string, v *fabrique.Validation) (pages.FunderForm, fabrique.Funder) {
	f := pages.FunderForm{
		Kind:         strings.TrimSpace(form.Get(kindField)),
		Organisation: strings.Join(strings.Fields(form.Get("organisation")), " "),
		PlaceID:      strings.TrimSpace(form.Get("place_id")),
	}
	in := fabrique.Funder{Kind: f.Kind, Organisation: f.Organisation}
	switch {
	case f.Kind == "":
		v.Add(kindField, "Choisissez le type de financeur que vous êtes.")
	case !fabrique.ValidFunderKind(f.Kind):
		v.Add(kindField, "Choisissez un type de financeur de la liste.")
	}
	switch n := utf8.RuneCountInString(f.Organisation); {
	case n == 0 && f.Kind != "particulier":
		v.Add("organisation", "Indiquez le nom de votre organisation.")
	case n > fabrique.MaxOrganisationLen:
		v.Add("organisation", "Le nom de l’organisation ne doit pas dépasser 160 caractères.")
	}
	if f.Kind == fabrique.FunderKindPlace {
		id, err := strconv.ParseInt(f.PlaceID, 10, 64)
		if f.PlaceID == "" || err != nil || id <= 0 {
			v.Add("place_id", "Choisissez le tiers-lieu au nom duquel vous financez.")
		}
		in.PlaceID = id
	}
	return f, in
}

// funderOf returns u's funder profile, or nil when they have none.
func (s *Server) funderOf(r *http.Request, u *fabrique.User) (*fabrique.Funder, error) {
	f, err := s.db.FunderByUser(r.Context(), u.ID)
	if fabrique.ErrorCode(err) == fabrique.ENOTFOUND {
		return nil, nil
	}
	return f, err
}

// funderSetup returns u's funder profile, or nil with the tiers-lieux a first profile
// may name: what a pledge form needs, in one or two queries (a call's page reads them in
// its batch: callViewer).
func (s *Server) funderSetup(r *http.Request, u *fabrique.User) (*fabrique.Funder, []fabrique.Place, error) {
	f, err := s.funderOf(r, u)
	if err != nil || f != nil {
		return f, nil, err
	}
	places, err := s.db.FunderPlaces(r.Context(), u.ID)
	return nil, places, err
}

// handleFunderShow handles "GET /espace/financeur": the funder profile form.
func (s *Server) handleFunderShow(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	f, err := s.funderOf(r, u)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	form := pages.FunderForm{}
	if f != nil {
		form = pages.FunderForm{Kind: f.Kind, Organisation: f.Organisation}
		if f.PlaceID != 0 {
			form.PlaceID = strconv.FormatInt(f.PlaceID, 10)
		}
	}
	s.renderFunder(w, r, http.StatusOK, f != nil, form, nil, localPath(r.URL.Query().Get("suivant"), ""))
}

func (s *Server) renderFunder(w http.ResponseWriter, r *http.Request, status int, has bool, form pages.FunderForm, errs map[string]string, next string) {
	places, err := s.db.FunderPlaces(r.Context(), userFrom(r.Context()).ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, status, pages.FunderEdit(pages.FunderView{Page: s.page(r, "Mon profil de financeur"),
		Form: form, Errors: errs, Places: places, HasProfile: has, Next: next}))
}

// handleFunderSave handles "POST /espace/financeur" (kind, organisation, place_id,
// suivant): creates or changes the viewer's funder profile.
func (s *Server) handleFunderSave(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	u := userFrom(ctx)
	next := localPath(r.PostForm.Get("suivant"), "")
	var v fabrique.Validation
	form, in := parseFunderFields(r.PostForm, "kind", &v)
	in.UserID = u.ID
	invalid := func(errs map[string]string) {
		has, err := s.funderOf(r, u)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		s.renderFunder(w, r, http.StatusUnprocessableEntity, has != nil, form, errs, next)
	}
	if len(v.Fields) > 0 {
		invalid(v.Fields)
		return
	}
	if _, err := s.db.SaveFunder(ctx, in); err != nil {
		if fabrique.ErrorCode(err) == fabrique.EINVALID {
			invalid(fabrique.ErrorFields(err))
			return
		}
		s.error(w, r, err)
		return
	}
	s.flash(ctx, "Votre profil de financeur est enregistré.")
	redirect(w, r, localPath(next, "/espace"))
}

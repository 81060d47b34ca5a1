package server

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/web/pages"
)

func (s *Server) registerStatusRoutes(r chi.Router) {
	r.With(s.requireLogin).Post("/defis/{slug}/statut", s.handleStatusChange)
}

// challengeStatusView is the status part of a défi's page for the viewer: the moves the
// actor may make, and those the facts still bar, with why (fabrique.MoveOptions), the
// timeline, and — when développement is among the moves — the communs the défi may be
// attached to, read in one more query.
func (s *Server) challengeStatusView(r *http.Request, c *fabrique.Challenge, actor fabrique.Actor, facts fabrique.TransitionFacts, timeline []fabrique.StatusChange) (pages.ChallengeStatusView, error) {
	vm := pages.ChallengeStatusView{Slug: c.Slug, Status: c.Status, Timeline: timeline, Moves: fabrique.MoveOptions(c.Status, actor, facts)}
	var allowed []fabrique.Status
	for _, m := range vm.Moves {
		if m.Allowed {
			allowed = append(allowed, m.To)
		}
	}
	dev, err := s.developChoices(r, c, allowed)
	vm.Develop = dev
	return vm, err
}

// developChoices reads the commun part of the status form: nil unless the viewer may
// move the défi to développement.
func (s *Server) developChoices(r *http.Request, c *fabrique.Challenge, moves []fabrique.Status) (*pages.DevelopChoices, error) {
	if !slices.Contains(moves, fabrique.StatusDevelopment) {
		return nil, nil
	}
	origin, found, list, err := s.db.DevelopChoices(r.Context(), c.ID)
	if err != nil {
		return nil, err
	}
	d := &pages.DevelopChoices{Title: c.Title, CommonsKind: "autre", Commons: list}
	if found {
		d.Origin = &origin
	}
	return d, nil
}

// handleStatusChange handles "POST /defis/{slug}/statut": the défi moves to another step
// by the rules of fabrique.CheckTransition, judged by the store under a lock. A move to
// développement also gives rise to the défi's commun, created from it or, with
// commons_id, an existing one (commons_kind: the kind of a commun created). A move the
// rules refuse re-renders the page with the reason next to its field.
func (s *Server) handleStatusChange(w http.ResponseWriter, r *http.Request) {
	c, ok := s.challengeFromURL(w, r)
	if !ok || !s.parseForm(w, r) {
		return
	}
	m := fabrique.StatusMove{
		To:          fabrique.Status(strings.TrimSpace(r.PostForm.Get("statut"))),
		Note:        cleanText(r.PostForm.Get("note")),
		CommonsKind: strings.TrimSpace(r.PostForm.Get("commons_kind")),
	}
	rawCommons := strings.TrimSpace(r.PostForm.Get("commons_id"))
	if m.To == fabrique.StatusDevelopment && rawCommons != "" {
		id, err := strconv.ParseInt(rawCommons, 10, 64)
		if err != nil || id <= 0 {
			id = -1 // no such commun: refused by the store, after the rights
		}
		m.CommonsID = id
	}
	moved, err := s.db.MoveChallenge(r.Context(), c.ID, userFrom(r.Context()), m)
	switch fabrique.ErrorCode(err) {
	case "":
		switch {
		case moved.Created:
			s.flash(r.Context(), "Le défi passe en développement : le commun qui en est issu est créé dans la cartographie.")
		case moved.Commons != nil:
			s.flash(r.Context(), "Le défi passe en développement : il poursuit le commun auquel il est rattaché.")
		default:
			s.flash(r.Context(), "L’étape du défi est mise à jour.")
		}
		redirect(w, r, "/defis/"+c.Slug)
	case fabrique.EINVALID:
		fields := fabrique.ErrorFields(err)
		// The page is read again, with the moves of the défi as it is now; the form keeps
		// what was sent.
		s.renderChallengeInvalid(w, r, c.Slug, func(vm *pages.ChallengeShowView) {
			vm.Status.Selected, vm.Status.Note, vm.Status.Errors = m.To, m.Note, fields
			if dev := vm.Status.Develop; dev != nil {
				dev.CommonsID, dev.CommonsKind = rawCommons, m.CommonsKind
			}
		})
	default:
		s.error(w, r, err)
	}
}

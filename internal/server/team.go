package server

import (
	"net/http"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/web/pages"
)

func (s *Server) registerTeamRoutes(r chi.Router) {
	r.Group(func(r chi.Router) {
		r.Use(s.requireLogin)
		r.Post("/defis/{slug}/equipe", s.handleTeamJoin)
		r.Post("/defis/{slug}/equipe/quitter", s.handleTeamLeave)
		r.Post("/defis/{slug}/equipe/{userID}/accepter", s.handleTeamAccept)
		r.Post("/defis/{slug}/equipe/{userID}/refuser", s.handleTeamRefuse)
		r.Post("/defis/{slug}/equipe/{userID}/porteur", s.handleTeamHandOver)
	})
}

// teamView sorts the team rows of a défi for its page: accepted members, pending
// requests (shown to the porteur and coordinators only), and where the viewer stands.
func teamView(c *fabrique.Challenge, u *fabrique.User, entries []fabrique.TeamEntry) pages.ChallengeTeamView {
	vm := pages.ChallengeTeamView{
		Slug:      c.Slug,
		Closed:    c.Status == fabrique.StatusClosed,
		Viewer:    pages.ViewerAnonymous,
		CanManage: u.IsCoordinator() || (u != nil && u.ID == c.LeadID),
	}
	if u != nil {
		vm.Viewer = pages.ViewerOutside
	}
	for _, e := range entries {
		switch e.State {
		case fabrique.MemberAccepted:
			since := e.AskedAt
			if e.DecidedAt != nil {
				since = *e.DecidedAt
			}
			vm.Members = append(vm.Members, fabrique.Member{UserID: e.UserID, DisplayName: e.DisplayName, Role: e.Role, Since: since})
		case fabrique.MemberPending:
			if vm.CanManage {
				vm.Requests = append(vm.Requests, e)
			}
		}
		if u == nil || e.UserID != u.ID {
			continue
		}
		if v := viewerInTeam(fabrique.TeamRow{Role: e.Role, State: e.State}); v != "" {
			vm.Viewer = v
		}
	}
	return vm
}

// viewerInTeam is the place in the team (pages.Viewer*) of the person whose row is row,
// "" when it gives none (they left).
func viewerInTeam(row fabrique.TeamRow) string {
	switch {
	case row.State == fabrique.MemberAccepted && row.Role == fabrique.TeamLead:
		return pages.ViewerLead
	case row.State == fabrique.MemberAccepted:
		return pages.ViewerMember
	case row.State == fabrique.MemberPending:
		return pages.ViewerPending
	case row.State == fabrique.MemberRefused:
		return pages.ViewerRefused
	}
	return ""
}

// ownPlaceInTeam is u's place in the team of défi id from the facts read with their
// session, as teamView finds it in the team's rows.
func ownPlaceInTeam(u *fabrique.User, id int64) string {
	if u == nil {
		return pages.ViewerAnonymous
	}
	if row, ok := u.Own.Teams[id]; ok {
		if v := viewerInTeam(row); v != "" {
			return v
		}
	}
	return pages.ViewerOutside
}

// handleTeamJoin handles "POST /defis/{slug}/equipe": a request to join the team.
func (s *Server) handleTeamJoin(w http.ResponseWriter, r *http.Request) {
	c, ok := s.challengeFromURL(w, r)
	if !ok || !s.parseForm(w, r) {
		return
	}
	message := cleanText(r.PostForm.Get("message"))
	invalid := func(msg string) {
		s.renderChallengeInvalid(w, r, c.Slug, func(vm *pages.ChallengeShowView) {
			vm.Team.Message, vm.Team.Errors = message, map[string]string{"message": msg}
		})
	}
	if utf8.RuneCountInString(message) > fabrique.MaxJoinMessageLen {
		invalid("Le message ne doit pas dépasser 1 000 caractères.")
		return
	}
	err := s.db.RequestToJoin(r.Context(), c.ID, userFrom(r.Context()).ID, message)
	switch fabrique.ErrorCode(err) {
	case "":
		s.flash(r.Context(), "Votre demande est envoyée : le·la porteur·se du défi vous répondra.")
		redirect(w, r, "/defis/"+c.Slug)
	case fabrique.ECONFLICT: // already in the team, or the défi is closed
		invalid(fabrique.ErrorMessage(err))
	default:
		s.error(w, r, err)
	}
}

// handleTeamAccept handles "POST /defis/{slug}/equipe/{userID}/accepter".
func (s *Server) handleTeamAccept(w http.ResponseWriter, r *http.Request) {
	s.decideJoinRequest(w, r, true)
}

// handleTeamRefuse handles "POST /defis/{slug}/equipe/{userID}/refuser".
func (s *Server) handleTeamRefuse(w http.ResponseWriter, r *http.Request) {
	s.decideJoinRequest(w, r, false)
}

// decideJoinRequest accepts or refuses the request of the path's {userID}. A decision
// already taken, by someone else a moment ago for instance, answers 409.
func (s *Server) decideJoinRequest(w http.ResponseWriter, r *http.Request, accept bool) {
	c, ok := s.challengeFromURL(w, r)
	if !ok {
		return
	}
	userID, ok := pathID(r, "userID")
	if !ok {
		s.notFound(w, r)
		return
	}
	if err := s.db.DecideJoinRequest(r.Context(), c.ID, userFrom(r.Context()), userID, accept); err != nil {
		s.error(w, r, err)
		return
	}
	if accept {
		s.flash(r.Context(), "Demande acceptée : la personne rejoint l’équipe.")
	} else {
		s.flash(r.Context(), "Demande refusée.")
	}
	redirect(w, r, localPath(r.PostFormValue("suivant"), "/defis/"+c.Slug))
}

// handleTeamLeave handles "POST /defis/{slug}/equipe/quitter": a member leaves the team,
// or someone withdraws their pending request.
func (s *Server) handleTeamLeave(w http.ResponseWriter, r *http.Request) {
	c, ok := s.challengeFromURL(w, r)
	if !ok {
		return
	}
	was, err := s.db.LeaveTeam(r.Context(), c.ID, userFrom(r.Context()).ID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if was == fabrique.MemberPending {
		s.flash(r.Context(), "Votre demande est retirée.")
	} else {
		s.flash(r.Context(), "Vous avez quitté l’équipe du défi.")
	}
	redirect(w, r, localPath(r.PostFormValue("suivant"), "/defis/"+c.Slug))
}

// handleTeamHandOver handles "POST /defis/{slug}/equipe/{userID}/porteur": the porteur
// (or a coordinator) hands the role to another member of the team.
func (s *Server) handleTeamHandOver(w http.ResponseWriter, r *http.Request) {
	c, ok := s.challengeFromURL(w, r)
	if !ok {
		return
	}
	userID, ok := pathID(r, "userID")
	if !ok {
		s.notFound(w, r)
		return
	}
	if err := s.db.HandOverLead(r.Context(), c.ID, userFrom(r.Context()), userID); err != nil {
		s.error(w, r, err)
		return
	}
	s.flash(r.Context(), "Le rôle de porteur·se est confié à un autre membre de l’équipe.")
	redirect(w, r, "/defis/"+c.Slug)
}

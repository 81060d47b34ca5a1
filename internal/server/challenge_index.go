package server

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/a-h/templ"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/i18n"
	"github.com/fabrique-a-communs/fabrique/internal/postgres"
	"github.com/fabrique-a-communs/fabrique/web/components"
	"github.com/fabrique-a-communs/fabrique/web/pages"
)

// challengesPerPage is the length of a page of /defis.
const challengesPerPage = 20

// handleChallengeIndex handles "GET /defis": the défis, newest first, or the best
// matches of a French full-text search (?q=), filtered by step (?statut=) and region
// (?region=), paginated (?page=). Junk parameters are forgiven, never an error: an
// unknown step or region shows every défi, a search is cleaned and cut.
func (s *Server) handleChallengeIndex(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	status := fabrique.Status(q.Get("statut"))
	if !status.Valid() {
		status = "" // an unknown filter shows everything rather than an error
	}
	region := q.Get("region")
	if !fabrique.ValidRegion(region) {
		region = ""
	}
	search := postgres.SearchText(q.Get("q"))
	page := pageNumber(q)
	f := fabrique.ChallengeFilter{Query: search, Status: status, Region: region,
		Limit: challengesPerPage, Offset: (page - 1) * challengesPerPage}
	s.renderShared(w, r, http.StatusOK, "defis", i18n.T(r.Context(), "Défis"), func(ctx context.Context, p components.Page) (templ.Component, error) {
		var list []*fabrique.Challenge
		var total int
		var err error
		if search != "" {
			list, total, err = s.searchChallenges(ctx, f)
		} else {
			// The same for everyone: from the data cache.
			key := "defis\x00" + string(f.Status) + "\x00" + f.Region + "\x00" + strconv.Itoa(f.Offset)
			list, total, err = cached2(ctx, s.data, key, func(ctx context.Context) ([]*fabrique.Challenge, int, error) {
				return s.db.Challenges(ctx, f)
			})
		}
		if err != nil {
			return nil, err
		}
		// The pagination links keep the filters, in a fixed order.
		base := "/defis?"
		if search != "" {
			base += "q=" + url.QueryEscape(search) + "&"
		}
		if status != "" {
			base += "statut=" + url.QueryEscape(string(status)) + "&"
		}
		if region != "" {
			base += "region=" + url.QueryEscape(region) + "&"
		}
		return pages.ChallengeIndex(pages.ChallengeIndexView{
			Page:       p,
			Challenges: list,
			Query:      search,
			Status:     status,
			Region:     region,
			Pager:      components.Pager{Page: page, Pages: max(1, (total+challengesPerPage-1)/challengesPerPage), Total: total, BaseURL: base},
		}), nil
	}, nil)
}

// searchChallenges is a page of a search: the matches are ranked once per change of the
// data (the data cache), then only the page's défis are read. Ranking a common word —
// 3 000 of 10 000 défis — costs far more than reading twenty of them.
func (s *Server) searchChallenges(ctx context.Context, f fabrique.ChallengeFilter) ([]*fabrique.Challenge, int, error) {
	key := "search\x00" + f.Query + "\x00" + string(f.Status) + "\x00" + f.Region
	ids, err := cached(ctx, s.data, key, func(ctx context.Context) ([]int64, error) { return s.db.SearchChallengeIDs(ctx, f) })
	if err != nil {
		return nil, 0, err
	}
	from := min(f.Offset, len(ids))
	page := ids[from:min(from+f.Limit, len(ids))]
	if len(page) == 0 {
		return nil, len(ids), nil
	}
	list, err := s.db.ChallengesByID(ctx, page)
	return list, len(ids), err
}

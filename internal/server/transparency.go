package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	"github.com/fabrique-a-communs/fabrique/internal/csvexport"
	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/i18n"
	"github.com/fabrique-a-communs/fabrique/internal/postgres"
	"github.com/fabrique-a-communs/fabrique/web/components"
	"github.com/fabrique-a-communs/fabrique/web/pages"
)

// movementsPerPage is the length of a page of /transparence.
const movementsPerPage = 50

func (s *Server) registerTransparencyRoutes(r chi.Router) {
	r.Get("/transparence", s.handleTransparency)
	r.Get("/transparence.csv", s.handleTransparencyCSV)
}

// movementFilter reads ?annee=, ?q= (words of a défi's title) and ?defi= (a défi's
// address, as bookmarked links carry it), forgiving junk: an unreadable year or an
// unknown défi filters nothing or matches nothing, never an error; a search is cleaned
// and cut as on /defis.
func movementFilter(q url.Values) fabrique.MovementFilter {
	var f fabrique.MovementFilter
	if y, err := strconv.Atoi(q.Get("annee")); err == nil && y >= 2000 && y <= 2200 {
		f.Year = y
	}
	if slug := q.Get("defi"); slug == fabrique.Slugify(slug) {
		f.ChallengeSlug = slug
	}
	f.Title = postgres.SearchText(q.Get("q"))
	return f
}

// filterQuery writes f back as a query string, ending in "&" when not empty.
func filterQuery(f fabrique.MovementFilter) string {
	v := url.Values{}
	if f.Year != 0 {
		v.Set("annee", strconv.Itoa(f.Year))
	}
	if f.Title != "" {
		v.Set("q", f.Title)
	}
	if f.ChallengeSlug != "" {
		v.Set("defi", f.ChallengeSlug)
	}
	if len(v) == 0 {
		return ""
	}
	return v.Encode() + "&"
}

// handleTransparency handles "GET /transparence": the movements of the ledger, newest
// first, paginated, and the balances, to this day or of the year chosen.
func (s *Server) handleTransparency(w http.ResponseWriter, r *http.Request) {
	f := movementFilter(r.URL.Query())
	page := pageNumber(r.URL.Query())
	f.Limit, f.Offset = movementsPerPage, (page-1)*movementsPerPage
	s.renderShared(w, r, http.StatusOK, "transparence", i18n.T(r.Context(), "Comptes publics"), func(ctx context.Context, p components.Page) (templ.Component, error) {
		// Public accounts, the same for everyone: from the data cache.
		key := fmt.Sprintf("transparency\x00%d\x00%s\x00%s\x00%d", f.Year, f.ChallengeSlug, f.Title, f.Offset)
		t, err := cached(ctx, s.data, key, func(ctx context.Context) (*fabrique.Transparency, error) { return s.db.Transparency(ctx, f) })
		if err != nil {
			return nil, err
		}
		// A year asked for by its URL stays selected, even without movements (a copy: the
		// list is shared).
		years := slices.Clone(t.Years)
		if f.Year != 0 && !slices.Contains(years, f.Year) {
			years = append(years, f.Year)
			slices.SortFunc(years, func(a, b int) int { return b - a })
		}
		query := filterQuery(f)
		withoutSlug := f
		withoutSlug.ChallengeSlug = ""
		withoutSlugURL := "/transparence"
		if q := filterQuery(withoutSlug); q != "" {
			withoutSlugURL += "?" + strings.TrimSuffix(q, "&")
		}
		return pages.Transparency(pages.TransparencyView{
			Page:           p,
			Transparency:   t,
			Filter:         f,
			YearOptions:    years,
			Pager:          components.NewPager(page, movementsPerPage, t.Total, "/transparence?"+query),
			CSVURL:         "/transparence.csv?" + strings.TrimSuffix(query, "&"),
			WithoutSlugURL: withoutSlugURL,
		}), nil
	}, nil)
}

// handleTransparencyCSV handles "GET /transparence.csv": one row per entry (each
// movement debits one account and credits another), as an accountant imports a journal.
// ?decimal=point writes 1234.50 with "," between columns; by default 1234,50 with ";",
// as French spreadsheets expect.
func (s *Server) handleTransparencyCSV(w http.ResponseWriter, r *http.Request) {
	f := movementFilter(r.URL.Query())
	movements, err := s.db.Movements(r.Context(), f)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	point := r.URL.Query().Get("decimal") == "point"
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="fabrique-comptes.csv"`)
	format := csvexport.Format{Comma: ';', DateLayout: time.DateOnly}
	if point {
		format.Comma, format.DecimalPoint = ',', true
	}
	cw := csvexport.NewWriter(w, format)
	ctx := r.Context()
	cw.Header("date", "compte", "contrepartie", "nature", "montant", "reference", "mouvement")
	for _, m := range movements {
		kind := csvexport.Text(i18n.T(ctx, fabrique.TransactionKindLabel(m.Kind)))
		date, id, ref := csvexport.Date(m.OccurredOn), csvexport.Int(m.ID), csvexport.Text(m.Reference)
		from, to := csvexport.Text(pages.AccountLabel(ctx, m.From)), csvexport.Text(pages.AccountLabel(ctx, m.To))
		cw.Row(date, from, to, kind, csvexport.Amount(-m.Amount), ref, id)
		cw.Row(date, to, from, kind, csvexport.Amount(m.Amount), ref, id)
	}
	_ = cw.Flush() // the answer has started: an error can only cut it short
}

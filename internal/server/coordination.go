package server

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/web/components"
	"github.com/fabrique-a-communs/fabrique/web/pages"
)

// Bounds of the coordination's pages.
const (
	queueOnCoordination = 10 // seed requests and défis to decide listed on /coordination, which links to the rest
	queuePerPage        = 20 // on /coordination/amorcage and /coordination/developpement
	planExcerptRunes    = 280
	journalPageSize     = 50
	coordinationCalls   = 6     // latest calls charted on /coordination
	journalMaxPage      = 10000 // past it, an offset costs the database for nothing
)

func (s *Server) registerCoordinationRoutes(r chi.Router) {
	r.Group(func(r chi.Router) {
		r.Use(s.coordinatorsOnly)
		r.Get("/coordination", s.handleCoordinationShow)
		r.Post("/coordination/fonds", s.handleSeedFundSet)
		r.Get("/coordination/journal", s.handleCoordinationJournal)
		r.Get("/coordination/amorcage", s.handleSeedQueue)
		r.Get("/coordination/developpement", s.handleDevelopQueue)
	})
}

// coordinationView gathers the queue: the pending seed requests, the seed funds of every
// year, the défis waiting for the développement decision, the payments summary and the
// pledges to confirm.
func (s *Server) coordinationView(r *http.Request) (pages.CoordinationView, error) {
	ctx := r.Context()
	seed, err := s.seedQueueView(r, queueOnCoordination, 0, "/coordination")
	if err != nil {
		return pages.CoordinationView{}, err
	}
	funds, err := cachedUntilChange(ctx, s.data, "seed-funds", s.db.SeedFunds)
	if err != nil {
		return pages.CoordinationView{}, err
	}
	year := currentFundYear()
	vm := pages.CoordinationView{
		Page:     s.page(r, "Coordination"),
		Seed:     seed,
		Fund:     fabrique.SeedFundSummary{Year: year},
		FundForm: pages.FundForm{Year: strconv.Itoa(year)},
	}
	u := userFrom(ctx)
	for _, f := range funds {
		vm.Funds = append(vm.Funds, f)
		if f.Year == year {
			vm.Fund = f
			// The form starts from the fund's current amount: changing it is editing it.
			vm.FundForm.Amount = pages.AmountInput(f.Total)
		}
	}
	if vm.Develop, err = s.developQueueView(r, queueOnCoordination, 0); err != nil {
		return vm, err
	}
	if vm.DaysByMonth, err = cachedUntilChange(ctx, s.data, "coordination:days:"+strconv.Itoa(year), func(ctx context.Context) ([12]int, error) {
		return s.db.PaidDaysByMonth(ctx, year)
	}); err != nil {
		return vm, err
	}
	// The days others logged: everyone's waiting days, the same for every coordinator,
	// less the viewer's own.
	waiting, err := cachedUntilChange(ctx, s.data, "coordination:time-waiting", s.db.CoordinationTimeWaiting)
	if err != nil {
		return vm, err
	}
	for author, n := range waiting {
		if author != u.ID {
			vm.TimeToValidate += n
		}
	}
	if vm.Calls, err = cached(ctx, s.data, "calls", s.db.Calls); err != nil {
		return vm, err
	}
	vm.Calls = vm.Calls[:min(len(vm.Calls), coordinationCalls)]
	payments, err := s.coordinationPaymentsSummary(r)
	if err != nil {
		return vm, err
	}
	vm.Payments = pages.PaymentsSummarySection(payments)
	if vm.Pledges, err = s.coordinationPledgesView(r); err != nil {
		return vm, err
	}
	return vm, nil
}

// seedQueueView reads limit of the seed requests waiting from offset, each with what the
// viewer may decide; a decision comes back to returnTo.
func (s *Server) seedQueueView(r *http.Request, limit, offset int, returnTo string) (pages.SeedQueueView, error) {
	ctx := r.Context()
	// What every coordinator sees alike comes from the data cache (it costs 230 ms of
	// PostgreSQL at 10 000 défis); the viewer's own facts are added below.
	key := "coordination:seed:" + strconv.Itoa(limit) + ":" + strconv.Itoa(offset)
	// The plans' excerpts are kept with the queue: cutting them on every request was a
	// tenth of /coordination's CPU.
	type seedQueue struct {
		items    []fabrique.SeedQueueItem
		excerpts []string
		total    int
	}
	sq, err := cachedUntilChange(ctx, s.data, key, func(ctx context.Context) (seedQueue, error) {
		items, total, err := s.db.SeedRequests(ctx, limit, offset)
		q := seedQueue{items: items, total: total}
		for _, it := range items {
			q.excerpts = append(q.excerpts, excerpt(it.Plan, planExcerptRunes))
		}
		return q, err
	})
	if err != nil {
		return pages.SeedQueueView{}, err
	}
	vm := pages.SeedQueueView{Total: sq.total, ReturnTo: returnTo, Lines: make([]pages.SeedQueueLine, 0, len(sq.items))}
	now := time.Now()
	u := userFrom(ctx)
	barred := false
	for i, q := range sq.items {
		line := pages.SeedQueueLine{SeedQueueItem: q, PlanExcerpt: sq.excerpts[i], AgeDays: q.Age(now)}
		// Four eyes: the viewer's own requests, and their défis', wait for another coordinator.
		line.DecideBar = fabrique.SeedDeciderBar(u, fabrique.SeedDeciderFacts{RequestedBy: q.RequestedBy, LeadID: q.ChallengeLeadID})
		barred = barred || line.DecideBar != ""
		vm.Lines = append(vm.Lines, line)
	}
	if barred {
		n, err := s.db.Coordinators(ctx)
		if err != nil {
			return pages.SeedQueueView{}, err
		}
		for i := range vm.Lines {
			vm.Lines[i].SoleCoordinator = vm.Lines[i].DecideBar != "" && n < 2
		}
	}
	return vm, nil
}

// developQueueView reads limit of the défis waiting for the développement decision from offset.
func (s *Server) developQueueView(r *http.Request, limit, offset int) (pages.DevelopQueueView, error) {
	key := "coordination:develop:" + strconv.Itoa(limit) + ":" + strconv.Itoa(offset)
	items, total, err := cached2UntilChange(r.Context(), s.data, key, func(ctx context.Context) ([]fabrique.DevelopQueueItem, int, error) {
		return s.db.DevelopQueue(ctx, limit, offset)
	})
	return pages.DevelopQueueView{Items: items, Total: total}, err
}

// handleSeedQueue handles "GET /coordination/amorcage": every seed request waiting, the
// oldest first, a page (?page=) at a time, each with its decision form.
func (s *Server) handleSeedQueue(w http.ResponseWriter, r *http.Request) {
	page := pageNumber(r.URL.Query())
	back := "/coordination/amorcage?page=" + strconv.Itoa(page)
	vm, err := s.seedQueueView(r, queuePerPage, (page-1)*queuePerPage, back)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	vm.Pager = ptr(components.NewPager(page, queuePerPage, vm.Total, "/coordination/amorcage?"))
	s.render(w, r, http.StatusOK, pages.SeedQueue(pages.SeedQueuePageView{Page: s.page(r, "Demandes d’amorçage en attente"), Section: vm}))
}

// handleDevelopQueue handles "GET /coordination/developpement": every défi waiting for
// the développement decision, framed the longest first, a page (?page=) at a time.
func (s *Server) handleDevelopQueue(w http.ResponseWriter, r *http.Request) {
	page := pageNumber(r.URL.Query())
	vm, err := s.developQueueView(r, queuePerPage, (page-1)*queuePerPage)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	vm.Pager = ptr(components.NewPager(page, queuePerPage, vm.Total, "/coordination/developpement?"))
	s.render(w, r, http.StatusOK, pages.DevelopQueue(pages.DevelopQueuePageView{Page: s.page(r, "Défis prêts pour la décision de développement"), Section: vm}))
}

// excerpt returns the start of text on one line, at most n characters.
func excerpt(text string, n int) string {
	text = strings.Join(strings.Fields(text), " ")
	if utf8.RuneCountInString(text) <= n {
		return text
	}
	runes := []rune(text)
	return strings.TrimSpace(string(runes[:n])) + "…"
}

// handleCoordinationShow handles "GET /coordination". Its content is the same for every
// coordinator with the same own facts (coordinationViewerFacts): kept rendered under
// them (renderSharedPage).
func (s *Server) handleCoordinationShow(w http.ResponseWriter, r *http.Request) {
	vm, err := s.coordinationView(r)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.renderSharedPage(w, r, http.StatusOK, "coordination:"+coordinationViewerFacts(vm), vm.Page, func(_ context.Context, p components.Page) (templ.Component, error) {
		shared := vm
		shared.Page = p
		return pages.Coordination(shared), nil
	}, nil)
}

// coordinationViewerFacts says what of vm is its viewer's own: the days waiting for
// them, the seed requests the four-eyes rule keeps from them, their own pledges. The
// rest is the same for every coordinator.
func coordinationViewerFacts(vm pages.CoordinationView) string {
	b := []byte(strconv.Itoa(vm.TimeToValidate))
	for _, l := range vm.Seed.Lines {
		if l.DecideBar != "" {
			b = fmt.Appendf(b, ":s%d%s%t", l.ID, l.DecideBar, l.SoleCoordinator)
		}
	}
	for _, it := range vm.Pledges.Pledges {
		if it.Mine {
			b = fmt.Appendf(b, ":p%d", it.ID)
		}
	}
	return string(b)
}

// parseFundAmount reads the fund's amount: any amount ParseAmount reads, or zero, which
// empties a fund set by mistake.
func parseFundAmount(s string) (int64, error) {
	if zeroAmount.MatchString(s) {
		return 0, nil
	}
	return fabrique.ParseAmount(s)
}

// zeroAmount matches zero as people type it: "0", "0,00", "0 €".
var zeroAmount = regexp.MustCompile(`^\s*0+(?:[.,]0{1,2})?\s*(?:€|EUR)?\s*$`)

// parseFundYear reads a four-digit year within the fund's bounds.
func parseFundYear(s string) (int, bool) {
	if len(s) != 4 {
		return 0, false
	}
	y, err := strconv.Atoi(s)
	if err != nil || y < fabrique.MinFundYear || y > fabrique.MaxFundYear {
		return 0, false
	}
	return y, true
}

// handleSeedFundSet handles "POST /coordination/fonds": the year's seed fund is set to
// the amount; the store posts the difference and refuses to go below what was granted.
func (s *Server) handleSeedFundSet(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	form := pages.FundForm{Year: strings.TrimSpace(r.PostForm.Get("year")), Amount: strings.TrimSpace(r.PostForm.Get("amount"))}
	invalid := func(fields map[string]string) {
		vm, err := s.coordinationView(r)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		vm.FundForm, vm.FundErrors = form, fields
		s.render(w, r, http.StatusUnprocessableEntity, pages.Coordination(vm))
	}
	var v fabrique.Validation
	year, ok := parseFundYear(form.Year)
	if !ok {
		v.Add("year", "Indiquez une année sur quatre chiffres, entre 2020 et 2100.")
	}
	amount, err := parseFundAmount(form.Amount)
	if err != nil {
		v.Add("amount", fabrique.ErrorMessage(err))
	}
	if err := v.Err(); err != nil {
		invalid(fabrique.ErrorFields(err))
		return
	}
	_, err = s.db.SetSeedFund(r.Context(), userFrom(r.Context()), year, amount)
	switch fabrique.ErrorCode(err) {
	case "":
		s.flash(r.Context(), "Le fonds d’amorçage est mis à jour.")
		redirect(w, r, "/coordination")
	case fabrique.EINVALID:
		invalid(seedFieldErrors(r, err))
	default:
		s.error(w, r, err)
	}
}

// handleCoordinationJournal handles "GET /coordination/journal": the audit trail, newest
// first, a page at a time.
func (s *Server) handleCoordinationJournal(w http.ResponseWriter, r *http.Request) {
	page, err := strconv.Atoi(r.URL.Query().Get("page"))
	if err != nil || page < 1 {
		page = 1
	}
	page = min(page, journalMaxPage)
	// One more than a page tells whether a next page exists, without counting the trail.
	entries, err := s.db.AuditTrail(r.Context(), journalPageSize+1, (page-1)*journalPageSize)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	vm := pages.CoordinationJournalView{Page: s.page(r, "Journal des décisions"), PageNum: page}
	if len(entries) > journalPageSize {
		entries, vm.HasNext = entries[:journalPageSize], true
	}
	vm.Entries = entries
	s.render(w, r, http.StatusOK, pages.CoordinationJournal(vm))
}

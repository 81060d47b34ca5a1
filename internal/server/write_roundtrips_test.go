package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/fabrique-a-communs/fabrique/internal/app"
	"github.com/fabrique-a-communs/fabrique/internal/apptest"
	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// sqlRecorder wraps the app's query counter and keeps the text of each round trip, so a
// test over a round-trip budget can say which statements went over it.
type sqlRecorder struct {
	inner *apptest.QueryCounter
	mu    sync.Mutex
	trips []string
}

// recordSQL is an apptest option putting a sqlRecorder in front of the query counter.
func recordSQL(rec *sqlRecorder) apptest.Option {
	return func(cfg *app.Config) {
		rec.inner = cfg.Tracer.(*apptest.QueryCounter)
		cfg.Tracer = rec
	}
}

var sqlSpaces = regexp.MustCompile(`\s+`)

func (r *sqlRecorder) note(s string) {
	s = sqlSpaces.ReplaceAllString(strings.TrimSpace(s), " ")
	if len(s) > 110 {
		s = s[:110] + "…"
	}
	r.mu.Lock()
	r.trips = append(r.trips, s)
	r.mu.Unlock()
}

// since returns the round trips noted after the first n.
func (r *sqlRecorder) since(n int) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.trips[n:]...)
}

func (r *sqlRecorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.trips)
}

func (r *sqlRecorder) TraceQueryStart(ctx context.Context, c *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	r.note(d.SQL)
	return r.inner.TraceQueryStart(ctx, c, d)
}

func (r *sqlRecorder) TraceQueryEnd(ctx context.Context, c *pgx.Conn, d pgx.TraceQueryEndData) {
	r.inner.TraceQueryEnd(ctx, c, d)
}

func (r *sqlRecorder) TraceBatchStart(ctx context.Context, c *pgx.Conn, d pgx.TraceBatchStartData) context.Context {
	var sqls []string
	if d.Batch != nil {
		for _, q := range d.Batch.QueuedQueries {
			sqls = append(sqls, q.SQL)
		}
	}
	r.note(fmt.Sprintf("batch of %d: %s", len(sqls), strings.Join(sqls, " ; ")))
	return r.inner.TraceBatchStart(ctx, c, d)
}

func (r *sqlRecorder) TraceBatchQuery(ctx context.Context, c *pgx.Conn, d pgx.TraceBatchQueryData) {
	r.inner.TraceBatchQuery(ctx, c, d)
}

func (r *sqlRecorder) TraceBatchEnd(ctx context.Context, c *pgx.Conn, d pgx.TraceBatchEndData) {
	r.inner.TraceBatchEnd(ctx, c, d)
}

// measureTrips runs post twice (the first may write things done once, as the session)
// and checks the round trips of the second against want, listing them when over.
func measureTrips(t *testing.T, rec *sqlRecorder, name string, want int, post func() *apptest.Response) {
	t.Helper()
	wantStatus(t, post(), http.StatusSeeOther)
	from, queries := rec.count(), rec.inner.Count()
	wantStatus(t, post(), http.StatusSeeOther)
	// River wakes its workers up (PGNotifyMany) at most once per fetch cooldown and queue:
	// not a cost of each write under load, but of the second post when the machine took
	// longer than the cooldown between the two.
	trips := slices.DeleteFunc(rec.since(from), func(s string) bool { return strings.HasPrefix(s, "-- name: PGNotifyMany ") })
	t.Logf("%s: %d round trips, %d queries", name, len(trips), rec.inner.Count()-queries)
	if len(trips) > want {
		t.Errorf("%s: %d round trips to PostgreSQL, want at most %d:\n  %s", name, len(trips), want, strings.Join(trips, "\n  "))
	}
}

// The benchmark's two writes, logging a contribution and pledging, each in a fixed,
// small number of round trips to PostgreSQL: at 32 connections each one waits for a
// connection and then for PostgreSQL. A contribution: the session (middleware), the défi
// with the author's membership, BEGIN, one batch of the facts checked under lock, the
// insert returning the contribution, its notification and the notification's job,
// COMMIT. A pledge: the session, one batch of the step, its calls and the funder
// profile, BEGIN, one batch of the checks, the insert returning the pledge, its
// notification, COMMIT. The flash goes in a cookie (flash.go), not in the session: one
// round trip, a commit, fewer. (Before: 13, 15 for a step of a commun in développement,
// and 15; then 9 and 8 with the flash in the session.) With the page cache on, the same:
// the question whether the transaction changed what pages show and the announcement of
// the change ride with the COMMIT (they were two more round trips).
func TestWriteRoundTrips(t *testing.T) {
	t.Parallel()
	contribute := func(l *lootApp, extra url.Values) func() *apptest.Response {
		return func() *apptest.Response {
			form := url.Values{"date": {lootToday()}, "days": {"0,5"}, "activity": {"documentation"}, "description": {"Mesure."}}
			for k, v := range extra {
				form[k] = v
			}
			return l.clients["author"].Post("/defis/"+l.c.Slug+"/contributions", form)
		}
	}
	t.Run("contribution", func(t *testing.T) {
		t.Parallel()
		rec := &sqlRecorder{}
		l := startLoot(t, 3000_00, recordSQL(rec))
		measureTrips(t, rec, "POST /defis/{slug}/contributions", 7, contribute(l, nil))
	})
	t.Run("contribution-step", func(t *testing.T) {
		t.Parallel()
		rec := &sqlRecorder{}
		l := startLoot(t, 0, recordSQL(rec))
		devFramed(t, l.a, l.c.ID, l.lead)
		k := l.develop(t)
		day := time.Date(2027, 1, 4, 0, 0, 0, 0, time.UTC)
		step, err := l.a.DB.CreateStep(context.Background(), k.ID, l.lead, fabrique.Step{Title: "Mode hors ligne", Goal: 5000_00, StartsOn: day, EndsOn: day})
		if err != nil {
			t.Fatal(err)
		}
		measureTrips(t, rec, "POST /defis/{slug}/contributions (step)", 7, contribute(l, url.Values{"step_id": {idOf(step.ID)}}))
	})
	t.Run("contribution, pages cached", func(t *testing.T) {
		t.Parallel()
		rec := &sqlRecorder{}
		l := startLoot(t, 3000_00, recordSQL(rec), apptest.WithPageCache(time.Minute))
		measureTrips(t, rec, "POST /defis/{slug}/contributions (pages cached)", 7, contribute(l, nil))
	})
	t.Run("register", func(t *testing.T) {
		t.Parallel()
		rec := &sqlRecorder{}
		a := apptest.Start(t, recordSQL(rec))
		a.CreateUser(t, "Camille Coord", "camille@example.org", lootPass, fabrique.RoleCoordinator)
		coord := a.Client(t)
		coord.Login("camille@example.org", lootPass)
		r := coord.Post("/rendez-vous", eventFormValues("Session Loot", 7, "20"))
		wantStatus(t, r, http.StatusSeeOther)
		page := r.Location()
		var people []*apptest.Client
		for _, email := range []string{"awa@example.org", "bruno@example.org"} {
			a.CreateUser(t, email, email, lootPass, fabrique.RoleContributor)
			c := a.Client(t)
			c.Login(email, lootPass)
			people = append(people, c)
		}
		// The session, BEGIN, the rendez-vous locked and read (one batch), the
		// registration written and read back, its notification and the notification's
		// job, COMMIT. A new registration each time: one person, then the other.
		n := 0
		measureTrips(t, rec, "POST /rendez-vous/{slug}/inscription", 7, func() *apptest.Response {
			n++
			return people[n-1].Post(page+"/inscription", url.Values{"message": {"Avec plaisir."}})
		})
	})
	for _, cached := range []bool{false, true} {
		name, opts := "pledge", []apptest.Option{}
		if cached {
			name, opts = "pledge, pages cached", []apptest.Option{apptest.WithPageCache(time.Minute)}
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			rec := &sqlRecorder{}
			w := newPlWorld(t, append(opts, recordSQL(rec))...)
			measureTrips(t, rec, "POST /etapes/{id}/promesses ("+name+")", 6, func() *apptest.Response {
				return w.clients["financeur"].Post(w.stepPath(), url.Values{"amount": {"25"}, "funder_kind": {"particulier"},
					"message": {""}, "idempotency_key": {w.key()}})
			})
		})
	}
}

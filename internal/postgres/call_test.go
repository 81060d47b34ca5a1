package postgres_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/pgtest"
	"github.com/fabrique-a-communs/fabrique/internal/postgres"
)

// callFixture is a database with a coordinator, a porteur who writes the steps, and a
// funder, member of a verified tiers-lieu in whose name their tiers-lieu pledges are made.
type callFixture struct {
	db            *postgres.DB
	coord, funder *fabrique.User
	lead          *fabrique.User
	place         *fabrique.Place
	n             int // makes names and idempotency keys unique
}

func mustCallFixture(tb testing.TB) *callFixture {
	tb.Helper()
	db := pgtest.New(tb)
	f := &callFixture{db: db, coord: mustSeedCoordinator(tb, db, "Camille Coord"),
		funder: mustUser(tb, db, "Fanny Financeuse"), lead: mustUser(tb, db, "Paul Porteur")}
	f.place = mustCreatePlace(tb, db, "Tiers-lieu de Fanny", "Bretagne", f.funder)
	mustExec(tb, db, `UPDATE places SET verified_at = now(), verified_by = $2 WHERE id = $1`, f.place.ID, f.coord.ID)
	return f
}

func day(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

// call launches a call from 2026-01-01 to 2026-12-31 with rule.
func (f *callFixture) call(tb testing.TB, title string, rule fabrique.MatchRule) *fabrique.Call {
	tb.Helper()
	c, err := f.db.CreateCall(context.Background(), f.coord, fabrique.NewCall{Title: title,
		StartsOn: day("2026-01-01"), EndsOn: day("2026-12-31"), Rule: rule})
	if err != nil {
		tb.Fatalf("CreateCall(%q): %v", title, err)
	}
	return c
}

// commons adds a commun.
func (f *callFixture) commons(tb testing.TB) int64 {
	tb.Helper()
	f.n++
	return mustCommons(tb, f.db, fmt.Sprintf("commun-%d", f.n), fmt.Sprintf("Commun %d", f.n))
}

// step adds a step of goal cents to the commun.
func (f *callFixture) step(tb testing.TB, commonsID, goal int64) int64 {
	tb.Helper()
	f.n++
	var id int64
	if err := postgres.Pool(f.db).QueryRow(context.Background(),
		`INSERT INTO steps (commons_id, title, goal, starts_on, ends_on, created_by)
		 VALUES ($1, $2, $3, '2026-02-01', '2026-06-30', $4) RETURNING id`,
		commonsID, fmt.Sprintf("Étape %d", f.n), goal, f.lead.ID).Scan(&id); err != nil {
		tb.Fatalf("insert step: %v", err)
	}
	return id
}

// join adds the step to the call.
func (f *callFixture) join(tb testing.TB, c *fabrique.Call, stepID int64) {
	tb.Helper()
	if _, err := f.db.AddCallStep(context.Background(), f.coord, c.ID, stepID); err != nil {
		tb.Fatalf("AddCallStep(%d): %v", stepID, err)
	}
}

// pledge records a pledge of the funder to the step within the call (callID 0: none),
// as the pledge routes would: a confirmed one posts its funds to the commun first.
func (f *callFixture) pledge(tb testing.TB, callID, stepID int64, kind string, amount int64, state string) int64 {
	tb.Helper()
	ctx := context.Background()
	f.n++
	var txID any
	if state == fabrique.PledgeConfirmed {
		var commonsID int64
		if err := postgres.Pool(f.db).QueryRow(ctx, `SELECT commons_id FROM steps WHERE id = $1`, stepID).Scan(&commonsID); err != nil {
			tb.Fatal(err)
		}
		id, err := f.db.Post(ctx, fabrique.Movement{Kind: fabrique.TxPledge, Amount: amount,
			From: fabrique.AccountRef{Kind: fabrique.AccountOutside}, To: fabrique.AccountRef{Kind: fabrique.AccountCommonsFunds, CommonsID: commonsID},
			CauseType: "pledge"})
		if err != nil {
			tb.Fatal(err)
		}
		txID = id
	}
	var call any
	if callID != 0 {
		call = callID
	}
	var place any
	if kind == "tiers-lieu" {
		place = f.place.ID
	}
	var id int64
	if err := postgres.Pool(f.db).QueryRow(ctx,
		`INSERT INTO pledges (step_id, call_id, user_id, funder_kind, amount, state, idempotency_key, ledger_tx_id, place_id)
		 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
		stepID, call, f.funder.ID, kind, amount, state, fmt.Sprintf("cle-test-%d", f.n), txID, place).Scan(&id); err != nil {
		tb.Fatalf("insert pledge: %v", err)
	}
	return id
}

func (f *callFixture) count(tb testing.TB, sql string, args ...any) int64 {
	tb.Helper()
	var n int64
	if err := postgres.Pool(f.db).QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		tb.Fatalf("%s: %v", sql, err)
	}
	return n
}

func poolOf(c *fabrique.Call) fabrique.AccountRef {
	return fabrique.AccountRef{Kind: fabrique.AccountMatchingPool, CallID: c.ID}
}

func fundsOf(commonsID int64) fabrique.AccountRef {
	return fabrique.AccountRef{Kind: fabrique.AccountCommonsFunds, CommonsID: commonsID}
}

var tiersLieuRule = fabrique.MatchRule{Percent: 100, Kinds: []string{"tiers-lieu"}, Cap: 500000, Pool: 2000000}

func TestCreateCall(t *testing.T) {
	t.Parallel()
	f := mustCallFixture(t)
	ctx := context.Background()
	c := f.call(t, "Appel à communs 2027", tiersLieuRule)
	if c.Slug != "appel-a-communs-2027" || c.Rule.Percent != 100 || c.Rule.Cap != 500000 || c.Rule.Pool != 2000000 ||
		len(c.Rule.Kinds) != 1 || c.Rule.Kinds[0] != "tiers-lieu" || !c.ClosedAt.IsZero() {
		t.Errorf("got %+v, want the call as described", c)
	}
	if again := f.call(t, "Appel à communs 2027", fabrique.MatchRule{}); again.Slug != "appel-a-communs-2027-2" {
		t.Errorf("second slug: got %q, want appel-a-communs-2027-2", again.Slug)
	}
	if reserved := f.call(t, "Nouveau", fabrique.MatchRule{}); reserved.Slug != "nouveau-2" {
		t.Errorf("reserved slug: got %q, want nouveau-2", reserved.Slug)
	}
	// The pool is funded from outside in the call's transaction; a call without a pool posts nothing.
	if got, _ := f.db.Balance(ctx, poolOf(c)); got != 2000000 {
		t.Errorf("pool balance: got %d, want 2000000", got)
	}
	if n := f.count(t, `SELECT count(*) FROM ledger_transactions WHERE kind = 'pool_funding'`); n != 1 {
		t.Errorf("pool fundings: got %d, want 1", n)
	}
	if n := f.count(t, `SELECT count(*) FROM audit_log WHERE action = $1`, postgres.AuditCallCreated); n != 3 {
		t.Errorf("audit entries: got %d, want 3", n)
	}
	got, err := f.db.CallBySlug(ctx, c.Slug)
	if err != nil || got.ID != c.ID {
		t.Errorf("CallBySlug: got %v, %v", got, err)
	}
	_, err = f.db.CallBySlug(ctx, "inconnu")
	checkCode(t, err, fabrique.ENOTFOUND)
	mustLedgerZero(t, f.db)

	_, err = f.db.CreateCall(ctx, f.funder, fabrique.NewCall{Title: "Pirate", StartsOn: day("2026-01-01"), EndsOn: day("2026-02-01")})
	checkCode(t, err, fabrique.EFORBIDDEN)

	for _, tc := range []struct {
		name  string
		nc    fabrique.NewCall
		field string
	}{
		{"no title", fabrique.NewCall{Title: " ", StartsOn: day("2026-01-01"), EndsOn: day("2026-02-01")}, "title"},
		{"ends first", fabrique.NewCall{Title: "A", StartsOn: day("2026-03-01"), EndsOn: day("2026-02-01")}, "ends_on"},
		{"no dates", fabrique.NewCall{Title: "A"}, "starts_on"},
		{"far future", fabrique.NewCall{Title: "A", StartsOn: day("2026-03-01"), EndsOn: day("2926-02-01")}, "ends_on"},
		{"no kinds", fabrique.NewCall{Title: "A", StartsOn: day("2026-01-01"), EndsOn: day("2026-02-01"), Rule: fabrique.MatchRule{Percent: 100, Pool: 100}}, "match_kinds"},
		{"bad kind", fabrique.NewCall{Title: "A", StartsOn: day("2026-01-01"), EndsOn: day("2026-02-01"), Rule: fabrique.MatchRule{Percent: 100, Kinds: []string{"mécène"}}}, "match_kinds"},
		{"multiplier 11", fabrique.NewCall{Title: "A", StartsOn: day("2026-01-01"), EndsOn: day("2026-02-01"), Rule: fabrique.MatchRule{Percent: 1100, Kinds: []string{"tiers-lieu"}}}, "match_multiplier"},
		{"huge pool", fabrique.NewCall{Title: "A", StartsOn: day("2026-01-01"), EndsOn: day("2026-02-01"), Rule: fabrique.MatchRule{Pool: fabrique.MaxAmount + 1}}, "pool"},
	} {
		_, err := f.db.CreateCall(ctx, f.coord, tc.nc)
		checkCode(t, err, fabrique.EINVALID)
		if fabrique.ErrorFields(err)[tc.field] == "" {
			t.Errorf("%s: got %v, want an error on %s", tc.name, err, tc.field)
		}
	}
	if n := f.count(t, `SELECT count(*) FROM calls`); n != 3 {
		t.Errorf("calls: got %d, want 3 (nothing saved by a refused form)", n)
	}
}

func TestAddCallStep(t *testing.T) {
	t.Parallel()
	f := mustCallFixture(t)
	ctx := context.Background()
	c := f.call(t, "Appel 2026", tiersLieuRule)
	step := f.step(t, f.commons(t), 1000000)

	added, err := f.db.AddCallStep(ctx, f.coord, c.ID, step)
	if err != nil || !added {
		t.Fatalf("first add: got %v, %v; want true, nil", added, err)
	}
	added, err = f.db.AddCallStep(ctx, f.coord, c.ID, step)
	if err != nil || added {
		t.Errorf("second add: got %v, %v; want false, nil (idempotent)", added, err)
	}
	if n := f.count(t, `SELECT count(*) FROM call_steps WHERE call_id = $1`, c.ID); n != 1 {
		t.Errorf("call steps: got %d, want 1", n)
	}
	_, err = f.db.AddCallStep(ctx, f.lead, c.ID, step)
	checkCode(t, err, fabrique.EFORBIDDEN)
	_, err = f.db.AddCallStep(ctx, f.coord, c.ID, 999999)
	checkCode(t, err, fabrique.EINVALID)
	if fabrique.ErrorFields(err)["step_id"] == "" {
		t.Errorf("unknown step: got %v, want an error on step_id", err)
	}
	_, err = f.db.AddCallStep(ctx, f.coord, 999999, step)
	checkCode(t, err, fabrique.ENOTFOUND)

	// A step takes part in one call at a time over a period.
	other := f.call(t, "Autre appel 2026", fabrique.MatchRule{})
	_, err = f.db.AddCallStep(ctx, f.coord, other.ID, step)
	checkCode(t, err, fabrique.EINVALID)
	choices, err := f.db.StepsOutsideCall(ctx, other)
	if err != nil || len(choices) != 0 {
		t.Errorf("choices of the other call: got %v, %v; want none", choices, err)
	}

	// A closed call takes no more steps; a step already in it is still fine.
	if _, err := f.db.CloseCall(ctx, f.coord, c.ID); err != nil {
		t.Fatal(err)
	}
	_, err = f.db.AddCallStep(ctx, f.coord, c.ID, f.step(t, f.commons(t), 100))
	checkCode(t, err, fabrique.EINVALID)
	if _, err := f.db.AddCallStep(ctx, f.coord, c.ID, step); err != nil {
		t.Errorf("step already in a closed call: got %v, want nil", err)
	}
	// Once the first call is closed, the step may join the other.
	if _, err := f.db.AddCallStep(ctx, f.coord, other.ID, step); err != nil {
		t.Errorf("after closing: got %v, want nil", err)
	}
	steps, err := f.db.CallSteps(ctx, c.ID)
	if err != nil || len(steps) != 1 || steps[0].ID != step || steps[0].CommonsSlug == "" {
		t.Errorf("CallSteps: got %+v, %v", steps, err)
	}
	mustLedgerZero(t, f.db)
}

// TestCloseCallPostsTheRule checks, over random rules and pledges, that closing posts
// to each commun exactly what fabrique.Match gives over the confirmed pledges, that the
// pool keeps the rest, and that promises expire.
func TestCloseCallPostsTheRule(t *testing.T) {
	t.Parallel()
	f := mustCallFixture(t)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(5, 2027))
	kinds := []string{"tiers-lieu", "collectivite", "fondation", "entreprise", "particulier"}
	for round := range 12 {
		rule := fabrique.MatchRule{
			Percent: []int{50, 100, 150, 200}[rng.IntN(4)],
			Kinds:   kinds[:1+rng.IntN(3)],
			Pool:    int64(rng.IntN(3000000) + 1),
		}
		if rng.IntN(2) == 0 {
			rule.Cap = int64(rng.IntN(800000) + 1)
		}
		c := f.call(t, fmt.Sprintf("Appel %d", round), rule)
		var pledges []fabrique.MatchPledge
		confirmed := map[int64]int64{}
		commons := make([]int64, 1+rng.IntN(4))
		for i := range commons {
			commons[i] = f.commons(t)
			for range 1 + rng.IntN(2) {
				step := f.step(t, commons[i], 2000000)
				f.join(t, c, step)
				for range rng.IntN(6) {
					p := fabrique.MatchPledge{CommonsID: commons[i], StepID: step, Kind: kinds[rng.IntN(len(kinds))],
						Amount: int64(rng.IntN(400000) + 1), State: []string{"promise", "confirmee", "confirmee", "annulee"}[rng.IntN(4)]}
					f.pledge(t, c.ID, step, p.Kind, p.Amount, p.State)
					pledges = append(pledges, p)
					if p.State == fabrique.PledgeConfirmed {
						confirmed[p.CommonsID] += p.Amount
					}
				}
			}
		}
		// What the page shows before closing is the rule over the same pledges.
		cm, err := f.db.CallMatching(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		want := fabrique.Match(rule, pledges, false)
		if cm.Secured.Total != want.Total || cm.Projected.Total != fabrique.Match(rule, pledges, true).Total {
			t.Errorf("round %d: CallMatching got %d/%d, want %d/%d", round, cm.Secured.Total, cm.Projected.Total,
				want.Total, fabrique.Match(rule, pledges, true).Total)
		}

		res, err := f.db.CloseCall(ctx, f.coord, c.ID)
		if err != nil {
			t.Fatalf("round %d: CloseCall: %v", round, err)
		}
		if res.AlreadyClosed || res.Matched != want.Total {
			t.Errorf("round %d: got %+v, want %d matched", round, res, want.Total)
		}
		for _, id := range commons {
			got, err := f.db.Balance(ctx, fundsOf(id))
			if err != nil {
				t.Fatal(err)
			}
			if got-confirmed[id] != want.ByCommons[id] {
				t.Errorf("round %d, commun %d: got %d of matching, want %d", round, id, got-confirmed[id], want.ByCommons[id])
			}
		}
		if got, _ := f.db.Balance(ctx, poolOf(c)); got != rule.Pool-want.Total {
			t.Errorf("round %d: pool keeps %d, want %d", round, got, rule.Pool-want.Total)
		}
		if n := f.count(t, `SELECT count(*) FROM pledges WHERE call_id = $1 AND state = 'promise'`, c.ID); n != 0 {
			t.Errorf("round %d: %d promises left, want 0", round, n)
		}
		if n := f.count(t, `SELECT count(*) FROM ledger_transactions WHERE kind = 'matching' AND cause_id = $1`, c.ID); n != int64(len(want.ByCommons)) {
			t.Errorf("round %d: %d matching movements, want %d (one per commun)", round, n, len(want.ByCommons))
		}
		closed, _ := f.db.CallBySlug(ctx, c.Slug)
		if closed.ClosedAt.IsZero() {
			t.Errorf("round %d: the call is not marked closed", round)
		}
	}
	mustLedgerZero(t, f.db)
}

func TestCloseCallExpiresPromises(t *testing.T) {
	t.Parallel()
	f := mustCallFixture(t)
	ctx := context.Background()
	c := f.call(t, "Appel 2026", tiersLieuRule)
	commons := f.commons(t)
	step := f.step(t, commons, 1000000)
	f.join(t, c, step)
	f.pledge(t, c.ID, step, "tiers-lieu", 300000, fabrique.PledgeConfirmed)
	promise := f.pledge(t, c.ID, step, "tiers-lieu", 200000, fabrique.PledgePromise)
	outsideCall := f.pledge(t, 0, step, "tiers-lieu", 100000, fabrique.PledgePromise)

	_, err := f.db.CloseCall(ctx, f.funder, c.ID)
	checkCode(t, err, fabrique.EFORBIDDEN)
	res, err := f.db.CloseCall(ctx, f.coord, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if res.Matched != 300000 || res.Expired != 1 || res.Commons != 1 {
		t.Errorf("got %+v, want 300000 matched to 1 commun, 1 expired", res)
	}
	states := map[int64]string{}
	rows, _ := postgres.Pool(f.db).Query(ctx, `SELECT id, state FROM pledges`)
	for rows.Next() {
		var id int64
		var s string
		_ = rows.Scan(&id, &s)
		states[id] = s
	}
	rows.Close()
	if states[promise] != fabrique.PledgeExpired || states[outsideCall] != fabrique.PledgePromise {
		t.Errorf("got states %v, want the call's promise expired, the other kept", states)
	}
	if got, _ := f.db.Balance(ctx, fundsOf(commons)); got != 600000 {
		t.Errorf("commons funds: got %d, want 600000 (300000 received + 300000 matched)", got)
	}
	if n := f.count(t, `SELECT count(*) FROM audit_log WHERE action = $1`, postgres.AuditCallClosed); n != 1 {
		t.Errorf("audit entries: got %d, want 1", n)
	}
	again, err := f.db.CloseCall(ctx, f.coord, c.ID)
	if err != nil || !again.AlreadyClosed || again.Matched != 0 {
		t.Errorf("second close: got %+v, %v; want AlreadyClosed", again, err)
	}
	mustLedgerZero(t, f.db)
}

// TestCloseCallConcurrent closes one call from many goroutines: one posts, the others
// find it closed.
func TestCloseCallConcurrent(t *testing.T) {
	t.Parallel()
	f := mustCallFixture(t)
	ctx := context.Background()
	c := f.call(t, "Appel 2026", fabrique.MatchRule{Percent: 200, Kinds: []string{"tiers-lieu", "collectivite"}, Pool: 1000000})
	var commons []int64
	for range 3 {
		id := f.commons(t)
		commons = append(commons, id)
		step := f.step(t, id, 1000000)
		f.join(t, c, step)
		f.pledge(t, c.ID, step, "tiers-lieu", 150000, fabrique.PledgeConfirmed)
		f.pledge(t, c.ID, step, "collectivite", 50000, fabrique.PledgePromise)
	}
	var wg sync.WaitGroup
	var posted, already atomic.Int32
	for range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := f.db.CloseCall(ctx, f.coord, c.ID)
			switch {
			case err != nil:
				t.Error(err)
			case res.AlreadyClosed:
				already.Add(1)
			default:
				posted.Add(1)
			}
		}()
	}
	wg.Wait()
	if posted.Load() != 1 || already.Load() != 11 {
		t.Errorf("got %d closings that posted and %d already closed, want 1 and 11", posted.Load(), already.Load())
	}
	if n := f.count(t, `SELECT count(*) FROM ledger_transactions WHERE kind = 'matching'`); n != 3 {
		t.Errorf("matching movements: got %d, want 3", n)
	}
	// 3 × 150 000 × 2 = 900 000, within the pool.
	if got, _ := f.db.Balance(ctx, poolOf(c)); got != 100000 {
		t.Errorf("pool: got %d, want 100000", got)
	}
	mustLedgerZero(t, f.db)
}

// TestCloseCallRacesConfirmations confirms promises while the call closes, as the
// pledges' confirmation does (lock the pledge, post, mark it confirmed): whatever the
// order, the matching posted is the rule over the pledges confirmed in the end.
func TestCloseCallRacesConfirmations(t *testing.T) {
	t.Parallel()
	f := mustCallFixture(t)
	ctx := context.Background()
	c := f.call(t, "Appel 2026", fabrique.MatchRule{Percent: 100, Kinds: []string{"tiers-lieu"}, Pool: 5000000})
	commons := f.commons(t)
	step := f.step(t, commons, 9000000)
	f.join(t, c, step)
	f.pledge(t, c.ID, step, "tiers-lieu", 1000, fabrique.PledgeConfirmed) // the accounts exist
	var promises []int64
	for range 20 {
		promises = append(promises, f.pledge(t, c.ID, step, "tiers-lieu", 10000, fabrique.PledgePromise))
	}
	var outsideID, fundsID int64
	if err := postgres.Pool(f.db).QueryRow(ctx, `SELECT (SELECT id FROM ledger_accounts WHERE kind = 'outside'),
		(SELECT id FROM ledger_accounts WHERE kind = 'commons_funds' AND commons_id = $1)`, commons).Scan(&outsideID, &fundsID); err != nil {
		t.Fatal(err)
	}
	confirm := func(id int64) error {
		tx, err := postgres.Pool(f.db).Begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback(ctx) //nolint:errcheck
		var state string
		var amount int64
		if err := tx.QueryRow(ctx, `SELECT state, amount FROM pledges WHERE id = $1 FOR UPDATE`, id).Scan(&state, &amount); err != nil {
			return err
		}
		if state != fabrique.PledgePromise {
			return nil // expired by the closing
		}
		var txID int64
		if err := tx.QueryRow(ctx, `INSERT INTO ledger_transactions (kind, amount, cause_type, cause_id) VALUES ('pledge', $1, 'pledge', $2) RETURNING id`,
			amount, id).Scan(&txID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO ledger_entries (transaction_id, account_id, amount) VALUES ($1, $2, $3), ($1, $4, $5)`,
			txID, outsideID, -amount, fundsID, amount); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE pledges SET state = 'confirmee', ledger_tx_id = $2 WHERE id = $1`, id, txID); err != nil {
			return err
		}
		return tx.Commit(ctx)
	}
	var wg sync.WaitGroup
	for i, id := range promises {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if i == len(promises)/2 {
				if _, err := f.db.CloseCall(ctx, f.coord, c.ID); err != nil {
					t.Error(err)
				}
			}
			if err := confirm(id); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	var confirmed int64
	if err := postgres.Pool(f.db).QueryRow(ctx, `SELECT coalesce(sum(amount), 0) FROM pledges WHERE call_id = $1 AND state = 'confirmee'`, c.ID).Scan(&confirmed); err != nil {
		t.Fatal(err)
	}
	if n := f.count(t, `SELECT count(*) FROM pledges WHERE state = 'promise'`); n != 0 {
		t.Errorf("promises left: got %d, want 0", n)
	}
	funds, _ := f.db.Balance(ctx, fundsOf(commons))
	if matched := funds - confirmed; matched != confirmed {
		t.Errorf("matched %d for %d confirmed, want 1 € for 1 €", matched, confirmed)
	}
	mustLedgerZero(t, f.db)
}

func TestStepFigures(t *testing.T) {
	t.Parallel()
	f := mustCallFixture(t)
	ctx := context.Background()
	early := f.call(t, "Appel du printemps", fabrique.MatchRule{Percent: 100, Kinds: []string{"tiers-lieu"}, Cap: 250000, Pool: 10000000})
	late, err := f.db.CreateCall(ctx, f.coord, fabrique.NewCall{Title: "Appel 2027", StartsOn: day("2027-01-01"), EndsOn: day("2027-06-30"),
		Rule: fabrique.MatchRule{Percent: 50, Kinds: []string{"fondation"}, Pool: 40000}})
	if err != nil {
		t.Fatal(err)
	}
	commons := f.commons(t)
	a, b, alone := f.step(t, commons, 1000000), f.step(t, commons, 500000), f.step(t, f.commons(t), 300000)
	f.join(t, early, a)
	f.join(t, early, b)
	f.join(t, late, a)
	f.pledge(t, early.ID, a, "tiers-lieu", 200000, fabrique.PledgeConfirmed)
	f.pledge(t, early.ID, a, "tiers-lieu", 100000, fabrique.PledgePromise)
	f.pledge(t, early.ID, a, "fondation", 50000, fabrique.PledgeConfirmed)   // not matched by the early call
	f.pledge(t, early.ID, b, "tiers-lieu", 100000, fabrique.PledgeConfirmed) // the commun's cap is shared with a
	f.pledge(t, early.ID, b, "tiers-lieu", 5000, fabrique.PledgeCancelled)
	f.pledge(t, late.ID, a, "fondation", 100000, fabrique.PledgeConfirmed) // 50 000 by the rule, the pool has 40 000
	f.pledge(t, 0, alone, "tiers-lieu", 70000, fabrique.PledgePromise)

	// 3 000,00 € paid for step a, one contribution still to pay.
	ch := mustChallenge(t, f.db, "Défi des étapes", f.lead)
	payment, err := f.db.Post(ctx, fabrique.Movement{Kind: fabrique.TxPayment, Amount: 300000, From: fundsOf(commons),
		To: fabrique.AccountRef{Kind: fabrique.AccountOutside}, CauseType: "contribution"})
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, f.db, `INSERT INTO contributions (challenge_id, user_id, worked_on, quarters, activity, day_rate, amount, reserved, paid_amount, state, paid_on, ledger_tx_id, commons_id, step_id)
		VALUES ($1, $2, '2026-03-01', 4, 'developpement', 300000, 300000, 300000, 300000, 'payee', '2026-03-10', $3, $4, $5),
		       ($1, $2, '2026-03-02', 4, 'developpement', 300000, 300000, 300000, 0, 'validee', NULL, NULL, $4, $5)`,
		ch.ID, f.lead.ID, payment, commons, a)

	figs, err := f.db.StepFigures(ctx, []int64{a, b, alone, 999999})
	if err != nil {
		t.Fatal(err)
	}
	// Early call: the commun's eligible confirmed pledges are 300 000 → capped at 250 000,
	// shared 2:1 between a and b; with the promise, 400 000 → still 250 000, shared 3:1.
	want := map[int64]fabrique.StepFigures{
		a: {Goal: 1000000, Promised: 100000, Confirmed: 350000, MatchedSecured: 166666 + 40000, MatchedProjected: 187500 + 40000,
			Spent: 300000, Remaining: 1000000 - 350000 - 206666},
		b:     {Goal: 500000, Confirmed: 100000, MatchedSecured: 83333, MatchedProjected: 62500, Remaining: 500000 - 100000 - 83333},
		alone: {Goal: 300000, Promised: 70000, Remaining: 300000},
	}
	if len(figs) != len(want) {
		t.Errorf("got figures of %d steps, want %d", len(figs), len(want))
	}
	for id, w := range want {
		if figs[id] != w {
			t.Errorf("step %d: got %+v, want %+v", id, figs[id], w)
		}
	}
	// A step funded beyond its goal has nothing remaining, not less than nothing.
	f.pledge(t, 0, alone, "entreprise", 400000, fabrique.PledgeConfirmed)
	figs, err = f.db.StepFigures(ctx, []int64{alone})
	if err != nil || figs[alone].Remaining != 0 {
		t.Errorf("over-funded: got %+v, %v; want Remaining 0", figs[alone], err)
	}
	if figs, err := f.db.StepFigures(ctx, nil); err != nil || len(figs) != 0 {
		t.Errorf("no steps: got %v, %v", figs, err)
	}
	mustLedgerZero(t, f.db)
}

func TestCallsAndFunders(t *testing.T) {
	t.Parallel()
	f := mustCallFixture(t)
	ctx := context.Background()
	c := f.call(t, "Appel 2026", tiersLieuRule)
	commons := f.commons(t)
	step := f.step(t, commons, 1000000)
	f.join(t, c, step)
	mustExec(t, f.db, `INSERT INTO funders (user_id, kind, organisation) VALUES ($1, 'fondation', 'Fondation des Communs')`, f.funder.ID)
	f.pledge(t, c.ID, step, "tiers-lieu", 120000, fabrique.PledgeConfirmed)
	hidden := f.pledge(t, c.ID, step, "tiers-lieu", 30000, fabrique.PledgePromise)
	mustExec(t, f.db, `UPDATE pledges SET anonymous = true, message = 'Signé : Fanny' WHERE id = $1`, hidden)
	f.pledge(t, c.ID, step, "tiers-lieu", 5000, fabrique.PledgeCancelled)

	calls, err := f.db.Calls(ctx)
	if err != nil || len(calls) != 1 {
		t.Fatalf("Calls: got %v, %v", calls, err)
	}
	got := calls[0]
	if got.Steps != 1 || got.Confirmed != 120000 || got.Promised != 30000 || got.MatchedSecured != 120000 || got.MatchedProjected != 150000 {
		t.Errorf("got %+v, want 1 step, 120000 confirmed, 30000 promised, 120000/150000 matched", got)
	}
	byStep, counts, err := f.db.CallFunders(ctx, c.ID, 10)
	if err != nil {
		t.Fatal(err)
	}
	list := byStep[step]
	if len(list) != 2 || counts[step] != 2 {
		t.Fatalf("got %d funders (%d counted), want 2 live pledges", len(list), counts[step])
	}
	for _, p := range list {
		if p.Anonymous && (p.FunderName != "" || p.UserID != 0 || p.Message != "") {
			t.Errorf("anonymous pledge leaks %q, %d, %q", p.FunderName, p.UserID, p.Message)
		}
		if !p.Anonymous && p.FunderName != "Fondation des Communs" {
			t.Errorf("funder name: got %q, want the organisation", p.FunderName)
		}
	}
	if byStep, counts, err = f.db.CallFunders(ctx, c.ID, 1); err != nil || len(byStep[step]) != 1 || counts[step] != 2 {
		t.Errorf("capped list: got %d of %d, %v; want 1 of 2", len(byStep[step]), counts[step], err)
	}
}

// TestAddCallStepConcurrent offers one step to many overlapping calls at once: it joins
// exactly one.
func TestAddCallStepConcurrent(t *testing.T) {
	t.Parallel()
	f := mustCallFixture(t)
	ctx := context.Background()
	step := f.step(t, f.commons(t), 100000)
	var calls []*fabrique.Call
	for i := range 10 {
		calls = append(calls, f.call(t, fmt.Sprintf("Appel %d", i), fabrique.MatchRule{}))
	}
	var wg sync.WaitGroup
	var added, refused atomic.Int32
	for _, c := range calls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ok, err := f.db.AddCallStep(ctx, f.coord, c.ID, step)
			switch {
			case err == nil && ok:
				added.Add(1)
			case fabrique.ErrorCode(err) == fabrique.EINVALID:
				refused.Add(1)
			default:
				t.Errorf("got %v, %v", ok, err)
			}
		}()
	}
	wg.Wait()
	if added.Load() != 1 || refused.Load() != 9 {
		t.Errorf("got %d added and %d refused, want 1 and 9", added.Load(), refused.Load())
	}
	if n := f.count(t, `SELECT count(*) FROM call_steps WHERE step_id = $1`, step); n != 1 {
		t.Errorf("call steps: got %d, want 1", n)
	}
}

// TestStepFunders pages through a step's live pledges, newest first, as CallFunders lists
// them, and finds a step only within its call.
func TestStepFunders(t *testing.T) {
	t.Parallel()
	f := mustCallFixture(t)
	ctx := context.Background()
	c, other := f.call(t, "Appel 2026", tiersLieuRule), f.call(t, "Appel bis", fabrique.MatchRule{})
	commons := f.commons(t)
	step, outside := f.step(t, commons, 1000000), f.step(t, commons, 1000000)
	f.join(t, c, step)
	mustExec(t, f.db, `INSERT INTO funders (user_id, kind, organisation) VALUES ($1, 'fondation', 'Fondation des Communs')`, f.funder.ID)
	var live []int64 // oldest first
	for i := range 7 {
		state := fabrique.PledgePromise
		if i%3 == 0 {
			state = fabrique.PledgeConfirmed
		}
		live = append(live, f.pledge(t, c.ID, step, "fondation", int64(1000+i), state))
	}
	// Made in no call (before it opened): a funder of the step too, as its figures count.
	live = append(live, f.pledge(t, 0, step, "fondation", 500, fabrique.PledgePromise))
	f.pledge(t, c.ID, step, "fondation", 5, fabrique.PledgeCancelled)
	f.pledge(t, c.ID, step, "fondation", 6, fabrique.PledgeExpired)
	// Same instant for all: the id breaks the tie, as on the call's page.
	mustExec(t, f.db, `UPDATE pledges SET created_at = '2026-03-01T10:00:00Z' WHERE step_id = $1`, step)
	mustExec(t, f.db, `UPDATE pledges SET anonymous = true, message = 'Signé : Fanny' WHERE id = $1`, live[2])

	st, total, err := f.db.CallStep(ctx, c.ID, step)
	if err != nil || st.ID != step || st.CommonsID != commons || total != 8 {
		t.Fatalf("CallStep: got step %d of commun %d with %d pledges, %v; want %d of %d with 8", st.ID, st.CommonsID, total, err, step, commons)
	}
	for _, tt := range []struct{ call, step int64 }{{c.ID, outside}, {other.ID, step}, {c.ID, 0}, {0, step}} {
		if _, _, err := f.db.CallStep(ctx, tt.call, tt.step); fabrique.ErrorCode(err) != fabrique.ENOTFOUND {
			t.Errorf("CallStep(%d, %d): got %v, want ENOTFOUND", tt.call, tt.step, err)
		}
	}
	var got []int64
	for offset := 0; offset < 10; offset += 3 {
		page, err := f.db.StepFunders(ctx, step, 3, offset)
		if err != nil {
			t.Fatal(err)
		}
		if want := min(3, max(0, 8-offset)); len(page) != want {
			t.Errorf("page at %d: got %d pledges, want %d", offset, len(page), want)
		}
		for _, p := range page {
			got = append(got, p.ID)
			if p.Anonymous && (p.FunderName != "" || p.UserID != 0 || p.Message != "") {
				t.Errorf("anonymous pledge leaks %q, %d, %q", p.FunderName, p.UserID, p.Message)
			}
			if !p.Anonymous && (p.FunderName != "Fondation des Communs" || p.UserID != f.funder.ID) {
				t.Errorf("funder: got %q (%d), want the organisation", p.FunderName, p.UserID)
			}
		}
	}
	want := slices.Clone(live)
	slices.Reverse(want)
	if !slices.Equal(got, want) {
		t.Errorf("pledges: got %v, want %v, newest first", got, want)
	}
	byStep, counts, err := f.db.CallFunders(ctx, c.ID, postgres.CallPageFundersPerStep)
	if err != nil {
		t.Fatal(err)
	}
	first, err := f.db.StepFunders(ctx, step, postgres.CallPageFundersPerStep, 0)
	if err != nil || counts[step] != total || !slices.Equal(first, byStep[step]) {
		t.Errorf("the call's page and the step's page disagree: %v and %v (%d, %d), %v", byStep[step], first, counts[step], total, err)
	}
}

package postgres_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/pgtest"
	"github.com/fabrique-a-communs/fabrique/internal/postgres"
)

// pledgeWorld is a commun with one step in an open call, a coordinator and a funder.
type pledgeWorld struct {
	db      *postgres.DB
	coord   *fabrique.User
	funder  *fabrique.User
	commons int64
	step    int64
	call    int64
	today   time.Time
}

func newPledgeWorld(tb testing.TB) *pledgeWorld {
	tb.Helper()
	db := pgtest.New(tb)
	w := &pledgeWorld{db: db, today: time.Now().UTC().Truncate(24 * time.Hour)}
	w.coord = mustSeedCoordinator(tb, db, "Camille Coordination")
	w.funder = mustUser(tb, db, "Fanny Financeuse")
	w.commons = mustCommons(tb, db, "dokos", "Dokos")
	w.step = w.mustStep(tb, "Module de réservation")
	w.call = w.mustCall(tb, "appel-2027", -10, 30)
	mustExec(tb, db, `INSERT INTO call_steps (call_id, step_id) VALUES ($1, $2)`, w.call, w.step)
	return w
}

// mustStep adds a step of 10 000,00 € to the commun.
func (w *pledgeWorld) mustStep(tb testing.TB, title string) int64 {
	tb.Helper()
	var id int64
	err := postgres.Pool(w.db).QueryRow(context.Background(),
		`INSERT INTO steps (commons_id, title, goal, starts_on, ends_on, created_by)
		 VALUES ($1, $2, 1000000, current_date, current_date + 90, $3) RETURNING id`, w.commons, title, w.coord.ID).Scan(&id)
	if err != nil {
		tb.Fatal(err)
	}
	return id
}

// mustCall adds a call running from today+from to today+to (days).
func (w *pledgeWorld) mustCall(tb testing.TB, slug string, from, to int) int64 {
	tb.Helper()
	var id int64
	err := postgres.Pool(w.db).QueryRow(context.Background(),
		`INSERT INTO calls (slug, title, starts_on, ends_on, pool, match_percent, match_kinds, created_by)
		 VALUES ($1, $1, $2::date, $3::date, 500000, 100, '{tiers-lieu}', $4) RETURNING id`,
		slug, w.today.AddDate(0, 0, from), w.today.AddDate(0, 0, to), w.coord.ID).Scan(&id)
	if err != nil {
		tb.Fatal(err)
	}
	return id
}

func (w *pledgeWorld) pledge(u *fabrique.User, amount int64, key string) (*fabrique.PledgeRecord, bool, error) {
	return w.db.CreatePledge(context.Background(), fabrique.NewPledge{
		StepID: w.step, UserID: u.ID, Kind: "particulier", Amount: amount, IdempotencyKey: key,
		Profile: &fabrique.Funder{Kind: "particulier"}, Today: w.today,
	})
}

func (w *pledgeWorld) mustPledge(tb testing.TB, u *fabrique.User, amount int64, key string) *fabrique.PledgeRecord {
	tb.Helper()
	rec, _, err := w.pledge(u, amount, key)
	if err != nil {
		tb.Fatalf("CreatePledge: %v", err)
	}
	return rec
}

func (w *pledgeWorld) count(tb testing.TB, sql string, args ...any) int {
	tb.Helper()
	var n int
	if err := postgres.Pool(w.db).QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		tb.Fatal(err)
	}
	return n
}

func (w *pledgeWorld) funds(tb testing.TB) int64 {
	tb.Helper()
	b, err := w.db.Balance(context.Background(), fabrique.AccountRef{Kind: fabrique.AccountCommonsFunds, CommonsID: w.commons})
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func TestCreatePledge(t *testing.T) {
	t.Parallel()
	w := newPledgeWorld(t)
	ctx := context.Background()

	rec, created, err := w.pledge(w.funder, 150000, "cle-0001-abc")
	if err != nil || !created {
		t.Fatalf("CreatePledge: got created %v, err %v; want created", created, err)
	}
	if rec.CallID != w.call || rec.CallSlug != "appel-2027" || rec.State != fabrique.PledgePromise || rec.Amount != 150000 {
		t.Errorf("got call %d %q, state %q, amount %d; want call %d, promise, 150000", rec.CallID, rec.CallSlug, rec.State, rec.Amount, w.call)
	}
	f, err := w.db.FunderByUser(ctx, w.funder.ID)
	if err != nil || f.Kind != "particulier" {
		t.Fatalf("funder profile: got %+v, %v; want particulier", f, err)
	}

	// The same key again: the same pledge, nothing more.
	again, created, err := w.pledge(w.funder, 999900, "cle-0001-abc")
	if err != nil || created || again.ID != rec.ID || again.Amount != 150000 {
		t.Errorf("same key: got id %d created %v amount %d err %v; want id %d, not created, 150000", again.ID, created, again.Amount, err, rec.ID)
	}
	// A kind other than the profile's is refused on its field.
	_, _, err = w.db.CreatePledge(ctx, fabrique.NewPledge{StepID: w.step, UserID: w.funder.ID, Kind: "entreprise",
		Amount: 100, IdempotencyKey: "cle-0002-abc", Today: w.today})
	checkCode(t, err, fabrique.EINVALID)
	if msg := fabrique.ErrorFields(err)["funder_kind"]; msg != fabrique.MsgPledgeKindMismatch {
		t.Errorf("kind mismatch: got %q, want %q", msg, fabrique.MsgPledgeKindMismatch)
	}
	// The same key for another step is a conflict, not a silent pledge elsewhere.
	other := w.mustStep(t, "Autre étape")
	_, _, err = w.db.CreatePledge(ctx, fabrique.NewPledge{StepID: other, UserID: w.funder.ID, Kind: "particulier",
		Amount: 100, IdempotencyKey: "cle-0001-abc", Today: w.today})
	checkCode(t, err, fabrique.ECONFLICT)
	// An unknown step.
	_, _, err = w.db.CreatePledge(ctx, fabrique.NewPledge{StepID: 999999, UserID: w.funder.ID, Kind: "particulier",
		Amount: 100, IdempotencyKey: "cle-0003-abc", Today: w.today})
	checkCode(t, err, fabrique.ENOTFOUND)
	// A step in no open call: a pledge to the step alone.
	_ = w.mustCall(t, "appel-futur", 10, 40)
	mustExec(t, w.db, `INSERT INTO call_steps (call_id, step_id) SELECT id, $1 FROM calls WHERE slug = 'appel-futur'`, other)
	solo, _, err := w.db.CreatePledge(ctx, fabrique.NewPledge{StepID: other, UserID: w.funder.ID, Kind: "particulier",
		Amount: 100, IdempotencyKey: "cle-0004-abc", Today: w.today})
	if err != nil || solo.CallID != 0 {
		t.Errorf("step in an upcoming call only: got call %d, err %v; want no call", solo.CallID, err)
	}
	if n := w.count(t, `SELECT count(*) FROM pledges`); n != 2 {
		t.Errorf("pledges: got %d, want 2", n)
	}
}

func TestCreatePledgeTiersLieu(t *testing.T) {
	t.Parallel()
	w := newPledgeWorld(t)
	ctx := context.Background()
	place := mustCreatePlace(t, w.db, "La Fabrik", "Bretagne", w.coord) // the funder is not a member
	in := fabrique.NewPledge{StepID: w.step, UserID: w.funder.ID, Kind: "tiers-lieu", Amount: 100, IdempotencyKey: "cle-tiers-lieu",
		Profile: &fabrique.Funder{Kind: "tiers-lieu", Organisation: "La Fabrik", PlaceID: place.ID}, Today: w.today}
	_, _, err := w.db.CreatePledge(ctx, in)
	checkCode(t, err, fabrique.EINVALID)
	if fabrique.ErrorFields(err)["place_id"] == "" {
		t.Errorf("got fields %v, want an error on place_id", fabrique.ErrorFields(err))
	}
	if n := w.count(t, `SELECT (SELECT count(*) FROM pledges) + (SELECT count(*) FROM funders)`); n != 0 {
		t.Errorf("rows written: got %d, want 0", n)
	}
	mustExec(t, w.db, `INSERT INTO place_members (place_id, user_id) VALUES ($1, $2)`, place.ID, w.funder.ID)
	rec, _, err := w.db.CreatePledge(ctx, in)
	if err != nil || rec.FunderKind != "tiers-lieu" || rec.FunderName != "La Fabrik" {
		t.Fatalf("got %+v, %v; want a tiers-lieu pledge signed La Fabrik", rec, err)
	}
	// SaveFunder checks the same.
	_, err = w.db.SaveFunder(ctx, fabrique.Funder{UserID: w.coord.ID, Kind: "tiers-lieu", Organisation: "X", PlaceID: 999999})
	checkCode(t, err, fabrique.EINVALID)
	f, err := w.db.SaveFunder(ctx, fabrique.Funder{UserID: w.funder.ID, Kind: "fondation", Organisation: "Fondation Y", PlaceID: place.ID})
	if err != nil || f.PlaceID != 0 {
		t.Errorf("SaveFunder: got %+v, %v; want a fondation without place", f, err)
	}
	if n := w.count(t, `SELECT count(*) FROM funders WHERE user_id = $1 AND kind = 'fondation' AND place_id IS NULL`, w.funder.ID); n != 1 {
		t.Errorf("profile changed: got %d rows, want 1", n)
	}
}

func TestPledgeDecisions(t *testing.T) {
	t.Parallel()
	w := newPledgeWorld(t)
	ctx := context.Background()
	other := mustUser(t, w.db, "Octave Autre")
	p := w.mustPledge(t, w.funder, 150000, "cle-decision-1")

	// Changes: by the funder only, while a promise.
	_, err := w.db.UpdatePledge(ctx, p.ID, other, fabrique.PledgeChange{Amount: 1})
	checkCode(t, err, fabrique.EFORBIDDEN)
	_, err = w.db.UpdatePledge(ctx, p.ID, w.coord, fabrique.PledgeChange{Amount: 1})
	checkCode(t, err, fabrique.EFORBIDDEN)
	up, err := w.db.UpdatePledge(ctx, p.ID, w.funder, fabrique.PledgeChange{Amount: 200000, Anonymous: true, Message: "Bravo"})
	if err != nil || up.Amount != 200000 || !up.Anonymous || up.FunderName != "" {
		t.Fatalf("UpdatePledge: got %+v, %v; want 200000, anonymous, no public name", up, err)
	}

	// Confirmation: coordinators only, at the amount they saw.
	_, _, err = w.db.ConfirmPledge(ctx, p.ID, other, 0)
	checkCode(t, err, fabrique.EFORBIDDEN)
	_, _, err = w.db.ConfirmPledge(ctx, p.ID, w.funder, 0)
	checkCode(t, err, fabrique.EFORBIDDEN)
	_, _, err = w.db.ConfirmPledge(ctx, p.ID, w.coord, 150000)
	checkCode(t, err, fabrique.ECONFLICT)
	rec, already, err := w.db.ConfirmPledge(ctx, p.ID, w.coord, 200000)
	if err != nil || already || rec.State != fabrique.PledgeConfirmed || rec.LedgerTxID == 0 {
		t.Fatalf("ConfirmPledge: got %+v, already %v, %v", rec, already, err)
	}
	if got := w.funds(t); got != 200000 {
		t.Errorf("commun's funds: got %d, want 200000", got)
	}
	var memo string
	if err := postgres.Pool(w.db).QueryRow(ctx, `SELECT memo FROM ledger_transactions WHERE id = $1`, rec.LedgerTxID).Scan(&memo); err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("Promesse n° %d de financeur anonyme, étape « Module de réservation »", p.ID); memo != want {
		t.Errorf("memo: got %q, want %q (an anonymous funder stays anonymous in the public accounts)", memo, want)
	}
	// Again: nothing more. Contradicting it: a conflict.
	if _, already, err := w.db.ConfirmPledge(ctx, p.ID, w.coord, 0); err != nil || !already {
		t.Errorf("confirm again: got already %v, %v; want already", already, err)
	}
	_, _, err = w.db.CancelPledge(ctx, p.ID, w.funder)
	checkCode(t, err, fabrique.ECONFLICT)
	_, err = w.db.UpdatePledge(ctx, p.ID, w.funder, fabrique.PledgeChange{Amount: 1})
	checkCode(t, err, fabrique.ECONFLICT)
	if got := w.funds(t); got != 200000 {
		t.Errorf("commun's funds: got %d, want 200000", got)
	}

	// Withdrawal by the funder, cancellation by a coordinator; others may not.
	q := w.mustPledge(t, w.funder, 5000, "cle-decision-2")
	_, _, err = w.db.CancelPledge(ctx, q.ID, other)
	checkCode(t, err, fabrique.EFORBIDDEN)
	if rec, already, err := w.db.CancelPledge(ctx, q.ID, w.funder); err != nil || already || rec.State != fabrique.PledgeCancelled {
		t.Errorf("withdraw: got %+v, already %v, %v", rec, already, err)
	}
	if _, already, err := w.db.CancelPledge(ctx, q.ID, w.coord); err != nil || !already {
		t.Errorf("cancel again: got already %v, %v; want already", already, err)
	}
	_, _, err = w.db.ConfirmPledge(ctx, q.ID, w.coord, 0)
	checkCode(t, err, fabrique.ECONFLICT)
	r := w.mustPledge(t, w.funder, 7000, "cle-decision-3")
	if rec, _, err := w.db.CancelPledge(ctx, r.ID, w.coord); err != nil || rec.State != fabrique.PledgeCancelled || rec.DecidedByName != w.coord.DisplayName {
		t.Errorf("cancel by coordinator: got %+v, %v", rec, err)
	}
	_, _, err = w.db.ConfirmPledge(ctx, 999999, w.coord, 0)
	checkCode(t, err, fabrique.ENOTFOUND)

	// A coordinator does not confirm their own pledge.
	own := w.mustPledge(t, w.coord, 1000, "cle-decision-4")
	_, _, err = w.db.ConfirmPledge(ctx, own.ID, w.coord, 0)
	checkCode(t, err, fabrique.EFORBIDDEN)

	audits := w.count(t, `SELECT count(*) FROM audit_log WHERE target_type = 'pledge'`)
	if audits != 3 { // confirm, withdraw, cancel
		t.Errorf("audit entries: got %d, want 3", audits)
	}
	mustLedgerZero(t, w.db)
}

// TestPledgesConcurrent: many funders pledging at once on one step are all recorded;
// one form sent ten times at once is one pledge.
func TestPledgesConcurrent(t *testing.T) {
	t.Parallel()
	w := newPledgeWorld(t)
	const n = 20
	funders := make([]*fabrique.User, n)
	for i := range funders {
		funders[i] = mustUser(t, w.db, fmt.Sprintf("Financeur %d", i))
	}
	var wg sync.WaitGroup
	errs := make(chan error, n+50)
	for i := range funders {
		wg.Go(func() {
			if _, _, err := w.pledge(funders[i], int64(1000*(i+1)), fmt.Sprintf("cle-concurrente-%d", i)); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	// The same form sent ten times at once, for five forms, all starting together.
	const forms = 5
	ids := make(chan [2]int64, 10*forms)
	start := make(chan struct{})
	for k := range forms {
		for range 10 {
			wg.Go(func() {
				<-start
				rec, _, err := w.pledge(w.funder, 4200, fmt.Sprintf("cle-double-clic-%d", k))
				if err != nil {
					errs <- err
					return
				}
				ids <- [2]int64{int64(k), rec.ID}
			})
		}
	}
	close(start)
	wg.Wait()
	close(errs)
	close(ids)
	for err := range errs {
		t.Errorf("concurrent pledge: %v", err)
	}
	byForm := map[int64]int64{}
	for p := range ids {
		if first, ok := byForm[p[0]]; ok && first != p[1] {
			t.Errorf("same key: got pledges %d and %d, want one", first, p[1])
		}
		byForm[p[0]] = p[1]
	}
	if got := w.count(t, `SELECT count(*) FROM pledges WHERE user_id = $1`, w.funder.ID); got != forms {
		t.Errorf("%d forms each sent 10 times at once: got %d rows, want %d", forms, got, forms)
	}
	if got := w.count(t, `SELECT count(*) FROM pledges WHERE user_id <> $1`, w.funder.ID); got != n {
		t.Errorf("funders at once: got %d pledges, want %d", got, n)
	}
	if got := w.count(t, `SELECT sum(amount) FROM pledges WHERE user_id <> $1`, w.funder.ID); got != 1000*n*(n+1)/2 {
		t.Errorf("sum: got %d, want %d", got, 1000*n*(n+1)/2)
	}
}

// TestConfirmRaces: two confirmations at once move money once; a confirmation racing a
// withdrawal gives exactly one outcome — confirmed with its movement, or cancelled
// without any.
func TestConfirmRaces(t *testing.T) {
	t.Parallel()
	w := newPledgeWorld(t)
	ctx := context.Background()
	coord2 := mustSeedCoordinator(t, w.db, "Claude Coordination")

	p := w.mustPledge(t, w.funder, 30000, "cle-course-0")
	var wg sync.WaitGroup
	var mu sync.Mutex
	fresh := 0
	for _, c := range []*fabrique.User{w.coord, coord2, w.coord, coord2} {
		wg.Go(func() {
			_, already, err := w.db.ConfirmPledge(ctx, p.ID, c, 0)
			if err != nil {
				t.Errorf("confirm: %v", err)
				return
			}
			if !already {
				mu.Lock()
				fresh++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if fresh != 1 {
		t.Errorf("confirmations that moved money: got %d, want 1", fresh)
	}
	if got := w.count(t, `SELECT count(*) FROM ledger_transactions WHERE cause_type = 'pledge' AND cause_id = $1`, p.ID); got != 1 {
		t.Errorf("movements: got %d, want 1", got)
	}

	for i := 1; i <= 10; i++ {
		q := w.mustPledge(t, w.funder, 1000, fmt.Sprintf("cle-course-%d", i))
		var confirmErr, cancelErr error
		wg.Go(func() { _, _, confirmErr = w.db.ConfirmPledge(ctx, q.ID, w.coord, 0) })
		wg.Go(func() { _, _, cancelErr = w.db.CancelPledge(ctx, q.ID, w.funder) })
		wg.Wait()
		rec, err := w.db.PledgeByID(ctx, q.ID)
		if err != nil {
			t.Fatal(err)
		}
		moves := w.count(t, `SELECT count(*) FROM ledger_transactions WHERE cause_type = 'pledge' AND cause_id = $1`, q.ID)
		switch rec.State {
		case fabrique.PledgeConfirmed:
			if confirmErr != nil || fabrique.ErrorCode(cancelErr) != fabrique.ECONFLICT || moves != 1 {
				t.Errorf("race %d confirmed: confirm %v, cancel %v, %d movements; want nil, conflict, 1", i, confirmErr, cancelErr, moves)
			}
		case fabrique.PledgeCancelled:
			if cancelErr != nil || fabrique.ErrorCode(confirmErr) != fabrique.ECONFLICT || moves != 0 {
				t.Errorf("race %d cancelled: confirm %v, cancel %v, %d movements; want conflict, nil, 0", i, confirmErr, cancelErr, moves)
			}
		default:
			t.Errorf("race %d: got state %q", i, rec.State)
		}
	}
	var confirmed int64
	if err := postgres.Pool(w.db).QueryRow(ctx, `SELECT coalesce(sum(amount), 0) FROM pledges WHERE state = 'confirmee'`).Scan(&confirmed); err != nil {
		t.Fatal(err)
	}
	if got := w.funds(t); got != confirmed {
		t.Errorf("commun's funds: got %d, want the confirmed pledges' %d", got, confirmed)
	}
	mustLedgerZero(t, w.db)
}

func TestPledgeLists(t *testing.T) {
	t.Parallel()
	w := newPledgeWorld(t)
	ctx := context.Background()
	other := mustUser(t, w.db, "Olga Autre")
	a := w.mustPledge(t, w.funder, 1000, "cle-liste-1")
	b := w.mustPledge(t, other, 2000, "cle-liste-2")
	mustExec(t, w.db, `UPDATE pledges SET created_at = now() - interval '12 days' WHERE id = $1`, b.ID)
	if _, _, err := w.db.ConfirmPledge(ctx, a.ID, w.coord, 0); err != nil {
		t.Fatal(err)
	}
	c := w.mustPledge(t, w.funder, 3000, "cle-liste-3")

	all, err := w.db.CallPledges(ctx, w.call, 0, 0)
	if err != nil || len(all) != 3 || all[0].ID != b.ID {
		t.Errorf("CallPledges: got %d (%v), want 3, oldest first", len(all), err)
	}
	mine, err := w.db.CallPledges(ctx, w.call, w.funder.ID, 10)
	if err != nil || len(mine) != 2 {
		t.Errorf("CallPledges of the funder: got %d (%v), want 2", len(mine), err)
	}
	waiting, total, err := w.db.WaitingPledges(ctx, 1, 0)
	if err != nil || total != 2 || len(waiting) != 1 || waiting[0].ID != b.ID {
		t.Errorf("WaitingPledges: got %d of %d (%v), want the oldest of 2", len(waiting), total, err)
	}
	list, total, err := w.db.UserPledges(ctx, w.funder.ID, 1, 0)
	if err != nil || total != 2 || len(list) != 1 || list[0].ID != c.ID {
		t.Errorf("UserPledges: got %d of %d (%v), want the latest of 2", len(list), total, err)
	}
	csv, err := w.db.CallPledgesBySlug(ctx, "appel-2027")
	if err != nil || len(csv) != 3 {
		t.Errorf("CallPledgesBySlug: got %d (%v), want 3", len(csv), err)
	}
	_, err = w.db.CallPledgesBySlug(ctx, "inconnu")
	checkCode(t, err, fabrique.ENOTFOUND)
	st, err := w.db.PledgeStepByID(ctx, w.step, w.today)
	if err != nil || st.CallSlug != "appel-2027" || st.CommonsSlug != "dokos" {
		t.Errorf("PledgeStepByID: got %+v, %v", st, err)
	}
	if st, err := w.db.PledgeStepByID(ctx, w.step, w.today.AddDate(0, 0, 31)); err != nil || st.CallID != 0 {
		t.Errorf("PledgeStepByID after the call: got call %d, %v; want none", st.CallID, err)
	}
	mustLedgerZero(t, w.db)
}

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

// lootFixture is a défi in préfiguration with its porteur, a member, a coordinator and a
// stranger, and optionally a seed budget.
type lootFixture struct {
	db                            *postgres.DB
	c                             *fabrique.Challenge
	lead, member, coord, outsider *fabrique.User
}

// mustLootFixture sets up the défi and grants it budget cents (none when 0), through the
// ledger as the seed-request decision would.
func mustLootFixture(tb testing.TB, budget int64) *lootFixture {
	tb.Helper()
	db := pgtest.New(tb)
	f := &lootFixture{db: db,
		lead: mustUser(tb, db, "Lea Porteuse"), member: mustUser(tb, db, "Marc Membre"),
		coord: mustUser(tb, db, "Camille Coord"), outsider: mustUser(tb, db, "Omar Dehors")}
	mustExec(tb, db, `UPDATE users SET role = 'coordinator' WHERE id = $1`, f.coord.ID)
	f.coord.Role = fabrique.RoleCoordinator
	f.c = mustChallenge(tb, db, "Cantine partagée", f.lead)
	mustExec(tb, db, `INSERT INTO challenge_members (challenge_id, user_id, role, state, decided_at) VALUES ($1, $2, 'member', 'accepted', now())`, f.c.ID, f.member.ID)
	mustExec(tb, db, `UPDATE challenges SET status = 'prefiguration' WHERE id = $1`, f.c.ID)
	if budget > 0 {
		f.grant(tb, budget)
	}
	return f
}

// grant moves cents from a fresh allocation of the 2026 fund to the défi's budget.
func (f *lootFixture) grant(tb testing.TB, cents int64) {
	tb.Helper()
	ctx := context.Background()
	budget := fabrique.AccountRef{Kind: fabrique.AccountSeedBudget, ChallengeID: f.c.ID}
	if _, err := f.db.Post(ctx, fabrique.Movement{Kind: fabrique.TxFundAllocation, Amount: cents, From: outside, To: fund26, CauseType: "seed_fund"}); err != nil {
		tb.Fatal(err)
	}
	if _, err := f.db.Post(ctx, fabrique.Movement{Kind: fabrique.TxSeedGrant, Amount: cents, From: fund26, To: budget, CauseType: "seed_request"}); err != nil {
		tb.Fatal(err)
	}
}

// declare logs quarters of work by u, volunteer or not.
func (f *lootFixture) declare(tb testing.TB, u *fabrique.User, quarters int, volunteer bool) *fabrique.ContributionRecord {
	tb.Helper()
	rec, err := f.db.CreateContribution(context.Background(), f.c.ID, u.ID, fabrique.Contribution{
		WorkedOn: time.Date(2026, 3, 14, 0, 0, 0, 0, time.UTC), Quarters: quarters, Activity: "documentation",
		Description: "Rédaction du guide.", Volunteer: volunteer})
	if err != nil {
		tb.Fatalf("CreateContribution: %v", err)
	}
	return rec
}

func (f *lootFixture) state(tb testing.TB, id int64) string {
	tb.Helper()
	rec, err := f.db.ContributionByID(context.Background(), id)
	if err != nil {
		tb.Fatal(err)
	}
	return rec.State
}

func (f *lootFixture) overview(tb testing.TB) fabrique.BudgetOverview {
	tb.Helper()
	b, err := f.db.BudgetOverview(context.Background(), f.c.ID, 0)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// lootCount returns the result of a count(*) query.
func lootCount(tb testing.TB, db *postgres.DB, sql string, args ...any) int {
	tb.Helper()
	var n int
	if err := postgres.Pool(db).QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		tb.Fatalf("count %q: %v", sql, err)
	}
	return n
}

func TestCreateContribution(t *testing.T) {
	t.Parallel()
	f := mustLootFixture(t, 0)
	ctx := context.Background()

	rec := f.declare(t, f.member, 8, false)
	if rec.Amount != 46000 || rec.DayRate != 23000 || rec.State != fabrique.ContributionDeclared || rec.Quarters != 8 {
		t.Errorf("got amount %d, rate %d, state %s, quarters %d; want 46000, 23000, declaree, 8", rec.Amount, rec.DayRate, rec.State, rec.Quarters)
	}
	// The rate is snapshotted: changing the défi's rate leaves logged work alone.
	mustExec(t, f.db, `UPDATE challenges SET day_rate = 30001 WHERE id = $1`, f.c.ID)
	if got, _ := f.db.ContributionByID(ctx, rec.ID); got.Amount != 46000 || got.DayRate != 23000 {
		t.Errorf("after a rate change: got %d at %d, want 46000 at 23000", got.Amount, got.DayRate)
	}
	// A rate that is not a multiple of four rounds half up: 0,25 day at 300,01 € = 75,0025 €.
	if got := f.declare(t, f.lead, 1, false); got.Amount != 7500 || got.DayRate != 30001 {
		t.Errorf("quarter day at 300,01 €: got %d at %d, want 7500 at 30001", got.Amount, got.DayRate)
	}
	if got := f.declare(t, f.member, 4, true); got.Amount != 0 || !got.Volunteer {
		t.Errorf("volunteer: got amount %d, volunteer %v; want 0, true", got.Amount, got.Volunteer)
	}

	in := fabrique.Contribution{WorkedOn: time.Date(2026, 3, 14, 0, 0, 0, 0, time.UTC), Quarters: 4, Activity: "design"}
	_, err := f.db.CreateContribution(ctx, f.c.ID, f.outsider.ID, in)
	checkCode(t, err, fabrique.EFORBIDDEN)
	_, err = f.db.CreateContribution(ctx, f.c.ID, f.coord.ID, in) // a coordinator outside the team
	checkCode(t, err, fabrique.EFORBIDDEN)
	_, err = f.db.CreateContribution(ctx, 999999, f.member.ID, in)
	checkCode(t, err, fabrique.ENOTFOUND)
	for _, status := range []string{"identifie", "clos"} {
		mustExec(t, f.db, `UPDATE challenges SET status = $2 WHERE id = $1`, f.c.ID, status)
		_, err = f.db.CreateContribution(ctx, f.c.ID, f.member.ID, in)
		checkCode(t, err, fabrique.EINVALID)
	}
	if n := lootCount(t, f.db, `SELECT count(*) FROM contributions`); n != 3 {
		t.Errorf("got %d contributions, want 3", n)
	}
}

func TestValidateContribution(t *testing.T) {
	t.Parallel()
	f := mustLootFixture(t, 46000)
	ctx := context.Background()
	byMember := f.declare(t, f.member, 8, false) // 460,00 €: the whole budget
	byLead := f.declare(t, f.lead, 4, false)

	for name, u := range map[string]*fabrique.User{"author": f.member, "outsider": f.outsider} {
		_, _, err := f.db.ValidateContribution(ctx, byMember.ID, u)
		t.Run(name, func(t *testing.T) { checkCode(t, err, fabrique.EFORBIDDEN) })
	}
	// The porteur never validates their own work, not even a coordinator's own.
	_, _, err := f.db.ValidateContribution(ctx, byLead.ID, f.lead)
	checkCode(t, err, fabrique.EFORBIDDEN)
	// A plain member does not validate the porteur's work.
	_, _, err = f.db.ValidateContribution(ctx, byLead.ID, f.member)
	checkCode(t, err, fabrique.EFORBIDDEN)
	_, _, err = f.db.ValidateContribution(ctx, 999999, f.lead)
	checkCode(t, err, fabrique.ENOTFOUND)

	rec, already, err := f.db.ValidateContribution(ctx, byMember.ID, f.lead)
	if err != nil || already || rec.State != fabrique.ContributionValidated {
		t.Fatalf("validate: got %v, already %v, %v; want validee", rec, already, err)
	}
	if _, already, err = f.db.ValidateContribution(ctx, byMember.ID, f.coord); err != nil || !already {
		t.Errorf("validate again: got already %v, %v; want true, nil", already, err)
	}
	// The budget is fully committed: the coordinator cannot validate the porteur's day.
	_, _, err = f.db.ValidateContribution(ctx, byLead.ID, f.coord)
	checkCode(t, err, fabrique.EINVALID)
	if got := f.state(t, byLead.ID); got != fabrique.ContributionDeclared {
		t.Errorf("refused validation: got state %s, want declaree", got)
	}
	// Volunteer work validates without money.
	vol := f.declare(t, f.member, 4, true)
	if _, _, err := f.db.ValidateContribution(ctx, vol.ID, f.lead); err != nil {
		t.Errorf("validate volunteer on a spent budget: %v", err)
	}
	b := f.overview(t)
	if b.Budgeted != 46000 || b.Committed != 46000 || b.Paid != 0 || b.Remaining != 0 || b.Declared != 23000 || b.Count != 3 {
		t.Errorf("overview: got %+v", b)
	}
	if n := lootCount(t, f.db, `SELECT count(*) FROM audit_log WHERE action = 'contribution.validate'`); n != 2 {
		t.Errorf("audit: got %d validations, want 2", n)
	}
	var validatedBy int64
	if err := postgres.Pool(f.db).QueryRow(ctx, `SELECT validated_by FROM contributions WHERE id = $1`, byMember.ID).Scan(&validatedBy); err != nil || validatedBy != f.lead.ID {
		t.Errorf("validated_by: got %d (%v), want %d", validatedBy, err, f.lead.ID)
	}
	mustLedgerZero(t, f.db)
}

// Five days of 230 € on a 460 € budget, validated at once: exactly two pass.
func TestValidateContributionConcurrent(t *testing.T) {
	t.Parallel()
	f := mustLootFixture(t, 46000)
	ctx := context.Background()
	var ids []int64
	for range 5 {
		ids = append(ids, f.declare(t, f.member, 4, false).ID)
	}
	var wg sync.WaitGroup
	errs := make([]error, len(ids))
	for i, id := range ids {
		wg.Go(func() {
			// The porteur and a coordinator validate together, as it happens.
			actor := f.lead
			if i%2 == 1 {
				actor = f.coord
			}
			_, _, errs[i] = f.db.ValidateContribution(ctx, id, actor)
		})
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch fabrique.ErrorCode(err) {
		case "":
			ok++
		case fabrique.EINVALID:
		default:
			t.Errorf("unexpected error: %v", err)
		}
	}
	if ok != 2 {
		t.Errorf("got %d validations, want 2", ok)
	}
	if n := lootCount(t, f.db, `SELECT count(*) FROM contributions WHERE state = 'validee'`); n != 2 {
		t.Errorf("got %d validated rows, want 2", n)
	}
	if b := f.overview(t); b.Committed != 46000 || b.Remaining != 0 {
		t.Errorf("got committed %d, remaining %d; want 46000, 0", b.Committed, b.Remaining)
	}
	mustLedgerZero(t, f.db)
}

func TestRefuseContribution(t *testing.T) {
	t.Parallel()
	f := mustLootFixture(t, 46000)
	ctx := context.Background()
	a := f.declare(t, f.member, 8, false)
	b := f.declare(t, f.member, 4, false)

	_, _, err := f.db.RefuseContribution(ctx, a.ID, f.member, "Je me trompe")
	checkCode(t, err, fabrique.EFORBIDDEN)
	_, _, err = f.db.RefuseContribution(ctx, a.ID, f.outsider, "Non")
	checkCode(t, err, fabrique.EFORBIDDEN)

	// Validated, then refused: the money it reserved is free again.
	if _, _, err := f.db.ValidateContribution(ctx, a.ID, f.lead); err != nil {
		t.Fatal(err)
	}
	_, _, err = f.db.ValidateContribution(ctx, b.ID, f.lead)
	checkCode(t, err, fabrique.EINVALID)
	rec, already, err := f.db.RefuseContribution(ctx, a.ID, f.coord, "Jours comptés deux fois.")
	if err != nil || already || rec.State != fabrique.ContributionRefused || rec.Reason != "Jours comptés deux fois." {
		t.Fatalf("refuse: got %+v, %v, %v", rec, already, err)
	}
	if _, already, err := f.db.RefuseContribution(ctx, a.ID, f.lead, "Encore"); err != nil || !already {
		t.Errorf("refuse again: got already %v, %v; want true, nil", already, err)
	}
	_, _, err = f.db.ValidateContribution(ctx, a.ID, f.lead)
	checkCode(t, err, fabrique.ECONFLICT)
	if _, _, err := f.db.ValidateContribution(ctx, b.ID, f.lead); err != nil {
		t.Errorf("validate after the release: %v", err)
	}
	// Paid work is never refused.
	if _, _, err := f.db.PayContribution(ctx, b.ID, f.coord, "VIR-1", time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	_, _, err = f.db.RefuseContribution(ctx, b.ID, f.lead, "Trop tard")
	checkCode(t, err, fabrique.ECONFLICT)
	if n := lootCount(t, f.db, `SELECT count(*) FROM audit_log WHERE action = 'contribution.refuse'`); n != 1 {
		t.Errorf("audit: got %d refusals, want 1", n)
	}
	mustLedgerZero(t, f.db)
}

func TestPayContribution(t *testing.T) {
	t.Parallel()
	f := mustLootFixture(t, 100000)
	ctx := context.Background()
	paidOn := time.Date(2026, 4, 2, 0, 0, 0, 0, time.UTC)
	a := f.declare(t, f.member, 8, false)
	vol := f.declare(t, f.member, 4, true)
	byLead := f.declare(t, f.lead, 4, false)
	mustExec(t, f.db, `INSERT INTO challenge_members (challenge_id, user_id, role, state) VALUES ($1, $2, 'member', 'accepted')`, f.c.ID, f.coord.ID)
	own := f.declare(t, f.coord, 4, false)

	_, _, err := f.db.PayContribution(ctx, a.ID, f.coord, "VIR-1", paidOn)
	checkCode(t, err, fabrique.EINVALID) // declared, not validated
	for _, k := range []*fabrique.ContributionRecord{a, vol, byLead, own} {
		validator := f.lead
		if k == byLead {
			validator = f.coord
		}
		if _, _, err := f.db.ValidateContribution(ctx, k.ID, validator); err != nil {
			t.Fatalf("validate %d: %v", k.ID, err)
		}
	}
	_, _, err = f.db.PayContribution(ctx, a.ID, f.lead, "VIR-1", paidOn)
	checkCode(t, err, fabrique.EFORBIDDEN) // the porteur does not pay
	_, _, err = f.db.PayContribution(ctx, own.ID, f.coord, "VIR-1", paidOn)
	checkCode(t, err, fabrique.EFORBIDDEN) // nor a coordinator themself
	_, _, err = f.db.PayContribution(ctx, vol.ID, f.coord, "VIR-1", paidOn)
	checkCode(t, err, fabrique.EINVALID)

	rec, already, err := f.db.PayContribution(ctx, a.ID, f.coord, "VIR-2026-04-A", paidOn)
	if err != nil || already || rec.State != fabrique.ContributionPaid {
		t.Fatalf("pay: got %+v, %v, %v", rec, already, err)
	}
	got, _ := f.db.ContributionByID(ctx, a.ID)
	if got.State != fabrique.ContributionPaid || got.Reference != "VIR-2026-04-A" || !got.PaidOn.Equal(paidOn) {
		t.Errorf("paid row: got %s, %q, %v", got.State, got.Reference, got.PaidOn)
	}
	var kind, ref, cause string
	var amount int64
	var occurred time.Time
	if err := postgres.Pool(f.db).QueryRow(ctx,
		`SELECT t.kind, t.amount, t.reference, t.cause_type, t.occurred_on FROM contributions k JOIN ledger_transactions t ON t.id = k.ledger_tx_id WHERE k.id = $1`,
		a.ID).Scan(&kind, &amount, &ref, &cause, &occurred); err != nil {
		t.Fatal(err)
	}
	if kind != fabrique.TxPayment || amount != 46000 || ref != "VIR-2026-04-A" || cause != "contribution" || !occurred.Equal(paidOn) {
		t.Errorf("ledger: got %s %d %q %s %v", kind, amount, ref, cause, occurred)
	}
	if bal, _ := f.db.Balance(ctx, fabrique.AccountRef{Kind: fabrique.AccountSeedBudget, ChallengeID: f.c.ID}); bal != 100000-46000 {
		t.Errorf("budget balance: got %d, want %d", bal, 100000-46000)
	}
	b := f.overview(t)
	if b.Budgeted != 100000 || b.Paid != 46000 || b.Committed != 46000 || b.Remaining != 100000-46000-46000 {
		t.Errorf("overview: got %+v", b)
	}
	if n := lootCount(t, f.db, `SELECT count(*) FROM audit_log WHERE action = 'contribution.pay' AND target_id = $1`, a.ID); n != 1 {
		t.Errorf("audit: got %d payments, want 1", n)
	}
	mustLedgerZero(t, f.db)
}

// A payment clicked twice, or by two coordinators at once, moves the money once.
func TestPayContributionConcurrent(t *testing.T) {
	t.Parallel()
	f := mustLootFixture(t, 46000)
	ctx := context.Background()
	coord2 := mustUser(t, f.db, "Claire Coord")
	mustExec(t, f.db, `UPDATE users SET role = 'coordinator' WHERE id = $1`, coord2.ID)
	coord2.Role = fabrique.RoleCoordinator
	k := f.declare(t, f.member, 8, false)
	if _, _, err := f.db.ValidateContribution(ctx, k.ID, f.lead); err != nil {
		t.Fatal(err)
	}
	const n = 8
	var wg sync.WaitGroup
	fresh := make([]bool, n)
	for i := range n {
		wg.Go(func() {
			actor := []*fabrique.User{f.coord, coord2}[i%2]
			_, already, err := f.db.PayContribution(ctx, k.ID, actor, fmt.Sprintf("VIR-%d", i), time.Date(2026, 4, 2, 0, 0, 0, 0, time.UTC))
			if err != nil {
				t.Errorf("pay %d: %v", i, err)
			}
			fresh[i] = !already
		})
	}
	wg.Wait()
	paid := 0
	for _, ok := range fresh {
		if ok {
			paid++
		}
	}
	if paid != 1 {
		t.Errorf("got %d first payments, want 1", paid)
	}
	if got := lootCount(t, f.db, `SELECT count(*) FROM ledger_transactions WHERE kind = 'payment'`); got != 1 {
		t.Errorf("got %d payment movements, want 1", got)
	}
	if bal, _ := f.db.Balance(ctx, fabrique.AccountRef{Kind: fabrique.AccountSeedBudget, ChallengeID: f.c.ID}); bal != 0 {
		t.Errorf("budget balance: got %d, want 0", bal)
	}
	mustLedgerZero(t, f.db)
}

// A validation racing a refusal of the same contribution: whatever the order, the
// contribution ends refused and holds no money, and the budget is whole again.
func TestValidateRacesRefusal(t *testing.T) {
	t.Parallel()
	f := mustLootFixture(t, 46000)
	ctx := context.Background()
	for round := range 10 {
		k := f.declare(t, f.member, 8, false)
		var wg sync.WaitGroup
		var verr, rerr error
		wg.Go(func() { _, _, verr = f.db.ValidateContribution(ctx, k.ID, f.lead) })
		wg.Go(func() { _, _, rerr = f.db.RefuseContribution(ctx, k.ID, f.coord, "Hors du périmètre.") })
		wg.Wait()
		if rerr != nil {
			t.Fatalf("round %d: refusal: %v", round, rerr)
		}
		if c := fabrique.ErrorCode(verr); c != "" && c != fabrique.ECONFLICT {
			t.Fatalf("round %d: validation: %v", round, verr)
		}
		if got := f.state(t, k.ID); got != fabrique.ContributionRefused {
			t.Fatalf("round %d: got state %s, want refusee", round, got)
		}
		if b := f.overview(t); b.Committed != 0 || b.Remaining != 46000 {
			t.Fatalf("round %d: got committed %d, remaining %d; want 0, 46000", round, b.Committed, b.Remaining)
		}
	}
	// The whole budget is still there for real work.
	k := f.declare(t, f.member, 8, false)
	if _, _, err := f.db.ValidateContribution(ctx, k.ID, f.lead); err != nil {
		t.Errorf("validate after the races: %v", err)
	}
	mustLedgerZero(t, f.db)
}

func TestContributionAggregates(t *testing.T) {
	t.Parallel()
	f := mustLootFixture(t, 100000)
	ctx := context.Background()
	paid := f.declare(t, f.member, 8, false)    // 460 €, paid
	valid := f.declare(t, f.member, 2, false)   // 115 €, validated
	f.declare(t, f.member, 6, true)             // 1,5 day volunteer, declared
	refused := f.declare(t, f.member, 4, false) // refused: out of every total but the count
	lead := f.declare(t, f.lead, 4, false)      // 230 €, declared
	for _, id := range []int64{paid.ID, valid.ID} {
		if _, _, err := f.db.ValidateContribution(ctx, id, f.lead); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := f.db.PayContribution(ctx, paid.ID, f.coord, "VIR-1", time.Date(2026, 4, 2, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.db.RefuseContribution(ctx, refused.ID, f.lead, "Doublon"); err != nil {
		t.Fatal(err)
	}

	days, err := f.db.ChallengeMemberDays(ctx, f.c.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := []fabrique.MemberDays{
		{UserID: f.lead.ID, Name: "Lea Porteuse", PaidQuarters: 4},
		{UserID: f.member.ID, Name: "Marc Membre", PaidQuarters: 10, VolunteerQuarters: 6, PaidAmount: 46000},
	}
	if fmt.Sprint(days) != fmt.Sprint(want) {
		t.Errorf("member days: got %+v, want %+v", days, want)
	}
	tot, err := f.db.UserContributionTotals(ctx, f.member.ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := (fabrique.ContributionTotals{Count: 4, Declared: 0, Validated: 11500, Paid: 46000, Refused: 1, PaidQuarters: 10, VolunteerQuarters: 6}); tot != want {
		t.Errorf("totals: got %+v, want %+v", tot, want)
	}
	list, err := f.db.UserContributions(ctx, f.member.ID, 2, 0)
	if err != nil || len(list) != 2 || list[0].ID != refused.ID {
		t.Errorf("user contributions: got %d, %v; want the latest first", len(list), err)
	}
	if b := f.overview(t); b.Budgeted != 100000 || b.Committed != 11500 || b.Paid != 46000 || b.Remaining != 100000-11500-46000 || b.Declared != 23000 || b.Count != 5 {
		t.Errorf("overview: got %+v", b)
	}
	due, err := f.db.ContributionsToPay(ctx, 0)
	if err != nil || len(due) != 1 || due[0].ID != valid.ID || due[0].Email != "marc.membre@example.org" {
		t.Errorf("to pay: got %v, %v; want only the validated one", due, err)
	}
	if n, total, err := f.db.PaymentsDue(ctx); n != 1 || total != 11500 || err != nil {
		t.Errorf("payments due: got %d, %d, %v; want 1, 11500", n, total, err)
	}

	// Remaining 425,00 € of 1 000 €: not near the end. Validating the porteur's day leaves
	// 195,00 €, under a fifth.
	alerts, err := f.db.BudgetsNearEnd(ctx)
	if err != nil || len(alerts) != 0 {
		t.Errorf("near end: got %v, %v; want none", alerts, err)
	}
	if _, _, err := f.db.ValidateContribution(ctx, lead.ID, f.coord); err != nil {
		t.Fatal(err)
	}
	alerts, err = f.db.BudgetsNearEnd(ctx)
	if err != nil || len(alerts) != 1 || alerts[0].ChallengeSlug != f.c.Slug || alerts[0].Remaining != 19500 || alerts[0].Budgeted != 100000 {
		t.Errorf("near end: got %+v, %v; want the défi with 19500 of 100000", alerts, err)
	}
	mustLedgerZero(t, f.db)
}

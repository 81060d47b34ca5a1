package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/pgtest"
	"github.com/fabrique-a-communs/fabrique/internal/postgres"
)

const seedYear = 2026

// mustSeedCoordinator creates a coordinator named name.
func mustSeedCoordinator(tb testing.TB, db *postgres.DB, name string) *fabrique.User {
	tb.Helper()
	u := mustUser(tb, db, name)
	mustExec(tb, db, `UPDATE users SET role = 'coordinator' WHERE id = $1`, u.ID)
	u.Role = fabrique.RoleCoordinator
	return u
}

// mustSeedChallenge creates a défi led by lead, in status.
func mustSeedChallenge(tb testing.TB, db *postgres.DB, title string, lead *fabrique.User, status fabrique.Status) *fabrique.Challenge {
	tb.Helper()
	c := mustChallenge(tb, db, title, lead)
	mustExec(tb, db, `UPDATE challenges SET status = $2 WHERE id = $1`, c.ID, string(status))
	c.Status = status
	return c
}

// mustSeedFund sets the seed fund of year to amount cents.
func mustSeedFund(tb testing.TB, db *postgres.DB, coord *fabrique.User, year int, amount int64) {
	tb.Helper()
	if _, err := db.SetSeedFund(context.Background(), coord, year, amount); err != nil {
		tb.Fatalf("SetSeedFund(%d, %d): %v", year, amount, err)
	}
}

// mustSeedRequest records a seed request of amount cents by the défi's porteur.
func mustSeedRequest(tb testing.TB, db *postgres.DB, c *fabrique.Challenge, lead *fabrique.User, amount int64) int64 {
	tb.Helper()
	id, err := db.RequestSeedBudget(context.Background(), c.ID, lead, amount, "- Alice : 5 jours de documentation")
	if err != nil {
		tb.Fatalf("RequestSeedBudget(%s, %d): %v", c.Slug, amount, err)
	}
	return id
}

func seedCount(tb testing.TB, db *postgres.DB, sql string, args ...any) int {
	tb.Helper()
	var n int
	if err := postgres.Pool(db).QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		tb.Fatalf("count %q: %v", sql, err)
	}
	return n
}

// checkSeedLimit fails unless err is a SeedLimitError on limit naming amount cents.
func checkSeedLimit(tb testing.TB, err error, limit string, amount int64) {
	tb.Helper()
	var le *fabrique.SeedLimitError
	if !errors.As(err, &le) {
		tb.Fatalf("got %v, want a SeedLimitError %s", err, limit)
	}
	if le.Limit != limit || le.Amount != amount {
		tb.Errorf("got limit %s of %d, want %s of %d", le.Limit, le.Amount, limit, amount)
	}
	checkCode(tb, err, fabrique.EINVALID)
	if fabrique.ErrorFields(err)["amount"] == "" {
		tb.Errorf("got no message on the amount field: %v", err)
	}
}

func wantSeedFund(tb testing.TB, db *postgres.DB, year int, total, granted, left int64) {
	tb.Helper()
	f, err := db.SeedFund(context.Background(), year)
	if err != nil {
		tb.Fatal(err)
	}
	if want := (fabrique.SeedFundSummary{Year: year, Total: total, Granted: granted, Left: left}); f != want {
		tb.Errorf("fund %d: got %+v, want %+v", year, f, want)
	}
	bal, err := db.Balance(context.Background(), fabrique.AccountRef{Kind: fabrique.AccountSeedFund, Year: year})
	if err != nil || bal != left {
		tb.Errorf("fund %d balance: got %d (%v), want %d", year, bal, err, left)
	}
}

func TestSetSeedFund(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	coord := mustSeedCoordinator(t, db, "Claire Coordination")
	lead := mustUser(t, db, "Paul Porteur")
	allocations := func() int {
		return seedCount(t, db, `SELECT count(*) FROM ledger_transactions WHERE kind = 'fund_allocation'`)
	}

	wantSeedFund(t, db, seedYear, 0, 0, 0)
	if _, err := db.SetSeedFund(ctx, lead, seedYear, 1200000); fabrique.ErrorCode(err) != fabrique.EFORBIDDEN {
		t.Errorf("contributor: got %v, want EFORBIDDEN", err)
	}
	mustSeedFund(t, db, coord, seedYear, 1200000)
	wantSeedFund(t, db, seedYear, 1200000, 0, 1200000)
	mustSeedFund(t, db, coord, seedYear, 1200000)
	if got := allocations(); got != 1 {
		t.Errorf("allocations after setting the same amount: got %d, want 1", got)
	}
	mustSeedFund(t, db, coord, seedYear, 1500000)
	mustSeedFund(t, db, coord, seedYear, 900000)
	wantSeedFund(t, db, seedYear, 900000, 0, 900000)
	if got := allocations(); got != 3 {
		t.Errorf("allocations: got %d, want 3 (one per change)", got)
	}
	var out int64
	if err := postgres.Pool(db).QueryRow(ctx, `SELECT amount FROM ledger_transactions WHERE kind = 'fund_allocation' ORDER BY id DESC LIMIT 1`).Scan(&out); err != nil || out != 600000 {
		t.Errorf("lowering by 6 000 €: got a movement of %d (%v), want 600000", out, err)
	}
	wantSeedFund(t, db, 2027, 0, 0, 0) // another year is another fund

	// Granted money holds the floor.
	c := mustSeedChallenge(t, db, "Réseau des fablabs", lead, fabrique.StatusTeam)
	mustSeedRequest(t, db, c, lead, 300000)
	if _, err := db.DecideSeedRequest(ctx, c.ID, coord, fabrique.SeedDecision{Approve: true, Year: seedYear}); err != nil {
		t.Fatal(err)
	}
	wantSeedFund(t, db, seedYear, 900000, 300000, 600000)
	_, err := db.SetSeedFund(ctx, coord, seedYear, 299999)
	checkSeedLimit(t, err, fabrique.LimitGranted, 300000)
	wantSeedFund(t, db, seedYear, 900000, 300000, 600000)
	mustSeedFund(t, db, coord, seedYear, 300000)
	wantSeedFund(t, db, seedYear, 300000, 300000, 0)

	if got := seedCount(t, db, `SELECT count(*) FROM audit_log WHERE action = $1 AND user_id = $2`, postgres.AuditSeedFundSet, coord.ID); got != 4 {
		t.Errorf("audit entries of the fund: got %d, want 4 (one per movement)", got)
	}
	funds, err := db.SeedFunds(ctx)
	if err != nil || len(funds) != 1 || funds[0].Year != seedYear {
		t.Errorf("SeedFunds: got %+v (%v), want the %d fund", funds, err, seedYear)
	}
	mustLedgerZero(t, db)
}

func TestRequestSeedBudget(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	coord := mustSeedCoordinator(t, db, "Claire Coordination")
	lead := mustUser(t, db, "Paul Porteur")
	other := mustUser(t, db, "Octave Autre")
	mustSeedFund(t, db, coord, seedYear, 1200000)
	team := mustSeedChallenge(t, db, "Réseau des fablabs", lead, fabrique.StatusTeam)
	framing := mustSeedChallenge(t, db, "Cantine partagée", lead, fabrique.StatusFraming)

	for _, tt := range []struct {
		name   string
		status fabrique.Status
		actor  *fabrique.User
		amount int64
		code   string
	}{
		{"someone else", fabrique.StatusTeam, other, 100000, fabrique.EFORBIDDEN},
		{"a coordinator who does not lead it", fabrique.StatusTeam, coord, 100000, fabrique.EFORBIDDEN},
		{"identified", fabrique.StatusIdentified, lead, 100000, fabrique.EINVALID},
		{"in development", fabrique.StatusDevelopment, lead, 100000, fabrique.EINVALID},
		{"closed", fabrique.StatusClosed, lead, 100000, fabrique.EINVALID},
	} {
		c := mustSeedChallenge(t, db, "Défi "+tt.name, lead, tt.status)
		_, err := db.RequestSeedBudget(ctx, c.ID, tt.actor, tt.amount, "Le plan.")
		if got := fabrique.ErrorCode(err); got != tt.code {
			t.Errorf("%s: got %q (%v), want %q", tt.name, got, err, tt.code)
		}
	}
	_, err := db.RequestSeedBudget(ctx, team.ID, lead, 300001, "Le plan.")
	checkSeedLimit(t, err, fabrique.LimitCeiling, 300000)
	if got := seedCount(t, db, `SELECT count(*) FROM seed_requests`); got != 0 {
		t.Fatalf("requests after refusals: got %d, want 0", got)
	}

	id := mustSeedRequest(t, db, team, lead, 200000)
	_, err = db.RequestSeedBudget(ctx, team.ID, lead, 50000, "Un autre plan.")
	checkCode(t, err, fabrique.EINVALID)
	if _, err := db.DecideSeedRequest(ctx, team.ID, coord, fabrique.SeedDecision{RequestID: id, Approve: true, Year: seedYear}); err != nil {
		t.Fatal(err)
	}
	// 2 000 € granted: 1 000 € left under the ceiling.
	_, err = db.RequestSeedBudget(ctx, team.ID, lead, 100001, "Encore.")
	checkSeedLimit(t, err, fabrique.LimitCeiling, 100000)
	mustSeedRequest(t, db, team, lead, 100000)
	mustSeedRequest(t, db, framing, lead, 300000)

	st, err := db.ChallengeSeed(ctx, team.ID, 10)
	if err != nil {
		t.Fatal(err)
	}
	if st.Granted != 200000 || len(st.Requests) != 2 || st.Pending() == nil || st.Pending().Amount != 100000 {
		t.Errorf("ChallengeSeed: got granted %d, %d requests, pending %+v; want 200000, 2, 100000", st.Granted, len(st.Requests), st.Pending())
	}
	if r := st.Requests[1]; r.State != fabrique.SeedApproved || r.ApprovedAmount != 200000 || r.DeciderName != coord.DisplayName || r.RequesterName != lead.DisplayName || r.FundYear != seedYear {
		t.Errorf("decided request: got %+v", r)
	}
	queue, total, err := db.SeedRequests(ctx, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	if total != 2 || len(queue) != 1 || queue[0].ChallengeSlug != team.Slug || queue[0].Granted != 200000 {
		t.Errorf("SeedRequests(1): got %+v, total %d; want the oldest (%s, 2 000 € granted), total 2", queue, total, team.Slug)
	}
	mustLedgerZero(t, db)
}

func TestDecideSeedRequest(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	coord := mustSeedCoordinator(t, db, "Claire Coordination")
	lead := mustUser(t, db, "Paul Porteur")
	mustSeedFund(t, db, coord, seedYear, 500000)
	a := mustSeedChallenge(t, db, "Réseau des fablabs", lead, fabrique.StatusFraming)
	b := mustSeedChallenge(t, db, "Cantine partagée", lead, fabrique.StatusTeam)
	idA := mustSeedRequest(t, db, a, lead, 300000)
	idB := mustSeedRequest(t, db, b, lead, 300000)

	// Refusals that write nothing.
	for _, tt := range []struct {
		name  string
		actor *fabrique.User
		c     *fabrique.Challenge
		d     fabrique.SeedDecision
		code  string
		limit string
		cents int64
	}{
		{"by the porteur", lead, a, fabrique.SeedDecision{Approve: true, Year: seedYear}, fabrique.EFORBIDDEN, "", 0},
		{"refusal without a note", coord, a, fabrique.SeedDecision{Year: seedYear}, fabrique.EINVALID, "", 0},
		{"more than requested", coord, a, fabrique.SeedDecision{Approve: true, Amount: 300001, Year: seedYear}, fabrique.EINVALID, fabrique.LimitRequested, 300000},
		{"from an empty fund", coord, a, fabrique.SeedDecision{Approve: true, Year: 2030}, fabrique.EINVALID, fabrique.LimitFund, 0},
		{"another défi's request", coord, a, fabrique.SeedDecision{RequestID: idB, Approve: true, Year: seedYear}, fabrique.ENOTFOUND, "", 0},
	} {
		_, err := db.DecideSeedRequest(ctx, tt.c.ID, tt.actor, tt.d)
		if tt.limit != "" {
			checkSeedLimit(t, err, tt.limit, tt.cents)
		} else if got := fabrique.ErrorCode(err); got != tt.code {
			t.Errorf("%s: got %q (%v), want %q", tt.name, got, err, tt.code)
		}
	}
	if n := seedCount(t, db, `SELECT count(*) FROM seed_requests WHERE state <> 'pending'`) + seedCount(t, db, `SELECT count(*) FROM audit_log WHERE action LIKE 'seed_request.%'`); n != 0 {
		t.Fatalf("decisions written by refusals: got %d, want 0", n)
	}

	// Approval in part.
	r, err := db.DecideSeedRequest(ctx, a.ID, coord, fabrique.SeedDecision{RequestID: idA, Approve: true, Amount: 250000, Note: "Sans la partie design.", Year: seedYear})
	if err != nil {
		t.Fatal(err)
	}
	if r.State != fabrique.SeedApproved || r.ApprovedAmount != 250000 || r.FundYear != seedYear {
		t.Errorf("approved: got %+v", r)
	}
	if bal, _ := db.Balance(ctx, fabrique.AccountRef{Kind: fabrique.AccountSeedBudget, ChallengeID: a.ID}); bal != 250000 {
		t.Errorf("seed budget of %s: got %d, want 250000", a.Slug, bal)
	}
	var txKind string
	var txAmount int64
	if err := postgres.Pool(db).QueryRow(ctx, `SELECT t.kind, t.amount FROM seed_requests r JOIN ledger_transactions t ON t.id = r.ledger_tx_id WHERE r.id = $1`, idA).Scan(&txKind, &txAmount); err != nil || txKind != fabrique.TxSeedGrant || txAmount != 250000 {
		t.Errorf("grant movement: got %s of %d (%v), want seed_grant of 250000", txKind, txAmount, err)
	}
	wantSeedFund(t, db, seedYear, 500000, 250000, 250000)

	// The fund has 2 500 € left: B's 3 000 € do not fit, 2 500 € do.
	_, err = db.DecideSeedRequest(ctx, b.ID, coord, fabrique.SeedDecision{Approve: true, Year: seedYear})
	checkSeedLimit(t, err, fabrique.LimitFund, 250000)
	if _, err := db.DecideSeedRequest(ctx, b.ID, coord, fabrique.SeedDecision{Approve: true, Amount: 250000, Year: seedYear}); err != nil {
		t.Fatal(err)
	}
	wantSeedFund(t, db, seedYear, 500000, 500000, 0)

	// Decided requests stay decided.
	_, err = db.DecideSeedRequest(ctx, a.ID, coord, fabrique.SeedDecision{RequestID: idA, Note: "Non.", Year: seedYear})
	checkCode(t, err, fabrique.ECONFLICT)
	_, err = db.DecideSeedRequest(ctx, a.ID, coord, fabrique.SeedDecision{Approve: true, Year: seedYear})
	checkCode(t, err, fabrique.ECONFLICT)

	// A refusal with its note.
	idA2 := mustSeedRequest(t, db, a, lead, 50000)
	r, err = db.DecideSeedRequest(ctx, a.ID, coord, fabrique.SeedDecision{RequestID: idA2, Note: "Le fonds est épuisé.", Year: seedYear})
	if err != nil {
		t.Fatal(err)
	}
	if r.State != fabrique.SeedRefused || r.Note != "Le fonds est épuisé." || r.DecidedAt.IsZero() {
		t.Errorf("refused: got %+v", r)
	}
	if got := seedCount(t, db, `SELECT count(*) FROM audit_log WHERE user_id = $1 AND action IN ('seed_request.approve', 'seed_request.refuse')`, coord.ID); got != 3 {
		t.Errorf("audit entries: got %d, want 3", got)
	}
	mustLedgerZero(t, db)
}

// TestSeedApprovalsConcurrent approves six requests of 3 000 € at once on a fund of
// 12 000 €: exactly four fit, and the fund ends at zero, never below.
func TestSeedApprovalsConcurrent(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	coord := mustSeedCoordinator(t, db, "Claire Coordination")
	mustSeedFund(t, db, coord, seedYear, 1200000)
	const n = 6
	challenges := make([]*fabrique.Challenge, n)
	for i := range challenges {
		lead := mustUser(t, db, fmt.Sprintf("Porteur %d", i))
		challenges[i] = mustSeedChallenge(t, db, fmt.Sprintf("Défi numéro %d", i), lead, fabrique.StatusFraming)
		mustSeedRequest(t, db, challenges[i], lead, 300000)
	}
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i, c := range challenges {
		wg.Go(func() {
			_, errs[i] = db.DecideSeedRequest(ctx, c.ID, coord, fabrique.SeedDecision{Approve: true, Year: seedYear})
		})
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		var le *fabrique.SeedLimitError
		switch {
		case err == nil:
			ok++
		case errors.As(err, &le) && le.Limit == fabrique.LimitFund && le.Amount == 0:
		default:
			t.Errorf("approval: got %v, want success or an empty fund", err)
		}
	}
	if ok != 4 {
		t.Errorf("approvals: got %d, want 4", ok)
	}
	wantSeedFund(t, db, seedYear, 1200000, 1200000, 0)
	if got := seedCount(t, db, `SELECT count(*) FROM seed_requests WHERE state = 'approved'`); got != 4 {
		t.Errorf("approved requests: got %d, want 4", got)
	}
	if got := seedCount(t, db, `SELECT count(*) FROM ledger_transactions WHERE kind = 'seed_grant'`); got != 4 {
		t.Errorf("grants posted: got %d, want 4", got)
	}
	mustLedgerZero(t, db)
}

// TestSeedApprovalTwiceConcurrent decides one request from many goroutines at once:
// exactly one decision is applied and one grant posted.
func TestSeedApprovalTwiceConcurrent(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	coord := mustSeedCoordinator(t, db, "Claire Coordination")
	lead := mustUser(t, db, "Paul Porteur")
	mustSeedFund(t, db, coord, seedYear, 1200000)
	c := mustSeedChallenge(t, db, "Réseau des fablabs", lead, fabrique.StatusTeam)
	id := mustSeedRequest(t, db, c, lead, 300000)
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			_, errs[i] = db.DecideSeedRequest(ctx, c.ID, coord, fabrique.SeedDecision{RequestID: id, Approve: true, Year: seedYear})
		})
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
		} else if fabrique.ErrorCode(err) != fabrique.ECONFLICT {
			t.Errorf("second approval: got %v, want ECONFLICT", err)
		}
	}
	if ok != 1 {
		t.Errorf("approvals applied: got %d, want 1", ok)
	}
	if got := seedCount(t, db, `SELECT count(*) FROM ledger_transactions WHERE kind = 'seed_grant'`); got != 1 {
		t.Errorf("grants posted: got %d, want 1", got)
	}
	wantSeedFund(t, db, seedYear, 1200000, 300000, 900000)
	mustLedgerZero(t, db)
}

// TestSeedFundLoweredDuringApprovals lowers the fund while approvals run: whichever
// order the database picks, the fund never goes below zero nor below what it granted.
func TestSeedFundLoweredDuringApprovals(t *testing.T) {
	t.Parallel()
	for round := range 5 {
		t.Run(fmt.Sprint(round), func(t *testing.T) {
			t.Parallel()
			db := pgtest.New(t)
			ctx := context.Background()
			coord := mustSeedCoordinator(t, db, "Claire Coordination")
			mustSeedFund(t, db, coord, seedYear, 1200000)
			const n = 4
			challenges := make([]*fabrique.Challenge, n)
			for i := range challenges {
				lead := mustUser(t, db, fmt.Sprintf("Porteur %d", i))
				challenges[i] = mustSeedChallenge(t, db, fmt.Sprintf("Défi numéro %d", i), lead, fabrique.StatusTeam)
				mustSeedRequest(t, db, challenges[i], lead, 300000)
			}
			var wg sync.WaitGroup
			errs := make([]error, n)
			var lowerErr error
			wg.Go(func() { _, lowerErr = db.SetSeedFund(ctx, coord, seedYear, 600000) })
			for i, c := range challenges {
				wg.Go(func() {
					_, errs[i] = db.DecideSeedRequest(ctx, c.ID, coord, fabrique.SeedDecision{Approve: true, Year: seedYear})
				})
			}
			wg.Wait()
			approved := int64(0)
			for _, err := range errs {
				var le *fabrique.SeedLimitError
				if err == nil {
					approved += 300000
				} else if !errors.As(err, &le) || le.Limit != fabrique.LimitFund {
					t.Errorf("approval: got %v, want success or a short fund", err)
				}
			}
			total := int64(1200000)
			if lowerErr == nil {
				total = 600000
			} else {
				var le *fabrique.SeedLimitError
				if !errors.As(lowerErr, &le) || le.Limit != fabrique.LimitGranted {
					t.Errorf("lowering: got %v, want success or the granted floor", lowerErr)
				}
			}
			wantSeedFund(t, db, seedYear, total, approved, total-approved)
			if total-approved < 0 {
				t.Errorf("fund went negative: %d", total-approved)
			}
			mustLedgerZero(t, db)
		})
	}
}

// TestSeedApprovalAfterClosing checks a request left pending when its défi is closed can
// only be refused.
func TestSeedApprovalAfterClosing(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	coord := mustSeedCoordinator(t, db, "Claire Coordination")
	lead := mustUser(t, db, "Paul Porteur")
	mustSeedFund(t, db, coord, seedYear, 500000)
	c := mustSeedChallenge(t, db, "Réseau des fablabs", lead, fabrique.StatusTeam)
	id := mustSeedRequest(t, db, c, lead, 100000)
	mustExec(t, db, `UPDATE challenges SET status = 'clos' WHERE id = $1`, c.ID)

	_, err := db.DecideSeedRequest(ctx, c.ID, coord, fabrique.SeedDecision{RequestID: id, Approve: true, Year: seedYear})
	if got := fabrique.ErrorCode(err); got != fabrique.EINVALID {
		t.Fatalf("approval of a closed défi's request: got %q (%v), want invalid", got, err)
	}
	if n := seedCount(t, db, `SELECT count(*) FROM ledger_transactions WHERE kind = 'seed_grant'`); n != 0 {
		t.Errorf("got %d grants, want 0", n)
	}
	if _, err := db.DecideSeedRequest(ctx, c.ID, coord, fabrique.SeedDecision{RequestID: id, Note: "Défi clos."}); err != nil {
		t.Errorf("refusal: got %v, want nil", err)
	}
}

// TestDecideSeedRequestFourEyes: the store refuses a decision by the request's author or
// by the défi's porteur, judged on what it reads under the locks (a porteur who took over
// after the request counts), records the attempt, and moves nothing.
func TestDecideSeedRequestFourEyes(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	alice := mustSeedCoordinator(t, db, "Alice Coordination")
	bruno := mustSeedCoordinator(t, db, "Bruno Coordination")
	carla := mustSeedCoordinator(t, db, "Carla Coordination")
	mustSeedFund(t, db, carla, seedYear, 1200000)
	c := mustSeedChallenge(t, db, "Réseau des fablabs", alice, fabrique.StatusTeam)
	id := mustSeedRequest(t, db, c, alice, 300000)
	// Bruno takes the défi over after Alice asked: neither may decide now.
	mustExec(t, db, `UPDATE challenges SET lead_id = $2 WHERE id = $1`, c.ID, bruno.ID)
	attempts := 0
	for _, tt := range []struct {
		who *fabrique.User
		d   fabrique.SeedDecision
	}{
		{alice, fabrique.SeedDecision{RequestID: id, Approve: true, Year: seedYear}},
		{alice, fabrique.SeedDecision{Note: "Non.", Year: seedYear}},
		{bruno, fabrique.SeedDecision{Approve: true, Year: seedYear}},
		{bruno, fabrique.SeedDecision{RequestID: id, Year: seedYear}}, // a refusal without its note: still 403
	} {
		_, err := db.DecideSeedRequest(ctx, c.ID, tt.who, tt.d)
		checkCode(t, err, fabrique.EFORBIDDEN)
		attempts++
		if got := seedCount(t, db, `SELECT count(*) FROM audit_log WHERE action = $1 AND user_id = $2 AND target_id = $3`,
			postgres.AuditSeedSelfDecision, tt.who.ID, id); got == 0 {
			t.Errorf("%s: attempt not in the audit trail", tt.who.DisplayName)
		}
	}
	if got := seedCount(t, db, `SELECT count(*) FROM audit_log WHERE action = $1`, postgres.AuditSeedSelfDecision); got != attempts {
		t.Errorf("audited attempts: got %d, want %d", got, attempts)
	}
	if got := seedCount(t, db, `SELECT count(*) FROM seed_requests WHERE id = $1 AND state = 'pending'`, id); got != 1 {
		t.Errorf("request no longer pending after refused decisions")
	}
	wantSeedFund(t, db, seedYear, 1200000, 0, 1200000)
	r, err := db.DecideSeedRequest(ctx, c.ID, carla, fabrique.SeedDecision{RequestID: id, Approve: true, Year: seedYear})
	if err != nil || r.State != fabrique.SeedApproved || r.DecidedBy != carla.ID {
		t.Fatalf("decision by a third coordinator: got %+v, %v", r, err)
	}
	wantSeedFund(t, db, seedYear, 1200000, 300000, 900000)
}

package postgres_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/postgres"
)

// mustDevReady adds the member to the défi's team, moves it to préfiguration and
// completes its framing: a coordinator may then move it to développement.
func mustDevReady(tb testing.TB, db *postgres.DB, c *fabrique.Challenge, member *fabrique.User) {
	tb.Helper()
	mustExec(tb, db, `INSERT INTO challenge_members (challenge_id, user_id, role, state, decided_at) VALUES ($1, $2, 'member', 'accepted', now())
		ON CONFLICT DO NOTHING`, c.ID, member.ID)
	mustExec(tb, db, `UPDATE challenges SET status = 'prefiguration' WHERE id = $1`, c.ID)
	if err := db.SaveFraming(context.Background(), c.ID, member, completeFraming(), nil); err != nil {
		tb.Fatal(err)
	}
}

func mustDevelop(tb testing.TB, db *postgres.DB, c *fabrique.Challenge, coord *fabrique.User, m fabrique.StatusMove) fabrique.StatusMoved {
	tb.Helper()
	m.To = fabrique.StatusDevelopment
	moved, err := db.MoveChallenge(context.Background(), c.ID, coord, m)
	if err != nil {
		tb.Fatalf("develop %s: %v", c.Slug, err)
	}
	return moved
}

func TestMoveChallengeDevelop(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := mustLootFixture(t, 0)
	db := f.db
	mustDevReady(t, db, f.c, f.member)

	// Refused moves write nothing: rights first, then the choices.
	checkCode(t, func() error {
		_, err := db.MoveChallenge(ctx, f.c.ID, f.lead, fabrique.StatusMove{To: fabrique.StatusDevelopment, CommonsID: 999999})
		return err
	}(), fabrique.EFORBIDDEN)
	for _, m := range []fabrique.StatusMove{{CommonsID: 999999}, {CommonsID: -1}, {CommonsKind: "fusee"}} {
		m.To = fabrique.StatusDevelopment
		_, err := db.MoveChallenge(ctx, f.c.ID, f.coord, m)
		field := "commons_id"
		if m.CommonsKind != "" {
			field = "commons_kind"
		}
		if fabrique.ErrorCode(err) != fabrique.EINVALID || fabrique.ErrorFields(err)[field] == "" {
			t.Errorf("%+v: got %v, want EINVALID on %s", m, err, field)
		}
	}
	if n := lootCount(t, db, `SELECT count(*) FROM commons`) + lootCount(t, db, `SELECT count(*) FROM challenge_commons`) +
		lootCount(t, db, `SELECT count(*) FROM challenges WHERE status = 'developpement'`); n != 0 {
		t.Fatalf("refused moves wrote %d rows", n)
	}

	moved := mustDevelop(t, db, f.c, f.coord, fabrique.StatusMove{Note: "Pertinence démontrée.", CommonsKind: "methode"})
	k := moved.Commons
	if !moved.Created || k.Name != f.c.Title || k.Slug != "cantine-partagee" || k.Kind != "methode" || k.Summary != f.c.Summary {
		t.Errorf("created: got %+v (created %v), want the défi's name, slug and summary, kind methode", k, moved.Created)
	}
	origin, found, _, err := db.DevelopChoices(ctx, f.c.ID)
	if err != nil || !found || origin.ID != k.ID {
		t.Errorf("DevelopChoices: got %+v %v (%v), want the commun %d", origin, found, err, k.ID)
	}
	team, err := db.CommonsTeam(ctx, k.ID)
	if err != nil || len(team) != 2 || !team[0].Lead || team[0].UserID != f.lead.ID || team[1].UserID != f.member.ID || team[1].ChallengeSlug != f.c.Slug {
		t.Errorf("CommonsTeam: got %+v (%v), want the porteur then the member", team, err)
	}

	// Back and forth: the same commun; another one cannot replace it.
	checkCode(t, db.ChangeStatus(ctx, f.c.ID, f.coord, fabrique.StatusFraming, "Un doute."), "")
	_, err = db.MoveChallenge(ctx, f.c.ID, f.coord, fabrique.StatusMove{To: fabrique.StatusDevelopment, CommonsID: mustCreateCommons(t, db, "Dokos", "logiciel").ID})
	if fabrique.ErrorFields(err)["commons_id"] == "" {
		t.Errorf("another commun: got %v, want EINVALID on commons_id", err)
	}
	again := mustDevelop(t, db, f.c, f.coord, fabrique.StatusMove{CommonsID: k.ID})
	if again.Created || again.Commons.ID != k.ID {
		t.Errorf("again: got %+v, want the same commun, not created", again)
	}
	if n := lootCount(t, db, `SELECT count(*) FROM challenge_commons WHERE challenge_id = $1`, f.c.ID); n != 1 {
		t.Errorf("got %d links, want 1", n)
	}
	for action, want := range map[string]int{postgres.AuditCommonsCreated: 1, postgres.AuditCommonsResumed: 1} {
		if n := lootCount(t, db, `SELECT count(*) FROM audit_log WHERE action = $1 AND target_id = $2 AND user_id = $3`, action, k.ID, f.coord.ID); n != want {
			t.Errorf("audit %s: got %d, want %d", action, n, want)
		}
	}
}

// A commun linked as an existing solution becomes the défi's origin when chosen; a
// title longer than a commun's name is cut at a word.
func TestMoveChallengeAttachAndLongTitle(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := mustLootFixture(t, 0)
	db := f.db
	dokos := mustCreateCommons(t, db, "Dokos", "logiciel")
	mustDevReady(t, db, f.c, f.member)
	if err := db.SaveFraming(ctx, f.c.ID, f.member, completeFraming(), []int64{dokos.ID}); err != nil {
		t.Fatal(err)
	}
	moved := mustDevelop(t, db, f.c, f.coord, fabrique.StatusMove{CommonsID: dokos.ID})
	if moved.Created || moved.Commons.ID != dokos.ID {
		t.Errorf("attach: got %+v", moved)
	}
	var relation string
	if err := postgres.Pool(db).QueryRow(ctx, `SELECT relation FROM challenge_commons WHERE challenge_id = $1 AND commons_id = $2`, f.c.ID, dokos.ID).Scan(&relation); err != nil || relation != "origine" {
		t.Errorf("relation: got %q (%v), want origine", relation, err)
	}
	// The framing saved again keeps the origin.
	if err := db.SaveFraming(ctx, f.c.ID, f.member, completeFraming(), nil); err != nil {
		t.Fatal(err)
	}
	if n := lootCount(t, db, `SELECT count(*) FROM challenge_commons WHERE challenge_id = $1 AND relation = 'origine'`, f.c.ID); n != 1 {
		t.Errorf("origin after a framing edit: got %d links, want 1", n)
	}

	long := mustChallenge(t, db, strings.Repeat("Mutualiser ", 13)+"les outils", f.lead)
	mustDevReady(t, db, long, f.member)
	k := mustDevelop(t, db, long, f.coord, fabrique.StatusMove{}).Commons
	if n := len([]rune(k.Name)); n > fabrique.MaxCommonsNameLen || strings.HasSuffix(k.Name, " ") || !strings.HasPrefix(k.Name, "Mutualiser Mutualiser") {
		t.Errorf("long title: got %q (%d runes), want it cut at a word within %d", k.Name, n, fabrique.MaxCommonsNameLen)
	}
	if k.Kind != "autre" {
		t.Errorf("default kind: got %q, want autre", k.Kind)
	}
}

func TestMoveChallengeDevelopConcurrent(t *testing.T) {
	t.Parallel()
	f := mustLootFixture(t, 0)
	db := f.db
	mustDevReady(t, db, f.c, f.member)
	other := mustUser(t, db, "Paul Coord")
	other.Role = fabrique.RoleCoordinator
	errs := make([]error, 8)
	var wg sync.WaitGroup
	for i := range errs {
		wg.Go(func() {
			_, errs[i] = db.MoveChallenge(context.Background(), f.c.ID, []*fabrique.User{f.coord, other}[i%2],
				fabrique.StatusMove{To: fabrique.StatusDevelopment})
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
			t.Errorf("got %v, want success or EINVALID", err)
		}
	}
	if ok != 1 {
		t.Errorf("got %d moves, want 1", ok)
	}
	if n := lootCount(t, db, `SELECT count(*) FROM commons`); n != 1 {
		t.Errorf("got %d communs, want 1", n)
	}
	if n := lootCount(t, db, `SELECT count(*) FROM challenge_commons WHERE relation = 'origine'`); n != 1 {
		t.Errorf("got %d origin links, want 1", n)
	}
}

func TestCreateStep(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := mustLootFixture(t, 0)
	db := f.db
	mustDevReady(t, db, f.c, f.member)
	k := mustDevelop(t, db, f.c, f.coord, fabrique.StatusMove{}).Commons
	day := func(s string) time.Time {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	st := fabrique.Step{Title: "Export des rétributions", Description: "Un **CSV**.", Goal: 3000_00, StartsOn: day("2027-06-01"), EndsOn: day("2027-07-15")}
	for _, tc := range []struct {
		who  *fabrique.User
		want string
	}{
		{f.member, fabrique.EFORBIDDEN},
		{f.outsider, fabrique.EFORBIDDEN},
		{f.lead, ""},
		{f.coord, ""},
	} {
		may, err := db.MayEditSteps(ctx, k.ID, tc.who)
		if err != nil || may != (tc.want == "") {
			t.Errorf("MayEditSteps(%s): got %v (%v)", tc.who.DisplayName, may, err)
		}
		_, err = db.CreateStep(ctx, k.ID, tc.who, st)
		checkCode(t, err, tc.want)
	}
	if may, err := db.MayEditSteps(ctx, k.ID, nil); err != nil || may {
		t.Errorf("MayEditSteps(nil): got %v (%v), want false", may, err)
	}
	_, err := db.CreateStep(ctx, 999999, f.coord, st)
	checkCode(t, err, fabrique.ENOTFOUND)
	// The schema's checks stand behind the form's: a step cannot end before it starts.
	bad := st
	bad.EndsOn = day("2027-05-01")
	_, err = db.CreateStep(ctx, k.ID, f.coord, bad)
	checkCode(t, err, fabrique.EINVALID)

	first := st
	first.Title, first.StartsOn = "Mode hors ligne", day("2027-01-04")
	created, err := db.CreateStep(ctx, k.ID, f.lead, first)
	if err != nil {
		t.Fatal(err)
	}
	if created.CommonsSlug != k.Slug || created.Goal != 3000_00 || !created.StartsOn.Equal(first.StartsOn) {
		t.Errorf("created: got %+v", created)
	}
	steps, err := db.CommonsSteps(ctx, k.ID)
	if err != nil || len(steps) != 3 || steps[0].ID != created.ID {
		t.Fatalf("CommonsSteps: got %+v (%v), want 3, the earliest first", steps, err)
	}
	got, err := db.StepByID(ctx, created.ID)
	if err != nil || got.Title != "Mode hors ligne" || got.CommonsName != k.Name {
		t.Errorf("StepByID: got %+v (%v)", got, err)
	}
	_, err = db.StepByID(ctx, 999999)
	checkCode(t, err, fabrique.ENOTFOUND)
	if n := lootCount(t, db, `SELECT count(*) FROM audit_log WHERE action = $1`, postgres.AuditStepCreated); n != 3 {
		t.Errorf("got %d audit entries, want 3", n)
	}
	// The porteur who hands over the lead loses the right with it.
	mustExec(t, db, `UPDATE challenge_members SET role = CASE WHEN user_id = $2 THEN 'member' ELSE 'lead' END WHERE challenge_id = $1`, f.c.ID, f.lead.ID)
	mustExec(t, db, `UPDATE challenges SET lead_id = $2 WHERE id = $1`, f.c.ID, f.member.ID)
	_, err = db.CreateStep(ctx, k.ID, f.lead, st)
	checkCode(t, err, fabrique.EFORBIDDEN)
	_, err = db.CreateStep(ctx, k.ID, f.member, st)
	checkCode(t, err, "")
}

// Two défis draw on one commun whose funds hold 460 €: of six one-day contributions (three
// per défi) validated at once, two pass; a seed-budget contribution logged before the
// move stays on the seed budget.
func TestDevelopmentContributions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := mustLootFixture(t, 0)
	db := f.db
	mustDevReady(t, db, f.c, f.member)
	seedWork := f.declare(t, f.member, 4, false)
	k := mustDevelop(t, db, f.c, f.coord, fabrique.StatusMove{}).Commons
	second := mustChallenge(t, db, "Cantine bis", f.lead)
	mustDevReady(t, db, second, f.member)
	mustDevelop(t, db, second, f.coord, fabrique.StatusMove{CommonsID: k.ID})
	funds := fabrique.AccountRef{Kind: fabrique.AccountCommonsFunds, CommonsID: k.ID}
	if _, err := db.Post(ctx, fabrique.Movement{Kind: fabrique.TxPledge, Amount: 460_00, From: outside, To: funds, CauseType: "pledge"}); err != nil {
		t.Fatal(err)
	}
	if seedWork.CommonsID != 0 {
		t.Fatalf("préfiguration work: paid by commun %d, want the seed budget", seedWork.CommonsID)
	}
	var ids []int64
	for i := range 6 {
		c := []*fabrique.Challenge{f.c, second}[i%2]
		rec, err := db.LogContribution(ctx, c.ID, f.member.ID, fabrique.Contribution{
			WorkedOn: time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), Quarters: 4, Activity: "developpement"}, 0)
		if err != nil {
			t.Fatal(err)
		}
		if rec.CommonsID != k.ID {
			t.Fatalf("development work: paid by %d, want commun %d", rec.CommonsID, k.ID)
		}
		ids = append(ids, rec.ID)
	}
	// A volunteer day is validated without money, even with the funds all reserved.
	volunteer, err := db.LogContribution(ctx, second.ID, f.member.ID, fabrique.Contribution{
		WorkedOn: time.Date(2026, 9, 2, 0, 0, 0, 0, time.UTC), Quarters: 4, Activity: "animation", Volunteer: true}, 0)
	if err != nil {
		t.Fatal(err)
	}

	errs := make([]error, len(ids))
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Go(func() { _, _, errs[i] = db.ValidateContribution(ctx, id, []*fabrique.User{f.lead, f.coord}[i%2]) })
	}
	wg.Wait()
	ok := 0
	var validated int64
	for i, err := range errs {
		switch fabrique.ErrorCode(err) {
		case "":
			ok++
			validated = ids[i]
		case fabrique.EINVALID:
			if !strings.Contains(fabrique.ErrorMessage(err), "fonds du commun") {
				t.Errorf("refusal: got %q, want the commun's funds named", fabrique.ErrorMessage(err))
			}
		default:
			t.Errorf("validate: %v", err)
		}
	}
	if ok != 2 {
		t.Errorf("got %d validations, want 2", ok)
	}
	if _, _, err := db.ValidateContribution(ctx, volunteer.ID, f.lead); err != nil {
		t.Errorf("volunteer: %v", err)
	}
	// The seed work is judged on the seed budget, which is empty.
	_, _, err = db.ValidateContribution(ctx, seedWork.ID, f.lead)
	if fabrique.ErrorCode(err) != fabrique.EINVALID || !strings.Contains(fabrique.ErrorMessage(err), "budget d’amorçage") {
		t.Errorf("seed work: got %v, want refused for the seed budget", err)
	}

	cf, err := db.CommonsFunds(ctx, k.ID)
	if err != nil || cf.Received != 460_00 || cf.Committed != 460_00 || cf.Remaining != 0 || cf.Declared != 4*230_00 || cf.CommonsSlug != k.Slug {
		t.Errorf("CommonsFunds: got %+v (%v)", cf, err)
	}
	b := f.overview(t)
	if b.Committed != 0 || b.Declared != 230_00 || b.Commons.CommonsID != k.ID || b.Commons.Remaining != 0 || b.Count != 4 {
		t.Errorf("BudgetOverview: got %+v, want the seed work alone declared on the seed budget, the commun's funds all reserved", b)
	}

	if _, _, err := db.PayContribution(ctx, validated, f.coord, "VIR-1", time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	if bal, err := db.Balance(ctx, funds); err != nil || bal != 230_00 {
		t.Errorf("funds after payment: got %d (%v), want 23000", bal, err)
	}
	cf, _ = db.CommonsFunds(ctx, k.ID)
	if cf.Received != 460_00 || cf.Paid != 230_00 || cf.Committed != 230_00 || cf.Remaining != 0 {
		t.Errorf("CommonsFunds after payment: got %+v", cf)
	}
	mustLedgerZero(t, db)
}

func TestLogContributionStep(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := mustLootFixture(t, 0)
	db := f.db
	mustDevReady(t, db, f.c, f.member)
	in := fabrique.Contribution{WorkedOn: time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), Quarters: 2, Activity: "developpement"}
	other := mustCreateCommons(t, db, "Dokos", "logiciel")
	day := time.Date(2027, 1, 4, 0, 0, 0, 0, time.UTC)
	foreign, err := db.CreateStep(ctx, other.ID, f.coord, fabrique.Step{Title: "Compta", Goal: 100_00, StartsOn: day, EndsOn: day})
	if err != nil {
		t.Fatal(err)
	}
	// Before the move, no step can be chosen.
	_, err = db.LogContribution(ctx, f.c.ID, f.member.ID, in, foreign.ID)
	if fabrique.ErrorFields(err)["step_id"] == "" {
		t.Errorf("step in préfiguration: got %v, want EINVALID on step_id", err)
	}
	k := mustDevelop(t, db, f.c, f.coord, fabrique.StatusMove{}).Commons
	own, err := db.CreateStep(ctx, k.ID, f.lead, fabrique.Step{Title: "Hors ligne", Goal: 5000_00, StartsOn: day, EndsOn: day})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{foreign.ID, 999999} {
		_, err = db.LogContribution(ctx, f.c.ID, f.member.ID, in, id)
		if fabrique.ErrorFields(err)["step_id"] == "" {
			t.Errorf("step %d: got %v, want EINVALID on step_id", id, err)
		}
	}
	_, err = db.LogContribution(ctx, f.c.ID, f.outsider.ID, in, own.ID)
	checkCode(t, err, fabrique.EFORBIDDEN)
	rec, err := db.LogContribution(ctx, f.c.ID, f.member.ID, in, own.ID)
	if err != nil || rec.StepID != own.ID || rec.StepTitle != "Hors ligne" || rec.CommonsID != k.ID {
		t.Errorf("logged: got %+v (%v)", rec, err)
	}
	if n := lootCount(t, db, `SELECT count(*) FROM contributions`); n != 1 {
		t.Errorf("got %d contributions, want 1", n)
	}
	// The schema refuses a step of another commun than the one paying.
	_, err = postgres.Pool(db).Exec(ctx, `UPDATE contributions SET step_id = $1 WHERE id = $2`, foreign.ID, rec.ID)
	if err == nil {
		t.Errorf("a step of another commun was stored")
	}
}

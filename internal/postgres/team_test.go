package postgres_test

import (
	"context"
	"sync"
	"testing"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/pgtest"
	"github.com/fabrique-a-communs/fabrique/internal/postgres"
)

// memberRow returns the state and role of userID on c, or "" when there is no row.
func memberRow(tb testing.TB, db *postgres.DB, c *fabrique.Challenge, userID int64) (state, role string) {
	tb.Helper()
	err := postgres.Pool(db).QueryRow(context.Background(),
		`SELECT state, role FROM challenge_members WHERE challenge_id = $1 AND user_id = $2`, c.ID, userID).Scan(&state, &role)
	if err != nil {
		return "", ""
	}
	return state, role
}

func TestRequestToJoin(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.New(t)
	alice, bob := mustUser(t, db, "Alice Martin"), mustUser(t, db, "Bob Durand")
	c := mustChallenge(t, db, "Réseau des fablabs", alice)

	if err := db.RequestToJoin(ctx, c.ID, bob.ID, "Je veux aider."); err != nil {
		t.Fatalf("RequestToJoin: %v", err)
	}
	if err := db.RequestToJoin(ctx, c.ID, bob.ID, "Je veux vraiment aider."); err != nil {
		t.Fatalf("RequestToJoin again: %v", err)
	}
	var rows int
	var message string
	if err := postgres.Pool(db).QueryRow(ctx, `SELECT count(*), max(message) FROM challenge_members WHERE challenge_id = $1 AND user_id = $2`,
		c.ID, bob.ID).Scan(&rows, &message); err != nil {
		t.Fatal(err)
	}
	if rows != 1 || message != "Je veux vraiment aider." {
		t.Errorf("got %d rows with message %q, want 1 with the latest message", rows, message)
	}
	checkCode(t, db.RequestToJoin(ctx, c.ID, alice.ID, ""), fabrique.ECONFLICT)
	checkCode(t, db.RequestToJoin(ctx, 999999, bob.ID, ""), fabrique.ENOTFOUND)

	// Refused, then asking again: pending again, same row.
	checkCode(t, db.DecideJoinRequest(ctx, c.ID, alice, bob.ID, false), "")
	if err := db.RequestToJoin(ctx, c.ID, bob.ID, "Une seconde chance ?"); err != nil {
		t.Fatalf("RequestToJoin after a refusal: %v", err)
	}
	if state, _ := memberRow(t, db, c, bob.ID); state != fabrique.MemberPending {
		t.Errorf("after asking again: got state %q, want pending", state)
	}
	checkCode(t, db.DecideJoinRequest(ctx, c.ID, alice, bob.ID, true), "")
	checkCode(t, db.RequestToJoin(ctx, c.ID, bob.ID, ""), fabrique.ECONFLICT)

	carol, dan := mustUser(t, db, "Carol Petit"), mustUser(t, db, "Dan Roy")
	if err := db.RequestToJoin(ctx, c.ID, dan.ID, ""); err != nil {
		t.Fatal(err)
	}
	mustExec(t, db, `UPDATE challenges SET status = 'clos' WHERE id = $1`, c.ID)
	checkCode(t, db.RequestToJoin(ctx, c.ID, carol.ID, ""), fabrique.ECONFLICT)
	checkCode(t, db.DecideJoinRequest(ctx, c.ID, alice, dan.ID, true), fabrique.ECONFLICT)
	checkCode(t, db.DecideJoinRequest(ctx, c.ID, alice, dan.ID, false), "")
}

func TestDecideJoinRequest(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.New(t)
	alice, bob, carol := mustUser(t, db, "Alice Martin"), mustUser(t, db, "Bob Durand"), mustUser(t, db, "Carol Petit")
	coord := mustUser(t, db, "Camille Coordination")
	coord.Role = fabrique.RoleCoordinator
	c := mustChallenge(t, db, "Réseau des fablabs", alice)
	for _, u := range []*fabrique.User{bob, carol} {
		if err := db.RequestToJoin(ctx, c.ID, u.ID, ""); err != nil {
			t.Fatal(err)
		}
	}

	checkCode(t, db.DecideJoinRequest(ctx, c.ID, bob, carol.ID, true), fabrique.EFORBIDDEN)
	checkCode(t, db.DecideJoinRequest(ctx, c.ID, alice, 424242, true), fabrique.ENOTFOUND)
	checkCode(t, db.DecideJoinRequest(ctx, c.ID, coord, bob.ID, true), "")
	checkCode(t, db.DecideJoinRequest(ctx, c.ID, alice, bob.ID, false), fabrique.ECONFLICT)
	checkCode(t, db.DecideJoinRequest(ctx, c.ID, alice, carol.ID, false), "")
	if state, _ := memberRow(t, db, c, bob.ID); state != fabrique.MemberAccepted {
		t.Errorf("bob: got %q, want accepted", state)
	}
	if state, _ := memberRow(t, db, c, carol.ID); state != fabrique.MemberRefused {
		t.Errorf("carol: got %q, want refused", state)
	}

	members, err := db.ChallengeMembers(ctx, c.ID, carol.ID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range members {
		got = append(got, m.DisplayName+":"+m.State)
	}
	want := []string{"Alice Martin:accepted", "Bob Durand:accepted", "Carol Petit:refused"}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Errorf("members seen by carol: got %v, want %v", got, want)
	}
	if members, _ := db.ChallengeMembers(ctx, c.ID, 0); len(members) != 2 {
		t.Errorf("members seen anonymously: got %d, want 2 (refused rows hidden)", len(members))
	}
}

func TestDecideJoinRequestConcurrent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.New(t)
	alice, bob := mustUser(t, db, "Alice Martin"), mustUser(t, db, "Bob Durand")
	coord := mustUser(t, db, "Camille Coordination")
	coord.Role = fabrique.RoleCoordinator
	c := mustChallenge(t, db, "Réseau des fablabs", alice)
	if err := db.RequestToJoin(ctx, c.ID, bob.ID, ""); err != nil {
		t.Fatal(err)
	}
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i, actor := range []*fabrique.User{alice, coord} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = db.DecideJoinRequest(ctx, c.ID, actor, bob.ID, true)
		}()
	}
	wg.Wait()
	codes := map[string]int{}
	for _, err := range errs {
		codes[fabrique.ErrorCode(err)]++
	}
	if codes[""] != 1 || codes[fabrique.ECONFLICT] != 1 {
		t.Errorf("got %v, want one success and one conflict", errs)
	}
}

func TestLeaveTeamAndHandOver(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.New(t)
	alice, bob, carol := mustUser(t, db, "Alice Martin"), mustUser(t, db, "Bob Durand"), mustUser(t, db, "Carol Petit")
	c := mustChallenge(t, db, "Réseau des fablabs", alice)
	for _, u := range []*fabrique.User{bob, carol} {
		if err := db.RequestToJoin(ctx, c.ID, u.ID, ""); err != nil {
			t.Fatal(err)
		}
	}
	checkCode(t, db.DecideJoinRequest(ctx, c.ID, alice, bob.ID, true), "")

	_, err := db.LeaveTeam(ctx, c.ID, alice.ID)
	checkCode(t, err, fabrique.ECONFLICT) // the porteur
	checkCode(t, db.HandOverLead(ctx, c.ID, bob, bob.ID), fabrique.EFORBIDDEN)
	checkCode(t, db.HandOverLead(ctx, c.ID, alice, carol.ID), fabrique.ECONFLICT) // still pending
	checkCode(t, db.HandOverLead(ctx, c.ID, alice, alice.ID), fabrique.ECONFLICT)
	checkCode(t, db.HandOverLead(ctx, c.ID, alice, bob.ID), "")

	got, err := db.ChallengeBySlug(ctx, c.Slug)
	if err != nil {
		t.Fatal(err)
	}
	if got.LeadID != bob.ID {
		t.Errorf("lead_id: got %d, want %d", got.LeadID, bob.ID)
	}
	if state, role := memberRow(t, db, c, alice.ID); state != "accepted" || role != "member" {
		t.Errorf("former porteur: got (%s, %s), want (accepted, member)", state, role)
	}
	if _, role := memberRow(t, db, c, bob.ID); role != "lead" {
		t.Errorf("new porteur: got role %s, want lead", role)
	}

	for _, tt := range []struct {
		who     *fabrique.User
		was     string
		wantErr string
	}{
		{alice, fabrique.MemberAccepted, ""},
		{alice, "", fabrique.ECONFLICT},
		{carol, fabrique.MemberPending, ""}, // withdraws the request
	} {
		was, err := db.LeaveTeam(ctx, c.ID, tt.who.ID)
		checkCode(t, err, tt.wantErr)
		if was != tt.was {
			t.Errorf("LeaveTeam(%s): got was %q, want %q", tt.who.DisplayName, was, tt.was)
		}
	}
	if state, _ := memberRow(t, db, c, carol.ID); state != fabrique.MemberLeft {
		t.Errorf("carol: got %q, want left", state)
	}
	todo, err := db.Todo(ctx, carol)
	if err != nil || len(todo.MyRequests) != 0 {
		t.Errorf("carol's pending requests: got %d (%v), want 0", len(todo.MyRequests), err)
	}
}

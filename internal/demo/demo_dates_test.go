package demo_test

import (
	"context"
	"testing"

	"github.com/fabrique-a-communs/fabrique/internal/demo"
)

// TestDemoBelievableYear loads the demo and checks that its dates tell a story a reader
// can believe, whatever the day it is loaded: nothing happens in the future, défis are
// proposed over months, a seed budget is asked, then approved, then pays days worked
// after it; a contribution is declared after the day worked, validated after that, paid
// after its validation; a pledge is confirmed after it was made, within its call; the
// ledger and the journal say the same dates.
func TestDemoBelievableYear(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, pool := newDB(t)
	if _, err := demo.Demo(ctx, db, pool); err != nil {
		t.Fatal(err)
	}

	var months int
	if err := pool.QueryRow(ctx, `SELECT count(DISTINCT date_trunc('month', created_at)) FROM challenges`).Scan(&months); err != nil {
		t.Fatal(err)
	}
	if months < 6 {
		t.Errorf("défis proposed in %d months, want at least 6", months)
	}

	// Each query counts the rows that break one rule of the story; each rule must hold
	// on at least one row (the want query), so that an empty demo passes none.
	for _, c := range []struct {
		rule, broken, want string
	}{
		// Days are Paris days, as the demo writes them: between 23:00 and midnight UTC
		// (midnight to 1:00 in Paris) the server's current_date is still the day before.
		{"nothing is dated in the future",
			`SELECT (SELECT count(*) FROM users WHERE created_at > now())
			      + (SELECT count(*) FROM challenges WHERE created_at > now() OR updated_at > now())
			      + (SELECT count(*) FROM challenge_status_changes WHERE created_at > now())
			      + (SELECT count(*) FROM seed_requests WHERE created_at > now() OR decided_at > now())
			      + (SELECT count(*) FROM contributions WHERE worked_on > (now() AT TIME ZONE 'Europe/Paris')::date OR created_at > now()
			                                             OR validated_at > now() OR paid_on > (now() AT TIME ZONE 'Europe/Paris')::date)
			      + (SELECT count(*) FROM ledger_transactions WHERE occurred_on > (now() AT TIME ZONE 'Europe/Paris')::date OR created_at > now())
			      + (SELECT count(*) FROM audit_log WHERE created_at > now())
			      + (SELECT count(*) FROM pledges WHERE created_at > now() OR decided_at > now())
			      + (SELECT count(*) FROM calls WHERE created_at > now())
			      + (SELECT count(*) FROM steps WHERE created_at > now())`,
			`SELECT count(*) FROM ledger_transactions`},
		{"a seed budget is decided days after it was asked, while its défi has a team",
			`SELECT count(*) FROM seed_requests r WHERE r.decided_at < r.created_at + interval '1 day'
			    OR r.created_at < (SELECT min(s.created_at) FROM challenge_status_changes s
			                        WHERE s.challenge_id = r.challenge_id AND s.to_status = 'equipe')`,
			`SELECT count(*) FROM seed_requests WHERE state = 'approved'`},
		{"a seed grant is posted on the day of its approval, from a fund allocated before",
			`SELECT count(*) FROM seed_requests r JOIN ledger_transactions g ON g.id = r.ledger_tx_id
			  WHERE g.occurred_on <> (r.decided_at AT TIME ZONE 'Europe/Paris')::date
			     OR NOT EXISTS (SELECT 1 FROM ledger_transactions f WHERE f.kind = 'fund_allocation'
			                     AND f.cause_id = r.fund_year AND f.occurred_on <= g.occurred_on)`,
			`SELECT count(*) FROM seed_requests WHERE ledger_tx_id IS NOT NULL`},
		{"a seed budget pays days worked after its approval",
			`SELECT count(*) FROM contributions k
			  WHERE k.step_id IS NULL AND k.worked_on < (SELECT min(r.decided_at AT TIME ZONE 'Europe/Paris')::date
			          FROM seed_requests r WHERE r.challenge_id = k.challenge_id AND r.state = 'approved')`,
			`SELECT count(*) FROM contributions WHERE step_id IS NULL`},
		{"a contribution is declared after the day worked and validated days after",
			`SELECT count(*) FROM contributions
			  WHERE (created_at AT TIME ZONE 'Europe/Paris')::date <= worked_on
			     OR validated_at < created_at + interval '1 day'`,
			`SELECT count(*) FROM contributions WHERE validated_at IS NOT NULL`},
		{"nothing is paid before it was validated",
			`SELECT count(*) FROM contributions k LEFT JOIN ledger_transactions p ON p.kind = 'payment'
			     AND p.id = k.ledger_tx_id
			  WHERE k.paid_on IS NOT NULL AND (k.validated_at IS NULL
			     OR k.paid_on <= (k.validated_at AT TIME ZONE 'Europe/Paris')::date
			     OR p.occurred_on IS DISTINCT FROM k.paid_on)`,
			`SELECT count(*) FROM contributions WHERE paid_on IS NOT NULL`},
		{"no seed grant is dated after a payment it funded",
			`SELECT count(*) FROM contributions k
			  WHERE k.paid_on IS NOT NULL AND k.step_id IS NULL AND k.paid_on < (
			        SELECT min(g.occurred_on) FROM seed_requests r JOIN ledger_transactions g ON g.id = r.ledger_tx_id
			         WHERE r.challenge_id = k.challenge_id)`,
			`SELECT count(*) FROM contributions WHERE paid_on IS NOT NULL AND step_id IS NULL`},
		{"a pledge is made while its call is open, after the call and its step were published",
			`SELECT count(*) FROM pledges p JOIN calls c ON c.id = p.call_id JOIN steps s ON s.id = p.step_id
			  WHERE (p.created_at AT TIME ZONE 'Europe/Paris')::date NOT BETWEEN c.starts_on AND c.ends_on
			     OR p.created_at <= c.created_at OR c.created_at <= s.created_at`,
			`SELECT count(*) FROM pledges`},
		{"a pledge is confirmed days after it was made, and its funds posted that day",
			`SELECT count(*) FROM pledges p LEFT JOIN ledger_transactions l ON l.id = p.ledger_tx_id
			  WHERE p.state = 'confirmee' AND (p.decided_at < p.created_at + interval '1 day'
			     OR l.occurred_on IS DISTINCT FROM (p.decided_at AT TIME ZONE 'Europe/Paris')::date)`,
			`SELECT count(*) FROM pledges WHERE state = 'confirmee'`},
		{"the journal tells what happened to each thing in order, on the day it happened",
			`SELECT (SELECT count(*) FROM (
			   SELECT created_at < lag(created_at) OVER (PARTITION BY target_type, target_id ORDER BY id) AS back
			   FROM audit_log) a WHERE a.back)
			 + (SELECT count(*) FROM audit_log a JOIN seed_requests r ON a.target_type = 'seed_request' AND a.target_id = r.id
			     WHERE a.action = 'seed_request.approve' AND a.created_at <> r.decided_at)
			 + (SELECT count(*) FROM audit_log a JOIN pledges p ON a.target_type = 'pledge' AND a.target_id = p.id
			     WHERE a.action = 'pledge.confirm' AND a.created_at <> p.decided_at)`,
			`SELECT count(*) FROM audit_log WHERE action IN ('seed_request.approve', 'pledge.confirm')`},
	} {
		var broken, want int
		if err := pool.QueryRow(ctx, c.broken).Scan(&broken); err != nil {
			t.Fatalf("%s: %v", c.rule, err)
		}
		if err := pool.QueryRow(ctx, c.want).Scan(&want); err != nil {
			t.Fatalf("%s: %v", c.rule, err)
		}
		if broken != 0 || want == 0 {
			t.Errorf("%s: %d rows break it (of %d it is about)", c.rule, broken, want)
		}
	}
}

package benchdata

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// tableLoad is one table's rows, as COPY reads them.
type tableLoad struct {
	name string
	cols []string
	n    int
	row  func(i int, buf []any) // fills buf with row i
}

// group is tables loaded in one transaction: the foreign keys between them are met
// within it, and the ledger's deferred checks run at its commit.
type group []tableLoad

func nullID(v int64) any {
	if v == 0 {
		return nil
	}
	return v
}

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func pairs(name, a, b string, rows []pairRow) tableLoad {
	return tableLoad{name, []string{a, b, "created_at"}, len(rows), func(i int, buf []any) {
		r := &rows[i]
		buf[0], buf[1], buf[2] = r.a, r.b, r.createdAt
	}}
}

var framingCols = []string{"problems", "use_cases", "actors", "existing_solutions", "approach", "next_steps"}

// groups lists the tables in the order their foreign keys need, in four transactions.
func (g *gen) groups() []group {
	entryBase := g.last["ledger_entries"]
	g.last["ledger_entries"] += int64(2 * len(g.movements))
	return []group{
		{ // accounts and tiers-lieux
			{"users", []string{"id", "email", "display_name", "password_hash", "role", "created_at"}, len(g.users),
				func(i int, buf []any) {
					u := &g.users[i]
					buf[0], buf[1], buf[2], buf[3], buf[4], buf[5] = u.id, u.email, u.name, g.hash, u.role, u.createdAt
				}},
			// Every place verified (at its creation) and every member accepted, so the tiers-lieu
			// pledges are matched as the bench's closed calls posted them.
			{"places", []string{"id", "slug", "name", "city", "region", "website", "created_at", "verified_at"}, len(g.places),
				func(i int, buf []any) {
					p := &g.places[i]
					buf[0], buf[1], buf[2], buf[3], buf[4], buf[5], buf[6] = p.id, p.slug, p.name, p.city, p.region, p.website, p.createdAt
					buf[7] = p.createdAt
				}},
			pairs("place_members", "place_id", "user_id", g.placeMembers),
		},
		{ // défis and communs
			{"commons", []string{"id", "slug", "name", "kind", "summary", "description", "licence", "website", "source_url", "movilab_url", "created_at"},
				len(g.commons), func(i int, buf []any) {
					c := &g.commons[i]
					buf[0], buf[1], buf[2], buf[3], buf[4], buf[5] = c.id, c.slug, c.name, c.kind, c.summary, c.description
					buf[6], buf[7], buf[8], buf[9], buf[10] = c.licence, c.website, c.sourceURL, c.movilabURL, c.createdAt
				}},
			pairs("commons_places", "commons_id", "place_id", g.commonsPlaces),
			{"challenges", []string{"id", "slug", "title", "summary", "problem", "status", "lead_id", "day_rate", "created_at", "updated_at"},
				len(g.challenges), func(i int, buf []any) {
					c := &g.challenges[i]
					buf[0], buf[1], buf[2], buf[3], buf[4] = c.id, c.slug, c.title, c.summary, c.problem
					buf[5], buf[6], buf[7], buf[8], buf[9] = c.status, c.leadID, c.dayRate, c.createdAt, c.updatedAt
				}},
			{"challenge_members", []string{"challenge_id", "user_id", "role", "state", "message", "created_at", "decided_at"},
				len(g.members), func(i int, buf []any) {
					m := &g.members[i]
					buf[0], buf[1], buf[2], buf[3], buf[4], buf[5], buf[6] = m.challengeID, m.userID, m.role, m.state, m.message, m.createdAt, nullTime(m.decidedAt)
				}},
			{"challenge_status_changes", []string{"id", "challenge_id", "from_status", "to_status", "note", "user_id", "created_at"},
				len(g.changes), func(i int, buf []any) {
					c := &g.changes[i]
					buf[0], buf[1], buf[2], buf[3], buf[4], buf[5], buf[6] = c.id, c.challengeID, nullText(c.from), c.to, c.note, c.userID, c.createdAt
				}},
			{"challenge_framings", append(append([]string{"challenge_id"}, framingCols...), "updated_by", "updated_at"),
				len(g.framings), func(i int, buf []any) {
					f := &g.framings[i]
					buf[0] = f.challengeID
					for k, v := range f.fields {
						buf[1+k] = v
					}
					buf[7], buf[8] = f.userID, f.at
				}},
			{"challenge_framing_revisions", append(append([]string{"id", "challenge_id"}, framingCols...), "user_id", "created_at"),
				len(g.revisions), func(i int, buf []any) {
					f := &g.revisions[i]
					buf[0], buf[1] = f.id, f.challengeID
					for k, v := range f.fields {
						buf[2+k] = v
					}
					buf[8], buf[9] = f.userID, f.at
				}},
			pairs("challenge_places", "challenge_id", "place_id", g.challengePlaces),
			{"challenge_commons", []string{"challenge_id", "commons_id", "relation", "created_at"},
				len(g.challengeCommons), func(i int, buf []any) {
					c := &g.challengeCommons[i]
					buf[0], buf[1], buf[2], buf[3] = c.challengeID, c.commonsID, c.relation, c.createdAt
				}},
		},
		{ // développement
			{"steps", []string{"id", "commons_id", "title", "description", "goal", "starts_on", "ends_on", "created_by", "created_at"},
				len(g.steps), func(i int, buf []any) {
					s := &g.steps[i]
					buf[0], buf[1], buf[2], buf[3], buf[4] = s.id, s.commonsID, s.title, s.description, s.goal
					buf[5], buf[6], buf[7], buf[8] = s.startsOn, s.endsOn, s.createdBy, s.createdAt
				}},
			{"calls", []string{"id", "slug", "title", "description", "starts_on", "ends_on", "pool", "match_percent", "match_kinds",
				"match_cap", "closed_at", "closed_by", "created_by", "created_at"},
				len(g.calls), func(i int, buf []any) {
					c := &g.calls[i]
					buf[0], buf[1], buf[2], buf[3], buf[4], buf[5], buf[6] = c.id, c.slug, c.title, c.description, c.startsOn, c.endsOn, c.pool
					buf[7], buf[8], buf[9], buf[10], buf[11] = c.percent, c.kinds, c.cap, nullTime(c.closedAt), nullID(c.closedBy)
					buf[12], buf[13] = c.createdBy, c.createdAt
				}},
			pairs("call_steps", "call_id", "step_id", g.callSteps),
			{"funders", []string{"user_id", "kind", "organisation", "place_id", "created_at", "updated_at"},
				len(g.funders), func(i int, buf []any) {
					f := &g.funders[i]
					buf[0], buf[1], buf[2], buf[3], buf[4], buf[5] = f.userID, f.kind, f.org, nullID(f.placeID), f.createdAt, f.createdAt
				}},
		},
		{ // money: the ledger and the decisions that moved it, checked at commit
			{"ledger_accounts", []string{"id", "kind", "year", "challenge_id", "commons_id", "call_id", "name", "created_at"},
				len(g.accounts), func(i int, buf []any) {
					a := &g.accounts[i]
					buf[0], buf[1], buf[2], buf[3] = a.id, a.kind, nullID(int64(a.year)), nullID(a.challengeID)
					buf[4], buf[5], buf[6], buf[7] = nullID(a.commonsID), nullID(a.callID), a.name, a.createdAt
				}},
			{"ledger_transactions", []string{"id", "kind", "amount", "cause_type", "cause_id", "memo", "reference", "user_id", "occurred_on", "created_at"},
				len(g.movements), func(i int, buf []any) {
					m := &g.movements[i]
					buf[0], buf[1], buf[2], buf[3], buf[4] = m.id, m.kind, m.amount, m.causeType, nullID(m.causeID)
					buf[5], buf[6], buf[7], buf[8], buf[9] = m.memo, m.reference, nullID(m.userID), m.on, m.at
				}},
			{"ledger_entries", []string{"id", "transaction_id", "account_id", "amount"},
				2 * len(g.movements), func(i int, buf []any) {
					m := &g.movements[i/2]
					buf[0], buf[1] = entryBase+int64(i)+1, m.id
					if i%2 == 0 {
						buf[2], buf[3] = m.from, -m.amount
					} else {
						buf[2], buf[3] = m.to, m.amount
					}
				}},
			{"seed_requests", []string{"id", "challenge_id", "requested_by", "amount", "plan", "state", "approved_amount", "fund_year",
				"note", "decided_by", "decided_at", "ledger_tx_id", "created_at"},
				len(g.seedRequests), func(i int, buf []any) {
					r := &g.seedRequests[i]
					buf[0], buf[1], buf[2], buf[3], buf[4], buf[5] = r.id, r.challengeID, r.requestedBy, r.amount, r.plan, r.state
					buf[6], buf[7], buf[8], buf[9] = nullID(r.approved), nullID(int64(r.fundYear)), r.note, nullID(r.decidedBy)
					buf[10], buf[11], buf[12] = nullTime(r.decidedAt), nullID(r.ledgerTx), r.createdAt
				}},
			{"pledges", []string{"id", "step_id", "call_id", "user_id", "funder_kind", "amount", "anonymous", "message", "state",
				"idempotency_key", "decided_by", "decided_at", "ledger_tx_id", "created_at", "updated_at", "place_id"},
				len(g.pledges), func(i int, buf []any) {
					p := &g.pledges[i]
					buf[0], buf[1], buf[2], buf[3], buf[4], buf[5] = p.id, p.stepID, nullID(p.callID), p.userID, p.kind, p.amount
					buf[6], buf[7], buf[8], buf[9], buf[10] = p.anonymous, p.message, p.state, p.key, nullID(p.decidedBy)
					buf[11], buf[12], buf[13], buf[14] = nullTime(p.decidedAt), nullID(p.ledgerTx), p.createdAt, p.updatedAt
					buf[15] = nullID(p.placeID)
				}},
			{"contributions", []string{"id", "challenge_id", "user_id", "worked_on", "quarters", "activity", "description", "volunteer",
				"day_rate", "amount", "state", "reason", "validated_by", "validated_at", "paid_by", "paid_on", "reference",
				"ledger_tx_id", "created_at", "commons_id", "step_id", "reserved", "paid_amount"},
				len(g.contributions), func(i int, buf []any) {
					k := &g.contributions[i]
					buf[0], buf[1], buf[2], buf[3], buf[4], buf[5] = k.id, k.challengeID, k.userID, k.workedOn, k.quarters, k.activity
					buf[6], buf[7], buf[8], buf[9], buf[10], buf[11] = k.description, k.volunteer, k.dayRate, k.amount, k.state, k.reason
					buf[12], buf[13], buf[14], buf[15] = nullID(k.validatedBy), nullTime(k.validatedAt), nullID(k.paidBy), nullTime(k.paidOn)
					buf[16], buf[17], buf[18], buf[19], buf[20] = k.reference, nullID(k.ledgerTx), k.createdAt, nullID(k.commonsID), nullID(k.stepID)
					// Validated before billing profiles: the HT reserved, and paid.
					buf[21], buf[22] = int64(0), int64(0)
					if k.state == fabrique.ContributionValidated || k.state == fabrique.ContributionPaid {
						buf[21] = k.amount
					}
					if k.state == fabrique.ContributionPaid {
						buf[22] = k.amount
					}
				}},
			{"audit_log", []string{"id", "user_id", "action", "target_type", "target_id", "detail", "created_at"},
				len(g.audits), func(i int, buf []any) {
					a := &g.audits[i]
					buf[0], buf[1], buf[2], buf[3], buf[4], buf[5], buf[6] = a.id, nullID(a.userID), a.action, a.target, nullID(a.targetID), a.detail, a.createdAt
				}},
			{"notifications", []string{"id", "user_id", "kind", "data", "url", "delivery", "created_at", "read_at"},
				len(g.notifications), func(i int, buf []any) {
					n := &g.notifications[i]
					buf[0], buf[1], buf[2], buf[3], buf[4] = n.id, n.userID, n.kind, n.data, n.url
					buf[5], buf[6], buf[7] = string(fabrique.DeliverSite), n.createdAt, nullTime(n.readAt)
				}},
		},
	}
}

// load copies a group's tables in one transaction, then moves the identity sequences of
// its tables past the ids it chose.
func load(ctx context.Context, conn *pgx.Conn, gr group) ([]TableCount, error) {
	tx, err := conn.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("benchdata: begin: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // a no-op after Commit
	var counts []TableCount
	for _, t := range gr {
		buf := make([]any, len(t.cols))
		i := 0
		n, err := tx.CopyFrom(ctx, pgx.Identifier{t.name}, t.cols, pgx.CopyFromFunc(func() ([]any, error) {
			if i == t.n {
				return nil, nil
			}
			t.row(i, buf)
			i++
			return buf, nil
		}))
		if err != nil {
			return nil, fmt.Errorf("benchdata: copy %s: %w", t.name, err)
		}
		counts = append(counts, TableCount{Table: t.name, Rows: n})
		if slices.Contains(identityTables, t.name) {
			if _, err := tx.Exec(ctx, fmt.Sprintf(`SELECT setval(pg_get_serial_sequence('%[1]s', 'id'), max(id)) FROM %[1]s HAVING max(id) IS NOT NULL`, t.name)); err != nil {
				return nil, fmt.Errorf("benchdata: sequence of %s: %w", t.name, err)
			}
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, fmt.Errorf("benchdata: commit %s…: %w", gr[0].name, err)
	}
	return counts, nil
}

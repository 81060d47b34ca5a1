package postgres

import (
	"context"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// Todo reads what waits for u, in one round trip: the requests to join the défis u leads,
// the contributions waiting for u's validation, the requests to join u's tiers-lieux, the
// coordination's queues for a coordinator, and u's own requests.
func (db *DB) Todo(ctx context.Context, u *fabrique.User) (fabrique.Todo, error) {
	var t fabrique.Todo
	b := &pgx.Batch{}
	queueTodo(b, u, &t)
	if err := db.pool.SendBatch(ctx, b).Close(); err != nil {
		return fabrique.Todo{}, fmt.Errorf("postgres: to-do of %d: %w", u.ID, mapError(err))
	}
	return t, nil
}

// queueTodo queues in b the queries of Todo, read into t.
func queueTodo(b *pgx.Batch, u *fabrique.User, t *fabrique.Todo) {
	coordinator := u.IsCoordinator()
	limit := ` LIMIT ` + strconv.Itoa(fabrique.TodoLimit)
	b.Queue(`SELECT c.slug, c.title, m.user_id, u.display_name, m.message, m.created_at
		FROM challenge_members m JOIN challenges c ON c.id = m.challenge_id JOIN users u ON u.id = m.user_id
		WHERE m.state = 'pending' AND c.lead_id = $1 AND c.status <> 'clos'
		ORDER BY m.created_at, m.user_id`+limit, u.ID).Query(func(rows pgx.Rows) (err error) {
		t.JoinRequests, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (j fabrique.TodoJoinRequest, err error) {
			err = r.Scan(&j.ChallengeSlug, &j.ChallengeTitle, &j.UserID, &j.UserName, &j.Message, &j.Since)
			return j, err
		})
		return err
	})
	// Whose contributions: a coordinator's every défi, else those u leads — two texts, not
	// "lead_id = $1 OR $2", whose generic plan would read every declared contribution.
	whose := ` AND c.lead_id = $1`
	if coordinator {
		whose = ``
	}
	b.Queue(`SELECT c.slug, c.title, count(*), min(k.created_at)
		FROM contributions k JOIN challenges c ON c.id = k.challenge_id
		WHERE k.state = 'declaree' AND k.user_id <> $1`+whose+`
		GROUP BY c.id ORDER BY min(k.created_at), c.id`+limit, u.ID).Query(func(rows pgx.Rows) (err error) {
		t.Contributions, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (k fabrique.TodoContributions, err error) {
			err = r.Scan(&k.ChallengeSlug, &k.ChallengeTitle, &k.Count, &k.Since)
			return k, err
		})
		return err
	})
	b.Queue(`SELECT p.slug, p.name, u.display_name, q.created_at
		FROM place_requests q JOIN places p ON p.id = q.place_id JOIN users u ON u.id = q.user_id
		WHERE q.state = 'pending' AND q.user_id <> $1
		  AND ($2 OR EXISTS (SELECT 1 FROM place_members pm WHERE pm.place_id = q.place_id AND pm.user_id = $1))
		ORDER BY q.created_at, q.place_id, q.user_id`+limit, u.ID, coordinator).Query(func(rows pgx.Rows) (err error) {
		t.PlaceRequests, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (p fabrique.TodoPlaceRequest, err error) {
			err = r.Scan(&p.PlaceSlug, &p.PlaceName, &p.UserName, &p.Since)
			return p, err
		})
		return err
	})
	if coordinator {
		b.Queue(`SELECT (SELECT count(*) FROM seed_requests WHERE state = 'pending'),
			(SELECT count(*) FROM pledges WHERE state = 'promise'),
			(SELECT count(*) FROM contributions WHERE state = 'validee' AND NOT volunteer)`).QueryRow(func(row pgx.Row) error {
			c := &t.Coordination
			return row.Scan(&c.SeedRequests, &c.PledgesToConfirm, &c.PaymentsDue)
		})
	}
	b.Queue(`SELECT c.slug, c.title, m.created_at
		FROM challenge_members m JOIN challenges c ON c.id = m.challenge_id
		WHERE m.user_id = $1 AND m.state = 'pending'
		ORDER BY m.created_at DESC, c.id DESC`+limit, u.ID).Query(func(rows pgx.Rows) (err error) {
		t.MyRequests, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (m fabrique.TodoMyRequest, err error) {
			err = r.Scan(&m.ChallengeSlug, &m.ChallengeTitle, &m.Since)
			return m, err
		})
		return err
	})
	b.Queue(`SELECT p.slug, p.name, q.created_at
		FROM place_requests q JOIN places p ON p.id = q.place_id
		WHERE q.user_id = $1 AND q.state = 'pending'
		ORDER BY q.created_at DESC, p.id DESC`+limit, u.ID).Query(func(rows pgx.Rows) (err error) {
		t.MyPlaces, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (m fabrique.TodoMyPlaceRequest, err error) {
			err = r.Scan(&m.PlaceSlug, &m.PlaceName, &m.Since)
			return m, err
		})
		return err
	})
}

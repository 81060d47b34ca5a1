package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// This file reads what the défis are spread with: the Atom feed of their timeline and the
// Movilab export of a défi or a commun. Read-only, a bounded number of queries each.

// ChallengeEvents returns the latest limit events of every défi, newest first, in one
// query.
func (db *DB) ChallengeEvents(ctx context.Context, limit int) ([]fabrique.ChallengeEvent, error) {
	rows, err := db.pool.Query(ctx, `
		SELECT sc.id, coalesce(sc.from_status, ''), sc.to_status, sc.note, sc.user_id, u.display_name, sc.created_at,
		       c.slug, c.title, c.summary
		FROM challenge_status_changes sc
		JOIN challenges c ON c.id = sc.challenge_id
		JOIN users u ON u.id = sc.user_id
		ORDER BY sc.created_at DESC, sc.id DESC
		LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: challenge events: %w", err)
	}
	events, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (fabrique.ChallengeEvent, error) {
		var e fabrique.ChallengeEvent
		err := r.Scan(&e.ID, &e.From, &e.To, &e.Note, &e.UserID, &e.UserName, &e.At, &e.Slug, &e.Title, &e.Summary)
		return e, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: challenge events: %w", err)
	}
	return events, nil
}

// ChallengeSheet is everything the Movilab page of a défi shows.
type ChallengeSheet struct {
	Challenge *fabrique.Challenge
	Framing   *fabrique.Framing        // nil while the team has written none
	Team      []fabrique.Member        // the porteur first
	Places    []fabrique.Place         // tiers-lieux concerned, by name
	Commons   []fabrique.LinkedCommons // linked communs, the one it gave rise to first
}

// ChallengeSheetBySlug reads the défi with slug, its framing, team, places and communs:
// four queries whatever their number.
func (db *DB) ChallengeSheetBySlug(ctx context.Context, slug string) (*ChallengeSheet, error) {
	var sh ChallengeSheet
	var hasFraming bool
	var fr fabrique.Framing
	c, err := scanChallenge(db.pool.QueryRow(ctx, `
		SELECT c.id, c.slug, c.title, c.summary, c.problem, c.status, c.lead_id, u.display_name,
		       (SELECT count(*) FROM challenge_members m WHERE m.challenge_id = c.id AND m.state = 'accepted'),
		       c.created_at, c.updated_at,
		       f.challenge_id IS NOT NULL, coalesce(f.problems, ''), coalesce(f.use_cases, ''), coalesce(f.actors, ''),
		       coalesce(f.existing_solutions, ''), coalesce(f.approach, ''), coalesce(f.next_steps, ''),
		       coalesce(fu.display_name, ''), coalesce(f.updated_at, c.updated_at)
		FROM challenges c
		JOIN users u ON u.id = c.lead_id
		LEFT JOIN challenge_framings f ON f.challenge_id = c.id
		LEFT JOIN users fu ON fu.id = f.updated_by
		WHERE c.slug = $1`, slug),
		&hasFraming, &fr.Problems, &fr.UseCases, &fr.Actors, &fr.ExistingSolutions, &fr.Approach, &fr.NextSteps,
		&fr.UpdatedBy, &fr.UpdatedAt)
	if err != nil {
		return nil, fmt.Errorf("postgres: challenge sheet %q: %w", slug, mapError(err))
	}
	sh.Challenge = c
	if hasFraming {
		sh.Framing = &fr
	}
	if sh.Team, err = db.ChallengeTeam(ctx, c.ID); err != nil {
		return nil, err
	}
	if sh.Places, err = sheetPlaces(ctx, db.pool, `
		SELECT p.id, p.slug, p.name, p.city, p.region, p.website, p.created_at
		FROM challenge_places cp JOIN places p ON p.id = cp.place_id
		WHERE cp.challenge_id = $1 ORDER BY p.name, p.id`, c.ID); err != nil {
		return nil, fmt.Errorf("postgres: challenge sheet places: %w", err)
	}
	rows, err := db.pool.Query(ctx, `
		SELECT k.id, k.slug, k.name, k.kind, k.summary, k.description, k.licence, k.website, k.source_url,
		       k.movilab_url, k.created_at, cc.relation
		FROM challenge_commons cc JOIN commons k ON k.id = cc.commons_id
		WHERE cc.challenge_id = $1 ORDER BY cc.relation = 'origine' DESC, k.name, k.id`, c.ID)
	if err != nil {
		return nil, fmt.Errorf("postgres: challenge sheet communs: %w", err)
	}
	sh.Commons, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (fabrique.LinkedCommons, error) {
		var k fabrique.LinkedCommons
		err := r.Scan(&k.ID, &k.Slug, &k.Name, &k.Kind, &k.Summary, &k.Description, &k.Licence, &k.Website,
			&k.SourceURL, &k.MovilabURL, &k.CreatedAt, &k.Relation)
		return k, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: challenge sheet communs: %w", err)
	}
	return &sh, nil
}

// CommonsSheet is everything the Movilab page of a commun shows.
type CommonsSheet struct {
	Commons    *fabrique.Commons
	Challenges []fabrique.CommonsChallenge // the défis it answers, oldest first
	Places     []fabrique.Place            // the tiers-lieux that use it, by name
}

// CommonsSheetBySlug reads the commun with slug, the défis it answers and the tiers-lieux
// that use it: three queries whatever their number.
func (db *DB) CommonsSheetBySlug(ctx context.Context, slug string) (*CommonsSheet, error) {
	var k fabrique.Commons
	err := db.pool.QueryRow(ctx, `
		SELECT id, slug, name, kind, summary, description, licence, website, source_url, movilab_url, created_at
		FROM commons WHERE slug = $1`, slug).Scan(
		&k.ID, &k.Slug, &k.Name, &k.Kind, &k.Summary, &k.Description, &k.Licence, &k.Website, &k.SourceURL,
		&k.MovilabURL, &k.CreatedAt)
	if err != nil {
		return nil, fmt.Errorf("postgres: commons sheet %q: %w", slug, mapError(err))
	}
	sh := CommonsSheet{Commons: &k}
	rows, err := db.pool.Query(ctx, `
		SELECT c.slug, c.title, c.status, cc.relation
		FROM challenge_commons cc JOIN challenges c ON c.id = cc.challenge_id
		WHERE cc.commons_id = $1 ORDER BY c.created_at, c.id`, k.ID)
	if err != nil {
		return nil, fmt.Errorf("postgres: commons sheet challenges: %w", err)
	}
	sh.Challenges, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (fabrique.CommonsChallenge, error) {
		var c fabrique.CommonsChallenge
		err := r.Scan(&c.Slug, &c.Title, &c.Status, &c.Relation)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: commons sheet challenges: %w", err)
	}
	if sh.Places, err = sheetPlaces(ctx, db.pool, `
		SELECT p.id, p.slug, p.name, p.city, p.region, p.website, p.created_at
		FROM commons_places kp JOIN places p ON p.id = kp.place_id
		WHERE kp.commons_id = $1 ORDER BY p.name, p.id`, k.ID); err != nil {
		return nil, fmt.Errorf("postgres: commons sheet places: %w", err)
	}
	return &sh, nil
}

// sheetPlaces runs a query selecting the columns of places, in their order.
func sheetPlaces(ctx context.Context, q DBTX, sql string, args ...any) ([]fabrique.Place, error) {
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (fabrique.Place, error) {
		var p fabrique.Place
		err := r.Scan(&p.ID, &p.Slug, &p.Name, &p.City, &p.Region, &p.Website, &p.CreatedAt)
		return p, err
	})
}

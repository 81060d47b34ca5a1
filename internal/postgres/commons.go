package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

const commonsColumns = `k.id, k.slug, k.name, k.kind, k.summary, k.description, k.licence, k.website, k.source_url, k.movilab_url, k.created_at`

func commonsDest(c *fabrique.Commons) []any {
	return []any{&c.ID, &c.Slug, &c.Name, &c.Kind, &c.Summary, &c.Description, &c.Licence, &c.Website, &c.SourceURL, &c.MovilabURL, &c.CreatedAt}
}

func scanCommons(row pgx.Row) (*fabrique.Commons, error) {
	var c fabrique.Commons
	if err := row.Scan(commonsDest(&c)...); err != nil {
		return nil, err
	}
	return &c, nil
}

// CreateCommons records a commun of the cartographie under a unique slug derived from
// its name.
func (db *DB) CreateCommons(ctx context.Context, f fabrique.CommonsForm) (*fabrique.Commons, error) {
	base := fabrique.Slugify(f.Name)
	if base == "" {
		return nil, fabrique.ErrNameWithoutSlug
	}
	var c *fabrique.Commons
	err := db.withTx(ctx, func(tx pgx.Tx) error {
		id, _, err := insertWithSlug(ctx, tx, "commons", base, func(slug string) pgx.Row {
			return tx.QueryRow(ctx,
				`INSERT INTO commons (slug, name, kind, summary, description, licence, website, source_url, movilab_url)
				 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
				 ON CONFLICT (slug) DO NOTHING RETURNING id`,
				slug, f.Name, f.Kind, f.Summary, f.Description, f.Licence, f.Website, f.SourceURL, f.MovilabURL)
		})
		if err != nil {
			return err
		}
		c, err = scanCommons(tx.QueryRow(ctx, `SELECT `+commonsColumns+` FROM commons k WHERE k.id = $1`, id))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: create commons: %w", mapError(err))
	}
	return c, nil
}

// UpdateCommons replaces the fields of the commun with slug. The slug stays: links to
// the commun keep working after a rename.
func (db *DB) UpdateCommons(ctx context.Context, slug string, f fabrique.CommonsForm) (*fabrique.Commons, error) {
	c, err := scanCommons(db.pool.QueryRow(ctx,
		`UPDATE commons k SET name = $2, kind = $3, summary = $4, description = $5, licence = $6,
		        website = $7, source_url = $8, movilab_url = $9
		 WHERE k.slug = $1 RETURNING `+commonsColumns,
		slug, f.Name, f.Kind, f.Summary, f.Description, f.Licence, f.Website, f.SourceURL, f.MovilabURL))
	if err != nil {
		return nil, fmt.Errorf("postgres: update commons %q: %w", slug, mapError(err))
	}
	return c, nil
}

// CommonsBySlug returns the commun with slug.
func (db *DB) CommonsBySlug(ctx context.Context, slug string) (*fabrique.Commons, error) {
	c, err := scanCommons(db.pool.QueryRow(ctx, `SELECT `+commonsColumns+` FROM commons k WHERE k.slug = $1`, slug))
	if err != nil {
		return nil, fmt.Errorf("postgres: commons %q: %w", slug, mapError(err))
	}
	return c, nil
}

// Commons returns a page of the cartographie in name order, each commun with its counts,
// and how many match the filter.
func (db *DB) Commons(ctx context.Context, f fabrique.CommonsFilter) ([]*fabrique.CommonsSummary, int, error) {
	if f.Limit <= 0 {
		f.Limit = 20
	}
	f.Offset = max(f.Offset, 0)
	rows, err := db.pool.Query(ctx, `
		SELECT `+commonsColumns+`,
		       (SELECT count(*) FROM challenge_commons cc WHERE cc.commons_id = k.id),
		       (SELECT count(*) FROM commons_places cp WHERE cp.commons_id = k.id),
		       (SELECT min(e.starts_at) FROM events e WHERE e.commons_id = k.id AND e.kind = 'ressources-et-vous'
		           AND e.cancelled_at IS NULL AND e.starts_at > now())
		FROM commons k
		WHERE ($3 = '' OR k.kind = $3)
		ORDER BY k.name COLLATE "fr-x-icu", k.id LIMIT $1 OFFSET $2`, f.Limit, f.Offset, f.Kind)
	if err != nil {
		return nil, 0, fmt.Errorf("postgres: list commons: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*fabrique.CommonsSummary, error) {
		var c fabrique.CommonsSummary
		err := r.Scan(append(commonsDest(&c.Commons), &c.ChallengeCount, &c.PlaceCount, &c.NextSession)...)
		return &c, err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("postgres: list commons: %w", err)
	}
	var total int
	if err := db.pool.QueryRow(ctx, `SELECT count(*) FROM commons WHERE ($1 = '' OR kind = $1)`, f.Kind).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("postgres: count commons: %w", err)
	}
	return list, total, nil
}

// CommonsChallenges returns the défis a commun answers, with how each is linked to it:
// the défi it came from first, then the newest links.
func (db *DB) CommonsChallenges(ctx context.Context, commonsID int64) ([]fabrique.CommonsChallenge, error) {
	rows, err := db.pool.Query(ctx, commonsChallengesSQL, commonsID)
	if err != nil {
		return nil, fmt.Errorf("postgres: commons challenges: %w", err)
	}
	return scanCommonsChallenges(rows)
}

// commonsChallengesSQL is CommonsChallenges' query ($1 the commun), which CommonsPage
// sends in its batch too.
const commonsChallengesSQL = `SELECT c.slug, c.title, c.status, cc.relation
		 FROM challenge_commons cc JOIN challenges c ON c.id = cc.challenge_id
		 WHERE cc.commons_id = $1
		 ORDER BY cc.relation = 'origine' DESC, cc.created_at DESC, c.id DESC`

// scanCommonsChallenges reads (and closes) the rows of commonsChallengesSQL.
func scanCommonsChallenges(rows pgx.Rows) ([]fabrique.CommonsChallenge, error) {
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (fabrique.CommonsChallenge, error) {
		var c fabrique.CommonsChallenge
		err := r.Scan(&c.Slug, &c.Title, &c.Status, &c.Relation)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: commons challenges: %w", err)
	}
	return list, nil
}

// CommonsPlaces returns, in one query, the tiers-lieux that use a commun and those
// viewerID belongs to (0 for a visitor), each flagged, as ChallengePlaces does for a défi.
func (db *DB) CommonsPlaces(ctx context.Context, commonsID, viewerID int64) ([]fabrique.LinkedPlace, error) {
	rows, err := db.pool.Query(ctx, commonsPlacesSQL, commonsID, viewerID)
	if err != nil {
		return nil, fmt.Errorf("postgres: commons places: %w", err)
	}
	return scanCommonsPlaces(rows)
}

// commonsPlacesSQL is CommonsPlaces' query ($1 the commun, $2 the viewer), which
// CommonsPage sends in its batch too.
const commonsPlacesSQL = `
		SELECT ` + placeColumns + `,
		       EXISTS (SELECT 1 FROM commons_places cp WHERE cp.commons_id = $1 AND cp.place_id = p.id),
		       EXISTS (SELECT 1 FROM place_members m WHERE m.place_id = p.id AND m.user_id = $2)
		FROM places p
		WHERE p.id IN (SELECT place_id FROM commons_places WHERE commons_id = $1
		               UNION SELECT place_id FROM place_members WHERE user_id = $2) -- "IN … OR IN …" scanned every place
		ORDER BY p.name COLLATE "fr-x-icu", p.id`

// scanCommonsPlaces reads (and closes) the rows of commonsPlacesSQL.
func scanCommonsPlaces(rows pgx.Rows) ([]fabrique.LinkedPlace, error) {
	list, err := pgx.CollectRows(rows, scanLinkedPlace)
	if err != nil {
		return nil, fmt.Errorf("postgres: commons places: %w", err)
	}
	return list, nil
}

// PlaceCommons returns the communs a tiers-lieu uses, in name order.
func (db *DB) PlaceCommons(ctx context.Context, placeID int64) ([]*fabrique.Commons, error) {
	rows, err := db.pool.Query(ctx, `SELECT `+commonsColumns+`
		FROM commons k JOIN commons_places cp ON cp.commons_id = k.id AND cp.place_id = $1
		ORDER BY k.name COLLATE "fr-x-icu", k.id`, placeID)
	if err != nil {
		return nil, fmt.Errorf("postgres: place commons: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*fabrique.Commons, error) { return scanCommons(r) })
	if err != nil {
		return nil, fmt.Errorf("postgres: place commons: %w", err)
	}
	return list, nil
}

// ChallengeCommons returns the communs linked to a défi, the one it gave rise to first.
func (db *DB) ChallengeCommons(ctx context.Context, challengeID int64) ([]fabrique.LinkedCommons, error) {
	rows, err := db.pool.Query(ctx, challengeCommonsSQL, challengeID)
	if err != nil {
		return nil, fmt.Errorf("postgres: challenge commons: %w", err)
	}
	return scanChallengeCommons(rows)
}

// challengeCommonsSQL is ChallengeCommons' query ($1 the défi), which ChallengePage sends
// in its batch too.
const challengeCommonsSQL = `SELECT ` + commonsColumns + `, cc.relation
		FROM commons k JOIN challenge_commons cc ON cc.commons_id = k.id AND cc.challenge_id = $1
		ORDER BY cc.relation = 'origine' DESC, k.name COLLATE "fr-x-icu", k.id`

// scanChallengeCommons reads (and closes) the rows of challengeCommonsSQL.
func scanChallengeCommons(rows pgx.Rows) ([]fabrique.LinkedCommons, error) {
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (fabrique.LinkedCommons, error) {
		var c fabrique.LinkedCommons
		err := r.Scan(append(commonsDest(&c.Commons), &c.Relation)...)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: challenge commons: %w", err)
	}
	return list, nil
}

// DeclareCommonsPlace records that a tiers-lieu uses a commun ("nous utilisons ce
// commun"), on behalf of userID who must belong to it. It reports false when the place
// had already said so: a second declaration is not a second row.
func (db *DB) DeclareCommonsPlace(ctx context.Context, commonsID, placeID, userID int64) (bool, error) {
	var added bool
	err := db.withTx(ctx, func(tx pgx.Tx) error {
		if err := lockMembership(ctx, tx, placeID, userID, fabrique.ErrCommonsPlaceMembersOnly); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx,
			`INSERT INTO commons_places (commons_id, place_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, commonsID, placeID)
		if err != nil {
			return fmt.Errorf("postgres: insert commons place: %w", err)
		}
		added = tag.RowsAffected() == 1
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("postgres: declare commons place: %w", mapError(err))
	}
	return added, nil
}

package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// placeColumns are the columns of a tiers-lieu. Lists of places and communs are sorted
// by name the French way (COLLATE "fr-x-icu": "Écolieu" among the E, not after "Z"), with
// the ICU collation the PostgreSQL builds we run on (Debian, Alpine) ship.
const placeColumns = `p.id, p.slug, p.name, p.city, p.region, p.website, p.created_at`

// placeSummarySelect reads a tiers-lieu with its counts in one row (correlated counts on
// indexed keys), so a list costs one query whatever its length.
const placeSummarySelect = `
SELECT ` + placeColumns + `,
       (SELECT count(*) FROM place_members m WHERE m.place_id = p.id),
       (SELECT count(*) FROM challenge_places cp WHERE cp.place_id = p.id),
       (SELECT count(*) FROM commons_places up WHERE up.place_id = p.id)
FROM places p`

func placeDest(p *fabrique.Place) []any {
	return []any{&p.ID, &p.Slug, &p.Name, &p.City, &p.Region, &p.Website, &p.CreatedAt}
}

func scanPlaceSummary(row pgx.Row) (*fabrique.PlaceSummary, error) {
	var p fabrique.PlaceSummary
	dest := append(placeDest(&p.Place), &p.MemberCount, &p.ChallengeCount, &p.CommonsCount)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	return &p, nil
}

// CreatePlace records a tiers-lieu declared by creatorID, who becomes its first member,
// under a unique slug derived from its name.
func (db *DB) CreatePlace(ctx context.Context, np fabrique.NewPlace, creatorID int64) (*fabrique.Place, error) {
	base := fabrique.Slugify(np.Name)
	if base == "" {
		return nil, fabrique.Errorf(fabrique.EINVALID, "Le nom doit contenir au moins une lettre ou un chiffre.")
	}
	p := fabrique.Place{Name: np.Name, City: np.City, Region: np.Region, Website: np.Website}
	err := db.withTx(ctx, func(tx pgx.Tx) error {
		id, slug, err := insertWithSlug(ctx, tx, "places", base, func(slug string) pgx.Row {
			return tx.QueryRow(ctx,
				`INSERT INTO places (slug, name, city, region, website) VALUES ($1, $2, $3, $4, $5)
				 ON CONFLICT (slug) DO NOTHING RETURNING id`,
				slug, np.Name, np.City, np.Region, np.Website)
		})
		if err != nil {
			return err
		}
		p.ID, p.Slug = id, slug
		if _, err := tx.Exec(ctx, `INSERT INTO place_members (place_id, user_id) VALUES ($1, $2)`, id, creatorID); err != nil {
			return fmt.Errorf("postgres: add first member: %w", err)
		}
		return tx.QueryRow(ctx, `SELECT created_at FROM places WHERE id = $1`, id).Scan(&p.CreatedAt)
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: create place: %w", mapError(err))
	}
	return &p, nil
}

// PlaceBySlug returns the tiers-lieu with slug and its counts.
func (db *DB) PlaceBySlug(ctx context.Context, slug string) (*fabrique.PlaceSummary, error) {
	p, err := scanPlaceSummary(db.Pool.QueryRow(ctx, placeSummarySelect+` WHERE p.slug = $1`, slug))
	if err != nil {
		return nil, fmt.Errorf("postgres: place %q: %w", slug, mapError(err))
	}
	return p, nil
}

// Places returns a page of tiers-lieux in name order, and how many match the filter.
func (db *DB) Places(ctx context.Context, f fabrique.PlaceFilter) ([]*fabrique.PlaceSummary, int, error) {
	if f.Limit <= 0 {
		f.Limit = 20
	}
	f.Offset = max(f.Offset, 0)
	// An empty region matches every place, so one statement serves both cases.
	rows, err := db.Pool.Query(ctx, placeSummarySelect+
		` WHERE ($3 = '' OR p.region = $3) ORDER BY p.name COLLATE "fr-x-icu", p.id LIMIT $1 OFFSET $2`, f.Limit, f.Offset, f.Region)
	if err != nil {
		return nil, 0, fmt.Errorf("postgres: list places: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*fabrique.PlaceSummary, error) { return scanPlaceSummary(r) })
	if err != nil {
		return nil, 0, fmt.Errorf("postgres: list places: %w", err)
	}
	var total int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM places WHERE ($1 = '' OR region = $1)`, f.Region).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("postgres: count places: %w", err)
	}
	return list, total, nil
}

// PlaceMembers returns the people who belong to a tiers-lieu, earliest first.
func (db *DB) PlaceMembers(ctx context.Context, placeID int64) ([]fabrique.PlaceMember, error) {
	rows, err := db.Pool.Query(ctx,
		`SELECT m.user_id, u.display_name, m.created_at
		 FROM place_members m JOIN users u ON u.id = m.user_id
		 WHERE m.place_id = $1 ORDER BY m.created_at, u.display_name`, placeID)
	if err != nil {
		return nil, fmt.Errorf("postgres: place members: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (fabrique.PlaceMember, error) {
		var m fabrique.PlaceMember
		err := r.Scan(&m.UserID, &m.DisplayName, &m.Since)
		return m, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: place members: %w", err)
	}
	return list, nil
}

// PlaceChallenges returns the défis a tiers-lieu declared itself concerned by, latest
// declaration first.
func (db *DB) PlaceChallenges(ctx context.Context, placeID int64) ([]*fabrique.Challenge, error) {
	rows, err := db.Pool.Query(ctx, challengeSelect+
		` JOIN challenge_places cp ON cp.challenge_id = c.id AND cp.place_id = $1
		  ORDER BY cp.created_at DESC, c.id DESC`, placeID)
	if err != nil {
		return nil, fmt.Errorf("postgres: place challenges: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*fabrique.Challenge, error) { return scanChallenge(r) })
	if err != nil {
		return nil, fmt.Errorf("postgres: place challenges: %w", err)
	}
	return list, nil
}

// JoinPlace records that userID belongs to the tiers-lieu; it reports false when they
// already did, so a second click changes nothing.
func (db *DB) JoinPlace(ctx context.Context, placeID, userID int64) (bool, error) {
	tag, err := db.Pool.Exec(ctx,
		`INSERT INTO place_members (place_id, user_id) SELECT id, $2 FROM places WHERE id = $1
		 ON CONFLICT DO NOTHING`, placeID, userID)
	if err != nil {
		return false, fmt.Errorf("postgres: join place: %w", mapError(err))
	}
	if tag.RowsAffected() > 0 {
		noteChange(ctx) // outside withTx: the place's page lists its members
	}
	return tag.RowsAffected() == 1, nil
}

// LeavePlace removes userID from the tiers-lieu's members; it reports false when they
// were not one.
func (db *DB) LeavePlace(ctx context.Context, placeID, userID int64) (bool, error) {
	tag, err := db.Pool.Exec(ctx, `DELETE FROM place_members WHERE place_id = $1 AND user_id = $2`, placeID, userID)
	if err != nil {
		return false, fmt.Errorf("postgres: leave place: %w", mapError(err))
	}
	if tag.RowsAffected() > 0 {
		noteChange(ctx) // outside withTx: the place's page lists its members
	}
	return tag.RowsAffected() == 1, nil
}

// lockMembership checks that userID belongs to the tiers-lieu and keeps the membership
// row locked (FOR SHARE) until tx ends, so a concurrent departure cannot slip between
// the check and the write that depends on it. An unknown place is ENOTFOUND, a person who
// does not belong to it EFORBIDDEN with forbidden as the message.
func lockMembership(ctx context.Context, tx pgx.Tx, placeID, userID int64, forbidden string) error {
	var one int
	err := tx.QueryRow(ctx,
		`SELECT 1 FROM place_members WHERE place_id = $1 AND user_id = $2 FOR SHARE`, placeID, userID).Scan(&one)
	if err == nil {
		return nil
	} else if !errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("postgres: check membership: %w", err)
	}
	var exists bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM places WHERE id = $1)`, placeID).Scan(&exists); err != nil {
		return fmt.Errorf("postgres: check place: %w", err)
	}
	if !exists {
		return fabrique.Errorf(fabrique.ENOTFOUND, "Ce tiers-lieu n’existe pas.")
	}
	return &fabrique.Error{Code: fabrique.EFORBIDDEN, Message: forbidden}
}

// DeclareChallengePlace records that a tiers-lieu is concerned by a défi ("ce défi nous
// concerne"), on behalf of userID who must belong to it. It reports false when the place
// had already declared it: a second declaration is not a second row.
func (db *DB) DeclareChallengePlace(ctx context.Context, challengeID, placeID, userID int64) (bool, error) {
	var added bool
	err := db.withTx(ctx, func(tx pgx.Tx) error {
		if err := lockMembership(ctx, tx, placeID, userID, "Seuls les membres d’un tiers-lieu peuvent le déclarer concerné."); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx,
			`INSERT INTO challenge_places (challenge_id, place_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, challengeID, placeID)
		if err != nil {
			return fmt.Errorf("postgres: insert challenge place: %w", err)
		}
		added = tag.RowsAffected() == 1
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("postgres: declare challenge place: %w", mapError(err))
	}
	return added, nil
}

// WithdrawChallengePlace removes a tiers-lieu from the places concerned by a défi, on
// behalf of by, who must belong to the place or coordinate the Fabrique. Withdrawing a
// place that was not declared changes nothing.
func (db *DB) WithdrawChallengePlace(ctx context.Context, challengeID, placeID int64, by *fabrique.User) error {
	err := db.withTx(ctx, func(tx pgx.Tx) error {
		if by.IsCoordinator() {
			var exists bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM places WHERE id = $1)`, placeID).Scan(&exists); err != nil {
				return fmt.Errorf("postgres: check place: %w", err)
			} else if !exists {
				return fabrique.Errorf(fabrique.ENOTFOUND, "Ce tiers-lieu n’existe pas.")
			}
		} else if err := lockMembership(ctx, tx, placeID, by.ID, "Seuls les membres du tiers-lieu et la coordination peuvent le retirer."); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM challenge_places WHERE challenge_id = $1 AND place_id = $2`, challengeID, placeID); err != nil {
			return fmt.Errorf("postgres: delete challenge place: %w", err)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("postgres: withdraw challenge place: %w", mapError(err))
	}
	return nil
}

// ChallengePlaces returns, in one query, the tiers-lieux concerned by a défi and those
// viewerID belongs to (0 for a visitor), each flagged: the défi's page shows the first and
// offers the second to declare.
func (db *DB) ChallengePlaces(ctx context.Context, challengeID, viewerID int64) ([]fabrique.LinkedPlace, error) {
	rows, err := db.Pool.Query(ctx, challengePlacesSQL, challengeID, viewerID)
	if err != nil {
		return nil, fmt.Errorf("postgres: challenge places: %w", err)
	}
	return scanChallengePlaces(rows)
}

// challengePlacesSQL is ChallengePlaces' query ($1 the défi, $2 the viewer), which
// ChallengePage sends in its batch too.
const challengePlacesSQL = `
		SELECT ` + placeColumns + `,
		       EXISTS (SELECT 1 FROM challenge_places cp WHERE cp.challenge_id = $1 AND cp.place_id = p.id),
		       EXISTS (SELECT 1 FROM place_members m WHERE m.place_id = p.id AND m.user_id = $2)
		FROM places p
		WHERE p.id IN (SELECT place_id FROM challenge_places WHERE challenge_id = $1
		               UNION SELECT place_id FROM place_members WHERE user_id = $2) -- "IN … OR IN …" scanned every place
		ORDER BY p.name COLLATE "fr-x-icu", p.id`

// scanChallengePlaces reads (and closes) the rows of challengePlacesSQL.
func scanChallengePlaces(rows pgx.Rows) ([]fabrique.LinkedPlace, error) {
	list, err := pgx.CollectRows(rows, scanLinkedPlace)
	if err != nil {
		return nil, fmt.Errorf("postgres: challenge places: %w", err)
	}
	return list, nil
}

func scanLinkedPlace(r pgx.CollectableRow) (fabrique.LinkedPlace, error) {
	var p fabrique.LinkedPlace
	err := r.Scan(append(placeDest(&p.Place), &p.Linked, &p.Mine)...)
	return p, err
}

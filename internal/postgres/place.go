package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// placeColumns are the columns of a tiers-lieu. Lists of places and communs are sorted
// by name the French way (COLLATE "fr-x-icu": "Écolieu" among the E, not after "Z"), with
// the ICU collation the PostgreSQL builds we run on (Debian, Alpine) ship.
const placeColumns = `p.id, p.slug, p.name, p.city, p.region, p.website, p.created_at, p.verified_at`

// placeSummarySelect reads a tiers-lieu with its counts in one row (correlated counts on
// indexed keys), so a list costs one query whatever its length.
const placeSummarySelect = `SELECT ` + placeSummaryColumns + ` FROM places p`

const placeSummaryColumns = placeColumns + `,
       (SELECT count(*) FROM place_members m WHERE m.place_id = p.id),
       (SELECT count(*) FROM challenge_places cp WHERE cp.place_id = p.id),
       (SELECT count(*) FROM commons_places up WHERE up.place_id = p.id)`

func placeDest(p *fabrique.Place) []any {
	return []any{&p.ID, &p.Slug, &p.Name, &p.City, &p.Region, &p.Website, &p.CreatedAt, zeroTime{&p.VerifiedAt}}
}

// zeroTime scans a nullable timestamptz into a time.Time, NULL as the zero time.
type zeroTime struct{ t *time.Time }

// Scan implements sql.Scanner.
func (z zeroTime) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*z.t = time.Time{}
	case time.Time:
		*z.t = v
	default:
		return fmt.Errorf("postgres: cannot scan %T into a time", src)
	}
	return nil
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
		return nil, fabrique.ErrNameWithoutSlug
	}
	p := fabrique.Place{Name: np.Name, City: np.City, Region: np.Region, Website: np.Website}
	err := db.withTx(ctx, func(tx pgx.Tx) error {
		id, slug, err := insertWithSlug(ctx, tx, "places", base, func(slug string) pgx.Row {
			return tx.QueryRow(ctx,
				`INSERT INTO places (slug, name, city, region, website, description, address, contact)
				 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
				 ON CONFLICT (slug) DO NOTHING RETURNING id`,
				slug, np.Name, np.City, np.Region, np.Website, np.Description, np.Address, np.Contact)
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

// PlaceBySlug returns the tiers-lieu with slug, its counts and its details.
func (db *DB) PlaceBySlug(ctx context.Context, slug string) (*fabrique.PlaceSummary, error) {
	var p fabrique.PlaceSummary
	dest := append(placeDest(&p.Place), &p.MemberCount, &p.ChallengeCount, &p.CommonsCount,
		&p.Description, &p.Address, &p.Contact)
	err := db.pool.QueryRow(ctx, `SELECT `+placeSummaryColumns+`, p.description, p.address, p.contact
		FROM places p WHERE p.slug = $1`, slug).Scan(dest...)
	if err != nil {
		return nil, fmt.Errorf("postgres: place %q: %w", slug, mapError(err))
	}
	return &p, nil
}

// UpdatePlace changes the tiers-lieu's fields (its slug stays), on behalf of actor, who
// must be an accepted member of the place or a coordinator (EFORBIDDEN otherwise); the
// membership is locked until the change is written, so a member who leaves meanwhile
// changes nothing.
func (db *DB) UpdatePlace(ctx context.Context, actor *fabrique.User, placeID int64, np fabrique.NewPlace) error {
	err := db.withTx(ctx, func(tx pgx.Tx) error {
		member := false
		if actor.IsCoordinator() {
			if err := placeExists(ctx, tx, placeID); err != nil {
				return err
			}
		} else {
			// Whether actor may edit is the rule's, below; an unknown place is ENOTFOUND.
			var err error
			if member, err = placeMember(ctx, tx, placeID, actor.ID); err != nil {
				return err
			}
		}
		if err := fabrique.CheckPlaceEdit(actor, member); err != nil {
			return err
		}
		_, err := tx.Exec(ctx,
			`UPDATE places SET name = $2, city = $3, region = $4, website = $5, description = $6, address = $7, contact = $8
			 WHERE id = $1`,
			placeID, np.Name, np.City, np.Region, np.Website, np.Description, np.Address, np.Contact)
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: update place %d: %w", placeID, mapError(err))
	}
	return nil
}

// PlaceCountsByRegion returns how many tiers-lieux each region has; a region without
// any is absent.
func (db *DB) PlaceCountsByRegion(ctx context.Context) (map[string]int, error) {
	rows, err := db.pool.Query(ctx, `SELECT region, count(*) FROM places WHERE region <> '' GROUP BY region`)
	if err != nil {
		return nil, fmt.Errorf("postgres: places by region: %w", err)
	}
	counts := map[string]int{}
	var region string
	var n int
	if _, err := pgx.ForEachRow(rows, []any{&region, &n}, func() error {
		counts[region] = n
		return nil
	}); err != nil {
		return nil, fmt.Errorf("postgres: places by region: %w", err)
	}
	return counts, nil
}

// Places returns a page of tiers-lieux in name order, and how many match the filter.
func (db *DB) Places(ctx context.Context, f fabrique.PlaceFilter) ([]*fabrique.PlaceSummary, int, error) {
	if f.Limit <= 0 {
		f.Limit = 20
	}
	f.Offset = max(f.Offset, 0)
	// An empty region matches every place, so one statement serves both cases.
	rows, err := db.pool.Query(ctx, placeSummarySelect+
		` WHERE ($3 = '' OR p.region = $3) ORDER BY p.name COLLATE "fr-x-icu", p.id LIMIT $1 OFFSET $2`, f.Limit, f.Offset, f.Region)
	if err != nil {
		return nil, 0, fmt.Errorf("postgres: list places: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*fabrique.PlaceSummary, error) { return scanPlaceSummary(r) })
	if err != nil {
		return nil, 0, fmt.Errorf("postgres: list places: %w", err)
	}
	var total int
	if err := db.pool.QueryRow(ctx, `SELECT count(*) FROM places WHERE ($1 = '' OR region = $1)`, f.Region).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("postgres: count places: %w", err)
	}
	return list, total, nil
}

// PlaceMembers returns the people who belong to a tiers-lieu, earliest first.
func (db *DB) PlaceMembers(ctx context.Context, placeID int64) ([]fabrique.PlaceMember, error) {
	rows, err := db.pool.Query(ctx,
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
	rows, err := db.pool.Query(ctx, challengeSelect+
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

// Audit actions on tiers-lieux.
const (
	AuditPlaceVerify = "place.verify"
	auditTargetPlace = "place"
)

// RequestToJoinPlace records userID's request to join the tiers-lieu, with message. A
// person has one request per place: asking again while it waits updates the message,
// and after a refusal it waits again. It reports false when userID already is a member,
// which changes nothing.
func (db *DB) RequestToJoinPlace(ctx context.Context, placeID, userID int64, message string) (bool, error) {
	asked := false
	err := db.withTx(ctx, func(tx pgx.Tx) error {
		// Share lock on the place: it cannot vanish between the checks and the write.
		var one int
		err := tx.QueryRow(ctx, `SELECT 1 FROM places WHERE id = $1 FOR SHARE`, placeID).Scan(&one)
		if errors.Is(err, pgx.ErrNoRows) {
			return fabrique.ErrPlaceNotFound
		} else if err != nil {
			return fmt.Errorf("postgres: lock place: %w", err)
		}
		var member bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM place_members WHERE place_id = $1 AND user_id = $2)`,
			placeID, userID).Scan(&member); err != nil {
			return fmt.Errorf("postgres: check membership: %w", err)
		}
		if member {
			return nil
		}
		if _, err := tx.Exec(ctx,
			`INSERT INTO place_requests AS r (place_id, user_id, message) VALUES ($1, $2, $3)
			 ON CONFLICT (place_id, user_id) DO UPDATE
			   SET state = 'pending', message = EXCLUDED.message, decided_by = NULL, decided_at = NULL,
			       created_at = CASE WHEN r.state = 'pending' THEN r.created_at ELSE now() END`,
			placeID, userID, message); err != nil {
			return fmt.Errorf("postgres: insert place request: %w", err)
		}
		asked = true
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("postgres: request to join place %d: %w", placeID, mapError(err))
	}
	return asked, nil
}

// DecidePlaceRequest accepts or refuses userID's request to join a tiers-lieu, on behalf
// of actor, who must be an accepted member of the place or a coordinator (EFORBIDDEN
// otherwise). The request's row is locked, so of concurrent decisions one wins: a later
// identical one changes nothing and reports already, a contradictory one is an ECONFLICT
// error. Accepting makes userID a member.
func (db *DB) DecidePlaceRequest(ctx context.Context, placeID int64, actor *fabrique.User, userID int64, accept bool) (already bool, err error) {
	err = db.withTx(ctx, func(tx pgx.Tx) error {
		member := false
		if actor.IsCoordinator() {
			if err := placeExists(ctx, tx, placeID); err != nil {
				return err
			}
		} else {
			// Whether actor may decide is the rule's, below; an unknown place is ENOTFOUND.
			var err error
			if member, err = placeMember(ctx, tx, placeID, actor.ID); err != nil {
				return err
			}
		}
		var state string
		err := tx.QueryRow(ctx, `SELECT state FROM place_requests WHERE place_id = $1 AND user_id = $2 FOR UPDATE`,
			placeID, userID).Scan(&state)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("postgres: lock place request: %w", err)
		}
		already, err = fabrique.CheckPlaceDecision(actor, accept, fabrique.PlaceRequestFacts{Member: member, State: state})
		if err != nil || already {
			return err
		}
		next := fabrique.PlaceRequestRefused
		if accept {
			next = fabrique.PlaceRequestAccepted
			if _, err := tx.Exec(ctx, `INSERT INTO place_members (place_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
				placeID, userID); err != nil {
				return fmt.Errorf("postgres: add member: %w", err)
			}
		}
		if _, err := tx.Exec(ctx,
			`UPDATE place_requests SET state = $3, decided_by = $4, decided_at = now() WHERE place_id = $1 AND user_id = $2`,
			placeID, userID, next, actor.ID); err != nil {
			return fmt.Errorf("postgres: decide place request: %w", err)
		}
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("postgres: decide place request %d/%d: %w", placeID, userID, mapError(err))
	}
	return already, nil
}

// PlaceRequests returns the requests to join a tiers-lieu that wait, oldest first, and
// viewerID's own request in any state (0 for a visitor): the place's page shows the first
// to those who decide, and the second to the person who asked.
func (db *DB) PlaceRequests(ctx context.Context, placeID, viewerID int64) ([]fabrique.PlaceRequest, error) {
	rows, err := db.pool.Query(ctx,
		`SELECT r.user_id, u.display_name, r.state, r.message, r.created_at
		 FROM place_requests r JOIN users u ON u.id = r.user_id
		 WHERE r.place_id = $1 AND (r.state = 'pending' OR r.user_id = $2)
		 ORDER BY r.created_at, r.user_id`, placeID, viewerID)
	if err != nil {
		return nil, fmt.Errorf("postgres: place requests: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (fabrique.PlaceRequest, error) {
		var q fabrique.PlaceRequest
		err := r.Scan(&q.UserID, &q.DisplayName, &q.State, &q.Message, &q.AskedAt)
		return q, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: place requests: %w", err)
	}
	return list, nil
}

// VerifyPlace records that actor, a coordinator, verified the tiers-lieu (it exists,
// this is its team), with note, and writes it to the audit trail. A place is verified
// once: verifying it again changes nothing and reports already.
func (db *DB) VerifyPlace(ctx context.Context, actor *fabrique.User, placeID int64, note string) (already bool, err error) {
	if err := fabrique.CheckCoordinator(actor, fabrique.ErrPlaceVerifyCoordinationOnly); err != nil {
		return false, err
	}
	err = db.withTx(ctx, func(tx pgx.Tx) error {
		var name string
		var verified bool
		err := tx.QueryRow(ctx, `SELECT name, verified_at IS NOT NULL FROM places WHERE id = $1 FOR UPDATE`, placeID).Scan(&name, &verified)
		if errors.Is(err, pgx.ErrNoRows) {
			return fabrique.ErrPlaceNotFound
		} else if err != nil {
			return fmt.Errorf("postgres: lock place: %w", err)
		}
		if verified {
			already = true
			return nil
		}
		if _, err := tx.Exec(ctx,
			`UPDATE places SET verified_at = now(), verified_by = $2, verification_note = $3 WHERE id = $1`,
			placeID, actor.ID, note); err != nil {
			return fmt.Errorf("postgres: verify place: %w", err)
		}
		return audit(ctx, tx, actor.ID, AuditPlaceVerify, auditTargetPlace, placeID,
			fabrique.PlaceVerifiedAuditDetail(name))
	})
	if err != nil {
		return false, fmt.Errorf("postgres: verify place %d: %w", placeID, mapError(err))
	}
	return already, nil
}

// PlaceVerificationOf returns who verified the tiers-lieu, when and why, or an
// ENOTFOUND error when it is not verified: coordinators see it on the place's page.
func (db *DB) PlaceVerificationOf(ctx context.Context, placeID int64) (*fabrique.PlaceVerification, error) {
	var v fabrique.PlaceVerification
	err := db.pool.QueryRow(ctx,
		`SELECT p.verified_at, coalesce(u.display_name, ''), p.verification_note
		 FROM places p LEFT JOIN users u ON u.id = p.verified_by
		 WHERE p.id = $1 AND p.verified_at IS NOT NULL`, placeID).Scan(&v.At, &v.ByName, &v.Note)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fabrique.ErrPlaceNotVerified
	} else if err != nil {
		return nil, fmt.Errorf("postgres: place verification %d: %w", placeID, err)
	}
	return &v, nil
}

// LeavePlace removes userID from the tiers-lieu's members, or withdraws their request;
// it reports false when they were neither.
func (db *DB) LeavePlace(ctx context.Context, placeID, userID int64) (bool, error) {
	var left bool
	err := db.withTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM place_members WHERE place_id = $1 AND user_id = $2`, placeID, userID)
		if err != nil {
			return err
		}
		// The request goes too: joining again is a new request.
		req, err := tx.Exec(ctx, `DELETE FROM place_requests WHERE place_id = $1 AND user_id = $2 AND state <> 'refused'`, placeID, userID)
		if err != nil {
			return err
		}
		left = tag.RowsAffected() == 1 || req.RowsAffected() == 1
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("postgres: leave place: %w", mapError(err))
	}
	return left, nil
}

// placeExists is ENOTFOUND when the tiers-lieu does not exist.
func placeExists(ctx context.Context, tx pgx.Tx, placeID int64) error {
	var exists bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM places WHERE id = $1)`, placeID).Scan(&exists); err != nil {
		return fmt.Errorf("postgres: check place: %w", err)
	} else if !exists {
		return fabrique.ErrPlaceNotFound
	}
	return nil
}

// lockMembership checks that userID belongs to the tiers-lieu and keeps the membership
// row locked (FOR SHARE) until tx ends, so a concurrent departure cannot slip between
// the check and the write that depends on it. An unknown place is ENOTFOUND, a person who
// does not belong to it gets forbidden, the EFORBIDDEN error naming what they may not do.
func lockMembership(ctx context.Context, tx pgx.Tx, placeID, userID int64, forbidden error) error {
	member, err := placeMember(ctx, tx, placeID, userID)
	if err == nil && !member {
		return forbidden
	}
	return err
}

// placeMember reports whether userID belongs to the tiers-lieu, as lockMembership checks
// it and with the same lock; an unknown place is ENOTFOUND.
func placeMember(ctx context.Context, tx pgx.Tx, placeID, userID int64) (bool, error) {
	var one int
	err := tx.QueryRow(ctx,
		`SELECT 1 FROM place_members WHERE place_id = $1 AND user_id = $2 FOR SHARE`, placeID, userID).Scan(&one)
	if err == nil {
		return true, nil
	} else if !errors.Is(err, pgx.ErrNoRows) {
		return false, fmt.Errorf("postgres: check membership: %w", err)
	}
	var exists bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM places WHERE id = $1)`, placeID).Scan(&exists); err != nil {
		return false, fmt.Errorf("postgres: check place: %w", err)
	}
	if !exists {
		return false, fabrique.ErrPlaceNotFound
	}
	return false, nil
}

// DeclareChallengePlace records that a tiers-lieu is concerned by a défi ("ce défi nous
// concerne"), on behalf of userID who must belong to it. It reports false when the place
// had already declared it: a second declaration is not a second row.
func (db *DB) DeclareChallengePlace(ctx context.Context, challengeID, placeID, userID int64) (bool, error) {
	var added bool
	err := db.withTx(ctx, func(tx pgx.Tx) error {
		if err := lockMembership(ctx, tx, placeID, userID, fabrique.ErrPlaceDeclareMembersOnly); err != nil {
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
				return fabrique.ErrPlaceNotFound
			}
		} else if err := lockMembership(ctx, tx, placeID, by.ID, fabrique.ErrPlaceWithdrawMembersOnly); err != nil {
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

// PlacesByID returns the tiers-lieux of ids in the order pages list places (by name);
// those gone are left out.
func (db *DB) PlacesByID(ctx context.Context, ids []int64) ([]fabrique.Place, error) {
	rows, err := db.pool.Query(ctx, `SELECT `+placeColumns+` FROM places p WHERE p.id = ANY($1) ORDER BY p.name COLLATE "fr-x-icu", p.id`, ids)
	if err != nil {
		return nil, fmt.Errorf("postgres: places by id: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (fabrique.Place, error) {
		var p fabrique.Place
		return p, r.Scan(placeDest(&p)...)
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: places by id: %w", err)
	}
	return list, nil
}

// ChallengePlaces returns, in one query, the tiers-lieux concerned by a défi and those
// viewerID belongs to (0 for a visitor), each flagged: the défi's page shows the first and
// offers the second to declare.
func (db *DB) ChallengePlaces(ctx context.Context, challengeID, viewerID int64) ([]fabrique.LinkedPlace, error) {
	rows, err := db.pool.Query(ctx, challengePlacesSQL, challengeID, viewerID)
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

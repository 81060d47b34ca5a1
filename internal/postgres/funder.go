package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// Funder profiles: any account adds one, with its first pledge or from its espace. A
// tiers-lieu funder names one of the tiers-lieux its account belongs to, checked under a
// share lock on the membership so a departure cannot slip between the check and the write.

// FunderByUser returns userID's funder profile, or an ENOTFOUND error when they have none.
func (db *DB) FunderByUser(ctx context.Context, userID int64) (*fabrique.Funder, error) {
	return scanFunderByUser(db.pool.QueryRow(ctx, funderByUserSQL, userID), userID)
}

// funderByUserSQL is FunderByUser's query ($1 the account).
const funderByUserSQL = `SELECT user_id, kind, organisation, coalesce(place_id, 0) FROM funders WHERE user_id = $1`

// scanFunderByUser reads the row of funderByUserSQL, asked for userID.
func scanFunderByUser(row pgx.Row, userID int64) (*fabrique.Funder, error) {
	var f fabrique.Funder
	err := row.Scan(&f.UserID, &f.Kind, &f.Organisation, &f.PlaceID)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fabrique.ErrNoFunderProfile
	} else if err != nil {
		return nil, fmt.Errorf("postgres: funder %d: %w", userID, err)
	}
	return &f, nil
}

// FunderPlaces returns the tiers-lieux userID belongs to, by name: those their funder
// profile may name.
func (db *DB) FunderPlaces(ctx context.Context, userID int64) ([]fabrique.Place, error) {
	rows, err := db.pool.Query(ctx, funderPlacesSQL, userID)
	if err != nil {
		return nil, fmt.Errorf("postgres: places of funder %d: %w", userID, err)
	}
	return scanFunderPlaces(rows, userID)
}

// funderPlacesSQL is FunderPlaces' query ($1 the account).
const funderPlacesSQL = `
		SELECT p.id, p.slug, p.name, p.city, p.region, p.website, p.created_at
		FROM places p JOIN place_members m ON m.place_id = p.id
		WHERE m.user_id = $1 ORDER BY p.name, p.id`

// scanFunderPlaces reads (and closes) the rows of funderPlacesSQL.
func scanFunderPlaces(rows pgx.Rows, userID int64) ([]fabrique.Place, error) {
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (fabrique.Place, error) {
		var p fabrique.Place
		err := r.Scan(&p.ID, &p.Slug, &p.Name, &p.City, &p.Region, &p.Website, &p.CreatedAt)
		return p, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: places of funder %d: %w", userID, err)
	}
	return list, nil
}

// SaveFunder creates or replaces the funder profile of f.UserID: f.Kind one of
// fabrique.FunderKinds, f.Organisation checked by the caller, and for a tiers-lieu
// f.PlaceID one of the tiers-lieux the account belongs to (an EINVALID error on the
// "place_id" field otherwise). Pledges already made keep the kind they were made with.
func (db *DB) SaveFunder(ctx context.Context, f fabrique.Funder) (*fabrique.Funder, error) {
	err := db.withTx(ctx, func(tx pgx.Tx) error {
		placeID, err := funderPlace(ctx, tx, f, "kind", "place_id")
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx,
			`INSERT INTO funders (user_id, kind, organisation, place_id) VALUES ($1, $2, $3, $4)
			 ON CONFLICT (user_id) DO UPDATE SET kind = excluded.kind, organisation = excluded.organisation,
			     place_id = excluded.place_id, updated_at = now()`,
			f.UserID, f.Kind, f.Organisation, placeID)
		if err != nil {
			return fmt.Errorf("postgres: save funder: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: save funder %d: %w", f.UserID, mapError(err))
	}
	out := f
	if out.Kind != fabrique.FunderKindPlace {
		out.PlaceID = 0
	}
	return &out, nil
}

// funderPlace checks f's kind and tiers-lieu and returns the place_id to store: the
// place, its membership locked in share mode, for a tiers-lieu funder; NULL for any other
// kind. kindField and placeField name the form fields errors are reported on.
func funderPlace(ctx context.Context, tx pgx.Tx, f fabrique.Funder, kindField, placeField string) (any, error) {
	if !fabrique.ValidFunderKind(f.Kind) {
		return nil, fabrique.FunderKindError(kindField)
	}
	if f.Kind != fabrique.FunderKindPlace {
		return nil, nil
	}
	var one int
	err := tx.QueryRow(ctx, `SELECT 1 FROM place_members WHERE place_id = $1 AND user_id = $2 FOR SHARE`,
		f.PlaceID, f.UserID).Scan(&one)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fabrique.FunderPlaceError(placeField)
	} else if err != nil {
		return nil, fmt.Errorf("postgres: funder place: %w", err)
	}
	return f.PlaceID, nil
}

-- +goose Up
-- Tiers-lieux that use a commun ("nous utilisons ce commun"), for the cartographie.
CREATE TABLE commons_places (
    commons_id bigint NOT NULL REFERENCES commons (id) ON DELETE CASCADE,
    place_id   bigint NOT NULL REFERENCES places (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (commons_id, place_id)
);
CREATE INDEX commons_places_place_idx ON commons_places (place_id);
CREATE INDEX commons_kind_idx ON commons (kind, name);
CREATE INDEX places_region_idx ON places (region, name);

-- +goose Down
DROP INDEX places_region_idx;
DROP INDEX commons_kind_idx;
DROP TABLE commons_places;

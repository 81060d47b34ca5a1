-- +goose Up
-- Tiers-lieux. region is one of the 18 French regions (checked in the domain package).
CREATE TABLE places (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug       text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    city       text NOT NULL DEFAULT '',
    region     text NOT NULL DEFAULT '',
    website    text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE place_members (
    place_id   bigint NOT NULL REFERENCES places (id) ON DELETE CASCADE,
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (place_id, user_id)
);
CREATE INDEX place_members_user_idx ON place_members (user_id);

-- +goose Down
DROP TABLE place_members;
DROP TABLE places;

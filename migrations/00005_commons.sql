-- +goose Up
-- The cartographie des ressources: every commun and the défis it answers.
CREATE TABLE commons (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug        text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    kind        text NOT NULL DEFAULT 'logiciel'
                CHECK (kind IN ('logiciel', 'methode', 'documentation', 'donnees', 'materiel', 'autre')),
    summary     text NOT NULL DEFAULT '',
    description text NOT NULL DEFAULT '',
    licence     text NOT NULL DEFAULT '',
    website     text NOT NULL DEFAULT '',
    source_url  text NOT NULL DEFAULT '',
    movilab_url text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- A défi linked to a commun: as an existing solution found during the framing
-- ('solution'), or as the commun the défi gave rise to ('origine').
CREATE TABLE challenge_commons (
    challenge_id bigint NOT NULL REFERENCES challenges (id) ON DELETE CASCADE,
    commons_id   bigint NOT NULL REFERENCES commons (id) ON DELETE CASCADE,
    relation     text   NOT NULL DEFAULT 'solution' CHECK (relation IN ('solution', 'origine')),
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (challenge_id, commons_id)
);
CREATE INDEX challenge_commons_commons_idx ON challenge_commons (commons_id);

-- +goose Down
DROP TABLE challenge_commons;
DROP TABLE commons;

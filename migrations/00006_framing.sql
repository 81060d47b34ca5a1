-- +goose Up
-- The framing of a défi ("Nous préfigurons le projet de commun"): one current version per
-- défi, and every edit kept as a revision (who, when, what).
CREATE TABLE challenge_framings (
    challenge_id       bigint PRIMARY KEY REFERENCES challenges (id) ON DELETE CASCADE,
    problems           text NOT NULL DEFAULT '',
    use_cases          text NOT NULL DEFAULT '',
    actors             text NOT NULL DEFAULT '',
    existing_solutions text NOT NULL DEFAULT '',
    approach           text NOT NULL DEFAULT '',
    next_steps         text NOT NULL DEFAULT '',
    updated_by         bigint NOT NULL REFERENCES users (id),
    updated_at         timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE challenge_framing_revisions (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    challenge_id       bigint NOT NULL REFERENCES challenges (id) ON DELETE CASCADE,
    problems           text NOT NULL,
    use_cases          text NOT NULL,
    actors             text NOT NULL,
    existing_solutions text NOT NULL,
    approach           text NOT NULL,
    next_steps         text NOT NULL,
    user_id            bigint NOT NULL REFERENCES users (id),
    created_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX challenge_framing_revisions_challenge_idx ON challenge_framing_revisions (challenge_id, created_at DESC);

-- +goose Down
DROP TABLE challenge_framing_revisions;
DROP TABLE challenge_framings;

-- +goose Up
CREATE TABLE challenges (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug          text   NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    title         text   NOT NULL CHECK (length(title) BETWEEN 1 AND 160),
    summary       text   NOT NULL CHECK (length(summary) BETWEEN 1 AND 500),
    problem       text   NOT NULL DEFAULT '',
    status        text   NOT NULL DEFAULT 'identifie'
                  CHECK (status IN ('identifie', 'equipe', 'prefiguration', 'developpement', 'clos')),
    lead_id       bigint NOT NULL REFERENCES users (id),
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
-- Newest first, for the list and the home page.
CREATE INDEX challenges_created_idx ON challenges (created_at DESC, id DESC);
CREATE INDEX challenges_status_created_idx ON challenges (status, created_at DESC, id DESC);
CREATE INDEX challenges_lead_idx ON challenges (lead_id);

-- Team: the porteur (role 'lead') and members. A join request is a row in 'pending'.
CREATE TABLE challenge_members (
    challenge_id bigint NOT NULL REFERENCES challenges (id) ON DELETE CASCADE,
    user_id      bigint NOT NULL REFERENCES users (id),
    role         text   NOT NULL DEFAULT 'member' CHECK (role IN ('lead', 'member')),
    state        text   NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'accepted', 'refused', 'left')),
    message      text   NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL DEFAULT now(),
    decided_at   timestamptz,
    PRIMARY KEY (challenge_id, user_id)
);
CREATE INDEX challenge_members_user_idx ON challenge_members (user_id);
-- One lead per défi.
CREATE UNIQUE INDEX challenge_members_one_lead ON challenge_members (challenge_id) WHERE role = 'lead';

-- Every status change, appended in the same transaction as the change.
CREATE TABLE challenge_status_changes (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    challenge_id bigint NOT NULL REFERENCES challenges (id) ON DELETE CASCADE,
    from_status  text,
    to_status    text   NOT NULL,
    note         text   NOT NULL DEFAULT '',
    user_id      bigint NOT NULL REFERENCES users (id),
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX challenge_status_changes_challenge_idx ON challenge_status_changes (challenge_id, created_at);

-- Places that declare themselves concerned by a défi ("ce défi nous concerne").
CREATE TABLE challenge_places (
    challenge_id bigint NOT NULL REFERENCES challenges (id) ON DELETE CASCADE,
    place_id     bigint NOT NULL REFERENCES places (id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (challenge_id, place_id)
);
CREATE INDEX challenge_places_place_idx ON challenge_places (place_id);

-- +goose Down
DROP TABLE challenge_places;
DROP TABLE challenge_status_changes;
DROP TABLE challenge_members;
DROP TABLE challenges;

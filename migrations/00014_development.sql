-- +goose Up
-- The développement phase: a commun's development steps, calls for co-financing with a
-- matching rule, funders and their pledges. Money received and matching paid live in the
-- ledger (commons_funds and matching_pool accounts); what a pledge or a rule brings is
-- computed from these rows at read time, never stored as a flag.

-- The défi a commun comes from ("origine" in challenge_commons) carries its team; a
-- commun's day rate for development work is the défi's.

CREATE TABLE steps (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    commons_id  bigint NOT NULL REFERENCES commons (id),
    title       text   NOT NULL CHECK (length(title) BETWEEN 1 AND 160),
    description text   NOT NULL DEFAULT '',
    goal        bigint NOT NULL CHECK (goal > 0),
    starts_on   date   NOT NULL,
    ends_on     date   NOT NULL CHECK (ends_on >= starts_on),
    created_by  bigint NOT NULL REFERENCES users (id),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX steps_commons_idx ON steps (commons_id, starts_on);

CREATE TABLE calls (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug             text   NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    title            text   NOT NULL CHECK (length(title) BETWEEN 1 AND 160),
    description      text   NOT NULL DEFAULT '',
    starts_on        date   NOT NULL,
    ends_on          date   NOT NULL CHECK (ends_on >= starts_on),
    pool             bigint NOT NULL DEFAULT 0 CHECK (pool >= 0),
    -- the matching rule: each matched euro brings match_percent/100 euros, for pledges of
    -- match_kinds, at most match_cap per commun (0: no cap but the pool)
    match_percent    int    NOT NULL DEFAULT 0 CHECK (match_percent BETWEEN 0 AND 1000),
    match_kinds      text[] NOT NULL DEFAULT '{}',
    match_cap        bigint NOT NULL DEFAULT 0 CHECK (match_cap >= 0),
    closed_at        timestamptz,
    closed_by        bigint REFERENCES users (id),
    created_by       bigint NOT NULL REFERENCES users (id),
    created_at       timestamptz NOT NULL DEFAULT now(),
    CHECK (match_kinds <@ ARRAY['tiers-lieu', 'collectivite', 'fondation', 'entreprise', 'particulier']::text[])
);
CREATE INDEX calls_dates_idx ON calls (starts_on DESC, id DESC);

-- The steps taking part in a call.
CREATE TABLE call_steps (
    call_id    bigint NOT NULL REFERENCES calls (id),
    step_id    bigint NOT NULL REFERENCES steps (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (call_id, step_id)
);
CREATE INDEX call_steps_step_idx ON call_steps (step_id);

-- The funder profile an account adds with its first pledge.
CREATE TABLE funders (
    user_id      bigint PRIMARY KEY REFERENCES users (id),
    kind         text   NOT NULL CHECK (kind IN ('tiers-lieu', 'collectivite', 'fondation', 'entreprise', 'particulier')),
    organisation text   NOT NULL DEFAULT '' CHECK (length(organisation) <= 160),
    place_id     bigint REFERENCES places (id),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    CHECK (kind <> 'tiers-lieu' OR place_id IS NOT NULL)
);

-- A pledge (promesse) of a funder to a step: promise → confirmee (funds received) |
-- annulee | expiree. The idempotency key makes a resubmitted form one pledge.
CREATE TABLE pledges (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    step_id         bigint NOT NULL REFERENCES steps (id),
    call_id         bigint REFERENCES calls (id),
    user_id         bigint NOT NULL REFERENCES users (id),
    funder_kind     text   NOT NULL CHECK (funder_kind IN ('tiers-lieu', 'collectivite', 'fondation', 'entreprise', 'particulier')),
    amount          bigint NOT NULL CHECK (amount > 0),
    anonymous       boolean NOT NULL DEFAULT false,
    message         text   NOT NULL DEFAULT '' CHECK (length(message) <= 1000),
    state           text   NOT NULL DEFAULT 'promise' CHECK (state IN ('promise', 'confirmee', 'annulee', 'expiree')),
    idempotency_key text   NOT NULL CHECK (length(idempotency_key) BETWEEN 8 AND 100),
    decided_by      bigint REFERENCES users (id),
    decided_at      timestamptz,
    ledger_tx_id    bigint UNIQUE REFERENCES ledger_transactions (id),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (user_id, idempotency_key),
    CHECK ((state = 'confirmee') = (ledger_tx_id IS NOT NULL))
);
CREATE INDEX pledges_step_idx ON pledges (step_id, state);
CREATE INDEX pledges_call_idx ON pledges (call_id, state);
CREATE INDEX pledges_user_idx ON pledges (user_id, created_at DESC);
CREATE INDEX pledges_waiting_idx ON pledges (created_at) WHERE state = 'promise';

-- A matching pool account names its call.
ALTER TABLE ledger_accounts ADD CONSTRAINT ledger_accounts_call_fk FOREIGN KEY (call_id) REFERENCES calls (id);

-- +goose Down
ALTER TABLE ledger_accounts DROP CONSTRAINT ledger_accounts_call_fk;
DROP TABLE pledges;
DROP TABLE funders;
DROP TABLE call_steps;
DROP TABLE calls;
DROP TABLE steps;

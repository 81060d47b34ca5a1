-- +goose Up
-- Rendez-vous (DESIGN §2, issue 14): « Ressources & vous » sessions, résidences
-- contributives and ateliers. Times are instants, entered and shown in Europe/Paris.
CREATE TABLE events (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug          text   NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    kind          text   NOT NULL CHECK (kind IN ('ressources-et-vous', 'residence', 'atelier')),
    title         text   NOT NULL CHECK (length(title) BETWEEN 1 AND 140),
    summary       text   NOT NULL CHECK (length(summary) BETWEEN 1 AND 500),
    description   text   NOT NULL DEFAULT '' CHECK (length(description) <= 20000),
    commons_id    bigint REFERENCES commons (id),
    challenge_id  bigint REFERENCES challenges (id),
    place_id      bigint REFERENCES places (id),
    online        boolean NOT NULL DEFAULT false,
    visio_url     text   NOT NULL DEFAULT '' CHECK (length(visio_url) <= 500),
    starts_at     timestamptz NOT NULL,
    ends_at       timestamptz NOT NULL CHECK (ends_at > starts_at),
    capacity      int    CHECK (capacity IS NULL OR capacity BETWEEN 1 AND 10000),
    organiser_id  bigint NOT NULL REFERENCES users (id),
    -- iCalendar's SEQUENCE: raised at each change a calendar should take in.
    sequence      int    NOT NULL DEFAULT 0,
    cancelled_at  timestamptz,
    cancel_reason text   NOT NULL DEFAULT '' CHECK (length(cancel_reason) <= 2000),
    minutes       text   NOT NULL DEFAULT '' CHECK (length(minutes) <= 50000),
    replay_url    text   NOT NULL DEFAULT '' CHECK (length(replay_url) <= 500),
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CHECK (online OR place_id IS NOT NULL)
);
CREATE INDEX events_starts_idx ON events (starts_at, id);
CREATE INDEX events_ends_idx ON events (ends_at DESC, id DESC);
CREATE INDEX events_commons_idx ON events (commons_id, starts_at) WHERE commons_id IS NOT NULL;
CREATE INDEX events_challenge_idx ON events (challenge_id, starts_at) WHERE challenge_id IS NOT NULL;

-- A person is registered (holds a seat) or waiting, never both, never twice: one row per
-- person and rendez-vous. The waiting list is in arrival order (registered_at, then id).
CREATE TABLE event_registrations (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id      bigint NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    user_id       bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    state         text   NOT NULL CHECK (state IN ('inscrit', 'attente')),
    message       text   NOT NULL DEFAULT '' CHECK (length(message) <= 1000),
    registered_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    promoted_at   timestamptz,
    present       boolean NOT NULL DEFAULT false,
    UNIQUE (event_id, user_id),
    CHECK (NOT present OR state = 'inscrit')
);
CREATE INDEX event_registrations_queue_idx ON event_registrations (event_id, state, registered_at, id);
CREATE INDEX event_registrations_user_idx ON event_registrations (user_id);

-- A person's private calendar feed (/espace/agenda.ics?jeton=…): a read-only capability,
-- renewed from /espace, so it is kept as is to be shown again.
ALTER TABLE users ADD COLUMN calendar_token text UNIQUE;

-- Days of a residency logged as contributions (§2): the rendez-vous they were worked at.
ALTER TABLE contributions ADD COLUMN event_id bigint REFERENCES events (id);
CREATE INDEX contributions_event_idx ON contributions (event_id) WHERE event_id IS NOT NULL;

CREATE TRIGGER events_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION fabrique_notify_change();
CREATE TRIGGER event_registrations_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON event_registrations
    FOR EACH STATEMENT EXECUTE FUNCTION fabrique_notify_change();

-- +goose Down
DROP INDEX contributions_event_idx;
ALTER TABLE contributions DROP COLUMN event_id;
ALTER TABLE users DROP COLUMN calendar_token;
DROP TABLE event_registrations;
DROP TABLE events;

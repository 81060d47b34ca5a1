-- +goose Up
-- Notifications (DESIGN §3b): what concerns someone is written as a notification row in the
-- same transaction as the change that causes it; e-mails are rendered into an outbox and sent
-- by jobs (river, migration 00025). Nothing here holds French: a notification keeps its kind and
-- the facts its sentence is built from, rendered in the reader's language when shown or sent.

ALTER TABLE users ADD COLUMN email_verified_at timestamptz;

-- The outbox: each e-mail as it was rendered, and what became of it. "kept" is an e-mail that
-- had nowhere to go (no SMTP_URL): coordinators read it at /coordination/courriels.
CREATE TABLE emails (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id           bigint REFERENCES users (id) ON DELETE SET NULL,
    to_address        text NOT NULL CHECK (length(to_address) BETWEEN 3 AND 254),
    kind              text NOT NULL CHECK (kind ~ '^[a-z_]{1,40}$'), -- a notification kind, 'resume', or an account e-mail's kind
    subject           text NOT NULL,
    text_body         text NOT NULL,
    html_body         text NOT NULL,
    message_id        text NOT NULL UNIQUE,
    unsubscribe_token text UNIQUE, -- NULL for account e-mails, which ignore preferences
    state             text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sent', 'failed', 'kept')),
    attempts          int  NOT NULL DEFAULT 0,
    last_error        text NOT NULL DEFAULT '',
    created_at        timestamptz NOT NULL DEFAULT now(),
    sent_at           timestamptz
);
CREATE INDEX emails_created_idx ON emails (created_at DESC, id DESC);
CREATE INDEX emails_user_idx ON emails (user_id);

CREATE TABLE notifications (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       text   NOT NULL CHECK (kind ~ '^[a-z_]{1,40}$'),
    data       jsonb  NOT NULL DEFAULT '{}', -- the facts of the sentence: names, amounts, reason…
    url        text   NOT NULL DEFAULT '' CHECK (url = '' OR url LIKE '/%'), -- the page it leads to
    delivery   text   NOT NULL CHECK (delivery IN ('immediat', 'resume', 'site')), -- the preference when written
    created_at timestamptz NOT NULL DEFAULT now(),
    read_at    timestamptz,
    email_id   bigint REFERENCES emails (id) ON DELETE SET NULL -- the e-mail that carried it, at once or in a digest
);
CREATE INDEX notifications_user_idx ON notifications (user_id, id DESC);
CREATE INDEX notifications_unread_idx ON notifications (user_id) WHERE read_at IS NULL;
CREATE INDEX notifications_digest_idx ON notifications (user_id, created_at) WHERE delivery = 'resume' AND email_id IS NULL;

-- A person's choice per kind; a kind without a row takes its default (fabrique.NotificationKinds).
CREATE TABLE notification_preferences (
    user_id  bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind     text   NOT NULL CHECK (kind ~ '^[a-z_]{1,40}$'),
    delivery text   NOT NULL CHECK (delivery IN ('immediat', 'resume', 'site')),
    PRIMARY KEY (user_id, kind)
);

-- Links sent for an account (password reset, e-mail verification, e-mail change): only the
-- token's SHA-256 is kept; a token is used once, before it expires.
CREATE TABLE account_tokens (
    token_hash bytea  PRIMARY KEY CHECK (length(token_hash) = 32),
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose    text   NOT NULL CHECK (purpose IN ('reset', 'verify', 'email')),
    new_email  citext, -- for 'email': the address to confirm
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);
CREATE INDEX account_tokens_user_idx ON account_tokens (user_id, purpose);

-- +goose Down
DROP TABLE account_tokens;
DROP TABLE notification_preferences;
DROP TABLE notifications;
DROP TABLE emails;
ALTER TABLE users DROP COLUMN email_verified_at;

-- +goose Up
-- The table scs's pgxstore expects: sessions live in Postgres so any number of app
-- instances can serve the same users.
CREATE TABLE sessions (
    token  text PRIMARY KEY,
    data   bytea NOT NULL,
    expiry timestamptz NOT NULL
);
CREATE INDEX sessions_expiry_idx ON sessions (expiry);

-- Failed logins, counted per address and per account to rate-limit attempts across
-- instances. Old rows are pruned on insert.
CREATE TABLE login_failures (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ip         text   NOT NULL,
    email      citext NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_ip_idx ON login_failures (ip, created_at);
CREATE INDEX login_failures_email_idx ON login_failures (email, created_at);

-- +goose Down
DROP TABLE login_failures;
DROP TABLE sessions;

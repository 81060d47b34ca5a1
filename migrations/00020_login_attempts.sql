-- +goose Up
-- Login and sign-up attempts, counted per client address to rate-limit them across
-- instances (internal/server/auth.go). A login attempt is written before its password is
-- checked, under a lock per address, so a parallel burst cannot get more guesses checked
-- than the limit; a successful login deletes its own row and the earlier failures of the
-- same address on the same account. A login row left is thus a failure (or an attempt
-- still being checked). A sign-up row is kept whatever the outcome.
-- No change notification (migration 00017): no page shows these rows, and a notification
-- would empty the page cache at every login attempt.
CREATE TABLE login_attempts (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind       text   NOT NULL CHECK (kind IN ('login', 'signup')),
    ip         text   NOT NULL,
    email      citext,
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK ((kind = 'login') = (email IS NOT NULL))
);
CREATE INDEX login_attempts_ip_idx ON login_attempts (ip, kind, created_at);
CREATE INDEX login_attempts_created_idx ON login_attempts (created_at);

-- Counted per account alone, these let anyone lock the owner out (issue 10).
DROP TABLE login_failures;

-- +goose Down
CREATE TABLE login_failures (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ip         text   NOT NULL,
    email      citext NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_ip_idx ON login_failures (ip, created_at);
CREATE INDEX login_failures_email_idx ON login_failures (email, created_at);
DROP TABLE login_attempts;

-- +goose Up
-- Accounts (issue 13, DESIGN §3b and §5): password reset, e-mail verification and change.
--
-- session_epoch closes every session of an account at once, on every instance: a session
-- remembers the epoch it logged in at (internal/server), and one older than the account's
-- is logged out at its next request. A password reset or change adds one.
ALTER TABLE users ADD COLUMN session_epoch int NOT NULL DEFAULT 0;

-- Account e-mails are made by a job (handlers never send mail, and a reset request answers
-- the same whether the address has an account): the job's id on the e-mail it made keeps a
-- retried job from making a second one.
ALTER TABLE emails ADD COLUMN job_id bigint UNIQUE;

-- Reset requests are counted per client address like logins and sign-ups.
ALTER TABLE login_attempts DROP CONSTRAINT login_attempts_kind_check;
ALTER TABLE login_attempts ADD CONSTRAINT login_attempts_kind_check CHECK (kind IN ('login', 'signup', 'reset'));

-- +goose Down
DELETE FROM login_attempts WHERE kind = 'reset';
ALTER TABLE login_attempts DROP CONSTRAINT login_attempts_kind_check;
ALTER TABLE login_attempts ADD CONSTRAINT login_attempts_kind_check CHECK (kind IN ('login', 'signup'));
ALTER TABLE emails DROP COLUMN job_id;
ALTER TABLE users DROP COLUMN session_epoch;

-- +goose Up
-- The account a session is logged in as, written by the session store from the session's
-- own data at each commit, so that a request reads its session and its account in one
-- query (internal/postgres/session.go). NULL: nobody, or a session written before.
ALTER TABLE sessions ADD COLUMN user_id bigint;

-- +goose Down
ALTER TABLE sessions DROP COLUMN user_id;

-- A logged-in person's rows in défis' teams and their tiers-lieux are read with their
-- session on a défi's and a commun's page (issue 16): indexes that hold what is read, so
-- that both are index-only scans instead of a heap visit per row.

-- +goose Up
CREATE INDEX challenge_members_user_covering_idx ON challenge_members (user_id) INCLUDE (challenge_id, role, state);
DROP INDEX challenge_members_user_idx;
CREATE INDEX place_members_user_place_idx ON place_members (user_id, place_id);
DROP INDEX place_members_user_idx;

-- +goose Down
CREATE INDEX place_members_user_idx ON place_members (user_id);
DROP INDEX place_members_user_place_idx;
CREATE INDEX challenge_members_user_idx ON challenge_members (user_id);
DROP INDEX challenge_members_user_covering_idx;

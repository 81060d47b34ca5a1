-- +goose Up
-- Tiers-lieux are verified before they are matched (DESIGN.md §3). place_members keeps
-- holding the accepted members only, so every check already written against it (declaring
-- défis and communs, funder profiles) stays a check of accepted membership; the existing
-- rows are the memberships migrated as accepted. A request to join waits in
-- place_requests until an accepted member or a coordinator decides it.
CREATE TABLE place_requests (
    place_id   bigint NOT NULL REFERENCES places (id) ON DELETE CASCADE,
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    state      text   NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'accepted', 'refused')),
    message    text   NOT NULL DEFAULT '' CHECK (length(message) <= 1000),
    created_at timestamptz NOT NULL DEFAULT now(),
    decided_by bigint REFERENCES users (id),
    decided_at timestamptz,
    PRIMARY KEY (place_id, user_id),
    CHECK ((state = 'pending') = (decided_at IS NULL))
);
CREATE INDEX place_requests_pending_idx ON place_requests (place_id, created_at) WHERE state = 'pending';
CREATE INDEX place_requests_user_idx ON place_requests (user_id);
CREATE TRIGGER place_requests_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON place_requests
    FOR EACH STATEMENT EXECUTE FUNCTION fabrique_notify_change();

-- A coordinator verifies a tiers-lieu once: it exists, this is its team.
ALTER TABLE places
    ADD COLUMN verified_at       timestamptz,
    ADD COLUMN verified_by       bigint REFERENCES users (id),
    ADD COLUMN verification_note text NOT NULL DEFAULT '' CHECK (length(verification_note) <= 1000),
    ADD CONSTRAINT places_verified_check CHECK (verified_by IS NULL OR verified_at IS NOT NULL);

-- A pledge in the name of a tiers-lieu records which one: its funder's profile may name
-- another place later, and the pledge keeps the place it was made for. Existing ones take
-- the place their funder's profile names today.
ALTER TABLE pledges ADD COLUMN place_id bigint REFERENCES places (id),
    ADD CONSTRAINT pledges_place_check CHECK (funder_kind = 'tiers-lieu' OR place_id IS NULL);
UPDATE pledges p SET place_id = f.place_id FROM funders f WHERE f.user_id = p.user_id AND p.funder_kind = 'tiers-lieu';
CREATE INDEX pledges_place_idx ON pledges (place_id) WHERE place_id IS NOT NULL;

-- +goose Down
ALTER TABLE pledges DROP COLUMN place_id;
ALTER TABLE places
    DROP CONSTRAINT places_verified_check,
    DROP COLUMN verification_note,
    DROP COLUMN verified_by,
    DROP COLUMN verified_at;
DROP TABLE place_requests;

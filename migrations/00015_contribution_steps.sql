-- +goose Up
-- Paying the development work. A contribution is paid either from its défi's seed budget
-- (commons_id NULL) or from the development funds of a commun (commons_id): the account is
-- chosen when the contribution is logged — from the commun the défi gave rise to once it
-- is in développement — and never changes after, so work logged during the préfiguration
-- stays on the seed budget whenever it is validated. A development contribution may be for
-- one of the commun's steps (step_id), whose "spent" it then counts in.
ALTER TABLE steps ADD CONSTRAINT steps_id_commons_key UNIQUE (id, commons_id);

ALTER TABLE contributions
    ADD COLUMN commons_id bigint REFERENCES commons (id),
    ADD COLUMN step_id    bigint,
    -- the step belongs to the commun that pays (checked only when step_id is set)
    ADD CONSTRAINT contributions_step_fk FOREIGN KEY (step_id, commons_id) REFERENCES steps (id, commons_id),
    ADD CONSTRAINT contributions_step_commons CHECK (step_id IS NULL OR commons_id IS NOT NULL);
-- What a commun's funds have reserved: validated, unpaid contributions of every défi
-- drawing on them.
CREATE INDEX contributions_commons_idx ON contributions (commons_id, state) WHERE commons_id IS NOT NULL;
CREATE INDEX contributions_step_idx ON contributions (step_id, state) WHERE step_id IS NOT NULL;

-- A défi gives rise to one commun at most (several défis may lead to the same commun).
CREATE UNIQUE INDEX challenge_commons_one_origin ON challenge_commons (challenge_id) WHERE relation = 'origine';

-- +goose Down
DROP INDEX challenge_commons_one_origin;
DROP INDEX contributions_step_idx;
DROP INDEX contributions_commons_idx;
ALTER TABLE contributions
    DROP CONSTRAINT contributions_step_commons,
    DROP CONSTRAINT contributions_step_fk,
    DROP COLUMN step_id,
    DROP COLUMN commons_id;
ALTER TABLE steps DROP CONSTRAINT steps_id_commons_key;

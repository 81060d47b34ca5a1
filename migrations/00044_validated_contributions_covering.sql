-- The coordination's sums over the validated contributions (payments due, budgets near
-- their end, the payment batch) read every validated row: with what they read in the
-- index, an index-only scan instead of a heap visit per row (budgets near their end 330 →
-- 180 ms at 10 000 défis, EXPLAIN ANALYZE).

-- +goose Up
CREATE INDEX contributions_validated_idx ON contributions (challenge_id)
    INCLUDE (user_id, amount, reserved, volunteer, statement_id, commons_id) WHERE state = 'validee';
DROP INDEX contributions_to_pay_idx;

-- +goose Down
CREATE INDEX contributions_to_pay_idx ON contributions (challenge_id) WHERE state = 'validee';
DROP INDEX contributions_validated_idx;

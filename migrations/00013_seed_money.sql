-- +goose Up
-- Money of the amorçage phase. Balances live in the ledger (00012); these tables hold the
-- decisions that move money, each posted in the same transaction as its ledger movement.

-- The day rate of a défi's budget, in cents HT (230,00 € by default), set per budget and
-- snapshotted on each contribution.
ALTER TABLE challenges ADD COLUMN day_rate bigint NOT NULL DEFAULT 23000 CHECK (day_rate > 0 AND day_rate <= 1000000);

-- A porteur's request for a seed budget, and the coordination's decision.
CREATE TABLE seed_requests (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    challenge_id    bigint NOT NULL REFERENCES challenges (id),
    requested_by    bigint NOT NULL REFERENCES users (id),
    amount          bigint NOT NULL CHECK (amount > 0),
    plan            text   NOT NULL CHECK (length(plan) BETWEEN 1 AND 20000),
    state           text   NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'refused')),
    approved_amount bigint CHECK (approved_amount > 0 AND approved_amount <= amount),
    fund_year       int,
    note            text   NOT NULL DEFAULT '',
    decided_by      bigint REFERENCES users (id),
    decided_at      timestamptz,
    ledger_tx_id    bigint REFERENCES ledger_transactions (id),
    created_at      timestamptz NOT NULL DEFAULT now(),
    CHECK ((state = 'approved') = (approved_amount IS NOT NULL AND ledger_tx_id IS NOT NULL AND fund_year IS NOT NULL)),
    CHECK ((state = 'pending') = (decided_at IS NULL))
);
-- One open request per défi at a time.
CREATE UNIQUE INDEX seed_requests_one_pending ON seed_requests (challenge_id) WHERE state = 'pending';
CREATE INDEX seed_requests_challenge_idx ON seed_requests (challenge_id, created_at DESC);
CREATE INDEX seed_requests_pending_idx ON seed_requests (created_at) WHERE state = 'pending';

-- A team member's logged work ("Loot's job"): days in quarter-days, paid at the snapshotted
-- day rate unless volunteer (bénévole). declaree → validee → payee, or refusee.
CREATE TABLE contributions (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    challenge_id  bigint NOT NULL REFERENCES challenges (id),
    user_id       bigint NOT NULL REFERENCES users (id),
    worked_on     date   NOT NULL,
    quarters      int    NOT NULL CHECK (quarters BETWEEN 1 AND 124),
    activity      text   NOT NULL,
    description   text   NOT NULL DEFAULT '',
    volunteer     boolean NOT NULL DEFAULT false,
    day_rate      bigint NOT NULL CHECK (day_rate > 0),
    amount        bigint NOT NULL CHECK (amount >= 0),
    state         text   NOT NULL DEFAULT 'declaree' CHECK (state IN ('declaree', 'validee', 'payee', 'refusee')),
    reason        text   NOT NULL DEFAULT '',
    validated_by  bigint REFERENCES users (id),
    validated_at  timestamptz,
    paid_by       bigint REFERENCES users (id),
    paid_on       date,
    reference     text   NOT NULL DEFAULT '',
    ledger_tx_id  bigint UNIQUE REFERENCES ledger_transactions (id),
    created_at    timestamptz NOT NULL DEFAULT now(),
    CHECK (volunteer = (amount = 0)),
    CHECK (validated_by IS NULL OR validated_by <> user_id), -- four eyes
    CHECK ((state = 'payee') = (paid_on IS NOT NULL)),
    CHECK (state <> 'payee' OR volunteer OR ledger_tx_id IS NOT NULL)
);
CREATE INDEX contributions_challenge_idx ON contributions (challenge_id, worked_on DESC, id DESC);
CREATE INDEX contributions_user_idx ON contributions (user_id, worked_on DESC, id DESC);
CREATE INDEX contributions_to_pay_idx ON contributions (challenge_id) WHERE state = 'validee';

-- Every privileged decision, for the coordination's audit trail.
CREATE TABLE audit_log (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id     bigint REFERENCES users (id),
    action      text   NOT NULL,
    target_type text   NOT NULL,
    target_id   bigint,
    detail      text   NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_created_idx ON audit_log (created_at DESC, id DESC);
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();

-- +goose Down
DROP TABLE audit_log;
DROP TABLE contributions;
DROP TABLE seed_requests;
ALTER TABLE challenges DROP COLUMN day_rate;

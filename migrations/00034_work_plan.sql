-- +goose Up
-- The coordination's work plan (DESIGN §5 /coordination/plan, /coordination/temps; issue
-- 15): days planned per service and year, the days a coordinator logs against a service
-- (optionally a commun), validated by another coordinator and paid at the day rate from
-- the programme's operating account of the year — a ledger account funded like the seed
-- fund.
CREATE TABLE work_plan (
    year       int  NOT NULL CHECK (year BETWEEN 2020 AND 2100),
    service    text NOT NULL CHECK (service IN ('animation-defis', 'amorcage', 'cofinancement', 'ressources-et-vous', 'residences')),
    quarters   int  NOT NULL CHECK (quarters BETWEEN 0 AND 4 * 366),
    updated_by bigint REFERENCES users (id),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (year, service)
);

CREATE TABLE coordination_time (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      bigint NOT NULL REFERENCES users (id),
    worked_on    date   NOT NULL,
    service      text   NOT NULL CHECK (service IN ('animation-defis', 'amorcage', 'cofinancement', 'ressources-et-vous', 'residences')),
    quarters     int    NOT NULL CHECK (quarters BETWEEN 1 AND 4 * 5),
    description  text   NOT NULL CHECK (length(description) BETWEEN 1 AND 2000),
    commons_id   bigint REFERENCES commons (id),
    day_rate     bigint NOT NULL CHECK (day_rate > 0),
    amount       bigint NOT NULL CHECK (amount > 0),
    state        text   NOT NULL DEFAULT 'declaree' CHECK (state IN ('declaree', 'validee', 'refusee', 'payee')),
    reason       text   NOT NULL DEFAULT '',
    validated_by bigint REFERENCES users (id),
    validated_at timestamptz,
    paid_by      bigint REFERENCES users (id),
    paid_on      date,
    reference    text   NOT NULL DEFAULT '',
    ledger_tx_id bigint REFERENCES ledger_transactions (id),
    created_at   timestamptz NOT NULL DEFAULT now(),
    -- four eyes, in the schema too: nobody validates or pays their own days
    CHECK (validated_by IS DISTINCT FROM user_id),
    CHECK (paid_by IS DISTINCT FROM user_id),
    CHECK ((state = 'payee') = (ledger_tx_id IS NOT NULL))
);
CREATE INDEX coordination_time_year_idx ON coordination_time (worked_on DESC, id DESC);
CREATE INDEX coordination_time_user_idx ON coordination_time (user_id, worked_on DESC);
CREATE TRIGGER work_plan_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON work_plan
    FOR EACH STATEMENT EXECUTE FUNCTION fabrique_notify_change();
CREATE TRIGGER coordination_time_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON coordination_time
    FOR EACH STATEMENT EXECUTE FUNCTION fabrique_notify_change();

-- The operating account of a year, and its movements: funded (or lowered) like the seed
-- fund, paying the coordination's validated days.
ALTER TABLE ledger_accounts DROP CONSTRAINT ledger_accounts_kind_check,
    ADD CONSTRAINT ledger_accounts_kind_check CHECK (kind IN ('seed_fund', 'seed_budget', 'commons_funds', 'matching_pool', 'operating', 'outside')),
    DROP CONSTRAINT ledger_accounts_check,
    ADD CONSTRAINT ledger_accounts_check CHECK ((kind IN ('seed_fund', 'operating')) = (year IS NOT NULL));
ALTER TABLE ledger_transactions DROP CONSTRAINT ledger_transactions_kind_check,
    ADD CONSTRAINT ledger_transactions_kind_check CHECK (kind IN ('fund_allocation', 'seed_grant', 'payment', 'pledge', 'matching', 'pool_funding', 'reversal', 'operating_allocation', 'coordination_payment'));

-- +goose Down
ALTER TABLE ledger_transactions DROP CONSTRAINT ledger_transactions_kind_check,
    ADD CONSTRAINT ledger_transactions_kind_check CHECK (kind IN ('fund_allocation', 'seed_grant', 'payment', 'pledge', 'matching', 'pool_funding', 'reversal'));
ALTER TABLE ledger_accounts DROP CONSTRAINT ledger_accounts_kind_check,
    ADD CONSTRAINT ledger_accounts_kind_check CHECK (kind IN ('seed_fund', 'seed_budget', 'commons_funds', 'matching_pool', 'outside')),
    DROP CONSTRAINT ledger_accounts_check,
    ADD CONSTRAINT ledger_accounts_check CHECK ((kind = 'seed_fund') = (year IS NOT NULL));
DROP TABLE coordination_time;
DROP TABLE work_plan;

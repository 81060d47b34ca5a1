-- +goose Up
-- The ledger: append-only, double-entry, integer cents. A movement is one transaction
-- whose entries sum to zero; an account's balance is the sum of its entries. Nothing is
-- updated or deleted: a mistake is corrected by a reversing transaction.
CREATE TABLE ledger_accounts (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind         text NOT NULL CHECK (kind IN ('seed_fund', 'seed_budget', 'commons_funds', 'matching_pool', 'outside')),
    year         int,
    challenge_id bigint REFERENCES challenges (id),
    commons_id   bigint REFERENCES commons (id),
    call_id      bigint,
    name         text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    -- each account is named by exactly the reference of its kind
    CHECK ((kind = 'seed_fund') = (year IS NOT NULL)),
    CHECK ((kind = 'seed_budget') = (challenge_id IS NOT NULL)),
    CHECK ((kind = 'commons_funds') = (commons_id IS NOT NULL)),
    CHECK ((kind = 'matching_pool') = (call_id IS NOT NULL)),
    UNIQUE NULLS NOT DISTINCT (kind, year, challenge_id, commons_id, call_id)
);

CREATE TABLE ledger_transactions (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind        text   NOT NULL CHECK (kind IN ('fund_allocation', 'seed_grant', 'payment', 'pledge', 'matching', 'pool_funding', 'reversal')),
    amount      bigint NOT NULL CHECK (amount > 0),
    cause_type  text   NOT NULL,
    cause_id    bigint,
    memo        text   NOT NULL DEFAULT '',
    reference   text   NOT NULL DEFAULT '',
    user_id     bigint REFERENCES users (id),
    occurred_on date   NOT NULL DEFAULT current_date,
    reverses_id bigint UNIQUE REFERENCES ledger_transactions (id),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ledger_transactions_cause_idx ON ledger_transactions (cause_type, cause_id);
CREATE INDEX ledger_transactions_occurred_idx ON ledger_transactions (occurred_on DESC, id DESC);

CREATE TABLE ledger_entries (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    transaction_id bigint NOT NULL REFERENCES ledger_transactions (id),
    account_id     bigint NOT NULL REFERENCES ledger_accounts (id),
    amount         bigint NOT NULL CHECK (amount <> 0) -- positive: money into the account
);
CREATE INDEX ledger_entries_account_idx ON ledger_entries (account_id, transaction_id);
CREATE INDEX ledger_entries_transaction_idx ON ledger_entries (transaction_id);

-- Nothing in the ledger is ever changed or removed.
-- +goose StatementBegin
CREATE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the ledger is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER ledger_transactions_append_only BEFORE UPDATE OR DELETE ON ledger_transactions
    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER ledger_accounts_append_only BEFORE UPDATE OR DELETE ON ledger_accounts
    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();

-- At commit, every transaction touched has at least two entries summing to zero, and
-- moves exactly its amount.
-- +goose StatementBegin
CREATE FUNCTION ledger_check_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    total bigint;
    moved bigint;
    n     int;
    want  bigint;
BEGIN
    SELECT coalesce(sum(amount), 0), coalesce(sum(amount) FILTER (WHERE amount > 0), 0), count(*)
      INTO total, moved, n
      FROM ledger_entries WHERE transaction_id = NEW.transaction_id;
    SELECT amount INTO want FROM ledger_transactions WHERE id = NEW.transaction_id;
    IF n < 2 OR total <> 0 OR moved <> want THEN
        RAISE EXCEPTION 'ledger transaction % is unbalanced (% entries, sum %, moved % of %)',
            NEW.transaction_id, n, total, moved, want USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE CONSTRAINT TRIGGER ledger_entries_balanced AFTER INSERT ON ledger_entries
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_check_balanced();

-- A transaction without entries would escape the entry trigger: check it too.
-- +goose StatementBegin
CREATE FUNCTION ledger_check_has_entries() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM ledger_entries WHERE transaction_id = NEW.id) THEN
        RAISE EXCEPTION 'ledger transaction % has no entries', NEW.id USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE CONSTRAINT TRIGGER ledger_transactions_have_entries AFTER INSERT ON ledger_transactions
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_check_has_entries();

-- +goose Down
DROP TABLE ledger_entries;
DROP TABLE ledger_transactions;
DROP TABLE ledger_accounts;
DROP FUNCTION ledger_check_has_entries();
DROP FUNCTION ledger_check_balanced();
DROP FUNCTION ledger_append_only();

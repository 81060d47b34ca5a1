-- +goose Up
-- Each account's balance, kept by the ledger itself: the transparency page summed every
-- entry of every account on each view (5 900 accounts, 90 000 entries in the benchmark:
-- 22 ms alone, 57 ms under load). Entries are append-only, so adding each statement's
-- new entries is the whole upkeep; the sum of the entries stays the truth, and
-- LedgerTotal checks both agree.
-- The outside world's account is left out: every payment, pledge and allocation moves
-- money through it, and keeping its balance would make them all wait on one row.
-- Rows are updated in account order within a statement, and the app posts a
-- transaction's movements in a fixed order (postMatching), so two transactions never
-- wait on each other's balances in opposite orders.
CREATE TABLE ledger_balances (
    account_id bigint PRIMARY KEY REFERENCES ledger_accounts (id),
    balance    bigint NOT NULL
);

INSERT INTO ledger_balances (account_id, balance)
SELECT e.account_id, sum(e.amount)
FROM ledger_entries e JOIN ledger_accounts a ON a.id = e.account_id
WHERE a.kind <> 'outside'
GROUP BY e.account_id;

-- +goose StatementBegin
CREATE FUNCTION ledger_add_to_balances() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO ledger_balances AS b (account_id, balance)
    SELECT n.account_id, sum(n.amount)
    FROM new_entries n JOIN ledger_accounts a ON a.id = n.account_id
    WHERE a.kind <> 'outside'
    GROUP BY n.account_id
    ORDER BY n.account_id
    ON CONFLICT (account_id) DO UPDATE SET balance = b.balance + excluded.balance;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER ledger_entries_add_to_balances AFTER INSERT ON ledger_entries
    REFERENCING NEW TABLE AS new_entries
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_add_to_balances();

-- Nothing but that trigger writes a balance.
-- +goose StatementBegin
CREATE FUNCTION ledger_balances_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF pg_trigger_depth() < 2 THEN
        RAISE EXCEPTION 'ledger_balances is kept by the ledger: post entries instead'
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER ledger_balances_guard BEFORE INSERT OR UPDATE OR DELETE ON ledger_balances
    FOR EACH ROW EXECUTE FUNCTION ledger_balances_guard();
CREATE TRIGGER ledger_balances_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ledger_balances
    FOR EACH STATEMENT EXECUTE FUNCTION fabrique_notify_change();

-- +goose Down
DROP TRIGGER ledger_entries_add_to_balances ON ledger_entries;
DROP FUNCTION ledger_add_to_balances();
DROP TABLE ledger_balances;
DROP FUNCTION ledger_balances_guard();

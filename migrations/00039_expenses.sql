-- +goose Up
-- Paying people as they are actually paid (DESIGN §3, issue 17), third part: expenses on
-- receipts (travel to a résidence…), reimbursed like an invoice from the budget that pays
-- the défi's work, or waived — the renunciation recorded — and then, when the association
-- says it may issue them, acknowledged by a numbered donation receipt.
CREATE TABLE expenses (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    challenge_id   bigint NOT NULL REFERENCES challenges (id),
    user_id        bigint NOT NULL REFERENCES users (id),
    commons_id     bigint REFERENCES commons (id), -- the commun whose funds pay; NULL: the seed budget
    spent_on       date   NOT NULL,
    description    text   NOT NULL CHECK (length(description) BETWEEN 1 AND 1000),
    amount         bigint NOT NULL CHECK (amount > 0 AND amount <= 1000000),
    document_id    bigint NOT NULL REFERENCES documents (id),
    waived         boolean NOT NULL DEFAULT false,
    waiver_text    text   NOT NULL DEFAULT '',
    state          text   NOT NULL DEFAULT 'declaree' CHECK (state IN ('declaree', 'validee', 'remboursee', 'refusee')),
    reason         text   NOT NULL DEFAULT '' CHECK (length(reason) <= 2000),
    validated_by   bigint REFERENCES users (id),
    validated_at   timestamptz,
    paid_by        bigint REFERENCES users (id),
    paid_on        date,
    reference      text   NOT NULL DEFAULT '' CHECK (length(reference) <= 100),
    ledger_tx_id   bigint UNIQUE REFERENCES ledger_transactions (id),
    receipt_number text   UNIQUE CHECK (receipt_number ~ '^RF-[0-9]{4}-[0-9]{4,}$'),
    receipt_by     bigint REFERENCES users (id),
    receipt_at     timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now(),
    CHECK (validated_by IS DISTINCT FROM user_id), -- four eyes
    CHECK (paid_by IS DISTINCT FROM user_id),
    CHECK (receipt_by IS DISTINCT FROM user_id),
    CHECK (waived = (waiver_text <> '')),
    CHECK (NOT waived OR state <> 'remboursee'),
    CHECK ((state = 'remboursee') = (ledger_tx_id IS NOT NULL AND paid_on IS NOT NULL)),
    CHECK (receipt_number IS NULL OR (waived AND state = 'validee'))
);
CREATE INDEX expenses_challenge_idx ON expenses (challenge_id, created_at DESC);
CREATE INDEX expenses_reserved_idx ON expenses (challenge_id, commons_id) WHERE state = 'validee' AND NOT waived;
CREATE TRIGGER expenses_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON expenses
    FOR EACH STATEMENT EXECUTE FUNCTION fabrique_notify_change();

-- Donation receipts, numbered without gap within a year.
CREATE TABLE receipt_counters (
    year int PRIMARY KEY,
    last int NOT NULL CHECK (last > 0)
);
CREATE TRIGGER receipt_counters_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON receipt_counters
    FOR EACH STATEMENT EXECUTE FUNCTION fabrique_notify_change();

-- Whether the association may issue donation receipts (an organisation of general
-- interest, articles 200 and 238 bis of the CGI): it says so, the platform does not judge.
ALTER TABLE billing_settings ADD COLUMN donation_receipts boolean NOT NULL DEFAULT false;

-- +goose Down
ALTER TABLE billing_settings DROP COLUMN donation_receipts;
DROP TABLE receipt_counters;
DROP TABLE expenses;

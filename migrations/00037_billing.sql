-- +goose Up
-- Paying people as they are actually paid (DESIGN §3, issue 17), first part: how each
-- person is paid (billing profiles), the association's identity on what it issues and
-- whether it recovers VAT, what validation reserves (HT plus the VAT the profile adds),
-- and the numbered statements to invoice (relevés à facturer).

-- How a person is paid: who invoices their days, with what VAT. Several over time, one
-- current; a profile used by a statement is never changed (a new one is added instead).
CREATE TABLE billing_profiles (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id     bigint NOT NULL REFERENCES users (id),
    kind        text   NOT NULL CHECK (kind IN ('cae', 'micro', 'employeur', 'association')),
    legal_name  text   NOT NULL CHECK (length(legal_name) BETWEEN 1 AND 200),
    trade_name  text   NOT NULL DEFAULT '' CHECK (length(trade_name) <= 200),
    siret       text   NOT NULL CHECK (siret ~ '^[0-9]{14}$'),
    vat_number  text   NOT NULL DEFAULT '' CHECK (vat_number = '' OR vat_number ~ '^FR[0-9]{11}$'),
    vat_regime  text   NOT NULL CHECK (vat_regime IN ('assujetti', 'franchise_293b', 'exonere')),
    vat_rate    int    NOT NULL DEFAULT 0 CHECK (vat_rate IN (0, 210, 550, 1000, 2000)),
    current     boolean NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CHECK ((vat_regime = 'assujetti') = (vat_rate > 0))
);
CREATE UNIQUE INDEX billing_profiles_one_current ON billing_profiles (user_id) WHERE current;
CREATE INDEX billing_profiles_user_idx ON billing_profiles (user_id, created_at DESC);
CREATE TRIGGER billing_profiles_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON billing_profiles
    FOR EACH STATEMENT EXECUTE FUNCTION fabrique_notify_change();

-- The association's identity on its statements, and whether it recovers VAT (off: the
-- budgets, ceilings and the ledger are cash, TTC). One row. Its SIREN is the books' one
-- (books_settings.siren): one number, whichever form sets it.
CREATE TABLE billing_settings (
    id              int  PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    legal_name      text NOT NULL DEFAULT '' CHECK (length(legal_name) <= 200),
    address         text NOT NULL DEFAULT '' CHECK (length(address) <= 500),
    vat_recoverable boolean NOT NULL DEFAULT false,
    updated_at      timestamptz NOT NULL DEFAULT now()
);
INSERT INTO billing_settings DEFAULT VALUES;
CREATE TRIGGER billing_settings_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON billing_settings
    FOR EACH STATEMENT EXECUTE FUNCTION fabrique_notify_change();

-- Statement numbers, continuous within a year and never reused: the counter moves in the
-- transaction that issues the statement, under its row's lock.
CREATE TABLE statement_counters (
    year int PRIMARY KEY,
    last int NOT NULL CHECK (last > 0)
);
CREATE TRIGGER statement_counters_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON statement_counters
    FOR EACH STATEMENT EXECUTE FUNCTION fabrique_notify_change();

-- A statement to invoice: one person's validated days on one budget, with the profile
-- that invoices them and the association's identity as they were when it was issued.
CREATE TABLE statements (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    number             text   NOT NULL UNIQUE CHECK (number ~ '^FAB-[0-9]{4}-[0-9]{4,}$'),
    year               int    NOT NULL,
    seq                int    NOT NULL CHECK (seq > 0),
    user_id            bigint NOT NULL REFERENCES users (id),
    billing_profile_id bigint NOT NULL REFERENCES billing_profiles (id),
    challenge_id       bigint NOT NULL REFERENCES challenges (id), -- the défi the days were worked on
    commons_id         bigint REFERENCES commons (id),             -- the commun whose funds pay; NULL: the seed budget
    total_ht           bigint NOT NULL CHECK (total_ht > 0),
    quarters           int    NOT NULL CHECK (quarters > 0),
    issuer_name        text   NOT NULL,
    issuer_address     text   NOT NULL,
    issuer_siren       text   NOT NULL,
    created_at         timestamptz NOT NULL DEFAULT now(),
    UNIQUE (year, seq)
);
CREATE INDEX statements_user_idx ON statements (user_id, created_at DESC);
CREATE TRIGGER statements_append_only BEFORE UPDATE OR DELETE ON statements
    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER statements_no_truncate BEFORE TRUNCATE ON statements
    FOR EACH STATEMENT EXECUTE FUNCTION fabrique_refuse_truncate();
CREATE TRIGGER statements_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON statements
    FOR EACH STATEMENT EXECUTE FUNCTION fabrique_notify_change();

-- What validation reserves (HT + the estimated VAT, at vat_rate) and what was paid; the
-- statement the contribution is billed on, once. Before this change validation reserved
-- the HT and a payment paid it: those rows keep it so.
ALTER TABLE contributions
    ADD COLUMN reserved     bigint NOT NULL DEFAULT 0 CHECK (reserved >= 0),
    ADD COLUMN vat_rate     int    NOT NULL DEFAULT 0 CHECK (vat_rate >= 0),
    ADD COLUMN paid_amount  bigint NOT NULL DEFAULT 0 CHECK (paid_amount >= 0),
    ADD COLUMN statement_id bigint REFERENCES statements (id);
UPDATE contributions SET reserved = amount WHERE state IN ('validee', 'payee');
UPDATE contributions SET paid_amount = amount WHERE state = 'payee';
ALTER TABLE contributions
    ADD CONSTRAINT contributions_statement_validated CHECK (statement_id IS NULL OR (state IN ('validee', 'payee') AND NOT volunteer)),
    -- validated or paid work reserves at least its HT
    ADD CONSTRAINT contributions_reserved CHECK (state NOT IN ('validee', 'payee') OR reserved >= amount);
CREATE INDEX contributions_statement_idx ON contributions (statement_id) WHERE statement_id IS NOT NULL;

-- +goose Down
DROP INDEX contributions_statement_idx;
ALTER TABLE contributions
    DROP CONSTRAINT contributions_reserved,
    DROP CONSTRAINT contributions_statement_validated,
    DROP COLUMN statement_id,
    DROP COLUMN paid_amount,
    DROP COLUMN vat_rate,
    DROP COLUMN reserved;
DROP TABLE statements;
DROP TABLE statement_counters;
DROP TABLE billing_settings;
DROP TABLE billing_profiles;

-- +goose Up
-- Paying people as they are actually paid (DESIGN §3, issue 17), second part: the
-- invoices that answer the statements, their documents, their check and their payment in
-- one ledger movement for the TTC.

-- A document uploaded (an invoice's PDF, a receipt): kept append-only (10 years), its
-- bytes in PostgreSQL, or in an S3-compatible store under storage_key when one is set.
CREATE TABLE documents (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sha256       text   NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    content_type text   NOT NULL,
    size         bigint NOT NULL CHECK (size > 0 AND size <= 10485760),
    name         text   NOT NULL DEFAULT '' CHECK (length(name) <= 200),
    data         bytea,
    storage_key  text,
    uploaded_by  bigint NOT NULL REFERENCES users (id),
    created_at   timestamptz NOT NULL DEFAULT now(),
    CHECK ((data IS NULL) <> (storage_key IS NULL))
);
CREATE INDEX documents_sha256_idx ON documents (sha256);
CREATE TRIGGER documents_append_only BEFORE UPDATE OR DELETE ON documents
    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER documents_no_truncate BEFORE TRUNCATE ON documents
    FOR EACH STATEMENT EXECUTE FUNCTION fabrique_refuse_truncate();
CREATE TRIGGER documents_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON documents
    FOR EACH STATEMENT EXECUTE FUNCTION fabrique_notify_change();

-- The invoice a statement's author uploads: one per statement, its file replaced while it
-- is to be corrected. The same number of the same issuer is never recorded twice, so never
-- paid twice. Checked (bon à payer, à corriger) and paid by a coordinator who is not its
-- author.
CREATE TABLE invoices (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    statement_id bigint NOT NULL UNIQUE REFERENCES statements (id),
    user_id      bigint NOT NULL REFERENCES users (id),
    issuer_siret text   NOT NULL CHECK (issuer_siret ~ '^[0-9]{14}$'),
    issuer_name  text   NOT NULL,
    number       text   NOT NULL CHECK (length(number) BETWEEN 1 AND 60),
    issued_on    date   NOT NULL,
    due_on       date   NOT NULL CHECK (due_on >= issued_on),
    amount_ht    bigint NOT NULL CHECK (amount_ht > 0),
    vat          bigint NOT NULL CHECK (vat >= 0),
    amount_ttc   bigint NOT NULL CHECK (amount_ttc = amount_ht + vat),
    vat_mention  text   NOT NULL DEFAULT '' CHECK (length(vat_mention) <= 300),
    document_id  bigint NOT NULL REFERENCES documents (id),
    state        text   NOT NULL DEFAULT 'deposee' CHECK (state IN ('deposee', 'bon_a_payer', 'a_corriger', 'payee')),
    reason       text   NOT NULL DEFAULT '' CHECK (length(reason) <= 2000),
    checked_by   bigint REFERENCES users (id),
    checked_at   timestamptz,
    paid_by      bigint REFERENCES users (id),
    paid_on      date,
    reference    text   NOT NULL DEFAULT '' CHECK (length(reference) <= 100),
    ledger_tx_id bigint UNIQUE REFERENCES ledger_transactions (id),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (issuer_siret, number),
    CHECK (checked_by IS DISTINCT FROM user_id), -- four eyes
    CHECK (paid_by IS DISTINCT FROM user_id),
    CHECK ((state = 'payee') = (ledger_tx_id IS NOT NULL AND paid_on IS NOT NULL)),
    CHECK (state <> 'a_corriger' OR reason <> '')
);
CREATE INDEX invoices_to_pay_idx ON invoices (due_on, id) WHERE state = 'bon_a_payer';
CREATE INDEX invoices_user_idx ON invoices (user_id, created_at DESC);
CREATE TRIGGER invoices_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON invoices
    FOR EACH STATEMENT EXECUTE FUNCTION fabrique_notify_change();

-- The contributions of an invoice are paid by its one movement: several rows share it.
ALTER TABLE contributions DROP CONSTRAINT contributions_ledger_tx_id_key;
CREATE INDEX contributions_ledger_tx_idx ON contributions (ledger_tx_id) WHERE ledger_tx_id IS NOT NULL;

-- The VAT an association that recovers it pays on invoices: a claim on the State, paid
-- out of this account (its balance below zero) as a payment, the HT out of the budget.
ALTER TABLE ledger_accounts DROP CONSTRAINT ledger_accounts_kind_check,
    ADD CONSTRAINT ledger_accounts_kind_check CHECK (kind IN ('seed_fund', 'seed_budget', 'commons_funds', 'matching_pool', 'operating', 'vat_deductible', 'outside'));

-- +goose Down
ALTER TABLE ledger_accounts DROP CONSTRAINT ledger_accounts_kind_check,
    ADD CONSTRAINT ledger_accounts_kind_check CHECK (kind IN ('seed_fund', 'seed_budget', 'commons_funds', 'matching_pool', 'operating', 'outside'));
DROP INDEX contributions_ledger_tx_idx;
ALTER TABLE contributions ADD CONSTRAINT contributions_ledger_tx_id_key UNIQUE (ledger_tx_id);
DROP TABLE invoices;
DROP TABLE documents;

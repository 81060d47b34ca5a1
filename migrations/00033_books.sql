-- +goose Up
-- The books (DESIGN §3 « Books », issue 15): how the ledger's accounts read in the
-- association's chart of accounts, for the FEC-shaped export its accountant imports. One
-- row: the association's SIREN, the journal, and per kind of ledger account its account
-- number and label. Changes are audit-logged.
CREATE TABLE books_settings (
    id            int  PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    siren         text NOT NULL DEFAULT '' CHECK (siren = '' OR siren ~ '^[0-9]{9}$'),
    journal_code  text NOT NULL DEFAULT 'FAB' CHECK (journal_code ~ '^[A-Z0-9]{1,10}$'),
    journal_label text NOT NULL DEFAULT 'Fabrique à communs' CHECK (length(journal_label) BETWEEN 1 AND 100),
    accounts      jsonb NOT NULL DEFAULT '{}', -- ledger account kind → {"num": "512", "label": "Banque"}
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER books_settings_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON books_settings
    FOR EACH STATEMENT EXECUTE FUNCTION fabrique_notify_change();

-- +goose Down
DROP TABLE books_settings;

-- +goose Up
-- How a funder pays a pledge made in a call: the payee, the IBAN and the prefix of the
-- reference to write on the transfer (the pledge's number follows it), set by the
-- coordination. Empty while not set: the pages then say the coordination will tell.
ALTER TABLE calls
    ADD COLUMN payee            text NOT NULL DEFAULT '' CHECK (length(payee) <= 160),
    ADD COLUMN iban             text NOT NULL DEFAULT '' CHECK (iban ~ '^([A-Z]{2}[0-9]{2}[A-Z0-9]{10,30})?$'),
    ADD COLUMN reference_prefix text NOT NULL DEFAULT '' CHECK (reference_prefix ~ '^[A-Z0-9-]{0,20}$');

-- +goose Down
ALTER TABLE calls DROP COLUMN payee, DROP COLUMN iban, DROP COLUMN reference_prefix;

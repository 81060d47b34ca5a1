-- +goose Up
-- A tiers-lieu's own page says what it is (description, Markdown), where it is (postal
-- address) and how to reach it (contact: an e-mail or a phone number, which the page
-- shows to logged-in people only). The bounds are the domain's (internal/fabrique),
-- repeated here so that no path around it stores more.
ALTER TABLE places
    ADD COLUMN description text NOT NULL DEFAULT '' CHECK (length(description) <= 5000),
    ADD COLUMN address     text NOT NULL DEFAULT '' CHECK (length(address) <= 300),
    ADD COLUMN contact     text NOT NULL DEFAULT '' CHECK (length(contact) <= 254);

-- +goose Down
ALTER TABLE places
    DROP COLUMN contact,
    DROP COLUMN address,
    DROP COLUMN description;

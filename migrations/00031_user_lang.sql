-- +goose Up
-- The language a person reads the site in, remembered when they choose it or log in, so
-- that their e-mails — written by jobs, outside any request — are in it too (DESIGN §3b).
ALTER TABLE users ADD COLUMN lang text NOT NULL DEFAULT 'fr' CHECK (lang IN ('fr', 'en'));

-- +goose Down
ALTER TABLE users DROP COLUMN lang;

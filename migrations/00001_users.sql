-- +goose Up
CREATE EXTENSION IF NOT EXISTS citext;

CREATE TABLE users (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email         citext NOT NULL UNIQUE CHECK (length(email) BETWEEN 3 AND 254),
    display_name  text   NOT NULL CHECK (length(display_name) BETWEEN 1 AND 80),
    password_hash text   NOT NULL,
    role          text   NOT NULL DEFAULT 'contributor' CHECK (role IN ('contributor', 'coordinator')),
    created_at    timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE users;
DROP EXTENSION IF EXISTS citext;

-- +goose Up
-- French full-text search of défis: accents folded (numerique finds numériques) then
-- French stemming (outil finds outils). The configuration is ours, so the generated
-- column only depends on immutable pieces.
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE TEXT SEARCH CONFIGURATION fabrique_fr (COPY = pg_catalog.french);
ALTER TEXT SEARCH CONFIGURATION fabrique_fr
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;

ALTER TABLE challenges ADD COLUMN search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('fabrique_fr', coalesce(title, '')), 'A') ||
    setweight(to_tsvector('fabrique_fr', coalesce(summary, '')), 'B') ||
    setweight(to_tsvector('fabrique_fr', coalesce(problem, '')), 'C')
) STORED;
CREATE INDEX challenges_search_idx ON challenges USING gin (search);

-- +goose Down
DROP INDEX challenges_search_idx;
ALTER TABLE challenges DROP COLUMN search;
DROP TEXT SEARCH CONFIGURATION fabrique_fr;
DROP EXTENSION IF EXISTS unaccent;

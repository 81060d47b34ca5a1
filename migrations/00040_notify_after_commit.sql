-- The change notification of migration 00017 held up every write: PostgreSQL serialises
-- the commits of transactions that NOTIFY on one lock (on object 0 of pg_database), held
-- through the commit's WAL flush, so writes committed one at a time whatever the number
-- of connections. A transaction of the app that says it will announce its change itself,
-- once committed (withTx: SET LOCAL fabrique.notify_after_commit), is no longer announced
-- by its triggers; every other write (psql, a job, an autocommit statement) still is.

-- +goose Up
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION fabrique_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('fabrique.notify_after_commit', true) IS DISTINCT FROM 'on' THEN
        PERFORM pg_notify('fabrique_change', '');
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION fabrique_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('fabrique_change', '');
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- withTx asked, before each COMMIT, whether the transaction had written a notified table
-- by reading pg_locks: that view takes every partition lock of the lock manager, so each
-- write made all the others wait while it looked. The triggers now note the change in
-- the transaction itself (a transaction-local setting, undone with a rolled-back
-- savepoint as the write is) when the transaction announces its change after its commit.

-- +goose Up
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION fabrique_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('fabrique.notify_after_commit', true) IS DISTINCT FROM 'on' THEN
        PERFORM pg_notify('fabrique_change', '');
    ELSE
        PERFORM set_config('fabrique.changed', 'on', true);
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- +goose Down
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

-- +goose Up
-- Every transaction that changes the platform's data notifies the channel
-- fabrique_change once, at its commit (PostgreSQL folds identical notifications of a
-- transaction into one, and delivers none for a rolled-back one). The app drops the
-- pages it keeps in memory when it hears it (internal/server/pagecache.go), whatever
-- process made the change: another instance, `fabrique seed`, psql.
-- Statement triggers, not row triggers: one call per statement, even for a COPY.
-- Left out: sessions and login failures (no page shows them) and goose's own table.
-- A new table gets its trigger in its own migration; TestEveryTableNotifiesChanges
-- checks none is forgotten.

-- +goose StatementBegin
CREATE FUNCTION fabrique_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('fabrique_change', '');
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
DO $$
DECLARE
    t text;
BEGIN
    FOR t IN
        SELECT tablename FROM pg_tables
        WHERE schemaname = 'public'
          AND tablename NOT IN ('sessions', 'login_failures', 'goose_db_version')
    LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I '
                       'FOR EACH STATEMENT EXECUTE FUNCTION fabrique_notify_change()',
                       t || '_notify_change', t);
    END LOOP;
END
$$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
DO $$
DECLARE
    r record;
BEGIN
    FOR r IN
        SELECT tgname, tgrelid::regclass AS tbl FROM pg_trigger
        WHERE tgfoid = 'fabrique_notify_change'::regproc
    LOOP
        EXECUTE format('DROP TRIGGER %I ON %s', r.tgname, r.tbl);
    END LOOP;
END
$$;
-- +goose StatementEnd
DROP FUNCTION fabrique_notify_change();

-- +goose Up
-- The append-only tables — the ledger (00012), the audit trail (00013), the kept
-- balances (00018) — refuse UPDATE and DELETE with row triggers, but TRUNCATE fires no
-- row trigger: it emptied them, and emptying ledger_entries alone left ledger_balances
-- disagreeing with the entries. A BEFORE TRUNCATE statement trigger refuses it on each
-- table whose updates or deletes a BEFORE ROW trigger guards, found in the catalog so a
-- guarded table added by an earlier migration is not forgotten; TRUNCATE … CASCADE from
-- a table they reference fires it too. TestAppendOnlyRefusesTruncate checks that every
-- such table, including later ones, has it. The owner can still drop the trigger: the
-- app runs under a role that owns nothing (docs/deploy-roles.sql).

-- +goose StatementBegin
CREATE FUNCTION fabrique_refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: TRUNCATE refused', TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
DO $$
DECLARE
    t text;
BEGIN
    FOR t IN
        SELECT DISTINCT c.relname
        FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid
        WHERE c.relnamespace = 'public'::regnamespace
          AND NOT g.tgisinternal
          AND g.tgtype & 3 = 3   -- ROW (1) and BEFORE (2)
          AND g.tgtype & 24 <> 0 -- DELETE (8) or UPDATE (16)
        ORDER BY 1
    LOOP
        EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I '
                       'FOR EACH STATEMENT EXECUTE FUNCTION fabrique_refuse_truncate()',
                       t || '_no_truncate', t);
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
        WHERE tgfoid = 'fabrique_refuse_truncate'::regproc
    LOOP
        EXECUTE format('DROP TRIGGER %I ON %s', r.tgname, r.tbl);
    END LOOP;
END
$$;
-- +goose StatementEnd
DROP FUNCTION fabrique_refuse_truncate();

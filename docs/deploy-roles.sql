-- The Fabrique under two PostgreSQL roles: fabrique_owner owns the schema and applies
-- the migrations; fabrique_app serves and owns nothing. The ledger, its kept balances
-- and the audit trail are append-only through triggers (migrations 00012, 00013, 00018,
-- 00021); a table's owner can disable or drop its triggers, fabrique_app cannot, nor
-- TRUNCATE, ALTER, DROP or CREATE anything.
--
-- Once, as a superuser, with passwords of your own:
--   CREATE ROLE fabrique_owner LOGIN PASSWORD '…';
--   CREATE ROLE fabrique_app LOGIN PASSWORD '…';
--   CREATE DATABASE fabrique OWNER fabrique_owner;
-- then this file, in that database, before or after the first migration (it can run
-- again at any time):
--   psql -d fabrique -f docs/deploy-roles.sql
-- and start the app with both URLs:
--   MIGRATE_DATABASE_URL=postgres://fabrique_owner:…@db/fabrique  (fabrique serve, migrate)
--   DATABASE_URL=postgres://fabrique_app:…@db/fabrique
-- What fabrique_app needs and nothing more: rows of every table (UPDATE also for
-- SELECT … FOR UPDATE; the append-only tables refuse UPDATE and DELETE whoever asks),
-- its sequences, and reading goose's version table to check the schema. LISTEN (the page
-- cache) and pg_notify need no grant. TestServeUnderRoleThatOwnsNothing (internal/app)
-- runs this very file, under role names of its own.

DO $$
BEGIN
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO fabrique_app', current_database());
END
$$;
GRANT USAGE ON SCHEMA public TO fabrique_app;

-- Today's tables and sequences…
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO fabrique_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO fabrique_app;

-- …and those later migrations create (as fabrique_owner).
ALTER DEFAULT PRIVILEGES FOR ROLE fabrique_owner IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO fabrique_app;
ALTER DEFAULT PRIVILEGES FOR ROLE fabrique_owner IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO fabrique_app;

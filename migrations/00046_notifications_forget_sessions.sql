-- A server keeps its logged-in persons' sessions between their reads, with their unread
-- count (internal/server's sessioncache.go), until a change is announced. Notifications
-- announce no change on fabrique_change (one person's own, on no shared page; the jobs
-- that write them would drop every page), so a notification written, or marked read,
-- tells the servers to forget the sessions they keep instead: on the channel of the
-- session fence, with an empty payload (forget, nothing to answer). In a transaction
-- whose change is announced after its commit (fabrique.notify_after_commit, 00040), it
-- is noted as a change instead: a NOTIFY inside a write's transaction would make its
-- commit wait for every other's (00040).

-- +goose Up
-- +goose StatementBegin
CREATE FUNCTION fabrique_forget_sessions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('fabrique.notify_after_commit', true) IS DISTINCT FROM 'on' THEN
        PERFORM pg_notify('fabrique_session_fence', '');
    ELSE
        PERFORM set_config('fabrique.changed', 'on', true);
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER notifications_forget_sessions AFTER INSERT OR DELETE OR UPDATE OF read_at ON notifications
    FOR EACH STATEMENT EXECUTE FUNCTION fabrique_forget_sessions();

-- +goose Down
DROP TRIGGER notifications_forget_sessions ON notifications;
DROP FUNCTION fabrique_forget_sessions();

-- +goose Up
-- Reminders on schedule (DESIGN §3b): what was reminded to whom, so that a reminder job
-- run twice — or rerun after a crash — reminds nothing twice. key names what the reminder
-- was about: "pledge:12" (once per promise), "week:2026-W49" (at most one reminder of
-- things waiting per person and week), "event:7" (the day before a rendez-vous).
CREATE TABLE reminders (
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       text   NOT NULL CHECK (kind ~ '^[a-z_]{1,40}$'),
    key        text   NOT NULL CHECK (length(key) BETWEEN 1 AND 100),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, kind, key)
);

-- +goose Down
DROP TABLE reminders;

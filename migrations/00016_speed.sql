-- Indexes for the main pages at the scale of the whole movement (issue 6), each checked
-- with EXPLAIN (ANALYZE, BUFFERS) on `fabrique seed bench --challenges 10000`.

-- +goose Up
-- /transparence sums every account's balance: an index-only scan instead of the table.
CREATE INDEX ledger_entries_balance_idx ON ledger_entries (account_id) INCLUDE (amount);
-- The home page's défis in progress, most recently active first: a walk down this index
-- instead of sorting every défi.
CREATE INDEX challenges_updated_idx ON challenges (updated_at DESC, id DESC);
-- A défi's seed budget account (its page, its payments): the unique key starts with kind
-- and year, so finding it by défi scanned every account.
CREATE INDEX ledger_accounts_challenge_idx ON ledger_accounts (challenge_id) WHERE challenge_id IS NOT NULL;

-- +goose Down
DROP INDEX ledger_accounts_challenge_idx;
DROP INDEX challenges_updated_idx;
DROP INDEX ledger_entries_balance_idx;

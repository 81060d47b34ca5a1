-- +goose Up
-- A deleted account (/espace/compte/suppression): its personal data erased, the row kept
-- under a pseudonym because money records (contributions, pledges, the ledger's causes, the
-- journal) point to it and must stay whole.
ALTER TABLE users ADD COLUMN deleted_at timestamptz;

-- +goose Down
ALTER TABLE users DROP COLUMN deleted_at;

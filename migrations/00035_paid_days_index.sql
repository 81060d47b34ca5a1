-- +goose Up
-- The days paid by month of a year (/coordination's chart, the year's report) read the
-- contributions paid in that year: 127 ms scanning the 200 000 contributions of the bench
-- data; a partial index on the day paid, carrying the days, reads only that year's.
CREATE INDEX contributions_paid_on_idx ON contributions (paid_on) INCLUDE (quarters) WHERE state = 'payee';

-- +goose Down
DROP INDEX contributions_paid_on_idx;

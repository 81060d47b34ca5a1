package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// BooksSettings returns the books' settings, the defaults when none were saved.
func (db *DB) BooksSettings(ctx context.Context) (fabrique.BooksSettings, error) {
	s := fabrique.DefaultBooksSettings()
	var raw []byte
	err := db.pool.QueryRow(ctx, `SELECT siren, journal_code, journal_label, accounts FROM books_settings WHERE id = 1`).
		Scan(&s.SIREN, &s.JournalCode, &s.JournalLabel, &raw)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return s, fmt.Errorf("postgres: books settings: %w", mapError(err))
	}
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &s.Accounts); err != nil {
			return s, fmt.Errorf("postgres: books accounts: %w", err)
		}
	}
	for _, k := range fabrique.BookAccountKinds {
		s.Accounts[k] = s.Account(k)
	}
	return s, nil
}

// SaveBooksSettings saves s, valid, by the coordinator u, and writes it in the journal.
func (db *DB) SaveBooksSettings(ctx context.Context, u *fabrique.User, s fabrique.BooksSettings) error {
	raw, err := json.Marshal(s.Accounts)
	if err != nil {
		return err
	}
	err = db.withTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx,
			`INSERT INTO books_settings (id, siren, journal_code, journal_label, accounts, updated_at) VALUES (1, $1, $2, $3, $4, now())
			 ON CONFLICT (id) DO UPDATE SET siren = $1, journal_code = $2, journal_label = $3, accounts = $4, updated_at = now()`,
			s.SIREN, s.JournalCode, s.JournalLabel, raw); err != nil {
			return err
		}
		return audit(ctx, tx, u.ID, "books.settings", "books", 1, fabrique.BooksAuditDetail(s))
	})
	if err != nil {
		return fmt.Errorf("postgres: save books settings: %w", mapError(err))
	}
	return nil
}

// FECLines returns the ledger's entries of year (transactions whose day falls in it),
// écriture by écriture in date order, numbered from 1 without a gap. A line on the
// outside account names its payee (a contribution's or an expense's author, an invoice's
// issuer by its SIRET) or its funder (a pledge's, or
// « Financeur anonyme » for an anonymous pledge) as an auxiliary account.
func (db *DB) FECLines(ctx context.Context, year int) ([]fabrique.FECEntry, error) {
	from := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)
	rows, err := db.pool.Query(ctx, `
		WITH tx AS (
		  SELECT t.*, row_number() OVER (ORDER BY t.occurred_on, t.id)::int AS num
		    FROM ledger_transactions t WHERE t.occurred_on >= $1 AND t.occurred_on < $2)
		SELECT tx.num, tx.id, tx.kind, tx.occurred_on, a.kind, e.amount, tx.memo, tx.reference, tx.created_at,
		       CASE WHEN a.kind <> 'outside' THEN ''
		            WHEN tx.cause_type = 'contribution' THEN 'C' || k.user_id
		            WHEN tx.cause_type = 'coordination_time' THEN 'C' || ct.user_id
		            WHEN tx.cause_type = 'invoice' THEN 'S' || iv.issuer_siret
		            WHEN tx.cause_type = 'expense' THEN 'C' || x.user_id
		            WHEN tx.cause_type = 'pledge' AND p.anonymous THEN 'ANONYME'
		            WHEN tx.cause_type = 'pledge' THEN 'F' || p.user_id
		            ELSE '' END,
		       CASE WHEN a.kind <> 'outside' THEN ''
		            WHEN tx.cause_type = 'contribution' THEN ku.display_name
		            WHEN tx.cause_type = 'coordination_time' THEN ctu.display_name
		            WHEN tx.cause_type = 'invoice' THEN iv.issuer_name
		            WHEN tx.cause_type = 'expense' THEN xu.display_name
		            WHEN tx.cause_type = 'pledge' AND p.anonymous THEN 'Financeur anonyme'
		            WHEN tx.cause_type = 'pledge' THEN coalesce(nullif(f.organisation, ''), pu.display_name)
		            ELSE '' END
		  FROM tx
		  JOIN ledger_entries e ON e.transaction_id = tx.id
		  JOIN ledger_accounts a ON a.id = e.account_id
		  LEFT JOIN contributions k ON tx.cause_type = 'contribution' AND k.id = tx.cause_id
		  LEFT JOIN users ku ON ku.id = k.user_id
		  LEFT JOIN coordination_time ct ON tx.cause_type = 'coordination_time' AND ct.id = tx.cause_id
		  LEFT JOIN users ctu ON ctu.id = ct.user_id
		  LEFT JOIN invoices iv ON tx.cause_type = 'invoice' AND iv.id = tx.cause_id
		  LEFT JOIN expenses x ON tx.cause_type = 'expense' AND x.id = tx.cause_id
		  LEFT JOIN users xu ON xu.id = x.user_id
		  LEFT JOIN pledges p ON tx.cause_type = 'pledge' AND p.id = tx.cause_id
		  LEFT JOIN users pu ON pu.id = p.user_id
		  LEFT JOIN funders f ON f.user_id = p.user_id
		 ORDER BY tx.num, e.id`, from, from.AddDate(1, 0, 0))
	if err != nil {
		return nil, fmt.Errorf("postgres: FEC of %d: %w", year, mapError(err))
	}
	lines, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (fabrique.FECEntry, error) {
		var l fabrique.FECEntry
		err := r.Scan(&l.EcritureNum, &l.TxID, &l.TxKind, &l.Date, &l.Kind, &l.Amount, &l.Memo, &l.Reference, &l.Validated, &l.AuxNum, &l.AuxLabel)
		return l, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: FEC of %d: %w", year, mapError(err))
	}
	return lines, nil
}

// LedgerYearTotal returns the sum of the year's entries into accounts (credits) and out of
// them (debits), in cents: what a FEC of the year must total.
func (db *DB) LedgerYearTotal(ctx context.Context, year int) (credit, debit int64, err error) {
	from := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)
	err = db.pool.QueryRow(ctx,
		`SELECT coalesce(sum(e.amount) FILTER (WHERE e.amount > 0), 0), coalesce(-sum(e.amount) FILTER (WHERE e.amount < 0), 0)
		   FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.transaction_id
		  WHERE t.occurred_on >= $1 AND t.occurred_on < $2`, from, from.AddDate(1, 0, 0)).Scan(&credit, &debit)
	if err != nil {
		return 0, 0, fmt.Errorf("postgres: ledger total of %d: %w", year, mapError(err))
	}
	return credit, debit, nil
}

// LedgerYears returns the years the ledger has movements in, latest first.
func (db *DB) LedgerYears(ctx context.Context) ([]int, error) {
	rows, err := db.pool.Query(ctx, `SELECT DISTINCT extract(year FROM occurred_on)::int AS y FROM ledger_transactions ORDER BY y DESC`)
	if err != nil {
		return nil, fmt.Errorf("postgres: ledger years: %w", mapError(err))
	}
	years, err := pgx.CollectRows(rows, pgx.RowTo[int])
	if err != nil {
		return nil, fmt.Errorf("postgres: ledger years: %w", mapError(err))
	}
	return years, nil
}

package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// Invoices (issue 17): filed against a statement by its author, checked and paid by the
// coordination in one ledger movement for the TTC. Their documents are kept append-only.

// DocumentStore keeps documents' bytes outside PostgreSQL (an S3-compatible store); nil
// keeps them in the documents table.
type DocumentStore interface {
	Put(ctx context.Context, key, contentType string, data []byte) error
	Get(ctx context.Context, key string) ([]byte, error)
}

// SetDocumentStore makes db keep new documents' bytes in store.
func (db *DB) SetDocumentStore(store DocumentStore) { db.documents = store }

// insertDocument stores data (already checked) uploaded by userID and returns its id.
// Its bytes go to the document store under a key named by their hash, before the row
// that names it is committed: a key without a row is harmless, a row without its bytes
// never happens.
func (db *DB) insertDocument(ctx context.Context, tx pgx.Tx, userID int64, u fabrique.Upload) (int64, error) {
	name, contentType, data := u.Name, u.ContentType, u.Data
	sum := sha256.Sum256(data)
	hash := hex.EncodeToString(sum[:])
	var bytes []byte
	var key *string
	if db.documents != nil {
		k := "documents/" + hash
		if err := db.documents.Put(ctx, k, contentType, data); err != nil {
			return 0, fmt.Errorf("postgres: store document: %w", err)
		}
		key = &k
	} else {
		bytes = data
	}
	var id int64
	if err := tx.QueryRow(ctx, `INSERT INTO documents (sha256, content_type, size, name, data, storage_key, uploaded_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, hash, contentType, len(data), name, bytes, key, userID).Scan(&id); err != nil {
		return 0, fmt.Errorf("postgres: insert document: %w", err)
	}
	return id, nil
}

// DocumentData returns document id's description and bytes.
func (db *DB) DocumentData(ctx context.Context, id int64) (fabrique.Document, []byte, error) {
	var d fabrique.Document
	var data []byte
	var key *string
	err := db.pool.QueryRow(ctx, `SELECT id, sha256, content_type, size, name, uploaded_by, created_at, data, storage_key
		FROM documents WHERE id = $1`, id).Scan(&d.ID, &d.SHA256, &d.ContentType, &d.Size, &d.Name, &d.UploadedBy, &d.CreatedAt, &data, &key)
	if errors.Is(err, pgx.ErrNoRows) {
		return d, nil, fabrique.ErrNotFound
	} else if err != nil {
		return d, nil, fmt.Errorf("postgres: document %d: %w", id, err)
	}
	if key != nil {
		if db.documents == nil {
			return d, nil, fmt.Errorf("postgres: document %d is in a document store, and none is set", id)
		}
		if data, err = db.documents.Get(ctx, *key); err != nil {
			return d, nil, fmt.Errorf("postgres: document %d: %w", id, err)
		}
	}
	return d, data, nil
}

// invoiceSelect reads an invoice with its statement, document, checker and what its
// contributions reserve.
const invoiceSelect = `
SELECT i.id, i.statement_id, s.number, s.total_ht, i.user_id, u.display_name, i.issuer_siret, i.issuer_name,
       i.number, i.issued_on, i.due_on, i.amount_ht, i.vat, i.amount_ttc, i.vat_mention, i.document_id,
       d.sha256, d.content_type, d.size, d.name, d.created_at,
       (SELECT count(*) FROM documents o WHERE o.sha256 = d.sha256 AND o.id <> d.id)::int,
       i.state, i.reason, coalesce(i.checked_by, 0), coalesce(ch.display_name, ''), i.paid_on, i.reference,
       (SELECT coalesce(sum(k.reserved), 0) FROM contributions k WHERE k.statement_id = s.id),
       s.challenge_id, coalesce(s.commons_id, 0), coalesce(m.name, c.title), i.created_at, i.updated_at
FROM invoices i JOIN statements s ON s.id = i.statement_id JOIN users u ON u.id = i.user_id
JOIN documents d ON d.id = i.document_id JOIN challenges c ON c.id = s.challenge_id
LEFT JOIN commons m ON m.id = s.commons_id LEFT JOIN users ch ON ch.id = i.checked_by`

func scanInvoice(row pgx.Row) (*fabrique.Invoice, error) {
	var inv fabrique.Invoice
	var paidOn *time.Time
	var challengeID, commonsID int64
	err := row.Scan(&inv.ID, &inv.StatementID, &inv.Statement, &inv.StatementHT, &inv.UserID, &inv.UserName, &inv.IssuerSIRET, &inv.IssuerName,
		&inv.Number, &inv.IssuedOn, &inv.DueOn, &inv.HT, &inv.VAT, &inv.TTC, &inv.VATMention, &inv.DocumentID,
		&inv.Document.SHA256, &inv.Document.ContentType, &inv.Document.Size, &inv.Document.Name, &inv.Document.CreatedAt,
		&inv.SeenBefore, &inv.State, &inv.Reason, &inv.CheckedBy, &inv.CheckedByName, &paidOn, &inv.Reference,
		&inv.Reserved, &challengeID, &commonsID, &inv.PayerName, &inv.CreatedAt, &inv.UpdatedAt)
	if err != nil {
		return nil, err
	}
	inv.Document.ID = inv.DocumentID
	if paidOn != nil {
		inv.PaidOn = *paidOn
	}
	inv.Payer = payerOf(challengeID, commonsID)
	return &inv, nil
}

// InvoiceByID returns invoice id, or ErrInvoiceNotFound.
func (db *DB) InvoiceByID(ctx context.Context, id int64) (*fabrique.Invoice, error) {
	inv, err := scanInvoice(db.pool.QueryRow(ctx, invoiceSelect+` WHERE i.id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fabrique.ErrInvoiceNotFound
	} else if err != nil {
		return nil, fmt.Errorf("postgres: invoice %d: %w", id, err)
	}
	return inv, nil
}

// StatementInvoice returns the invoice filed against statementID, or nil.
func (db *DB) StatementInvoice(ctx context.Context, statementID int64) (*fabrique.Invoice, error) {
	inv, err := scanInvoice(db.pool.QueryRow(ctx, invoiceSelect+` WHERE i.statement_id = $1`, statementID))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("postgres: invoice of statement %d: %w", statementID, err)
	}
	return inv, nil
}

// FileInvoice records, on behalf of userID, the invoice in (checked by the caller,
// document included) against the statement numbered number: a first one, or a new file
// and fields for one sent back to be corrected. Only the statement's author files it;
// an issuer's invoice number is recorded once.
func (db *DB) FileInvoice(ctx context.Context, userID int64, number string, in fabrique.NewInvoice) (int64, error) {
	var id int64
	err := db.withTx(ctx, func(tx pgx.Tx) error {
		var statementID, author int64
		var siret, issuer string
		err := tx.QueryRow(ctx, `SELECT s.id, s.user_id, p.siret, p.legal_name FROM statements s
			JOIN billing_profiles p ON p.id = s.billing_profile_id WHERE s.number = $1`, number).Scan(&statementID, &author, &siret, &issuer)
		if errors.Is(err, pgx.ErrNoRows) {
			return fabrique.ErrStatementNotFound
		} else if err != nil {
			return fmt.Errorf("postgres: statement %s: %w", number, err)
		}
		if author != userID {
			return fabrique.ErrInvoiceNotYours
		}
		var state string
		err = tx.QueryRow(ctx, `SELECT id, state FROM invoices WHERE statement_id = $1 FOR UPDATE`, statementID).Scan(&id, &state)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("postgres: invoice of statement %s: %w", number, err)
		}
		if id != 0 && state != fabrique.InvoiceToFix {
			return fabrique.ErrInvoiceAlreadyFiled
		}
		var taken bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM invoices WHERE issuer_siret = $1 AND number = $2 AND id <> $3)`,
			siret, in.Number, id).Scan(&taken); err != nil {
			return fmt.Errorf("postgres: invoice number: %w", err)
		}
		if taken {
			return fabrique.InvoiceNumberTakenError()
		}
		doc, err := db.insertDocument(ctx, tx, userID, in.File)
		if err != nil {
			return err
		}
		if id == 0 {
			err = tx.QueryRow(ctx, `INSERT INTO invoices (statement_id, user_id, issuer_siret, issuer_name, number, issued_on, due_on,
					amount_ht, vat, amount_ttc, vat_mention, document_id)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
				statementID, userID, siret, issuer, in.Number, in.IssuedOn, in.DueOn, in.HT, in.VAT, in.TTC, in.VATMention, doc).Scan(&id)
		} else {
			_, err = tx.Exec(ctx, `UPDATE invoices SET number = $2, issued_on = $3, due_on = $4, amount_ht = $5, vat = $6, amount_ttc = $7,
					vat_mention = $8, document_id = $9, state = 'deposee', reason = '', checked_by = NULL, checked_at = NULL, updated_at = now()
				WHERE id = $1`, id, in.Number, in.IssuedOn, in.DueOn, in.HT, in.VAT, in.TTC, in.VATMention, doc)
		}
		if isUniqueViolation(err, "invoices_issuer_siret_number_key") {
			return fabrique.InvoiceNumberTakenError()
		} else if err != nil {
			return fmt.Errorf("postgres: file invoice: %w", err)
		}
		inv, err := scanInvoice(tx.QueryRow(ctx, invoiceSelect+` WHERE i.id = $1`, id))
		if err != nil {
			return fmt.Errorf("postgres: invoice %d: %w", id, err)
		}
		coordinators, err := coordinatorIDs(ctx, tx)
		if err != nil {
			return err
		}
		// Never to its author, who may be a coordinator: another one checks it.
		others := coordinators[:0:0]
		for _, c := range coordinators {
			if c != userID {
				others = append(others, c)
			}
		}
		if err := db.notify(ctx, tx, fabrique.InvoiceToCheckNotification(others, inv)); err != nil {
			return err
		}
		return audit(ctx, tx, userID, "invoice.file", "invoice", id,
			fmt.Sprintf("statement=%s number=%s ht=%d vat=%d ttc=%d", number, in.Number, in.HT, in.VAT, in.TTC))
	})
	if err != nil {
		return 0, fmt.Errorf("postgres: invoice of %s: %w", number, mapError(err))
	}
	return id, nil
}

// DecideInvoice marks invoice id bon à payer, or sends it back to be corrected with
// reason, on behalf of actor (a coordinator, not its author). A decision already taken
// returns already.
func (db *DB) DecideInvoice(ctx context.Context, id int64, actor *fabrique.User, d fabrique.InvoiceDecision, reason string) (already bool, err error) {
	err = db.withTx(ctx, func(tx pgx.Tx) error {
		inv, err := lockInvoice(ctx, tx, id)
		if err != nil {
			return err
		}
		if already, err = fabrique.CheckInvoiceDecision(actor, d, inv); err != nil || already {
			return err
		}
		state := fabrique.InvoiceOK
		if d == fabrique.InvoiceReject {
			state = fabrique.InvoiceToFix
		} else {
			reason = ""
		}
		if _, err := tx.Exec(ctx, `UPDATE invoices SET state = $2, reason = $3, checked_by = $4, checked_at = now(), updated_at = now() WHERE id = $1`,
			id, state, reason, actor.ID); err != nil {
			return fmt.Errorf("postgres: decide invoice: %w", err)
		}
		action, outcome := "invoice.approve", fabrique.OutcomeAccepted
		if d == fabrique.InvoiceReject {
			action, outcome = "invoice.reject", fabrique.OutcomeRefused
		}
		inv.Reason = reason
		if err := db.notify(ctx, tx, fabrique.InvoiceDecidedNotification(inv, outcome)); err != nil {
			return err
		}
		return audit(ctx, tx, actor.ID, action, "invoice", id,
			fmt.Sprintf("statement=%s number=%s %s", inv.Statement, inv.Number, reason))
	})
	if err != nil {
		return false, fmt.Errorf("postgres: decide invoice %d: %w", id, mapError(err))
	}
	return already, nil
}

func lockInvoice(ctx context.Context, tx pgx.Tx, id int64) (*fabrique.Invoice, error) {
	inv, err := scanInvoice(tx.QueryRow(ctx, invoiceSelect+` WHERE i.id = $1 FOR UPDATE OF i`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fabrique.ErrInvoiceNotFound
	} else if err != nil {
		return nil, fmt.Errorf("postgres: invoice %d: %w", id, err)
	}
	return inv, nil
}

// PayInvoice records that invoice id, bon à payer, was paid on paidOn under reference,
// on behalf of actor (a coordinator, not its author): one ledger movement for its TTC
// from the budget that pays its statement — or, when the association recovers VAT, the
// HT from the budget and the VAT from the deductible-VAT account — and every contribution
// of its statement paid, each its share of it. What the invoice costs beyond what its
// contributions reserved must fit in the budget, checked under its lock. Paid already:
// returned with already set, so a payment clicked twice moves money once.
func (db *DB) PayInvoice(ctx context.Context, id int64, actor *fabrique.User, paidOn time.Time, reference string) (already bool, err error) {
	err = db.withTx(ctx, func(tx pgx.Tx) error {
		var challengeID, commonsID int64
		err := tx.QueryRow(ctx, `SELECT s.challenge_id, coalesce(s.commons_id, 0) FROM invoices i JOIN statements s ON s.id = i.statement_id
			WHERE i.id = $1`, id).Scan(&challengeID, &commonsID)
		if errors.Is(err, pgx.ErrNoRows) {
			return fabrique.ErrInvoiceNotFound
		} else if err != nil {
			return fmt.Errorf("postgres: invoice %d: %w", id, err)
		}
		payer := payerOf(challengeID, commonsID)
		account, err := lockAccount(ctx, tx, payer)
		if err != nil {
			return err
		}
		inv, err := lockInvoice(ctx, tx, id)
		if err != nil {
			return err
		}
		if already, err = fabrique.CheckInvoiceDecision(actor, fabrique.InvoicePay, inv); err != nil || already {
			return err
		}
		lines, err := collectContributions(tx.Query(ctx, contributionSelect+` WHERE k.statement_id = $1 ORDER BY k.id FOR UPDATE OF k`, inv.StatementID))
		if err != nil {
			return fmt.Errorf("postgres: lock contributions: %w", err)
		}
		settings, err := billingSettings(ctx, tx)
		if err != nil {
			return err
		}
		recoverable := settings.VATRecoverable
		var reservedHere int64
		amounts := make([]int64, len(lines))
		for i, k := range lines {
			if k.State != fabrique.ContributionValidated {
				return fabrique.ErrInvoiceLinesChanged
			}
			reservedHere += k.Reserved
			amounts[i] = k.Amount
		}
		fromBudget := inv.TTC
		if recoverable {
			fromBudget = inv.HT
		}
		free, err := uncommitted(ctx, tx, account, payer)
		if err != nil {
			return err
		}
		if fromBudget > free+reservedHere { // what its days reserved is the invoice's to spend
			return fabrique.InvoiceShortError(payer)
		}
		memo := fabrique.InvoicePaymentMemo(inv)
		outside := fabrique.AccountRef{Kind: fabrique.AccountOutside}
		txID, err := post(ctx, tx, fabrique.Movement{Kind: fabrique.TxPayment, Amount: fromBudget, From: payer, To: outside,
			CauseType: fabrique.CauseInvoice, CauseID: id, Memo: memo, Reference: reference, UserID: actor.ID, OccurredOn: paidOn})
		if err != nil {
			return err
		}
		if recoverable && inv.VAT > 0 {
			if _, err := post(ctx, tx, fabrique.Movement{Kind: fabrique.TxPayment, Amount: inv.VAT, From: fabrique.AccountRef{Kind: fabrique.AccountVAT},
				To: outside, CauseType: fabrique.CauseInvoice, CauseID: id, Memo: fabrique.InvoiceVATMemo(inv), Reference: reference,
				UserID: actor.ID, OccurredOn: paidOn}); err != nil {
				return err
			}
		}
		shares := fabrique.ShareTTC(fromBudget, amounts)
		for i, k := range lines {
			if _, err := tx.Exec(ctx, `UPDATE contributions SET state = 'payee', paid_by = $2, paid_on = $3, reference = $4,
					ledger_tx_id = $5, paid_amount = $6 WHERE id = $1`, k.ID, actor.ID, paidOn, reference, txID, shares[i]); err != nil {
				return fmt.Errorf("postgres: pay contribution %d: %w", k.ID, err)
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE invoices SET state = 'payee', paid_by = $2, paid_on = $3, reference = $4, ledger_tx_id = $5,
				updated_at = now() WHERE id = $1`, id, actor.ID, paidOn, reference, txID); err != nil {
			return fmt.Errorf("postgres: pay invoice: %w", err)
		}
		inv.Reference = reference
		if err := db.notify(ctx, tx, fabrique.InvoiceDecidedNotification(inv, fabrique.OutcomePaid)); err != nil {
			return err
		}
		return audit(ctx, tx, actor.ID, "invoice.pay", "invoice", id,
			fmt.Sprintf("statement=%s number=%s ttc=%d reference=%s", inv.Statement, inv.Number, inv.TTC, reference))
	})
	if err != nil {
		return false, fmt.Errorf("postgres: pay invoice %d: %w", id, mapError(err))
	}
	return already, nil
}

// InvoicesToPay returns the invoices bon à payer, the soonest due first, and their total
// TTC: the payment batch.
func (db *DB) InvoicesToPay(ctx context.Context) ([]*fabrique.Invoice, int64, error) {
	rows, err := db.pool.Query(ctx, invoiceSelect+` WHERE i.state = 'bon_a_payer' ORDER BY i.due_on, i.id LIMIT 500`)
	if err != nil {
		return nil, 0, fmt.Errorf("postgres: invoices to pay: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*fabrique.Invoice, error) { return scanInvoice(r) })
	if err != nil {
		return nil, 0, fmt.Errorf("postgres: invoices to pay: %w", err)
	}
	var total int64
	for _, inv := range list {
		total += inv.TTC
	}
	return list, total, nil
}

// InvoicesToCheck returns the invoices filed and not checked yet, the longest waiting first.
func (db *DB) InvoicesToCheck(ctx context.Context) ([]*fabrique.Invoice, error) {
	rows, err := db.pool.Query(ctx, invoiceSelect+` WHERE i.state = 'deposee' ORDER BY i.updated_at, i.id LIMIT 100`)
	if err != nil {
		return nil, fmt.Errorf("postgres: invoices to check: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*fabrique.Invoice, error) { return scanInvoice(r) })
	if err != nil {
		return nil, fmt.Errorf("postgres: invoices to check: %w", err)
	}
	return list, nil
}

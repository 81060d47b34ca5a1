package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/i18n"
)

// Expenses on receipts (issue 17): claimed by a team member, validated by the porteur or
// a coordinator (reserving the amount on the budget that pays the défi's work), reimbursed
// by a coordinator in one ledger movement — or waived, when a coordinator may issue a
// numbered donation receipt.

const expenseSelect = `
SELECT x.id, x.challenge_id, c.slug, c.title, c.lead_id, x.user_id, u.display_name, coalesce(x.commons_id, 0),
       x.spent_on, x.description, x.amount, x.document_id, x.waived, x.waiver_text, x.state, x.reason,
       x.paid_on, x.reference, coalesce(x.receipt_number, ''), x.receipt_at, x.created_at
FROM expenses x JOIN challenges c ON c.id = x.challenge_id JOIN users u ON u.id = x.user_id`

func scanExpense(row pgx.Row) (*fabrique.Expense, error) {
	var e fabrique.Expense
	var commonsID int64
	var paidOn, receiptAt *time.Time
	err := row.Scan(&e.ID, &e.ChallengeID, &e.ChallengeSlug, &e.ChallengeTitle, &e.LeadID, &e.UserID, &e.UserName, &commonsID,
		&e.SpentOn, &e.Description, &e.Amount, &e.DocumentID, &e.Waived, &e.WaiverText, &e.State, &e.Reason,
		&paidOn, &e.Reference, &e.ReceiptNumber, &receiptAt, &e.CreatedAt)
	if err != nil {
		return nil, err
	}
	e.Payer = payerOf(e.ChallengeID, commonsID)
	if paidOn != nil {
		e.PaidOn = *paidOn
	}
	if receiptAt != nil {
		e.ReceiptAt = *receiptAt
	}
	return &e, nil
}

// ExpenseByID returns expense id, or ErrExpenseNotFound.
func (db *DB) ExpenseByID(ctx context.Context, id int64) (*fabrique.Expense, error) {
	e, err := scanExpense(db.pool.QueryRow(ctx, expenseSelect+` WHERE x.id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fabrique.ErrExpenseNotFound
	} else if err != nil {
		return nil, fmt.Errorf("postgres: expense %d: %w", id, err)
	}
	return e, nil
}

// ChallengeExpenses returns the expenses claimed on a défi, the latest first (at most 200).
func (db *DB) ChallengeExpenses(ctx context.Context, challengeID int64) ([]*fabrique.Expense, error) {
	rows, err := db.pool.Query(ctx, expenseSelect+` WHERE x.challenge_id = $1 ORDER BY x.created_at DESC, x.id DESC LIMIT 200`, challengeID)
	if err != nil {
		return nil, fmt.Errorf("postgres: expenses of %d: %w", challengeID, err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*fabrique.Expense, error) { return scanExpense(r) })
	if err != nil {
		return nil, fmt.Errorf("postgres: expenses of %d: %w", challengeID, err)
	}
	return list, nil
}

// ClaimExpense records the expense in (checked by the caller, receipt included) that
// userID, an accepted member of the défi, claims on it. The account that will pay it is
// chosen as for their days: the origin commun's funds once the défi is in développement.
func (db *DB) ClaimExpense(ctx context.Context, challengeID, userID int64, in fabrique.NewExpense) (int64, error) {
	var id int64
	err := db.withTx(ctx, func(tx pgx.Tx) error {
		var status fabrique.Status
		err := tx.QueryRow(ctx, `SELECT status FROM challenges WHERE id = $1 FOR SHARE`, challengeID).Scan(&status)
		if errors.Is(err, pgx.ErrNoRows) {
			return fabrique.ErrChallengeNotFound
		} else if err != nil {
			return fmt.Errorf("postgres: lock challenge: %w", err)
		}
		var member bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM challenge_members WHERE challenge_id = $1 AND user_id = $2
			AND state = 'accepted' FOR SHARE)`, challengeID, userID).Scan(&member); err != nil {
			return fmt.Errorf("postgres: team member: %w", err)
		}
		if !member {
			return fabrique.ErrExpenseNotTeam
		}
		var commonsID int64
		if status == fabrique.StatusDevelopment {
			err := tx.QueryRow(ctx, `SELECT commons_id FROM challenge_commons WHERE challenge_id = $1 AND relation = 'origine'`, challengeID).Scan(&commonsID)
			if err != nil && !errors.Is(err, pgx.ErrNoRows) {
				return fmt.Errorf("postgres: origin commons: %w", err)
			}
		}
		doc, err := db.insertDocument(ctx, tx, userID, in.Receipt)
		if err != nil {
			return err
		}
		waiver := ""
		if in.Waived {
			waiver = fabrique.WaiverText
		}
		if err := tx.QueryRow(ctx, `INSERT INTO expenses (challenge_id, user_id, commons_id, spent_on, description, amount, document_id, waived, waiver_text)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
			challengeID, userID, nullable(commonsID), in.SpentOn, in.Description, in.Amount, doc, in.Waived, waiver).Scan(&id); err != nil {
			return fmt.Errorf("postgres: insert expense: %w", err)
		}
		return audit(ctx, tx, userID, "expense.claim", "expense", id, fmt.Sprintf("amount=%d waived=%t", in.Amount, in.Waived))
	})
	if err != nil {
		return 0, fmt.Errorf("postgres: expense on %d: %w", challengeID, mapError(err))
	}
	return id, nil
}

// DecideExpense takes d on expense id on behalf of actor: validate (a waived expense moves
// no money; another reserves its amount on its budget, under the budget's lock, or is
// refused), refuse with reason, reimburse (one movement to the outside, on paidOn, under
// reference) or issue the donation receipt of a waived one. A decision already taken
// returns already.
func (db *DB) DecideExpense(ctx context.Context, id int64, actor *fabrique.User, d fabrique.ExpenseDecision, reason string, paidOn time.Time, reference string) (already bool, err error) {
	err = db.withTx(ctx, func(tx pgx.Tx) error {
		var challengeID, commonsID int64
		var waived bool
		err := tx.QueryRow(ctx, `SELECT challenge_id, coalesce(commons_id, 0), waived FROM expenses WHERE id = $1`, id).Scan(&challengeID, &commonsID, &waived)
		if errors.Is(err, pgx.ErrNoRows) {
			return fabrique.ErrExpenseNotFound
		} else if err != nil {
			return fmt.Errorf("postgres: expense %d: %w", id, err)
		}
		payer := payerOf(challengeID, commonsID)
		var account int64
		moves := !waived && (d == fabrique.ExpenseValidate || d == fabrique.ExpenseReimburse)
		if moves {
			if account, err = lockAccount(ctx, tx, payer); err != nil {
				return err
			}
		}
		e, err := scanExpense(tx.QueryRow(ctx, expenseSelect+` WHERE x.id = $1 FOR UPDATE OF x`, id))
		if err != nil {
			return fmt.Errorf("postgres: expense %d: %w", id, err)
		}
		settings, err := billingSettings(ctx, tx)
		if err != nil {
			return err
		}
		if already, err = fabrique.CheckExpenseDecision(actor, d, e, settings.DonationReceipts); err != nil || already {
			return err
		}
		detail := fmt.Sprintf("amount=%d waived=%t", e.Amount, e.Waived)
		switch d {
		case fabrique.ExpenseValidate:
			if moves {
				free, err := uncommitted(ctx, tx, account, payer)
				if err != nil {
					return err
				}
				if e.Amount > free {
					return fabrique.ExpenseShortError(payer)
				}
			}
			_, err = tx.Exec(ctx, `UPDATE expenses SET state = 'validee', validated_by = $2, validated_at = now() WHERE id = $1`, id, actor.ID)
		case fabrique.ExpenseRefuse:
			_, err = tx.Exec(ctx, `UPDATE expenses SET state = 'refusee', reason = $2 WHERE id = $1`, id, reason)
			detail += " " + reason
		case fabrique.ExpenseReimburse:
			balance, err := accountBalance(ctx, tx, account)
			if err != nil {
				return err
			}
			if e.Amount > balance {
				return fabrique.ExpenseShortError(payer)
			}
			txID, err := post(ctx, tx, fabrique.Movement{Kind: fabrique.TxPayment, Amount: e.Amount, From: payer,
				To: fabrique.AccountRef{Kind: fabrique.AccountOutside}, CauseType: fabrique.CauseExpense, CauseID: id,
				Memo: fabrique.ExpenseMemo(e), Reference: reference, UserID: actor.ID, OccurredOn: paidOn})
			if err != nil {
				return err
			}
			_, err = tx.Exec(ctx, `UPDATE expenses SET state = 'remboursee', paid_by = $2, paid_on = $3, reference = $4, ledger_tx_id = $5 WHERE id = $1`,
				id, actor.ID, paidOn, reference, txID)
			if err != nil {
				return fmt.Errorf("postgres: reimburse: %w", err)
			}
		case fabrique.ExpenseReceipt:
			year := time.Now().In(i18n.Paris).Year()
			var seq int
			if err := tx.QueryRow(ctx, `INSERT INTO receipt_counters (year, last) VALUES ($1, 1)
				ON CONFLICT (year) DO UPDATE SET last = receipt_counters.last + 1 RETURNING last`, year).Scan(&seq); err != nil {
				return fmt.Errorf("postgres: receipt number: %w", err)
			}
			number := fabrique.ReceiptNumber(year, seq)
			_, err = tx.Exec(ctx, `UPDATE expenses SET receipt_number = $2, receipt_by = $3, receipt_at = now() WHERE id = $1`, id, number, actor.ID)
			detail += " receipt=" + number
		}
		if err != nil {
			return fmt.Errorf("postgres: expense decision: %w", err)
		}
		return audit(ctx, tx, actor.ID, expenseAuditAction(d), "expense", id, detail)
	})
	if err != nil {
		return false, fmt.Errorf("postgres: expense %d: %w", id, mapError(err))
	}
	return already, nil
}

func expenseAuditAction(d fabrique.ExpenseDecision) string {
	switch d {
	case fabrique.ExpenseValidate:
		return "expense.validate"
	case fabrique.ExpenseRefuse:
		return "expense.refuse"
	case fabrique.ExpenseReimburse:
		return "expense.reimburse"
	}
	return "expense.receipt"
}

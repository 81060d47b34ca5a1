package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/i18n"
)

// Billing (DESIGN §3 « Paying people as they are actually paid », issue 17): each paid
// person's billing profiles, the association's billing settings, and the statements to
// invoice, numbered FAB-YYYY-NNNN without gap or reuse.

const billingProfileColumns = `id, user_id, kind, legal_name, trade_name, siret, vat_number, vat_regime, vat_rate, current, created_at`

func scanBillingProfile(row pgx.Row) (*fabrique.BillingProfile, error) {
	var p fabrique.BillingProfile
	err := row.Scan(&p.ID, &p.UserID, &p.Kind, &p.LegalName, &p.TradeName, &p.SIRET, &p.VATNumber, &p.VATRegime, &p.VATRate, &p.Current, &p.CreatedAt)
	if err != nil {
		return nil, err
	}
	return &p, nil
}

// billingOf reads, in tx, userID's current billing profile (nil without one) and whether
// the association recovers VAT: what a validation's reservation depends on.
func billingOf(ctx context.Context, tx pgx.Tx, userID int64) (*fabrique.BillingProfile, bool, error) {
	settings, err := billingSettings(ctx, tx)
	if err != nil {
		return nil, false, err
	}
	p, err := scanBillingProfile(tx.QueryRow(ctx, `SELECT `+billingProfileColumns+` FROM billing_profiles WHERE user_id = $1 AND current`, userID))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, settings.VATRecoverable, nil
	} else if err != nil {
		return nil, false, fmt.Errorf("postgres: billing profile of %d: %w", userID, err)
	}
	return p, settings.VATRecoverable, nil
}

// billingSettings reads the association's billing settings with q (the pool, or a
// transaction deciding on money); its SIREN is the books'.
func billingSettings(ctx context.Context, q DBTX) (fabrique.BillingSettings, error) {
	var s fabrique.BillingSettings
	err := q.QueryRow(ctx, `SELECT b.legal_name, b.address, coalesce((SELECT k.siren FROM books_settings k WHERE k.id = 1), ''),
			b.vat_recoverable, b.donation_receipts, b.updated_at FROM billing_settings b`).
		Scan(&s.LegalName, &s.Address, &s.SIREN, &s.VATRecoverable, &s.DonationReceipts, &s.UpdatedAt)
	if err != nil {
		return s, fmt.Errorf("postgres: billing settings: %w", err)
	}
	return s, nil
}

// BillingProfiles returns userID's billing profiles, the current one first, then the
// older ones, newest first.
func (db *DB) BillingProfiles(ctx context.Context, userID int64) ([]*fabrique.BillingProfile, error) {
	rows, err := db.pool.Query(ctx, `SELECT `+billingProfileColumns+` FROM billing_profiles WHERE user_id = $1
		ORDER BY current DESC, created_at DESC, id DESC LIMIT 50`, userID)
	if err != nil {
		return nil, fmt.Errorf("postgres: billing profiles of %d: %w", userID, err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*fabrique.BillingProfile, error) { return scanBillingProfile(r) })
	if err != nil {
		return nil, fmt.Errorf("postgres: billing profiles of %d: %w", userID, err)
	}
	return list, nil
}

// SaveBillingProfile makes p (normalized, validated here) userID's current billing
// profile: the former one is kept, no longer current, as statements may name it. The
// same profile saved again changes nothing. Returns whether anything changed.
func (db *DB) SaveBillingProfile(ctx context.Context, userID int64, p fabrique.BillingProfile) (bool, error) {
	p.Normalize()
	if err := p.Validate(); err != nil {
		return false, err
	}
	changed := false
	err := db.withTx(ctx, func(tx pgx.Tx) error {
		// One save at a time per person: the current profile is replaced, never doubled.
		if _, err := tx.Exec(ctx, `SELECT 1 FROM users WHERE id = $1 FOR UPDATE`, userID); err != nil {
			return fmt.Errorf("postgres: lock user: %w", err)
		}
		cur, err := scanBillingProfile(tx.QueryRow(ctx, `SELECT `+billingProfileColumns+` FROM billing_profiles WHERE user_id = $1 AND current`, userID))
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("postgres: current billing profile: %w", err)
		}
		if cur != nil && sameBillingProfile(*cur, p) {
			return nil
		}
		if cur != nil {
			if _, err := tx.Exec(ctx, `UPDATE billing_profiles SET current = false WHERE id = $1`, cur.ID); err != nil {
				return fmt.Errorf("postgres: former billing profile: %w", err)
			}
		}
		var id int64
		if err := tx.QueryRow(ctx, `INSERT INTO billing_profiles (user_id, kind, legal_name, trade_name, siret, vat_number, vat_regime, vat_rate)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			userID, p.Kind, p.LegalName, p.TradeName, p.SIRET, p.VATNumber, p.VATRegime, p.VATRate).Scan(&id); err != nil {
			return fmt.Errorf("postgres: save billing profile: %w", err)
		}
		changed = true
		return audit(ctx, tx, userID, "billing_profile.save", "billing_profile", id,
			fmt.Sprintf("kind=%s siret=%s vat_regime=%s vat_rate=%d", p.Kind, p.SIRET, p.VATRegime, p.VATRate))
	})
	if err != nil {
		return false, fmt.Errorf("postgres: billing profile of %d: %w", userID, mapError(err))
	}
	return changed, nil
}

func sameBillingProfile(a, b fabrique.BillingProfile) bool {
	return a.Kind == b.Kind && a.LegalName == b.LegalName && a.TradeName == b.TradeName && a.SIRET == b.SIRET &&
		a.VATNumber == b.VATNumber && a.VATRegime == b.VATRegime && a.VATRate == b.VATRate
}

// BillingSettings returns the association's billing settings.
func (db *DB) BillingSettings(ctx context.Context) (fabrique.BillingSettings, error) {
	return billingSettings(ctx, db.pool)
}

// SaveBillingSettings records the association's billing settings (normalized, validated
// here), on behalf of actor, a coordinator; audit-logged.
func (db *DB) SaveBillingSettings(ctx context.Context, actor *fabrique.User, s fabrique.BillingSettings) error {
	if !actor.IsCoordinator() {
		return fabrique.ErrBillingSettingsForbidden
	}
	s.Normalize()
	if err := s.Validate(); err != nil {
		return err
	}
	err := db.withTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE billing_settings SET legal_name = $1, address = $2, vat_recoverable = $3,
				donation_receipts = $4, updated_at = now()`,
			s.LegalName, s.Address, s.VATRecoverable, s.DonationReceipts); err != nil {
			return fmt.Errorf("postgres: billing settings: %w", err)
		}
		// The SIREN is the books' (the FEC file is named after it): one number for both forms.
		if _, err := tx.Exec(ctx, `INSERT INTO books_settings (id, siren) VALUES (1, $1)
				ON CONFLICT (id) DO UPDATE SET siren = $1, updated_at = now()`, s.SIREN); err != nil {
			return fmt.Errorf("postgres: books SIREN: %w", err)
		}
		return audit(ctx, tx, actor.ID, "billing_settings.save", "billing_settings", 1,
			fmt.Sprintf("siren=%s vat_recoverable=%t donation_receipts=%t", s.SIREN, s.VATRecoverable, s.DonationReceipts))
	})
	if err != nil {
		return fmt.Errorf("postgres: billing settings: %w", mapError(err))
	}
	return nil
}

// BillableContributions returns userID's validated, paid contributions on no statement
// yet, by défi and budget then date: what they may ask to be paid for.
func (db *DB) BillableContributions(ctx context.Context, userID int64) ([]*fabrique.ContributionRecord, error) {
	list, err := collectContributions(db.pool.Query(ctx, contributionSelect+
		` WHERE k.user_id = $1 AND k.state = 'validee' AND NOT k.volunteer AND k.statement_id IS NULL
		  ORDER BY c.title, k.challenge_id, k.commons_id NULLS FIRST, k.worked_on, k.id LIMIT 500`, userID))
	if err != nil {
		return nil, fmt.Errorf("postgres: billable contributions of %d: %w", userID, err)
	}
	return list, nil
}

// CreateStatement issues, on behalf of userID, a statement to invoice of their
// contributions ids: validated, paid (not volunteer), on no statement yet, all of one
// défi and one budget. It is numbered FAB-{year}-{n}, n following the year's last without
// gap, and names the author's current billing profile and the association. The profile
// may add more VAT than validation reserved (a profile declared or changed since): the
// difference is reserved now on the budget, under its lock, or the statement is refused.
func (db *DB) CreateStatement(ctx context.Context, userID int64, ids []int64, now time.Time) (*fabrique.Statement, error) {
	ids = slices.Clone(ids)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	if len(ids) == 0 {
		return nil, fabrique.StatementEmptyError()
	}
	var number string
	err := db.withTx(ctx, func(tx pgx.Tx) error {
		var challengeID, commonsID int64
		var payers int
		if err := tx.QueryRow(ctx, `SELECT min(challenge_id), coalesce(min(commons_id), 0),
				count(DISTINCT (challenge_id, coalesce(commons_id, 0)))
			FROM contributions WHERE id = ANY($1)`, ids).Scan(&challengeID, &commonsID, &payers); err != nil {
			return fmt.Errorf("postgres: statement's budget: %w", err)
		}
		if payers > 1 {
			return fabrique.StatementOneBudgetError()
		}
		if payers == 0 {
			return fabrique.StatementChoiceError()
		}
		payer := payerOf(challengeID, commonsID)
		account, err := lockAccount(ctx, tx, payer)
		if err != nil {
			return err
		}
		list, err := collectContributions(tx.Query(ctx, contributionSelect+` WHERE k.id = ANY($1) ORDER BY k.id FOR UPDATE OF k`, ids))
		if err != nil {
			return fmt.Errorf("postgres: lock contributions: %w", err)
		}
		if len(list) != len(ids) {
			return fabrique.StatementChoiceError()
		}
		for _, k := range list {
			if err := fabrique.CheckBillable(userID, k); err != nil {
				return err
			}
		}
		profile, recoverable, err := billingOf(ctx, tx, userID)
		if err != nil {
			return err
		}
		if profile == nil {
			return fabrique.StatementNoProfileError()
		}
		issuer, err := billingSettings(ctx, tx)
		if err != nil {
			return err
		}
		if !issuer.Complete() {
			return fabrique.StatementNoIssuerError()
		}
		// What the profile will invoice, against what validation reserved.
		var total, more int64
		var quarters int
		for _, k := range list {
			reserve, _ := fabrique.Reservation(k.Amount, profile, recoverable)
			total += k.Amount
			quarters += k.Quarters
			more += max(0, reserve-k.Reserved)
		}
		if more > 0 {
			free, err := uncommitted(ctx, tx, account, payer)
			if err != nil {
				return err
			}
			if more > free {
				return fabrique.StatementShortError(payer)
			}
			for _, k := range list {
				if reserve, rate := fabrique.Reservation(k.Amount, profile, recoverable); reserve > k.Reserved {
					if _, err := tx.Exec(ctx, `UPDATE contributions SET reserved = $2, vat_rate = $3 WHERE id = $1`, k.ID, reserve, rate); err != nil {
						return fmt.Errorf("postgres: reserve VAT: %w", err)
					}
				}
			}
		}
		year := now.In(i18n.Paris).Year()
		var seq int
		if err := tx.QueryRow(ctx, `INSERT INTO statement_counters (year, last) VALUES ($1, 1)
			ON CONFLICT (year) DO UPDATE SET last = statement_counters.last + 1 RETURNING last`, year).Scan(&seq); err != nil {
			return fmt.Errorf("postgres: statement number: %w", err)
		}
		number = fabrique.StatementNumber(year, seq)
		var id int64
		if err := tx.QueryRow(ctx, `INSERT INTO statements (number, year, seq, user_id, billing_profile_id, challenge_id, commons_id,
				total_ht, quarters, issuer_name, issuer_address, issuer_siren)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
			number, year, seq, userID, profile.ID, challengeID, nullable(commonsID), total, quarters,
			issuer.LegalName, issuer.Address, issuer.SIREN).Scan(&id); err != nil {
			return fmt.Errorf("postgres: insert statement: %w", err)
		}
		tag, err := tx.Exec(ctx, `UPDATE contributions SET statement_id = $2 WHERE id = ANY($1) AND statement_id IS NULL`, ids, id)
		if err != nil {
			return fmt.Errorf("postgres: bill contributions: %w", err)
		}
		if tag.RowsAffected() != int64(len(ids)) {
			return fabrique.StatementChoiceError()
		}
		return audit(ctx, tx, userID, "statement.create", "statement", id,
			fmt.Sprintf("number=%s contributions=%d total_ht=%d", number, len(ids), total))
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: statement of %d: %w", userID, mapError(err))
	}
	return db.StatementByNumber(ctx, number)
}

// StatementByNumber returns the statement numbered number with its contributions, or
// ErrStatementNotFound.
func (db *DB) StatementByNumber(ctx context.Context, number string) (*fabrique.Statement, error) {
	var s fabrique.Statement
	var commonsID int64
	var p fabrique.BillingProfile
	err := db.pool.QueryRow(ctx, `SELECT s.id, s.number, s.user_id, u.display_name, s.challenge_id, coalesce(s.commons_id, 0),
			coalesce(m.name, c.title), coalesce(m.slug, c.slug), s.total_ht, s.quarters,
			s.issuer_name, s.issuer_address, s.issuer_siren, s.created_at,
			p.id, p.kind, p.legal_name, p.trade_name, p.siret, p.vat_number, p.vat_regime, p.vat_rate
		FROM statements s JOIN users u ON u.id = s.user_id JOIN challenges c ON c.id = s.challenge_id
		LEFT JOIN commons m ON m.id = s.commons_id
		JOIN billing_profiles p ON p.id = s.billing_profile_id
		WHERE s.number = $1`, number).Scan(&s.ID, &s.Number, &s.UserID, &s.UserName, &s.Payer.ChallengeID, &commonsID,
		&s.PayerName, &s.PayerSlug, &s.TotalHT, &s.Quarters, &s.Issuer.LegalName, &s.Issuer.Address, &s.Issuer.SIREN, &s.CreatedAt,
		&p.ID, &p.Kind, &p.LegalName, &p.TradeName, &p.SIRET, &p.VATNumber, &p.VATRegime, &p.VATRate)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fabrique.ErrStatementNotFound
	} else if err != nil {
		return nil, fmt.Errorf("postgres: statement %s: %w", number, err)
	}
	s.Payer = payerOf(s.Payer.ChallengeID, commonsID)
	if commonsID == 0 {
		s.PayerSlug = "/defis/" + s.PayerSlug
	} else {
		s.PayerSlug = "/communs/" + s.PayerSlug
	}
	p.UserID = s.UserID
	s.Profile = p
	if s.Lines, err = collectContributions(db.pool.Query(ctx, contributionSelect+` WHERE k.statement_id = $1 ORDER BY k.worked_on, k.id`, s.ID)); err != nil {
		return nil, fmt.Errorf("postgres: lines of statement %s: %w", number, err)
	}
	return &s, nil
}

// UserStatements returns userID's statements, the latest first (at most limit).
func (db *DB) UserStatements(ctx context.Context, userID int64, limit int) ([]fabrique.StatementSummary, error) {
	rows, err := db.pool.Query(ctx, `SELECT s.number, s.created_at, s.total_ht, s.quarters, coalesce(m.name, c.title),
			(SELECT coalesce(sum(k.reserved), 0) FROM contributions k WHERE k.statement_id = s.id)
		FROM statements s JOIN challenges c ON c.id = s.challenge_id LEFT JOIN commons m ON m.id = s.commons_id
		WHERE s.user_id = $1 ORDER BY s.created_at DESC, s.id DESC LIMIT $2`, userID, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: statements of %d: %w", userID, err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (fabrique.StatementSummary, error) {
		var s fabrique.StatementSummary
		err := r.Scan(&s.Number, &s.CreatedAt, &s.TotalHT, &s.Quarters, &s.PayerName, &s.Reserved)
		return s, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: statements of %d: %w", userID, err)
	}
	return list, nil
}

package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// Pledges (promesses): a funder promises money to a step; a coordinator confirms the
// funds were received, which posts the ledger movement from the outside world to the
// commun's funds, or cancels it; the funder may change or withdraw it while it is a
// promise. Every decision locks, in this order, the pledge's call (in share mode, so
// closing the call waits for the decision and the decision sees a closing that came
// first), then the pledge's row; a resubmitted form is one pledge by the unique
// (user_id, idempotency_key).

// Audit actions on pledges.
const (
	AuditPledgeConfirm  = "pledge.confirm"
	AuditPledgeCancel   = "pledge.cancel"   // by a coordinator
	AuditPledgeWithdraw = "pledge.withdraw" // by its funder
	auditTargetPledge   = "pledge"
)

// pledgeSelect reads pledges with their step, commun, call and funder in one row.
const pledgeSelect = `
SELECT ` + pledgeColumns + `
FROM pledges p` + pledgeJoins

// pledgeColumns and pledgeJoins are pledgeSelect around its source p, so that a statement
// inserting a pledge returns it read as any other (insertedPledgeSQL).
const pledgeColumns = `p.id, p.step_id, coalesce(p.call_id, 0), p.user_id, p.funder_kind, p.amount, p.anonymous, p.message,
       p.state, p.created_at, p.updated_at, p.decided_at, coalesce(p.ledger_tx_id, 0),
       s.title, s.commons_id, m.slug, m.name, coalesce(c.slug, ''), coalesce(c.title, ''),
       u.display_name, u.email, coalesce(f.organisation, ''), coalesce(d.display_name, ''),
       coalesce(fp.id, 0), coalesce(fp.slug, ''), coalesce(fp.name, ''), fp.verified_at IS NOT NULL,
       coalesce((SELECT true FROM place_members pm WHERE pm.place_id = p.place_id AND pm.user_id = p.user_id), false),
       coalesce(c.payee, ''), coalesce(c.iban, ''), coalesce(c.reference_prefix, '')`

const pledgeJoins = `
JOIN steps s ON s.id = p.step_id
JOIN commons m ON m.id = s.commons_id
JOIN users u ON u.id = p.user_id
LEFT JOIN funders f ON f.user_id = p.user_id
LEFT JOIN places fp ON fp.id = p.place_id
LEFT JOIN calls c ON c.id = p.call_id
LEFT JOIN users d ON d.id = p.decided_by`

// scanPledge reads a row of pledgeColumns, then the columns after them into extra.
func scanPledge(row pgx.Row, extra ...any) (*fabrique.PledgeRecord, error) {
	var p fabrique.PledgeRecord
	var decided *time.Time
	dest := append([]any{&p.ID, &p.StepID, &p.CallID, &p.UserID, &p.FunderKind, &p.Amount, &p.Anonymous, &p.Message,
		&p.State, &p.CreatedAt, &p.UpdatedAt, &decided, &p.LedgerTxID,
		&p.StepTitle, &p.CommonsID, &p.CommonsSlug, &p.CommonsName, &p.CallSlug, &p.CallTitle,
		&p.UserName, &p.Email, &p.Organisation, &p.DecidedByName,
		&p.PlaceID, &p.PlaceSlug, &p.PlaceName, &p.PlaceVerified, &p.PlaceMember,
		&p.Payment.Payee, &p.Payment.IBAN, &p.Payment.ReferencePrefix}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	p.Unmatchable = !fabrique.PlacePledgeMatchable(p.FunderKind, p.PlaceVerified, p.PlaceMember)
	if decided != nil {
		p.DecidedAt = *decided
	}
	if !p.Anonymous {
		p.FunderName = p.PublicName()
	}
	return &p, nil
}

func collectPledges(rows pgx.Rows, err error) ([]*fabrique.PledgeRecord, error) {
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (*fabrique.PledgeRecord, error) { return scanPledge(r) })
}

const pledgeCallsSelect = `
SELECT c.id, c.slug, c.title, c.starts_on, c.ends_on, c.closed_at
FROM calls c JOIN call_steps cs ON cs.call_id = c.id
WHERE cs.step_id = $1
ORDER BY c.ends_on, c.id`

// scanPledgeCalls reads (and closes) the rows of pledgeCallsSelect.
func scanPledgeCalls(rows pgx.Rows) ([]fabrique.Call, error) {
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (fabrique.Call, error) {
		var c fabrique.Call
		var closed *time.Time
		err := r.Scan(&c.ID, &c.Slug, &c.Title, &c.StartsOn, &c.EndsOn, &closed)
		if closed != nil {
			c.ClosedAt = *closed
		}
		return c, err
	})
}

// openCall returns, among the calls of a step (ordered by end date), the first one open
// on today, or nil: a step in several open calls pledges to the one that ends first.
func openCall(calls []fabrique.Call, today time.Time) *fabrique.Call {
	for i := range calls {
		if calls[i].Phase(today) == fabrique.CallOpen {
			return &calls[i]
		}
	}
	return nil
}

// PledgeStepByID returns step id with its commun and the call open on today that a
// pledge would join, in one round trip.
func (db *DB) PledgeStepByID(ctx context.Context, id int64, today time.Time) (*fabrique.PledgeStep, error) {
	st, _, err := db.pledgeStep(ctx, id, today, 0)
	return st, err
}

// PledgeSetup is PledgeStepByID with userID's funder profile (nil when they have none),
// what a pledge form needs, read in the same round trip.
func (db *DB) PledgeSetup(ctx context.Context, stepID, userID int64, today time.Time) (*fabrique.PledgeStep, *fabrique.Funder, error) {
	return db.pledgeStep(ctx, stepID, today, userID)
}

// pledgeStep reads step id as PledgeStepByID does and, when userID is not 0, their funder
// profile, in one batch.
func (db *DB) pledgeStep(ctx context.Context, id int64, today time.Time, userID int64) (*fabrique.PledgeStep, *fabrique.Funder, error) {
	var st fabrique.PledgeStep
	var found bool
	var calls []fabrique.Call
	var funder *fabrique.Funder
	b := &pgx.Batch{}
	b.Queue(`SELECT s.id, s.commons_id, m.slug, m.name, s.title, s.description, s.goal, s.starts_on, s.ends_on, s.created_at
		 FROM steps s JOIN commons m ON m.id = s.commons_id WHERE s.id = $1`, id).QueryRow(func(row pgx.Row) (err error) {
		found, err = optionalRow(row.Scan(&st.ID, &st.CommonsID, &st.CommonsSlug, &st.CommonsName, &st.Title, &st.Description,
			&st.Goal, &st.StartsOn, &st.EndsOn, &st.CreatedAt), "step")
		return err
	})
	b.Queue(pledgeCallsSelect, id).Query(func(rows pgx.Rows) (err error) {
		calls, err = scanPledgeCalls(rows)
		return err
	})
	if userID != 0 {
		b.Queue(funderByUserSQL, userID).QueryRow(func(row pgx.Row) (err error) {
			funder, err = scanFunderByUser(row, userID)
			if fabrique.ErrorCode(err) == fabrique.ENOTFOUND {
				return nil
			}
			return err
		})
	}
	if err := db.pool.SendBatch(ctx, b).Close(); err != nil {
		return nil, nil, fmt.Errorf("postgres: step %d: %w", id, err)
	}
	if !found {
		return nil, nil, fabrique.ErrStepNotFound
	}
	if call := openCall(calls, today); call != nil {
		st.CallID, st.CallSlug, st.CallTitle = call.ID, call.Slug, call.Title
	}
	return &st, funder, nil
}

// CreatePledge records a promise of in.UserID to step in.StepID. The pledge joins the
// call open on in.Today that the step takes part in, if any; outside any open call (a
// step in no call, or only in calls upcoming or over) it is a pledge to the step alone,
// which no matching rule counts. in.Kind must be the funder profile's kind (EINVALID on
// "funder_kind"); an account without a profile gets in.Profile, checked like SaveFunder.
// A form sent again with the same idempotency key records nothing more: the pledge it
// recorded is returned with created false, even when both arrive at once. A key already
// used for another step is an ECONFLICT error.
func (db *DB) CreatePledge(ctx context.Context, in fabrique.NewPledge) (rec *fabrique.PledgeRecord, created bool, err error) {
	err = db.withTx(ctx, func(tx pgx.Tx) error {
		// One round trip for what the checks read, in the order they were sent apart:
		// the pledge this form already recorded, the step, its calls — in share mode, so
		// a call being closed waits for this pledge, and this pledge sees a closing
		// committed first (its row re-read once the lock is granted) — and the funder
		// profile, in share mode too, unless this pledge makes it (read once made).
		var keyedID, keyedStep int64 // the pledge this form already recorded, if any
		var stepFound, funderFound bool
		var calls []fabrique.Call
		var kind string
		var placeID *int64 // the profile's tiers-lieu, which a tiers-lieu pledge is made in the name of
		b := &pgx.Batch{}
		// Its id and step only: a form sent again is rare, and the pledge read whole (seven
		// joins to set up) only then.
		b.Queue(`SELECT id, step_id FROM pledges WHERE user_id = $1 AND idempotency_key = $2`,
			in.UserID, in.IdempotencyKey).QueryRow(func(row pgx.Row) (err error) {
			_, err = optionalRow(row.Scan(&keyedID, &keyedStep), "pledge")
			return err
		})
		b.Queue(`SELECT EXISTS (SELECT 1 FROM steps WHERE id = $1)`, in.StepID).QueryRow(func(row pgx.Row) error {
			return row.Scan(&stepFound)
		})
		b.Queue(pledgeCallsSelect+` FOR SHARE OF c`, in.StepID).Query(func(rows pgx.Rows) (err error) {
			calls, err = scanPledgeCalls(rows)
			return err
		})
		if in.Profile == nil {
			b.Queue(funderKindSQL, in.UserID).QueryRow(func(row pgx.Row) (err error) {
				funderFound, err = optionalRow(row.Scan(&kind, &placeID), "funder")
				return err
			})
		}
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return fmt.Errorf("postgres: pledge checks: %w", err)
		}
		if keyedID != 0 {
			if keyedStep != in.StepID {
				return fabrique.ErrPledgeKeyReused
			}
			keyed, err := scanPledge(tx.QueryRow(ctx, pledgeSelect+` WHERE p.id = $1`, keyedID))
			if err != nil {
				return fmt.Errorf("postgres: pledge %d: %w", keyedID, err)
			}
			rec = keyed
			return nil
		}
		if !stepFound {
			return fabrique.ErrStepNotFound
		}
		var callID any
		if call := openCall(calls, in.Today); call != nil {
			callID = call.ID
		}
		if in.Profile != nil {
			p := *in.Profile
			p.UserID = in.UserID
			place, err := funderPlace(ctx, tx, p, "funder_kind", "place_id")
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx,
				`INSERT INTO funders (user_id, kind, organisation, place_id) VALUES ($1, $2, $3, $4)
				 ON CONFLICT (user_id) DO NOTHING`, in.UserID, p.Kind, p.Organisation, place); err != nil {
				return fmt.Errorf("postgres: funder: %w", err)
			}
			if funderFound, err = optionalRow(tx.QueryRow(ctx, funderKindSQL, in.UserID).Scan(&kind, &placeID), "funder"); err != nil {
				return err
			}
		}
		if !funderFound {
			return fabrique.PledgeProfileMissingError()
		}
		if kind != in.Kind {
			return fabrique.PledgeKindMismatchError()
		}
		if kind != fabrique.FunderKindPlace {
			placeID = nil
		}
		// Inserted and read back, with the coordinators to tell, in one statement; no row
		// when the same form was committed meanwhile.
		var coordinators []int64
		rec, err = scanPledge(tx.QueryRow(ctx, insertedPledgeSQL,
			in.StepID, callID, in.UserID, in.Kind, in.Amount, in.Anonymous, in.Message, in.IdempotencyKey, placeID), &coordinators)
		switch {
		case errors.Is(err, pgx.ErrNoRows): // the same form, committed meanwhile
			rec, err = scanPledge(tx.QueryRow(ctx, pledgeByKeySQL, in.UserID, in.IdempotencyKey))
			if errors.Is(err, pgx.ErrNoRows) {
				return fmt.Errorf("postgres: pledge key %q vanished", in.IdempotencyKey)
			} else if err != nil {
				return fmt.Errorf("postgres: pledge by key: %w", err)
			}
			if rec.StepID != in.StepID {
				return fabrique.ErrPledgeKeyReused
			}
			return nil
		case err != nil:
			return fmt.Errorf("postgres: insert pledge: %w", err)
		}
		created = true
		return db.notify(ctx, tx, fabrique.PledgeToConfirmNotification(coordinators, rec))
	})
	if err != nil {
		return nil, false, fmt.Errorf("postgres: pledge to step %d: %w", in.StepID, mapError(err))
	}
	return rec, created, nil
}

const (
	// pledgeByKeySQL reads the pledge a funder ($1) recorded with an idempotency key ($2).
	pledgeByKeySQL = pledgeSelect + ` WHERE p.user_id = $1 AND p.idempotency_key = $2`
	// funderKindSQL locks a funder profile ($1 the account), whose kind and tiers-lieu a
	// pledge takes, in share mode: a change of profile waits for the pledge.
	funderKindSQL = `SELECT kind, place_id FROM funders WHERE user_id = $1 FOR SHARE`
	// insertedPledgeSQL inserts a pledge unless its idempotency key was used, and returns
	// it as pledgeSelect reads it, then the coordinators' accounts.
	insertedPledgeSQL = `
WITH p AS (
	INSERT INTO pledges (step_id, call_id, user_id, funder_kind, amount, anonymous, message, idempotency_key, place_id)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
	ON CONFLICT (user_id, idempotency_key) DO NOTHING RETURNING *)
SELECT ` + pledgeColumns + `,
       array(SELECT id FROM users WHERE role = 'coordinator' ORDER BY id)
FROM p` + pledgeJoins
)

// PledgeByID returns the pledge id.
func (db *DB) PledgeByID(ctx context.Context, id int64) (*fabrique.PledgeRecord, error) {
	rec, err := scanPledge(db.pool.QueryRow(ctx, pledgeSelect+` WHERE p.id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fabrique.ErrPledgeNotFound
	} else if err != nil {
		return nil, fmt.Errorf("postgres: pledge %d: %w", id, err)
	}
	return rec, nil
}

// lockPledge locks the pledge's call in share mode, then the pledge's row, and returns
// the pledge as it is once locked.
func lockPledge(ctx context.Context, tx pgx.Tx, id int64) (*fabrique.PledgeRecord, error) {
	var callID *int64
	err := tx.QueryRow(ctx, `SELECT call_id FROM pledges WHERE id = $1`, id).Scan(&callID)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fabrique.ErrPledgeNotFound
	} else if err != nil {
		return nil, fmt.Errorf("postgres: pledge call: %w", err)
	}
	if callID != nil { // a pledge never changes call: this is the call locked below too
		if _, err := tx.Exec(ctx, `SELECT 1 FROM calls WHERE id = $1 FOR SHARE`, *callID); err != nil {
			return nil, fmt.Errorf("postgres: lock call: %w", err)
		}
	}
	rec, err := scanPledge(tx.QueryRow(ctx, pledgeSelect+` WHERE p.id = $1 FOR UPDATE OF p`, id))
	if err != nil {
		return nil, fmt.Errorf("postgres: lock pledge: %w", err)
	}
	return rec, nil
}

// UpdatePledge changes the promise id on behalf of its funder (EFORBIDDEN for anyone
// else); a pledge no longer a promise is an ECONFLICT error.
func (db *DB) UpdatePledge(ctx context.Context, id int64, actor *fabrique.User, ch fabrique.PledgeChange) (rec *fabrique.PledgeRecord, err error) {
	err = db.withTx(ctx, func(tx pgx.Tx) error {
		if rec, err = lockPledge(ctx, tx, id); err != nil {
			return err
		}
		if _, err := fabrique.CheckPledgeDecision(actor, fabrique.PledgeModify, rec.UserID, rec.State); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE pledges SET amount = $2, anonymous = $3, message = $4, updated_at = now() WHERE id = $1`,
			id, ch.Amount, ch.Anonymous, ch.Message); err != nil {
			return fmt.Errorf("postgres: update pledge: %w", err)
		}
		rec, err = scanPledge(tx.QueryRow(ctx, pledgeSelect+` WHERE p.id = $1`, id))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: update pledge %d: %w", id, mapError(err))
	}
	return rec, nil
}

// CancelPledge cancels the promise id: withdrawn by its funder, or cancelled by a
// coordinator (EFORBIDDEN for anyone else), recorded in the audit trail. A pledge already
// cancelled is returned with already set (a second click); a confirmed or expired one is
// an ECONFLICT error.
func (db *DB) CancelPledge(ctx context.Context, id int64, actor *fabrique.User) (rec *fabrique.PledgeRecord, already bool, err error) {
	err = db.withTx(ctx, func(tx pgx.Tx) error {
		if rec, err = lockPledge(ctx, tx, id); err != nil {
			return err
		}
		mine := rec.UserID == actor.ID
		if already, err = fabrique.CheckPledgeDecision(actor, fabrique.PledgeCancel, rec.UserID, rec.State); err != nil || already {
			return err
		}
		if _, err := tx.Exec(ctx,
			`UPDATE pledges SET state = 'annulee', decided_by = $2, decided_at = now(), updated_at = now() WHERE id = $1`,
			id, actor.ID); err != nil {
			return fmt.Errorf("postgres: cancel pledge: %w", err)
		}
		action := AuditPledgeCancel
		if mine {
			action = AuditPledgeWithdraw
		}
		if err := audit(ctx, tx, actor.ID, action, auditTargetPledge, id, fabrique.PledgeAuditDetail(rec)); err != nil {
			return err
		}
		rec, err = scanPledge(tx.QueryRow(ctx, pledgeSelect+` WHERE p.id = $1`, id))
		return err
	})
	if err != nil {
		return nil, false, fmt.Errorf("postgres: cancel pledge %d: %w", id, mapError(err))
	}
	return rec, already, nil
}

// ConfirmPledge records, on behalf of actor (a coordinator, not its funder: EFORBIDDEN),
// that the funds of the promise id were received: it posts the pledge from the outside
// world to the commun's funds and marks the pledge confirmed with the movement, in one
// transaction, recorded in the audit trail. expected, when not zero, is the amount the
// coordinator saw: a promise changed since is an ECONFLICT error rather than confirmed at
// an amount nobody checked. A pledge already confirmed is returned with already set, so a
// confirmation clicked twice moves money once; a cancelled or expired one is an ECONFLICT
// error.
func (db *DB) ConfirmPledge(ctx context.Context, id int64, actor *fabrique.User, expected int64) (rec *fabrique.PledgeRecord, already bool, err error) {
	err = db.withTx(ctx, func(tx pgx.Tx) error {
		if rec, err = lockPledge(ctx, tx, id); err != nil {
			return err
		}
		if already, err = fabrique.CheckPledgeDecision(actor, fabrique.PledgeConfirm, rec.UserID, rec.State); err != nil || already {
			return err
		}
		if expected != 0 && expected != rec.Amount {
			return fabrique.ErrPledgeAmountChanged
		}
		txID, err := post(ctx, tx, fabrique.Movement{
			Kind: fabrique.TxPledge, Amount: rec.Amount,
			From: fabrique.AccountRef{Kind: fabrique.AccountOutside}, To: fabrique.AccountRef{Kind: fabrique.AccountCommonsFunds, CommonsID: rec.CommonsID},
			CauseType: auditTargetPledge, CauseID: id,
			Memo:   fabrique.PledgeMemo(rec), // public: an anonymous funder stays anonymous
			UserID: actor.ID,
		})
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx,
			`UPDATE pledges SET state = 'confirmee', ledger_tx_id = $2, decided_by = $3, decided_at = now(), updated_at = now()
			 WHERE id = $1`, id, txID, actor.ID); err != nil {
			return fmt.Errorf("postgres: confirm pledge: %w", err)
		}
		if err := audit(ctx, tx, actor.ID, AuditPledgeConfirm, auditTargetPledge, id, fabrique.PledgeAuditDetail(rec)); err != nil {
			return err
		}
		if rec, err = scanPledge(tx.QueryRow(ctx, pledgeSelect+` WHERE p.id = $1`, id)); err != nil {
			return err
		}
		return db.notify(ctx, tx, fabrique.PledgeConfirmedNotification(rec))
	})
	if err != nil {
		return nil, false, fmt.Errorf("postgres: confirm pledge %d: %w", id, mapError(err))
	}
	return rec, already, nil
}

// CallPledges returns the pledges made in the call callID, oldest first, at most limit
// (0: all): every funder's when userID is 0, else userID's own.
func (db *DB) CallPledges(ctx context.Context, callID, userID int64, limit int) ([]*fabrique.PledgeRecord, error) {
	sql, args := callPledgesQuery(callID, userID, limit)
	rows, err := db.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: pledges of call %d: %w", callID, err)
	}
	return scanCallPledges(rows, callID)
}

// callPledgesQuery is CallPledges' query and its arguments, which CallPage sends in its
// batch too. One text for a person's pledges and another for all of them, not one with
// "$2 = 0 OR user_id = $2": once PostgreSQL settles on a generic plan for such a text, a
// member's few pledges are found by reading every pledge of the call (20 ms on 500).
func callPledgesQuery(callID, userID int64, limit int) (string, []any) {
	var lim any // NULL: no limit
	if limit > 0 {
		lim = limit
	}
	if userID == 0 {
		return callPledgesAllSQL, []any{callID, lim}
	}
	return callPledgesOwnSQL, []any{callID, lim, userID}
}

const (
	callPledgesAllSQL = pledgeSelect + ` WHERE p.call_id = $1 ORDER BY p.created_at, p.id LIMIT $2`
	callPledgesOwnSQL = pledgeSelect + ` WHERE p.call_id = $1 AND p.user_id = $3 ORDER BY p.created_at, p.id LIMIT $2`
)

// scanCallPledges reads (and closes) the rows of callPledgesQuery.
func scanCallPledges(rows pgx.Rows, callID int64) ([]*fabrique.PledgeRecord, error) {
	list, err := collectPledges(rows, nil)
	if err != nil {
		return nil, fmt.Errorf("postgres: pledges of call %d: %w", callID, err)
	}
	return list, nil
}

// CallPledgesBySlug returns every pledge of the call with slug, by step then oldest
// first, for the coordination's export; an unknown call is an ENOTFOUND error.
func (db *DB) CallPledgesBySlug(ctx context.Context, slug string) ([]*fabrique.PledgeRecord, error) {
	var id int64
	err := db.pool.QueryRow(ctx, `SELECT id FROM calls WHERE slug = $1`, slug).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fabrique.ErrCallExportNotFound
	} else if err != nil {
		return nil, fmt.Errorf("postgres: call %q: %w", slug, err)
	}
	list, err := collectPledges(db.pool.Query(ctx, pledgeSelect+
		` WHERE p.call_id = $1 ORDER BY m.name, s.starts_on, s.id, p.created_at, p.id`, id))
	if err != nil {
		return nil, fmt.Errorf("postgres: pledges of call %q: %w", slug, err)
	}
	return list, nil
}

// UserPledges returns a page of userID's pledges, the latest first, and how many they made.
func (db *DB) UserPledges(ctx context.Context, userID int64, limit, offset int) ([]*fabrique.PledgeRecord, int, error) {
	list, err := collectPledges(db.pool.Query(ctx, userPledgesSQL, userID, limit, offset))
	if err != nil {
		return nil, 0, fmt.Errorf("postgres: pledges of user %d: %w", userID, err)
	}
	total := len(list)
	if offset > 0 || total == limit {
		if err := db.pool.QueryRow(ctx, `SELECT count(*) FROM pledges WHERE user_id = $1`, userID).Scan(&total); err != nil {
			return nil, 0, fmt.Errorf("postgres: count pledges of user %d: %w", userID, err)
		}
	}
	return list, total, nil
}

// userPledgesSQL is UserPledges' query ($1 the account, $2 limit, $3 offset).
const userPledgesSQL = pledgeSelect + ` WHERE p.user_id = $1 ORDER BY p.created_at DESC, p.id DESC LIMIT $2 OFFSET $3`

// WaitingPledges returns a page of the promises waiting for their funds, the oldest
// first, and how many wait.
func (db *DB) WaitingPledges(ctx context.Context, limit, offset int) ([]*fabrique.PledgeRecord, int, error) {
	list, err := collectPledges(db.pool.Query(ctx, pledgeSelect+
		` WHERE p.state = 'promise' ORDER BY p.created_at, p.id LIMIT $1 OFFSET $2`, limit, offset))
	if err != nil {
		return nil, 0, fmt.Errorf("postgres: waiting pledges: %w", err)
	}
	total := len(list)
	if offset > 0 || total == limit {
		if err := db.pool.QueryRow(ctx, `SELECT count(*) FROM pledges WHERE state = 'promise'`).Scan(&total); err != nil {
			return nil, 0, fmt.Errorf("postgres: count waiting pledges: %w", err)
		}
	}
	return list, total, nil
}

package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// Rendez-vous (DESIGN §2): creating and editing them, the agenda, and registration within
// capacity. Every registration and withdrawal locks the rendez-vous' row first, so that
// counting the seats and taking one is a single step for concurrent requests: the capacity
// is never exceeded, and a withdrawal promotes the first person waiting in its own
// transaction.

const eventFrom = ` FROM events e
	LEFT JOIN commons k ON k.id = e.commons_id
	LEFT JOIN challenges c ON c.id = e.challenge_id
	LEFT JOIN places p ON p.id = e.place_id
	JOIN users o ON o.id = e.organiser_id`

const eventColumns = `e.id, e.slug, e.kind, e.title, e.summary, e.description,
	e.commons_id, coalesce(k.slug, ''), coalesce(k.name, ''),
	e.challenge_id, coalesce(c.slug, ''), coalesce(c.title, ''),
	e.place_id, coalesce(p.slug, ''), coalesce(p.name, ''), coalesce(p.city, ''), coalesce(p.region, ''),
	e.online, e.visio_url, e.starts_at, e.ends_at, e.capacity, e.organiser_id, o.display_name,
	e.sequence, e.cancelled_at, e.cancel_reason, e.minutes, e.replay_url, e.created_at, e.updated_at,
	(SELECT count(*) FROM event_registrations r WHERE r.event_id = e.id AND r.state = 'inscrit'),
	(SELECT count(*) FROM event_registrations r WHERE r.event_id = e.id AND r.state = 'attente')`

// scanEvent reads eventColumns, then extra, the columns a query adds after them.
func scanEvent(row pgx.Row, extra ...any) (*fabrique.Event, error) {
	var e fabrique.Event
	err := row.Scan(append(eventDest(&e), extra...)...)
	return &e, err
}

// eventDest are the destinations of eventColumns in e.
func eventDest(e *fabrique.Event) []any {
	return []any{&e.ID, &e.Slug, &e.Kind, &e.Title, &e.Summary, &e.Description,
		&e.CommonsID, &e.CommonsSlug, &e.CommonsName,
		&e.ChallengeID, &e.ChallengeSlug, &e.ChallengeTitle,
		&e.PlaceID, &e.PlaceSlug, &e.PlaceName, &e.PlaceCity, &e.PlaceRegion,
		&e.Online, &e.VisioURL, &e.StartsAt, &e.EndsAt, &e.Capacity, &e.OrganiserID, &e.OrganiserName,
		&e.Sequence, &e.CancelledAt, &e.CancelReason, &e.Minutes, &e.ReplayURL, &e.CreatedAt, &e.UpdatedAt,
		&e.Registered, &e.Waiting}
}

// eventLinks resolves the slugs a form names into ids; an unknown one is a field error.
func eventLinks(ctx context.Context, q DBTX, f fabrique.EventForm) (commonsID, challengeID, placeID *int64, err error) {
	lookup := func(sql, slug string, unknown func() error) (*int64, error) {
		if slug == "" {
			return nil, nil
		}
		var id int64
		if err := q.QueryRow(ctx, sql, slug).Scan(&id); errors.Is(err, pgx.ErrNoRows) {
			return nil, unknown()
		} else if err != nil {
			return nil, err
		}
		return &id, nil
	}
	var v fabrique.Validation
	add := func(e error) error {
		var fe *fabrique.Error
		if errors.As(e, &fe) {
			for k, m := range fe.Fields {
				v.Add(k, m)
			}
			return nil
		}
		return e
	}
	if commonsID, err = lookup(`SELECT id FROM commons WHERE slug = $1`, f.CommonsSlug, fabrique.EventCommonsUnknownError); add(err) != nil {
		return nil, nil, nil, err
	}
	if challengeID, err = lookup(`SELECT id FROM challenges WHERE slug = $1`, f.ChallengeSlug, fabrique.EventChallengeUnknownError); add(err) != nil {
		return nil, nil, nil, err
	}
	if placeID, err = lookup(`SELECT id FROM places WHERE slug = $1`, f.PlaceSlug, fabrique.EventPlaceUnknownError); add(err) != nil {
		return nil, nil, nil, err
	}
	return commonsID, challengeID, placeID, v.Err()
}

// eventPorteurSQL is true when the user (user) leads the défi (challenge, an id) or the
// défi the commun (commons, an id) came from: the porteur·se who may organise a
// rendez-vous about them. Its three arguments are SQL expressions.
func eventPorteurSQL(user, challenge, commons string) string {
	return `(EXISTS (SELECT 1 FROM challenges WHERE id = ` + challenge + ` AND lead_id = ` + user + `)
	     OR EXISTS (SELECT 1 FROM challenge_commons cc JOIN challenges c ON c.id = cc.challenge_id
	                 WHERE cc.commons_id = ` + commons + ` AND cc.relation = 'origine' AND c.lead_id = ` + user + `))`
}

// isEventPorteur reports whether userID is the porteur·se of the défi challengeID or of the
// défi the commun commonsID came from (eventPorteurSQL).
func isEventPorteur(ctx context.Context, q DBTX, userID int64, commonsID, challengeID *int64) (bool, error) {
	var ok bool
	err := q.QueryRow(ctx, `SELECT `+eventPorteurSQL("$1", "$2", "$3"), userID, challengeID, commonsID).Scan(&ok)
	return ok, err
}

// MayOrganiseEvent reports whether u may create a rendez-vous linked to the commun and défi
// named (slugs, either may be ""): a coordinator, or their porteur·se.
func (db *DB) MayOrganiseEvent(ctx context.Context, u *fabrique.User, commonsSlug, challengeSlug string) (bool, error) {
	if u == nil {
		return false, nil
	}
	if u.IsCoordinator() {
		return true, nil
	}
	var ok bool
	err := db.pool.QueryRow(ctx, `SELECT `+eventPorteurSQL("$1",
		"(SELECT id FROM challenges WHERE slug = $2)", "(SELECT id FROM commons WHERE slug = $3)"),
		u.ID, challengeSlug, commonsSlug).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("postgres: may organise: %w", mapError(err))
	}
	return ok, nil
}

// CreateEvent creates the rendez-vous of f, organised by u, once the form is valid: u must
// be a coordinator or the porteur·se of the commun or défi it names.
func (db *DB) CreateEvent(ctx context.Context, u *fabrique.User, f fabrique.EventForm) (*fabrique.Event, error) {
	base := fabrique.Slugify(f.Title)
	if base == "" {
		return nil, fabrique.ErrNameWithoutSlug
	}
	var e *fabrique.Event
	err := db.withTx(ctx, func(tx pgx.Tx) error {
		commonsID, challengeID, placeID, err := eventLinks(ctx, tx, f)
		if err != nil {
			return err
		}
		porteur, err := isEventPorteur(ctx, tx, u.ID, commonsID, challengeID)
		if err != nil {
			return err
		}
		if err := fabrique.CheckOrganiser(u, porteur); err != nil {
			return err
		}
		id, _, err := insertWithSlug(ctx, tx, "events", base, func(slug string) pgx.Row {
			return tx.QueryRow(ctx,
				`INSERT INTO events (slug, kind, title, summary, description, commons_id, challenge_id, place_id,
				                     online, visio_url, starts_at, ends_at, capacity, organiser_id)
				 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
				 ON CONFLICT (slug) DO NOTHING RETURNING id`,
				slug, f.Kind, f.Title, f.Summary, f.Description, commonsID, challengeID, placeID,
				f.Online, f.VisioURL, f.Starts, f.Ends, f.Cap, u.ID)
		})
		if err != nil {
			return err
		}
		if err := audit(ctx, tx, u.ID, "event.create", "event", id, fabrique.EventAuditDetail(f.Title)); err != nil {
			return err
		}
		e, err = scanEvent(tx.QueryRow(ctx, `SELECT `+eventColumns+eventFrom+` WHERE e.id = $1`, id))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: create event: %w", mapError(err))
	}
	return e, nil
}

// EventBySlug returns the rendez-vous with slug.
func (db *DB) EventBySlug(ctx context.Context, slug string) (*fabrique.Event, error) {
	e, err := scanEvent(db.pool.QueryRow(ctx, `SELECT `+eventColumns+eventFrom+` WHERE e.slug = $1`, slug))
	if err != nil {
		return nil, fmt.Errorf("postgres: event %q: %w", slug, mapError(err))
	}
	return e, nil
}

// EventIDBySlug returns the id of the rendez-vous slug (ENOTFOUND when none has it).
func (db *DB) EventIDBySlug(ctx context.Context, slug string) (int64, error) {
	var id int64
	if err := db.pool.QueryRow(ctx, `SELECT id FROM events WHERE slug = $1`, slug).Scan(&id); err != nil {
		return 0, fmt.Errorf("postgres: event %q: %w", slug, mapError(err))
	}
	return id, nil
}

// EventViewer returns what the page of e needs to know of u: their registration (with
// their rank on the waiting list) and whether they organise it.
func (db *DB) EventViewer(ctx context.Context, e *fabrique.Event, u *fabrique.User) (fabrique.EventViewerFacts, error) {
	var f fabrique.EventViewerFacts
	if u == nil {
		return f, nil
	}
	var (
		r        fabrique.Registration
		found    bool
		organise bool
	)
	err := db.pool.QueryRow(ctx,
		`SELECT r.state IS NOT NULL, coalesce(r.state, ''), coalesce(r.message, ''), coalesce(r.registered_at, now()), r.promoted_at, coalesce(r.present, false),
		        CASE WHEN r.state = 'attente' THEN
		            (SELECT count(*) FROM event_registrations w WHERE w.event_id = $1 AND w.state = 'attente'
		                AND (w.registered_at, w.id) <= (r.registered_at, r.id)) ELSE 0 END,
		        e.organiser_id = $2 OR `+eventPorteurSQL("$2", "(e.challenge_id)", "(e.commons_id)")+`
		   FROM events e LEFT JOIN event_registrations r ON r.event_id = e.id AND r.user_id = $2
		  WHERE e.id = $1`, e.ID, u.ID).
		Scan(&found, &r.State, &r.Message, &r.RegisteredAt, &r.PromotedAt, &r.Present, &r.Position, &organise)
	if err != nil {
		return f, fmt.Errorf("postgres: event viewer: %w", mapError(err))
	}
	if found {
		r.EventID, r.UserID = e.ID, u.ID
		f.Registration = &r
	}
	f.Organiser = organise
	return f, nil
}

// Events returns a page of the agenda and how many rendez-vous match f: upcoming ones
// (not over at f.Now) soonest first, or past ones latest first.
func (db *DB) Events(ctx context.Context, f fabrique.EventFilter) ([]*fabrique.Event, int, error) {
	if f.Limit <= 0 {
		f.Limit = 20
	}
	if f.Now.IsZero() {
		f.Now = time.Now()
	}
	where := ` WHERE ($1 = '' OR e.kind = $1) AND ($2 = '' OR p.region = $2) AND ($3 = '' OR k.slug = $3)
	            AND (CASE WHEN $4 THEN e.ends_at <= $5 ELSE e.ends_at > $5 END)
	            AND ($6 = '' OR c.slug = $6 OR e.commons_id IN (SELECT cc.commons_id FROM challenge_commons cc
	                 JOIN challenges o ON o.id = cc.challenge_id WHERE o.slug = $6 AND cc.relation = 'origine'))
	            AND (NOT $7 OR e.cancelled_at IS NULL)`
	order := ` ORDER BY e.starts_at, e.id`
	if f.Past {
		order = ` ORDER BY e.starts_at DESC, e.id DESC`
	}
	args := []any{f.Kind, f.Region, f.CommonsSlug, f.Past, f.Now, f.ChallengeSlug, f.NotCancelled}
	var total int
	if !f.NoCount {
		if err := db.pool.QueryRow(ctx, `SELECT count(*)`+eventFrom+where, args...).Scan(&total); err != nil {
			return nil, 0, fmt.Errorf("postgres: count events: %w", mapError(err))
		}
	}
	rows, err := db.pool.Query(ctx, `SELECT `+eventColumns+eventFrom+where+order+` LIMIT $8 OFFSET $9`,
		append(args, f.Limit, max(f.Offset, 0))...)
	if err != nil {
		return nil, 0, fmt.Errorf("postgres: events: %w", mapError(err))
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*fabrique.Event, error) { return scanEvent(r) })
	if err != nil {
		return nil, 0, fmt.Errorf("postgres: events: %w", mapError(err))
	}
	return list, total, nil
}

// lockEvent reads the rendez-vous id locked for the transaction. The lock and the read
// are two statements, so that the read — its counts of seats taken — sees what was
// committed while the lock was awaited (a statement's snapshot is taken when it starts);
// sent as one batch, in one round trip.
func lockEvent(ctx context.Context, tx pgx.Tx, id int64) (*fabrique.Event, error) {
	var e *fabrique.Event
	b := &pgx.Batch{}
	b.Queue(`SELECT 1 FROM events WHERE id = $1 FOR UPDATE`, id)
	b.Queue(`SELECT `+eventColumns+eventFrom+` WHERE e.id = $1`, id).QueryRow(func(row pgx.Row) (err error) {
		e, err = scanEvent(row)
		return err
	})
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return nil, err
	}
	return e, nil
}

// RegisterForEvent registers userID for the rendez-vous id, with message: a seat while
// one is free, else a place on the waiting list. Registering again changes only the
// message. It returns the registration (its state and rank) and whether it is new.
func (db *DB) RegisterForEvent(ctx context.Context, id, userID int64, message string, now time.Time) (*fabrique.Registration, bool, error) {
	var (
		reg     fabrique.Registration
		created bool
	)
	err := db.withTx(ctx, func(tx pgx.Tx) error {
		e, err := lockEvent(ctx, tx, id)
		if err != nil {
			return err
		}
		switch {
		case e.Cancelled():
			return fabrique.ErrEventCancelled
		case e.Started(now):
			return fabrique.ErrRegistrationClosed
		}
		state := fabrique.RegistrationRegistered
		if e.Full() {
			state = fabrique.RegistrationWaiting
		}
		// Written and read back in one statement: xmax is 0 on a row it inserted, not on
		// one it updated; the rank on the waiting list counts those waiting before it (the
		// event's lock keeps any other registration to it out meanwhile; the row itself,
		// new, is not in the statement's snapshot, hence the strict comparison and + 1).
		err = tx.QueryRow(ctx,
			`WITH r AS (
			   INSERT INTO event_registrations (event_id, user_id, state, message) VALUES ($1, $2, $3, $4)
			   ON CONFLICT (event_id, user_id) DO UPDATE SET message = EXCLUDED.message
			   RETURNING *, xmax = 0 AS created)
			 SELECT r.created, r.state, r.message, r.registered_at, r.promoted_at, r.present,
			        CASE WHEN r.state = 'attente' THEN 1 +
			            (SELECT count(*) FROM event_registrations w WHERE w.event_id = r.event_id AND w.state = 'attente'
			                AND (w.registered_at, w.id) < (r.registered_at, r.id)) ELSE 0 END
			   FROM r`,
			id, userID, state, message).
			Scan(&created, &reg.State, &reg.Message, &reg.RegisteredAt, &reg.PromotedAt, &reg.Present, &reg.Position)
		reg.EventID, reg.UserID = id, userID
		if err != nil || !created {
			return err
		}
		return db.notify(ctx, tx, fabrique.EventRegisteredNotification(userID, e, reg.State == fabrique.RegistrationWaiting, reg.Position))
	})
	if err != nil {
		return nil, false, fmt.Errorf("postgres: register for event %d: %w", id, mapError(err))
	}
	return &reg, created, nil
}

// WithdrawFromEvent removes userID's registration (or place on the waiting list) from the
// rendez-vous id; a seat freed goes, in the same transaction, to the first person waiting,
// whose id it returns (0 when nobody was promoted).
func (db *DB) WithdrawFromEvent(ctx context.Context, id, userID int64, now time.Time) (promoted int64, err error) {
	err = db.withTx(ctx, func(tx pgx.Tx) error {
		e, err := lockEvent(ctx, tx, id)
		if err != nil {
			return err
		}
		if e.Started(now) && !e.Cancelled() {
			return fabrique.ErrRegistrationClosed
		}
		var state string
		err = tx.QueryRow(ctx, `DELETE FROM event_registrations WHERE event_id = $1 AND user_id = $2 RETURNING state`, id, userID).Scan(&state)
		if errors.Is(err, pgx.ErrNoRows) {
			return fabrique.ErrNotRegistered
		} else if err != nil {
			return err
		}
		if state != fabrique.RegistrationRegistered || e.Cancelled() {
			return nil
		}
		if promoted, err = promote(ctx, tx, id); err != nil || promoted == 0 {
			return err
		}
		return db.notify(ctx, tx, fabrique.EventPromotedNotification([]int64{promoted}, e))
	})
	if err != nil {
		return 0, fmt.Errorf("postgres: withdraw from event %d: %w", id, mapError(err))
	}
	return promoted, nil
}

// promote gives a free seat of the locked rendez-vous id to the first person waiting, if
// a seat is free and someone waits, and returns their id (0 otherwise).
func promote(ctx context.Context, tx pgx.Tx, id int64) (int64, error) {
	var userID int64
	err := tx.QueryRow(ctx,
		`UPDATE event_registrations SET state = 'inscrit', promoted_at = now()
		  WHERE id = (SELECT r.id FROM event_registrations r JOIN events e ON e.id = r.event_id
		               WHERE r.event_id = $1 AND r.state = 'attente'
		                 AND (e.capacity IS NULL OR e.capacity > (SELECT count(*) FROM event_registrations s
		                                                          WHERE s.event_id = $1 AND s.state = 'inscrit'))
		               ORDER BY r.registered_at, r.id LIMIT 1)
		  RETURNING user_id`, id).Scan(&userID)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	return userID, err
}

// EventRegistrations returns the people of the rendez-vous id: registered ones in
// arrival order, then those waiting in their order.
func (db *DB) EventRegistrations(ctx context.Context, id int64) ([]fabrique.Registration, error) {
	rows, err := db.pool.Query(ctx,
		`SELECT r.event_id, r.user_id, u.display_name, u.email, r.state,
		        CASE WHEN r.state = 'attente' THEN row_number() OVER (PARTITION BY r.state ORDER BY r.registered_at, r.id) ELSE 0 END,
		        r.message, r.registered_at, r.promoted_at, r.present
		   FROM event_registrations r JOIN users u ON u.id = r.user_id
		  WHERE r.event_id = $1
		  ORDER BY r.state = 'attente', r.registered_at, r.id`, id)
	if err != nil {
		return nil, fmt.Errorf("postgres: registrations of %d: %w", id, mapError(err))
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (fabrique.Registration, error) {
		var g fabrique.Registration
		err := r.Scan(&g.EventID, &g.UserID, &g.Name, &g.Email, &g.State, &g.Position, &g.Message, &g.RegisteredAt, &g.PromotedAt, &g.Present)
		return g, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: registrations of %d: %w", id, mapError(err))
	}
	return list, nil
}

// CancelEvent cancels the rendez-vous id with reason, by u (its organiser or a
// coordinator, checked by the caller): it stays visible, marked cancelled; registrations
// stay, to tell people. It returns the ids of the people registered or waiting.
func (db *DB) CancelEvent(ctx context.Context, u *fabrique.User, id int64, reason string) ([]int64, error) {
	var people []int64
	err := db.withTx(ctx, func(tx pgx.Tx) error {
		e, err := lockEvent(ctx, tx, id)
		if err != nil {
			return err
		}
		if e.Cancelled() {
			return fabrique.ErrEventCancelled
		}
		if _, err := tx.Exec(ctx,
			`UPDATE events SET cancelled_at = now(), cancel_reason = $2, sequence = sequence + 1, updated_at = now() WHERE id = $1`,
			id, reason); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT user_id FROM event_registrations WHERE event_id = $1 ORDER BY id`, id)
		if err != nil {
			return err
		}
		if people, err = pgx.CollectRows(rows, pgx.RowTo[int64]); err != nil {
			return err
		}
		if err := db.notify(ctx, tx, fabrique.EventCancelledNotification(people, e, reason)); err != nil {
			return err
		}
		return audit(ctx, tx, u.ID, "event.cancel", "event", id, fabrique.EventAuditDetail(e.Title))
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: cancel event %d: %w", id, mapError(err))
	}
	return people, nil
}

// UpdateEvent replaces the fields of the rendez-vous id with f, by u (its organiser or a
// coordinator, checked by the caller). The slug stays. A capacity raised promotes people
// waiting; one below the seats taken is refused. It returns the rendez-vous, the ids of
// the people registered when its dates changed (to tell them), and those promoted.
func (db *DB) UpdateEvent(ctx context.Context, u *fabrique.User, id int64, f fabrique.EventForm) (e *fabrique.Event, moved []int64, promoted []int64, err error) {
	err = db.withTx(ctx, func(tx pgx.Tx) error {
		old, err := lockEvent(ctx, tx, id)
		if err != nil {
			return err
		}
		if old.Cancelled() {
			return fabrique.ErrEventCancelled
		}
		commonsID, challengeID, placeID, err := eventLinks(ctx, tx, f)
		if err != nil {
			return err
		}
		if f.Cap != nil && *f.Cap < old.Registered {
			return fabrique.ErrCapacityBelowRegistered
		}
		if _, err := tx.Exec(ctx,
			`UPDATE events SET kind = $2, title = $3, summary = $4, description = $5, commons_id = $6, challenge_id = $7,
			        place_id = $8, online = $9, visio_url = $10, starts_at = $11, ends_at = $12, capacity = $13,
			        sequence = sequence + 1, updated_at = now()
			  WHERE id = $1`,
			id, f.Kind, f.Title, f.Summary, f.Description, commonsID, challengeID, placeID,
			f.Online, f.VisioURL, f.Starts, f.Ends, f.Cap); err != nil {
			return err
		}
		if !old.StartsAt.Equal(f.Starts) || !old.EndsAt.Equal(f.Ends) {
			rows, err := tx.Query(ctx, `SELECT user_id FROM event_registrations WHERE event_id = $1 ORDER BY id`, id)
			if err != nil {
				return err
			}
			if moved, err = pgx.CollectRows(rows, pgx.RowTo[int64]); err != nil {
				return err
			}
		}
		for {
			p, err := promote(ctx, tx, id)
			if err != nil {
				return err
			}
			if p == 0 {
				break
			}
			promoted = append(promoted, p)
		}
		if err := audit(ctx, tx, u.ID, "event.update", "event", id, fabrique.EventAuditDetail(f.Title)); err != nil {
			return err
		}
		if e, err = scanEvent(tx.QueryRow(ctx, `SELECT `+eventColumns+eventFrom+` WHERE e.id = $1`, id)); err != nil {
			return err
		}
		return db.notifyAll(ctx, tx, fabrique.EventChangedNotification(moved, e), fabrique.EventPromotedNotification(promoted, e))
	})
	if err != nil {
		return nil, nil, nil, fmt.Errorf("postgres: update event %d: %w", id, mapError(err))
	}
	return e, moved, promoted, nil
}

// EventFormChoices returns the communs and the tiers-lieux the rendez-vous form offers,
// by name.
func (db *DB) EventFormChoices(ctx context.Context) ([]fabrique.CommonsChoice, []fabrique.PlaceChoice, error) {
	commons, err := db.CommonsChoices(ctx)
	if err != nil {
		return nil, nil, err
	}
	rows, err := db.pool.Query(ctx, `SELECT slug, name, city FROM places ORDER BY name COLLATE "fr-x-icu", id`)
	if err != nil {
		return nil, nil, fmt.Errorf("postgres: place choices: %w", mapError(err))
	}
	places, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (fabrique.PlaceChoice, error) {
		var p fabrique.PlaceChoice
		return p, r.Scan(&p.Slug, &p.Name, &p.City)
	})
	if err != nil {
		return nil, nil, fmt.Errorf("postgres: place choices: %w", mapError(err))
	}
	return commons, places, nil
}

// CommonsChoices returns every commun of the cartographie, by name.
func (db *DB) CommonsChoices(ctx context.Context) ([]fabrique.CommonsChoice, error) {
	rows, err := db.pool.Query(ctx, `SELECT id, slug, name FROM commons ORDER BY name COLLATE "fr-x-icu", id`)
	if err != nil {
		return nil, fmt.Errorf("postgres: commons choices: %w", mapError(err))
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (fabrique.CommonsChoice, error) {
		var c fabrique.CommonsChoice
		return c, r.Scan(&c.ID, &c.Slug, &c.Name)
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: commons choices: %w", mapError(err))
	}
	return list, nil
}

// RecordAttendance marks present, among the people registered (holding a seat) for the
// rendez-vous id, exactly those of present; the others are marked absent. Ids of people
// not registered are ignored. It returns how many are now marked present.
func (db *DB) RecordAttendance(ctx context.Context, u *fabrique.User, id int64, present []int64) (int, error) {
	var n int
	err := db.withTx(ctx, func(tx pgx.Tx) error {
		e, err := lockEvent(ctx, tx, id)
		if err != nil {
			return err
		}
		if e.Cancelled() {
			return fabrique.ErrEventCancelled
		}
		if err := tx.QueryRow(ctx,
			`WITH marked AS (
			   UPDATE event_registrations SET present = (user_id = ANY($2))
			    WHERE event_id = $1 AND state = 'inscrit' RETURNING present)
			 SELECT count(*) FILTER (WHERE present) FROM marked`, id, present).Scan(&n); err != nil {
			return err
		}
		return audit(ctx, tx, u.ID, "event.attendance", "event", id, fabrique.EventAttendanceAuditDetail(e.Title, n))
	})
	if err != nil {
		return 0, fmt.Errorf("postgres: attendance of event %d: %w", id, mapError(err))
	}
	return n, nil
}

// SetEventMinutes writes the minutes (Markdown) and the replay link of the rendez-vous id.
func (db *DB) SetEventMinutes(ctx context.Context, id int64, minutes, replayURL string) error {
	if _, err := db.pool.Exec(ctx,
		`UPDATE events SET minutes = $2, replay_url = $3, updated_at = now() WHERE id = $1`, id, minutes, replayURL); err != nil {
		return fmt.Errorf("postgres: minutes of event %d: %w", id, mapError(err))
	}
	return nil
}

// CalendarToken returns the token of userID's private calendar feed, making one the first
// time; renew makes a new one, and the old link stops working. Reading an existing token
// writes nothing (a write would drop the page cache at each visit of /espace).
func (db *DB) CalendarToken(ctx context.Context, userID int64, renew bool) (string, error) {
	var token *string
	if !renew {
		if err := db.pool.QueryRow(ctx, `SELECT calendar_token FROM users WHERE id = $1`, userID).Scan(&token); err != nil {
			return "", fmt.Errorf("postgres: calendar token of %d: %w", userID, mapError(err))
		}
		if token != nil {
			return *token, nil
		}
	}
	raw, _ := newToken()
	err := db.pool.QueryRow(ctx,
		`UPDATE users SET calendar_token = CASE WHEN $3 OR calendar_token IS NULL THEN $2 ELSE calendar_token END
		  WHERE id = $1 RETURNING calendar_token`, userID, raw, renew).Scan(&token)
	if err != nil {
		return "", fmt.Errorf("postgres: calendar token of %d: %w", userID, mapError(err))
	}
	return *token, nil
}

// UserEventsByCalendarToken returns the rendez-vous of the person whose calendar token is
// token — those not over more than 30 days before now, soonest first — or ErrNotFound.
func (db *DB) UserEventsByCalendarToken(ctx context.Context, token string, now time.Time) ([]fabrique.MyEvent, error) {
	if token == "" {
		return nil, fabrique.ErrNotFound
	}
	var userID int64
	if err := db.pool.QueryRow(ctx, `SELECT id FROM users WHERE calendar_token = $1`, token).Scan(&userID); err != nil {
		return nil, fmt.Errorf("postgres: calendar token: %w", mapError(err))
	}
	return db.UserEvents(ctx, userID, now.Add(-30*24*time.Hour))
}

// UserEvents returns the rendez-vous userID is registered or waiting for that end after
// since, soonest first.
func (db *DB) UserEvents(ctx context.Context, userID int64, since time.Time) ([]fabrique.MyEvent, error) {
	rows, err := db.pool.Query(ctx, userEventsSQL, userID, since)
	if err != nil {
		return nil, fmt.Errorf("postgres: events of %d: %w", userID, mapError(err))
	}
	list, err := scanUserEvents(rows)
	if err != nil {
		return nil, fmt.Errorf("postgres: events of %d: %w", userID, mapError(err))
	}
	return list, nil
}

// userEventsSQL is UserEvents' query ($1 the account, $2 since).
const userEventsSQL = `SELECT ` + eventColumns + `, r.state` + eventFrom + `
	   JOIN event_registrations r ON r.event_id = e.id AND r.user_id = $1
	  WHERE e.ends_at > $2 ORDER BY e.starts_at, e.id LIMIT 500`

// scanUserEvents reads (and closes) the rows of userEventsSQL.
func scanUserEvents(rows pgx.Rows) ([]fabrique.MyEvent, error) {
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (fabrique.MyEvent, error) {
		var er fabrique.MyEvent
		e, err := scanEvent(r, &er.State)
		er.Event = e
		return er, err
	})
}

// EventResidency returns, for the residency e, the défi its days are logged on — its own,
// or the défi its commun came from — and the days contributed there so far (quarters)
// by how many people. A résidence without either défi has none (slug "").
func (db *DB) EventResidency(ctx context.Context, e *fabrique.Event) (fabrique.Residency, error) {
	var r fabrique.Residency
	err := db.pool.QueryRow(ctx,
		`SELECT coalesce((SELECT c.slug FROM challenges c WHERE c.id = $2),
		                 (SELECT c.slug FROM challenge_commons cc JOIN challenges c ON c.id = cc.challenge_id
		                   WHERE cc.commons_id = $3 AND cc.relation = 'origine' ORDER BY c.id LIMIT 1), ''),
		        coalesce((SELECT c.title FROM challenges c WHERE c.id = $2),
		                 (SELECT c.title FROM challenge_commons cc JOIN challenges c ON c.id = cc.challenge_id
		                   WHERE cc.commons_id = $3 AND cc.relation = 'origine' ORDER BY c.id LIMIT 1), ''),
		        coalesce(sum(k.quarters) FILTER (WHERE k.state <> 'refusee'), 0)::int,
		        count(DISTINCT k.user_id) FILTER (WHERE k.state <> 'refusee')::int
		   FROM (SELECT 1) one LEFT JOIN contributions k ON k.event_id = $1`, e.ID, e.ChallengeID, e.CommonsID).
		Scan(&r.ChallengeSlug, &r.ChallengeTitle, &r.Quarters, &r.People)
	if err != nil {
		return r, fmt.Errorf("postgres: residency %d: %w", e.ID, mapError(err))
	}
	return r, nil
}

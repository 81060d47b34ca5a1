package benchdata

import (
	"time"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// The rows written, one struct per table, with ids chosen before the load so foreign
// keys are known in memory (COPY writes the identity columns given: it acts as INSERT …
// OVERRIDING SYSTEM VALUE). Zero ids and times are NULL.

type userRow struct {
	id                int64
	email, name, role string
	createdAt         time.Time
}

type placeRow struct {
	id                                int64
	slug, name, city, region, website string
	createdAt                         time.Time
}

type pairRow struct { // place_members, challenge_places, commons_places, call_steps
	a, b      int64
	createdAt time.Time
}

type challengeRow struct {
	id                            int64
	slug, title, summary, problem string
	status                        string
	leadID                        int64
	dayRate                       int64
	createdAt, updatedAt          time.Time
}

type memberRow struct {
	challengeID, userID  int64
	role, state, message string
	createdAt, decidedAt time.Time
}

type statusChangeRow struct {
	id, challengeID int64
	from, to, note  string
	userID          int64
	createdAt       time.Time
}

type framingRow struct {
	id, challengeID int64 // id: of the revision (0 for the current version)
	fields          [6]string
	userID          int64
	at              time.Time
}

type commonsRow struct {
	id                                              int64
	slug, name, kind, summary, description, licence string
	website, sourceURL, movilabURL                  string
	createdAt                                       time.Time
}

type challengeCommonsRow struct {
	challengeID, commonsID int64
	relation               string
	createdAt              time.Time
}

type stepRow struct {
	id, commonsID      int64
	title, description string
	goal               int64
	startsOn, endsOn   time.Time
	createdBy          int64
	createdAt          time.Time
}

type callRow struct {
	id                       int64
	slug, title, description string
	startsOn, endsOn         time.Time
	pool                     int64
	percent                  int
	kinds                    []string
	cap                      int64
	closedAt                 time.Time
	closedBy, createdBy      int64
	createdAt                time.Time
}

type funderRow struct {
	userID    int64
	kind, org string
	placeID   int64
	createdAt time.Time
}

type accountRow struct {
	id                             int64
	kind                           string
	year                           int
	challengeID, commonsID, callID int64
	name                           string
	createdAt                      time.Time
}

// movement is a ledger transaction and its two entries; its id is given once every
// movement is known and sorted by date, then written back to its cause by setID.
type movement struct {
	id              int64
	kind            string
	amount          int64
	from, to        int64 // account ids
	causeType       string
	causeID         int64
	memo, reference string
	userID          int64
	on              time.Time // occurred_on, a date
	at              time.Time // created_at
	setID           func(id int64)
}

type seedRequestRow struct {
	id, challengeID, requestedBy int64
	amount                       int64
	plan, state                  string
	approved                     int64
	fundYear                     int
	note                         string
	decidedBy                    int64
	decidedAt                    time.Time
	ledgerTx                     int64
	createdAt                    time.Time
}

type pledgeRow struct {
	id, stepID, callID, userID int64
	kind                       string
	placeID                    int64 // the tiers-lieu of a tiers-lieu pledge
	amount                     int64
	anonymous                  bool
	message, state, key        string
	decidedBy                  int64
	decidedAt                  time.Time
	ledgerTx                   int64
	createdAt, updatedAt       time.Time
}

type contributionRow struct {
	id, challengeID, userID int64
	workedOn                time.Time
	quarters                int
	activity, description   string
	volunteer               bool
	dayRate, amount         int64
	state, reason           string
	validatedBy             int64
	validatedAt             time.Time
	paidBy                  int64
	paidOn                  time.Time
	reference               string
	ledgerTx                int64
	createdAt               time.Time
	commonsID, stepID       int64
}

type notificationRow struct {
	id, userID int64
	kind, url  string
	data       fabrique.NotificationData
	createdAt  time.Time
	readAt     time.Time // zero: unread
}

type auditRow struct {
	id, userID     int64
	action, target string
	targetID       int64
	detail         string
	createdAt      time.Time
}

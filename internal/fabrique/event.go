package fabrique

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/fabrique-a-communs/fabrique/internal/i18n"
)

// Rendez-vous (DESIGN §2): the Fabrique's sessions around the communs. An event has an
// organiser, a start and an end entered and shown in Europe/Paris time and stored as
// instants, an optional capacity (first come, first served, then a waiting list) and a
// visio link shown to its registered participants only.

// Kinds of rendez-vous, as stored and as the form's `kind` values.
const (
	EventRessources = "ressources-et-vous" // a session presenting a commun, 1–2 h, often online
	EventResidence  = "residence"          // a contributory residency, 1 to 5 days
	EventAtelier    = "atelier"            // any other workshop
)

// EventKinds lists the kinds in the form's order.
var EventKinds = []string{EventRessources, EventResidence, EventAtelier}

// ValidEventKind reports whether k is one of EventKinds.
func ValidEventKind(k string) bool { return slices.Contains(EventKinds, k) }

// EventKindLabel is the French name of a kind, in the Fabrique's words.
func EventKindLabel(k string) string {
	switch k {
	case EventRessources:
		return "Ressources & vous"
	case EventResidence:
		return "Résidence contributive"
	case EventAtelier:
		return "Atelier"
	}
	return k
}

// States of a registration.
const (
	RegistrationRegistered = "inscrit" // holds a seat
	RegistrationWaiting    = "attente" // on the waiting list, in arrival order
)

// Event is a rendez-vous as its pages show it.
type Event struct {
	ID             int64
	Slug           string
	Kind           string
	Title          string
	Summary        string
	Description    string // Markdown
	CommonsID      *int64
	CommonsSlug    string
	CommonsName    string
	ChallengeID    *int64
	ChallengeSlug  string
	ChallengeTitle string
	PlaceID        *int64
	PlaceSlug      string
	PlaceName      string
	PlaceCity      string
	PlaceRegion    string
	Online         bool
	VisioURL       string // shown only to registered participants, the organiser and coordinators
	StartsAt       time.Time
	EndsAt         time.Time
	Capacity       *int // nil: no limit
	OrganiserID    int64
	OrganiserName  string
	Sequence       int // raised on each change (iCalendar SEQUENCE)
	CancelledAt    *time.Time
	CancelReason   string
	Minutes        string // Markdown, written after it
	ReplayURL      string
	CreatedAt      time.Time
	UpdatedAt      time.Time
	Registered     int // seats taken
	Waiting        int
}

// Cancelled reports whether the rendez-vous was cancelled.
func (e *Event) Cancelled() bool { return e.CancelledAt != nil }

// Started reports whether the rendez-vous has begun at now: registration is closed.
func (e *Event) Started(now time.Time) bool { return !now.Before(e.StartsAt) }

// Past reports whether the rendez-vous is over at now.
func (e *Event) Past(now time.Time) bool { return !now.Before(e.EndsAt) }

// Full reports whether every seat is taken: a new registration waits.
func (e *Event) Full() bool { return e.Capacity != nil && e.Registered >= *e.Capacity }

// SeatsLeft is the number of free seats, -1 without a capacity.
func (e *Event) SeatsLeft() int {
	if e.Capacity == nil {
		return -1
	}
	return max(*e.Capacity-e.Registered, 0)
}

// Registration is one person's place in a rendez-vous.
type Registration struct {
	EventID      int64
	UserID       int64
	Name         string
	Email        string // for the organiser's list only
	State        string // RegistrationRegistered or RegistrationWaiting
	Position     int    // 1-based rank on the waiting list; 0 when registered
	Message      string
	RegisteredAt time.Time
	PromotedAt   *time.Time
	Present      bool
}

// EventViewerFacts are what a page needs to know of its viewer and a rendez-vous.
type EventViewerFacts struct {
	Registration *Registration // nil: neither registered nor waiting
	Organiser    bool          // the organiser, or the porteur·se of its commun or défi
}

// MaySeeVisio reports whether u sees the visio link: a registered participant (not one
// waiting), the organiser, a coordinator.
func MaySeeVisio(u *User, f EventViewerFacts) bool {
	if u == nil {
		return false
	}
	return u.IsCoordinator() || f.Organiser || (f.Registration != nil && f.Registration.State == RegistrationRegistered)
}

// MayOrganise reports whether u may create or run a rendez-vous: a coordinator, or the
// porteur·se of the linked défi or of the défi the linked commun came from.
func MayOrganise(u *User, porteur bool) bool { return u != nil && (u.IsCoordinator() || porteur) }

// CheckOrganiser is MayOrganise as a decision.
func CheckOrganiser(u *User, porteur bool) error {
	if !MayOrganise(u, porteur) {
		return ErrNotOrganiser
	}
	return nil
}

// Errors of rendez-vous.
var (
	ErrNotOrganiser            = Errorf(EFORBIDDEN, "Seuls la coordination et le·la porteur·se du commun ou du défi lié organisent un rendez-vous.")
	ErrEventCancelled          = Errorf(ECONFLICT, "Ce rendez-vous est annulé.")
	ErrRegistrationClosed      = Errorf(ECONFLICT, "Les inscriptions sont closes : le rendez-vous a commencé.")
	ErrNotRegistered           = Errorf(ECONFLICT, "Vous n’êtes pas inscrit·e à ce rendez-vous.")
	ErrCapacityBelowRegistered = fieldError("capacity", "Il y a déjà plus d’inscrit·es que ce nombre de places : désinscrivez quelqu’un d’abord, ou gardez plus de places.")
)

// EventForm is the form creating or editing a rendez-vous, as typed.
type EventForm struct {
	Title         string
	Kind          string
	Summary       string
	Description   string
	CommonsSlug   string
	ChallengeSlug string
	PlaceSlug     string
	Online        bool
	VisioURL      string
	StartsAt      string // "2006-01-02T15:04", Europe/Paris (an <input type="datetime-local">)
	EndsAt        string
	Capacity      string // "" for no limit

	// Set by Validate.
	Starts, Ends time.Time
	Cap          *int
}

// Limits of a rendez-vous.
const (
	MaxEventTitleLen       = 140
	MaxEventSummaryLen     = 500
	MaxEventDescriptionLen = 20000
	MaxEventMinutesLen     = 50000
	MaxEventCapacity       = 10000
	MaxResidencyDays       = 5
	maxEventDuration       = 31 * 24 * time.Hour
)

// EventTimeLayout is how the form writes a local time (HTML datetime-local).
const EventTimeLayout = "2006-01-02T15:04"

// ParseParisTime reads a local time in Europe/Paris; a time that does not exist there (the
// hour skipped when clocks go forward) is an error, not silently moved. Seconds typed by
// some browsers ("…T14:00:00") are accepted.
func ParseParisTime(s string) (time.Time, string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, "Indiquez la date et l’heure."
	}
	layout := EventTimeLayout
	if len(s) == len(EventTimeLayout)+3 {
		layout += ":05"
	}
	t, err := time.ParseInLocation(layout, s, i18n.Paris)
	if err != nil || t.Year() < 2000 || t.Year() > 2100 {
		return time.Time{}, "Indiquez une date et une heure valides, par exemple 2027-03-12T14:00."
	}
	if t.In(i18n.Paris).Format(layout) != s {
		return time.Time{}, "Cette heure n’existe pas à Paris ce jour-là (passage à l’heure d’été) : choisissez une heure après 3 h."
	}
	return t, ""
}

// Normalize trims the fields.
func (f *EventForm) Normalize() {
	f.Title = strings.Join(strings.Fields(f.Title), " ")
	f.Kind = strings.TrimSpace(f.Kind)
	f.Summary = strings.TrimSpace(f.Summary)
	f.Description = strings.TrimSpace(strings.ReplaceAll(f.Description, "\r\n", "\n"))
	f.CommonsSlug = strings.TrimSpace(f.CommonsSlug)
	f.ChallengeSlug = strings.TrimSpace(f.ChallengeSlug)
	f.PlaceSlug = strings.TrimSpace(f.PlaceSlug)
	f.VisioURL = strings.TrimSpace(f.VisioURL)
	f.StartsAt = strings.TrimSpace(f.StartsAt)
	f.EndsAt = strings.TrimSpace(f.EndsAt)
	f.Capacity = strings.TrimSpace(f.Capacity)
}

// Validate checks the form field by field and sets Starts, Ends and Cap.
func (f *EventForm) Validate() error {
	var v Validation
	switch n := utf8.RuneCountInString(f.Title); {
	case n == 0:
		v.Add("title", "Indiquez le titre du rendez-vous.")
	case n > MaxEventTitleLen:
		v.Add("title", "Le titre ne doit pas dépasser 140 caractères.")
	default:
		if Slugify(f.Title) == "" {
			v.Add("title", "Le titre doit contenir au moins une lettre ou un chiffre.")
		}
	}
	if !ValidEventKind(f.Kind) {
		v.Add("kind", "Choisissez le type de rendez-vous.")
	}
	switch n := utf8.RuneCountInString(f.Summary); {
	case n == 0:
		v.Add("summary", "Résumez le rendez-vous en une ou deux phrases.")
	case n > MaxEventSummaryLen:
		v.Add("summary", "Le résumé ne doit pas dépasser 500 caractères.")
	}
	if utf8.RuneCountInString(f.Description) > MaxEventDescriptionLen {
		v.Add("description", "La description ne doit pas dépasser 20 000 caractères.")
	}
	if msg := validateWebURL(f.VisioURL); msg != "" {
		v.Add("visio_url", msg)
	}
	if !f.Online && f.PlaceSlug == "" {
		v.Add("place_slug", "Choisissez le tiers-lieu qui accueille le rendez-vous, ou cochez « en ligne ».")
	}
	var msg string
	if f.Starts, msg = ParseParisTime(f.StartsAt); msg != "" {
		v.Add("starts_at", msg)
	}
	if f.Ends, msg = ParseParisTime(f.EndsAt); msg != "" {
		v.Add("ends_at", msg)
	}
	if !f.Starts.IsZero() && !f.Ends.IsZero() {
		switch d := f.Ends.Sub(f.Starts); {
		case d <= 0:
			v.Add("ends_at", "La fin doit venir après le début.")
		case f.Kind == EventResidence && d > MaxResidencyDays*24*time.Hour:
			v.Add("ends_at", "Une résidence contributive dure cinq jours au plus.")
		case d > maxEventDuration:
			v.Add("ends_at", "Un rendez-vous dure un mois au plus.")
		}
	}
	f.Cap = nil
	if f.Capacity != "" {
		n, err := strconv.Atoi(f.Capacity)
		if err != nil || n < 1 || n > MaxEventCapacity {
			v.Add("capacity", "Indiquez un nombre de places entre 1 et 10 000, ou laissez vide pour ne pas limiter.")
		} else {
			f.Cap = &n
		}
	}
	return v.Err()
}

// Form returns the rendez-vous as its edit form.
func (e *Event) Form() EventForm {
	f := EventForm{Title: e.Title, Kind: e.Kind, Summary: e.Summary, Description: e.Description,
		CommonsSlug: e.CommonsSlug, ChallengeSlug: e.ChallengeSlug, PlaceSlug: e.PlaceSlug,
		Online: e.Online, VisioURL: e.VisioURL,
		StartsAt: e.StartsAt.In(i18n.Paris).Format(EventTimeLayout), EndsAt: e.EndsAt.In(i18n.Paris).Format(EventTimeLayout)}
	if e.Capacity != nil {
		f.Capacity = strconv.Itoa(*e.Capacity)
	}
	return f
}

// EventFilter selects the agenda's rendez-vous.
type EventFilter struct {
	Kind        string
	Region      string
	CommonsSlug string
	// ChallengeSlug keeps those about the défi: linked to it, or to the commun it gave rise to.
	ChallengeSlug string
	// NotCancelled leaves the cancelled ones out (the home page, a défi's, a commun's).
	NotCancelled bool
	// NoCount skips counting them all (a page showing the next few, without pagination).
	NoCount bool
	Past    bool // past rendez-vous, latest first; else upcoming, soonest first
	Now     time.Time
	Limit   int
	Offset  int
}

// Errors of the links a form names.
func EventCommonsUnknownError() error {
	return fieldError("commons_slug", "Ce commun n’existe pas dans la cartographie.")
}
func EventChallengeUnknownError() error {
	return fieldError("challenge_slug", "Ce défi n’existe pas.")
}
func EventPlaceUnknownError() error {
	return fieldError("place_slug", "Ce tiers-lieu n’existe pas.")
}

// EventAuditDetail is the audit line of the rendez-vous titled title.
func EventAuditDetail(title string) string { return fmt.Sprintf("Rendez-vous « %s »", title) }

// PlaceChoice is a tiers-lieu as a select offers it.
type PlaceChoice struct {
	Slug string
	Name string
	City string
}

// EventAttendanceAuditDetail is the audit line of the attendance recorded for the
// rendez-vous titled title: n people present.
func EventAttendanceAuditDetail(title string, n int) string {
	return fmt.Sprintf("Rendez-vous « %s » : %d présent·es", title, n)
}

// ErrNotStarted refuses attendance recorded before the rendez-vous began.
var ErrNotStarted = Errorf(ECONFLICT, "Les présences se notent une fois le rendez-vous commencé.")

// ValidateMinutes checks the minutes and the replay link of a rendez-vous.
func ValidateMinutes(minutes, replayURL string) error {
	var v Validation
	if utf8.RuneCountInString(minutes) > MaxEventMinutesLen {
		v.Add("minutes", "Le compte rendu ne doit pas dépasser 50 000 caractères.")
	}
	if msg := validateWebURL(replayURL); msg != "" {
		v.Add("replay_url", msg)
	}
	return v.Err()
}

// MyEvent is a rendez-vous with the person's registration in it, for their space and
// their calendar.
type MyEvent struct {
	Event *Event
	State string // RegistrationRegistered or RegistrationWaiting
}

// ResidencyFacts are what logging days of a residency depends on, read under locks: the
// rendez-vous, whether it concerns the défi (its own, or the commun the défi gave rise to),
// and whether the person was marked present.
type ResidencyFacts struct {
	Kind             string
	Cancelled        bool
	Linked           bool
	Present          bool
	StartsAt, EndsAt time.Time
}

// CheckResidencyContribution says whether days worked on workedOn (a date) may be logged
// as days of the residency: a residency, not cancelled, about the défi, the person marked
// present, the day within its dates (Paris days). Refusals are field errors (422).
func CheckResidencyContribution(f ResidencyFacts, workedOn time.Time) error {
	var v Validation
	switch {
	case f.Kind != EventResidence:
		v.Add("event_id", "Seuls les jours d’une résidence contributive se déclarent ainsi.")
	case f.Cancelled:
		v.Add("event_id", "Cette résidence a été annulée.")
	case !f.Linked:
		v.Add("event_id", "Cette résidence ne concerne pas ce défi.")
	case !f.Present:
		v.Add("event_id", "Seules les personnes notées présentes à la résidence y déclarent des jours.")
	}
	day := workedOn.Format(time.DateOnly)
	first := f.StartsAt.In(i18n.Paris).Format(time.DateOnly)
	last := f.EndsAt.Add(-time.Nanosecond).In(i18n.Paris).Format(time.DateOnly)
	if day < first || day > last {
		v.Add("date", "Choisissez un jour de la résidence, entre son premier et son dernier jour.")
	}
	return v.Err()
}

// ResidencyUnknownError refuses, next to event_id, a rendez-vous that does not exist.
func ResidencyUnknownError() error { return fieldError("event_id", "Ce rendez-vous n’existe pas.") }

// Residency is what a residency's page says of the days contributed there.
type Residency struct {
	ChallengeSlug  string // the défi its days are logged on; "" for none
	ChallengeTitle string
	Quarters       int // days contributed there, in quarter days (refused ones aside)
	People         int
}

// ChallengeIDOrZero is the id of the défi the rendez-vous is linked to, 0 for none.
func (e *Event) ChallengeIDOrZero() int64 {
	if e.ChallengeID == nil {
		return 0
	}
	return *e.ChallengeID
}

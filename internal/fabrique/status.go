package fabrique

import (
	"strings"
	"time"
)

// MinTeamSize is the number of accepted members (the porteur included) a team needs
// before the défi can be marked "Équipe constituée".
const MinTeamSize = 2

// MsgStatusNoteTooLong refuses the note of a status change longer than its bound.
const MsgStatusNoteTooLong = "La note ne doit pas dépasser 2 000 caractères."

// Actor is who asks for a change, as far as the rules of a défi are concerned.
type Actor struct {
	LoggedIn    bool
	Coordinator bool
	Lead        bool // porteur of this défi
	Member      bool // accepted member of this défi's team (the porteur included)
}

// TransitionFacts are what the guards of a status change look at, read in the same
// transaction as the change.
type TransitionFacts struct {
	Members         int  // accepted members, the porteur included
	FramingComplete bool // every required field of the framing is filled
}

// StatusChange is one entry of a défi's timeline.
type StatusChange struct {
	From     Status // "" for the creation
	To       Status
	Note     string
	UserID   int64
	UserName string
	At       time.Time
}

// Label is the timeline's French wording of the change.
func (c StatusChange) Label() string {
	if c.From == StatusClosed && c.To != StatusClosed {
		return "Défi rouvert"
	}
	return c.To.Label()
}

// step is the position of s in the process; clos is not a step.
func (s Status) step() int {
	switch s {
	case StatusIdentified:
		return 1
	case StatusTeam:
		return 2
	case StatusFraming:
		return 3
	case StatusDevelopment:
		return 4
	}
	return 0
}

// StatusBefore reports whether a comes before b in the process; clos is before nothing
// and after nothing.
func StatusBefore(a, b Status) bool {
	return a.step() > 0 && b.step() > 0 && a.step() < b.step()
}

// CheckTransition applies the rules of DESIGN.md §2 to moving a défi from → to with
// note. It returns nil when the move is allowed, an EFORBIDDEN error when the actor has no
// right to make it, and an EINVALID error (with a French sentence) when the rules refuse
// it: unknown status, no change, a skipped step, too few members, an incomplete framing,
// a closing without a reason.
func CheckTransition(from, to Status, note string, a Actor, f TransitionFacts) error {
	if !a.Coordinator && !a.Lead {
		return Errorf(EFORBIDDEN, "Seuls le·la porteur·se du défi et la coordination peuvent changer son étape.")
	}
	if !to.Valid() {
		return invalidStatus("Cette étape n’existe pas.")
	}
	if to == from {
		return invalidStatus("Le défi est déjà à cette étape.")
	}
	coordinatorOnly := false
	switch {
	case to == StatusClosed:
		coordinatorOnly = true
	case from == StatusClosed:
		coordinatorOnly = true // reopening, to any step whose guards hold
	case to.step() == from.step()+1:
		coordinatorOnly = to == StatusDevelopment
	case to.step() == from.step()-1:
		coordinatorOnly = true // a step back, to correct a mistake
	default:
		return invalidStatus("Le défi ne peut pas sauter d’étape : il passe par « Défi identifié », « Équipe constituée », « En préfiguration » puis « En développement ».")
	}
	if coordinatorOnly && !a.Coordinator {
		switch {
		case to == StatusClosed:
			return Errorf(EFORBIDDEN, "Seule la coordination peut clore un défi.")
		case from == StatusClosed:
			return Errorf(EFORBIDDEN, "Seule la coordination peut rouvrir un défi.")
		case to == StatusDevelopment:
			return Errorf(EFORBIDDEN, "Seule la coordination décide du passage en développement.")
		default:
			return Errorf(EFORBIDDEN, "Seule la coordination peut ramener un défi à l’étape précédente.")
		}
	}
	if to == StatusClosed && strings.TrimSpace(note) == "" {
		return invalidStatus("Indiquez pourquoi le défi est clos (abouti, abandonné…).")
	}
	if to.step() >= StatusTeam.step() && f.Members < MinTeamSize {
		return invalidStatus("Il faut au moins deux membres dans l’équipe, porteur·se compris·e, pour passer à cette étape.")
	}
	if to == StatusDevelopment && !f.FramingComplete {
		return invalidStatus("Le cadrage doit être complet (problèmes, cas d’usage, solutions existantes, démarche, prochaines étapes) pour passer en développement.")
	}
	return nil
}

func invalidStatus(msg string) error {
	return &Error{Code: EINVALID, Message: msg, Fields: map[string]string{"statut": msg}}
}

// MoveOption is a move the status form shows: one the actor may make now (Allowed), or
// one the facts still bar, with the reasons in French, so that nobody has to try it to
// learn why.
type MoveOption struct {
	To      Status
	Allowed bool
	Back    bool     // a step back, or a reopening: never the form's default
	Reasons []string // why it is not allowed yet, the first one first; empty when Allowed
}

// MoveOptions lists the moves the status form shows to the actor, from the current
// status and the facts the guards look at: the next step of the process first, then
// closing, then the step back (or, for a closed défi, the steps it may be reopened at, in
// process order). A move the actor has no right to make is left out, except the next
// step for a porteur·se, shown barred with who decides it. CheckTransition stays the
// authority when the form is sent: this only words its verdict in advance.
func MoveOptions(from Status, a Actor, f TransitionFacts) []MoveOption {
	if !a.Coordinator && !a.Lead {
		return nil
	}
	var order []Status
	if from == StatusClosed {
		for _, to := range Statuses {
			if to != StatusClosed {
				order = append(order, to)
			}
		}
	} else {
		for _, to := range Statuses {
			if to.step() == from.step()+1 {
				order = append(order, to)
			}
		}
		order = append(order, StatusClosed)
		for _, to := range Statuses {
			if to != StatusClosed && to.step() == from.step()-1 {
				order = append(order, to)
			}
		}
	}
	var out []MoveOption
	for _, to := range order {
		next := from != StatusClosed && to.step() == from.step()+1
		o := MoveOption{To: to, Back: from == StatusClosed || (to != StatusClosed && to.step() < from.step())}
		err := CheckTransition(from, to, "x", a, f)
		switch ErrorCode(err) {
		case "":
			o.Allowed = true
		case EINVALID:
			o.Reasons = []string{ErrorMessage(err)}
		case EFORBIDDEN:
			if !next {
				continue // not theirs to make: not shown
			}
			o.Reasons = []string{ErrorMessage(err)}
			// What the one who decides will look at, said too.
			as := a
			as.Coordinator = true
			if err := CheckTransition(from, to, "x", as, f); err != nil {
				o.Reasons = append(o.Reasons, ErrorMessage(err))
			}
		}
		out = append(out, o)
	}
	return out
}

// StatusMove is a status change asked for by someone.
type StatusMove struct {
	To   Status
	Note string
	// For a move to développement: the existing commun the défi is attached to (0: a new
	// commun is created from the défi), and the kind of the commun created ("" for autre).
	CommonsID   int64
	CommonsKind string
}

// StatusMoved is what a move did besides the status.
type StatusMoved struct {
	Commons *Commons // the défi's commun, after a move to développement
	Created bool     // the commun was created by this move
}

// ChallengeEvent is one entry of the défis' timeline as the feed shows it: a défi created
// (From is "") or moved to another status.
type ChallengeEvent struct {
	ID int64 // the status change's id, stable, for the entry's id
	StatusChange
	Slug    string
	Title   string
	Summary string
}

// DevelopQueueItem is a défi whose framing is complete and which waits, before
// développement, for the coordination's decision.
type DevelopQueueItem struct {
	*Challenge
	FramedAt time.Time // when its framing was last completed; zero when its history does not say
}

// FramingRequiredFields names the fields the move to développement needs filled.
func FramingRequiredFields() []string {
	var names []string
	for _, fd := range FramingFields {
		if fd.Required {
			names = append(names, fd.Name)
		}
	}
	return names
}

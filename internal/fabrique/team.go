package fabrique

import "time"

// A défi's team: its members, the requests to join it, and who decides them.

// Team roles.
const (
	TeamLead   = "lead"
	TeamMember = "member"
)

// Member is a person on a défi's team.
type Member struct {
	UserID      int64
	DisplayName string
	Role        string // TeamLead or TeamMember
	Since       time.Time
}

// States of a row of a défi's team: a join request waits (MemberPending) until the
// porteur or a coordinator accepts or refuses it; an accepted member may leave.
const (
	MemberPending  = "pending"
	MemberAccepted = "accepted"
	MemberRefused  = "refused"
	MemberLeft     = "left"
)

// MaxJoinMessageLen bounds the message of a join request, in characters.
const MaxJoinMessageLen = 1000

// TeamEntry is one row of a défi's team as its page shows it: an accepted member, a
// pending request, or the viewer's own row whatever its state.
type TeamEntry struct {
	UserID      int64
	DisplayName string
	Role        string // TeamLead or TeamMember
	State       string // MemberPending, MemberAccepted, MemberRefused, MemberLeft
	Message     string
	AskedAt     time.Time
	DecidedAt   *time.Time
}

// TeamFacts is what the store read under lock before a decision on a défi's team.
type TeamFacts struct {
	Status Status // the défi's status
	LeadID int64  // the défi's porteur
	State  string // the state of the person's row in the team; "" when there is none
}

// The refusals of a request to join a team.
var (
	// ErrJoinClosed: a closed défi takes no request to join its team.
	ErrJoinClosed = Errorf(ECONFLICT, "Ce défi est clos : il n’accepte plus de demandes.")
	// ErrAlreadyInTeam: an accepted member, the porteur included, does not ask again.
	ErrAlreadyInTeam = Errorf(ECONFLICT, "Vous faites déjà partie de l’équipe.")
)

// CheckLeaveTeam says whether someone whose row in the team is in state with role ("" for
// no row) may leave it, or withdraw their request: the porteur cannot, they hand the
// role over first; nor can someone neither accepted nor pending (ECONFLICT both).
func CheckLeaveTeam(state, role string) error {
	if role == TeamLead {
		return Errorf(ECONFLICT, "Le·la porteur·se ne peut pas quitter l’équipe : confiez d’abord ce rôle à un autre membre.")
	}
	if state != MemberAccepted && state != MemberPending {
		return Errorf(ECONFLICT, "Vous ne faites pas partie de l’équipe.")
	}
	return nil
}

// CheckJoinDecision says whether u may accept (or refuse) a request to join the team: u
// must be the porteur or a coordinator, a closed défi takes no new member, and only a
// pending request is decided.
func CheckJoinDecision(u *User, accept bool, f TeamFacts) error {
	if !u.IsCoordinator() && (u == nil || u.ID != f.LeadID) {
		return Errorf(EFORBIDDEN, "Seuls le·la porteur·se du défi et la coordination examinent les demandes.")
	}
	if accept && f.Status == StatusClosed {
		return Errorf(ECONFLICT, "Ce défi est clos : rouvrez-le avant d’accepter de nouveaux membres.")
	}
	switch f.State {
	case MemberPending:
		return nil
	case "":
		return noTeamRow()
	case MemberAccepted:
		return Errorf(ECONFLICT, "Cette demande a déjà été acceptée.")
	case MemberRefused:
		return Errorf(ECONFLICT, "Cette demande a déjà été refusée.")
	}
	return Errorf(ECONFLICT, "Cette personne a retiré sa demande ou quitté l’équipe.")
}

// CheckHandOver says whether u may make userID the porteur: u must be the porteur or a
// coordinator, and userID an accepted member who is not the porteur already.
func CheckHandOver(u *User, userID int64, f TeamFacts) error {
	if !u.IsCoordinator() && (u == nil || u.ID != f.LeadID) {
		return Errorf(EFORBIDDEN, "Seuls le·la porteur·se du défi et la coordination peuvent confier ce rôle.")
	}
	if userID == f.LeadID {
		return Errorf(ECONFLICT, "Cette personne porte déjà le défi.")
	}
	switch f.State {
	case MemberAccepted:
		return nil
	case "":
		return noTeamRow()
	}
	return Errorf(ECONFLICT, "Seul un membre de l’équipe peut devenir porteur·se du défi.")
}

// noTeamRow is the answer about a person who never asked to join the défi.
func noTeamRow() error {
	return Errorf(ENOTFOUND, "Aucune demande de cette personne pour ce défi.")
}

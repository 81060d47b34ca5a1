package fabrique

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Commons kinds, as the cartographie des ressources sorts them.
var CommonsKinds = []string{"logiciel", "methode", "documentation", "donnees", "materiel", "autre"}

// ValidCommonsKind reports whether k is one of CommonsKinds.
func ValidCommonsKind(k string) bool { return slices.Contains(CommonsKinds, k) }

// CommonsKindLabel is the French label of a kind, as the cartographie shows it.
func CommonsKindLabel(kind string) string {
	switch kind {
	case "logiciel":
		return "Logiciel"
	case "methode":
		return "Méthode"
	case "documentation":
		return "Documentation"
	case "donnees":
		return "Données"
	case "materiel":
		return "Matériel"
	case "autre":
		return "Autre"
	}
	return kind
}

// MsgCommonsKindUnknown refuses a kind of commun that is not one of CommonsKinds.
const MsgCommonsKindUnknown = "Choisissez un type de commun."

// The refusals about communs.
var (
	// ErrCommonsNotFound is a commun asked for by its id.
	ErrCommonsNotFound = Errorf(ENOTFOUND, "Ce commun n’existe pas.")
	// ErrCommonsPlaceMembersOnly refuses to declare a tiers-lieu's use of a commun on
	// behalf of someone who does not belong to it.
	ErrCommonsPlaceMembersOnly = Errorf(EFORBIDDEN, "Seuls les membres d’un tiers-lieu peuvent déclarer qu’il utilise un commun.")
)

// DevelopCommonsUnknownError refuses, next to the commons_id field, a défi moved to
// développement with a commun that is not in the cartographie.
func DevelopCommonsUnknownError() error {
	return fieldError("commons_id", "Ce commun n’existe pas dans la cartographie.")
}

// DevelopCommonsOriginError refuses, next to the commons_id field, another commun for a
// défi back in développement: it carries on with the one it gave rise to.
func DevelopCommonsOriginError() error {
	return fieldError("commons_id", "Ce défi a déjà donné naissance à un commun : il le poursuit, un autre commun ne peut pas être choisi.")
}

// The audit lines of a défi's move to développement, in French, the audit trail's
// language: back with the commun it gave rise to, attached to an existing commun, or
// giving rise to a new one.

// CommonsResumedAuditDetail is the audit line of the défi titled title back in
// développement with its commun named commonsName.
func CommonsResumedAuditDetail(title, commonsName string) string {
	return fmt.Sprintf("défi « %s » de retour en développement, commun « %s »", title, commonsName)
}

// CommonsAttachedAuditDetail is the audit line of the défi titled title attached to the
// existing commun named commonsName.
func CommonsAttachedAuditDetail(title, commonsName string) string {
	return fmt.Sprintf("défi « %s » rattaché au commun « %s »", title, commonsName)
}

// CommonsCreatedAuditDetail is the audit line of the commun named commonsName created
// from the défi titled title.
func CommonsCreatedAuditDetail(commonsName, title string) string {
	return fmt.Sprintf("commun « %s » créé à partir du défi « %s »", commonsName, title)
}

// Commons is a commun: an open resource that answers one or more défis.
type Commons struct {
	ID          int64
	Slug        string
	Name        string
	Kind        string
	Summary     string
	Description string // Markdown
	Licence     string
	Website     string
	SourceURL   string
	MovilabURL  string
	CreatedAt   time.Time
}

// CommonsSummary is a commun with the counts its card shows.
type CommonsSummary struct {
	Commons
	ChallengeCount int // défis it answers
	PlaceCount     int // tiers-lieux that use it
	// NextSession is when its next « Ressources & vous » session starts, nil for none to come.
	NextSession *time.Time
}

// CommonsFilter selects a page of communs.
type CommonsFilter struct {
	Kind   string // one of CommonsKinds, "" for all
	Offset int
	Limit  int
}

// Relations of a défi to a commun (challenge_commons.relation).
const (
	RelationOrigin   = "origine"  // the commun the défi gave rise to
	RelationSolution = "solution" // an existing open solution found during the framing
)

// RelationLabel is the French label of a défi–commun relation.
func RelationLabel(relation string) string {
	switch relation {
	case RelationOrigin:
		return "Commun issu du défi"
	case RelationSolution:
		return "Solution existante"
	}
	return relation
}

// LinkedCommons is a commun linked to a défi, and how.
type LinkedCommons struct {
	Commons
	Relation string
}

// CommonsChallenge is a défi a commun answers, and how.
type CommonsChallenge struct {
	Slug     string
	Title    string
	Status   Status
	Relation string
}

// CommonsForm is the form creating or editing a commun.
type CommonsForm struct {
	Name        string
	Kind        string
	Summary     string
	Description string
	Licence     string
	Website     string
	SourceURL   string
	MovilabURL  string
}

// Limits of a commun's text fields, in characters.
const (
	MaxCommonsNameLen        = 120
	MaxCommonsSummaryLen     = 500
	MaxCommonsDescriptionLen = 20000
	MaxLicenceLen            = 100
)

// Normalize trims the fields.
func (f *CommonsForm) Normalize() {
	f.Name = strings.Join(strings.Fields(f.Name), " ")
	f.Kind = strings.TrimSpace(f.Kind)
	f.Summary = strings.TrimSpace(f.Summary)
	f.Description = strings.TrimSpace(strings.ReplaceAll(f.Description, "\r\n", "\n"))
	f.Licence = strings.Join(strings.Fields(f.Licence), " ")
	f.Website = strings.TrimSpace(f.Website)
	f.SourceURL = strings.TrimSpace(f.SourceURL)
	f.MovilabURL = strings.TrimSpace(f.MovilabURL)
}

// Validate checks the form field by field.
func (f *CommonsForm) Validate() error {
	var v Validation
	switch n := utf8.RuneCountInString(f.Name); {
	case n == 0:
		v.Add("name", "Indiquez le nom du commun.")
	case n > MaxCommonsNameLen:
		v.Add("name", "Le nom ne doit pas dépasser 120 caractères.")
	default:
		if Slugify(f.Name) == "" {
			v.Add("name", "Le nom doit contenir au moins une lettre ou un chiffre.")
		}
	}
	if !ValidCommonsKind(f.Kind) {
		v.Add("kind", MsgCommonsKindUnknown)
	}
	switch n := utf8.RuneCountInString(f.Summary); {
	case n == 0:
		v.Add("summary", "Résumez le commun en une ou deux phrases.")
	case n > MaxCommonsSummaryLen:
		v.Add("summary", "Le résumé ne doit pas dépasser 500 caractères.")
	}
	if utf8.RuneCountInString(f.Description) > MaxCommonsDescriptionLen {
		v.Add("description", "La description ne doit pas dépasser 20 000 caractères.")
	}
	if utf8.RuneCountInString(f.Licence) > MaxLicenceLen {
		v.Add("licence", "La licence ne doit pas dépasser 100 caractères.")
	}
	for _, u := range []struct{ field, value string }{
		{"website", f.Website}, {"source_url", f.SourceURL}, {"movilab_url", f.MovilabURL},
	} {
		if msg := validateWebURL(u.value); msg != "" {
			v.Add(u.field, msg)
		}
	}
	return v.Err()
}

// Form returns the commun as its edit form.
func (c *Commons) Form() CommonsForm {
	return CommonsForm{Name: c.Name, Kind: c.Kind, Summary: c.Summary, Description: c.Description,
		Licence: c.Licence, Website: c.Website, SourceURL: c.SourceURL, MovilabURL: c.MovilabURL}
}

// CommonsTeamMember is a person of a commun's team: an accepted member of a défi the
// commun came from.
type CommonsTeamMember struct {
	UserID         int64
	Name           string
	Lead           bool // porteur of the défi, hence of the commun
	ChallengeSlug  string
	ChallengeTitle string
}

// CommonsChoice is a commun as a select offers it or a form names it.
type CommonsChoice struct {
	ID   int64
	Slug string
	Name string
}

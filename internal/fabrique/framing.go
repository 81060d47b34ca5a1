package fabrique

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Framing is the préfiguration of a défi: the team's formalisation of the problem.
// Every field is Markdown.
type Framing struct {
	Problems          string // problèmes qui se posent
	UseCases          string // cas d'usage souhaités
	Actors            string // autres tiers-lieux ou acteurs mobilisés
	ExistingSolutions string // solutions ouvertes existantes
	Approach          string // démarche de conception
	NextSteps         string // prochaines étapes de développement
	UpdatedBy         string // display name of the last editor
	UpdatedAt         time.Time
}

// FramingField names one field of the framing: its form name, its label, and whether the
// move to développement needs it.
type FramingField struct {
	Name     string
	Label    string
	Hint     string
	Required bool
}

// FramingFields lists the fields in the order of the Fabrique's questions.
var FramingFields = []FramingField{
	{"problems", "Problèmes", "Formalisation et formulation des problèmes qui se posent.", true},
	{"use_cases", "Cas d’usage", "Les cas d’usage souhaités, récoltés auprès des tiers-lieux.", true},
	{"actors", "Lieux et acteurs mobilisés", "Le défi mobilise-t-il d’autres lieux, voire d’autres acteurs ?", false},
	{"existing_solutions", "Solutions ouvertes existantes", "Existe-t-il déjà des solutions ouvertes qui répondent à tout ou partie du défi ?", true},
	{"approach", "Démarche de conception", "Si non, quelle démarche : cahier des charges, design… Si oui, que manque-t-il ?", true},
	{"next_steps", "Prochaines étapes de développement", "Les étapes de développement à réaliser.", true},
}

// MaxFramingFieldLen bounds each field, in characters.
const MaxFramingFieldLen = 20000

// Get returns the value of the field named name.
func (f *Framing) Get(name string) string {
	switch name {
	case "problems":
		return f.Problems
	case "use_cases":
		return f.UseCases
	case "actors":
		return f.Actors
	case "existing_solutions":
		return f.ExistingSolutions
	case "approach":
		return f.Approach
	case "next_steps":
		return f.NextSteps
	}
	return ""
}

// Set sets the field named name.
func (f *Framing) Set(name, value string) {
	switch name {
	case "problems":
		f.Problems = value
	case "use_cases":
		f.UseCases = value
	case "actors":
		f.Actors = value
	case "existing_solutions":
		f.ExistingSolutions = value
	case "approach":
		f.Approach = value
	case "next_steps":
		f.NextSteps = value
	}
}

// Normalize trims every field.
func (f *Framing) Normalize() {
	for _, fd := range FramingFields {
		f.Set(fd.Name, strings.TrimSpace(strings.ReplaceAll(f.Get(fd.Name), "\r\n", "\n")))
	}
}

// Validate checks the length of each field; empty fields are allowed while the team works.
func (f *Framing) Validate() error {
	var v Validation
	for _, fd := range FramingFields {
		if utf8.RuneCountInString(f.Get(fd.Name)) > MaxFramingFieldLen {
			v.Add(fd.Name, "Ce champ ne doit pas dépasser 20 000 caractères.")
		}
	}
	return v.Err()
}

// Missing returns the required fields still empty; none means the framing is complete.
func (f *Framing) Missing() []FramingField {
	var missing []FramingField
	for _, fd := range FramingFields {
		if fd.Required && strings.TrimSpace(f.Get(fd.Name)) == "" {
			missing = append(missing, fd)
		}
	}
	return missing
}

// Complete reports whether every required field is filled.
func (f *Framing) Complete() bool { return len(f.Missing()) == 0 }

// CheckFramingEditor says whether u may change a défi's framing: a coordinator, or an
// accepted member of its team (member, read under the défi's lock), EFORBIDDEN otherwise.
func CheckFramingEditor(u *User, member bool) error {
	if !u.IsCoordinator() && !member {
		return Errorf(EFORBIDDEN, "Seuls l’équipe du défi et la coordination peuvent modifier le cadrage.")
	}
	return nil
}

// FramingCommonsError refuses, next to the solution_commons field, a solution that is not
// a commun of the cartographie.
func FramingCommonsError() error {
	return fieldError("solution_commons", "Un des communs choisis n’existe pas dans la cartographie.")
}

// FramingRevision is one past edit of a framing: who saved it, and when.
type FramingRevision struct {
	ID       int64     `json:"id"`
	UserName string    `json:"user_name"`
	At       time.Time `json:"at"`
}

// FramingSheet is the framing of a défi with what its page shows around it.
type FramingSheet struct {
	Framing   Framing           // zero until the first edit
	Written   bool              // false until the first edit
	Solutions []Commons         // communs linked as existing solutions (ID, Slug, Name), by name
	Revisions []FramingRevision // the latest edits, newest first
	Edits     int               // every edit ever saved
}

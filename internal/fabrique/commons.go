package fabrique

import "time"

// Commons kinds, as the cartographie des ressources sorts them.
var CommonsKinds = []string{"logiciel", "methode", "documentation", "donnees", "materiel", "autre"}

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

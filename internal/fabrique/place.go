package fabrique

import "time"

// Regions are the 18 regions of France (13 in mainland France, Corsica included, and 5
// overseas), as a tiers-lieu declares its own.
var Regions = []string{
	"Auvergne-Rhône-Alpes",
	"Bourgogne-Franche-Comté",
	"Bretagne",
	"Centre-Val de Loire",
	"Corse",
	"Grand Est",
	"Hauts-de-France",
	"Île-de-France",
	"Normandie",
	"Nouvelle-Aquitaine",
	"Occitanie",
	"Pays de la Loire",
	"Provence-Alpes-Côte d’Azur",
	"Guadeloupe",
	"Martinique",
	"Guyane",
	"La Réunion",
	"Mayotte",
}

// ValidRegion reports whether r is one of the 18 regions.
func ValidRegion(r string) bool {
	for _, x := range Regions {
		if x == r {
			return true
		}
	}
	return false
}

// Place is a tiers-lieu.
type Place struct {
	ID        int64
	Slug      string
	Name      string
	City      string
	Region    string
	Website   string
	CreatedAt time.Time
}

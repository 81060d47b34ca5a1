package i18n

func init() { register(searchEnglish) }

// searchEnglish covers finding and spreading the défis: search, filters, the Atom feed.
var searchEnglish = map[string]string{
	"Rechercher un défi":           "Search the challenges",
	"Rechercher":                   "Search",
	"%d défis trouvés pour « %s »": "%d challenges found for “%s”",
	"%d défi trouvé pour « %s »":   "%d challenge found for “%s”",
	"Aucun défi ne correspond à votre recherche. Essayez d’autres mots ou retirez un filtre.": "No challenge matches your search. Try other words or remove a filter.",
	"Voir tous les défis.": "See all the challenges.",
	"Suivez les nouveaux défis et leurs changements d’étape dans votre lecteur de flux :": "Follow new challenges and their step changes in your feed reader:",
	"Flux Atom": "Atom feed",
	// Also in the tiers-lieux catalog; repeated so the search form never depends on it.
	"Région":             "Region",
	"Toutes les régions": "All regions",
}

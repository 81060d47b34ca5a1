package i18n

func init() { register(developmentEnglish) }

// developmentEnglish covers the développement phase: funders and matching.
var developmentEnglish = map[string]string{
	"Tiers-lieu":                      "Third place",
	"Collectivité":                    "Local authority",
	"Fondation":                       "Foundation",
	"Entreprise":                      "Company",
	"Particulier":                     "Individual",
	"Commun créé à partir d’un défi":  "Commons created from a challenge",
	"Défi rattaché à un commun":       "Challenge attached to a commons",
	"Défi de retour en développement": "Challenge back in development",
	"Étape de développement publiée":  "Development step published",
}

package i18n

func init() { register(developmentEnglish) }

// developmentEnglish covers the développement phase: funders and matching.
var developmentEnglish = map[string]string{
	"Tiers-lieu":   "Third place",
	"Collectivité": "Local authority",
	"Fondation":    "Foundation",
	"Entreprise":   "Company",
	"Particulier":  "Individual",
}

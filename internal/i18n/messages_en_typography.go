package i18n

func init() { register(typographyEnglish) }

// typographyEnglish covers the journal's sentences for every action and the real plurals
// that replaced « (s) ».
var typographyEnglish = map[string]string{
	"Appel à cofinancement lancé":          "Co-financing call launched",
	"Étape ajoutée à un appel":             "Step added to a call",
	"Appel à cofinancement clôturé":        "Co-financing call closed",
	"Tiers-lieu vérifié":                   "Third place verified",
	"Promesse confirmée":                   "Pledge confirmed",
	"Promesse annulée par la coordination": "Pledge cancelled by the coordination",
	"Promesse retirée par son financeur":   "Pledge withdrawn by its funder",
	"%d contribution validée à payer":      "%d validated contribution to pay",
	"%d contributions validées à payer":    "%d validated contributions to pay",
}

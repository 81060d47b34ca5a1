package i18n

func init() { register(moneyEnglish) }

// moneyEnglish covers amounts and days typed in forms.
var moneyEnglish = map[string]string{
	"Indiquez un montant.":          "Enter an amount.",
	"Le montant doit être positif.": "The amount must be positive.",
	"Le montant a au plus deux décimales, après une virgule : 3 000,50.":  "The amount has at most two decimals, after a comma: 3 000,50.",
	"Ce montant n’est pas lisible. Écrivez par exemple 3000 ou 3 000,50.": "This amount cannot be read. Write for example 3000 or 3 000,50.",
	"Ce montant est trop élevé.":                                          "This amount is too large.",
	"Ce montant est trop élevé (10 000 000,00 € au plus).":                "This amount is too large (10 000 000,00 € at most).",
	"Le montant doit être supérieur à zéro.":                              "The amount must be more than zero.",
	"Indiquez un nombre de jours.":                                        "Enter a number of days.",
	"Le nombre de jours doit être positif.":                               "The number of days must be positive.",
	"Indiquez un nombre de jours par quart de journée : 1 ; 0,5 ; 1,25.":  "Enter a number of days in quarter days: 1; 0,5; 1,25.",
	"Les jours se comptent par quart de journée : 0,25 ; 0,5 ; 0,75.":     "Days are counted in quarter days: 0,25; 0,5; 0,75.",
	"Le nombre de jours doit être supérieur à zéro.":                      "The number of days must be more than zero.",
	"Une contribution compte au plus 31 jours.":                           "A contribution counts 31 days at most.",
	"Déclarée":      "Declared",
	"Validée":       "Validated",
	"Payée":         "Paid",
	"Refusée":       "Refused",
	"Développement": "Development",
	"Documentation": "Documentation",
	"Animation":     "Facilitation",
	"Design":        "Design",
	"Coordination":  "Coordination",
	"Formation":     "Training",
	"Autre":         "Other",
}

package i18n

func init() { register(transparencyEnglish) }

// transparencyEnglish covers the filters, balances and empty states of the public accounts.
var transparencyEnglish = map[string]string{
	"Défi (mots de son titre)": "Challenge (words of its title)",
	"Défi :":                   "Challenge:",
	"Aucun défi n’a l’adresse « %s ».": "No challenge has the address “%s”.",
	"Retirer ce filtre":                "Remove this filter",
	"Soldes de l’année %d":             "Balances of the year %d",
	"Pour chaque compte, ce qui y est entré moins ce qui en est sorti entre le 1er janvier et le 31 décembre %d. « Toutes les années » montre les soldes à ce jour.": "For each account, what came in less what went out between 1 January and 31 December %d. “All years” shows the balances to date.",
	"Soldes à ce jour": "Balances to date",
	"Tous les mouvements depuis l’ouverture des comptes. Choisissez une année pour voir ce que chaque compte a reçu et versé cette année-là.": "Every movement since the accounts were opened. Choose a year to see what each account received and paid out that year.",
	"Aucun compte n’a bougé pour ces critères.": "No account moved for these criteria.",
	"Solde de l’année":                          "Balance of the year",
	"%d mouvement":                              "%d movement",
	"%d mouvements":                             "%d movements",
	"Aucun défi ne porte ces mots dans son titre. Essayez un autre mot ou videz le champ « Défi ».": "No challenge has these words in its title. Try another word or empty the “Challenge” field.",
	"Aucun mouvement sur cette page.": "No movement on this page.",
	"Aucun mouvement en %d.":          "No movement in %d.",
	"Aucun mouvement pour le moment.": "No movement yet.",
}

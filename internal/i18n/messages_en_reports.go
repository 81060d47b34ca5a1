package i18n

func init() { register(reportsEnglish) }

// reportsEnglish covers the reports for funders (web/pages/report.templ).
var reportsEnglish = map[string]string{
	"Abondement": "Matching",
	"Aucun financement reçu pour le moment.":                  "No funds received yet.",
	"Aucun jour payé sur les fonds du commun pour le moment.": "No day paid from the commons' funds yet.",
	"Aucun rendez-vous tenu pour le moment.":                  "No rendez-vous held yet.",
	"Aucune étape publiée.":                                   "No step published.",
	"Bilan du commun":                                         "Report of the commons",
	"Bilan":                                                   "Report",
	"Bénévolat valorisé au tarif journalier":                  "Volunteering valued at the day rate",
	"Financeurs anonymes":                                     "Anonymous funders",
	"Fonds reçus des financeurs":                              "Funds received from funders",
	"Inscrit·es":                                              "Registered",
	"Jours":                                                   "Days",
	"Les chiffres en CSV":                                     "The figures as CSV",
	"Les financeurs":                                          "The funders",
	"Les jours payés":                                         "The days paid",
	"Les rendez-vous tenus":                                   "The rendez-vous held",
	"Les ressources":                                          "The resources",
	"Les étapes de développement":                             "The development steps",
	"Mois":                                                    "Month",
	"Montant reçu":                                            "Amount received",
	"Promesses":                                               "Pledges",
	"Présent·es":                                              "Present",
	"Rendez-vous":                                             "Rendez-vous",
	"Reçu":                                                    "Received",
	"Rétributions payées sur ces fonds":                       "Retributions paid from these funds",
	"Sa documentation sur Movilab :":                          "Its documentation on Movilab:",
	"Bilan pour les financeurs":                               "Report for funders",
}

package i18n

func init() { register(booksEnglish) }

// booksEnglish covers the books: /coordination/comptabilite and its FEC-shaped export.
var booksEnglish = map[string]string{
	"9 chiffres, sur l’avis de situation INSEE.":          "9 digits, on the INSEE registration notice.",
	"Aucun mouvement dans le grand livre pour le moment.": "No movement in the ledger yet.",
	"Chaque écriture de l’export est un mouvement du grand livre ; chaque ligne, un compte du grand livre traduit en compte du plan comptable. Votre expert-comptable peut changer ces numéros ; chaque changement est noté dans le journal.": "Each entry of the export is a movement of the ledger; each line, a ledger account translated into an account of the French chart of accounts. Your accountant can change these numbers; each change is written in the journal.",
	"Code du journal": "Journal code",
	"Comptabilité":    "Accounting",
	"Entrées et sorties d’argent (banque)":                                                              "Money in and out (bank)",
	"Enveloppes d’abondement des appels":                                                                "Matching pools of the calls",
	"Export comptable %d":                                                                               "Accounting export %d",
	"Fonds d’amorçage de l’année":                                                                       "The year's seed fund",
	"Indiquez le SIREN de l’association ci-dessous : il nomme le fichier.":                              "Enter the association's SIREN below: it names the file.",
	"Indiquez le libellé du journal (100 caractères au plus).":                                          "Enter the journal's label (100 characters at most).",
	"Indiquez l’année de l’export, par exemple annee=2026.":                                             "Give the export's year, for example annee=2026.",
	"Le SIREN compte 9 chiffres et sa clé doit être juste : vérifiez-le sur l’avis de situation INSEE.": "A SIREN has 9 digits and its check digit must be right: check it on the INSEE registration notice.",
	"Le code journal compte 1 à 10 lettres majuscules ou chiffres, par exemple FAB.":                    "The journal code has 1 to 10 capital letters or digits, for example FAB.",
	"Le plan de comptes de l’export est enregistré.":                                                    "The export's chart of accounts is saved.",
	"Les exports":                          "The exports",
	"Libellé du compte":                    "Account label",
	"Libellé du journal":                   "Journal label",
	"L’association et son plan de comptes": "The association and its chart of accounts",
	"Numéro de compte":                     "Account number",
	"Pour la banque : le fichier des virements à faire, depuis": "For the bank: the file of transfers to make, from",
	"Pour la comptabilité de l’association : les mouvements d’une année au format du FEC (fichier des écritures comptables), à importer dans Dokos, ERPNext ou Paheko. Ce n’est pas le FEC légal de l’association : sa comptabilité le produit.": "For the association's accounts: a year's movements shaped like a FEC (the French accounting entries file), to import into Dokos, ERPNext or Paheko. It is not the association's legal FEC: its accounting software produces that.",
	"SIREN de l’association":   "The association's SIREN",
	"les rétributions à payer": "the retributions to pay",
	"Indiquez un numéro de compte du plan comptable, par exemple 512 ou 1941.": "Enter an account number of the chart of accounts, for example 512 or 1941.",
	"Indiquez le libellé du compte (100 caractères au plus).":                  "Enter the account's label (100 characters at most).",
	"Plan de comptes de l’export comptable modifié":                            "Chart of accounts of the accounting export changed",
}

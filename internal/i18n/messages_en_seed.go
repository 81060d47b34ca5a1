package i18n

func init() { register(seedEnglish) }

// seedEnglish covers the seed fund, the seed budget requests and decisions, and the
// coordination's queue and audit trail.
var seedEnglish = map[string]string{
	// The défi's seed budget.
	"Budget d’amorçage":   "Seed budget",
	"Accordé à ce défi :": "Granted to this challenge:",
	"sur un plafond de":   "out of a ceiling of",
	"Aucune demande de budget d’amorçage pour l’instant.": "No seed budget request yet.",
	"Demande en attente":                  "Pending request",
	"Demande du":                          "Request of",
	"Montant demandé :":                   "Amount requested:",
	"Demandé par %s le":                   "Requested by %s on",
	"Demandé par %s":                      "Requested by %s",
	"En attente de décision":              "Awaiting a decision",
	"Approuvée":                           "Approved",
	"la coordination examine la demande.": "the coordination is reviewing the request.",
	"accordés sur le fonds d’amorçage %d, par %s le": "granted from the %d seed fund, by %s on",
	"par %s le":                     "by %s on",
	"Note de la coordination :":     "Note from the coordination:",
	"Le plan":                       "The plan",
	"Demandes précédentes":          "Earlier requests",
	"Demander le budget d’amorçage": "Request the seed budget",
	"Montant demandé (€)":           "Amount requested (€)",
	"Au plus %s pour ce défi. Par exemple : 3 000 ou 1 500,50.":                                                             "At most %s for this challenge. For example: 3 000 or 1 500,50.",
	"Ce que l’équipe va faire, qui le fera et combien de jours chacun (%s HT la journée). Mise en forme Markdown acceptée.": "What the team will do, who will do it and how many days each (%s excl. VAT a day). Markdown formatting accepted.",
	"Envoyer la demande à la coordination":                                                                                  "Send the request to the coordination",
	"Votre demande attend la décision de la coordination : vous pourrez en faire une autre ensuite.":                        "Your request awaits the coordination's decision: you can make another one afterwards.",
	"Le budget d’amorçage se demande quand l’équipe est constituée ou pendant la préfiguration.":                            "The seed budget can be requested once the team is formed or while the challenge is being framed.",
	"Ce défi a reçu tout son budget d’amorçage.":                                                                            "This challenge has received all of its seed budget.",
	"Décision de la coordination":                                                                                           "The coordination's decision",
	"Le fonds d’amorçage %d dispose encore de":                                                                              "The %d seed fund still has",
	"Montant accordé (€)": "Amount granted (€)",
	"Laissez vide pour accorder le montant demandé (%s) ; un montant inférieur l’accorde en partie.": "Leave empty to grant the amount requested (%s); a lower amount grants it in part.",
	"Note au·à la porteur·se": "Note to the lead",
	"Obligatoire pour un refus : elle est publique, sur la page du défi.": "Required for a refusal: it is public, on the challenge's page.",
	"Approuver":          "Approve",
	"Refuser la demande": "Refuse the request",
	"← Retour au défi":   "← Back to the challenge",

	// Refusals.
	"Décrivez le plan : ce qui sera fait, par qui, en combien de jours.":                      "Describe the plan: what will be done, by whom, in how many days.",
	"Le plan ne doit pas dépasser 20 000 caractères.":                                         "The plan must not exceed 20 000 characters.",
	"Seul·e le·la porteur·se du défi demande son budget d’amorçage.":                          "Only the challenge's lead requests its seed budget.",
	"Une demande est déjà en attente pour ce défi : attendez la décision de la coordination.": "A request is already pending for this challenge: wait for the coordination's decision.",
	"Le budget d’amorçage d’un défi est plafonné à %s : il reste %s pour ce défi.":            "A challenge's seed budget is capped at %s: %s is left for this challenge.",
	"Le fonds d’amorçage %d n’a plus que %s.":                                                 "The %d seed fund only has %s left.",
	"Le fonds d’amorçage %d a déjà accordé %s : il ne peut pas descendre en dessous.":         "The %d seed fund has already granted %s: it cannot go below that.",
	"Le montant accordé ne peut pas dépasser le montant demandé (%s).":                        "The amount granted cannot exceed the amount requested (%s).",
	"Seule la coordination décide des budgets d’amorçage.":                                    "Only the coordination decides on seed budgets.",
	"Seule la coordination fixe le fonds d’amorçage.":                                         "Only the coordination sets the seed fund.",
	"Expliquez au·à la porteur·se pourquoi la demande est refusée.":                           "Tell the lead why the request is refused.",
	"Choisissez d’approuver ou de refuser la demande.":                                        "Choose to approve or refuse the request.",
	"Aucune demande de budget d’amorçage n’est en attente pour ce défi.":                      "No seed budget request is pending for this challenge.",
	"Cette demande a déjà été approuvée.":                                                     "This request has already been approved.",
	"Cette demande a déjà été refusée.":                                                       "This request has already been refused.",
	"Cette demande n’existe pas.":                                                             "This request does not exist.",
	"Indiquez une année sur quatre chiffres, entre 2020 et 2100.":                             "Enter a four-digit year, between 2020 and 2100.",

	// Flashes.
	"Votre demande de budget d’amorçage est envoyée à la coordination.": "Your seed budget request has been sent to the coordination.",
	"Le budget d’amorçage est accordé.":                                 "The seed budget is granted.",
	"La demande de budget d’amorçage est refusée.":                      "The seed budget request is refused.",
	"Le fonds d’amorçage est mis à jour.":                               "The seed fund is updated.",

	// The coordination's queue.
	"Coordination":          "Coordination",
	"Journal des décisions": "Decision log",
	"Demandes de budget d’amorçage à décider":           "Seed budget requests to decide",
	"Aucune demande en attente.":                        "No pending request.",
	"Les %d plus anciennes sur %d demandes en attente.": "The %d oldest of %d pending requests.",
	"Demandes d’amorçage en attente":                    "Seed requests waiting",
	"Voir toutes les demandes en attente (%d)":          "See every request waiting (%d)",
	"Voir tous les défis prêts (%d)":                    "See every challenge ready (%d)",
	"aujourd’hui":                                       "today",
	"il y a %d jour":                                    "%d day ago",
	"il y a %d jours":                                   "%d days ago",
	"déjà accordé à ce défi :":                          "already granted to this challenge:",
	"Note (obligatoire pour un refus)":                  "Note (required for a refusal)",
	"Fonds d’amorçage %d":                               "%d seed fund",
	"Fonds d’amorçage par année":                        "Seed fund by year",
	"Année":                                             "Year",
	"Fonds":                                             "Fund",
	"Accordé":                                           "Granted",
	"Reste":                                             "Left",
	"Montant du fonds (€)":                              "Amount of the fund (€)",
	"Le montant total du fonds de l’année, par exemple 12 000 pour quatre défis à 3 000 €. Il ne peut pas descendre sous ce qui est déjà accordé.": "The year's whole fund, for example 12 000 for four challenges at 3 000 €. It cannot go below what is already granted.",
	"Fixer le fonds":                   "Set the fund",
	"Contributions à payer et budgets": "Contributions to pay and budgets",

	// The audit trail.
	"← Retour à la coordination": "← Back to the coordination",
	"Chaque décision de la coordination, dans l’ordre où elle a été prise : rien n’y est modifié ni effacé.": "Every decision of the coordination, in the order it was taken: nothing in it is changed or erased.",
	"Aucune décision enregistrée.": "No decision recorded.",
	"Date":                         "Date",
	"Par":                          "By",
	"Décision":                     "Decision",
	"Détail":                       "Detail",
	"Page %d":                      "Page %d",
	"Fonds d’amorçage fixé":        "Seed fund set",
	"Budget d’amorçage accordé":    "Seed budget granted",
	"Demande de budget d’amorçage refusée": "Seed budget request refused",
}

func init() {
	register(map[string]string{
		"Le défi n’est plus en équipe ni en préfiguration : cette demande ne peut plus être approuvée, refusez-la.": "The challenge is no longer at the team or framing step: this request can no longer be approved, refuse it.",
	})
}

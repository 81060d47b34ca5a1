package i18n

func init() { register(notificationsEnglish) }

// notificationsEnglish covers the notifications (issue 13): kinds, deliveries, e-mails.
var notificationsEnglish = map[string]string{
	"Par courriel, tout de suite": "By e-mail, at once",
	"Dans le résumé quotidien":    "In the daily digest",
	"Sur le site seulement":       "On the site only",

	"Une demande pour rejoindre votre défi":                      "A request to join your challenge",
	"Une contribution à valider":                                 "A contribution to validate",
	"La décision sur votre demande de budget d’amorçage":         "The decision on your seed budget request",
	"Votre défi change d’étape":                                  "Your challenge moves to another stage",
	"La réponse à votre demande de rejoindre une équipe":         "The answer to your request to join a team",
	"Votre contribution validée ou refusée":                      "Your contribution validated or refused",
	"Votre contribution payée":                                   "Your contribution paid",
	"Une demande de budget d’amorçage à décider":                 "A seed budget request to decide",
	"Des contributions validées à payer":                         "Validated contributions to pay",
	"Une promesse de cofinancement à confirmer":                  "A co-financing pledge to confirm",
	"Un cadrage complet qui attend la décision de développement": "A complete framing awaiting the development decision",
	"Votre promesse confirmée":                                   "Your pledge confirmed",
	"L’appel clos et ce que votre promesse a apporté":            "The call closed and what your pledge brought",
	"Un rappel avant la clôture d’un appel":                      "A reminder before a call closes",
	"Un rappel de ce qui attend depuis plus de 7 jours":          "A reminder of what has been waiting for more than 7 days",
	"Porteur·se d’un défi":                                       "Challenge lead",
	"Contributeur·rice":                                          "Contributor",
	"Coordination":                                               "Coordination",
	"Financeur":                                                  "Funder",
	"Porteur·se et coordination":                                 "Leads and coordination",
}

var unsubscribeEnglish = map[string]string{
	"Ne plus recevoir ces courriels": "Stop receiving these e-mails",
	"C’est fait : vous ne recevrez plus ces courriels. Ces notifications restent visibles sur le site, dans votre espace.": "Done: you will no longer receive these e-mails. These notifications stay visible on the site, in your space.",
	"Vous ne recevrez plus de courriel pour :":              "You will no longer receive e-mails for:",
	"Aucune notification ne vous est envoyée par ce moyen.": "No notification is sent to you this way.",
	"Me désabonner":                         "Unsubscribe",
	"Choisir notification par notification": "Choose notification by notification",
}

func init() { register(unsubscribeEnglish) }

var preferencesEnglish = map[string]string{
	"← Mon espace":                    "← My space",
	"Mes préférences de notification": "My notification preferences",
	"Pour chaque sujet, choisissez comment être prévenu·e. Les courriels de votre compte (mot de passe, adresse) vous sont toujours envoyés.": "For each subject, choose how to be told. Your account's e-mails (password, address) are always sent to you.",
	"Vos préférences sont enregistrées.":                  "Your preferences are saved.",
	"Enregistrer mes préférences":                         "Save my preferences",
	"Choisissez l’une des trois façons d’être prévenu·e.": "Choose one of the three ways to be told.",
}

func init() { register(preferencesEnglish) }

var centreEnglish = map[string]string{
	"Mes notifications": "My notifications",
	"Rien pour l’instant : vous serez prévenu·e ici de ce qui vous concerne.": "Nothing yet: you will be told here of what concerns you.",
	"%d notification non lue":   "%d unread notification",
	"%d notifications non lues": "%d unread notifications",
	"Tout marquer comme lu":     "Mark all as read",
	"Non lue":                   "Unread",
}

func init() { register(centreEnglish) }

var moreKindsEnglish = map[string]string{
	"Une contribution à valider sur « %s »":                                "A contribution to validate on “%s”",
	"%s a déclaré une contribution sur « %s » : validez-la ou refusez-la.": "%s declared a contribution on “%s”: validate or refuse it.",
	"« %s » passe à l’étape « %s »":                                        "“%s” moves to the stage “%s”",
	"La coordination a fait passer « %s » à l’étape « %s ».":               "The coordination moved “%s” to the stage “%s”.",
}

func init() { register(moreKindsEnglish) }

var coordinationKindsEnglish = map[string]string{
	"Une promesse à confirmer sur l’appel « %s »":                                     "A pledge to confirm on the call “%s”",
	"Une promesse de %s sur l’appel « %s » attend la confirmation de sa réception.":   "A pledge of %s on the call “%s” awaits confirmation that it was received.",
	"Une contribution à payer sur « %s »":                                             "A contribution to pay on “%s”",
	"La contribution de %s sur « %s » est validée : %s à payer.":                      "%s's contribution on “%s” is validated: %s to pay.",
	"« %s » est prêt pour la décision de développement":                               "“%s” is ready for the development decision",
	"Le cadrage de « %s » est complet : le défi attend la décision de développement.": "The framing of “%s” is complete: the challenge awaits the development decision.",
}

func init() { register(coordinationKindsEnglish) }

package i18n

func init() { register(remindersEnglish) }

// remindersEnglish covers the call's closing told to its funders and the reminders on
// schedule (internal/fabrique/notification_text.go).
var remindersEnglish = map[string]string{
	"L’appel « %s » est clos": "The call “%s” is closed",
	"L’appel « %s » est clos. Votre promesse de %s à l’étape « %s » n’avait pas été confirmée : elle a expiré. Si vos fonds sont partis, écrivez à la coordination.": "The call “%s” is closed. Your pledge of %s to the step “%s” had not been confirmed: it has expired. If your funds were sent, write to the coordination.",
	"L’appel « %s » est clos. Votre promesse de %s à l’étape « %s » est confirmée, et l’abondement apporte %s de plus à cette étape. Merci !":                        "The call “%s” is closed. Your pledge of %s to the step “%s” is confirmed, and the matching brings %s more to this step. Thank you!",
	"L’appel « %s » est clos. Votre promesse de %s à l’étape « %s » est confirmée. Merci !":                                                                          "The call “%s” is closed. Your pledge of %s to the step “%s” is confirmed. Thank you!",
	"L’appel « %s » se clôt le %s": "The call “%s” closes on %s",
	"Votre promesse de %s à l’appel « %s » n’est pas encore confirmée, et l’appel se clôt le %s : versez les fonds avec la référence de votre promesse, ou retirez-la.": "Your pledge of %s to the call “%s” is not confirmed yet, and the call closes on %s: send the funds with your pledge's reference, or withdraw it.",
	"Des demandes attendent depuis plus de 7 jours":                                 "Requests have been waiting for more than 7 days",
	"%d demandes ou contributions attendent votre décision depuis plus de 7 jours.": "%d requests or contributions have been waiting for your decision for more than 7 days.",
	"Une demande attend depuis plus de 7 jours":                                     "A request has been waiting for more than 7 days",
	"Une demande ou une contribution attend votre décision depuis plus de 7 jours.": "A request or a contribution has been waiting for your decision for more than 7 days.",
}

func init() { register(mailLangEnglish) }

// mailLangEnglish covers the notification e-mails' words around the sentence.
var mailLangEnglish = map[string]string{
	"le résumé quotidien":                          "the daily digest",
	"Voir sur la Fabrique":                         "See it on the Fabrique",
	"Votre inscription à un rendez-vous":           "Your registration for a rendez-vous",
	"Une place libérée pour vous à un rendez-vous": "A seat freed for you at a rendez-vous",
	"Un rendez-vous change de date":                "A rendez-vous changes date",
	"Un rendez-vous annulé":                        "A rendez-vous cancelled",
	"Le rappel la veille d’un rendez-vous":         "The reminder the day before a rendez-vous",
	"Participant·e à un rendez-vous":               "Participant in a rendez-vous",
	"En liste d’attente pour « %s »":               "On the waiting list for “%s”",
	"Le rendez-vous « %s » du %s est complet : vous êtes en liste d’attente, en position %s. Nous vous prévenons si une place se libère.": "The rendez-vous “%s” on %s is full: you are on the waiting list, in position %s. We will tell you if a seat frees up.",
	"Inscription confirmée : « %s »":                   "Registration confirmed: “%s”",
	"Vous êtes inscrit·e au rendez-vous « %s » du %s.": "You are registered for the rendez-vous “%s” on %s.",
	"Une place s’est libérée : « %s »":                 "A seat is free: “%s”",
	"Une place s’est libérée au rendez-vous « %s » du %s : vous êtes inscrit·e. Si vous ne pouvez plus venir, désinscrivez-vous pour la laisser à quelqu’un d’autre.": "A seat came free at the rendez-vous “%s” on %s: you are registered. If you can no longer come, withdraw to leave it to someone else.",
	"« %s » change de date":                              "“%s” changes date",
	"Le rendez-vous « %s » a lieu désormais le %s.":      "The rendez-vous “%s” now takes place on %s.",
	"« %s » est annulé":                                  "“%s” is cancelled",
	"Le rendez-vous « %s » du %s est annulé. Motif : %s": "The rendez-vous “%s” on %s is cancelled. Reason: %s",
	"Demain : « %s »":                                    "Tomorrow: “%s”",
	"Rappel : le rendez-vous « %s » a lieu le %s.":       "Reminder: the rendez-vous “%s” takes place on %s.",
}

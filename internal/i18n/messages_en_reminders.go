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
	"le résumé quotidien":  "the daily digest",
	"Voir sur la Fabrique": "See it on the Fabrique",
}

package i18n

func init() { register(queueEnglish) }

// queueEnglish covers the notifications' e-mails and the outbox (issue 13, branch queue).
var queueEnglish = map[string]string{
	"Demande pour rejoindre « %s »": "Request to join “%s”",
	"%s demande à rejoindre l’équipe de « %s ». Acceptez ou refusez sa demande sur la page du défi.": "%s asks to join the team of “%s”. Accept or refuse the request on the challenge’s page.",
	"Votre demande pour rejoindre « %s »":                                                      "Your request to join “%s”",
	"Votre demande pour rejoindre l’équipe de « %s » est refusée.":                             "Your request to join the team of “%s” is refused.",
	"Votre demande pour rejoindre l’équipe de « %s » est acceptée : bienvenue dans l’équipe !": "Your request to join the team of “%s” is accepted: welcome to the team!",
	"Votre contribution à « %s »":                                                              "Your contribution to “%s”",
	"Votre contribution à « %s » est refusée. Motif : %s":                                      "Your contribution to “%s” is refused. Reason: %s",
	"Votre contribution à « %s » est validée.":                                                 "Your contribution to “%s” is validated.",
	"Votre contribution à « %s » est payée":                                                    "Your contribution to “%s” is paid",
	"Votre contribution à « %s » est payée : %s, référence %s.":                                "Your contribution to “%s” is paid: %s, reference %s.",
	"Votre promesse à l’appel « %s » est confirmée":                                            "Your pledge to the call “%s” is confirmed",
	"Votre promesse de %s à l’appel « %s » est confirmée. Merci !":                             "Your pledge of %s to the call “%s” is confirmed. Thank you!",
	"Budget d’amorçage à décider pour « %s »":                                                  "Seed budget to decide for “%s”",
	"%s demande %s de budget d’amorçage pour « %s ».":                                          "%s asks for %s of seed budget for “%s”.",
	"Votre demande de budget d’amorçage pour « %s »":                                           "Your seed budget request for “%s”",
	"Votre demande de budget d’amorçage pour « %s » est refusée. Motif : %s":                   "Your seed budget request for “%s” is refused. Reason: %s",
	"Votre demande de budget d’amorçage pour « %s » est accordée : %s.":                        "Your seed budget request for “%s” is granted: %s.",
	"Votre résumé quotidien sur la Fabrique":                                                   "Your daily digest from the Fabrique",
	"Voici ce qui vous concerne depuis votre dernier résumé.":                                  "Here is what concerns you since your last digest.",
	"Vous recevez ce courriel selon vos préférences de notification.":                          "You receive this e-mail according to your notification preferences.",
	"Voir sur la Fabrique :":                                                                   "See it on the Fabrique:",
	"Seul un courriel en échec peut être renvoyé.":                                             "Only a failed e-mail can be sent again.",
	"En attente": "Queued",
	"Envoyé":     "Sent",
	"Échec":      "Failed",
	"Conservé":   "Kept",
}

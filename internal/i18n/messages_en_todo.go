package i18n

func init() { register(todoEnglish) }

// todoEnglish covers « À faire », the first part of a person's space.
var todoEnglish = map[string]string{
	"À faire":                       "To do",
	"Rien n’attend votre décision.": "Nothing waits for your decision.",
	"%s demande à rejoindre l’équipe de « %s ».":   "%s asks to join the team of “%s”.",
	"%s demande à rejoindre le tiers-lieu « %s ».": "%s asks to join the third place “%s”.",
	"Depuis le":                                          "Since",
	"Voir l’équipe, ou refuser":                          "See the team, or refuse",
	"%d contribution à valider":                          "%d contribution to validate",
	"%d contributions à valider":                         "%d contributions to validate",
	"dans « %s »":                                        "in “%s”",
	"La plus ancienne du":                                "The oldest from",
	"Valider les contributions":                          "Validate the contributions",
	"Répondre":                                           "Answer",
	"%d demande de budget d’amorçage à décider":          "%d seed budget request to decide",
	"%d demandes de budget d’amorçage à décider":         "%d seed budget requests to decide",
	"Décider":                                            "Decide",
	"%d promesse dont confirmer la réception des fonds":  "%d pledge whose funds to confirm",
	"%d promesses dont confirmer la réception des fonds": "%d pledges whose funds to confirm",
	"Confirmer les fonds reçus":                          "Confirm the funds received",
	"%d rétribution validée à payer":                     "%d validated retribution to pay",
	"%d rétributions validées à payer":                   "%d validated retributions to pay",
	"Payer les rétributions":                             "Pay the retributions",
	"Votre demande pour rejoindre l’équipe de":           "Your request to join the team of",
	"Votre demande pour rejoindre le tiers-lieu":         "Your request to join the third place",
	"envoyée le":                                         "sent on",
	"Porteur·se":                                         "Lead",
	"Membre":                                             "Member",
}

func init() { register(map[string]string{"Menu": "Menu"}) }

package i18n

func init() { register(mailEnglish) }

// mailEnglish covers the e-mails' layout (web/mail): the footer every e-mail carries.
var mailEnglish = map[string]string{
	"La Fabrique à communs des tiers-lieux":                   "La Fabrique à communs des tiers-lieux",
	"Vous recevez ce courriel parce que":                      "You are receiving this e-mail because",
	"vous avez un compte sur la Fabrique à communs.":          "you have an account on the Fabrique à communs.",
	"vous avez choisi d’être prévenu·e par courriel de : %s.": "you chose to be told by e-mail of: %s.",
	"Choisir ce que vous recevez":                             "Choose what you receive",
	"Ne plus recevoir ces courriels":                          "Stop receiving these e-mails",
}

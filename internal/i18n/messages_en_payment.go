package i18n

func init() { register(paymentEnglish) }

// paymentEnglish covers a call's payment instructions: how a funder pays a pledge.
var paymentEnglish = map[string]string{
	"La coordination confirme la promesse quand les fonds arrivent : la référence lui permet de les reconnaître.": "The coordination confirms the pledge when the funds arrive: the reference lets it recognise them.",
	"Enregistrer les instructions de paiement":                                                                                                                       "Save the payment instructions",
	"Début de la référence du virement (facultatif)":                                                                                                                 "Start of the transfer reference (optional)",
	"Instructions de paiement enregistrées : les financeurs de l’appel les voient avec leurs promesses.":                                                             "Payment instructions saved: the call's funders see them with their pledges.",
	"Par exemple FR7630006000011234567890189 ; les espaces sont acceptés.":                                                                                           "For example FR7630006000011234567890189; spaces are accepted.",
	"Comment verser les fonds":                                                                                                                                       "How to pay the funds",
	"Merci ! Votre promesse est enregistrée : voici comment verser les fonds. La coordination la confirmera à leur réception.":                                       "Thank you! Your pledge is recorded: here is how to pay the funds. The coordination will confirm it when they arrive.",
	"La référence s’écrit en lettres sans accent, chiffres et tirets, 20 caractères au plus.":                                                                        "The reference is written in unaccented letters, digits and hyphens, 20 characters at most.",
	"Ce que voient les financeurs après leur promesse pour verser les fonds. Facultatif : sans elles, la page dit que la coordination leur indiquera comment payer.": "What funders see after their pledge to pay the funds. Optional: without them, the page says the coordination will tell them how to pay.",
	"IBAN":                             "IBAN",
	"Indiquez l’IBAN du bénéficiaire.": "Give the payee's IBAN.",
	"La coordination vous indiquera comment verser les fonds, et confirmera la promesse à leur réception.": "The coordination will tell you how to pay the funds, and will confirm the pledge when they arrive.",
	"Comment les financeurs versent les fonds":                                                             "How funders pay the funds",
	"Référence à indiquer":                               "Reference to write",
	"Instructions de paiement":                           "Payment instructions",
	"Virement à l’ordre de":                              "Transfer to",
	"Indiquez le bénéficiaire du virement, avec l’IBAN.": "Give the payee of the transfer, with the IBAN.",
	"Bénéficiaire du virement":                           "Payee of the transfer",
	"Cet IBAN n’est pas valide : vérifiez-le, il commence par deux lettres (FR76…) et sa clé doit être juste.": "This IBAN is not valid: check it; it starts with two letters (FR76…) and its check digits must be right.",
	"Le numéro de la promesse le suit : APPEL-2027 donne APPEL-2027-42. Vide : PROMESSE-42.":                   "The pledge's number follows it: APPEL-2027 gives APPEL-2027-42. Empty: PROMESSE-42.",
	"Le bénéficiaire ne doit pas dépasser 160 caractères.":                                                     "The payee must not exceed 160 characters.",
	"Instructions de paiement d’un appel modifiées":                                                            "Payment instructions of a call changed",
}

func init() { register(supportEnglish) }

// supportEnglish covers « Soutenir cette étape » and the step's own pledge page.
var supportEnglish = map[string]string{
	"Par exemple, une promesse de %s d’un financeur abondé apporte jusqu’à %s à l’étape, abondement compris, versé à la clôture de l’appel pour les fonds reçus.":             "For example, a pledge of %s from a matched funder brings up to %s to the step, matching included, paid at the call's closing for the funds received.",
	"Pour promettre, choisissez une étape ci-dessus : « Soutenir cette étape » montre son objectif, où elle en est et ce que votre promesse lui apportera avec l’abondement.": "To pledge, choose a step above: “Support this step” shows its goal, where it stands and what your pledge will bring with the matching.",
	"Soutenir cette étape":       "Support this step",
	"Règle d’abondement :":       "Matching rule:",
	"Promesses de cofinancement": "Co-financing pledges",
	"Où en est l’étape":          "Where the step stands",
}

func init() {
	register(map[string]string{
		"Encore %d jour pour promettre":  "%d day left to pledge",
		"Encore %d jours pour promettre": "%d days left to pledge",
	})
}

func init() {
	register(map[string]string{
		"Cofinancer un commun":           "Co-finance a commons",
		"Appels à cofinancement ouverts": "Open calls for co-financing",
		"Promesses ouvertes jusqu’au":    "Pledges open until",
	})
}

package i18n

func init() { register(stepsEnglish) }

// stepsEnglish covers the move from défi to commun, the commun's development steps and
// team, and the development work paid from the commun's funds.
var stepsEnglish = map[string]string{
	// The move to développement.
	"Pour le passage en développement": "For the move to development",
	"Commun issu du défi":              "Commons born from the challenge",
	"Le défi donne naissance à un nouveau commun, ou rejoint un commun de la cartographie.": "The challenge gives rise to a new commons, or joins a commons of the map.",
	"Créer le commun « %s »":                       "Create the commons “%s”",
	"Type du commun créé":                          "Kind of the commons created",
	"Le défi poursuit le commun qui en est issu :": "The challenge carries on with the commons born from it:",
	"Ce commun n’existe pas dans la cartographie.": "This commons is not on the map.",
	"Ce défi a déjà donné naissance à un commun : il le poursuit, un autre commun ne peut pas être choisi.": "This challenge already gave rise to a commons: it carries on with it, another commons cannot be chosen.",
	"Le défi passe en développement : le commun qui en est issu est créé dans la cartographie.":             "The challenge moves to development: the commons born from it is added to the map.",
	"Le défi passe en développement : il poursuit le commun auquel il est rattaché.":                        "The challenge moves to development: it carries on with the commons it is attached to.",

	// The commun's team and steps.
	"L’équipe du commun": "The commons' team",
	"Ce commun n’est issu d’aucun défi de la Fabrique : il n’a pas encore d’équipe ici.": "This commons was not born from a challenge of the Fabrique: it has no team here yet.",
	"Issu du défi":            "Born from the challenge",
	"Étapes de développement": "Development steps",
	"Étape de développement":  "Development step",
	"Aucune étape de développement n’est encore publiée.": "No development step is published yet.",
	"étape n° %d":                        "step no. %d",
	"étape":                              "step",
	"Du":                                 "From",
	"au":                                 "to",
	"Publier une étape de développement": "Publish a development step",
	"Titre de l’étape":                   "Title of the step",
	"Par exemple : « Déclaration hors ligne des contributions ».": "For example: “Offline logging of contributions”.",
	"Ce qui sera fait": "What will be done",
	"Les livrables, qui y travaille, comment les tiers-lieux en profiteront. Mise en forme Markdown acceptée.": "The deliverables, who works on them, how third places will benefit. Markdown formatting accepted.",
	"Objectif de financement (€)":        "Funding goal (€)",
	"Par exemple : 12 000 ou 12 000,50.": "For example: 12 000 or 12 000,50.",
	"Début":                              "Start",
	"Fin":                                "End",
	"Publier l’étape":                    "Publish the step",
	"Indiquez le titre de l’étape.":      "Give the step a title.",
	"Le titre ne doit pas dépasser 160 caractères.":                                             "The title must not exceed 160 characters.",
	"La date doit être comprise entre 2020 et 2100.":                                            "The date must be between 2020 and 2100.",
	"La fin de l’étape ne peut pas précéder son début.":                                         "The step cannot end before it starts.",
	"Seuls le·la porteur·se du commun et la coordination ajoutent des étapes de développement.": "Only the commons' lead and the coordination add development steps.",
	"L’étape de développement est publiée : les financeurs peuvent la soutenir.":                "The development step is published: funders can back it.",

	// Development work paid from the commun's funds.
	"Fonds de développement":                      "Development funds",
	"Fonds de développement du commun":            "Development funds of the commons",
	"Fonds reçus (cofinancements et abondements)": "Funds received (co-financing and matching)",
	"Les contributions déclarées pendant le développement sont payées sur les fonds du commun ; celles déclarées avant restent sur le budget d’amorçage.": "Contributions logged during development are paid from the commons' funds; those logged before stay on the seed budget.",
	"Aucune étape en particulier":                                                                      "No step in particular",
	"Choisissez une étape du commun issu de ce défi.":                                                  "Choose a step of the commons born from this challenge.",
	"Payée sur les fonds du commun":                                                                    "Paid from the commons' funds",
	"Reste disponible sur les fonds du commun :":                                                       "Left in the commons' funds:",
	"Contribution validée : son montant est réservé sur les fonds du commun.":                          "Contribution validated: its amount is reserved on the commons' funds.",
	"Les fonds du commun restants ne couvrent pas cette contribution : elle ne peut pas être validée.": "The commons' remaining funds do not cover this contribution: it cannot be validated.",
	"Les fonds du commun ne couvrent plus ce paiement.":                                                "The commons' funds no longer cover this payment.",
}

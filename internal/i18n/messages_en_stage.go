package i18n

func init() { register(stageEnglish) }

// stageEnglish covers what a défi's page shows for its stage (the steps of its commun,
// why it was closed, what its team lacks, its one budget block), the status form's moves
// and the coordination's queue of défis waiting for the développement decision.
var stageEnglish = map[string]string{
	// The status form.
	"Pas encore possible :":    "Not possible yet:",
	"Choisir l’étape":          "Choose the stage",
	"Clore le défi":            "Close the challenge",
	"Revenir à l’étape « %s »": "Go back to the stage “%s”",

	// The top of the page, by stage.
	"Ce défi est clos":                           "This challenge is closed",
	"Pourquoi :":                                 "Why:",
	"L’équipe compte %d membre":                  "The team has %d member",
	"L’équipe compte %d membres":                 "The team has %d members",
	"sur les %d qu’il faut pour la constituer :": "of the %d it needs to be formed:",
	"il manque %d membre.":                       "%d member is missing.",
	"il manque %d membres.":                      "%d members are missing.",
	"sur les %d qu’il faut : le·la porteur·se peut déclarer l’équipe constituée.": "of the %d it needs: the lead may declare the team formed.",
	"pour demander à rejoindre l’équipe.":                                         "to ask to join the team.",
	"Demandez à rejoindre l’équipe":                                               "Ask to join the team",
	"en quelques mots : le·la porteur·se vous répondra.":                          "in a few words: the lead will answer you.",
	"Faites connaître le défi : les demandes pour rejoindre l’équipe arrivent dans la partie « L’équipe », où vous les acceptez.": "Spread the word about the challenge: requests to join the team arrive in the “Team” part, where you accept them.",

	// The steps of the défi's commun.
	"Les étapes de développement du commun":                     "The development steps of the commons",
	"Le défi se poursuit dans le commun":                        "The challenge carries on in the commons",
	"Le commun n’a pas encore publié d’étape de développement.": "The commons has not published any development step yet.",
	"Étape %d :":                              "Step %d:",
	"L’étape sur la page du commun":           "The step on the commons’ page",
	"Appel à cofinancement ouvert :":          "Open call for co-financing:",
	"Publier une étape sur la page du commun": "Publish a step on the commons’ page",

	// The framing, once past it, and the one budget block.
	"Le cadrage du défi": "The challenge’s framing",
	"Budget":             "Budget",
	"Le commun n’a pas encore reçu de fonds : les contributions peuvent être déclarées, elles seront validées une fois les fonds reçus.": "The commons has not received any funds yet: contributions can be logged, they will be validated once funds are received.",

	// The coordination's queue of défis waiting for the développement decision.
	"Défis prêts pour la décision de développement":                                   "Challenges ready for the development decision",
	"Aucun défi n’attend la décision : aucun cadrage complet avant le développement.": "No challenge awaits the decision: no complete framing before development.",
	"Les %d cadrés depuis le plus longtemps, sur %d.":                                 "The %d framed the longest ago, of %d.",
	"porté par %s":              "led by %s",
	"Cadrage complet.":          "Framing complete.",
	"Cadrage complet depuis le": "Framing complete since",
	"Le défi doit d’abord passer à l’étape « En préfiguration ».": "The challenge must first move to the stage “Being framed”.",
	"Décider du passage en développement":                         "Decide the move to development",
	"Changer l’étape du défi":                                     "Change the challenge’s stage",
}

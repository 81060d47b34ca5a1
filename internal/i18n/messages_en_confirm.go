package i18n

func init() { register(confirmEnglish) }

// confirmEnglish covers the questions irreversible actions ask first.
var confirmEnglish = map[string]string{
	"Retirer « %s » des lieux concernés par ce défi ?":                                                                                    "Remove “%s” from the places concerned by this challenge?",
	"Annuler cette promesse ? Elle ne comptera plus pour l’étape, ni pour son abondement.":                                                "Cancel this pledge? It will no longer count for the step, nor for its matching.",
	"Retirer votre promesse ? Elle ne comptera plus pour l’étape, ni pour son abondement.":                                                "Withdraw your pledge? It will no longer count for the step, nor for its matching.",
	"Quitter ce tiers-lieu ? Pour y revenir, un membre ou la coordination devra accepter votre demande.":                                  "Leave this third place? To come back, a member or the coordination will have to accept your request.",
	"Refuser la demande de %s ? La personne pourra en envoyer une nouvelle.":                                                              "Refuse %s's request? They may send a new one.",
	"%s portera le défi à votre place ; vous resterez dans l’équipe, et seul·e le·la nouveau·elle porteur·se pourra vous rendre ce rôle.": "%s will lead the challenge instead of you; you will stay in the team, and only the new lead can give the role back.",
	"Retirer votre demande pour rejoindre ce tiers-lieu ?":                                                                                "Withdraw your request to join this third place?",
	"Retirer votre demande pour rejoindre l’équipe ?":                                                                                     "Withdraw your request to join the team?",
	"Quitter l’équipe de ce défi ? Pour y revenir, il faudra le demander à nouveau.":                                                      "Leave this challenge's team? To come back, you will have to ask again.",
}

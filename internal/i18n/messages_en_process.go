package i18n

func init() { register(processEnglish) }

// processEnglish covers the status machine and the framing of a défi.
var processEnglish = map[string]string{
	"Défi rouvert":                                                                 "Challenge reopened",
	"Cette étape n’existe pas.":                                                    "This step does not exist.",
	"Le défi est déjà à cette étape.":                                              "The challenge is already at this step.",
	"Seule la coordination peut clore un défi.":                                    "Only the coordination can close a challenge.",
	"Seule la coordination peut rouvrir un défi.":                                  "Only the coordination can reopen a challenge.",
	"Seule la coordination décide du passage en développement.":                    "Only the coordination decides the move to development.",
	"Seule la coordination peut ramener un défi à l’étape précédente.":             "Only the coordination can take a challenge back to the previous step.",
	"Seuls le·la porteur·se du défi et la coordination peuvent changer son étape.": "Only the challenge lead and the coordination can change its step.",
	"Le défi ne peut pas sauter d’étape : il passe par « Défi identifié », « Équipe constituée », « En préfiguration » puis « En développement ».": "A challenge cannot skip a step: it goes through “Challenge identified”, “Team formed”, “Being framed”, then “In development”.",
	"Indiquez pourquoi le défi est clos (abouti, abandonné…).":                                                                               "Say why the challenge is closed (achieved, abandoned…).",
	"Il faut au moins deux membres dans l’équipe, porteur·se compris·e, pour passer à cette étape.":                                          "The team needs at least two members, lead included, to reach this step.",
	"Le cadrage doit être complet (problèmes, cas d’usage, solutions existantes, démarche, prochaines étapes) pour passer en développement.": "The framing must be complete (problems, use cases, existing solutions, approach, next steps) to move to development.",
	"Problèmes": "Problems",
	"Formalisation et formulation des problèmes qui se posent.": "Formalising and wording the problems at hand.",
	"Cas d’usage": "Use cases",
	"Les cas d’usage souhaités, récoltés auprès des tiers-lieux.":                      "The desired use cases, gathered from third places.",
	"Lieux et acteurs mobilisés":                                                       "Places and actors involved",
	"Le défi mobilise-t-il d’autres lieux, voire d’autres acteurs ?":                   "Does the challenge involve other places, or other actors?",
	"Solutions ouvertes existantes":                                                    "Existing open solutions",
	"Existe-t-il déjà des solutions ouvertes qui répondent à tout ou partie du défi ?": "Are there open solutions that already answer all or part of the challenge?",
	"Démarche de conception":                                                           "Design approach",
	"Si non, quelle démarche : cahier des charges, design… Si oui, que manque-t-il ?":  "If not, which approach: specifications, design… If so, what is missing?",
	"Prochaines étapes de développement":                                               "Next development steps",
	"Les étapes de développement à réaliser.":                                          "The development steps to carry out.",
	"Ce champ ne doit pas dépasser 20 000 caractères.":                                 "This field must not exceed 20,000 characters.",
}

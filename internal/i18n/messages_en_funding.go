package i18n

func init() { register(fundingEnglish) }

// fundingEnglish names a step's money, as its funding bar and every list of its figures
// say it (web/pages/funding.go): one English name for each figure, on every page.
var fundingEnglish = map[string]string{
	"Objectif":                "Goal",
	"Fonds reçus":             "Funds received",
	"Abondement garanti":      "Secured matching",
	"Promis, en attente":      "Promised, pending",
	"Abondement prévu":        "Projected matching",
	"Dépensé":                 "Spent",
	"Reste à financer":        "Left to fund",
	"%s reçus":                "%s received",
	"%s reçu":                 "%s received",
	"%s d’abondement garanti": "%s of secured matching",
	"%s promis":               "%s promised",
	"%s d’abondement prévu":   "%s of projected matching",
	"sur un objectif de %s":   "against a goal of %s",
	"Financement assuré à %d %%, à %d %% avec les promesses":                     "Funding %d%% secured, %d%% with the promises",
	"L’objectif est dépassé : la barre s’arrête à 100 %.":                        "The goal is exceeded: the bar stops at 100%.",
	"Avec les promesses, l’objectif serait dépassé : la barre s’arrête à 100 %.": "With the promises, the goal would be exceeded: the bar stops at 100%.",
	"Où en sont les étapes que vous soutenez":                                    "Where the steps you back stand",
}

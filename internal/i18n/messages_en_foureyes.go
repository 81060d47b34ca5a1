package i18n

func init() { register(fourEyesEnglish) }

// fourEyesEnglish covers the four-eyes rule of seed decisions: what a coordinator who
// requested the budget, or leads the défi, reads instead of the decision form.
var fourEyesEnglish = map[string]string{
	"Un·e autre coordinateur·rice doit décider : vous avez demandé ce budget d’amorçage.":                                                 "Another coordinator must decide: you requested this seed budget.",
	"Un·e autre coordinateur·rice doit décider : vous portez ce défi.":                                                                    "Another coordinator must decide: you lead this challenge.",
	"Un·e second·e coordinateur·rice doit décider : vous avez demandé ce budget d’amorçage et vous êtes seul·e à coordonner la Fabrique.": "A second coordinator must decide: you requested this seed budget and you are the Fabrique's only coordinator.",
	"Un·e second·e coordinateur·rice doit décider : vous portez ce défi et vous êtes seul·e à coordonner la Fabrique.":                    "A second coordinator must decide: you lead this challenge and you are the Fabrique's only coordinator.",
	"Décision d’amorçage refusée : quatre yeux":                                                                                           "Seed decision refused: four eyes",
}

package fabrique

// Bounds of the step form, as the schema checks them.
const (
	// MaxStepTitleLen bounds a step's title, in characters.
	MaxStepTitleLen = 160
	// MaxStepDescriptionLen bounds a step's description, in characters.
	MaxStepDescriptionLen = 20000
)

package fabrique

// A funder profile: any account adds one, with its first pledge or from its espace; a
// tiers-lieu funder names one of the tiers-lieux its account belongs to.

// ErrNoFunderProfile is the answer to an account that has no funder profile yet.
var ErrNoFunderProfile = Errorf(ENOTFOUND, "Vous n’avez pas encore de profil de financeur.")

// FunderKindError refuses, next to field, a funder kind that is not one of FunderKinds.
func FunderKindError(field string) error {
	return fieldError(field, "Choisissez un type de financeur de la liste.")
}

// FunderPlaceError refuses, next to field, a tiers-lieu the account does not belong to.
func FunderPlaceError(field string) error {
	return fieldError(field, "Choisissez un tiers-lieu dont vous êtes membre.")
}

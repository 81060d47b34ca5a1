package i18n

func init() { register(loginEnglish) }

// loginEnglish covers the rate limits of logins and sign-ups, and the neutral refusal of
// an address at sign-up.
var loginEnglish = map[string]string{
	"Trop de tentatives de connexion. Réessayez dans %d min.":                               "Too many login attempts. Try again in %d min.",
	"Trop d’inscriptions depuis votre adresse. Réessayez dans %d min.":                      "Too many sign-ups from your address. Try again in %d min.",
	"Cette adresse ne peut pas être utilisée pour un nouveau compte. Mot de passe oublié ?": "This address cannot be used for a new account. Forgotten your password?",
}

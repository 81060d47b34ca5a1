package i18n

func init() { register(outageEnglish) }

// outageEnglish covers what a visitor sees while the database is unavailable.
var outageEnglish = map[string]string{
	"Service momentanément indisponible": "Service temporarily unavailable",
	"La plateforme ne peut pas joindre sa base de données pour le moment. Réessayez dans un instant.":                     "The platform cannot reach its database at the moment. Please try again shortly.",
	"Cette page n’est peut-être pas à jour : la base de données ne répond pas pour le moment. Réessayez dans un instant.": "This page may be out of date: the database is not answering at the moment. Please try again shortly.",
}

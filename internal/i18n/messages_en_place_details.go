package i18n

func init() { register(placeDetailsEnglish) }

// placeDetailsEnglish covers a tiers-lieu's description, address and contact, its edit
// form, and the map of the tiers-lieux by region.
var placeDetailsEnglish = map[string]string{
	// The place's page and its forms.
	"Contact :": "Contact:",
	"pour voir comment contacter ce tiers-lieu.": "to see how to contact this third place.",
	"Modifier le tiers-lieu":                     "Edit the third place",
	"Modifier %s":                                "Edit %s",
	"← Retour au tiers-lieu":                     "← Back to the third place",
	"Le tiers-lieu est mis à jour.":              "The third place is updated.",
	"Présentation (facultatif)":                  "Description (optional)",
	"Ce que fait le lieu, qui l’anime, ce qu’on y trouve. Mise en forme Markdown acceptée.": "What the place does, who runs it, what you find there. Markdown formatting accepted.",
	"Adresse postale (facultatif)": "Postal address (optional)",
	"Sur une ou plusieurs lignes, par exemple « 12 rue des Tanneurs » puis « 23200 Aubusson ».": "On one or more lines, for example “12 rue des Tanneurs” then “23200 Aubusson”.",
	"Contact (facultatif)": "Contact (optional)",
	"Une adresse e-mail ou un numéro de téléphone. Seules les personnes connectées le voient, pour le protéger des robots de spam.": "An e-mail address or a phone number. Only logged-in people see it, to keep it from spam robots.",
	"La présentation ne doit pas dépasser 5 000 caractères.":                                                                        "The description must not exceed 5,000 characters.",
	"L’adresse ne doit pas dépasser 300 caractères.":                                                                                "The address must not exceed 300 characters.",
	"L’adresse tient en 5 lignes au plus.":                                                                                          "The address fits in 5 lines at most.",
	"Le contact ne doit pas dépasser 254 caractères.":                                                                               "The contact must not exceed 254 characters.",
	"Indiquez une adresse e-mail ou un numéro de téléphone (par exemple 04 78 00 00 00 ou +33 4 78 00 00 00).":                      "Give an e-mail address or a phone number (for example 04 78 00 00 00 or +33 4 78 00 00 00).",
	"Seuls les membres du tiers-lieu et la coordination peuvent le modifier.":                                                       "Only the third place's members and the coordination can edit it.",

	// The map of /tiers-lieux.
	"Les tiers-lieux par région": "Third places by region",
	"Carte des régions de France : chaque région mène à la liste de ses tiers-lieux.": "Map of the regions of France: each region leads to the list of its third places.",
	"%s : %s":                            "%s: %s",
	"Nombre de tiers-lieux par région :": "Number of third places per region:",
	"aucun":                              "none",
	"2 à 4":                              "2 to 4",
	"5 à 9":                              "5 to 9",
	"10 et plus":                         "10 or more",
	"Les 18 régions en tableau":          "The 18 regions as a table",
	"Tiers-lieux déclarés par région":    "Third places declared per region",
}

package i18n

func init() { register(verificationEnglish) }

// verificationEnglish covers requests to join a tiers-lieu, its verification by the
// coordination, and what it means for the matching of its pledges.
var verificationEnglish = map[string]string{
	// Requests to join.
	"Votre demande est envoyée : un membre du tiers-lieu ou la coordination vous répondra.": "Your request is sent: a member of the place or the coordination will answer you.",
	"Demande envoyée : un membre du tiers-lieu ou la coordination vous répondra.":           "Request sent: a member of the place or the coordination will answer you.",
	"Demande acceptée : la personne fait maintenant partie du tiers-lieu.":                  "Request accepted: the person now belongs to the place.",
	"Seuls les membres du tiers-lieu et la coordination examinent les demandes.":            "Only the place's members and the coordination review requests.",
	"Aucune demande de cette personne pour ce tiers-lieu.":                                  "No request from this person for this place.",
	"Votre message aux membres": "Your message to the members",
	"Dites votre rôle dans ce tiers-lieu : un membre ou la coordination acceptera votre demande (facultatif).": "Say what your role is in this place: a member or the coordination will accept your request (optional).",
	"Accepter %s":                        "Accept %s",
	"Refuser %s":                         "Refuse %s",
	"Demandes en attente":                "Pending requests",
	"Aucune demande en attente.":         "No pending request.",
	"Retirer ma demande":                 "Withdraw my request",
	"a demandé le":                       "asked on",
	"Demande refusée.":                   "Request refused.",
	"Cette demande a déjà été acceptée.": "This request has already been accepted.",
	"Cette demande a déjà été refusée.":  "This request has already been refused.",
	"Le message ne doit pas dépasser 1 000 caractères.":                 "The message must not exceed 1,000 characters.",
	"Votre demande a été refusée. Vous pouvez en envoyer une nouvelle.": "Your request was refused. You can send a new one.",

	// Verification.
	"tiers-lieu vérifié":     "verified place",
	"tiers-lieu non vérifié": "unverified place",
	"par %s le":              "by %s on",
	"Note de vérification":   "Verification note",
	"Vérifier ce tiers-lieu": "Verify this place",
	"Comment vous avez vérifié que ce tiers-lieu existe et que ce sont ses membres (facultatif).": "How you checked that this place exists and that these are its members (optional).",
	"Tiers-lieu pas encore vérifié par la coordination : ses promesses ne sont pas abondées.":     "Place not yet verified by the coordination: its pledges are not matched.",
	"Ce tiers-lieu est déjà vérifié.":                                      "This place is already verified.",
	"Tiers-lieu vérifié : ses promesses peuvent maintenant être abondées.": "Place verified: its pledges can now be matched.",
	"Seule la coordination vérifie les tiers-lieux.":                       "Only the coordination verifies places.",
	"Ce tiers-lieu n’est pas vérifié.":                                     "This place is not verified.",
	"La note ne doit pas dépasser 1 000 caractères.":                       "The note must not exceed 1,000 characters.",

	// Matching.
	"non abondée (tiers-lieu non vérifié)": "not matched (unverified place)",
	"non abondée":    "not matched",
	"Au nom de":      "On behalf of",
	"membre accepté": "accepted member",
	"le financeur n’en est pas membre accepté": "the funder is not an accepted member of it",
	"Aucun tiers-lieu au profil du financeur":  "No place in the funder's profile",
}

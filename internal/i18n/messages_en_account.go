package i18n

func init() { register(accountEnglish) }

// accountEnglish covers the account's own pages and e-mails: password reset, e-mail
// verification and change, /espace/compte (internal/server/account.go, internal/jobs/account.go).
var accountEnglish = map[string]string{
	// pages
	"Mot de passe oublié":    "Forgotten password",
	"Mot de passe oublié ?":  "Forgotten your password?",
	"Mon compte":             "My account",
	"Revenir à la connexion": "Back to login",
	"Recevoir le lien":       "Send me the link",
	"Indiquez l’adresse e-mail de votre compte : nous vous enverrons un lien pour choisir un nouveau mot de passe.":                                                            "Enter your account's e-mail address: we will send you a link to choose a new password.",
	"Si un compte existe avec l’adresse %s, un courriel vient de lui être envoyé avec un lien pour choisir un nouveau mot de passe.":                                           "If an account exists with the address %s, an e-mail has just been sent to it with a link to choose a new password.",
	"Le lien est valable une heure et ne sert qu’une fois. Rien reçu d’ici quelques minutes ? Regardez dans les courriels indésirables, ou vérifiez l’adresse et recommencez.": "The link is valid for one hour and works once. Nothing within a few minutes? Look in your spam folder, or check the address and try again.",
	"Trop de demandes depuis votre adresse. Réessayez plus tard.":                                                                                                              "Too many requests from your address. Try again later.",
	"Choisir un nouveau mot de passe": "Choose a new password",
	"Une fois le mot de passe changé, toutes les sessions ouvertes sur votre compte sont fermées : vous vous reconnecterez avec le nouveau.": "Once the password is changed, every open session of your account is closed: you will log in again with the new one.",
	"Nouveau mot de passe":     "New password",
	"Changer mon mot de passe": "Change my password",
	"Lien expiré":              "Link expired",
	"Recevoir un nouveau lien": "Send me a new link",
	"Aller à mon compte":       "Go to my account",
	"Ce lien n’est plus valable : il a déjà servi ou il a expiré.": "This link no longer works: it has been used already or it has expired.",
	"Adresse déjà utilisée": "Address already in use",
	"Cette adresse e-mail est déjà celle d’un autre compte : votre adresse n’a pas changé.":                           "This e-mail address already belongs to another account: your address has not changed.",
	"Votre mot de passe est changé et toutes vos sessions sont fermées. Connectez-vous avec le nouveau mot de passe.": "Your password is changed and all your sessions are closed. Log in with the new password.",
	"Votre nouvelle adresse e-mail est confirmée : c’est désormais celle de votre compte.":                            "Your new e-mail address is confirmed: it is now your account's.",
	"Votre adresse e-mail est confirmée. Merci !":                                                                     "Your e-mail address is confirmed. Thank you!",
	"Un nouveau lien de confirmation vient de vous être envoyé.":                                                      "A new confirmation link has just been sent to you.",
	"Bienvenue ! Votre compte est créé. Un lien pour confirmer votre adresse e-mail vient de vous être envoyé.":       "Welcome! Your account is created. A link to confirm your e-mail address has just been sent to you.",
	"Enregistrer le nom":    "Save the name",
	"Votre adresse : %s":    "Your address: %s",
	"confirmée":             "confirmed",
	"pas encore confirmée":  "not confirmed yet",
	"Adresse confirmée":     "Address confirmed",
	"Adresse non confirmée": "Address not confirmed",
	"Pour confirmer votre adresse, suivez le lien du courriel reçu à l’inscription.": "To confirm your address, follow the link in the e-mail you received at sign-up.",
	"Nouvelle adresse e-mail": "New e-mail address",
	"Nous enverrons un lien à la nouvelle adresse : elle remplacera l’actuelle quand vous l’aurez suivi, et l’ancienne en sera prévenue.": "We will send a link to the new address: it will replace the current one once you have followed it, and the old one will be told.",
	"Mot de passe actuel":     "Current password",
	"Changer d’adresse":       "Change address",
	"Changer de mot de passe": "Change password",
	"Au moins 10 caractères. Vos autres sessions seront fermées.":      "At least 10 characters. Your other sessions will be closed.",
	"Ce n’est pas votre mot de passe actuel.":                          "This is not your current password.",
	"C’est déjà l’adresse de votre compte.":                            "This is your account's address already.",
	"Trop de tentatives. Réessayez plus tard.":                         "Too many attempts. Try again later.",
	"Votre nom est enregistré.":                                        "Your name is saved.",
	"Votre mot de passe est changé. Vos autres sessions sont fermées.": "Your password is changed. Your other sessions are closed.",
	"Un lien de confirmation vient d’être envoyé à votre nouvelle adresse : elle remplacera l’actuelle quand vous l’aurez suivi.": "A confirmation link has just been sent to your new address: it will replace the current one once you have followed it.",

	// e-mails
	"Bonjour %s,": "Hello %s,",
	"Quelqu’un, sans doute vous, a demandé à changer le mot de passe de votre compte sur la Fabrique à communs.":                                 "Someone, probably you, asked to change the password of your account on the Fabrique à communs.",
	"Ce lien est valable une heure et ne sert qu’une fois. Si vous n’avez rien demandé, ignorez ce courriel : votre mot de passe reste le même.": "This link is valid for one hour and works once. If you asked for nothing, ignore this e-mail: your password stays the same.",
	"Confirmez votre adresse e-mail": "Confirm your e-mail address",
	"Bienvenue sur la Fabrique à communs des tiers-lieux. Pour confirmer que cette adresse est bien la vôtre, suivez ce lien :": "Welcome to the Fabrique à communs des tiers-lieux. To confirm that this address is yours, follow this link:",
	"Confirmer mon adresse": "Confirm my address",
	"Ce lien est valable 48 heures. Votre compte est utilisable dès maintenant ; si vous n’avez pas créé de compte, ignorez ce courriel.": "This link is valid for 48 hours. Your account can be used right away; if you did not create an account, ignore this e-mail.",
	"Confirmez votre nouvelle adresse e-mail": "Confirm your new e-mail address",
	"Vous avez demandé que votre compte sur la Fabrique à communs utilise désormais l’adresse %s. Elle ne changera qu’une fois ce lien suivi :": "You asked for your account on the Fabrique à communs to use the address %s from now on. It will change only once this link is followed:",
	"Confirmer ma nouvelle adresse": "Confirm my new address",
	"Ce lien est valable 48 heures. Si vous n’avez rien demandé, ignorez ce courriel : rien ne change.":                                                      "This link is valid for 48 hours. If you asked for nothing, ignore this e-mail: nothing changes.",
	"L’adresse e-mail de votre compte a changé":                                                                                                              "Your account's e-mail address has changed",
	"Votre compte sur la Fabrique à communs utilise désormais l’adresse %s ; cette adresse-ci ne recevra plus rien.":                                         "Your account on the Fabrique à communs now uses the address %s; this address will receive nothing more.",
	"Si vous n’êtes pas à l’origine de ce changement, écrivez à la coordination de la Fabrique et choisissez un nouveau mot de passe :":                      "If you did not make this change, write to the Fabrique's coordination and choose a new password:",
	"Une inscription avec votre adresse e-mail":                                                                                                              "A sign-up with your e-mail address",
	"Quelqu’un vient d’essayer de créer un compte sur la Fabrique à communs avec votre adresse e-mail. Vous avez déjà un compte : aucun autre n’a été créé.": "Someone just tried to create an account on the Fabrique à communs with your e-mail address. You already have an account: no other was created.",
	"Si c’était vous et que vous avez oublié votre mot de passe, vous pouvez en choisir un nouveau :":                                                        "If it was you and you forgot your password, you can choose a new one:",
	"Sinon, ignorez ce courriel : votre compte ne change pas.":                                                                                               "Otherwise, ignore this e-mail: your account does not change.",
}

func init() { register(accountsListEnglish) }

// accountsListEnglish covers /coordination/comptes.
var accountsListEnglish = map[string]string{
	"Comptes":                                "Accounts",
	"Nom ou adresse e-mail":                  "Name or e-mail address",
	"Aucun compte ne correspond.":            "No account matches.",
	"Comptes, du plus récent au plus ancien": "Accounts, newest first",
	"Inscription":                            "Signed up",
	"Adresse":                                "Address",
	"Coordinateur·rice":                      "Coordinator",
	"Rôle":                                   "Role",
}

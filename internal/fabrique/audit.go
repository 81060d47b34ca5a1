package fabrique

import "time"

// AuditEntry is one line of the audit trail: a privileged decision, who took it, and
// its detail as worded when it was taken.
type AuditEntry struct {
	ID         int64
	UserName   string
	Action     string
	TargetType string
	TargetID   int64
	Detail     string
	At         time.Time
}

// auditActionLabels say, as a sentence, what each action of the audit trail is.
var auditActionLabels = map[string]string{
	"seed_fund.set":              "Fonds d’amorçage fixé",
	"seed_request.approve":       "Budget d’amorçage accordé",
	"seed_request.refuse":        "Demande de budget d’amorçage refusée",
	"seed_request.self_decision": "Décision d’amorçage refusée : quatre yeux",
	"contribution.validate":      "Contribution validée",
	"contribution.refuse":        "Contribution refusée",
	"contribution.pay":           "Rétribution payée",
	"commons.create":             "Commun créé à partir d’un défi",
	"commons.attach":             "Défi rattaché à un commun",
	"commons.resume":             "Défi de retour en développement",
	"step.create":                "Étape de développement publiée",
	"call.create":                "Appel à cofinancement lancé",
	"call.add_step":              "Étape ajoutée à un appel",
	"call.close":                 "Appel à cofinancement clôturé",
	"call.payment":               "Instructions de paiement d’un appel modifiées",
	"place.verify":               "Tiers-lieu vérifié",
	"pledge.confirm":             "Promesse confirmée",
	"pledge.cancel":              "Promesse annulée par la coordination",
	"pledge.withdraw":            "Promesse retirée par son financeur",
	"event.create":               "Rendez-vous créé",
	"event.update":               "Rendez-vous modifié",
	"event.cancel":               "Rendez-vous annulé",
	"event.attendance":           "Présences d’un rendez-vous notées",
	"books.settings":             "Plan de comptes de l’export comptable modifié",
	"work_plan.save":             "Plan de travail de la coordination modifié",
	"operating_fund.set":         "Budget de fonctionnement fixé",
	"coordination_time.log":      "Temps de coordination saisi",
	"coordination_time.validate": "Temps de coordination validé",
	"coordination_time.refuse":   "Temps de coordination refusé",
	"coordination_time.pay":      "Temps de coordination payé",
	"billing_profile.save":       "Profil de facturation enregistré",
	"billing_settings.save":      "Réglages de facturation modifiés",
	"statement.create":           "Relevé à facturer émis",
	"invoice.file":               "Facture déposée",
	"invoice.approve":            "Facture bonne à payer",
	"invoice.reject":             "Facture renvoyée à corriger",
	"invoice.pay":                "Facture payée",
	"expense.claim":              "Frais déclarés",
	"expense.validate":           "Frais validés",
	"expense.refuse":             "Frais refusés",
	"expense.reimburse":          "Frais remboursés",
	"expense.receipt":            "Reçu de don émis",
}

// AuditActionLabel is the sentence (a catalog key) that names action in the audit
// trail, or "" for an action it does not know.
func AuditActionLabel(action string) string { return auditActionLabels[action] }

package fabrique_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/i18n"
)

// render formats a sentence in French the simple way: amounts as cents, to check which
// facts go where.
func render(s fabrique.Sentence) string { return fmt.Sprintf(s.Key, s.Args...) }

func TestNotificationSentences(t *testing.T) {
	t.Parallel()
	d := func(kv ...string) fabrique.NotificationData {
		m := fabrique.NotificationData{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	tests := []struct {
		kind          fabrique.NotificationKind
		data          fabrique.NotificationData
		subject, body string
	}{
		{fabrique.NotifyJoinRequest, d("challenge", "Four", "person", "Ana"),
			"Demande pour rejoindre « Four »", "Ana demande à rejoindre l’équipe de « Four »."},
		{fabrique.NotifyJoinDecided, d("challenge", "Four", "outcome", "accepted"),
			"Votre demande pour rejoindre « Four »", "est acceptée"},
		{fabrique.NotifyJoinDecided, d("challenge", "Four", "outcome", "refused"),
			"Votre demande pour rejoindre « Four »", "est refusée."},
		{fabrique.NotifyContributionDecided, d("challenge", "Four", "outcome", "refused", "reason", "Hors sujet"),
			"Votre contribution à « Four »", "est refusée. Motif : Hors sujet"},
		{fabrique.NotifyContributionDecided, d("challenge", "Four", "outcome", "accepted"),
			"Votre contribution à « Four »", "est validée."},
		{fabrique.NotifyContributionPaid, d("challenge", "Four", "amount", "12000", "reference", "VIR-7"),
			"Votre contribution à « Four » est payée", "%!s(fabrique.Cents=12000), référence VIR-7."},
		{fabrique.NotifyPledgeConfirmed, d("call", "Appel 2026", "amount", "500000"),
			"Votre promesse à l’appel « Appel 2026 » est confirmée", "à l’appel « Appel 2026 » est confirmée"},
		{fabrique.NotifySeedToDecide, d("challenge", "Four", "person", "Ana", "amount", "300000"),
			"Budget d’amorçage à décider pour « Four »", "Ana demande %!s(fabrique.Cents=300000) de budget"},
		{fabrique.NotifySeedDecided, d("challenge", "Four", "outcome", "accepted", "amount", "300000"),
			"Votre demande de budget d’amorçage pour « Four »", "est accordée : %!s(fabrique.Cents=300000)."},
		{fabrique.NotifySeedDecided, d("challenge", "Four", "outcome", "refused", "reason", "Budget épuisé"),
			"Votre demande de budget d’amorçage pour « Four »", "est refusée. Motif : Budget épuisé"},
		{fabrique.NotifyContributionToCheck, d("challenge", "Four", "person", "Ana"),
			"Une contribution à valider sur « Four »", "Ana a déclaré une contribution sur « Four »"},
		{fabrique.NotifyStatusChanged, d("challenge", "Four", "status", "developpement"),
			"« Four » passe à l’étape « En développement »", "La coordination a fait passer « Four » à l’étape « En développement »."},
		{fabrique.NotifyPledgeToConfirm, d("call", "Appel 2026", "amount", "500000"),
			"Une promesse à confirmer sur l’appel « Appel 2026 »", "Une promesse de %!s(fabrique.Cents=500000) sur l’appel « Appel 2026 »"},
		{fabrique.NotifyContributionToPay, d("challenge", "Four", "person", "Ana", "amount", "23000"),
			"Une contribution à payer sur « Four »", "La contribution de Ana sur « Four » est validée : %!s(fabrique.Cents=23000) à payer."},
		{fabrique.NotifyFramingComplete, d("challenge", "Four"),
			"« Four » est prêt pour la décision de développement", "Le cadrage de « Four » est complet"},
		{fabrique.NotifyCallClosed, d("call", "Appel 2026", "step", "Wiki", "amount", "500000", "matched", "250000", "outcome", "accepted"),
			"L’appel « Appel 2026 » est clos", "à l’étape « Wiki » est confirmée, et l’abondement apporte %!s(fabrique.Cents=250000) de plus"},
		{fabrique.NotifyCallClosed, d("call", "Appel 2026", "step", "Wiki", "amount", "500000", "matched", "0", "outcome", "accepted"),
			"L’appel « Appel 2026 » est clos", "à l’étape « Wiki » est confirmée. Merci !"},
		{fabrique.NotifyCallClosed, d("call", "Appel 2026", "step", "Wiki", "amount", "500000", "outcome", "refused"),
			"L’appel « Appel 2026 » est clos", "n’avait pas été confirmée : elle a expiré."},
		{fabrique.NotifyPledgeReminder, d("call", "Appel 2026", "amount", "500000", "date", "2026-12-31"),
			"L’appel « Appel 2026 » se clôt le 2026-12-31", "n’est pas encore confirmée"},
		{fabrique.NotifyWaitingReminder, d("count", "3"),
			"Des demandes attendent depuis plus de 7 jours", "3 demandes ou contributions attendent"},
	}
	for _, tt := range tests {
		subject, body := fabrique.NotificationSentences(tt.kind, tt.data)
		if got := render(subject); got != tt.subject {
			t.Errorf("%s %v: subject %q, want %q", tt.kind, tt.data, got, tt.subject)
		}
		if got := render(body); !strings.Contains(got, tt.body) {
			t.Errorf("%s %v: body %q, want it to contain %q", tt.kind, tt.data, got, tt.body)
		}
	}
}

// Every kind's label and sentences, whatever the outcome, have their English: the
// catalog's patterns do not see the sentences' keys.
func TestNotificationSentencesTranslated(t *testing.T) {
	t.Parallel()
	for _, k := range fabrique.NotificationKinds {
		if !i18n.Has(k.Label) || !i18n.Has(k.Audience) {
			t.Errorf("%s: no English for its label %q or audience %q", k.Kind, k.Label, k.Audience)
		}
		for _, outcome := range []string{fabrique.OutcomeAccepted, fabrique.OutcomeRefused, fabrique.OutcomeWaiting, fabrique.OutcomePaid} {
			subject, body := fabrique.NotificationSentences(k.Kind, fabrique.NotificationData{fabrique.DataOutcome: outcome, fabrique.DataMatched: "1"})
			for _, s := range []fabrique.Sentence{subject, body} {
				if !i18n.Has(s.Key) {
					t.Errorf("%s (%s): no English for %q", k.Kind, outcome, s.Key)
				}
			}
		}
	}
}

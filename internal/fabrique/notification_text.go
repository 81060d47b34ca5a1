package fabrique

import (
	"strconv"
	"time"

	"github.com/fabrique-a-communs/fabrique/internal/i18n"
)

// Cents is an amount among a sentence's arguments, formatted in the reader's language.
type Cents int64

// Label is a catalogue key among a sentence's arguments (a status's name), translated.
type Label string

// Instant is a moment among a sentence's arguments (RFC 3339), written as lang writes a
// day and a time of day in Paris: « 12 janvier 2027 à 14 h 30 », "12 January 2027 at 14:30".
type Instant string

// Day is a date among a sentence's arguments ("2006-01-02"), written as lang writes dates.
type Day string

// Sentence is a French message key (a format, as the i18n catalogue keys them) and its
// arguments: strings, or Cents.
type Sentence struct {
	Key  string
	Args []any
}

// In says s in lang, its amounts formatted as lang writes money.
func (s Sentence) In(lang i18n.Lang) string {
	args := make([]any, len(s.Args))
	for i, a := range s.Args {
		switch v := a.(type) {
		case Cents:
			a = i18n.Money(lang, int64(v))
		case Label:
			a = i18n.Translate(lang, string(v))
		case Instant:
			if t, err := time.Parse(time.RFC3339, string(v)); err == nil {
				a = i18n.Translate(lang, "%s à %s", i18n.Date(lang, t), i18n.Clock(lang, t))
			} else {
				a = string(v)
			}
		case Day:
			if t, err := time.Parse(time.DateOnly, string(v)); err == nil {
				a = i18n.Date(lang, t)
			} else {
				a = string(v)
			}
		}
		args[i] = a
	}
	return i18n.Translate(lang, s.Key, args...)
}

// The facts a notification's Data holds (all strings; amounts in cents).
const (
	DataChallenge = "challenge" // the défi's title
	DataPerson    = "person"    // who acted: the requester, the porteur·se…
	DataCall      = "call"      // the call's title
	DataAmount    = "amount"    // cents, decimal digits
	DataReference = "reference" // a payment's reference
	DataReason    = "reason"    // why it was refused
	DataOutcome   = "outcome"   // OutcomeAccepted or OutcomeRefused
	DataStatus    = "status"    // a défi's new status (its code)
	DataStep      = "step"      // a development step's title
	DataMatched   = "matched"   // cents of matching a step received
	DataDate      = "date"      // a day, YYYY-MM-DD
	DataCount     = "count"     // how many things wait
	DataEvent     = "event"     // a rendez-vous' title
	DataInvoice   = "invoice"   // an invoice's number
)

// The outcomes of a decision, in Data[DataOutcome].
const (
	OutcomeAccepted = "accepted"
	OutcomeRefused  = "refused"
	OutcomeWaiting  = "waiting" // on a rendez-vous' waiting list
	OutcomePaid     = "paid"    // an invoice paid
)

// NotificationSentences returns the subject of a notification's e-mail and the sentence
// that tells it, built from its Data (a missing fact reads as an empty string).
func NotificationSentences(kind NotificationKind, d NotificationData) (subject, body Sentence) {
	s := func(key string, args ...any) Sentence { return Sentence{Key: key, Args: args} }
	ch, who, refused := d[DataChallenge], d[DataPerson], d[DataOutcome] == OutcomeRefused
	amount, _ := strconv.ParseInt(d[DataAmount], 10, 64)
	switch kind {
	case NotifyJoinRequest:
		return s("Demande pour rejoindre « %s »", ch),
			s("%s demande à rejoindre l’équipe de « %s ». Acceptez ou refusez sa demande sur la page du défi.", who, ch)
	case NotifyJoinDecided:
		if refused {
			return s("Votre demande pour rejoindre « %s »", ch),
				s("Votre demande pour rejoindre l’équipe de « %s » est refusée.", ch)
		}
		return s("Votre demande pour rejoindre « %s »", ch),
			s("Votre demande pour rejoindre l’équipe de « %s » est acceptée : bienvenue dans l’équipe !", ch)
	case NotifyContributionDecided:
		if refused {
			return s("Votre contribution à « %s »", ch),
				s("Votre contribution à « %s » est refusée. Motif : %s", ch, d[DataReason])
		}
		return s("Votre contribution à « %s »", ch),
			s("Votre contribution à « %s » est validée.", ch)
	case NotifyContributionPaid:
		return s("Votre contribution à « %s » est payée", ch),
			s("Votre contribution à « %s » est payée : %s, référence %s.", ch, Cents(amount), d[DataReference])
	case NotifyInvoiceDecided:
		inv := d[DataInvoice]
		switch d[DataOutcome] {
		case OutcomeRefused:
			return s("Votre facture n° %s est à corriger", inv),
				s("Votre facture n° %s est à corriger : %s Déposez la facture corrigée depuis son relevé.", inv, d[DataReason])
		case OutcomePaid:
			return s("Votre facture n° %s est payée", inv),
				s("Votre facture n° %s est payée : %s, référence %s.", inv, Cents(amount), d[DataReference])
		}
		return s("Votre facture n° %s est bonne à payer", inv),
			s("Votre facture n° %s est vérifiée et bonne à payer : la coordination fait le virement.", inv)
	case NotifyInvoiceToCheck:
		return s("Une facture à vérifier : n° %s", d[DataInvoice]),
			s("%s a déposé la facture n° %s (%s TTC) : vérifiez-la, puis marquez-la bonne à payer ou renvoyez-la à corriger.", who, d[DataInvoice], Cents(amount))
	case NotifyPledgeConfirmed:
		return s("Votre promesse à l’appel « %s » est confirmée", d[DataCall]),
			s("Votre promesse de %s à l’appel « %s » est confirmée. Merci !", Cents(amount), d[DataCall])
	case NotifyCallClosed:
		matched, _ := strconv.ParseInt(d[DataMatched], 10, 64)
		subject := s("L’appel « %s » est clos", d[DataCall])
		switch {
		case refused:
			return subject, s("L’appel « %s » est clos. Votre promesse de %s à l’étape « %s » n’avait pas été confirmée : elle a expiré. Si vos fonds sont partis, écrivez à la coordination.", d[DataCall], Cents(amount), d[DataStep])
		case matched > 0:
			return subject, s("L’appel « %s » est clos. Votre promesse de %s à l’étape « %s » est confirmée, et l’abondement apporte %s de plus à cette étape. Merci !", d[DataCall], Cents(amount), d[DataStep], Cents(matched))
		default:
			return subject, s("L’appel « %s » est clos. Votre promesse de %s à l’étape « %s » est confirmée. Merci !", d[DataCall], Cents(amount), d[DataStep])
		}
	case NotifyPledgeReminder:
		return s("L’appel « %s » se clôt le %s", d[DataCall], Day(d[DataDate])),
			s("Votre promesse de %s à l’appel « %s » n’est pas encore confirmée, et l’appel se clôt le %s : versez les fonds avec la référence de votre promesse, ou retirez-la.", Cents(amount), d[DataCall], Day(d[DataDate]))
	case NotifyWaitingReminder:
		if n, _ := strconv.Atoi(d[DataCount]); n > 1 {
			return s("Des demandes attendent depuis plus de 7 jours"),
				s("%d demandes ou contributions attendent votre décision depuis plus de 7 jours.", n)
		}
		return s("Une demande attend depuis plus de 7 jours"),
			s("Une demande ou une contribution attend votre décision depuis plus de 7 jours.")
	case NotifyEventRegistered:
		at := Instant(d[DataDate])
		if d[DataOutcome] == OutcomeWaiting {
			return s("En liste d’attente pour « %s »", d[DataEvent]),
				s("Le rendez-vous « %s » du %s est complet : vous êtes en liste d’attente, en position %s. Nous vous prévenons si une place se libère.", d[DataEvent], at, d[DataCount])
		}
		return s("Inscription confirmée : « %s »", d[DataEvent]),
			s("Vous êtes inscrit·e au rendez-vous « %s » du %s.", d[DataEvent], at)
	case NotifyEventPromoted:
		return s("Une place s’est libérée : « %s »", d[DataEvent]),
			s("Une place s’est libérée au rendez-vous « %s » du %s : vous êtes inscrit·e. Si vous ne pouvez plus venir, désinscrivez-vous pour la laisser à quelqu’un d’autre.", d[DataEvent], Instant(d[DataDate]))
	case NotifyEventChanged:
		return s("« %s » change de date", d[DataEvent]),
			s("Le rendez-vous « %s » a lieu désormais le %s.", d[DataEvent], Instant(d[DataDate]))
	case NotifyEventCancelled:
		return s("« %s » est annulé", d[DataEvent]),
			s("Le rendez-vous « %s » du %s est annulé. Motif : %s", d[DataEvent], Instant(d[DataDate]), d[DataReason])
	case NotifyEventReminder:
		return s("Demain : « %s »", d[DataEvent]),
			s("Rappel : le rendez-vous « %s » a lieu le %s.", d[DataEvent], Instant(d[DataDate]))
	case NotifyContributionToCheck:
		return s("Une contribution à valider sur « %s »", ch),
			s("%s a déclaré une contribution sur « %s » : validez-la ou refusez-la.", who, ch)
	case NotifyStatusChanged:
		to := Label(Status(d[DataStatus]).Label())
		return s("« %s » passe à l’étape « %s »", ch, to),
			s("La coordination a fait passer « %s » à l’étape « %s ».", ch, to)
	case NotifyPledgeToConfirm:
		return s("Une promesse à confirmer sur l’appel « %s »", d[DataCall]),
			s("Une promesse de %s sur l’appel « %s » attend la confirmation de sa réception.", Cents(amount), d[DataCall])
	case NotifyContributionToPay:
		return s("Une contribution à payer sur « %s »", ch),
			s("La contribution de %s sur « %s » est validée : %s à payer.", who, ch, Cents(amount))
	case NotifyFramingComplete:
		return s("« %s » est prêt pour la décision de développement", ch),
			s("Le cadrage de « %s » est complet : le défi attend la décision de développement.", ch)
	case NotifySeedToDecide:
		return s("Budget d’amorçage à décider pour « %s »", ch),
			s("%s demande %s de budget d’amorçage pour « %s ».", who, Cents(amount), ch)
	case NotifySeedDecided:
		if refused {
			return s("Votre demande de budget d’amorçage pour « %s »", ch),
				s("Votre demande de budget d’amorçage pour « %s » est refusée. Motif : %s", ch, d[DataReason])
		}
		return s("Votre demande de budget d’amorçage pour « %s »", ch),
			s("Votre demande de budget d’amorçage pour « %s » est accordée : %s.", ch, Cents(amount))
	}
	info, _ := KindInfo(kind)
	return s(info.Label), s(info.Label)
}

// DigestSubject is the subject of the daily digest.
const DigestSubject = "Votre résumé quotidien sur la Fabrique"

// DigestIntro opens the daily digest.
const DigestIntro = "Voici ce qui vous concerne depuis votre dernier résumé."

// EmailFooter closes every notification e-mail: where to change what one receives.
const EmailFooter = "Vous recevez ce courriel selon vos préférences de notification."

// The labels of an e-mail's links: the page it tells of, the preferences, the
// one-click unsubscribe.
const (
	EmailLinkLabel        = "Voir sur la Fabrique"
	EmailPreferencesLabel = "Changer vos préférences"
	EmailUnsubscribeLabel = "Vous désabonner"
)

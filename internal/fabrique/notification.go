package fabrique

import "time"

// Delivery is how a person wants to be told of one kind of notification (DESIGN §3b).
type Delivery string

const (
	DeliverNow    Delivery = "immediat" // an e-mail at once
	DeliverDigest Delivery = "resume"   // in the daily digest
	DeliverSite   Delivery = "site"     // on the site only
)

// Deliveries are the choices of the preferences form, in its order.
var Deliveries = []Delivery{DeliverNow, DeliverDigest, DeliverSite}

// Valid reports whether d is one of Deliveries.
func (d Delivery) Valid() bool {
	for _, v := range Deliveries {
		if d == v {
			return true
		}
	}
	return false
}

// Label is the French name of a delivery, in the preferences form.
func (d Delivery) Label() string {
	switch d {
	case DeliverNow:
		return "Par courriel, tout de suite"
	case DeliverDigest:
		return "Dans le résumé quotidien"
	case DeliverSite:
		return "Sur le site seulement"
	}
	return string(d)
}

// NotificationKind names what a notification tells; it is stored (notifications.kind,
// notification_preferences.kind, emails.kind) and is a field name of the preferences form.
type NotificationKind string

// The kinds of DESIGN §3b and issue 13, by who is told.
const (
	// porteur·se
	NotifyJoinRequest         NotificationKind = "join_request"          // someone asks to join their défi
	NotifyContributionToCheck NotificationKind = "contribution_to_check" // a contribution to validate
	NotifySeedDecided         NotificationKind = "seed_decided"          // the decision on their seed request
	NotifyStatusChanged       NotificationKind = "status_changed"        // their défi moved by a coordinator
	// contributor
	NotifyJoinDecided         NotificationKind = "join_decided"         // their join request accepted or refused
	NotifyContributionDecided NotificationKind = "contribution_decided" // validated or refused (with the reason)
	NotifyContributionPaid    NotificationKind = "contribution_paid"    // paid (with the reference)
	NotifyInvoiceDecided      NotificationKind = "invoice_decided"      // their invoice bon à payer, à corriger (with the reason) or paid
	// coordinators
	NotifySeedToDecide      NotificationKind = "seed_to_decide"      // a seed request to decide
	NotifyContributionToPay NotificationKind = "contribution_to_pay" // validated, waiting for payment
	NotifyInvoiceToCheck    NotificationKind = "invoice_to_check"    // an invoice filed, to check
	NotifyPledgeToConfirm   NotificationKind = "pledge_to_confirm"   // a pledge to confirm
	NotifyFramingComplete   NotificationKind = "framing_complete"    // a framing waiting for the développement decision
	// funder
	NotifyPledgeConfirmed NotificationKind = "pledge_confirmed" // their pledge confirmed
	NotifyCallClosed      NotificationKind = "call_closed"      // the call closed, what the pledge brought
	NotifyPledgeReminder  NotificationKind = "pledge_reminder"  // 7 days before the call closes, promise unconfirmed
	// reminders (porteur·se, coordinators)
	NotifyWaitingReminder NotificationKind = "waiting_reminder" // requests and contributions waiting > 7 days
	// participants of a rendez-vous
	NotifyEventRegistered NotificationKind = "event_registered" // registered, or on the waiting list
	NotifyEventPromoted   NotificationKind = "event_promoted"   // a seat came free: from the waiting list to registered
	NotifyEventChanged    NotificationKind = "event_changed"    // its dates changed
	NotifyEventCancelled  NotificationKind = "event_cancelled"  // cancelled, with the reason
	NotifyEventReminder   NotificationKind = "event_reminder"   // the day before
)

// NotificationKindInfo is what the preferences form and the sending need of a kind.
type NotificationKindInfo struct {
	Kind     NotificationKind
	Label    string   // French, in the preferences form
	Audience string   // French: who receives it, to group the form
	Default  Delivery // for a person who has not chosen
}

// NotificationKinds lists every kind, in the preferences form's order. Things waiting for
// the person's action default to an e-mail at once; news default to the digest.
var NotificationKinds = []NotificationKindInfo{
	{NotifyJoinRequest, "Une demande pour rejoindre votre défi", "Porteur·se d’un défi", DeliverNow},
	{NotifyContributionToCheck, "Une contribution à valider", "Porteur·se d’un défi", DeliverNow},
	{NotifySeedDecided, "La décision sur votre demande de budget d’amorçage", "Porteur·se d’un défi", DeliverNow},
	{NotifyStatusChanged, "Votre défi change d’étape", "Porteur·se d’un défi", DeliverDigest},
	{NotifyJoinDecided, "La réponse à votre demande de rejoindre une équipe", "Contributeur·rice", DeliverNow},
	{NotifyContributionDecided, "Votre contribution validée ou refusée", "Contributeur·rice", DeliverNow},
	{NotifyContributionPaid, "Votre contribution payée", "Contributeur·rice", DeliverNow},
	{NotifyInvoiceDecided, "Votre facture vérifiée, à corriger ou payée", "Contributeur·rice", DeliverNow},
	{NotifySeedToDecide, "Une demande de budget d’amorçage à décider", "Coordination", DeliverNow},
	{NotifyContributionToPay, "Des contributions validées à payer", "Coordination", DeliverDigest},
	{NotifyInvoiceToCheck, "Une facture déposée à vérifier", "Coordination", DeliverDigest},
	{NotifyPledgeToConfirm, "Une promesse de cofinancement à confirmer", "Coordination", DeliverDigest},
	{NotifyFramingComplete, "Un cadrage complet qui attend la décision de développement", "Coordination", DeliverDigest},
	{NotifyPledgeConfirmed, "Votre promesse confirmée", "Financeur", DeliverNow},
	{NotifyCallClosed, "L’appel clos et ce que votre promesse a apporté", "Financeur", DeliverNow},
	{NotifyPledgeReminder, "Un rappel avant la clôture d’un appel", "Financeur", DeliverNow},
	{NotifyWaitingReminder, "Un rappel de ce qui attend depuis plus de 7 jours", "Porteur·se et coordination", DeliverDigest},
	{NotifyEventRegistered, "Votre inscription à un rendez-vous", "Participant·e à un rendez-vous", DeliverNow},
	{NotifyEventPromoted, "Une place libérée pour vous à un rendez-vous", "Participant·e à un rendez-vous", DeliverNow},
	{NotifyEventChanged, "Un rendez-vous change de date", "Participant·e à un rendez-vous", DeliverNow},
	{NotifyEventCancelled, "Un rendez-vous annulé", "Participant·e à un rendez-vous", DeliverNow},
	{NotifyEventReminder, "Le rappel la veille d’un rendez-vous", "Participant·e à un rendez-vous", DeliverNow},
}

// KindInfo returns the description of kind, and false for an unknown kind.
func KindInfo(kind NotificationKind) (NotificationKindInfo, bool) {
	for _, k := range NotificationKinds {
		if k.Kind == kind {
			return k, true
		}
	}
	return NotificationKindInfo{}, false
}

// NotificationData are the facts a notification's sentence is built from, stored as
// JSON: names and amounts as they were when it was written.
type NotificationData map[string]string

// Notification is one thing told to one person.
type Notification struct {
	ID        int64
	UserID    int64
	Kind      NotificationKind
	Data      NotificationData
	URL       string // a path of the site, "" when it leads nowhere
	Delivery  Delivery
	CreatedAt time.Time
	ReadAt    *time.Time
	EmailID   *int64 // the e-mail that carried it
}

// NewNotification is a notification to write, with the change that causes it, for each
// of UserIDs (the store reads their preferences to set each row's delivery).
type NewNotification struct {
	Kind    NotificationKind
	UserIDs []int64
	Data    NotificationData
	URL     string
}

// EmailState is what became of an e-mail of the outbox.
type EmailState string

const (
	EmailQueued EmailState = "queued"
	EmailSent   EmailState = "sent"
	EmailFailed EmailState = "failed" // the last attempt failed; LastError says how
	EmailKept   EmailState = "kept"   // no SMTP_URL: kept for /coordination/courriels
)

// Account e-mails' kinds (emails.kind): they ignore preferences and carry no unsubscribe.
const (
	EmailKindReset        = "account_reset"         // password reset link
	EmailKindVerify       = "account_verify"        // e-mail verification at sign-up
	EmailKindEmailChange  = "account_email_change"  // confirm a new address, sent to it
	EmailKindEmailChanged = "account_email_changed" // the old address told of the change
	EmailKindSignupTaken  = "account_signup_taken"  // someone tried to sign up with this address
	EmailKindDigest       = "resume"                // the daily digest
)

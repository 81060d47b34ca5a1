package fabrique

import (
	"fmt"
	"strconv"
	"time"
)

// The notifications the store writes with each change (DESIGN §3b): who is told, the
// facts of the sentence (NotificationSentences), and the page it leads to.

func cents(c int64) string { return strconv.FormatInt(c, 10) }

func outcome(accepted bool) string {
	if accepted {
		return OutcomeAccepted
	}
	return OutcomeRefused
}

// JoinRequestNotification tells the porteur·se that requester asks to join their défi.
func JoinRequestNotification(leadID int64, slug, title, requester string) NewNotification {
	return NewNotification{Kind: NotifyJoinRequest, UserIDs: []int64{leadID},
		Data: NotificationData{DataChallenge: title, DataPerson: requester},
		URL:  "/defis/" + slug + "#equipe"}
}

// JoinDecidedNotification tells the requester their request was accepted or refused.
func JoinDecidedNotification(userID int64, slug, title string, accepted bool) NewNotification {
	return NewNotification{Kind: NotifyJoinDecided, UserIDs: []int64{userID},
		Data: NotificationData{DataChallenge: title, DataOutcome: outcome(accepted)},
		URL:  "/defis/" + slug + "#equipe"}
}

// ContributionDecidedNotification tells the author their contribution was validated or
// refused (with the reason).
func ContributionDecidedNotification(rec *ContributionRecord, validated bool) NewNotification {
	d := NotificationData{DataChallenge: rec.ChallengeTitle, DataOutcome: outcome(validated)}
	if !validated {
		d[DataReason] = rec.Reason
	}
	return NewNotification{Kind: NotifyContributionDecided, UserIDs: []int64{rec.UserID}, Data: d, URL: "/espace/contributions"}
}

// ContributionPaidNotification tells the author their contribution was paid.
func ContributionPaidNotification(rec *ContributionRecord) NewNotification {
	return NewNotification{Kind: NotifyContributionPaid, UserIDs: []int64{rec.UserID},
		Data: NotificationData{DataChallenge: rec.ChallengeTitle, DataAmount: cents(rec.Amount), DataReference: rec.Reference},
		URL:  "/espace/contributions"}
}

// PledgeConfirmedNotification tells the funder their pledge's funds were received.
func PledgeConfirmedNotification(rec *PledgeRecord) NewNotification {
	call := rec.CallTitle
	if call == "" {
		call = rec.CommonsName
	}
	return NewNotification{Kind: NotifyPledgeConfirmed, UserIDs: []int64{rec.UserID},
		Data: NotificationData{DataCall: call, DataAmount: cents(rec.Amount)},
		URL:  fmt.Sprintf("/promesses/%d", rec.ID)}
}

// SeedToDecideNotification tells coordinators (the requester aside: four eyes) that a
// seed request waits for their decision.
func SeedToDecideNotification(coordinators []int64, requesterID int64, slug, title, requester string, amount int64) NewNotification {
	to := make([]int64, 0, len(coordinators))
	for _, id := range coordinators {
		if id != requesterID {
			to = append(to, id)
		}
	}
	return NewNotification{Kind: NotifySeedToDecide, UserIDs: to,
		Data: NotificationData{DataChallenge: title, DataPerson: requester, DataAmount: cents(amount)},
		URL:  "/defis/" + slug + "/amorcage"}
}

// SeedDecidedNotification tells the porteur·se the decision on their seed request: the
// amount granted, or the refusal's note.
func SeedDecidedNotification(leadID int64, slug, title string, r *SeedRequest) NewNotification {
	approved := r.State == SeedApproved
	d := NotificationData{DataChallenge: title, DataOutcome: outcome(approved)}
	if approved {
		d[DataAmount] = cents(r.ApprovedAmount)
	} else {
		d[DataReason] = r.Note
	}
	return NewNotification{Kind: NotifySeedDecided, UserIDs: []int64{leadID}, Data: d, URL: "/defis/" + slug + "/amorcage"}
}

// ContributionToCheckNotification tells the porteur·se that author declared rec, to
// validate or refuse; nobody is told of their own contribution.
func ContributionToCheckNotification(rec *ContributionRecord, author string) NewNotification {
	n := NewNotification{Kind: NotifyContributionToCheck,
		Data: NotificationData{DataChallenge: rec.ChallengeTitle, DataPerson: author},
		URL:  "/defis/" + rec.ChallengeSlug + "#contributions"}
	if rec.LeadID != rec.UserID {
		n.UserIDs = []int64{rec.LeadID}
	}
	return n
}

// StatusChangedNotification tells the porteur·se that someone else — a coordinator —
// moved their défi to status.
func StatusChangedNotification(leadID, actorID int64, slug, title string, to Status) NewNotification {
	n := NewNotification{Kind: NotifyStatusChanged,
		Data: NotificationData{DataChallenge: title, DataStatus: string(to)},
		URL:  "/defis/" + slug + "#parcours"}
	if leadID != actorID {
		n.UserIDs = []int64{leadID}
	}
	return n
}

// others is ids without the one who acted: nobody is told of their own change.
func others(ids []int64, actorID int64) []int64 {
	to := make([]int64, 0, len(ids))
	for _, id := range ids {
		if id != actorID {
			to = append(to, id)
		}
	}
	return to
}

// PledgeToConfirmNotification tells coordinators that a pledge waits for its money to be
// confirmed (the funder's name stays out when they pledged anonymously).
func PledgeToConfirmNotification(coordinators []int64, rec *PledgeRecord) NewNotification {
	call := rec.CallTitle
	if call == "" {
		call = rec.CommonsName
	}
	return NewNotification{Kind: NotifyPledgeToConfirm, UserIDs: others(coordinators, rec.UserID),
		Data: NotificationData{DataCall: call, DataAmount: cents(rec.Amount)},
		URL:  fmt.Sprintf("/promesses/%d", rec.ID)}
}

// ContributionToPayNotification tells coordinators (the validator aside) that a validated
// contribution waits for its payment.
func ContributionToPayNotification(coordinators []int64, actorID int64, rec *ContributionRecord) NewNotification {
	return NewNotification{Kind: NotifyContributionToPay, UserIDs: others(coordinators, actorID),
		Data: NotificationData{DataChallenge: rec.ChallengeTitle, DataPerson: rec.UserName, DataAmount: cents(rec.Amount)},
		URL:  "/coordination/paiements"}
}

// FramingCompleteNotification tells coordinators (the editor aside) that a défi's framing
// is now complete and waits for the développement decision.
func FramingCompleteNotification(coordinators []int64, actorID int64, slug, title string) NewNotification {
	return NewNotification{Kind: NotifyFramingComplete, UserIDs: others(coordinators, actorID),
		Data: NotificationData{DataChallenge: title},
		URL:  "/defis/" + slug + "#parcours"}
}

// CallClosedNotification tells a funder what their pledge on the call titled call became
// at its closing: confirmed (with the matching its step received, matched cents) or expired.
func CallClosedNotification(userID, pledgeID int64, call, step string, amount, matched int64, confirmed bool) NewNotification {
	return NewNotification{Kind: NotifyCallClosed, UserIDs: []int64{userID},
		Data: NotificationData{DataCall: call, DataStep: step, DataAmount: cents(amount), DataMatched: cents(matched),
			DataOutcome: outcome(confirmed)},
		URL: fmt.Sprintf("/promesses/%d", pledgeID)}
}

// PledgeReminderNotification reminds a funder that their promise on the call titled call
// is not confirmed and the call closes on closes (YYYY-MM-DD).
func PledgeReminderNotification(userID, pledgeID int64, call string, amount int64, closes string) NewNotification {
	return NewNotification{Kind: NotifyPledgeReminder, UserIDs: []int64{userID},
		Data: NotificationData{DataCall: call, DataAmount: cents(amount), DataDate: closes},
		URL:  fmt.Sprintf("/promesses/%d", pledgeID)}
}

// WaitingReminderNotification reminds userID that n requests or contributions wait for
// their decision for more than 7 days; url is where they wait.
func WaitingReminderNotification(userID int64, n int, url string) NewNotification {
	return NewNotification{Kind: NotifyWaitingReminder, UserIDs: []int64{userID},
		Data: NotificationData{DataCount: strconv.Itoa(n)}, URL: url}
}

// eventData are the facts of a rendez-vous' notifications.
func eventData(e *Event) NotificationData {
	return NotificationData{DataEvent: e.Title, DataDate: e.StartsAt.UTC().Format(time.RFC3339)}
}

// EventRegisteredNotification tells userID they are registered for e, or waiting at rank.
func EventRegisteredNotification(userID int64, e *Event, waiting bool, rank int) NewNotification {
	d := eventData(e)
	if waiting {
		d[DataOutcome], d[DataCount] = OutcomeWaiting, strconv.Itoa(rank)
	}
	return NewNotification{Kind: NotifyEventRegistered, UserIDs: []int64{userID}, Data: d, URL: "/rendez-vous/" + e.Slug}
}

// EventPromotedNotification tells the people of users a seat of e came free for them.
func EventPromotedNotification(users []int64, e *Event) NewNotification {
	return NewNotification{Kind: NotifyEventPromoted, UserIDs: users, Data: eventData(e), URL: "/rendez-vous/" + e.Slug}
}

// EventChangedNotification tells the people of users that e moved (e as it now is).
func EventChangedNotification(users []int64, e *Event) NewNotification {
	return NewNotification{Kind: NotifyEventChanged, UserIDs: users, Data: eventData(e), URL: "/rendez-vous/" + e.Slug}
}

// EventCancelledNotification tells the people of users that e is cancelled, and why.
func EventCancelledNotification(users []int64, e *Event, reason string) NewNotification {
	d := eventData(e)
	d[DataReason] = reason
	return NewNotification{Kind: NotifyEventCancelled, UserIDs: users, Data: d, URL: "/rendez-vous/" + e.Slug}
}

// EventReminderNotification reminds userID of e, the day before.
func EventReminderNotification(userID int64, e *Event) NewNotification {
	return NewNotification{Kind: NotifyEventReminder, UserIDs: []int64{userID}, Data: eventData(e), URL: "/rendez-vous/" + e.Slug}
}

// InvoiceDecidedNotification tells an invoice's author it is bon à payer, to be corrected
// (with the reason) or paid.
func InvoiceDecidedNotification(inv *Invoice, outcome string) NewNotification {
	d := NotificationData{DataInvoice: inv.Number, DataOutcome: outcome, DataAmount: cents(inv.TTC), DataReference: inv.Reference}
	if outcome == OutcomeRefused {
		d[DataReason] = inv.Reason
	}
	return NewNotification{Kind: NotifyInvoiceDecided, UserIDs: []int64{inv.UserID}, Data: d,
		URL: fmt.Sprintf("/factures/%d", inv.ID)}
}

// InvoiceToCheckNotification tells the coordinators an invoice was filed.
func InvoiceToCheckNotification(coordinators []int64, inv *Invoice) NewNotification {
	return NewNotification{Kind: NotifyInvoiceToCheck, UserIDs: coordinators,
		Data: NotificationData{DataInvoice: inv.Number, DataPerson: inv.UserName, DataAmount: cents(inv.TTC)},
		URL:  fmt.Sprintf("/factures/%d", inv.ID)}
}

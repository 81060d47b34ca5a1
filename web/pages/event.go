package pages

import (
	"context"
	"time"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/i18n"
)

var weekdaysFR = [...]string{"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"}

// clock writes a time of day in Paris in the page's language.
func clock(ctx context.Context, t time.Time) string { return i18n.Clock(i18n.LangFrom(ctx), t) }

// day writes a date with its weekday: « mardi 12 janvier 2027 », "Tuesday 12 January 2027".
func day(ctx context.Context, t time.Time) string {
	t = t.In(i18n.Paris)
	lang := i18n.LangFrom(ctx)
	if lang == i18n.English {
		return t.Weekday().String() + " " + i18n.Date(lang, t)
	}
	return weekdaysFR[t.Weekday()] + " " + i18n.Date(lang, t)
}

// EventWhen says when a rendez-vous is, in Paris time: one day « mardi 12 janvier 2027,
// de 14 h à 15 h 30 »; several « du lundi 8 mars 2027 à 9 h au vendredi 12 mars 2027 à 17 h ».
func EventWhen(ctx context.Context, e *fabrique.Event) string {
	s, f := e.StartsAt.In(i18n.Paris), e.EndsAt.In(i18n.Paris)
	if s.Year() == f.Year() && s.YearDay() == f.YearDay() {
		return i18n.T(ctx, "%s, de %s à %s", day(ctx, s), clock(ctx, s), clock(ctx, f))
	}
	return i18n.T(ctx, "du %s à %s au %s à %s", day(ctx, s), clock(ctx, s), day(ctx, f), clock(ctx, f))
}

// eventSeats says how many seats are left, or that there is no limit.
func eventSeats(ctx context.Context, e *fabrique.Event) string {
	switch {
	case e.Capacity == nil:
		return i18n.Plural(ctx, e.Registered, "%d inscrit·e, places illimitées", "%d inscrit·es, places illimitées")
	case e.Full():
		return i18n.Plural(ctx, e.Waiting, "Complet : %d personne en liste d’attente", "Complet : %d personnes en liste d’attente")
	case e.SeatsLeft() == 1 || (e.SeatsLeft() == 0 && i18n.LangFrom(ctx) == i18n.French):
		return i18n.T(ctx, "%d place libre sur %d", e.SeatsLeft(), *e.Capacity)
	default:
		return i18n.T(ctx, "%d places libres sur %d", e.SeatsLeft(), *e.Capacity)
	}
}

func eventHref(slug string) string { return "/rendez-vous/" + slug }

// eventKindChoices are the kinds for a select, with an optional prompt.
func eventKindChoices(ctx context.Context, prompt string) []resourceChoice {
	var out []resourceChoice
	if prompt != "" {
		out = append(out, resourceChoice{"", prompt})
	}
	for _, k := range fabrique.EventKinds {
		out = append(out, resourceChoice{k, i18n.T(ctx, fabrique.EventKindLabel(k))})
	}
	return out
}

// commonsChoices lists communs for a select, after a prompt (value "").
func commonsChoices(list []fabrique.CommonsChoice, prompt string) []resourceChoice {
	out := []resourceChoice{{"", prompt}}
	for _, c := range list {
		out = append(out, resourceChoice{c.Slug, c.Name})
	}
	return out
}

// placeChoices lists tiers-lieux for a select, after a prompt (value "").
func placeChoices(list []fabrique.PlaceChoice, prompt string) []resourceChoice {
	out := []resourceChoice{{"", prompt}}
	for _, p := range list {
		out = append(out, resourceChoice{p.Slug, p.Name + " (" + p.City + ")"})
	}
	return out
}

// activityChoices are the activities of a contribution, for a select.
func activityChoices(ctx context.Context) []resourceChoice {
	out := make([]resourceChoice, len(fabrique.Activities))
	for i, a := range fabrique.Activities {
		out[i] = resourceChoice{a.Value, i18n.T(ctx, a.Label)}
	}
	return out
}

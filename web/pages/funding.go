package pages

import (
	"context"
	"io"
	"strconv"

	"github.com/a-h/templ"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/i18n"
)

// The names of a step's figures, the same on every page that shows them (catalogue keys:
// the English is one translation each, in messages_en_funding.go). FundingLabels lists
// them in the order of the funding bar and its legend.
const (
	LabelGoal             = "Objectif"
	LabelConfirmed        = "Fonds reçus"
	LabelMatchedSecured   = "Abondement garanti"
	LabelPromised         = "Promis, en attente"
	LabelMatchedPromises  = "Abondement prévu"
	LabelSpent            = "Dépensé"
	LabelRemaining        = "Reste à financer"
	LabelFundingPercent   = "Financement assuré à %d %%, à %d %% avec les promesses"
	LabelFundingOverGoal  = "L’objectif est dépassé : la barre s’arrête à 100 %."
	LabelFundingOverSoon  = "Avec les promesses, l’objectif serait dépassé : la barre s’arrête à 100 %."
	fundingSentenceGoal   = "sur un objectif de %s"
	fundingSentenceMore   = "%s d’abondement garanti"
	fundingSentencePledge = "%s promis"
	fundingSentenceLater  = "%s d’abondement prévu"
)

// FundingLabels are the labels of the funding bar's segments, in its order.
var FundingLabels = []string{LabelConfirmed, LabelMatchedSecured, LabelPromised, LabelMatchedPromises}

// fundingSegment is one segment of a funding bar: a kind of money, its amount and where
// it lies on the bar.
type fundingSegment struct {
	Kind   string // the class and test id suffix: confirme, abonde, promis, abonde-prevu
	Label  string // a catalogue key
	TestID string // of its amount in the legend, after the page's prefix: "-confirmed"…
	Cents  int64
	X, W   string // start and width, in percent of the goal, within the bar
}

// fundingSegments lays out f's four amounts one after the other against the goal, in the
// order received, matching secured, promised, matching the promises would add: what is
// sure first. Past the goal, the segments stop at the bar's end (100 %).
func fundingSegments(f fabrique.StepFigures) []fundingSegment {
	segs := []fundingSegment{
		{Kind: "confirme", Label: LabelConfirmed, TestID: "-confirmed", Cents: f.Confirmed},
		{Kind: "abonde", Label: LabelMatchedSecured, TestID: "-matched-secured", Cents: f.MatchedSecured},
		{Kind: "promis", Label: LabelPromised, TestID: "-promised", Cents: f.Promised},
		{Kind: "abonde-prevu", Label: LabelMatchedPromises, TestID: "-matched-projected", Cents: f.MatchedOnPromises()},
	}
	var start int64 // in basis points of the goal
	var sum int64
	for i := range segs {
		sum += max(segs[i].Cents, 0)
		end := basisPoints(sum, f.Goal)
		segs[i].X, segs[i].W = percentAttr(start), percentAttr(end-start)
		start = end
	}
	return segs
}

// basisPoints is v as hundredths of a percent of goal, within [0, 10 000]; 0 without a
// goal.
func basisPoints(v, goal int64) int64 {
	if goal <= 0 || v <= 0 {
		return 0
	}
	if v >= goal {
		return 10000
	}
	return v * 10000 / goal
}

// percentAttr writes basis points as an SVG length in percent: 1234 → "12.34%".
func percentAttr(bp int64) string {
	frac := strconv.FormatInt(bp%100+100, 10)[1:]
	return strconv.FormatInt(bp/100, 10) + "." + frac + "%"
}

// percentOf is v in whole percent of goal, rounded down, not clamped; 0 without a goal.
func percentOf(v, goal int64) int64 {
	if goal <= 0 || v <= 0 {
		return 0
	}
	return v * 100 / goal
}

// fundingOver says, when the step has or would have more than its goal, that the bar
// stops at 100 %; "" otherwise.
func fundingOver(ctx context.Context, f fabrique.StepFigures) string {
	switch {
	case f.Goal <= 0 || f.Expected() <= f.Goal:
		return ""
	case f.Secured() > f.Goal:
		return i18n.T(ctx, LabelFundingOverGoal)
	}
	return i18n.T(ctx, LabelFundingOverSoon)
}

// fundingPercent says how far the step is: "Financement assuré à 48 %, à 55 % avec les
// promesses".
func fundingPercent(ctx context.Context, f fabrique.StepFigures) string {
	return i18n.T(ctx, LabelFundingPercent, percentOf(f.Secured(), f.Goal), percentOf(f.Expected(), f.Goal))
}

// fundingSentence is the text equivalent of a funding bar, every amount in the bar's
// order: "3 200,00 € reçus, 1 600,00 € d’abondement garanti, 500,00 € promis, 250,00 €
// d’abondement prévu, sur un objectif de 10 000,00 €. Financement assuré à 48 %, à 55 %
// avec les promesses."
func fundingSentence(ctx context.Context, f fabrique.StepFigures) string {
	lang := i18n.LangFrom(ctx)
	m := func(c int64) string { return i18n.Money(lang, c) }
	received := i18n.T(ctx, "%s reçus", m(f.Confirmed))
	if f.Confirmed < 200 { // French: singular below 2 €
		received = i18n.T(ctx, "%s reçu", m(f.Confirmed))
	}
	s := received + ", " + i18n.T(ctx, fundingSentenceMore, m(f.MatchedSecured)) +
		", " + i18n.T(ctx, fundingSentencePledge, m(f.Promised)) +
		", " + i18n.T(ctx, fundingSentenceLater, m(f.MatchedOnPromises())) +
		", " + i18n.T(ctx, fundingSentenceGoal, m(f.Goal)) + ". " + fundingPercent(ctx, f) + "."
	if over := fundingOver(ctx, f); over != "" {
		s += " " + over
	}
	return s
}

// callFigures are a call's totals as a funding bar shows them: its steps' goals and
// money, summed (nothing spent: the list of calls does not show it).
func callFigures(c *fabrique.CallSummary) fabrique.StepFigures {
	return fabrique.StepFigures{Goal: c.Goal, Confirmed: c.Confirmed, MatchedSecured: c.MatchedSecured,
		Promised: c.Promised, MatchedProjected: c.MatchedProjected}
}

// fundingSVG writes the bar itself: the goal as a track, then the segments, each placed
// by its x and width and named by a <title>. Written by hand, without templ expressions
// (a class set and a fmt.Sprint per value): a call's page draws one bar per step.
func fundingSVG(f fabrique.StepFigures) templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		lang := i18n.LangFrom(ctx)
		b := make([]byte, 0, 2048)
		b = append(b, `<svg class="funding-bar" width="100%" height="24" role="img" aria-label="`...)
		b = append(b, templ.EscapeString(fundingSentence(ctx, f))...)
		b = append(b, `" data-testid="funding-bar" data-goal="`...)
		b = strconv.AppendInt(b, f.Goal, 10)
		b = append(b, `"><rect class="seg-track" x="0" y="0" width="100%" height="24"></rect>`...)
		for _, s := range fundingSegments(f) {
			b = append(b, `<rect class="seg seg-`...)
			b = append(b, s.Kind...)
			b = append(b, `" data-testid="bar-`...)
			b = append(b, s.Kind...)
			b = append(b, `" data-cents="`...)
			b = strconv.AppendInt(b, s.Cents, 10)
			b = append(b, `" x="`...)
			b = append(b, s.X...)
			b = append(b, `" y="0" width="`...)
			b = append(b, s.W...)
			b = append(b, `" height="24"><title>`...)
			b = append(b, templ.EscapeString(i18n.T(ctx, "%s : %s", i18n.T(ctx, s.Label), i18n.Money(lang, s.Cents)))...)
			b = append(b, `</title></rect>`...)
		}
		b = append(b, `</svg>`...)
		_, err := w.Write(b)
		return err
	})
}

// fundingSwatch is a segment's colour in the legend, drawn as the bar draws it (so that
// print and forced colours treat both alike); hidden from screen readers.
func fundingSwatch(kind string) templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		_, err := io.WriteString(w, `<svg class="swatch-seg" width="16" height="16" aria-hidden="true"><rect class="seg seg-`+
			kind+`" x="0" y="0" width="16" height="16"></rect></svg>`)
		return err
	})
}

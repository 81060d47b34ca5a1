package pages

import (
	"context"
	"io"
	"testing"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/i18n"
)

// The funding bar's words are constants, which the catalogue test does not find in the
// sources: each must have its English.
func TestFundingWordsTranslated(t *testing.T) {
	for _, key := range []string{LabelGoal, LabelConfirmed, LabelMatchedSecured, LabelPromised, LabelMatchedPromises,
		LabelSpent, LabelRemaining, LabelFundingPercent, LabelFundingOverGoal, LabelFundingOverSoon,
		fundingSentenceGoal, fundingSentenceMore, fundingSentencePledge, fundingSentenceLater} {
		if !i18n.Has(key) {
			t.Errorf("no English for %q", key)
		}
	}
}

// The segments follow each other from 0 to at most 100 %, in the bar's order, whatever
// the amounts.
func TestFundingSegments(t *testing.T) {
	for _, tc := range []struct {
		f    fabrique.StepFigures
		x, w [4]string
	}{
		{fabrique.StepFigures{Goal: 1000000, Confirmed: 320000, MatchedSecured: 160000, Promised: 50000, MatchedProjected: 185000},
			[4]string{"0.00%", "32.00%", "48.00%", "53.00%"}, [4]string{"32.00%", "16.00%", "5.00%", "2.50%"}},
		// nothing yet
		{fabrique.StepFigures{Goal: 300000}, [4]string{"0.00%", "0.00%", "0.00%", "0.00%"}, [4]string{"0.00%", "0.00%", "0.00%", "0.00%"}},
		// over the goal: clamped at 100 %
		{fabrique.StepFigures{Goal: 100000, Confirmed: 90000, MatchedSecured: 90000, Promised: 5000},
			[4]string{"0.00%", "90.00%", "100.00%", "100.00%"}, [4]string{"90.00%", "10.00%", "0.00%", "0.00%"}},
		// the pool shrinks the projected matching below the secured one: nothing on promises
		{fabrique.StepFigures{Goal: 100000, Confirmed: 10000, MatchedSecured: 10000, Promised: 10000, MatchedProjected: 5000},
			[4]string{"0.00%", "10.00%", "20.00%", "30.00%"}, [4]string{"10.00%", "10.00%", "10.00%", "0.00%"}},
		// a third of the goal: rounded down to the basis point
		{fabrique.StepFigures{Goal: 300000, Confirmed: 100000}, [4]string{"0.00%", "33.33%", "33.33%", "33.33%"}, [4]string{"33.33%", "0.00%", "0.00%", "0.00%"}},
		// no goal: an empty bar, no division by zero
		{fabrique.StepFigures{Confirmed: 100}, [4]string{"0.00%", "0.00%", "0.00%", "0.00%"}, [4]string{"0.00%", "0.00%", "0.00%", "0.00%"}},
	} {
		segs := fundingSegments(tc.f)
		for i, s := range segs {
			if s.X != tc.x[i] || s.W != tc.w[i] {
				t.Errorf("%+v, segment %s: at %s width %s, want at %s width %s", tc.f, s.Kind, s.X, s.W, tc.x[i], tc.w[i])
			}
		}
	}
}

// BenchmarkFundingBar renders one step's bar and legend: a call's page draws one per step.
func BenchmarkFundingBar(b *testing.B) {
	f := fabrique.StepFigures{Goal: 1000000, Confirmed: 320000, MatchedSecured: 160000, Promised: 50000, MatchedProjected: 185000, Spent: 1000, Remaining: 500000}
	ctx := context.Background()
	for b.Loop() {
		if err := callStepBars(1, f).Render(ctx, io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

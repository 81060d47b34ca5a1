package components

import (
	"context"

	"github.com/a-h/templ"
	"strconv"
	"strings"
)

// ChartBar is one bar of a chart: its label, its value (integer: cents, quarter days) and
// that value as people read it (« 3 000,00 € », « 2,5 jours »).
type ChartBar struct {
	Label    string
	Value    int64
	Display  string
	Goal     int64  // what was aimed at (days planned, a goal): a mark across the bar
	GoalDisp string // the goal as people read it
	French   bool   // the label is people's words, in French whatever the page's language
}

// BarChart is a horizontal bar chart drawn on the server: each bar's length is its
// value against the largest, from a common zero line.
type BarChart struct {
	ID          string // unique on the page: names the SVG's title and description
	Title       string // the caption, and the SVG's accessible name
	Description string // one sentence that tells what the chart shows
	Bars        []ChartBar
	// With goals, the table has two columns under these headings (« Réalisé », « Prévu »).
	ValueHeading, GoalHeading string
}

// HasGoals reports whether the chart marks goals.
func (c BarChart) HasGoals() bool { return c.GoalHeading != "" }

// The chart's geometry, in the SVG's own units: 360 wide, so a phone shows it at its size.
const (
	chartWidth    = 360
	chartBarMax   = 250 // the longest bar
	chartRow      = 44  // a bar's label line and the bar itself
	chartBarH     = 16
	chartLabelGap = 14
)

func (c BarChart) height() int { return len(c.Bars)*chartRow + 4 }

func (c BarChart) viewBox() string {
	return "0 0 " + strconv.Itoa(chartWidth) + " " + strconv.Itoa(c.height())
}

// barWidth is the length of bar i: its value against the largest, in integers, and at
// least 1 unit for a value above zero so that it can be seen.
func (c BarChart) barWidth(i int) int { return c.scale(c.Bars[i].Value) }

// goalX is where bar i's goal is marked.
func (c BarChart) goalX(i int) int { return c.scale(c.Bars[i].Goal) }

// scale is the length of v against the largest value or goal.
func (c BarChart) scale(v int64) int {
	var top int64
	for _, b := range c.Bars {
		top = max(top, b.Value, b.Goal)
	}
	if top <= 0 || v <= 0 {
		return 0
	}
	return max(int(v*chartBarMax/top), 1)
}

// labelX is where bar i's figure is written: past the bar, and past its goal mark.
func (c BarChart) labelX(i int) int { return max(c.barWidth(i), c.goalX(i)) + 6 }

func rowY(i int) int { return i*chartRow + chartLabelGap }

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

// unbreakable joins words with no-break spaces: in SVG the typesetting cannot wrap an
// amount in a span (SVG text takes none), and an SVG line never wraps anyway.
func unbreakable(s string) string { return strings.ReplaceAll(s, " ", "\u00a0") }

// labelLang marks a bar's label as French when it is people's words on another page.
func labelLang(ctx context.Context, b ChartBar) templ.Attributes {
	if !b.French {
		return nil
	}
	return French(ctx)
}

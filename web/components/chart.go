package components

import (
	"strconv"
	"strings"
)

// ChartBar is one bar of a chart: its label, its value (integer: cents, quarter days) and
// that value as people read it (« 3 000,00 € », « 2,5 jours »).
type ChartBar struct {
	Label   string
	Value   int64
	Display string
}

// BarChart is a horizontal bar chart drawn on the server: each bar's length is its
// value against the largest, from a common zero line.
type BarChart struct {
	ID          string // unique on the page: names the SVG's title and description
	Title       string // the caption, and the SVG's accessible name
	Description string // one sentence that tells what the chart shows
	Bars        []ChartBar
}

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
func (c BarChart) barWidth(i int) int {
	var top int64
	for _, b := range c.Bars {
		top = max(top, b.Value)
	}
	v := c.Bars[i].Value
	if top <= 0 || v <= 0 {
		return 0
	}
	return max(int(v*chartBarMax/top), 1)
}

func rowY(i int) int { return i*chartRow + chartLabelGap }

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

// unbreakable joins words with no-break spaces: in SVG the typesetting cannot wrap an
// amount in a span (SVG text takes none), and an SVG line never wraps anyway.
func unbreakable(s string) string { return strings.ReplaceAll(s, " ", "\u00a0") }

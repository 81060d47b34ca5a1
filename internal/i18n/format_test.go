package i18n_test

import (
	"context"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fabrique-a-communs/fabrique/internal/i18n"
)

func TestMoney(t *testing.T) {
	t.Parallel()
	tests := []struct {
		lang  i18n.Lang
		cents int64
		want  string
	}{
		{i18n.French, 0, "0,00 €"},
		{i18n.French, 5, "0,05 €"},
		{i18n.French, 99, "0,99 €"},
		{i18n.French, 100, "1,00 €"},
		{i18n.French, 46000, "460,00 €"},
		{i18n.French, 99999, "999,99 €"},
		{i18n.French, 100000, "1 000,00 €"},
		{i18n.French, 300000, "3 000,00 €"},
		{i18n.French, 123456789, "1 234 567,89 €"},
		{i18n.French, -5, "-0,05 €"},
		{i18n.French, -300000, "-3 000,00 €"},
		{i18n.French, math.MaxInt64, "92 233 720 368 547 758,07 €"},
		{i18n.French, math.MinInt64, "-92 233 720 368 547 758,08 €"},
		{i18n.English, 0, "€0.00"},
		{i18n.English, 5, "€0.05"},
		{i18n.English, 300000, "€3,000.00"},
		{i18n.English, 123456789, "€1,234,567.89"},
		{i18n.English, -300000, "-€3,000.00"},
	}
	for _, tt := range tests {
		if got := i18n.Money(tt.lang, tt.cents); got != tt.want {
			t.Errorf("Money(%s, %d): got %q, want %q", tt.lang, tt.cents, got, tt.want)
		}
	}
}

// parseFrenchMoney reads back what Money writes in French.
func parseFrenchMoney(tb testing.TB, s string) int64 {
	tb.Helper()
	num, ok := strings.CutSuffix(s, " €")
	if !ok {
		tb.Fatalf("got %q, want a suffix \" €\"", s)
	}
	num = strings.ReplaceAll(num, " ", "")
	units, frac, ok := strings.Cut(num, ",")
	if !ok || len(frac) != 2 {
		tb.Fatalf("got %q, want exactly two decimals after a comma", s)
	}
	// Whole cents, not a float: a float64 loses the last digits of a large amount.
	cents, err := strconv.ParseInt(units+frac, 10, 64)
	if err != nil {
		tb.Fatalf("parse %q: %v", s, err)
	}
	return cents
}

func FuzzMoney(f *testing.F) {
	for _, c := range []int64{0, 5, -5, 46000, 300000, 123456789, -123456789, math.MaxInt64, math.MinInt64 + 1, 100, 999, 1000} {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, cents int64) {
		if cents == math.MinInt64 {
			t.Skip("its absolute value has no int64; tested in TestMoney")
		}
		s := i18n.Money(i18n.French, cents)
		if got := parseFrenchMoney(t, s); got != cents {
			t.Errorf("Money(French, %d) = %q: got %d back, want %d", cents, s, got, cents)
		}
		en := i18n.Money(i18n.English, cents)
		if strings.ContainsRune(en, ' ') {
			t.Errorf("Money(English, %d): got %q, want no space", cents, en)
		}
	})
}

func TestMoneyMinInt64DoesNotPanic(t *testing.T) {
	t.Parallel()
	for _, lang := range []i18n.Lang{i18n.French, i18n.English} {
		if got := i18n.Money(lang, math.MinInt64); !strings.HasPrefix(got, "-") {
			t.Errorf("Money(%s, MinInt64): got %q, want a negative amount", lang, got)
		}
	}
}

func TestNumber(t *testing.T) {
	t.Parallel()
	tests := []struct {
		lang i18n.Lang
		n    int64
		want string
	}{
		{i18n.French, 0, "0"},
		{i18n.French, 18, "18"},
		{i18n.French, 1234567, "1 234 567"},
		{i18n.French, -1000, "-1 000"},
		{i18n.English, 1234567, "1,234,567"},
		// n*100 overflows beyond MaxInt64/100.
		{i18n.French, math.MaxInt64 / 10, "922 337 203 685 477 580"},
	}
	for _, tt := range tests {
		if got := i18n.Number(tt.lang, tt.n); got != tt.want {
			t.Errorf("Number(%s, %d): got %q, want %q", tt.lang, tt.n, got, tt.want)
		}
	}
}

func TestDate(t *testing.T) {
	t.Parallel()
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		paris = time.FixedZone("CET", 3600)
	}
	tests := []struct {
		lang i18n.Lang
		t    time.Time
		want string
	}{
		{i18n.French, time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC), "27 novembre 2026"},
		{i18n.French, time.Date(2027, 3, 1, 23, 59, 0, 0, paris), "1er mars 2027"},
		{i18n.French, time.Date(2027, 3, 2, 0, 0, 0, 0, time.UTC), "2 mars 2027"},
		{i18n.French, time.Date(2027, 3, 11, 0, 0, 0, 0, time.UTC), "11 mars 2027"},
		{i18n.French, time.Date(2027, 3, 21, 0, 0, 0, 0, time.UTC), "21 mars 2027"},
		{i18n.English, time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC), "27 November 2026"},
		{i18n.English, time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC), "1 March 2027"},
	}
	for _, tt := range tests {
		if got := i18n.Date(tt.lang, tt.t); got != tt.want {
			t.Errorf("Date(%s, %v): got %q, want %q", tt.lang, tt.t, got, tt.want)
		}
	}
}

func TestDateFrenchMonths(t *testing.T) {
	t.Parallel()
	months := []string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}
	for i, m := range months {
		day := time.Date(2026, time.Month(i+1), 15, 12, 0, 0, 0, time.UTC)
		if got, want := i18n.Date(i18n.French, day), "15 "+m+" 2026"; got != want {
			t.Errorf("Date(fr, %v): got %q, want %q", day, got, want)
		}
	}
}

func TestParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want i18n.Lang
	}{
		{"en", i18n.English},
		{"en-GB", i18n.English},
		{"EN-us", i18n.English},
		{" en ", i18n.English},
		{"fr", i18n.French},
		{"fr-FR", i18n.French},
		{"de", i18n.French},
		{"", i18n.French},
	}
	for _, tt := range tests {
		if got := i18n.Parse(tt.in); got != tt.want {
			t.Errorf("Parse(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestT(t *testing.T) {
	t.Parallel()
	const key = "Bienvenue, %s : %d défis vous attendent."
	if i18n.Has(key) {
		t.Fatalf("Has(%q): got true, want a key without translation", key)
	}
	en := i18n.WithLang(context.Background(), i18n.English)
	if got := i18n.LangFrom(en); got != i18n.English {
		t.Errorf("LangFrom(WithLang(English)): got %q, want %q", got, i18n.English)
	}
	if got := i18n.LangFrom(context.Background()); got != i18n.French {
		t.Errorf("LangFrom(Background): got %q, want %q", got, i18n.French)
	}
	tests := []struct {
		name string
		ctx  context.Context
		key  string
		args []any
		want string
	}{
		{"English falls back to French", en, key, []any{"Alice", 3}, "Bienvenue, Alice : 3 défis vous attendent."},
		{"French", context.Background(), key, []any{"Alice", 3}, "Bienvenue, Alice : 3 défis vous attendent."},
		{"no args leaves percent signs", en, "100 % libre", nil, "100 % libre"},
	}
	for _, tt := range tests {
		if got := i18n.T(tt.ctx, tt.key, tt.args...); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
	// Every translated key is used through T in English.
	for _, k := range i18n.Keys() {
		if got := i18n.T(en, k); got == "" {
			t.Errorf("T(en, %q): got an empty translation", k)
		}
	}
}

func TestPlural(t *testing.T) {
	fr, en := i18n.WithLang(context.Background(), i18n.French), i18n.WithLang(context.Background(), i18n.English)
	for _, tc := range []struct {
		ctx  context.Context
		n    int
		want string
	}{
		{fr, 0, "0 contribution validée à payer"}, {fr, 1, "1 contribution validée à payer"}, {fr, 2, "2 contributions validées à payer"},
		{en, 0, "0 validated contributions to pay"}, {en, 1, "1 validated contribution to pay"}, {en, 3, "3 validated contributions to pay"},
	} {
		if got := i18n.Plural(tc.ctx, tc.n, "%d contribution validée à payer", "%d contributions validées à payer"); got != tc.want {
			t.Errorf("Plural(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
}

// An instant late in the UTC evening is already the next day in Paris; a calendar date
// (midnight UTC, as PostgreSQL's date reads) stays its own day.
func TestDateIsTheDayInParis(t *testing.T) {
	late := time.Date(2026, 12, 4, 23, 30, 0, 0, time.UTC)
	if got := i18n.Date(i18n.French, late); got != "5 décembre 2026" {
		t.Errorf("Date(23:30 UTC, 4 Dec) = %q, want the 5th, as in Paris", got)
	}
	day := time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)
	if got := i18n.Date(i18n.English, day); got != "4 December 2026" {
		t.Errorf("Date(calendar day 4 Dec) = %q", got)
	}
}

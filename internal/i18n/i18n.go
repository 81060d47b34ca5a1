// Package i18n is the message catalog and the French (and English) formatting of
// amounts and dates. The key of a message is its French text, as gettext does: French is
// the default, and a missing English translation falls back to the French text.
package i18n

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Lang is a language the interface speaks.
type Lang string

// The languages of the interface; French is the default.
const (
	French  Lang = "fr"
	English Lang = "en"
)

// Parse returns the language named by s, or French.
func Parse(s string) Lang {
	if strings.HasPrefix(strings.ToLower(strings.TrimSpace(s)), "en") {
		return English
	}
	return French
}

type ctxKey struct{}

// WithLang returns a context carrying lang.
func WithLang(ctx context.Context, lang Lang) context.Context {
	return context.WithValue(ctx, ctxKey{}, lang)
}

// LangFrom returns the language of ctx, French by default.
func LangFrom(ctx context.Context) Lang {
	if l, ok := ctx.Value(ctxKey{}).(Lang); ok {
		return l
	}
	return French
}

// Translate returns the message key in lang, formatted with args when there are any.
func Translate(lang Lang, key string, args ...any) string {
	msg := key
	if lang == English {
		if en, ok := english[key]; ok {
			msg = en
		}
	}
	if len(args) > 0 {
		return fmt.Sprintf(msg, args...)
	}
	return msg
}

// T translates key into the language of ctx.
func T(ctx context.Context, key string, args ...any) string {
	return Translate(LangFrom(ctx), key, args...)
}

// Plural translates one or other by the count n, formatted with n: French takes the
// singular for 0 and 1, English for 1 only.
func Plural(ctx context.Context, n int, one, other string) string {
	lang := LangFrom(ctx)
	if n == 1 || n == 0 && lang == French {
		return Translate(lang, one, n)
	}
	return Translate(lang, other, n)
}

// Has reports whether key has an English translation.
func Has(key string) bool {
	_, ok := english[key]
	return ok
}

// Keys returns every key of the catalog.
func Keys() []string {
	keys := make([]string, 0, len(english))
	for k := range english {
		keys = append(keys, k)
	}
	return keys
}

var monthsFR = [...]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}

// Date formats t as a day in lang: "27 novembre 2026", "1er mars 2027", "27 November 2026".
func Date(lang Lang, t time.Time) string {
	t = t.In(Paris)
	if lang == English {
		return t.Format("2 January 2006")
	}
	day := strconv.Itoa(t.Day())
	if t.Day() == 1 {
		day = "1er"
	}
	return day + " " + monthsFR[t.Month()-1] + " " + strconv.Itoa(t.Year())
}

// Clock writes a time of day in Paris: « 14 h », « 14 h 30 » in French, "14:30" in English.
func Clock(lang Lang, t time.Time) string {
	t = t.In(Paris)
	if lang == English {
		return t.Format("15:04")
	}
	if t.Minute() == 0 {
		return strconv.Itoa(t.Hour()) + " h"
	}
	return t.Format("15 h 04")
}

// Month names month m: « janvier », "January".
func Month(lang Lang, m time.Month) string {
	if lang == English {
		return m.String()
	}
	return monthsFR[m-1]
}

// Money formats an amount in cents: "3 000,00 €" in French, "€3,000.00" in English. The
// French thousands separator is a plain space, so the text reads the same copied from the
// page; the templates keep the amount on one line.
func Money(lang Lang, cents int64) string {
	neg, u := abs(cents)
	frac := strconv.FormatUint(u%100+100, 10)[1:] // always two digits
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	if lang == English {
		b.WriteString("€" + group(u/100, ",") + "." + frac)
		return b.String()
	}
	b.WriteString(group(u/100, " ") + "," + frac + " €")
	return b.String()
}

// Number formats an integer with the thousands separator of lang.
func Number(lang Lang, n int64) string {
	neg, u := abs(n)
	sep := " "
	if lang == English {
		sep = ","
	}
	if neg {
		return "-" + group(u, sep)
	}
	return group(u, sep)
}

// abs splits n into its sign and magnitude, safe for math.MinInt64.
func abs(n int64) (bool, uint64) {
	if n < 0 {
		return true, uint64(-(n + 1)) + 1
	}
	return false, uint64(n)
}

// group writes u with sep between groups of three digits.
func group(u uint64, sep string) string {
	digits := strconv.FormatUint(u, 10)
	var b strings.Builder
	for i, r := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Paris is the Fabrique's time zone: an instant (a timestamptz) is shown as the day it is
// in France, not in the server's zone (23:30 UTC on the 4th is already the 5th in Paris).
// A calendar date read from PostgreSQL (midnight UTC) stays the same day, Paris being ahead
// of UTC. The binary embeds the zone database (time/tzdata in cmd/fabrique).
var Paris = func() *time.Location {
	if loc, err := time.LoadLocation("Europe/Paris"); err == nil {
		return loc
	}
	return time.FixedZone("CET", 3600)
}()

package fabrique

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Money is integer cents; days are integer quarter-days. Nothing here is a float.

// MaxAmount bounds any amount typed in a form: 10 000 000,00 € is beyond any budget of
// the Fabrique, so a larger figure is a typing mistake.
const MaxAmount int64 = 10_000_000_00

// MaxDaysQuarters bounds one contribution: 31 days.
const MaxDaysQuarters = 31 * 4

// ParseAmount reads an amount in euros as people type it — "3000", "3 000", "3 000,50",
// "3000.50", "3 000,50 €" — and returns cents. It refuses anything ambiguous or odd:
// other separators, more than two decimals, a misplaced thousands space, zero, a
// negative or an absurdly large amount; the error's message says why, in French.
func ParseAmount(s string) (int64, error) {
	s = strings.TrimSpace(s)
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(s, "€"), "€"))
	s = strings.TrimSpace(strings.TrimSuffix(s, "EUR"))
	if s == "" {
		return 0, amountError("Indiquez un montant.")
	}
	if strings.HasPrefix(s, "-") {
		return 0, amountError("Le montant doit être positif.")
	}
	intPart, frac := s, ""
	if i := strings.IndexAny(s, ",."); i >= 0 {
		intPart, frac = s[:i], s[i+1:]
		if frac == "" || len(frac) > 2 || strings.Trim(frac, "0123456789") != "" {
			return 0, amountError("Le montant a au plus deux décimales, après une virgule : 3 000,50.")
		}
	}
	digits, ok := groupedDigits(intPart)
	if !ok {
		return 0, amountError("Ce montant n’est pas lisible. Écrivez par exemple 3000 ou 3 000,50.")
	}
	if len(digits) > 12 {
		return 0, amountError("Ce montant est trop élevé.")
	}
	var cents int64
	for _, r := range digits {
		cents = cents*10 + int64(r-'0')
	}
	cents *= 100
	if len(frac) == 1 {
		frac += "0"
	}
	for i, r := range frac {
		cents += int64(r-'0') * [2]int64{10, 1}[i]
	}
	switch {
	case cents == 0:
		return 0, amountError("Le montant doit être supérieur à zéro.")
	case cents > MaxAmount:
		return 0, amountError("Ce montant est trop élevé (10 000 000,00 € au plus).")
	}
	return cents, nil
}

// groupedDigits returns the digits of s, which may separate thousands with spaces (plain,
// no-break or narrow no-break) as long as each group after the first has three digits.
func groupedDigits(s string) (string, bool) {
	groups := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '\u00a0' || r == '\u202f' })
	if len(groups) == 0 {
		return "", false
	}
	// FieldsFunc drops empty fields, so "3  000" would pass: refuse doubled separators.
	if utf8.RuneCountInString(strings.Join(groups, " ")) != utf8.RuneCountInString(s) {
		return "", false
	}
	for i, g := range groups {
		if g == "" || strings.TrimFunc(g, func(r rune) bool { return r >= '0' && r <= '9' }) != "" {
			return "", false
		}
		if i > 0 && len(g) != 3 || i == 0 && len(groups) > 1 && len(g) > 3 {
			return "", false
		}
	}
	return strings.Join(groups, ""), true
}

func amountError(msg string) error { return &Error{Code: EINVALID, Message: msg} }

// ParseDays reads a number of days in quarter steps — "1", "0,5", "1.25", "0,75" — and
// returns quarter-days (1 day = 4). It refuses zero, negatives, more than 31 days, and
// anything that is not a quarter step.
func ParseDays(s string) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, amountError("Indiquez un nombre de jours.")
	}
	if strings.HasPrefix(s, "-") {
		return 0, amountError("Le nombre de jours doit être positif.")
	}
	intPart, frac := s, ""
	if i := strings.IndexAny(s, ",."); i >= 0 {
		intPart, frac = s[:i], s[i+1:]
	}
	if intPart == "" {
		intPart = "0" // ",5" is half a day
	}
	if len(intPart) > 3 || strings.Trim(intPart, "0123456789") != "" ||
		strings.Trim(frac, "0123456789") != "" || len(frac) > 2 {
		return 0, amountError("Indiquez un nombre de jours par quart de journée : 1 ; 0,5 ; 1,25.")
	}
	days := 0
	for _, r := range intPart {
		days = days*10 + int(r-'0')
	}
	q, ok := fracQuarters(frac)
	if !ok {
		return 0, amountError(msgQuarterSteps)
	}
	quarters := days*4 + q
	switch {
	case quarters == 0:
		return 0, amountError("Le nombre de jours doit être supérieur à zéro.")
	case quarters > MaxDaysQuarters:
		return 0, amountError("Une contribution compte au plus 31 jours.")
	}
	return quarters, nil
}

// FormatDays writes quarter-days the French way: 4 → "1", 6 → "1,5", 1 → "0,25".
func FormatDays(quarters int) string {
	neg := quarters < 0
	if neg {
		quarters = -quarters
	}
	s := strconv.Itoa(quarters/4) + [4]string{"", ",25", ",5", ",75"}[quarters%4]
	if neg {
		return "-" + s
	}
	return s
}

// FormatDaysWithUnit writes quarter-days with their French unit, singular below two as
// French counts: "0,5 jour", "1,75 jour", "2 jours".
func FormatDaysWithUnit(quarters int) string {
	if quarters < 8 && quarters > -8 {
		return FormatDays(quarters) + " jour"
	}
	return FormatDays(quarters) + " jours"
}

// DayAmount is the pay for quarters at a day rate in cents, rounded to the nearest cent
// (half up): a rate not divisible by four still gives whole cents.
func DayAmount(quarters int, rateCents int64) int64 {
	return (int64(quarters)*rateCents + 2) / 4
}

// msgQuarterSteps refuses a fraction of a day that is not a quarter.
const msgQuarterSteps = "Les jours se comptent par quart de journée : 0,25 ; 0,5 ; 0,75."

// fracQuarters reads the decimals of a number of days ("25", "5", "50", "75", "") as
// quarters; false when they are not a quarter step.
func fracQuarters(frac string) (int, bool) {
	switch strings.TrimRight(frac, "0") {
	case "":
		return 0, true
	case "25":
		return 1, true
	case "5":
		return 2, true
	case "75":
		return 3, true
	}
	return 0, false
}

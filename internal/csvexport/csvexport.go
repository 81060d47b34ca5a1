// Package csvexport writes the platform's CSV exports for spreadsheets. Every text cell is
// neutralised against formula injection (OWASP "CSV injection"): a name, a reference or a
// message someone typed that starts like a formula is written with a leading apostrophe,
// so that a spreadsheet shows it instead of running it. The numbers and dates the platform
// computes itself — amounts, counts, days — are built from integers and times, never from
// strings, so they stay numbers, negative ones included.
package csvexport

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Format is how an export writes its separators and numbers.
type Format struct {
	// Comma separates fields: ';' when zero, as French spreadsheets expect.
	Comma rune
	// DecimalPoint writes 1234.50 instead of 1234,50.
	DecimalPoint bool
	// DateLayout is the time layout of Date cells: "02/01/2006" when empty.
	DateLayout string
	// CRLF ends lines with \r\n (RFC 4180) instead of \n.
	CRLF bool
}

// Writer writes rows of cells, after a byte order mark so that spreadsheets read the
// accents as UTF-8.
type Writer struct {
	cw  *csv.Writer
	f   Format
	row []string
	err error
}

// NewWriter starts an export on w: it writes the byte order mark at once.
func NewWriter(w io.Writer, f Format) *Writer {
	if f.Comma == 0 {
		f.Comma = ';'
	}
	if f.DateLayout == "" {
		f.DateLayout = "02/01/2006"
	}
	cw := csv.NewWriter(w)
	cw.Comma, cw.UseCRLF = f.Comma, f.CRLF
	_, err := io.WriteString(w, "\ufeff")
	return &Writer{cw: cw, f: f, err: err}
}

// Header writes the header row, as text.
func (w *Writer) Header(names ...string) {
	cells := make([]Cell, len(names))
	for i, n := range names {
		cells[i] = Text(n)
	}
	w.Row(cells...)
}

// Row writes one row.
func (w *Writer) Row(cells ...Cell) {
	if w.err != nil {
		return
	}
	w.row = w.row[:0]
	for _, c := range cells {
		w.row = append(w.row, c.format(w.f))
	}
	w.err = w.cw.Write(w.row)
}

// Flush writes what is buffered and returns the first error met.
func (w *Writer) Flush() error {
	w.cw.Flush()
	if w.err != nil {
		return w.err
	}
	return w.cw.Error()
}

type cellKind uint8

const (
	kindText cellKind = iota
	kindDecimal
	kindDate
)

// Cell is one field of a row: text, or a number or date the platform computed.
type Cell struct {
	kind  cellKind
	text  string
	units int64 // kindDecimal: the value times 10^scale
	scale int
	fixed bool // kindDecimal: keep every decimal digit (amounts), else trim trailing zeros
	time  time.Time
}

// Text is a cell of text — anything a person typed, and any other string: it is
// neutralised when it starts like a formula.
func Text(s string) Cell { return Cell{kind: kindText, text: s} }

// Int is a whole number, such as an id or a count.
func Int(n int64) Cell { return Cell{kind: kindDecimal, units: n} }

// Amount is cents written as euros with two decimals and no thousands separator:
// -123456 is -1234,50 (or -1234.50).
func Amount(cents int64) Cell { return Cell{kind: kindDecimal, units: cents, scale: 2, fixed: true} }

// Decimal is units/10^scale, trailing zeros dropped: Decimal(125, 2) is 1,25 and
// Decimal(200, 2) is 2. scale is at most 9.
func Decimal(units int64, scale int) Cell {
	return Cell{kind: kindDecimal, units: units, scale: min(max(scale, 0), 9)}
}

// Date is a day in the export's date layout; the zero time is an empty cell.
func Date(t time.Time) Cell { return Cell{kind: kindDate, time: t} }

func (c Cell) format(f Format) string {
	switch c.kind {
	case kindDecimal:
		return formatDecimal(c.units, c.scale, c.fixed, f.DecimalPoint)
	case kindDate:
		if c.time.IsZero() {
			return ""
		}
		return c.time.Format(f.DateLayout)
	default:
		return Neutralise(c.text)
	}
}

func formatDecimal(units int64, scale int, fixed, point bool) string {
	neg := units < 0
	u := uint64(units)
	if neg {
		u = -u // two's complement: right for math.MinInt64 too
	}
	digits := strconv.FormatUint(u, 10)
	if len(digits) <= scale {
		digits = strings.Repeat("0", scale-len(digits)+1) + digits
	}
	whole, frac := digits[:len(digits)-scale], digits[len(digits)-scale:]
	if !fixed {
		frac = strings.TrimRight(frac, "0")
	}
	s := whole
	if frac != "" {
		sep := ","
		if point {
			sep = "."
		}
		s += sep + frac
	}
	if neg && strings.Trim(s, "0,.") != "" {
		s = "-" + s
	}
	return s
}

// formulaStarts are the characters that make a spreadsheet read a cell as a formula (or
// a DDE command), with their full-width forms, which some spreadsheets take for them.
const formulaStarts = "=+-@\uff1d\uff0b\uff0d\uff20"

// Neutralise returns s with a leading apostrophe when a spreadsheet could take it for a
// formula: it starts — after any spaces, which an import may trim — with =, +, -, @ or a
// control character such as tab or carriage return.
func Neutralise(s string) string {
	t := strings.TrimLeft(s, " \u00a0")
	if t == "" {
		return s
	}
	r, _ := utf8.DecodeRuneInString(t)
	if strings.ContainsRune(formulaStarts, r) || r < 0x20 || r == 0x7f {
		return "'" + s
	}
	return s
}

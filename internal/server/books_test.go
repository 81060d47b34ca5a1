package server_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/fabrique-a-communs/fabrique/internal/apptest"
	"github.com/fabrique-a-communs/fabrique/internal/benchdata"
	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// fecReport is what checkFEC read back from a FEC-shaped file.
type fecReport struct {
	lines, ecritures int
	debit, credit    int64
	text             string
	byAccount        map[string][2]int64 // CompteNum → debit, credit
}

var (
	fecDateRe   = regexp.MustCompile(`^\d{8}$`)
	fecAmountRe = regexp.MustCompile(`^\d+,\d{2}$`)
)

// checkFEC reads body as an accountant's import would and checks every rule of the
// format: the 18 columns in order, tab-separated, a header line, dates AAAAMMJJ within
// the year, amounts with a decimal comma and no thousands separator, one side per line,
// EcritureNum from 1 without a gap, each écriture balanced and on one date.
func checkFEC(t *testing.T, body string, year int) fecReport {
	t.Helper()
	var rep fecReport
	rows := strings.Split(strings.TrimSuffix(body, "\r\n"), "\r\n")
	if strings.Join(fabrique.FECColumns, "\t") != rows[0] {
		t.Fatalf("header %q", rows[0])
	}
	col := map[string]int{}
	for i, c := range fabrique.FECColumns {
		col[c] = i
	}
	type ecriture struct {
		debit, credit int64
		date          string
	}
	ecritures := map[int]*ecriture{}
	last := 0
	for i, row := range rows[1:] {
		cells := strings.Split(row, "\t")
		if len(cells) != 18 {
			t.Fatalf("line %d: %d cells: %q", i+2, len(cells), row)
		}
		num, err := strconv.Atoi(cells[col["EcritureNum"]])
		if err != nil || num < last || num > last+1 {
			t.Fatalf("line %d: EcritureNum %q after %d", i+2, cells[col["EcritureNum"]], last)
		}
		last = num
		for _, c := range []string{"EcritureDate", "PieceDate", "ValidDate"} {
			if !fecDateRe.MatchString(cells[col[c]]) {
				t.Errorf("line %d: %s %q", i+2, c, cells[col[c]])
			}
		}
		if !strings.HasPrefix(cells[col["EcritureDate"]], strconv.Itoa(year)) {
			t.Errorf("line %d: date %s outside %d", i+2, cells[col["EcritureDate"]], year)
		}
		amount := func(c string) int64 {
			v := cells[col[c]]
			if !fecAmountRe.MatchString(v) {
				t.Errorf("line %d: %s %q", i+2, c, v)
				return 0
			}
			n, _ := strconv.ParseInt(strings.Replace(v, ",", "", 1), 10, 64)
			return n
		}
		d, c := amount("Debit"), amount("Credit")
		if (d == 0) == (c == 0) {
			t.Errorf("line %d: debit %d and credit %d: want one side", i+2, d, c)
		}
		if cells[col["CompteNum"]] == "" || cells[col["JournalCode"]] == "" || cells[col["EcritureLib"]] == "" || cells[col["PieceRef"]] == "" {
			t.Errorf("line %d: a required cell is empty: %q", i+2, row)
		}
		e := ecritures[num]
		if e == nil {
			e = &ecriture{date: cells[col["EcritureDate"]]}
			ecritures[num] = e
		} else if e.date != cells[col["EcritureDate"]] {
			t.Errorf("écriture %d on two dates", num)
		}
		e.debit += d
		e.credit += c
		if rep.byAccount == nil {
			rep.byAccount = map[string][2]int64{}
		}
		sums := rep.byAccount[cells[col["CompteNum"]]]
		rep.byAccount[cells[col["CompteNum"]]] = [2]int64{sums[0] + d, sums[1] + c}
		rep.debit += d
		rep.credit += c
		rep.lines++
	}
	for num, e := range ecritures {
		if e.debit != e.credit {
			t.Errorf("écriture %d: debit %d, credit %d", num, e.debit, e.credit)
		}
	}
	if len(ecritures) != last {
		t.Errorf("%d écritures numbered up to %d", len(ecritures), last)
	}
	rep.ecritures, rep.text = len(ecritures), body
	return rep
}

// The FEC-shaped export over the bench data's busiest year: every rule of the format, its
// totals the ledger's, payees and named funders as auxiliary accounts, anonymous ones kept
// anonymous; an empty year is its header alone; the settings are checked and journaled.
func TestBooksFEC(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	ctx := context.Background()
	if _, err := benchdata.Seed(ctx, a.SQL, benchdata.Options{Challenges: 200}); err != nil {
		t.Fatal(err)
	}
	const pass = "motdepasse-solide"
	a.CreateUser(t, "Camille Comptable", "camille@example.org", pass, fabrique.RoleCoordinator)
	coord := a.Client(t)
	coord.Login("camille@example.org", pass)

	// The settings: a SIREN whose key is wrong is refused beside its field.
	form := url.Values{"siren": {"123 456 789"}, "journal_code": {"fab"}, "journal_label": {"Fabrique à communs"}}
	for _, k := range fabrique.BookAccountKinds {
		form.Set("compte_"+k, fabrique.DefaultBookAccounts[k].Num)
		form.Set("libelle_"+k, fabrique.DefaultBookAccounts[k].Label)
	}
	if r := coord.Post("/coordination/comptabilite", form); r.StatusCode != 422 || r.Doc.Find("#erreur-siren").Length() != 1 {
		t.Errorf("a wrong SIREN: %d", r.StatusCode)
	}
	form.Set("siren", "732 829 320") // a valid Luhn key
	form.Set("compte_"+fabrique.AccountOutside, "5121")
	if r := coord.Post("/coordination/comptabilite", form); r.StatusCode != 303 {
		t.Fatalf("save: %d %s", r.StatusCode, r.Doc.Find(".field-error").Text())
	}
	if n := countRows(t, a, `SELECT count(*) FROM audit_log WHERE action = 'books.settings'`); n != 1 {
		t.Errorf("%d journal lines for the settings", n)
	}

	var year int
	if err := a.SQL.QueryRow(ctx, `SELECT extract(year FROM occurred_on)::int FROM ledger_transactions
		GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`).Scan(&year); err != nil {
		t.Fatal(err)
	}
	r := coord.Get("/coordination/comptabilite/fec?annee=" + strconv.Itoa(year))
	if want := "732829320FEC" + strconv.Itoa(year) + "1231.txt"; r.StatusCode != 200 || !strings.Contains(r.Header.Get("Content-Disposition"), want) {
		t.Fatalf("FEC: %d %q, want %s", r.StatusCode, r.Header.Get("Content-Disposition"), want)
	}
	rep := checkFEC(t, r.Raw, year)
	credit, debit, err := a.DB.LedgerYearTotal(ctx, year)
	if err != nil {
		t.Fatal(err)
	}
	// The books add a pair of lines to each pledge (income dedicated) and payment (an
	// expense met by a dedicated fund): their amounts on top of the ledger's.
	var txs int
	var pledged, paid, allocated int64
	if err := a.SQL.QueryRow(ctx, `SELECT count(*),
			coalesce(sum(amount) FILTER (WHERE kind = 'pledge'), 0),
			coalesce(sum(amount) FILTER (WHERE kind IN ('payment', 'coordination_payment')), 0),
			coalesce(sum(amount) FILTER (WHERE kind IN ('fund_allocation', 'pool_funding', 'operating_allocation')), 0)
		FROM ledger_transactions WHERE extract(year FROM occurred_on) = $1`, year).Scan(&txs, &pledged, &paid, &allocated); err != nil {
		t.Fatal(err)
	}
	if pledged == 0 || paid == 0 || allocated == 0 {
		t.Fatalf("the bench year has no pledge, payment or allocation: %d, %d, %d", pledged, paid, allocated)
	}
	extra := pledged + paid
	if rep.credit != credit+extra || rep.debit != debit+extra || rep.ecritures != txs || rep.lines == 0 {
		t.Errorf("FEC totals: %d écritures, credit %d, debit %d; ledger: %d transactions, credit %d, debit %d, plus %d", rep.ecritures, rep.credit, rep.debit, txs, credit, debit, extra)
	}
	acc := func(k string) [2]int64 { return rep.byAccount[fabrique.DefaultBookAccounts[k].Num] }
	if got := acc(fabrique.BookIncome); got != [2]int64{0, pledged} {
		t.Errorf("income account: debit %d, credit %d; want the pledges received, %d", got[0], got[1], pledged)
	}
	if got := acc(fabrique.BookExpense); got != [2]int64{paid, 0} {
		t.Errorf("expense account: debit %d, credit %d; want the payments, %d", got[0], got[1], paid)
	}
	// The bank moves with cash only: what funders paid in and payees were paid. An
	// allocation is the association earmarking its own money: 689 going in, 789 coming
	// back, never the bank.
	var bankIn, bankOut, allocIn, allocOut int64
	if err := a.SQL.QueryRow(ctx, `
		SELECT coalesce(-sum(e.amount) FILTER (WHERE e.amount < 0 AND NOT t.alloc), 0), coalesce(sum(e.amount) FILTER (WHERE e.amount > 0 AND NOT t.alloc), 0),
		       coalesce(-sum(e.amount) FILTER (WHERE e.amount < 0 AND t.alloc), 0), coalesce(sum(e.amount) FILTER (WHERE e.amount > 0 AND t.alloc), 0)
		  FROM ledger_entries e JOIN ledger_accounts a ON a.id = e.account_id AND a.kind = 'outside'
		  JOIN (SELECT id, kind IN ('fund_allocation', 'pool_funding', 'operating_allocation') AS alloc FROM ledger_transactions
		         WHERE extract(year FROM occurred_on) = $1) t ON t.id = e.transaction_id`, year).Scan(&bankIn, &bankOut, &allocIn, &allocOut); err != nil {
		t.Fatal(err)
	}
	if got := rep.byAccount["5121"]; got != [2]int64{bankIn, bankOut} {
		t.Errorf("bank: debit %d, credit %d; want %d, %d", got[0], got[1], bankIn, bankOut)
	}
	if got := acc(fabrique.BookDedication); got != [2]int64{pledged + allocIn, 0} {
		t.Errorf("dedication: debit %d, credit %d; want %d, 0", got[0], got[1], pledged+allocIn)
	}
	if got := acc(fabrique.BookRelease); got != [2]int64{0, paid + allocOut} {
		t.Errorf("release: debit %d, credit %d; want 0, %d", got[0], got[1], paid+allocOut)
	}
	// Anonymous funders stay anonymous; named ones and payees are auxiliary accounts.
	rows, err := a.SQL.Query(ctx, `SELECT DISTINCT u.display_name FROM pledges p JOIN users u ON u.id = p.user_id
		WHERE p.anonymous AND NOT EXISTS (SELECT 1 FROM pledges q WHERE q.user_id = p.user_id AND NOT q.anonymous)
		  AND NOT EXISTS (SELECT 1 FROM contributions k WHERE k.user_id = p.user_id)`)
	if err != nil {
		t.Fatal(err)
	}
	var anonymous []string
	for rows.Next() {
		var name string
		_ = rows.Scan(&name)
		anonymous = append(anonymous, name)
	}
	rows.Close()
	for _, name := range anonymous {
		if strings.Contains(rep.text, "\t"+name+"\t") {
			t.Errorf("the anonymous funder %s is named in the FEC", name)
		}
	}
	if !strings.Contains(rep.text, "\tANONYME\tFinanceur anonyme\t") && len(anonymous) > 0 {
		t.Error("no anonymous auxiliary account")
	}
	if !regexp.MustCompile(`\tC\d+\t[^\t]+\t`).MatchString(rep.text) {
		t.Error("no payee as an auxiliary account")
	}

	empty := coord.Get("/coordination/comptabilite/fec?annee=2001")
	if e := checkFEC(t, empty.Raw, 2001); e.lines != 0 {
		t.Errorf("an empty year: %d lines", e.lines)
	}
	for _, bad := range []string{"", "deux-mille", "1850"} {
		if r := coord.Get("/coordination/comptabilite/fec?annee=" + bad); r.StatusCode != 422 {
			t.Errorf("annee=%q: %d", bad, r.StatusCode)
		}
	}
	contributor := a.Client(t)
	a.CreateUser(t, "Chloé Contributrice", "chloe@example.org", pass, fabrique.RoleContributor)
	contributor.Login("chloe@example.org", pass)
	for _, path := range []string{"/coordination/comptabilite", "/coordination/comptabilite/fec?annee=" + strconv.Itoa(year)} {
		if r := contributor.Get(path); r.StatusCode != http.StatusForbidden {
			t.Errorf("a contributor on %s: %d", path, r.StatusCode)
		}
	}
}

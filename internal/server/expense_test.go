package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// A small JPEG: the photo of a train ticket.
var receiptJPEG = []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9")

func expenseFields(amount string, waived bool) url.Values {
	f := url.Values{"date": {lootToday()}, "description": {"Train Paris–Aubusson pour la résidence"}, "amount": {amount}}
	if waived {
		f.Set("renonciation", "1")
	}
	return f
}

// Expenses on receipts: a member claims, the porteur validates (reserving the amount),
// the coordination reimburses once under concurrent clicks; a waived expense moves no
// money and gets a numbered donation receipt once the association says it may.
func TestExpenses(t *testing.T) {
	t.Parallel()
	l := startLoot(t, 10000)
	page := "/defis/" + l.c.Slug + "/frais"
	author := l.clients["author"]

	wantLogin(t, l.clients["anonymous"].Get(page))
	wantStatus(t, l.clients["contributor"].Get(page), http.StatusForbidden)
	wantStatus(t, l.clients["contributor"].PostFile(page, expenseFields("10", false), "file", "billet.jpg", receiptJPEG), http.StatusForbidden)
	for _, tt := range []struct {
		name, field string
		form        url.Values
		file        []byte
	}{
		{"no receipt", "file", expenseFields("42,50", false), nil},
		{"a text file", "file", expenseFields("42,50", false), []byte("pas une image")},
		{"no amount", "amount", expenseFields("", false), receiptJPEG},
		{"over 10 000 €", "amount", expenseFields("10 000,01", false), receiptJPEG},
	} {
		r := author.PostFile(page, tt.form, "file", "billet.jpg", tt.file)
		wantStatus(t, r, http.StatusUnprocessableEntity)
		if text(r, "[data-testid=field-"+tt.field+"] [data-testid=error-"+tt.field+"]") == "" {
			t.Errorf("%s: no error next to %s", tt.name, tt.field)
		}
	}
	if n := countRows(t, l.a, `SELECT count(*) FROM expenses`) + countRows(t, l.a, `SELECT count(*) FROM documents`); n != 0 {
		t.Fatalf("refused claims stored %d rows", n)
	}
	wantRedirect(t, author.PostFile(page, expenseFields("42,50", false), "file", "billet.jpg", receiptJPEG), page)
	wantRedirect(t, author.PostFile(page, expenseFields("80", true), "file", "billet.pdf", invoicePDF), page)
	wantRedirect(t, author.PostFile(page, expenseFields("99", false), "file", "gros.pdf", invoicePDF), page)

	id := func(waived bool, amount string) string {
		var s string
		if err := l.a.SQL.QueryRow(t.Context(), `SELECT id::text FROM expenses WHERE waived = $1 AND amount = $2`, waived, amount).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	paid, gift, big := id(false, "4250"), id(true, "8000"), id(false, "9900")

	// Who sees the receipt.
	for role, want := range map[string]int{"author": 200, "lead": 200, "coordinator": 200, "member": 403, "contributor": 403} {
		wantStatus(t, l.clients[role].Get("/frais/"+paid+"/justificatif"), want)
	}
	// Four eyes, then validation within the budget: 100 € hold 42,50 €, not 99 € more.
	wantStatus(t, author.Post("/frais/"+paid+"/valider", nil), http.StatusForbidden)
	wantStatus(t, l.clients["member"].Post("/frais/"+paid+"/valider", nil), http.StatusForbidden)
	wantRedirect(t, l.clients["lead"].Post("/frais/"+paid+"/valider", nil), page)
	wantStatus(t, l.clients["lead"].Post("/frais/"+big+"/valider", nil), http.StatusUnprocessableEntity)
	if got := l.remaining(t); got != 10000-4250 {
		t.Errorf("remaining after validating 42,50 €: %d", got)
	}
	wantStatus(t, l.clients["lead"].Post("/frais/"+big+"/refuser", url.Values{"reason": {""}}), http.StatusUnprocessableEntity)
	wantRedirect(t, l.clients["lead"].Post("/frais/"+big+"/refuser", url.Values{"reason": {"Hors du défi."}}), page)

	// Reimbursed once, whatever the clicks.
	wantStatus(t, l.clients["lead"].Post("/frais/"+paid+"/rembourser", url.Values{"paid_on": {lootToday()}, "reference": {"VIR-F1"}}), http.StatusForbidden)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			l.clients["coordinator"].Post("/frais/"+paid+"/rembourser", url.Values{"paid_on": {lootToday()}, "reference": {"VIR-F1"}})
		})
	}
	wg.Wait()
	if n := countRows(t, l.a, `SELECT count(*) FROM ledger_transactions WHERE cause_type = 'expense' AND amount = 4250`); n != 1 {
		t.Errorf("reimbursements: %d movements, want 1", n)
	}
	if got := l.remaining(t); got != 10000-4250 {
		t.Errorf("remaining after the reimbursement: %d", got)
	}

	// The gift: validated, no money; a receipt only once the association may issue them.
	wantRedirect(t, l.clients["lead"].Post("/frais/"+gift+"/valider", nil), page)
	wantStatus(t, l.clients["coordinator"].Post("/frais/"+gift+"/rembourser", url.Values{"paid_on": {lootToday()}, "reference": {"X"}}), http.StatusUnprocessableEntity)
	wantStatus(t, l.clients["coordinator"].Post("/frais/"+gift+"/recu", nil), http.StatusUnprocessableEntity)
	settings := billingSettingsForm(false)
	settings.Set("recus_fiscaux", "1")
	wantRedirect(t, l.clients["coordinator"].Post("/coordination/facturation", settings), "/coordination/facturation")
	wantRedirect(t, l.clients["coordinator"].Post("/frais/"+gift+"/recu", nil), page)
	wantRedirect(t, l.clients["coordinator"].Post("/frais/"+gift+"/recu", nil), page) // twice: one number
	r := author.Get("/frais/" + gift + "/recu-fiscal")
	wantStatus(t, r, http.StatusOK)
	if got := r.Doc.Find("[data-testid=donation-receipt]").AttrOr("data-number", ""); !strings.HasSuffix(got, "-0001") {
		t.Errorf("receipt number %q", got)
	}
	if got := r.Doc.Find("[data-testid=receipt-amount]").AttrOr("data-cents", ""); got != "8000" {
		t.Errorf("receipt amount %s", got)
	}
	wantStatus(t, l.clients["member"].Get("/frais/"+gift+"/recu-fiscal"), http.StatusForbidden)
	if got := text(author.Get(page), `[data-testid=expense][data-waived=true] [data-testid=expense-waiver]`); !strings.Contains(got, "Je renonce au remboursement") {
		t.Errorf("the renunciation is not shown: %q", got)
	}
	if got := l.remaining(t); got != 10000-4250 {
		t.Errorf("the gift moved money: remaining %d", got)
	}
	wantLedgerZero(t, l.a)
}

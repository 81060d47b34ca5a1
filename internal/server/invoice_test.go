package server_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/fabrique-a-communs/fabrique/internal/apptest"
	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// A small PDF, as a CAE's software writes one.
var invoicePDF = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

func invoiceFields(number, ht, vat, ttc string) url.Values {
	return url.Values{"number": {number}, "issued_on": {"2026-11-30"}, "due_on": {"2026-12-30"},
		"amount_ht": {ht}, "vat": {vat}, "amount_ttc": {ttc}, "vat_mention": {"TVA 20 %"}}
}

// billedDay sets up what an invoice answers: the association named (VAT recovered or
// not), the author a CAE contributor at 20 %, a day of theirs validated and put on a
// statement; it returns the statement's number.
func (l *lootApp) billedDay(t *testing.T, recoverable bool) string {
	t.Helper()
	wantRedirect(t, l.clients["coordinator"].Post("/coordination/facturation", billingSettingsForm(recoverable)), "/coordination/facturation")
	wantRedirect(t, l.clients["author"].Post("/espace/facturation", caeProfileForm()), "/espace/facturation")
	k := l.validated(t, 4)
	r := l.clients["author"].Post("/espace/releves", url.Values{"contribution_id": {strconv.FormatInt(k, 10)}})
	wantStatus(t, r, http.StatusSeeOther)
	return strings.TrimPrefix(r.Header.Get("Location"), "/releves/")
}

func stored(t *testing.T, a *apptest.App) (docs, invoices int) {
	t.Helper()
	return countRows(t, a, `SELECT count(*) FROM documents`), countRows(t, a, `SELECT count(*) FROM invoices`)
}

// The invoice of a CAE contributor, from upload to payment: refused uploads store
// nothing; the file is served to its author and the coordination only; sent back, it is
// replaced; paid by four coordinators' clicks at once, one movement of 276,00 € leaves the
// budget, the day is paid, and the public accounts say « Facture n° … ».
func TestInvoiceFlow(t *testing.T) {
	t.Parallel()
	l := startLoot(t, 100000)
	number := l.billedDay(t, false)
	author, coord := l.clients["author"], l.clients["coordinator"]
	path := "/releves/" + number + "/factures"

	// Refused: nothing stored.
	exe := append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"), bytes.Repeat([]byte{0}, 200)...)
	big := append(append([]byte{}, invoicePDF...), bytes.Repeat([]byte("0"), 11<<20)...)
	for _, tt := range []struct {
		name, field string
		form        url.Values
		file        []byte
	}{
		{"an executable renamed .pdf", "file", invoiceFields("F-2026-118", "230,00", "46,00", "276,00"), exe},
		{"11 MiB", "file", invoiceFields("F-2026-118", "230,00", "46,00", "276,00"), big},
		{"HT + VAT ≠ TTC", "amount_ttc", invoiceFields("F-2026-118", "230,00", "46,00", "270,00"), invoicePDF},
		{"no file", "file", invoiceFields("F-2026-118", "230,00", "46,00", "276,00"), nil},
		{"no number", "number", invoiceFields("", "230,00", "46,00", "276,00"), invoicePDF},
	} {
		r := author.PostFile(path, tt.form, "file", "facture.pdf", tt.file)
		wantStatus(t, r, http.StatusUnprocessableEntity)
		if text(r, "[data-testid=field-"+tt.field+"] [data-testid=error-"+tt.field+"]") == "" {
			t.Errorf("%s: no error next to %s", tt.name, tt.field)
		}
		if d, i := stored(t, l.a); d != 0 || i != 0 {
			t.Fatalf("%s: stored %d documents, %d invoices", tt.name, d, i)
		}
	}
	if got := author.PostFile(path, invoiceFields("F-2026-118", "230,00", "46,00", "270,00"), "file", "facture.pdf", invoicePDF).
		Doc.Find("input[name=number]").AttrOr("value", ""); got != "F-2026-118" {
		t.Errorf("refused form lost what was typed: %q", got)
	}
	wantStatus(t, l.clients["member"].PostFile(path, invoiceFields("F-X", "230,00", "46,00", "276,00"), "file", "f.pdf", invoicePDF), http.StatusForbidden)

	// Filed.
	r := author.PostFile(path, invoiceFields("F-2026-118", "230,00", "46,00", "276,00"), "file", "facture-118.pdf", invoicePDF)
	wantStatus(t, r, http.StatusSeeOther)
	invoice := r.Header.Get("Location")
	if !strings.HasPrefix(invoice, "/factures/") {
		t.Fatalf("filed: redirected to %q", invoice)
	}
	wantStatus(t, author.PostFile(path, invoiceFields("F-2026-119", "230,00", "46,00", "276,00"), "file", "f.pdf", invoicePDF), http.StatusConflict)

	// Who sees it and its file.
	for role, want := range map[string]int{"author": 200, "coordinator": 200, "member": 403, "lead": 403, "contributor": 403} {
		wantStatus(t, l.clients[role].Get(invoice), want)
		r := l.clients[role].Get(invoice + "/document")
		wantStatus(t, r, want)
		if want == 200 && (r.Raw != string(invoicePDF) || r.Header.Get("Content-Type") != "application/pdf" || r.Header.Get("Cache-Control") != "private, no-store") {
			t.Errorf("%s: document %q (%s, %s)", role, r.Raw[:min(20, len(r.Raw))], r.Header.Get("Content-Type"), r.Header.Get("Cache-Control"))
		}
	}
	wantLogin(t, l.clients["anonymous"].Get(invoice+"/document"))

	// The author cannot decide; the coordination sends it back with a reason.
	wantStatus(t, author.Post(invoice+"/bon-a-payer", nil), http.StatusForbidden)
	wantStatus(t, author.Post(invoice+"/payer", url.Values{"paid_on": {lootToday()}, "reference": {"VIR-1"}}), http.StatusForbidden)
	wantStatus(t, coord.Post(invoice+"/a-corriger", url.Values{"reason": {"  "}}), http.StatusUnprocessableEntity)
	wantStatus(t, coord.Post(invoice+"/payer", url.Values{"paid_on": {lootToday()}, "reference": {"VIR-1"}}), http.StatusUnprocessableEntity) // not bon à payer yet
	wantRedirect(t, coord.Post(invoice+"/a-corriger", url.Values{"reason": {"Le numéro du relevé manque."}}), invoice)
	if got := text(author.Get("/releves/"+number), "[data-testid=invoice-fix-reason]"); !strings.Contains(got, "Le numéro du relevé manque.") {
		t.Errorf("the author does not see why: %q", got)
	}
	// Replaced by the same file: accepted, with a warning for the coordination.
	wantRedirect(t, author.PostFile(path, invoiceFields("F-2026-118", "230,00", "46,00", "276,00"), "file", "facture-118.pdf", invoicePDF), invoice)
	r = coord.Get(invoice)
	if got := r.Doc.Find("[data-testid=invoice-state]").AttrOr("data-state", ""); got != fabrique.InvoiceFiled {
		t.Errorf("replaced: state %s, want deposee", got)
	}
	if got := text(r, "[data-testid=invoice-warnings]"); !strings.Contains(got, "déjà été déposé") {
		t.Errorf("the same file twice: warnings %q", got)
	}
	wantRedirect(t, coord.Post(invoice+"/bon-a-payer", nil), invoice)
	if got := text(coord.Get("/coordination/paiements"), "[data-testid=invoices-to-pay]"); !strings.Contains(got, "F-2026-118") || !strings.Contains(got, "276,00") {
		t.Errorf("payment batch: %q", got)
	}

	// Paid by four clicks at once: one movement.
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			coord.Post(invoice+"/payer", url.Values{"paid_on": {lootToday()}, "reference": {"VIR-2026-118"}})
		})
	}
	wg.Wait()
	if n := countRows(t, l.a, `SELECT count(*) FROM ledger_transactions WHERE cause_type = 'invoice' AND amount = 27600`); n != 1 {
		t.Errorf("payment movements: %d, want 1", n)
	}
	if n := countRows(t, l.a, `SELECT count(*) FROM contributions WHERE statement_id IS NOT NULL AND state = 'payee' AND paid_amount = 27600`); n != 1 {
		t.Errorf("the day is not paid its 276,00 €")
	}
	if got := l.remaining(t); got != 100000-27600 {
		t.Errorf("remaining: %d, want %d", got, 100000-27600)
	}
	wantLedgerZero(t, l.a)
	// Told: the coordination of each upload, the author of each decision, the reason included.
	if n := countRows(t, l.a, `SELECT count(*) FROM notifications WHERE kind = 'invoice_to_check' AND user_id = $1`, l.coord.ID); n != 2 {
		t.Errorf("the coordinator was told of %d uploads, want 2", n)
	}
	if n := countRows(t, l.a, `SELECT count(*) FROM notifications WHERE kind = 'invoice_decided' AND user_id = $1
		AND (data->>'outcome' <> 'refused' OR data->>'reason' = 'Le numéro du relevé manque.')`, l.author.ID); n != 3 {
		t.Errorf("the author was told of %d decisions, want 3 (to correct, approved, paid)", n)
	}
	r = l.clients["anonymous"].Get("/transparence")
	if got := r.Body; !strings.Contains(got, "Facture n° F-2026-118 de Coopaname pour Marc Auteur") || !strings.Contains(got, "276,00") {
		t.Errorf("public accounts: the invoice's payment is not there")
	}
	if strings.Contains(r.Raw, "/document") || strings.Contains(r.Raw, "732 829 320") {
		t.Errorf("public accounts show a document link or the issuer's number")
	}

	// The same number of the same issuer on another statement: refused.
	k := l.validated(t, 4)
	r = author.Post("/espace/releves", url.Values{"contribution_id": {strconv.FormatInt(k, 10)}})
	second := strings.TrimPrefix(r.Header.Get("Location"), "/releves/")
	r = author.PostFile("/releves/"+second+"/factures", invoiceFields("F-2026-118", "230,00", "46,00", "276,00"), "file", "f.pdf", append([]byte{}, invoicePDF...))
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if got := text(r, "[data-testid=error-number]"); !strings.Contains(got, "déjà enregistrée") {
		t.Errorf("an issuer's number twice: %q", got)
	}
}

// A coordinator's own invoice is checked and paid by another coordinator.
func TestInvoiceFourEyes(t *testing.T) {
	t.Parallel()
	l := startLoot(t, 100000)
	dom := l.a.CreateUser(t, "Dominique Coord", "dominique@example.org", lootPass, fabrique.RoleCoordinator)
	lootExec(t, l.a, `INSERT INTO challenge_members (challenge_id, user_id, role, state, decided_at) VALUES ($1, $2, 'member', 'accepted', now())`, l.c.ID, dom.ID)
	domC := l.a.Client(t)
	domC.Login(dom.Email, lootPass)
	wantRedirect(t, l.clients["coordinator"].Post("/coordination/facturation", billingSettingsForm(false)), "/coordination/facturation")
	wantRedirect(t, domC.Post("/espace/facturation", microProfileForm()), "/espace/facturation")
	k := l.declare(t, dom, 4, false)
	if _, _, err := l.a.DB.ValidateContribution(context.Background(), k, l.lead); err != nil {
		t.Fatal(err)
	}
	r := domC.Post("/espace/releves", url.Values{"contribution_id": {strconv.FormatInt(k, 10)}})
	wantStatus(t, r, http.StatusSeeOther)
	r = domC.PostFile(r.Header.Get("Location")+"/factures", url.Values{"number": {"2026-07"}, "issued_on": {"2026-11-30"}, "due_on": {"2026-11-30"},
		"amount_ht": {"230"}, "vat": {"0"}, "amount_ttc": {"230"}, "vat_mention": {"TVA non applicable, art. 293 B du CGI"}}, "file", "f.pdf", invoicePDF)
	wantStatus(t, r, http.StatusSeeOther)
	invoice := r.Header.Get("Location")
	if n := domC.Get(invoice).Doc.Find("[data-testid=invoice-own]").Length(); n != 1 {
		t.Errorf("the coordinator's own invoice does not say another one decides")
	}
	wantStatus(t, domC.Post(invoice+"/bon-a-payer", nil), http.StatusForbidden)
	wantRedirect(t, l.clients["coordinator"].Post(invoice+"/bon-a-payer", nil), invoice)
	// Due on 30 November 2026, it is overdue in the payment batch.
	r = l.clients["coordinator"].Get("/coordination/paiements")
	if got := r.Doc.Find("[data-testid=invoice-to-pay]").AttrOr("data-overdue", ""); got != "true" {
		t.Errorf("an invoice due on 2026-11-30 is not flagged overdue: %q", got)
	}
	if got := r.Doc.Find("[data-testid=invoices-total]").Text(); !strings.Contains(got, "230,00") {
		t.Errorf("batch total: %q", got)
	}
	wantStatus(t, domC.Post(invoice+"/payer", url.Values{"paid_on": {lootToday()}, "reference": {"VIR-7"}}), http.StatusForbidden)
	wantRedirect(t, l.clients["coordinator"].Post(invoice+"/payer", url.Values{"paid_on": {lootToday()}, "reference": {"VIR-7"}}), invoice)
	if got := l.remaining(t); got != 100000-23000 {
		t.Errorf("remaining: %d, want %d (a micro-entrepreneur in franchise)", got, 100000-23000)
	}
	wantLedgerZero(t, l.a)
}

// When the association recovers VAT, the budget pays the HT and the VAT goes to the
// deductible-VAT account: 230,00 € and 46,00 €.
func TestInvoiceVATRecovered(t *testing.T) {
	t.Parallel()
	l := startLoot(t, 100000)
	number := l.billedDay(t, true)
	if got := l.remaining(t); got != 100000-23000 {
		t.Errorf("reserved with VAT recovered: remaining %d, want %d", got, 100000-23000)
	}
	r := l.clients["author"].PostFile("/releves/"+number+"/factures", invoiceFields("F-9", "230,00", "46,00", "276,00"), "file", "f.pdf", invoicePDF)
	wantStatus(t, r, http.StatusSeeOther)
	invoice := r.Header.Get("Location")
	wantRedirect(t, l.clients["coordinator"].Post(invoice+"/bon-a-payer", nil), invoice)
	wantRedirect(t, l.clients["coordinator"].Post(invoice+"/payer", url.Values{"paid_on": {lootToday()}, "reference": {"VIR-9"}}), invoice)
	balance := func(kind string) int64 {
		var b int64
		if err := l.a.SQL.QueryRow(context.Background(), `SELECT coalesce(sum(e.amount), 0) FROM ledger_entries e
			JOIN ledger_accounts a ON a.id = e.account_id JOIN ledger_transactions t ON t.id = e.transaction_id
			WHERE a.kind = $1 AND t.cause_type = 'invoice'`, kind).Scan(&b); err != nil {
			t.Fatal(err)
		}
		return b
	}
	if b, v, o := balance(fabrique.AccountSeedBudget), balance(fabrique.AccountVAT), balance(fabrique.AccountOutside); b != -23000 || v != -4600 || o != 27600 {
		t.Errorf("budget %d, VAT %d, outside %d; want -23000, -4600, 27600", b, v, o)
	}
	if got := l.remaining(t); got != 100000-23000 {
		t.Errorf("remaining after payment: %d, want %d", got, 100000-23000)
	}
	wantLedgerZero(t, l.a)
}

// A day paid on its own, as before invoices, is marked so in the public accounts.
func TestPaidWithoutInvoiceMarked(t *testing.T) {
	t.Parallel()
	l := startLoot(t, 100000)
	k := l.validated(t, 4)
	if _, _, err := l.a.DB.PayContribution(context.Background(), k, l.coord, "VIR-OLD", time.Now()); err != nil {
		t.Fatal(err)
	}
	if got := text(l.clients["anonymous"].Get("/transparence"), "[data-testid=movement-note]"); got != fabrique.PaidWithoutInvoice {
		t.Errorf("note: %q, want %q", got, fabrique.PaidWithoutInvoice)
	}
}

// A person with a billing profile is paid on invoices: their validated day is not in the
// batch of days paid one by one, and cannot be paid so.
func TestProfileHoldersPaidOnInvoices(t *testing.T) {
	t.Parallel()
	l := startLoot(t, 100000)
	wantRedirect(t, l.clients["author"].Post("/espace/facturation", caeProfileForm()), "/espace/facturation")
	k := l.validated(t, 4)
	if n := l.clients["coordinator"].Get("/coordination/paiements").Doc.Find("[data-testid=payee]").Length(); n != 0 {
		t.Errorf("the batch of days paid one by one lists %d payees, want none", n)
	}
	r := l.clients["coordinator"].Post(contribPath(k, "payer"), url.Values{"reference": {"VIR-X"}, "paid_on": {lootToday()}})
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("paying the day on its own: %d, want 422", r.StatusCode)
	}
	if n := countRows(t, l.a, `SELECT count(*) FROM ledger_transactions WHERE kind = 'payment'`); n != 0 {
		t.Errorf("%d payments moved money", n)
	}
}

// With S3_URL, an invoice's file goes to the object store, never into PostgreSQL, and is
// served from there; the app does not start when the bucket is missing.
func TestInvoiceDocumentInS3(t *testing.T) {
	t.Parallel()
	backend := s3mem.New()
	if err := backend.CreateBucket("documents"); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(gofakes3.New(backend).Server())
	t.Cleanup(srv.Close)
	s3URL := "s3://cle:secret@" + strings.TrimPrefix(srv.URL, "http://") + "/documents"
	l := startLoot(t, 100000, apptest.WithS3(s3URL))
	number := l.billedDay(t, false)
	r := l.clients["author"].PostFile("/releves/"+number+"/factures", invoiceFields("F-S3", "230,00", "46,00", "276,00"), "file", "f.pdf", invoicePDF)
	wantStatus(t, r, http.StatusSeeOther)
	if n := countRows(t, l.a, `SELECT count(*) FROM documents WHERE data IS NULL AND storage_key LIKE 'documents/%'`); n != 1 {
		t.Errorf("documents kept in the object store: %d, want 1", n)
	}
	objects, err := backend.ListBucket("documents", &gofakes3.Prefix{}, gofakes3.ListBucketPage{})
	if err != nil || len(objects.Contents) != 1 {
		t.Errorf("objects in the bucket: %v, %v", objects, err)
	}
	doc := l.clients["coordinator"].Get(r.Header.Get("Location") + "/document")
	if doc.StatusCode != http.StatusOK || doc.Raw != string(invoicePDF) {
		t.Errorf("the document from the store: %d %q", doc.StatusCode, doc.Raw)
	}
}

package fabrique

import (
	"testing"
	"time"

	"github.com/fabrique-a-communs/fabrique/internal/i18n"
)

func TestShareTTC(t *testing.T) {
	for _, tt := range []struct {
		ttc     int64
		amounts []int64
		want    []int64
	}{
		{27600, []int64{23000}, []int64{27600}},
		{41400, []int64{23000, 11500}, []int64{27600, 13800}},
		{100, []int64{1, 1, 1}, []int64{34, 33, 33}}, // the cent left to the first of equal remainders
		{27601, []int64{5750, 5750, 11500}, []int64{6900, 6900, 13801}},
	} {
		got := ShareTTC(tt.ttc, tt.amounts)
		var sum int64
		for i := range got {
			sum += got[i]
			if got[i] != tt.want[i] {
				t.Errorf("ShareTTC(%d, %v) = %v, want %v", tt.ttc, tt.amounts, got, tt.want)
				break
			}
		}
		if sum != tt.ttc {
			t.Errorf("ShareTTC(%d, %v) sums to %d", tt.ttc, tt.amounts, sum)
		}
	}
}

func TestParseInvoiceForm(t *testing.T) {
	today := time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC)
	ok := InvoiceForm{Number: " F-2026-118 ", IssuedOn: "2026-11-30", DueOn: "2026-12-30", HT: "230,00", VAT: "46,00 €", TTC: "276", VATMention: "TVA 20 %"}
	in, err := ParseInvoiceForm(ok, today)
	if err != nil || in.Number != "F-2026-118" || in.HT != 23000 || in.VAT != 4600 || in.TTC != 27600 {
		t.Fatalf("valid form: %+v, %v", in, ErrorFields(err))
	}
	franchise := InvoiceForm{Number: "7", IssuedOn: "2026-11-30", DueOn: "2026-11-30", HT: "230", VAT: "0", TTC: "230"}
	if _, err := ParseInvoiceForm(franchise, today); ErrorFields(err)["vat_mention"] == "" {
		t.Errorf("no VAT and no mention: want the mention asked")
	}
	franchise.VATMention = "TVA non applicable, art. 293 B du CGI"
	if _, err := ParseInvoiceForm(franchise, today); err != nil {
		t.Errorf("franchise: %v", ErrorFields(err))
	}
	bad := InvoiceForm{IssuedOn: "30/11/2026", DueOn: "2026-11-01", HT: "230", VAT: "46", TTC: "270"}
	fields := ErrorFields(func() error { _, err := ParseInvoiceForm(bad, today); return err }())
	for _, f := range []string{"number", "issued_on", "amount_ttc"} {
		if fields[f] == "" {
			t.Errorf("%s: no error in %v", f, fields)
		}
	}
}

// Four eyes: only a coordinator who is not its author checks or pays an invoice.
func TestCheckInvoiceDecision(t *testing.T) {
	coord := &User{ID: 1, Role: RoleCoordinator}
	other := &User{ID: 2, Role: RoleCoordinator}
	contributor := &User{ID: 3, Role: RoleContributor}
	inv := &Invoice{UserID: 1, State: InvoiceFiled}
	for _, d := range []InvoiceDecision{InvoiceApprove, InvoiceReject, InvoicePay} {
		if _, err := CheckInvoiceDecision(coord, d, inv); ErrorCode(err) != EFORBIDDEN {
			t.Errorf("%s by its author: %v, want EFORBIDDEN", d, err)
		}
		if _, err := CheckInvoiceDecision(contributor, d, inv); ErrorCode(err) != EFORBIDDEN {
			t.Errorf("%s by a contributor: %v, want EFORBIDDEN", d, err)
		}
	}
	if _, err := CheckInvoiceDecision(other, InvoicePay, inv); ErrorCode(err) != EINVALID {
		t.Errorf("paying a filed invoice: %v, want EINVALID", err)
	}
	if already, err := CheckInvoiceDecision(other, InvoiceApprove, inv); err != nil || already {
		t.Errorf("approving: %v %v", already, err)
	}
	inv.State = InvoicePaid
	if already, err := CheckInvoiceDecision(other, InvoicePay, inv); err != nil || !already {
		t.Errorf("paying twice: %v %v, want already", already, err)
	}
	if _, err := CheckInvoiceDecision(other, InvoiceReject, inv); ErrorCode(err) != ECONFLICT {
		t.Errorf("sending back a paid invoice: %v, want ECONFLICT", err)
	}
}

// Every warning an invoice may show has its English: the catalog's patterns do not see them.
func TestInvoiceWarningsTranslated(t *testing.T) {
	inv := &Invoice{HT: 1, StatementHT: 2, SeenBefore: 1, TTC: 3, Reserved: 2}
	ws := inv.Warnings()
	if len(ws) != 3 {
		t.Fatalf("warnings: %v, want 3", ws)
	}
	for _, w := range ws {
		if !i18n.Has(w) {
			t.Errorf("no English for %q", w)
		}
	}
}

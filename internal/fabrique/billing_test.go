package fabrique

import (
	"testing"
)

func TestValidSIRET(t *testing.T) {
	for s, want := range map[string]bool{
		"73282932000074": true,
		"44306184100047": true,
		"42300000000012": true,
		"42300000000013": false, // key wrong
		"12345678900000": false,
		"7328293200007":  false, // 13 digits
		"7328293200007a": false,
		"":               false,
		"35600000000048": true, // La Poste's head office: the Luhn rule
		"35600000012346": true, // La Poste's establishments: the digits' sum, a multiple of 5
		"35600000012345": false,
	} {
		if got := ValidSIRET(s); got != want {
			t.Errorf("ValidSIRET(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestValidVATNumber(t *testing.T) {
	for _, tt := range []struct {
		n, siret string
		want     bool
	}{
		{"FR44732829320", "73282932000074", true},
		{"FR45732829320", "73282932000074", false}, // key wrong
		{"FR44732829320", "44306184100047", false}, // another company's SIREN
		{"DE44732829320", "73282932000074", false},
		{"FR4473282932", "73282932000074", false},
	} {
		if got := ValidVATNumber(tt.n, tt.siret); got != tt.want {
			t.Errorf("ValidVATNumber(%q, %q) = %v, want %v", tt.n, tt.siret, got, tt.want)
		}
	}
}

// The figures: a day at 230 € HT reserves 276 € for a CAE at 20 %, 230 € for a
// micro-entrepreneur in franchise, 230 € when the association recovers VAT, and the HT
// while the author has no profile yet (the statement reserves the rest).
func TestReservation(t *testing.T) {
	cae := &BillingProfile{Kind: BillingCAE, VATRegime: VATLiable, VATRate: 2000}
	micro := &BillingProfile{Kind: BillingMicro, VATRegime: VATFranchise}
	reduced := &BillingProfile{Kind: BillingCAE, VATRegime: VATLiable, VATRate: 550}
	for _, tt := range []struct {
		name        string
		ht          int64
		p           *BillingProfile
		recoverable bool
		want        int64
		rate        int
	}{
		{"CAE at 20 %", 23000, cae, false, 27600, 2000},
		{"micro in franchise", 23000, micro, false, 23000, 0},
		{"VAT recovered", 23000, cae, true, 23000, 0},
		{"no profile yet", 23000, nil, false, 23000, 0},
		{"5,5 % rounded half up", 5750, reduced, false, 5750 + 316, 550}, // 316,25 → 316
		{"a quarter day at 20 %", 5750, cae, false, 6900, 2000},
	} {
		got, rate := Reservation(tt.ht, tt.p, tt.recoverable)
		if got != tt.want || rate != tt.rate {
			t.Errorf("%s: got %d at %d, want %d at %d", tt.name, got, rate, tt.want, tt.rate)
		}
	}
	if got := VATOf(50, 1000); got != 5 {
		t.Errorf("VATOf(50, 10 %%) = %d, want 5", got)
	}
	if got := VATOf(25, 2000); got != 5 {
		t.Errorf("VATOf(25, 20 %%) = %d, want 5", got)
	}
	if got := VATOf(5, 1000); got != 1 { // 0,5 cent: half up
		t.Errorf("VATOf(5, 10 %%) = %d, want 1", got)
	}
}

func TestBillingProfileValidate(t *testing.T) {
	ok := BillingProfile{Kind: "cae", LegalName: " Coopaname ", SIRET: "732 829 320 00074", VATNumber: "fr 44 732829320", VATRegime: "assujetti", VATRate: 2000}
	ok.Normalize()
	if err := ok.Validate(); err != nil {
		t.Fatalf("valid profile refused: %v", ErrorFields(err))
	}
	if ok.SIRET != "73282932000074" || ok.VATNumber != "FR44732829320" || ok.LegalName != "Coopaname" {
		t.Errorf("normalized: %+v", ok)
	}
	micro := BillingProfile{Kind: "micro", LegalName: "Léa Martin", SIRET: "44306184100047", VATRegime: "franchise_293b", VATRate: 2000}
	micro.Normalize()
	if err := micro.Validate(); err != nil || micro.VATRate != 0 {
		t.Errorf("franchise: rate %d, %v", micro.VATRate, ErrorFields(err))
	}
	bad := BillingProfile{Kind: "salarie", SIRET: "42300000000013", VATNumber: "FR00", VATRegime: "assujetti", VATRate: 1900}
	bad.Normalize()
	fields := ErrorFields(bad.Validate())
	for _, f := range []string{"kind", "legal_name", "siret", "vat_number", "vat_rate"} {
		if fields[f] == "" {
			t.Errorf("field %s: no error in %v", f, fields)
		}
	}
}

func TestVATRateLabel(t *testing.T) {
	for bp, want := range map[int]string{2000: "20\u00a0%", 550: "5,5\u00a0%", 210: "2,1\u00a0%", 1000: "10\u00a0%"} {
		if got := VATRateLabel(bp); got != want {
			t.Errorf("VATRateLabel(%d) = %q, want %q", bp, got, want)
		}
	}
	if got := StatementNumber(2027, 42); got != "FAB-2027-0042" {
		t.Errorf("StatementNumber = %q", got)
	}
}
